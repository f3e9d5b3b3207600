"""Cutting an article's text into marked pieces: always the whole text, always nested."""

from __future__ import annotations

from typing import Any

import pytest

from newsgraph.web.markup import blocks, snippet_pieces

TEXT = 'Mayor Helen Marsh said "the harbour plan is good for Port Elgin," and left. Marsh smiled.'


def record(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "entities": [
            {
                "id": "e1",
                "name": "Helen Marsh",
                "type": "PERSON",
                "mentions": [{"start": 6, "end": 17, "text": "Helen Marsh"}, {"start": 76, "end": 81}],
            },
            {"id": "e2", "name": "Port Elgin", "type": "GPE", "mentions": [{"start": 53, "end": 63}]},
        ],
        "quotes": [
            {
                "start": 24,
                "end": 63,
                "kind": "direct",
                "speaker": "Helen Marsh",
                "speaker_id": "e1",
                "cue": "said",
            }
        ],
    }
    base.update(extra)
    return base


def flat(out: list[Any]) -> str:
    return "".join(p.text for b in out for p in b.pieces)


def test_pieces_add_up_to_the_text_and_link_actors() -> None:
    out = blocks(TEXT, record(), {"e1": 7, "e2": 9})
    assert flat(out) == TEXT
    quote = next(b for b in out if b.quote)
    assert quote.quote.speaker_actor == 7 and quote.quote.kind == "direct"
    assert [(p.text, p.actor, p.type) for p in quote.pieces if p.type] == [("Port Elgin", 9, "place")]
    outside = [p for b in out if not b.quote for p in b.pieces if p.type]
    assert [(p.text, p.actor) for p in outside] == [("Helen Marsh", 7), ("Marsh", 7)]


@pytest.mark.parametrize(
    "quotes",
    [
        [{"start": 50, "end": 70, "kind": "direct"}],  # crosses the Port Elgin mention's end
        [{"start": 23, "end": 65, "kind": "direct"}, {"start": 30, "end": 40, "kind": "mixed"}],  # overlap
        [{"start": -5, "end": 3, "kind": "direct"}, {"start": 80, "end": 999, "kind": "direct"}],  # outside
        [{"start": 10, "end": 10, "kind": "direct"}],  # empty
    ],
)
def test_overlapping_or_broken_spans_still_nest(quotes: list[dict[str, Any]]) -> None:
    out = blocks(TEXT, record(quotes=quotes), {})
    assert flat(out) == TEXT
    for block in out:
        assert all(p.text for p in block.pieces)


def test_no_marks_is_one_plain_block() -> None:
    out = blocks(TEXT, {}, {})
    assert len(out) == 1 and out[0].quote is None and flat(out) == TEXT


@pytest.mark.parametrize(
    ("snippet", "runs"),
    [
        ("the [talks] in [Geneva]", [("the ", False), ("talks", True), (" in ", False), ("Geneva", True)]),
        ("no marks", [("no marks", False)]),
        ("an [open bracket", [("an [open bracket", False)]),
        ("", []),
    ],
)
def test_snippet_pieces(snippet: str, runs: list[tuple[str, bool]]) -> None:
    assert snippet_pieces(snippet) == runs
