"""Tests of newsgraph.extract.topics: the IPTC vocabulary, the cue lexicon and the ranking.

Words given by hand need no spaCy; tests marked ``slow`` run a full analysis of short
articles written for these tests.
"""

from __future__ import annotations

import re

import pytest
import spacy
from spacy.tokens import Doc

from newsgraph import analyze
from newsgraph.extract import topics
from newsgraph.extract.topics import MediaTopic, classify, score_words, topic_evidence, vocabulary

TOP_LEVELS = {
    "medtop:01000000": "arts, culture, entertainment and media",
    "medtop:02000000": "crime, law and justice",
    "medtop:03000000": "disaster, accident and emergency incident",
    "medtop:04000000": "economy, business and finance",
    "medtop:05000000": "education",
    "medtop:06000000": "environment",
    "medtop:07000000": "health",
    "medtop:08000000": "human interest",
    "medtop:09000000": "labour",
    "medtop:10000000": "lifestyle and leisure",
    "medtop:11000000": "politics",
    "medtop:12000000": "religion",
    "medtop:13000000": "science and technology",
    "medtop:14000000": "society",
    "medtop:15000000": "sport",
    "medtop:16000000": "conflict, war and peace",
    "medtop:17000000": "weather",
}


def _words(text: str, weight: float = 1.0) -> list[tuple[str, str, float]]:
    """Words of ``text`` as (lemma, text, weight): a crude lemma (lower case, plural "s" off)."""
    words = []
    for word in re.findall(r"[\w'-]+", text):
        lemma = word.lower()
        if len(lemma) > 3 and lemma.endswith("s") and not lemma.endswith("ss"):
            lemma = lemma[:-1]
        words.append((lemma, word, weight))
    return words


# ---------------------------------------------------------------------------------- vocabulary


def test_the_vocabulary_holds_the_17_top_levels() -> None:
    tops = {code: t.label for code, t in vocabulary().items() if t.level == 1}
    assert tops == TOP_LEVELS
    for code, label in TOP_LEVELS.items():
        assert vocabulary()[code].top_level == label
        assert vocabulary()[code].parent is None


def test_every_top_level_has_children() -> None:
    children = {t.parent for t in vocabulary().values() if t.level == 2}
    assert children == set(TOP_LEVELS)


def test_codes_and_parents_are_well_formed() -> None:
    known = vocabulary()
    for code, topic in known.items():
        assert re.fullmatch(r"medtop:\d{8}", code)
        assert topic.code == code
        assert topic.label == topic.label.strip().lower() or topic.label[0].islower()
        if topic.parent is not None:
            parent = known[topic.parent]
            assert parent.level == topic.level - 1
            assert parent.top_level == topic.top_level


@pytest.mark.parametrize(
    ("code", "label", "parent"),
    [
        ("medtop:20000638", "international relations", "medtop:11000000"),
        ("medtop:20000639", "diplomacy", "medtop:20000638"),
        ("medtop:20000574", "election", "medtop:11000000"),
        ("medtop:20000056", "armed conflict", "medtop:16000000"),
        ("medtop:20000082", "crime", "medtop:02000000"),
        ("medtop:20000344", "economy", "medtop:04000000"),
        ("medtop:20000002", "arts and entertainment", "medtop:01000000"),
        ("medtop:20000756", "technology and engineering", "medtop:13000000"),
    ],
)
def test_known_topics(code: str, label: str, parent: str) -> None:
    topic = vocabulary()[code]
    assert (topic.label, topic.parent) == (label, parent)


def test_every_lexicon_topic_is_in_the_vocabulary() -> None:
    # loading the lexicon checks each code; every top level has cue terms
    evidence_codes = set()
    for code in TOP_LEVELS:
        label_words = _words(TOP_LEVELS[code].replace(",", " "))
        evidence_codes |= {_top(c) for c in topic_evidence(label_words)}
    assert evidence_codes >= set(TOP_LEVELS) - {"medtop:08000000"}  # "human interest" has no cue of its own


def _top(code: str) -> str:
    known = vocabulary()
    while (parent := known[code].parent) is not None:
        code = parent
    return code


# ---------------------------------------------------------------------------------- evidence and ranking


def test_terms_match_longest_first() -> None:
    evidence = topic_evidence(_words("the interest rate"))
    assert set(evidence) == {"medtop:20000344"}  # not "interest" or "rate" alone


def test_a_repeated_word_counts_less_and_less() -> None:
    once = topic_evidence(_words("striker"))["medtop:15000000"]
    many = topic_evidence(_words("striker " * 10))["medtop:15000000"]
    assert once < many < 4 * once


def test_capitalised_terms_match_names_only() -> None:
    assert "medtop:11000000" in topic_evidence(_words("Labour MPs voted"))
    assert "medtop:11000000" not in topic_evidence(_words("labour"))


@pytest.mark.parametrize(
    "text",
    [
        "Games firm hires actors. The games developer is casting for its next console game.",
        "Cable firm offers a personal video recorder and video on demand to its subscribers.",
        "A humanoid robot built by engineers in Tokyo can now run and climb stairs.",
    ],
)
def test_games_digital_video_and_robots_are_technology(text: str) -> None:
    assert score_words(_words(text))[0].top_level == "science and technology"


def test_title_words_count_more() -> None:
    body = topic_evidence(_words("election"))
    title = topic_evidence(_words("election", weight=2.0))
    assert title["medtop:20000574"] > body["medtop:20000574"]


def test_no_evidence_no_topics() -> None:
    assert score_words(_words("It was said to be so, and then it was.")) == []
    assert classify({}) == []


def test_evidence_adds_up_to_the_parents() -> None:
    result = classify({"medtop:20000639": 4.0, "medtop:20000056": 1.0})
    assert [t.label for t in result][:3] == ["politics", "international relations", "diplomacy"]
    assert result[0].score >= result[1].score >= result[2].score
    assert all(t.top_level == "politics" for t in result[:3])
    conflict = next(t for t in result if t.code == "medtop:16000000")
    assert conflict.score < result[0].score


def test_the_best_top_level_leads() -> None:
    result = classify({"medtop:20000574": 3.0, "medtop:20000593": 3.0, "medtop:20000385": 5.0})
    assert result[0].label == "politics"
    assert result[0].score > max(t.score for t in result[1:])


def test_scores_grow_with_the_evidence() -> None:
    weak = classify({"medtop:20000574": 2.0})[0].score
    strong = classify({"medtop:20000574": 20.0})[0].score
    assert 0 < weak < strong < 1


@pytest.mark.parametrize(
    ("text", "top_level"),
    [
        ("The striker scored twice as the champions won the league match", "sport"),
        (
            "Shares fell on Wall Street as investors worried about inflation and interest rates",
            "economy, business and finance",
        ),
        ("The prime minister faces a vote in parliament after MPs rejected the bill", "politics"),
        (
            "The actress won an Oscar for her role in the film at the box office",
            "arts, culture, entertainment and media",
        ),
        ("Users can download the software to their mobile phone over broadband", "science and technology"),
        ("Troops and rebels clashed as the army shelled the town", "conflict, war and peace"),
        (
            "The earthquake destroyed villages and rescuers searched the rubble",
            "disaster, accident and emergency incident",
        ),
        ("Police arrested a suspect after the murder and robbery", "crime, law and justice"),
        ("Doctors warned that the virus outbreak could spread to hospital patients", "health"),
        ("Greenhouse gas emissions drive climate change and global warming", "environment"),
    ],
)
def test_short_texts(text: str, top_level: str) -> None:
    result = score_words(_words(text))
    assert result[0].top_level == top_level
    assert result[0].label == top_level  # a top level comes first


def test_a_name_matches_only_terms_as_written() -> None:
    # an empty lemma marks a word of a person's name or a date: "Gardener", "March"
    assert topic_evidence([("", "Gardener", 1.0), ("", "March", 1.0)]) == {}
    assert topic_evidence([("", "NASA", 1.0)])
    assert topic_evidence(_words("gardener march"))


def test_an_idiom_cues_nothing() -> None:
    assert topic_evidence(_words("according to")) == {}
    assert topic_evidence(_words("in a row")) == {}
    assert topic_evidence(_words("accord"))


def test_criticism_is_no_fire() -> None:
    assert topic_evidence(_words("the minister came under fire")) == topic_evidence(_words("the minister"))
    assert "medtop:20000139" in topic_evidence(_words("the hotel caught fire"))


@pytest.mark.parametrize(
    ("text", "top_level"),
    [
        # economic statistics are economy, whatever they count (jobs, claims, payrolls)
        (
            "Jobless claims fell last week and the unemployment rate dropped, the Labor Department said",
            "economy, business and finance",
        ),
        ("Shares in the carmaker rose after tech stocks rallied", "economy, business and finance"),
        # sport of other leagues: their words and their teams' names
        ("The Red Sox scored three runs in the ninth inning to beat the Yankees", "sport"),
        ("The goalie stopped 30 shots as the Bruins won in overtime", "sport"),
        ("He made four birdies on the back nine to lead the Masters", "sport"),
        # fire and crashes are accidents, people in them a side theme
        ("Fire kills five children as a house fire spreads", "disaster, accident and emergency incident"),
        ("Gunman shot and killed three people in a mass shooting", "crime, law and justice"),
    ],
)
def test_wire_vocabulary(text: str, top_level: str) -> None:
    assert score_words(_words(text))[0].top_level == top_level


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("He scored a hat-trick", "medtop:15000000"),  # "hat", "-", "trick" to the parser
        ("The painting sold at Sotheby's", "medtop:01000000"),  # "Sotheby", "'s"
        ("Operators launch 3G phones", "medtop:20000756"),  # "3", "G"
        ("Cases of COVID-19 rose", "medtop:20000446"),  # one token
    ],
)
def test_terms_match_as_the_parser_splits_words(text: str, code: str) -> None:
    words = [(t.lower_, t.text, 1.0) for t in _doc(text) if not t.is_punct]
    assert code in topic_evidence(words)


@pytest.mark.parametrize(
    ("word", "pieces"),
    [
        ("hat-trick", ["hat", "trick"]),
        ("3-1", ["3", "1"]),
        ("COVID-19", ["COVID-19"]),  # a hyphen before a digit stays
        ("-ish", ["-ish"]),
    ],
)
def test_words_given_whole_split_as_the_parser_splits_them(word: str, pieces: list[str]) -> None:
    assert [text for _, text, _ in topics._hyphenated([(word.lower(), word, 1.0)])] == pieces


def _doc(text: str) -> Doc:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(text)


@pytest.mark.parametrize(
    ("text", "firsts"),
    [
        ("Spurs beat Chelsea 3-1 and drew 2-2 at home", ["3", "2"]),
        ("The Patriots won 24-17 on Sunday", ["24"]),
        ("The festival runs from 10-12 June for people aged 30-39", []),  # ranges: smaller first
        ("Prices rose 60-50 % in a year", []),  # a share, not a result
    ],
)
def test_score_lines(text: str, firsts: list[str]) -> None:
    assert [t.text for t in topics._score_lines(list(_doc(text)))] == firsts


def test_results_are_sport_evidence() -> None:
    doc = _doc("They won 3-1 and 2-0")
    evidence = topics.parsed_evidence(doc, (), lambda t: 1.0, lambda e: 1.0)
    assert set(evidence) == {"medtop:15000000"} | set(topic_evidence(_words("They won and")))


@pytest.mark.parametrize(
    ("text", "lead"),
    [
        ("Rebels take town.\n\nRebels took it on Sunday. They held it.", "Rebels took it on Sunday."),
        ("Rebels take town\n\nRebels took it on Sunday. They held it.", "Rebels took it on Sunday."),
        ("Rebels took the town on Sunday. They held it.", "Rebels took the town on Sunday."),
        ("Rebels take town\nRebels took it on Sunday. They held it.", "Rebels took it on Sunday."),
        # the first line of hard-wrapped prose is no headline
        ("Rebels took the town\nof Kas on Sunday. They held it.", "Rebels took the town\nof Kas on Sunday."),
        ("", ""),
    ],
)
def test_the_lead_is_the_first_sentence_after_a_headline(text: str, lead: str) -> None:
    start, end = topics.lead_sentence(_doc(text))
    assert text[start:end] == lead


def test_money_is_business_evidence() -> None:
    evidence = topics.entity_evidence([("MONEY", 1.0), ("MONEY", 1.0), ("PERSON", 1.0)])
    assert set(evidence) == {"medtop:04000000"}
    assert topics.entity_evidence([("MONEY", 1.0)])["medtop:04000000"] < evidence["medtop:04000000"]


def test_side_themes_yield_to_the_main_story() -> None:
    # a minister's school plan is politics first; its schools are a side theme
    result = score_words(_words("The minister told parliament the government would give schools more money"))
    assert result[0].label == "politics"
    assert "education" in {t.top_level for t in result}


def test_media_topic_is_a_record() -> None:
    topic = vocabulary()["medtop:11000000"]
    assert isinstance(topic, MediaTopic)
    assert (topic.label, topic.level, topic.top_level) == ("politics", 1, "politics")


def test_at_most_max_topics() -> None:
    evidence = {code: 1.0 for code, t in vocabulary().items() if t.level == 2}
    assert len(classify(evidence)) <= topics.MAX_TOPICS


# ---------------------------------------------------------------------------------- in an analysis

SHORT_ARTICLES = [
    (
        "Rebels seize border town\n\nInsurgents captured a town near the border after days of fighting "
        "with government troops, officials said on Sunday.",
        {"conflict, war and peace"},
    ),
    (
        "Bank raises interest rates\n\nThe central bank raised interest rates by a quarter point to curb "
        "inflation, its third rise this year.",
        {"economy, business and finance"},
    ),
    (
        "Champion cruises into semi-finals\n\nThe defending champion beat the eighth seed in straight sets "
        "to reach the semi-finals of the tournament.",
        {"sport"},
    ),
    (
        "Spacecraft reaches Mars orbit\n\nThe spacecraft entered orbit around Mars after a seven-month "
        "journey, mission scientists said.",
        {"science and technology"},
    ),
    (
        "Opposition wins parliamentary vote\n\nThe opposition party won a majority of seats in Sunday's "
        "parliamentary election, according to preliminary results.",
        {"politics"},
    ),
    (
        "Band tops the charts\n\nThe band's new album went straight to number one in the album chart, "
        "and the singer announced a world tour.",
        {"arts, culture, entertainment and media"},
    ),
    # wire stories of a headline and a sentence; names and metaphors must not lead astray
    (
        "Gardener Storms to 60m Title\n\nJason Gardener stormed to victory in the 60 metres on Sunday, "
        "beating the European champion by a tenth of a second.",
        {"sport"},
    ),
    (
        "Rupee Hits Five-Year High\n\nThe rupee hit its highest level in five years against the dollar on "
        "Thursday after the central bank left rates unchanged.",
        {"economy, business and finance"},
    ),
    (
        "Chipmaker Posts Record Quarter\n\nThe chipmaker said on Tuesday that it earned $1.2 billion in the "
        "quarter as demand for its processors grew.",
        {"economy, business and finance", "science and technology"},
    ),
    (
        "Rebels Shell Northern City\n\nRebel fighters shelled the northern city overnight, killing at least "
        "twelve people, according to the provincial governor.",
        {"conflict, war and peace"},
    ),
    (
        "Parliament Backs Reform Plan in March Vote\n\nLawmakers voted 210 to 95 on Tuesday to back the "
        "prime minister's plan to reform the civil service.",
        {"politics"},
    ),
    # the lead says what the story is about; a headline's people and places are a side theme
    (
        "Fire kills five in apartment block\n\nA fire swept through an apartment block on the edge of "
        "the city overnight, killing five people, including three children, firefighters said.",
        {"disaster, accident and emergency incident"},
    ),
    (
        "Cardinals top Cubs\n\nAlbert Pujols homered twice and drove in four runs as St. Louis beat "
        "Chicago 7-3 on Friday night.",
        {"sport"},
    ),
    (
        "Hiring slows as jobless claims rise\n\nEmployers added fewer jobs than forecast last month and "
        "new claims for jobless benefits rose, government figures showed on Friday.",
        {"economy, business and finance"},
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "expected"), SHORT_ARTICLES)
def test_short_articles(text: str, expected: set[str]) -> None:
    result = analyze(text)
    assert result.topics
    assert result.topics[0].top_level in expected


@pytest.mark.slow
def test_seed_topics_are_diplomacy_under_politics(seed_text: str) -> None:
    result = analyze(seed_text, published="2022-01-11")
    labels = [t.label for t in result.topics]
    assert result.topics[0].label == "politics"
    assert {"international relations", "diplomacy"} <= set(labels)
    diplomacy = next(t for t in result.topics if t.label == "diplomacy")
    assert diplomacy.code == "medtop:20000639"
    assert diplomacy.top_level == "politics"


@pytest.mark.slow
def test_a_month_in_a_dateline_is_no_march() -> None:
    text = (
        "Sunday, March 1, 2020\n\n"
        "The astronomer Maria Lopez died on Friday in Madrid at the age of 85. "
        "She discovered three comets and taught physics for forty years.\n"
    )
    labels = [t.label for t in analyze(text, published="2020-03-01").topics]
    assert "civil unrest" not in labels
