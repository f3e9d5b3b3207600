"""Tests of the Parquet export (no model)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from corpus_records import build_store
from newsgraph.export import write_parquet
from newsgraph.export.parquet import TABLES
from newsgraph.store import open_store


def test_one_table_per_record_type(tmp_path: Path) -> None:
    with build_store(tmp_path / "a.db") as store:
        counts = write_parquet(store, tmp_path / "out")
    assert set(counts) == set(TABLES)
    for name, rows in counts.items():
        table = pq.read_table(tmp_path / "out" / f"{name}.parquet")
        assert table.num_rows == rows
        assert table.schema.equals(TABLES[name][0])
    assert counts["articles"] == 5 and counts["quotes"] == 6 and counts["errors"] == 0

    articles = pq.read_table(tmp_path / "out" / "articles.parquet").to_pylist()
    geneva = next(a for a in articles if a["id"] == "geneva")
    assert geneva["tags"] == ["Russia", "Dmitry Peskov", "Geneva"] and geneva["date"] == "2022-01-11"
    entities = pq.read_table(tmp_path / "out" / "entities.parquet").to_pylist()
    peskov = {e["actor"] for e in entities if "Peskov" in e["name"]}
    assert len(peskov) == 1
    assert any(e["roles"] == ["Kremlin spokesman"] for e in entities)
    events = pq.read_table(tmp_path / "out" / "events.parquet").to_pylist()
    assert events[0]["participants"] == ["Wendy Sherman", "Sergei Ryabkov"]
    assert events[0]["parties"] == ["United States", "Russia"]
    quotes = pq.read_table(tmp_path / "out" / "quotes.parquet").to_pylist()
    assert {q["speaker_actor"] for q in quotes if q["speaker"] and "Peskov" in q["speaker"]} == peskov


def test_an_empty_store_gives_empty_tables(tmp_path: Path) -> None:
    with open_store(tmp_path / "a.db") as store:
        counts = write_parquet(store, tmp_path / "out")
    assert set(counts.values()) == {0}
    assert pq.read_table(tmp_path / "out" / "articles.parquet").num_rows == 0
