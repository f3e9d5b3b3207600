"""Tests of cross-article entity linking on hand-made name lists (no model, no store)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from newsgraph.corpus.linking import index_keys, link, parse_person, person_key, probe_keys, roles_compatible
from newsgraph.store import NameStat

Spec = tuple[str, str, int, Sequence[str]]  # name, type, mentions, roles


def stats(specs: Sequence[Spec]) -> list[NameStat]:
    return [NameStat(i, t, n, m, m, frozenset(r)) for i, (n, t, m, r) in enumerate(specs, 1)]


def groups(specs: Sequence[Spec]) -> list[set[str]]:
    """The names grouped together, as sets, sorted by their first name id."""
    names = stats(specs)
    result = link(names)
    by_id = {s.id: s.name for s in names}
    return [{by_id[i] for i in ids} for _, ids in sorted(result.groups().items())]


def test_the_same_person_written_four_ways_is_one_actor() -> None:
    specs: list[Spec] = [
        ("Peskov", "PERSON", 3, ["Kremlin spokesman"]),
        ("Dmitry Peskov", "PERSON", 10, ["Kremlin spokesman"]),
        ("Dmitry S. Peskov", "PERSON", 1, []),
        ("Kremlin spokesman Dmitry Peskov", "PERSON", 2, []),
        ("Dmitry Peskov's", "PERSON", 1, []),
    ]
    names = stats(specs)
    result = link(names)
    assert len(set(result.actor_of.values())) == 1
    assert set(result.actor_of.values()) == {1}  # the smallest name id: stable as the corpus grows
    assert result.canonical[1] == ("Dmitry Peskov", "PERSON")


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        pytest.param(
            [("Hillary Clinton", "PERSON", 50, []), ("Bill Clinton", "PERSON", 20, [])],
            [{"Hillary Clinton"}, {"Bill Clinton"}],
            id="different-first-names",
        ),
        pytest.param(
            [
                ("Hillary Clinton", "PERSON", 50, []),
                ("Bill Clinton", "PERSON", 40, []),
                ("Clinton", "PERSON", 9, []),
            ],
            [{"Hillary Clinton"}, {"Bill Clinton"}, {"Clinton"}],
            id="lone-surname-ambiguous",
        ),
        pytest.param(
            [
                ("Hillary Clinton", "PERSON", 90, []),
                ("Bill Clinton", "PERSON", 5, []),
                ("Clinton", "PERSON", 9, []),
            ],
            [{"Hillary Clinton", "Clinton"}, {"Bill Clinton"}],
            id="lone-surname-dominant",
        ),
        pytest.param(
            [
                ("Hillary Clinton", "PERSON", 90, ["Secretary of State"]),
                ("Bill Clinton", "PERSON", 5, ["former President"]),
                ("Clinton", "PERSON", 9, ["the former president"]),
            ],
            [{"Hillary Clinton"}, {"Bill Clinton", "Clinton"}],
            id="lone-surname-by-role",
        ),
        pytest.param(
            [
                ("Donald Trump", "PERSON", 900, ["GOP front-runner"]),
                ("Melania Trump", "PERSON", 20, ["wife"]),
                ("Trump", "PERSON", 40, ["remark", "Hispanics para"]),  # misread roles say nothing
            ],
            [{"Donald Trump", "Trump"}, {"Melania Trump"}],
            id="lone-surname-noisy-roles",
        ),
        pytest.param(
            [("Tom Brennan", "PERSON", 9, ["union leader"]), ("Brennan", "PERSON", 2, ["nurse"])],
            [{"Tom Brennan"}, {"Brennan"}],
            id="roles-differ",
        ),
        pytest.param(
            [("Tom Brennan", "PERSON", 9, ["union leader"]), ("Sarah Brennan", "PERSON", 2, ["nurse"])],
            [{"Tom Brennan"}, {"Sarah Brennan"}],
            id="same-surname-two-people",
        ),
        pytest.param(
            [
                ("George W. Bush", "PERSON", 9, []),
                ("George H. W. Bush", "PERSON", 4, []),
                ("George Bush", "PERSON", 3, []),
            ],
            [{"George W. Bush", "George Bush"}, {"George H. W. Bush"}],
            id="middle-initials",
        ),
        pytest.param(
            [
                ("Donald Trump", "PERSON", 9, []),
                ("Donald Trump Jr.", "PERSON", 3, []),
                ("Donald J. Trump", "PERSON", 2, []),
            ],
            [{"Donald Trump", "Donald J. Trump"}, {"Donald Trump Jr."}],
            id="suffix",
        ),
        pytest.param(
            [
                ("Bill Clinton", "PERSON", 9, []),
                ("William Clinton", "PERSON", 1, []),
                ("William J. Clinton", "PERSON", 1, []),
            ],
            [{"Bill Clinton", "William Clinton", "William J. Clinton"}],
            id="nickname",
        ),
        pytest.param(
            [
                ("Hillary Clinton", "PERSON", 9, []),
                ("Hillary Rodham Clinton", "PERSON", 2, []),
                ("Hillary", "PERSON", 3, []),
            ],
            [{"Hillary Clinton", "Hillary Rodham Clinton", "Hillary"}],
            id="middle-name-and-first-name-alone",
        ),
        pytest.param(
            [
                ("Dmitry Peskov", "PERSON", 9, []),
                ("D. Peskov", "PERSON", 1, []),
                ("A. Peskov", "PERSON", 1, []),
            ],
            [{"Dmitry Peskov", "D. Peskov"}, {"A. Peskov"}],
            id="initial-and-surname",
        ),
        pytest.param(
            [("Twitter", "PERSON", 60, []), ("Wilayat Twitter", "PERSON", 2, [])],
            [{"Twitter"}, {"Wilayat Twitter"}],
            id="lone-name-far-more-common-than-its-match",
        ),
        pytest.param(
            [("Peskov", "PERSON", 3, []), ("Peskov", "ORG", 1, [])],
            [{"Peskov"}, {"Peskov"}],
            id="types-stay-apart",
        ),
    ],
)
def test_people(specs: list[Spec], expected: list[set[str]]) -> None:
    assert sorted(map(sorted, groups(specs))) == sorted(map(sorted, expected))


@pytest.mark.parametrize(
    ("specs", "expected"),
    [
        pytest.param(
            [("NATO", "ORG", 20, []), ("North Atlantic Treaty Organization", "ORG", 3, [])],
            [{"NATO", "North Atlantic Treaty Organization"}],
            id="acronym",
        ),
        pytest.param(
            [("U.N.", "ORG", 2, []), ("United Nations", "ORG", 5, []), ("UN", "ORG", 4, [])],
            [{"U.N.", "United Nations", "UN"}],
            id="dotted-acronym",
        ),
        pytest.param(
            [
                ("Organization for Security and Co-operation in Europe (OSCE)", "ORG", 1, []),
                ("OSCE", "ORG", 3, []),
            ],
            [{"Organization for Security and Co-operation in Europe (OSCE)", "OSCE"}],
            id="bracketed-acronym",
        ),
        pytest.param(
            [("the Kremlin", "ORG", 2, []), ("Kremlin", "ORG", 5, []), ("Kremlin's", "ORG", 1, [])],
            [{"the Kremlin", "Kremlin", "Kremlin's"}],
            id="article-and-possessive",
        ),
        pytest.param(
            [
                ("World Health Organisation", "ORG", 2, []),
                ("World Health Organization", "ORG", 5, []),
                ("WHO", "ORG", 9, []),
            ],
            [{"World Health Organisation", "World Health Organization", "WHO"}],
            id="spelling",
        ),
        pytest.param(
            [("US", "GPE", 5, []), ("United States", "GPE", 9, []), ("U.S.", "GPE", 4, [])],
            [{"US", "United States", "U.S."}],
            id="places",
        ),
        pytest.param(
            [
                ("ABC", "ORG", 5, []),
                ("American Broadcasting Company", "ORG", 3, []),
                ("Australian Broadcasting Corporation", "ORG", 3, []),
            ],
            [{"ABC"}, {"American Broadcasting Company"}, {"Australian Broadcasting Corporation"}],
            id="ambiguous-acronym",
        ),
    ],
)
def test_organisations_and_places(specs: list[Spec], expected: list[set[str]]) -> None:
    assert sorted(map(sorted, groups(specs))) == sorted(map(sorted, expected))


def test_canonical_names() -> None:
    result = link(stats([("NATO", "ORG", 20, []), ("North Atlantic Treaty Organization", "ORG", 3, [])]))
    assert result.canonical[1] == ("NATO", "ORG")
    result = link(stats([("Peskov", "PERSON", 3, []), ("Kremlin spokesman Dmitry Peskov", "PERSON", 1, [])]))
    assert result.canonical[1] == ("Dmitry Peskov", "PERSON")


@pytest.mark.parametrize(
    ("name", "written", "first", "last", "role"),
    [
        ("Kremlin spokesman Dmitry S. Peskov", "Dmitry S. Peskov", "dmitry", "peskov", "Kremlin spokesman"),
        (
            "Former Secretary of State Hillary Clinton",
            "Hillary Clinton",
            "hillary",
            "clinton",
            "Former Secretary of State",
        ),
        ("President Obama", "Obama", "", "obama", "President"),
        ("John Major", "John Major", "john", "major", ""),
        ("Ludwig van Beethoven", "Ludwig van Beethoven", "ludwig", "van beethoven", ""),
        ("Donald J. Trump Jr.", "Donald J. Trump Jr.", "donald", "trump", ""),
        ("Zelenskyy’s", "Zelenskyy", "", "zelenskyy", ""),
    ],
)
def test_parse_person(name: str, written: str, first: str, last: str, role: str) -> None:
    person = parse_person(name)
    assert person is not None
    assert (person.written, person.first, person.last, person.role) == (written, first, last, role)


def test_person_key() -> None:
    assert (
        person_key("Dmitry S. Peskov")
        == person_key("Kremlin spokesman Dmitry Peskov")
        == ("dmitry", "peskov")
    )
    assert person_key("Peskov") is None


def test_roles_compatible() -> None:
    assert roles_compatible(["Kremlin spokesman"], ["spokesman for the Kremlin"])
    assert roles_compatible([], ["nurse"])
    assert not roles_compatible(["union leader"], ["nurse"])
    assert roles_compatible(["remark"], ["nurse"])  # not a role noun: says nothing
    assert roles_compatible(["former Presidents"], ["the president"])


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (("Dmitry Peskov", "PERSON"), ("Peskov", "PERSON")),
        (("Peskov", "PERSON"), ("Dmitry S. Peskov", "PERSON")),
        (("Hillary Clinton", "PERSON"), ("Hillary", "PERSON")),
        (("William Clinton", "PERSON"), ("Bill", "PERSON")),
        (("North Atlantic Treaty Organization", "ORG"), ("NATO", "ORG")),
        (("Organization for Security and Co-operation in Europe (OSCE)", "ORG"), ("OSCE", "ORG")),
        (("the Kremlin", "ORG"), ("Kremlin", "ORG")),
    ],
)
def test_a_later_name_finds_the_names_it_may_join(earlier: tuple[str, str], later: tuple[str, str]) -> None:
    """The incremental pass links a new name with those filed under a key it probes."""
    assert index_keys(*earlier) & probe_keys(*later)


def test_names_of_other_kinds_are_not_probed() -> None:
    assert not index_keys("Jordan", "GPE") & probe_keys("Michael Jordan", "PERSON")
    assert not index_keys("Mary Smith", "PERSON") & probe_keys("John Brown", "PERSON")
