"""Tests of newsgraph.sections: where long texts are cut, and how the sections' records merge.

Pure functions over hand-written texts and hand-built records: no spaCy model.
"""

from __future__ import annotations

import itertools
import random

import pytest

from newsgraph.models import Analysis, Article, Entity, Event, Mention, Metadata, Place, Quote, Zone
from newsgraph.sections import SectionResult, merge, section_article, split_text

PARAGRAPHS = (
    "The council met on Monday.\n\nIt approved the budget after a long debate.\n\nThe mayor said little."
)


def pieces(text: str, size: int) -> list[str]:
    return [text[start:end] for start, end in split_text(text, size)]


@pytest.mark.parametrize(
    ("text", "size", "expected"),
    [
        # a text that fits is one piece
        ("Short text.", 50, ["Short text."]),
        ("", 10, []),
        # at a blank line, the blank line going with the piece before it
        (
            PARAGRAPHS,
            60,
            [
                "The council met on Monday.\n\n",
                "It approved the budget after a long debate.\n\n",
                "The mayor said little.",
            ],
        ),
        # no blank line in reach: at a line break
        (
            "First line of text here.\nSecond line of text.",
            30,
            ["First line of text here.\n", "Second line of text."],
        ),
        # no line break: after a sentence's end (a closing quote mark goes with it)
        (
            'He said "We will go." Then he left the room.',
            30,
            ['He said "We will go." ', "Then he left the room."],
        ),
        # no sentence end: at a space
        ("one two three four five six seven", 12, ["one two ", "three four ", "five six ", "seven"]),
        # no space at all: at the size
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
        # a blank line early in the window loses to a sentence end in its second half
        (
            "Title\n\nA first sentence here. And another one follows.",
            40,
            ["Title\n\nA first sentence here. ", "And another one follows."],
        ),
    ],
)
def test_split_text_cuts_at_the_best_break(text: str, size: int, expected: list[str]) -> None:
    assert pieces(text, size) == expected


def test_split_text_covers_the_text_exactly_within_the_size() -> None:
    rng = random.Random(14)
    words = ["talks", "said", "Geneva.", "the", "\n", "\n\n", "  ", "NATO", "\u201cWe", "go.\u201d", "\t"]
    for _ in range(200):
        text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 300)))
        size = rng.randint(1, 120)
        spans = split_text(text, size)
        assert "".join(text[s:e] for s, e in spans) == text
        assert all(0 < e - s <= size for s, e in spans)
        assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))


def test_split_text_refuses_a_size_below_one() -> None:
    with pytest.raises(ValueError, match="positive"):
        split_text("text", 0)


def test_section_article_clips_and_shifts_zones() -> None:
    text = "Caption line\nBody one.\n\nBody two.\nLINK: x\n"
    article = Article(
        id="a",
        text=text,
        zones=[Zone(kind="caption", start=0, end=12), Zone(kind="trailer", start=34, end=42)],
    )
    first = section_article(article, 0, 24)
    second = section_article(article, 24, len(text))
    assert first.text + second.text == text
    assert first.zones == [Zone(kind="caption", start=0, end=12)]
    assert second.zones == [Zone(kind="trailer", start=10, end=18)]
    assert second.id == "a" and second.metadata == article.metadata


# ---------------------------------------------------------------------------------- merge

WHOLE = (
    "Mayor Ann Lee said the budget was fair. Lee thanked the council.\n\n"
    "Lee said the vote came late. Acme Corp welcomed it in Springfield.\n"
)
CUT = WHOLE.index("\n\n") + 2


def mention(text: str, word: str, start: int = 0) -> Mention:
    at = text.index(word, start)
    return Mention(start=at, end=at + len(word), text=word)


def section_one() -> SectionResult:
    text = WHOLE[:CUT]
    lee = Entity(
        id="e1",
        name="Ann Lee",
        type="PERSON",
        roles=["Mayor"],
        mentions=[mention(text, "Ann Lee"), mention(text, "Lee", 10)],
    )
    quote = Quote(
        text="the budget was fair",
        start=text.index("the budget"),
        end=text.index(" fair") + 5,
        kind="indirect",
        speaker="Ann Lee",
        speaker_id="e1",
        speaker_start=6,
        speaker_end=13,
        speaker_text="Ann Lee",
        cue="said",
    )
    return SectionResult(
        start=0,
        analysis=Analysis(
            id="s", metadata=Metadata(), entities=[lee], quotes=[quote], keyphrases=["budget", "council"]
        ),
        subjects=["fair budget"],
        topic_evidence={"medtop:11000000": 2.0},
    )


def section_two() -> SectionResult:
    text = WHOLE[CUT:]
    lee = Entity(id="e1", name="Lee", type="PERSON", mentions=[mention(text, "Lee")])
    acme = Entity(id="e2", name="Acme Corp", type="ORG", mentions=[mention(text, "Acme Corp")])
    town = Entity(id="e3", name="Springfield", type="GPE", mentions=[mention(text, "Springfield")])
    quote = Quote(
        text="the vote came late",
        start=text.index("the vote"),
        end=text.index("late") + 4,
        kind="indirect",
        speaker="Lee",
        speaker_id="e1",
        speaker_start=0,
        speaker_end=3,
        speaker_text="Lee",
        cue="said",
    )
    event = Event(
        type="OTHER",
        label="welcome",
        participants=["Acme Corp", "Lee"],
        start=text.index("Acme"),
        end=len(text) - 1,
    )
    place = Place(name="Springfield", country="US", entity_id="e3", mentions=[mention(text, "Springfield")])
    return SectionResult(
        start=CUT,
        analysis=Analysis(
            id="s",
            metadata=Metadata(),
            entities=[lee, acme, town],
            quotes=[quote],
            events=[event],
            places=[place],
            keyphrases=["vote", "budget"],
        ),
        subjects=["late vote"],
        topic_evidence={"medtop:11000000": 1.0, "medtop:04000000": 0.5},
    )


def test_merge_makes_one_record_with_offsets_into_the_whole_text() -> None:
    article = Article(id="whole", text=WHOLE)
    result = merge(article, [section_one(), section_two()])
    assert result.id == "whole"
    spans = [(m.start, m.end, m.text) for e in result.entities for m in e.mentions]
    spans += [(q.start, q.end, q.text) for q in result.quotes]
    spans += [(m.start, m.end, m.text) for p in result.places for m in p.mentions]
    assert all(WHOLE[start:end] == text for start, end, text in spans)
    assert all(
        WHOLE[q.speaker_start : q.speaker_end] == q.speaker_text
        for q in result.quotes
        if q.speaker_start is not None
    )
    assert [WHOLE[e.start : e.end] for e in result.events] == ["Acme Corp welcomed it in Springfield."]


def test_merge_joins_a_lone_surname_to_the_full_name_before_it() -> None:
    result = merge(Article(id="whole", text=WHOLE), [section_one(), section_two()])
    people = [e for e in result.entities if e.type == "PERSON"]
    assert [(e.id, e.name, e.roles, len(e.mentions)) for e in people] == [("e1", "Ann Lee", ["Mayor"], 3)]
    assert [e.id for e in result.entities] == ["e1", "e2", "e3"]  # numbered again, in text order
    assert [(q.speaker, q.speaker_id) for q in result.quotes] == [("Ann Lee", "e1"), ("Ann Lee", "e1")]
    assert result.events[0].participants == ["Acme Corp", "Ann Lee"]
    assert result.places[0].entity_id == "e3"


def test_merge_ranks_tags_and_topics_over_the_whole_article() -> None:
    result = merge(Article(id="whole", text=WHOLE), [section_one(), section_two()])
    assert result.tags[0] == "Ann Lee"  # most mentioned, and quoted twice
    assert {"fair budget", "late vote"} <= set(result.tags)
    assert result.keyphrases[0] == "budget"  # ranked in both sections
    assert result.topics and result.topics[0].code == "medtop:11000000"


def test_merge_keeps_people_of_one_surname_apart_when_nothing_says_which() -> None:
    text = "Lee spoke. Ann Lee and Bo Lee came.\n"
    one = SectionResult(
        start=0,
        analysis=Analysis(
            id="s",
            metadata=Metadata(),
            entities=[Entity(id="e1", name="Lee", type="PERSON", mentions=[mention(text, "Lee")])],
        ),
    )
    two = SectionResult(
        start=11,
        analysis=Analysis(
            id="s",
            metadata=Metadata(),
            entities=[
                Entity(
                    id="e1", name="Ann Lee", type="PERSON", mentions=[Mention(start=0, end=7, text="Ann Lee")]
                ),
                Entity(
                    id="e2", name="Bo Lee", type="PERSON", mentions=[Mention(start=12, end=18, text="Bo Lee")]
                ),
            ],
        ),
    )
    result = merge(Article(id="x", text=text), [one, two])
    assert [e.name for e in result.entities] == ["Lee", "Ann Lee", "Bo Lee"]
