"""Tests of the IPTC ninjs 3.1 output: every object validates against IPTC's official schema."""

from __future__ import annotations

import copy
import csv
import io
import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from corpus_records import build_store, corpus, make
from newsgraph.cli import app
from newsgraph.export import to_ninjs, validate_ninjs, write_ninjs
from newsgraph.export.ninjs import NINJS_SCHEMA_PATH, NinjsError, ninjs_errors
from newsgraph.models import Event, EventPlace, Topic

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "seed_article.txt"
WIKINEWS = ROOT.parent / "shared" / "corpus" / "wikinews"


def test_the_shipped_schema_is_iptcs() -> None:
    """The file shipped is IPTC's ninjs 3.1 schema, unchanged (draft 2020-12)."""
    schema = json.loads(NINJS_SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$id"] == "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (NINJS_SCHEMA_PATH.parent / "LICENSE-ninjs.txt").is_file()


def _rich() -> dict[str, Any]:
    """A hand-built article with every kind of record, as ninjs."""
    text = (
        "Kremlin spokesman Dmitry Peskov said talks in Geneva would go on.\u2028"
        "“We are ready,” Peskov told reporters in Moscow."
    )
    article, analysis = make(
        "dir/peskov talks.txt",
        text,
        entities=[
            ("Dmitry Peskov", "PERSON", ["Kremlin spokesman"], ["Dmitry Peskov", "Peskov"]),
            ("Kremlin", "ORG", [], ["Kremlin"]),
        ],
        quotes=[("We are ready,", "Dmitry Peskov", "direct", "told")],
        places=[("Geneva", "CH", 46.2, 6.15, "city"), ("Moscow", "RU", None, None, None)],
        events=[
            Event(
                type="CONSULT",
                label="talks in Geneva",
                participants=["Dmitry Peskov"],
                place=EventPlace(name="Geneva", country="CH", lat=46.2, lon=6.15),
                date="2022-01-10",
                status="occurred",
                start=0,
                end=60,
            )
        ],
        published="2022-01-11",
        url="https://news.example.org/a/Peskov talks, Genève",
        title="Talks go on",
        tags=["Dmitry Peskov", "Geneva"],
        topics=[Topic(code="medtop:11000000", label="politics", top_level="politics", score=0.8)],
    )
    return to_ninjs(analysis, text=article.text)


def test_a_full_record_validates_and_carries_everything() -> None:
    item = _rich()
    validate_ninjs(item)
    assert item["uri"] == "https://news.example.org/a/Peskov%20talks,%20Gen%C3%A8ve"
    assert item["versionCreated"] == "2022-01-11T00:00:00Z"
    assert item["headlines"] == [{"role": "main", "value": "Talks go on"}]
    assert item["people"] == [{"name": "Dmitry Peskov", "rel": "Kremlin spokesman"}]
    assert item["organisations"] == [{"name": "Kremlin"}]
    assert item["places"][0] == {"name": "Geneva", "geoJSON": {"type": "Point", "coordinates": [6.15, 46.2]}}
    assert item["places"][1] == {"name": "Moscow"}
    topic, *tags = item["subjects"]
    assert topic["uri"] == "http://cv.iptc.org/newscodes/mediatopic/11000000" and topic["relevance"] == 80
    assert [tag["name"] for tag in tags] == ["Dmitry Peskov", "Geneva"]
    assert item["events"] == [
        {"id": "event1", "name": "talks in Geneva", "literal": "CONSULT", "rel": "occurred"}
    ]
    quotes = [json.loads(d["value"]) for d in item["descriptions"] if d["role"] == "quote"]
    body = item["bodies"][0]["value"]
    assert quotes == [
        {
            "text": "We are ready,",
            "speaker": "Dmitry Peskov",
            "kind": "direct",
            "cue": "told",
            "start": quotes[0]["start"],
            "end": quotes[0]["end"],
        }
    ]
    assert body[quotes[0]["start"] : quotes[0]["end"]] == "We are ready,"
    (event,) = [json.loads(d["value"]) for d in item["descriptions"] if d["role"] == "event"]
    assert event["place"]["lat"] == 46.2 and event["date"] == "2022-01-10"


def test_an_article_without_url_gets_a_urn() -> None:
    item = _rich()
    article, analysis = corpus()[0]
    analysis = analysis.model_copy(update={"id": "folder/a b#1.txt"})
    analysis.metadata.url = None
    item = to_ninjs(analysis, text=article.text)
    validate_ninjs(item)
    assert item["uri"] == "urn:newsgraph:folder%2Fa%20b%231.txt"


BROKEN: list[tuple[str, Any]] = [
    ("no uri", lambda item: item.pop("uri")),
    ("an unknown property", lambda item: item.update(quotes=[])),
    ("not a uri", lambda item: item.update(uri="not a uri")),
    ("a date without a time", lambda item: item.update(versionCreated="2022-01-11")),
    ("an unknown person field", lambda item: item["people"][0].update(role="spokesman")),
    ("a point with one coordinate", lambda item: item["places"][0]["geoJSON"].update(coordinates=[6.1])),
    ("relevance over 100", lambda item: item["subjects"][0].update(relevance=180)),
    ("a body without value", lambda item: item["bodies"][0].pop("value")),
]


@pytest.mark.parametrize(("why", "breaking"), BROKEN, ids=[why for why, _ in BROKEN])
def test_the_validator_rejects_a_broken_record(why: str, breaking: Any) -> None:
    item = copy.deepcopy(_rich())
    breaking(item)
    assert ninjs_errors(item), why
    with pytest.raises(NinjsError, match=r"not valid ninjs 3\.1"):
        validate_ninjs(item)


def test_export_of_a_store(tmp_path: Path) -> None:
    out = io.StringIO()
    with build_store(tmp_path / "a.db") as store:
        count = write_ninjs(store, out)
    lines = out.getvalue().splitlines()
    assert count == len(lines) == len(corpus())
    items = [json.loads(line) for line in lines]
    for item in items:
        validate_ninjs(item)
    geneva = next(item for item in items if {"role": "newsgraph", "value": "geneva"} in item["altIds"])
    assert geneva["versionCreated"] == "2022-01-11T00:00:00Z"
    assert {"name": "Dmitry Peskov", "rel": "Kremlin spokesman"} in geneva["people"]


def test_export_command(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    build_store(db).close()
    target = tmp_path / "out.ninjs.jsonl"
    result = CliRunner().invoke(app, ["export", "ninjs", "--db", str(db), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert f"wrote {len(corpus())} ninjs records" in result.stderr
    for line in target.read_text(encoding="utf-8").splitlines():
        validate_ninjs(json.loads(line))


# ---------------------------------------------------------------------------------- with the model


@pytest.mark.slow
def test_the_seed_article_as_ninjs() -> None:
    result = CliRunner().invoke(app, ["analyze", str(SEED), "--format", "ninjs"])
    assert result.exit_code == 0, result.output
    (line,) = result.stdout.splitlines()
    item = json.loads(line)
    validate_ninjs(item)
    people = {person["name"]: person.get("rel") for person in item["people"]}
    assert people["Dmitry Peskov"] == "Kremlin spokesman"
    places = {place["name"]: place.get("geoJSON") for place in item["places"]}
    assert places["Geneva"] == {
        "type": "Point",
        "coordinates": [pytest.approx(6.15, abs=0.1), pytest.approx(46.2, abs=0.1)],
    }
    assert any(
        subject.get("uri", "").startswith("http://cv.iptc.org/newscodes/mediatopic/")
        for subject in item["subjects"]
    )
    assert any(event["name"] == "talks in Geneva" for event in item["events"])
    speakers = {json.loads(d["value"]).get("speaker") for d in item["descriptions"] if d["role"] == "quote"}
    assert "Dmitry Peskov" in speakers


@pytest.mark.slow
def test_a_wikinews_sample_validates(tmp_path: Path) -> None:
    """Twenty-five real Wikinews articles (read from ../shared/corpus, skipped when absent)."""
    sources = sorted(WIKINEWS.glob("*.csv"))
    if not sources:
        pytest.skip("the Wikinews corpus is not here")
    with sources[0].open(encoding="utf-8", newline="") as handle:
        rows = list(itertools.islice(csv.DictReader(handle), 25))
    sample = tmp_path / "sample.jsonl"
    sample.write_text(
        "".join(
            json.dumps(
                {
                    "id": f"wn{n}",
                    "text": row["text"],
                    "url": row["url"],
                    "title": row["title"],
                    "published": row["date"],
                }
            )
            + "\n"
            for n, row in enumerate(rows)
        ),
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["analyze", str(sample), "--format", "ninjs"])
    assert result.exit_code == 0, result.output
    items = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(items) == len(rows)
    for item in items:
        assert ninjs_errors(item) == [], item["uri"]
    assert all(item["uri"].startswith("https://en.wikinews.org/") for item in items)
    assert all(item.get("versionCreated") for item in items)
