"""Tests of newsgraph.models: strict records and a JSON round trip. No spaCy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from newsgraph.models import (
    Analysis,
    Article,
    Entity,
    Event,
    EventPlace,
    Mention,
    Metadata,
    Place,
    Quote,
    ReadError,
    Topic,
    Zone,
)

MINIMAL: list[tuple[type[BaseModel], dict[str, Any]]] = [
    (Metadata, {}),
    (Zone, {"kind": "caption", "start": 0, "end": 3}),
    (Article, {"id": "a", "text": "Text."}),
    (Mention, {"start": 0, "end": 6, "text": "Peskov"}),
    (Entity, {"id": "e1", "name": "Dmitry Peskov", "type": "PERSON"}),
    (Quote, {"text": "no", "start": 1, "end": 3, "kind": "direct"}),
    (Place, {"name": "Geneva"}),
    (EventPlace, {"name": "Geneva"}),
    (Event, {"type": "CONSULT", "label": "talks", "start": 0, "end": 5}),
    (Topic, {"code": "medtop:11000000", "label": "politics", "top_level": "politics", "score": 0.5}),
    (Analysis, {"id": "a", "metadata": {}}),
    (ReadError, {"source": "a.txt", "reason": "empty file"}),
]


@pytest.mark.parametrize(("model", "fields"), MINIMAL, ids=[m.__name__ for m, _ in MINIMAL])
def test_records_reject_unknown_fields(model: type[BaseModel], fields: dict[str, Any]) -> None:
    model.model_validate(fields)  # the minimal record is valid
    with pytest.raises(ValidationError, match="extra_forbidden"):
        model.model_validate({**fields, "speakr": "typo"})


@pytest.mark.parametrize(
    ("model", "fields"),
    [
        (Quote, {"text": "no", "start": 1, "end": 3, "kind": "quoted"}),
        (Zone, {"kind": "footer", "start": 0, "end": 1}),
        (Event, {"type": "CONSULT", "label": "talks", "start": 0, "end": 5, "status": "maybe"}),
        (Mention, {"start": "zero", "end": 1, "text": "x"}),
        (Entity, {"id": "e1", "name": "Peskov"}),
    ],
)
def test_records_reject_bad_values(model: type[BaseModel], fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(fields)


def full_analysis() -> Analysis:
    text = 'Kremlin spokesman Dmitry Peskov said "no" in Geneva.'
    return Analysis(
        id="a1",
        metadata=Metadata(
            url="https://www.example.com/a1",
            source="example.com",
            title="Talks",
            published="2022-01-11",
            caption="A caption",
            photo_credit="AFP",
            subheadings=["Next steps"],
            tags_in_source=["Geneva"],
        ),
        entities=[
            Entity(
                id="e1",
                name="Dmitry Peskov",
                type="PERSON",
                roles=["Kremlin spokesman"],
                mentions=[Mention(start=18, end=31, text=text[18:31])],
            )
        ],
        quotes=[
            Quote(
                text="no",
                start=38,
                end=40,
                kind="direct",
                speaker="Dmitry Peskov",
                speaker_id="e1",
                speaker_start=18,
                speaker_end=31,
                speaker_text="Dmitry Peskov",
                cue="said",
                cue_start=32,
                cue_end=36,
            )
        ],
        events=[
            Event(
                type="CONSULT",
                label="talks",
                participants=["Dmitry Peskov"],
                parties=["Russia"],
                place=EventPlace(name="Geneva", country="CH", lat=46.2, lon=6.15),
                date="2022-01-10",
                date_text="on Monday",
                status="occurred",
                start=0,
                end=len(text),
            )
        ],
        places=[
            Place(
                name="Geneva",
                country="CH",
                lat=46.2,
                lon=6.15,
                kind="city",
                entity_id="e2",
                mentions=[Mention(start=45, end=51, text="Geneva")],
            )
        ],
        tags=["Dmitry Peskov", "Geneva"],
        keyphrases=["talks"],
        topics=[Topic(code="medtop:11000000", label="politics", top_level="politics", score=0.9)],
    )


@pytest.mark.parametrize("analysis", [full_analysis(), Analysis(id="empty", metadata=Metadata())])
def test_analysis_json_round_trip(analysis: Analysis) -> None:
    data = analysis.model_dump(mode="json")
    assert Analysis.model_validate(data) == analysis
    assert Analysis.model_validate(json.loads(json.dumps(data))) == analysis
    assert Analysis.model_validate_json(analysis.model_dump_json()) == analysis


def test_analysis_carries_the_contract_fields() -> None:
    data = Analysis(id="a", metadata=Metadata()).model_dump(mode="json")
    contract = {"id", "metadata", "entities", "quotes", "events", "places", "tags", "topics"}
    assert contract <= data.keys()
    assert {
        "url",
        "source",
        "title",
        "published",
        "caption",
        "photo_credit",
        "subheadings",
        "tags_in_source",
    } <= data["metadata"].keys()


def test_read_error_is_one_line() -> None:
    assert str(ReadError(source="a.txt", reason="empty file")) == "a.txt: empty file"
