"""Tests of newsgraph.repair: what is repaired, what is left, and the map back to the input.

All texts are written here, apart from the seed article the repo ships. No spaCy.
"""

from __future__ import annotations

import random
import re

import pytest

from newsgraph.readers import parse_scraped
from newsgraph.repair import Repaired, repair

DIRTY = (
    "Kremlin\u00a0spokesman Dmitry  Peskov said \u201cno\u201d to Vladimir Putins\u2009critics.\r\n"
    "\u201eWe\u2019re ready,\u201c he added, \u00abfor\u00bb more   talks\u200b on NATOs\teastward plans.\r\n"
    "Pes\u200bkov\u00ad spoke after NATO met; Russias deputy foreign minister agreed\ufeff.\r\n"
    "LINK: https://www.example.com/a\r\n"
    "TAGS: Russia, NATO\r\n"
)

SEED_LIKE = (
    "Kremlin spokesman Dmitry Peskov moderates Russian President Vladimir Putins annual press "
    "conference in Moscow.\n"
    "Peskov said the talks were useful. Peskovs remarks came after the talks on NATOs eastward "
    "expansion and Ukraines potential membership in NATO.\n"
    "Alexander Grushko, Russias deputy foreign minister, said they would understand where they are "
    "with the Americans.\n"
    "Democrats said the Israelis were not at the United Nations General Assembly.\n"
    "LINK: https://www.example.com/a\n"
    "TAGS:"
)

# Quote marks of one kind may be normalised to another mark of the same kind (how far is the
# repair's choice: straight, or curly kept), odd spaces become plain ones, some characters go.
DOUBLE_MARKS = '"\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u02ba'
SINGLE_MARKS = "'\u2018\u2019\u201a\u201b\u2032"
ODD_SPACES = "\u00a0\u2002\u2003\u2007\u2009\u202f\u3000\t"
DROPPED = "\u200b\u200c\u200d\ufeff\u00ad\r"


def kind(char: str) -> str:
    """A character as far as repair may change it."""
    if char in DOUBLE_MARKS:
        return '"'
    if char in SINGLE_MARKS:
        return "'"
    return " " if char in ODD_SPACES else char


def fix(text: str) -> Repaired:
    return repair(parse_scraped(text, id="t"))


def canon(text: str) -> str:
    """Text as the parser would see it, less apostrophes: what a span and its image share."""
    text = "".join(kind(c) for c in text if c not in DROPPED)
    return re.sub(" +", " ", text.replace("'", ""))


# ---------------------------------------------------------------------------------- possessives


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("Russian President Vladimir Putins annual press conference.", "Putin"),
        ("Peskov said no. Peskovs remarks came a day later.", "Peskov"),
        ("NATO met on Monday. The talks were about NATOs eastward expansion.", "NATO"),
        ("Alexander Grushko, Russias deputy foreign minister, said so.", "Russia"),
        ("Officials discussed Ukraines potential membership.", "Ukraine"),
    ],
)
def test_lost_possessive_is_repaired(text: str, bare: str) -> None:
    assert fix(text).text == text.replace(f"{bare}s ", f"{bare}'s ")


@pytest.mark.parametrize(
    "text",
    [
        "It is impossible to say where we are with the Americans.",
        "Democrats said they would vote against the bill.",
        "Israelis were told to stay at home.",
        "Republicans want a vote on Tuesday.",
        "The talks at the United Nations General Assembly ended.",
        "Talks on NATOs eastward expansion.",  # NATO is not named elsewhere: no evidence
        "Officials met in Athens and Paris on Monday.",
    ],
)
def test_real_plurals_and_names_in_s_stay(text: str) -> None:
    assert fix(text).text == text


# ---------------------------------------------------------------------------------- characters


@pytest.mark.parametrize(
    "text",
    [
        "He said \u201cno\u201d and \u2018yes\u2019.",
        "Putin\u2019s annual press conference.",
        "\u201eJa\u201c, \u00abnon\u00bb, \u201aja\u2018 and \u201fodd\u201d \u201bodd\u2019.",
        "A 5\u2032 6\u2033 man said \u02bano\u02ba.",
    ],
)
def test_quote_marks_keep_their_kind_and_their_place(text: str) -> None:
    result = fix(text)
    assert len(result.text) == len(text)
    assert [kind(char) for char in result.text] == [kind(char) for char in text]
    assert all(result.to_original(i) == i for i in range(len(text)))
    assert not set(result.text) & set("\u201f\u201b\u2032\u2033")  # look-alikes are normalised


def test_odd_spaces_become_plain_with_the_same_length() -> None:
    text = "Talks\u00a0ended\u2009on\u202fMonday\tin\u2002Geneva\u2003and\u2007Bern\u3000today."
    result = fix(text)
    assert result.text == "Talks ended on Monday in Geneva and Bern today."
    assert all(result.to_original(i) == i for i in range(len(text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pes\u200bkov and\u200c Ryab\u200dkov\ufeff met.", "Peskov and Ryabkov met."),
        ("nego\u00adtiations", "negotiations"),
        ("One line.\r\nAnother line.\r\n", "One line.\nAnother line.\n"),
        ("Talks    ended   today.", "Talks ended today."),
    ],
)
def test_invisible_characters_are_dropped_and_space_runs_shrink(text: str, expected: str) -> None:
    assert fix(text).text == expected


def test_the_trailer_is_not_parsed(seed_text: str) -> None:
    result = fix(SEED_LIKE)
    assert "LINK" not in result.text and "TAGS" not in result.text and "example.com" not in result.text
    assert result.text.endswith("General Assembly.\n")
    assert result.original == SEED_LIKE

    whole_seed = fix(seed_text)
    assert "LINK:" not in whole_seed.text and "TAGS:" not in whole_seed.text
    assert whole_seed.text.rstrip().endswith("offered to take certain measures in exchange.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a mark glued to the word outside it gets a space on that side
        ("He said,\u201cLook at it,\u201dand left.", "He said, \u201cLook at it,\u201d and left."),
        ("The word\u201cfree\u201d is wrong.", "The word \u201cfree\u201d is wrong."),
        # straight marks: the paragraph's first opens, the second closes
        ('Jones said,"No, it is not,"adding more.', 'Jones said, "No, it is not," adding more.'),
        ('"It is over,"said Smith.\nLee said:"Yes."', '"It is over," said Smith.\nLee said: "Yes."'),
        # marks with their spaces, and inch marks, stay as they are
        ("He said, \u201cyes.\u201d Then he left.", "He said, \u201cyes.\u201d Then he left."),
        ('A 15" screen and a 12" one.', 'A 15" screen and a 12" one.'),
    ],
)
def test_a_glued_quote_mark_is_spaced(text: str, expected: str) -> None:
    result = fix(text)
    assert result.text == expected
    quote = expected.index("\u201c") if "\u201c" in expected else expected.index('"')
    assert text[result.to_original(quote)] == expected[quote]  # the mark maps to itself


def test_text_without_anything_to_repair_is_unchanged() -> None:
    text = "The talks ended on Monday.\nOfficials said more rounds would follow.\n"
    result = fix(text)
    assert result.text == text
    assert result.span(4, 9) == (4, 9)
    assert result.span(3, 3) == (3, 3)


# ---------------------------------------------------------------------------------- the map back


def inserted_apostrophes(result: Repaired) -> set[int]:
    """Indices of the parsed text whose character is a repaired possessive's apostrophe."""
    return {
        i
        for i, char in enumerate(result.text)
        if char == "'" and result.original[result.to_original(i)] == "s" and result.text[i + 1 : i + 2] == "s"
    }


@pytest.mark.parametrize("name", ["dirty", "seed_like", "seed"])
def test_every_character_maps_back_to_itself(name: str, seed_text: str) -> None:
    text = {"dirty": DIRTY, "seed_like": SEED_LIKE, "seed": seed_text}[name]
    result = fix(text)
    inserted = inserted_apostrophes(result)
    assert inserted  # every text here has a lost possessive
    previous = -1
    for i, char in enumerate(result.text):
        j = result.to_original(i)
        assert 0 <= j < len(text)
        if i in inserted:
            assert j == previous + 1  # the apostrophe sits where the "s" is
            continue
        assert j > previous, f"map not increasing at {i}"
        assert kind(text[j]) == kind(char), f"text[{i}]={char!r} maps to {text[j]!r}"
        previous = j


@pytest.mark.parametrize("name", ["dirty", "seed_like", "seed"])
def test_spans_map_back_to_the_same_text(name: str, seed_text: str) -> None:
    text = {"dirty": DIRTY, "seed_like": SEED_LIKE, "seed": seed_text}[name]
    result = fix(text)
    inserted = inserted_apostrophes(result)

    # every word of the parsed text is found, unchanged, at its mapped span
    for match in re.finditer(r"\w+", result.text):
        start, end = result.span(match.start(), match.end())
        assert canon(text[start:end]) == match[0]
        if name != "dirty":  # no invisible characters inside words
            assert text[start:end] == match[0]

    # and so is any span, up to the repairs made inside it
    rng = random.Random(0)
    size = len(result.text)
    spans = [(a, a) for a in range(0, size, 7)]
    spans += [tuple(sorted(rng.sample(range(size + 1), 2))) for _ in range(400)]
    spans += [(a, a + n) for a in range(size) for n in (1, 2, 5) if a + n <= size]
    for a, b in spans:
        start, end = result.span(a, b)
        assert 0 <= start <= end <= len(text)
        if a == b:
            assert start == end
        elif b - 1 not in inserted:  # a span may not end between an apostrophe and its "s"
            assert canon(text[start:end]) == canon(result.text[a:b]), (a, b)


def test_a_repaired_possessive_maps_to_the_bare_name() -> None:
    text = "Russian President Vladimir Putins annual press conference."
    result = fix(text)
    name = result.text.index("Putin")
    assert result.span(name, name + len("Putin")) == (text.index("Putins"), text.index("Putins") + 5)
    possessive = result.text.index("'s")
    assert text[slice(*result.span(possessive, possessive + 2))] == "s"
    after = result.text.index("annual")
    assert text[slice(*result.span(after, after + 6))] == "annual"


def test_plural_name_words_keep_their_s_even_when_the_singular_is_known() -> None:
    text = "The State Department spoke. Then the United States urges calm."
    assert "United States urges" in repair(parse_scraped(text, id="x")).text
