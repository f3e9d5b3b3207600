"""Tests of newsgraph.extract.tags: tag names, weights and ranking.

Hand-built entities need no spaCy; tests marked ``slow`` run a full analysis.
"""

from __future__ import annotations

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from newsgraph import analyze
from newsgraph.extract import tags
from newsgraph.extract.base import Found
from newsgraph.extract.tags import MAX_TAGS, _tag_name
from newsgraph.models import Article, Entity, Mention, Zone
from newsgraph.repair import repair


def _mention(text: str, start: int) -> Mention:
    return Mention(start=start, end=start + len(text), text=text)


def _entity(name: str, type: str, *mentions: str, id: str = "e1") -> Entity:
    return Entity(id=id, name=name, type=type, mentions=[_mention(m, 10 * i) for i, m in enumerate(mentions)])


def _tags(text: str, entities: list[Entity], *, caption_end: int = 0) -> list[str]:
    """Run the tags stage over hand-built entities of ``text`` (its first ``caption_end`` chars a caption)."""
    zones = [Zone(kind="caption", start=0, end=caption_end)] if caption_end else []
    article = Article(id="t", text=text, zones=zones)
    found = Found(article=article, repaired=repair(article), entities=entities)
    result = tags.extract(Doc(Vocab(), words=[]), found)
    assert result == found.tags
    return result


def _at(text: str, word: str, *, nth: int = 0) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return _mention(word, start)


# ---------------------------------------------------------------------------------- tag names


@pytest.mark.parametrize(
    ("entity", "expected"),
    [
        (
            _entity(
                "Organization for Security and Cooperation in Europe",
                "ORG",
                "Organization for Security and Cooperation in Europe",
                "OSCE",
                "OSCE",
            ),
            "OSCE",
        ),
        (
            _entity(
                "North Atlantic Treaty Organization", "ORG", "NATO", "North Atlantic Treaty Organization"
            ),
            "NATO",
        ),
        (_entity("NATO", "ORG", "NATO"), "NATO"),
        (_entity("Kremlin", "ORG", "Kremlin", "Kremlin"), "Kremlin"),
        (_entity("United Nations", "ORG", "United Nations", "U.N."), "United Nations"),
        # only organisations go by their acronym
        (_entity("United States", "GPE", "US", "United States"), "United States"),
        (_entity("Dmitry Peskov", "PERSON", "Dmitry Peskov", "PESKOV"), "Dmitry Peskov"),
    ],
)
def test_tag_name(entity: Entity, expected: str) -> None:
    assert _tag_name(entity) == expected


# ---------------------------------------------------------------------------------- ranking (no model)

BODY = (
    "Alpha met Beta in Gamma on Monday. Later Beta said the talks went well, and Beta flew home. "
    "The OSCE and the Organization for Security and Cooperation in Europe agreed."
)


def test_more_mentioned_actors_rank_first() -> None:
    alpha = Entity(id="e1", name="Anna Alpha", type="PERSON", mentions=[_at(BODY, "Alpha")])
    beta = Entity(
        id="e2", name="Boris Beta", type="PERSON", mentions=[_at(BODY, "Beta", nth=n) for n in range(3)]
    )
    gamma = Entity(id="e3", name="Gamma", type="GPE", mentions=[_at(BODY, "Gamma")])
    assert _tags(BODY, [alpha, beta, gamma]) == ["Boris Beta", "Anna Alpha", "Gamma"]


def test_tags_are_deduplicated_case_insensitively() -> None:
    osce_long = Entity(
        id="e1",
        name="Organization for Security and Cooperation in Europe",
        type="ORG",
        mentions=[_at(BODY, "Organization for Security and Cooperation in Europe"), _at(BODY, "OSCE")],
    )
    osce = Entity(id="e2", name="OSCE", type="ORG", mentions=[_at(BODY, "OSCE")])
    gamma = Entity(id="e3", name="Gamma", type="GPE", mentions=[_at(BODY, "Gamma")])
    gamma_lower = Entity(id="e4", name="gamma", type="LOC", mentions=[_at(BODY, "Gamma")])
    result = _tags(BODY, [osce_long, osce, gamma, gamma_lower])
    assert len(result) == 2
    assert result[0] == "OSCE"
    assert result[1].lower() == "gamma"


def test_tags_are_capped() -> None:
    text = " ".join(f"Place{n:02d} and Place{n:02d}." for n in range(MAX_TAGS + 5))
    entities = [
        Entity(
            id=f"e{n}",
            name=f"Place{n:02d}",
            type="GPE",
            mentions=[_at(text, f"Place{n:02d}", nth=k) for k in (0, 1)],
        )
        for n in range(MAX_TAGS + 5)
    ]
    result = _tags(text, entities)
    assert len(result) == MAX_TAGS
    assert result == [f"Place{n:02d}" for n in range(MAX_TAGS)]  # equal counts: earlier first


def test_caption_mentions_weigh_little() -> None:
    text = "Carla Caption speaks in Delta. (Photo by AFP)\nBoris Beta spoke. Beta left. Beta returned.\n"
    caption_end = text.index("\n")
    caption = Entity(
        id="e1",
        name="Carla Caption",
        type="PERSON",
        mentions=[_at(text, "Carla Caption")],
    )
    delta = Entity(id="e2", name="Delta", type="GPE", mentions=[_at(text, "Delta")])
    beta = Entity(
        id="e3", name="Boris Beta", type="PERSON", mentions=[_at(text, "Beta", nth=n) for n in range(3)]
    )
    result = _tags(text, [caption, delta, beta], caption_end=caption_end)
    assert result == ["Boris Beta"]


@pytest.mark.parametrize(
    ("type", "tagged"),
    [
        ("PERSON", True),
        ("ORG", True),
        ("GPE", True),
        ("LOC", True),
        ("EVENT", True),
        ("NORP", False),
        ("DATE", False),
    ],
)
def test_only_actors_places_and_events_are_tagged(type: str, tagged: bool) -> None:
    entity = Entity(id="e1", name="Alpha Alpha", type=type, mentions=[_at(BODY, "Alpha")])
    assert _tags(BODY, [entity]) == (["Alpha Alpha"] if tagged else [])


def test_an_entity_without_mentions_is_not_tagged() -> None:
    assert _tags(BODY, [Entity(id="e1", name="Anna Alpha", type="PERSON")]) == []


# ---------------------------------------------------------------------------------- in an analysis


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "first", "absent"),
    [
        (
            "Russia met the Organization for Security and Cooperation in Europe (OSCE) in Vienna "
            "on Thursday. The OSCE said the talks were useful.",
            "OSCE",
            {"Organization for Security and Cooperation in Europe"},
        ),
        (
            "The North Atlantic Treaty Organization (NATO) met in Brussels. The NATO talks ended early.",
            "NATO",
            {"North Atlantic Treaty Organization"},
        ),
    ],
)
def test_an_organisation_is_tagged_by_its_acronym(text: str, first: str, absent: set[str]) -> None:
    result = analyze(text)
    assert result.tags[0] == first
    assert not absent & set(result.tags)


@pytest.mark.slow
def test_an_entity_named_only_in_the_caption_does_not_outrank_the_body() -> None:
    text = (
        "NATO Secretary-General Jens Stoltenberg speaks in Berlin on Monday. (Photo by AFP)\n"
        "French President Emmanuel Macron arrived in Brussels on Tuesday.\n"
        "Macron met European leaders and said the summit would be hard.\n"
        "Emmanuel Macron later flew to Paris.\n"
    )
    result = analyze(text)
    assert result.metadata.photo_credit == "AFP"
    assert result.tags[0] == "Emmanuel Macron"
    for caption_only in ("Jens Stoltenberg", "Berlin", "AFP"):
        assert any(e.name == caption_only for e in result.entities)
        assert caption_only not in result.tags


@pytest.mark.slow
def test_tags_rank_the_most_mentioned_actor_first() -> None:
    text = (
        "German Chancellor Angela Merkel arrived in Paris on Monday. Merkel said the summit would be "
        "difficult. Diplomats in Brussels said Angela Merkel had asked for more time, and Merkel agreed."
    )
    result = analyze(text)
    assert result.tags[0] == "Angela Merkel"
    assert {"Paris", "Brussels"} <= set(result.tags)
    assert len(result.tags) == len({t.lower() for t in result.tags}) <= MAX_TAGS


# ---------------------------------------------------------------------------------- keyphrases (no model)


def _tagged_doc(spec: str) -> Doc:
    """A hand-tagged doc from ``word/POS/TAG[/lemma]`` items (spaces between items)."""
    words, pos, tag_names, lemmas = [], [], [], []
    for item in spec.split():
        word, upos, tag, *lemma = item.split("/")
        words.append(word)
        pos.append(upos)
        tag_names.append(tag)
        lemmas.append(lemma[0] if lemma else word.lower())
    return Doc(Vocab(), words=words, pos=pos, tags=tag_names, lemmas=lemmas)


def _found(doc: Doc) -> Found:
    article = Article(id="t", text=doc.text)
    return Found(article=article, repaired=repair(article))


def test_position_rank_favours_early_and_connected_words() -> None:
    words: list[tuple[str | None, float]] = [
        ("oil", 1.0),
        ("spill", 1 / 2),
        (None, 0.0),
        ("tanker", 1 / 4),
        ("oil", 1 / 5),
        ("spill", 1 / 6),
        (None, 0.0),
        ("weather", 1 / 8),
    ]
    scores = tags.position_rank(words, window=3)
    assert set(scores) == {"oil", "spill", "tanker", "weather"}
    assert sum(scores.values()) == pytest.approx(1.0)
    assert sorted(scores, key=lambda k: -scores[k])[:2] == ["spill", "oil"]
    assert scores["weather"] < scores["tanker"]  # late, and linked to one word only


@pytest.mark.parametrize(
    "words",
    [[], [(None, 0.0), (None, 0.0)]],
)
def test_position_rank_of_a_text_without_candidates_is_empty(words: list[tuple[str | None, float]]) -> None:
    assert tags.position_rank(words) == {}


def test_a_lone_word_gets_all_the_score() -> None:
    assert tags.position_rank([("oil", 1.0), (None, 0.0), ("oil", 0.5)]) == {"oil": pytest.approx(1.0)}


OIL_SPILL = (
    "The/DET/DT Exxon/PROPN/NNP Valdez/PROPN/NNP oil/NOUN/NN spill/NOUN/NN fouled/VERB/VBD "
    "the/DET/DT coast/NOUN/NN ./PUNCT/. Cleanup/NOUN/NN crews/NOUN/NNS/crew fought/VERB/VBD "
    "the/DET/DT largest/ADJ/JJS/large oil/NOUN/NN spill/NOUN/NN on/ADP/IN Monday/PROPN/NNP ./PUNCT/. "
    "Crude/ADJ/JJ/crude oil/NOUN/NN reached/VERB/VBD "
    "storm-related/ADJ/JJ damage/NOUN/NN sites/NOUN/NNS/site ./PUNCT/."
)


def test_keyphrases_are_noun_phrases_ranked_by_their_words() -> None:
    doc = _tagged_doc(OIL_SPILL)
    result = tags.keyphrases(doc, _found(doc))
    assert result[0] == "oil spill"  # "largest" does not open a phrase
    assert "crude oil" in result
    assert "storm-related damage sites" in result
    assert "Exxon Valdez oil spill" not in result  # longer than MAX_PHRASE_WORDS
    assert not any("largest" in k or "Monday" in k for k in result)
    assert len(result) == len({k.lower() for k in result})


def test_keyphrases_are_capped() -> None:
    doc = _tagged_doc(OIL_SPILL)
    assert len(tags.keyphrases(doc, _found(doc), limit=2)) == 2


@pytest.mark.parametrize(
    ("spec", "subject"),
    [
        ("security/NOUN/NN guarantees/NOUN/NNS/guarantee", True),
        ("eastward/ADJ/JJ expansion/NOUN/NN", True),
        ("deputy/NOUN/NN foreign/ADJ/JJ minister/NOUN/NN", False),  # a role
        ("talks/NOUN/NNS/talk result/NOUN/NN", False),  # a plural modifier: a misparse
        ("talks/NOUN/NNS/talk", False),  # one word
        ("optimism/NOUN/NN", False),
    ],
)
def test_subject_phrases(spec: str, subject: bool) -> None:
    doc = _tagged_doc(spec)
    assert tags._is_subject(list(doc)) is subject


# ---------------------------------------------------------------------------------- the TAGS line


@pytest.mark.parametrize(
    ("actors", "subjects", "expected"),
    [
        (["Russia", "NATO"], ["security guarantees"], ["Russia", "NATO", "security guarantees"]),
        (
            ["Russia", "NATO"],
            ["nato", "NATO's", "eastward expansion"],
            ["Russia", "NATO", "eastward expansion"],
        ),
        (["Russia", "russia", "NATO"], [], ["Russia", "NATO"]),
        (["NATO", "NATOs", "NATO’s"], [], ["NATO"]),
        ([f"A{n}" for n in range(MAX_TAGS)], ["b c"], [*(f"A{n}" for n in range(MAX_TAGS - 1)), "b c"]),
    ],
)
def test_merge_tags(actors: list[str], subjects: list[str], expected: list[str]) -> None:
    assert tags.merge_tags(actors, subjects) == expected


def test_merge_tags_keeps_a_few_subjects() -> None:
    subjects = [f"subject {n}" for n in range(10)]
    result = tags.merge_tags(["Russia"], subjects, limit=20, subject_limit=3)
    assert result == ["Russia", "subject 0", "subject 1", "subject 2"]


SCRAPED = "Caption of a photo. (Photo by AFP)\nBody text here.\nLINK: https://example.org/1\nTAGS:\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SCRAPED, SCRAPED.replace("TAGS:\n", "TAGS: Russia, NATO, security guarantees\n")),
        ("Body.\nTAGS:", "Body.\nTAGS: Russia, NATO, security guarantees"),
        ("Body.\r\nTags:   \r\n", "Body.\r\nTags: Russia, NATO, security guarantees\r\n"),
        ("TAGS:\nBody.\nTAGS:\n", "TAGS:\nBody.\nTAGS: Russia, NATO, security guarantees\n"),
        ("Body.\nTAGS: Ukraine, nato\n", "Body.\nTAGS: Ukraine, nato, Russia, security guarantees\n"),
        ("Body without a trailer.", "Body without a trailer.\nTAGS: Russia, NATO, security guarantees\n"),
        ("Body.\n", "Body.\nTAGS: Russia, NATO, security guarantees\n"),
    ],
)
def test_render_seed_fills_the_tags_line(text: str, expected: str) -> None:
    assert tags.render_seed(text, ["Russia", "NATO", "Russia", "security guarantees"]) == expected


def test_render_seed_without_tags_leaves_an_empty_line_as_it_is() -> None:
    assert tags.render_seed(SCRAPED, []) == SCRAPED


# ---------------------------------------------------------------------------------- the seed article


@pytest.mark.slow
def test_seed_tags_name_its_actors_places_and_subjects(seed_text: str) -> None:
    result = analyze(seed_text, published="2022-01-11")
    expected = {
        "Russia",
        "United States",
        "Ukraine",
        "NATO",
        "Dmitry Peskov",
        "Sergei Ryabkov",
        "Wendy Sherman",
        "Alexander Grushko",
        "Jens Stoltenberg",
        "Geneva",
        "OSCE",
    }
    assert expected <= set(result.tags)
    assert len(result.tags) <= MAX_TAGS
    assert len({t.lower() for t in result.tags}) == len(result.tags)
    assert "security guarantees" in result.tags
    for caption_only in ("Vladimir Putin", "Manezh", "AFP"):
        assert not any(caption_only in t for t in result.tags)
    assert result.keyphrases
    assert not any("press conference" in k for k in result.keyphrases[:10])  # the caption's


@pytest.mark.slow
def test_render_seed_fills_the_seed_trailer(seed_text: str) -> None:
    result = analyze(seed_text, published="2022-01-11")
    rendered = tags.render_seed(seed_text, result.tags)
    head, _, line = rendered.rstrip("\n").rpartition("\n")
    assert line == "TAGS: " + ", ".join(result.tags)
    assert rendered.startswith(head) and seed_text.startswith(head)


@pytest.mark.slow
def test_keyphrases_of_a_short_article() -> None:
    text = (
        "Hurricane Andrew hits Florida\n\n"
        "Hurricane Andrew struck the coast of Florida on Monday, causing widespread destruction. "
        "Insurance companies expect record insurance claims from the storm. "
        "Emergency relief reached Florida on Tuesday, and the hurricane moved on to Louisiana."
    )
    result = analyze(text)
    assert result.keyphrases[0] == "Hurricane Andrew"
    assert {"insurance companies", "emergency relief", "widespread destruction"} <= set(result.keyphrases)
    assert "Monday" not in result.keyphrases
