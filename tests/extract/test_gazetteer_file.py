"""Tests of newsgraph.extract.gazetteer_file: the gazetteer as a mapped table file (no spaCy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph import tables
from newsgraph.extract import gazetteer_file
from newsgraph.extract.places import GeoHit, _Gazetteer


def _small_gazetteer() -> _Gazetteer:
    gaz = _Gazetteer()
    france = GeoHit("France", "FR", 46.0, 2.0, "country", 67_000_000, area=551_695.0)
    paris = GeoHit("Paris", "FR", 48.85341, 2.3488, "city", 2_138_551, "11", capital=True)
    texas = GeoHit("Texas", "US", 31.0, -100.0, "admin1", admin1="TX")
    small_paris = GeoHit("Paris", "US", 33.66, -95.55, "city", 24_171, "TX")
    town = GeoHit("Kirkwall", "GB", 58.98, -2.96, "city", 9_293, "SCT", town=True)
    for name, hit in [("France", france), ("Paris", paris), ("Paris", small_paris), ("Texas", texas)]:
        gaz.add(gaz.primary, name, hit)
    gaz.add(gaz.alternate, "Lutetia", paris)
    gaz.add(gaz.alternate, "Kirkvaw", town)
    gaz.by_country["FR"] = france
    gaz.neighbours["FR"] = frozenset({"BE", "ES"})
    gaz.qualifiers["Tex."] = [texas]
    gaz.us_states["TX"] = texas
    gaz.demonyms["french"] = france
    gaz.home = {"paris": paris}
    return gaz


def test_the_gazetteer_reads_back_from_its_table_file() -> None:
    built = _small_gazetteer()
    loaded = gazetteer_file.decode(tables.TableFile(tables.encode(gazetteer_file.encode(built), "k")))
    assert dict(loaded.primary) == dict(built.primary)
    assert dict(loaded.alternate) == dict(built.alternate)
    assert loaded.by_country == built.by_country and loaded.neighbours == built.neighbours
    assert loaded.qualifiers == built.qualifiers and loaded.us_states == built.us_states
    assert loaded.demonyms == built.demonyms and dict(loaded.home) == dict(built.home)
    assert "paris" in loaded.primary and "lyon" not in loaded.primary
    assert loaded.primary.get("lyon", []) == [] and len(loaded.primary) == 3
    # one object per place, whatever index it is reached through
    assert loaded.alternate["lutetia"][0] is loaded.primary["paris"][0] is loaded.home["paris"]
    assert loaded.primary["paris"][0] is loaded.primary["paris"][0]
    assert loaded.primary["texas"][0] is loaded.qualifiers["Tex."][0]


def test_the_gazetteer_is_built_once_into_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path))
    builds: list[int] = []

    def build() -> _Gazetteer:
        builds.append(1)
        return _small_gazetteer()

    first = gazetteer_file.load(build)
    second = gazetteer_file.load(build)
    assert builds == [1]
    assert first.primary["france"] == second.primary["france"]
    assert [p.name.split("-")[0] for p in tmp_path.iterdir()] == ["gazetteer"]
