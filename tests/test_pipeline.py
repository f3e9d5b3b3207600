"""Tests of newsgraph.pipeline: stage order, analyze / analyze_many, per-article errors, offsets.

Tests marked ``slow`` parse with the spaCy model (loaded once per session by conftest).
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from newsgraph import pipeline
from newsgraph.extract.base import Found
from newsgraph.models import Analysis, Article, Metadata, ReadError
from newsgraph.pipeline import (
    STAGES,
    AnalysisError,
    Stage,
    analyze,
    analyze_many,
    check_stages,
    process,
    to_article,
)

PESKOV = (
    "Kremlin spokesman Dmitry Peskov said on Tuesday that the talks in Geneva had been useful.\n"
    '"We see no real reason to be optimistic so far," Peskov told reporters in Moscow.\n'
)
SHERMAN = "US Deputy Secretary of State Wendy Sherman said the talks in Geneva had been frank.\n"
# Dirty text: odd spaces, curly quotes, a zero-width space, CRLF, a lost apostrophe, a trailer.
DIRTY = (
    "Kremlin\u00a0spokesman Dmitry  Peskov said \u201cwe see no reason to be optimistic\u201d on Tuesday.\r\n"
    "\u201eWe\u2019re ready,\u201c Peskov added after Russian President Vladimir Putins annual press "
    "conference in Mos\u200bcow.\r\n"
    "Alexander Grushko, Russias deputy foreign minister, said ties with NATO were at a\u2009low.\r\n"
    "LINK: https://www.example.com/world/1\r\n"
    "TAGS: Russia\r\n"
)


def noop(doc: Doc, found: Found) -> None:
    return None


# ---------------------------------------------------------------------------------- stage order


def test_the_stages_are_in_a_valid_order() -> None:
    check_stages(STAGES)
    check_stages()
    assert STAGES[0].name == "entities"


@pytest.mark.parametrize(
    "stages",
    [
        tuple(reversed(STAGES)),
        STAGES[1:],
        (Stage("a", noop, needs=(), adds=("x",)), Stage("b", noop, needs=("x", "y"), adds=("y",))),
    ],
    ids=["reversed", "without-entities", "needs-its-own-output"],
)
def test_a_stage_whose_needs_are_missing_is_refused(stages: tuple[Stage, ...]) -> None:
    with pytest.raises(ValueError, match="needs"):
        check_stages(stages)


# ---------------------------------------------------------------------------------- without a model


@pytest.mark.parametrize(
    ("item", "expected_id"),
    [
        ("Some text.", "3"),
        ({"text": "Some text.", "id": "x"}, "x"),
        ({"text": "Some text."}, "3"),
        (Article(id="a", text="Some text."), "a"),
    ],
)
def test_to_article(item: Any, expected_id: str) -> None:
    article = to_article(item, index=3)
    assert article.id == expected_id and article.text == "Some text."


def test_to_article_reads_metadata() -> None:
    article = to_article(
        {"id": 7, "text": "Some text.", "url": "https://www.example.com/a", "published": "January 11, 2022"}
    )
    assert article.id == "7"
    assert article.metadata.published == "2022-01-11"
    assert article.metadata.source == "example.com"


@pytest.mark.parametrize("item", [{"id": "x"}, {"id": "x", "text": None}, {"html": "<p>x</p>"}])
def test_an_item_without_text_is_an_analysis_error(item: dict[str, Any]) -> None:
    with pytest.raises(AnalysisError, match="text"):
        list(analyze_many([item]))


def test_read_errors_pass_through_without_loading_a_model() -> None:
    errors = [ReadError(source="a.txt", reason="empty file"), ReadError(source="b", reason="binary file")]
    assert list(process(errors, batch_size=1)) == errors
    assert list(process([])) == []


# ---------------------------------------------------------------------------------- with the model


@pytest.mark.slow
def test_analyze_finds_people_roles_and_quotes() -> None:
    result = analyze(PESKOV, id="p1", published="January 11, 2022", url="https://www.example.com/p1")
    assert isinstance(result, Analysis)
    assert result.id == "p1"
    assert result.metadata.published == "2022-01-11"
    assert result.metadata.source == "example.com"
    people = {entity.name: entity for entity in result.entities if entity.type == "PERSON"}
    assert "Dmitry Peskov" in people
    assert "Kremlin spokesman" in people["Dmitry Peskov"].roles
    assert len(people["Dmitry Peskov"].mentions) == 2
    direct = [quote for quote in result.quotes if quote.kind == "direct"]
    assert [(q.text, q.speaker) for q in direct] == [
        ("We see no real reason to be optimistic so far,", "Dmitry Peskov")
    ]
    assert "Moscow" in {place.name for place in result.places}
    assert "Dmitry Peskov" in result.tags


@pytest.mark.slow
def test_analyze_many_keeps_order_and_takes_texts_dicts_and_articles(nlp: Language) -> None:
    items: list[Any] = [
        PESKOV,
        {"id": "sherman", "text": SHERMAN, "published": "2022-01-10"},
        Article(id="article", text=SHERMAN, metadata=Metadata(title="Frank talks")),
        {"id": "last", "text": PESKOV},
        SHERMAN,
    ]
    results = list(analyze_many(items, batch_size=2))
    assert [result.id for result in results] == ["0", "sherman", "article", "last", "4"]
    assert all(isinstance(result, Analysis) for result in results)
    assert results[1].metadata.published == "2022-01-10"
    assert results[2].metadata.title == "Frank talks"
    names = [{e.name for e in result.entities if e.type == "PERSON"} for result in results]
    assert ["Dmitry Peskov" in n for n in names] == [True, False, False, True, False]
    assert ["Wendy Sherman" in n for n in names] == [False, True, True, False, True]


@pytest.mark.slow
def test_an_error_in_one_article_does_not_stop_the_batch(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(stage: Stage) -> Stage:
        def run(doc: Doc, found: Found) -> object:
            if found.article.id == "bad":
                raise RuntimeError("extractor bug")
            return stage.run(doc, found)

        return Stage(stage.name, run, needs=stage.needs, adds=stage.adds)

    monkeypatch.setattr(pipeline, "STAGES", tuple(failing(s) if s.name == "quotes" else s for s in STAGES))
    items: list[Article | ReadError] = [
        to_article({"id": "good1", "text": PESKOV}),
        to_article({"id": "bad", "text": PESKOV}),
        ReadError(source="missing.txt", reason="no such file or directory"),
        to_article({"id": "good2", "text": SHERMAN}),
    ]
    results = list(process(items, nlp=nlp, batch_size=3))
    assert [getattr(r, "id", None) or getattr(r, "source", None) for r in results] == [
        "good1",
        "bad",
        "missing.txt",
        "good2",
    ]
    good1, bad, missing, good2 = results
    assert isinstance(good1, Analysis) and good1.quotes
    assert bad == ReadError(source="bad", reason="analysis failed: RuntimeError: extractor bug")
    assert missing == items[2]
    assert isinstance(good2, Analysis) and any(e.name == "Wendy Sherman" for e in good2.entities)
    with pytest.raises(AnalysisError, match="bad: analysis failed"):
        list(analyze_many([PESKOV, {"id": "bad", "text": PESKOV}]))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["seed", "dirty"])
def test_offsets_index_the_input_text_exactly(name: str, seed_text: str) -> None:
    text = {"seed": seed_text, "dirty": DIRTY}[name]
    result = analyze(text, id=name)
    assert result.entities and result.quotes
    for entity in result.entities:
        assert entity.mentions
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(text)
            assert text[mention.start : mention.end] == mention.text, entity.name
    for place in result.places:
        for mention in place.mentions:
            assert text[mention.start : mention.end] == mention.text, place.name
    for quote in result.quotes:
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert quote.speaker_end is not None
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker_text
        if quote.cue_start is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue
        if quote.clause_start is not None:
            assert quote.clause_end is not None
            # the reported clause holds the quote (its end may stop short of a final mark)
            assert 0 <= quote.clause_start <= quote.start < quote.clause_end <= len(text)
    trailer = text.index("LINK:")
    assert all(m.end <= trailer for e in result.entities for m in e.mentions)
    assert all(q.end <= trailer for q in result.quotes)


def _blank(max_length: int) -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = max_length
    return nlp


def test_an_article_past_the_parsers_limit_is_analysed_in_pieces() -> None:
    """An article longer than spaCy's ``max_length`` is parsed in pieces, not refused (was E088)."""
    items = [Article(id="short", text="A short text."), Article(id="long", text="Word after word. " * 60)]
    results = list(pipeline.process(items, nlp=_blank(200)))
    assert [type(r).__name__ for r in results] == ["Analysis", "Analysis"]
    assert [r.id for r in results if isinstance(r, Analysis)] == ["short", "long"]


def test_a_long_article_waits_for_no_batch_and_fails_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch before a long article is out before it starts; its failure is its own line."""
    seen: list[str] = []

    def broken(*args: object, **kwargs: object) -> Analysis:
        seen.append("long started")
        raise MemoryError("out of memory")

    monkeypatch.setattr(pipeline, "_analyze_long", broken)
    items = [
        Article(id="one", text="A short text."),
        Article(id="long", text="Word after word. " * 60),
        Article(id="two", text="Another short text."),
    ]
    results = []
    for result in pipeline.process(items, nlp=_blank(200), batch_size=32):
        seen.append(getattr(result, "id", None) or getattr(result, "source", ""))
        results.append(result)
    assert seen == ["one", "long started", "long", "two"]
    assert results[1] == ReadError(source="long", reason="analysis failed: MemoryError: out of memory")


def test_progress_is_reported_as_each_section_of_a_long_article_starts() -> None:
    calls: list[tuple[str, int, int]] = []
    text = "Word after word. " * 60  # 1,020 characters
    items = [Article(id="short", text="A short text."), Article(id="long", text=text)]
    results = list(
        pipeline.process(
            items,
            nlp=_blank(200),
            section_chars=400,
            progress=lambda a, done, total: calls.append((a.id, done, total)),
        )
    )
    assert [r.id for r in results if isinstance(r, Analysis)] == ["short", "long"]
    assert [c[0] for c in calls] == ["long"] * 3 and all(c[2] == len(text) for c in calls)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls) and calls[0][1] == 0


# Paragraphs written for these tests: people, roles, quotes, places, dates, events.
LONG_PARAGRAPHS = (
    "Kremlin spokesman Dmitry Peskov arrived in Geneva on Monday for talks with US officials.",
    '"We see no real reason to be optimistic so far," he told reporters outside the hotel.',
    "US Deputy Secretary of State Wendy Sherman said the talks in Geneva had been frank and useful.",
    "Protesters gathered in Berlin on Tuesday, and police said three people were arrested.",
    "Sherman will meet NATO allies in Brussels on Wednesday, a State Department official said.",
    '"The door to diplomacy remains open," Sherman said, adding that sanctions were still possible.',
)


def long_article(chars: int) -> str:
    paragraphs: list[str] = []
    while sum(len(p) + 2 for p in paragraphs) < chars:
        paragraphs.extend(LONG_PARAGRAPHS)
    return "\n\n".join(paragraphs) + "\n"


@pytest.mark.slow
def test_pieces_join_into_one_doc_of_the_whole_text(nlp: Language) -> None:
    text = long_article(5_000)
    doc = pipeline._parse_in_pieces(nlp, text, 600)
    assert doc.text == text
    assert doc.ents and any(sent.start > 0 for sent in doc.sents)


@pytest.mark.slow
def test_every_offset_of_a_long_article_indexes_the_whole_text(nlp: Language) -> None:
    """Pieces of 1,500 characters, sections of 6,000: offsets past every cut still point right."""
    text = long_article(20_000)
    (result,) = process([Article(id="long", text=text)], nlp=nlp, piece_chars=1_500, section_chars=6_000)
    assert isinstance(result, Analysis)
    assert result.entities and result.quotes and result.places and result.events
    for entity in result.entities:
        for mention in entity.mentions:
            assert text[mention.start : mention.end] == mention.text, entity.name
    assert len([e for e in result.entities if e.name == "Wendy Sherman"]) == 1  # one entity across sections
    for place in result.places:
        for mention in place.mentions:
            assert text[mention.start : mention.end] == mention.text, place.name
    for quote in result.quotes:
        assert text[quote.start : quote.end] == quote.text
        if quote.speaker_start is not None:
            assert text[quote.speaker_start : quote.speaker_end] == quote.speaker_text
        if quote.cue_start is not None:
            assert text[quote.cue_start : quote.cue_end] == quote.cue
    for event in result.events:
        assert 0 <= event.start < event.end <= len(text) and text[event.start : event.end].strip()
    assert max(q.start for q in result.quotes) > len(text) - 1_000  # the last section's quotes too
    assert "Wendy Sherman" in result.tags and result.topics


@pytest.mark.slow
def test_a_speaker_across_a_cut_still_resolves(nlp: Language) -> None:
    """The pieces of a section are one Doc: "he said" after a cut finds the name before it."""
    text = "\n\n".join(LONG_PARAGRAPHS[:2]) + "\n"
    whole = analyze(text, id="whole")
    (cut,) = process([Article(id="cut", text=text)], nlp=nlp, piece_chars=len(LONG_PARAGRAPHS[0]) + 5)
    assert isinstance(cut, Analysis)
    expected = [(q.start, q.end, q.speaker) for q in whole.quotes]
    assert [speaker for _, _, speaker in expected] == ["Dmitry Peskov"]
    assert [(q.start, q.end, q.speaker) for q in cut.quotes] == expected
