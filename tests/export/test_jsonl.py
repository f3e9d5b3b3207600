"""Tests of the JSONL export (no model)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from corpus_records import build_store, corpus
from newsgraph.export import write_jsonl
from newsgraph.models import Analysis


def test_records_are_the_analyses(tmp_path: Path) -> None:
    records = corpus()
    out = io.StringIO()
    with build_store(tmp_path / "a.db", records) as store:
        assert write_jsonl(store, out) == len(records)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [Analysis.model_validate(line) for line in lines] == [analysis for _, analysis in records]
    assert all("text" not in line and "corpus" not in line for line in lines)


def test_corpus_fields(tmp_path: Path) -> None:
    out = io.StringIO()
    with build_store(tmp_path / "a.db") as store:
        write_jsonl(store, out, corpus=True)
    lines = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    geneva, brussels, copy = (
        lines["geneva"]["corpus"],
        lines["brussels"]["corpus"],
        lines["brussels-copy"]["corpus"],
    )
    assert geneva["actors"]["e1"] == brussels["actors"]["e1"] == copy["actors"]["e1"]  # Peskov, three ways
    assert brussels["duplicate_group"] == copy["duplicate_group"] is not None
    assert geneva["duplicate_group"] is None
    assert geneva["date"] == "2022-01-11" and len(geneva["hash"]) == 64
