"""Tests of newsgraph.extract.dates: finding and resolving date expressions.

The finder and the resolver are pure functions (no spaCy); the tense of a clause and the whole
stage are tested on short texts with the model (marked slow), and on the seed article.
"""

from __future__ import annotations

from datetime import date

import pytest

from newsgraph.extract.dates import (
    DateExpression,
    find_expressions,
    month_date,
    month_day_date,
    parse_date,
    resolve,
    weekday_date,
)

TUESDAY = date(2022, 1, 11)  # the seed article's publication day


def _one(text: str) -> DateExpression:
    found = find_expressions(text)
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------------------------- finding


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on December 23, 2021.", "December 23, 2021"),
        ("on 23 December 2021,", "23 December 2021"),
        ("on the 23rd of December 2021,", "the 23rd of December 2021"),
        ("dated 2021-12-23 in the file", "2021-12-23"),
        ("on Wednesday, April 4, 2018, in Mexico", "Wednesday, April 4, 2018"),
        ("on Dec. 23 at noon", "Dec. 23"),
        ("by 23 Dec the talks", "23 Dec"),
        ("in December 2021 they met", "December 2021"),
        ("talks on Monday ended", "Monday"),
        ("the Monday talks", "Monday"),
        ("last Friday they met", "last Friday"),
        ("this week with NATO", "this week"),
        ("Last month, the government", "Last month"),
        ("earlier this month the", "earlier this month"),
        ("came a day after the talks", "a day after"),
        ("three days ago in Kyiv", "three days ago"),
        ("said yesterday that", "yesterday"),
        ("the next day he left", "the next day"),
        ("on Saturday, April 27: the parade", "Saturday, April 27"),
        ("birds come back the next year", "the next year"),  # counts from the story's last date
        ("in 2017 the plant", "2017"),
        ("in March the plant", "March"),
        ("on 13/01/2022 at", "13/01/2022"),
    ],
)
def test_find_expressions(text: str, expected: str) -> None:
    assert _one(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Officials may meet soon.",  # "may" is a verb
        "The March for Our Lives was big.",  # a month name with no cue word
        "He scored 2017 points.",  # a number, not a year
        "They meet on Mondays.",  # a habit, not a day
        "It took more than seven hours.",  # a duration
    ],
)
def test_no_expression(text: str) -> None:
    assert find_expressions(text) == []


def test_expressions_are_in_text_order_and_never_overlap() -> None:
    text = "On Monday, December 20, 2021, and last month, and on Tuesday."
    found = find_expressions(text)
    assert [e.text for e in found] == ["Monday, December 20, 2021", "last month", "Tuesday"]
    assert all(text[e.start : e.end] == e.text for e in found)


# ---------------------------------------------------------------------------------- resolving


@pytest.mark.parametrize(
    ("weekday", "tense", "rel", "expected"),
    [
        (0, None, None, date(2022, 1, 10)),  # "the Monday talks": the last Monday
        (0, "past", None, date(2022, 1, 10)),
        (1, "past", None, date(2022, 1, 11)),  # "said on Tuesday": the publication day itself
        (1, None, None, date(2022, 1, 11)),
        (2, "future", None, date(2022, 1, 12)),  # "is due to hold ... on Wednesday"
        (3, "future", None, date(2022, 1, 13)),
        (4, "past", None, date(2022, 1, 7)),
        (0, "future", None, date(2022, 1, 17)),  # "will meet on Monday": the coming one
        (1, None, "last", date(2022, 1, 4)),  # "last Tuesday" is never today
        (1, None, "next", date(2022, 1, 18)),
        (4, None, "this", date(2022, 1, 14)),  # "this Friday": the Friday of the anchor's week
        (0, "past", "this", date(2022, 1, 10)),
        (6, "past", "this", date(2022, 1, 9)),  # "This Sunday, he crossed the Channel"
    ],
)
def test_weekday_date(weekday: int, tense: str | None, rel: str | None, expected: date) -> None:
    assert weekday_date(weekday, TUESDAY, tense, rel) == expected


@pytest.mark.parametrize(
    ("month", "day", "tense", "expected"),
    [
        (12, 23, None, date(2021, 12, 23)),  # nearest to 11 January 2022
        (1, 5, None, date(2022, 1, 5)),
        (1, 20, None, date(2022, 1, 20)),
        (1, 20, "past", date(2022, 1, 20)),  # a year back is too far for a tense to reach
        (5, 13, "past", date(2021, 5, 13)),  # "were suspended by May 13", said in January
        (12, 23, "future", date(2021, 12, 23)),
        (7, 20, None, date(2021, 7, 20)),  # 175 days back is nearer than 190 ahead
        (7, 20, "future", date(2022, 7, 20)),  # "will open on July 20"
        (2, 30, None, None),
    ],
)
def test_month_day_date(month: int, day: int, tense: str | None, expected: date | None) -> None:
    assert month_day_date(month, day, TUESDAY, tense) == expected


@pytest.mark.parametrize(
    ("month", "tense", "rel", "expected"),
    [
        (3, None, None, "2021-03"),  # "in March", said in January: the last March
        (3, "future", None, "2022-03"),
        (1, None, None, "2022-01"),
        (1, None, "last", "2021-01"),
        (1, None, "next", "2023-01"),
        (12, None, "next", "2022-12"),
    ],
)
def test_month_date(month: int, tense: str | None, rel: str | None, expected: str) -> None:
    assert month_date(month, TUESDAY, tense, rel) == expected


@pytest.mark.parametrize(
    ("text", "expected", "granularity"),
    [
        ("on December 23, 2021", "2021-12-23", "day"),
        ("on 23 December 2021", "2021-12-23", "day"),
        ("on 2021-12-23", "2021-12-23", "day"),
        ("on Dec. 23", "2021-12-23", "day"),
        ("on 13/01/2022", "2022-01-13", "day"),
        ("on 03/04/2022", None, "day"),  # March or April?
        ("in December 2021", "2021-12", "month"),
        ("in 2017", "2017", "year"),
        ("today", "2022-01-11", "day"),
        ("yesterday", "2022-01-10", "day"),
        ("last night", "2022-01-10", "day"),
        ("tomorrow", "2022-01-12", "day"),
        ("this week", "2022-01-10", "week"),
        ("last week", "2022-01-03", "week"),
        ("next week", "2022-01-17", "week"),
        ("Last month", "2021-12", "month"),
        ("earlier this month", "2022-01", "month"),
        ("next month", "2022-02", "month"),
        ("last year", "2021", "year"),
        ("this year", "2022", "year"),
        ("three days ago", "2022-01-08", "day"),
        ("two weeks ago", "2021-12-27", "week"),
        ("a year ago", "2021", "year"),
        ("in March", "2021-03", "month"),
        ("last Friday", "2022-01-07", "day"),
        ("next Friday", "2022-01-14", "day"),
    ],
)
def test_resolve(text: str, expected: str | None, granularity: str) -> None:
    resolved = resolve(_one(text), TUESDAY)
    assert (resolved.date, resolved.granularity) == (expected, granularity)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a day after", "2022-01-11"),
        ("the next day", "2022-01-11"),
        ("the day before", "2022-01-09"),
        ("two days later", "2022-01-12"),
        ("a day earlier", "2022-01-09"),
        ("that night", "2022-01-10"),
        ("on the same day", "2022-01-10"),
    ],
)
def test_a_day_after_counts_from_the_last_date_named(text: str, expected: str) -> None:
    assert resolve(_one(text), TUESDAY, previous_day=date(2022, 1, 10)).date == expected


def test_years_later_count_from_the_last_year_named() -> None:
    later = resolve(_one("returned three years later"), TUESDAY, previous_day=TUESDAY, previous="2011")
    assert (later.date, later.granularity) == ("2014", "year")
    assert resolve(_one("the following year"), TUESDAY, previous="2011").date == "2012"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on December 23, 2021", "2021-12-23"),  # explicit dates resolve without an anchor
        ("in December 2021", "2021-12"),
        ("in 2017", "2017"),
        ("on Monday", None),  # relative ones keep a null date rather than guess
        ("Last month", None),
        ("on Dec. 23", None),  # no year
        ("yesterday", None),
        ("a day after", None),
    ],
)
def test_without_a_publication_date(text: str, expected: str | None) -> None:
    assert resolve(_one(text), None).date == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-11", date(2022, 1, 11)),
        ("2022-01-11T10:00:00Z", date(2022, 1, 11)),
        (None, None),
        ("soon", None),
    ],
)
def test_parse_date(value: str | None, expected: date | None) -> None:
    assert parse_date(value) == expected


# ---------------------------------------------------------------------------------- in an analysis


def _dates(text: str, published: str | None = "2022-01-11") -> dict[str, str | None]:
    from newsgraph import nlp as nlp_module
    from newsgraph.extract import dates
    from newsgraph.extract.base import Found
    from newsgraph.pipeline import to_article
    from newsgraph.repair import repair

    article = to_article({"id": "t", "text": text, **({"published": published} if published else {})})
    repaired = repair(article)
    doc = nlp_module.load(None)(repaired.text)
    found = Found(article=article, repaired=repaired)
    mentions = dates.extract(doc, found)
    for m in mentions:
        assert repaired.text[m.start : m.end] == m.text  # offsets index the parsed text
    return {m.text: m.date for m in mentions}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The ministers held talks on Monday.", {"Monday": "2022-01-10"}),
        ("The ministers will hold talks on Wednesday.", {"Wednesday": "2022-01-12"}),
        ("Russia is due to hold talks with NATO in Brussels on Wednesday.", {"Wednesday": "2022-01-12"}),
        ("The minister is to visit Paris on Thursday.", {"Thursday": "2022-01-13"}),
        ("The airport was to open on Friday, but the fire closed it.", {"Friday": "2022-01-07"}),
        ("The union plans to strike on Friday.", {"Friday": "2022-01-14"}),
        ("The leaders are meeting in Rome on Thursday.", {"Thursday": "2022-01-13"}),
        ("The storm is forecast to reach the coast late on Monday.", {"Monday": "2022-01-17"}),
        ("A debate scheduled for January 20 was cancelled.", {"January 20": "2022-01-20"}),
        ("She said on Friday that the talks had failed.", {"Friday": "2022-01-07"}),
        ("He said the talks would resume on Thursday.", {"Thursday": "2022-01-13"}),
        ("Speaking at a briefing on Tuesday, he described the Monday talks as positive.",
         {"Tuesday": "2022-01-11", "Monday": "2022-01-10"}),
    ],
)  # fmt: skip
def test_weekdays_take_the_tense_of_their_clause(text: str, expected: dict[str, str]) -> None:
    assert _dates(text) == expected


@pytest.mark.slow
def test_without_a_publication_date_relative_dates_keep_their_text() -> None:
    got = _dates("Talks were held on Monday, and on December 23, 2021 before that.", published=None)
    assert got == {"Monday": None, "December 23, 2021": "2021-12-23"}


@pytest.mark.slow
def test_the_seed_article_dates(seed_text: str) -> None:
    text = seed_text
    from newsgraph import nlp as nlp_module
    from newsgraph.extract import dates
    from newsgraph.extract.base import Found
    from newsgraph.pipeline import to_article
    from newsgraph.repair import repair

    article = to_article({"id": "seed", "text": text, "published": "2022-01-11"})
    repaired = repair(article)
    found = Found(article=article, repaired=repaired)
    mentions = dates.extract(nlp_module.load(None)(repaired.text), found)

    def at(before: str, word: str) -> tuple[str | None, str]:
        start = repaired.text.index(before) + before.index(word)
        m = next(m for m in mentions if m.start == start)
        return m.date, m.granularity

    assert at("the Monday talks", "Monday") == ("2022-01-10", "day")
    assert at("Moscow on Tuesday", "Tuesday") == ("2022-01-11", "day")
    assert at("in Brussels on Wednesday", "Wednesday") == ("2022-01-12", "day")
    assert at("in Vienna on Thursday", "Thursday") == ("2022-01-13", "day")
    assert at("on December 23, 2021", "December 23, 2021") == ("2021-12-23", "day")
    assert at("Last month", "Last month") == ("2021-12", "month")
    assert at("talks this week", "this week") == ("2022-01-10", "week")
