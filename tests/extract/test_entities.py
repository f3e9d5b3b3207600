"""Tests of newsgraph.extract.entities: canonical names, merging of mentions, roles, offsets.

The name helpers need no spaCy; tests marked ``slow`` run a full analysis. All texts are written here.
"""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.extract.entities import _clean_name, _compatible, _initials, _person_key
from newsgraph.models import Analysis, Entity


def _named(result: Analysis, name: str) -> Entity:
    found = [e for e in result.entities if e.name == name]
    assert len(found) == 1, [(e.name, e.type) for e in result.entities]
    return found[0]


def _people(result: Analysis) -> dict[str, Entity]:
    return {e.name: e for e in result.entities if e.type == "PERSON"}


# ---------------------------------------------------------------------------------- name helpers


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Organization for Security and Cooperation in Europe", "OSCE"),
        ("North Atlantic Treaty Organization", "NATO"),
        ("European Union", "EU"),
        ("World Health Organization", "WHO"),
        ("Organisation of the Petroleum Exporting Countries", "OPEC"),
        ("Federal Bureau of Investigation", "FBI"),
        ("Banque de France", "BF"),
        ("Kremlin", "K"),
        ("", ""),
    ],
)
def test_initials(name: str, expected: str) -> None:
    assert _initials(name) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Dmitry Peskov", "Dmitry Peskov", True),
        ("Dmitry S. Peskov", "Dmitry Peskov", True),
        ("Dmitry Peskov", "Dmitry S. Peskov", True),
        ("D. Peskov", "Dmitry Peskov", True),
        ("Dmitry Peskov", "D. Peskov", True),
        ("Dmitry Peskov", "dmitry PESKOV", True),
        ("Bill Clinton", "Hillary Clinton", False),
        ("Dmitry Peskov", "Dmitry Medvedev", False),
        ("H. Clinton", "Bill Clinton", False),
        ("Sergei Ryabkov", "Sergei Lavrov", False),
    ],
)
def test_compatible(a: str, b: str, expected: bool) -> None:
    assert _compatible(_person_key(a), _person_key(b)) is expected
    assert _compatible(_person_key(b), _person_key(a)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the Kremlin", "Kremlin"),
        ("The Kremlin", "Kremlin"),
        ("Kremlin", "Kremlin"),
        ("  Dmitry \n Peskov, ", "Dmitry Peskov"),
        ('"NATO"', "NATO"),
        ("'Geneva'", "Geneva"),
        ("the  United   States.", "United States"),
        ("Theresa May", "Theresa May"),
        ("Thebes", "Thebes"),
    ],
)
def test_clean_name(text: str, expected: str) -> None:
    assert _clean_name(text) == expected


# ---------------------------------------------------------------------------------- canonical names

PESKOV = (
    "Kremlin spokesman Dmitry Peskov said on Tuesday that the talks had been useful. "
    "Peskov said more rounds would follow."
)
MERKEL = (
    "German Chancellor Angela Merkel arrived in Paris on Monday. Merkel said the summit would be difficult."
)
PESKOVS = (
    "Kremlin spokesman Dmitry Peskov spoke in Moscow on Monday. "
    "Peskovs remarks came a day after the talks in Geneva."
)
PESKOVS_FIRST = "Peskovs remarks came a day after Kremlin spokesman Dmitry Peskov spoke in Moscow."
MIDDLE_INITIAL = (
    "Kremlin spokesman Dmitry S. Peskov said on Tuesday that talks were useful. "
    "Kremlin spokesman Dmitry Peskov said more rounds would follow."
)
MIDDLE_INITIAL_APPOS = (
    "Dmitry S. Peskov, the Kremlin spokesman, said on Tuesday that talks were useful. "
    "On Wednesday, Dmitry Peskov said more rounds would follow."
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name", "mentions"),
    [
        (PESKOV, "Dmitry Peskov", ["Dmitry Peskov", "Peskov"]),
        (MERKEL, "Angela Merkel", ["Angela Merkel", "Merkel"]),
        # the lost apostrophe of "Peskovs remarks" is repaired; the mention is the bare name
        (PESKOVS, "Dmitry Peskov", ["Dmitry Peskov", "Peskov"]),
        (PESKOVS_FIRST, "Dmitry Peskov", ["Peskov", "Dmitry Peskov"]),
        ("Peskov’s remarks came after Kremlin spokesman Dmitry Peskov spoke.", "Dmitry Peskov", None),
        pytest.param(
            "Dmitry Peskov spoke to reporters in Moscow. Later, Peskov said the talks had failed.",
            "Dmitry Peskov",
            ["Dmitry Peskov", "Peskov"],
            id="sentence-initial-full-name",
        ),
    ],
)
def test_a_person_has_one_canonical_full_name(text: str, name: str, mentions: list[str] | None) -> None:
    result = analyze(text)
    people = _people(result)
    assert list(people) == [name]
    if mentions is not None:
        assert [m.text for m in people[name].mentions] == mentions
    else:
        assert len(people[name].mentions) == 2


@pytest.mark.slow
@pytest.mark.parametrize("text", [MIDDLE_INITIAL, MIDDLE_INITIAL_APPOS])
def test_a_middle_initial_does_not_split_a_person(text: str) -> None:
    people = _people(analyze(text))
    assert list(people) == ["Dmitry S. Peskov"]  # the fullest form names the person
    assert [m.text for m in people["Dmitry S. Peskov"].mentions] == ["Dmitry S. Peskov", "Dmitry Peskov"]
    assert people["Dmitry S. Peskov"].roles == ["Kremlin spokesman"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "last"),
    [
        (
            "Bill Clinton met voters in Ohio. Hillary Clinton spoke in Iowa later. "
            "Clinton said the race was close.",
            "Hillary Clinton",
        ),
        (
            "Hillary Clinton spoke in Iowa. Bill Clinton met voters in Ohio. "
            "Clinton said the race was close.",
            "Bill Clinton",
        ),
    ],
)
def test_people_sharing_a_surname_stay_apart(text: str, last: str) -> None:
    people = _people(analyze(text))
    assert set(people) == {"Bill Clinton", "Hillary Clinton"}
    # the bare surname joins the one mentioned most recently
    assert [m.text for m in people[last].mentions] == [last, "Clinton"]
    other = ({"Bill Clinton", "Hillary Clinton"} - {last}).pop()
    assert [m.text for m in people[other].mentions] == [other]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "long_name", "mentions"),
    [
        (
            "Russia met the Organization for Security and Cooperation in Europe (OSCE) in Vienna on "
            "Thursday. The OSCE said the talks were useful.",
            "Organization for Security and Cooperation in Europe",
            ["Organization for Security and Cooperation in Europe", "OSCE", "OSCE"],
        ),
        (
            "The North Atlantic Treaty Organization (NATO) met in Brussels. The NATO talks ended early.",
            "North Atlantic Treaty Organization",
            ["North Atlantic Treaty Organization", "NATO", "NATO"],
        ),
    ],
)
def test_an_acronym_joins_its_long_name(text: str, long_name: str, mentions: list[str]) -> None:
    result = analyze(text)
    orgs = [e for e in result.entities if e.type == "ORG"]
    assert [e.name for e in orgs] == [long_name]
    assert [m.text for m in orgs[0].mentions] == mentions


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        (
            "The talks in the US ended on Monday. Officials in the United States were cautious.",
            ["US", "United States"],
        ),
        (
            "Diplomats from the United States said the talks in the US had ended. America wants a deal.",
            ["United States", "US", "America"],
        ),
        pytest.param(
            "Officials in the US were cautious. U.S. diplomats met in Geneva. "
            "Officials in the United States were cautious.",
            ["US", "U.S.", "United States"],
            id="dotted-alias",
        ),
        # "States met" is not a lost possessive ("United State's met")
        (
            "Diplomats from the United States met in Geneva. The talks in the US ended on Monday.",
            ["United States", "US"],
        ),
        ("The United States wants a deal, officials in the US said.", ["United States", "US"]),
    ],
)
def test_country_aliases_are_one_entity(text: str, mentions: list[str]) -> None:
    result = analyze(text)
    gpes = [e for e in result.entities if e.type == "GPE" and e.name != "Geneva"]
    assert [e.name for e in gpes] == ["United States"]
    assert [m.text for m in gpes[0].mentions] == mentions


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name", "mentions"),
    [
        ("The Kremlin's position was clear, the Kremlin said.", "Kremlin", ["Kremlin", "Kremlin"]),
        ("The European Union's foreign ministers met in Brussels.", "European Union", ["European Union"]),
        ("NATO's leaders met in Brussels on Monday.", "NATO", ["NATO"]),
        ("Analysts doubted the Kremlin’s account of the talks.", "Kremlin", ["Kremlin"]),
    ],
)
def test_a_leading_the_and_a_trailing_possessive_are_trimmed(
    text: str, name: str, mentions: list[str]
) -> None:
    entity = _named(analyze(text), name)
    assert [m.text for m in entity.mentions] == mentions


# ---------------------------------------------------------------------------------- photo credits

CAPTION_AFP = (
    "Kremlin spokesman Dmitry Peskov speaks in central Moscow on December 23, 2021. (Photo by AFP)\n"
    "Talks with the United States provided no ground for optimism, the Kremlin said on Tuesday.\n"
    "Peskov said Russia was not setting deadlines for the talks.\n"
)
CAPTION_REUTERS = (
    "Protesters gather in Madrid on Sunday. (Photo: Reuters)\n"
    "Thousands of people marched through Madrid on Sunday.\n"
    "The police said the march was peaceful.\n"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "credit"),
    [
        (CAPTION_AFP, "AFP"),
        (CAPTION_REUTERS, "Reuters"),
        pytest.param(
            "Soldiers patrol near the border on Monday. (Photo by Getty Images)\n"
            "Troops massed near the border, officials said on Tuesday.\n",
            "Getty Images",
            id="credit-the-model-calls-a-person",
        ),
    ],
)
def test_the_photo_credit_is_an_organisation(text: str, credit: str) -> None:
    result = analyze(text)
    assert result.metadata.photo_credit == credit
    caption_end = text.index("\n")
    with_credit = [e for e in result.entities if any(m.text == credit for m in e.mentions)]
    assert [(e.name, e.type) for e in with_credit] == [(credit, "ORG")]
    (mention,) = with_credit[0].mentions
    assert mention.start == text.rindex(credit, 0, caption_end)


@pytest.mark.slow
def test_the_rest_of_a_captioned_article_is_read_as_usual() -> None:
    result = analyze(CAPTION_AFP)
    peskov = _named(result, "Dmitry Peskov")
    assert [m.text for m in peskov.mentions] == ["Dmitry Peskov", "Peskov"]
    assert peskov.roles == ["Kremlin spokesman"]
    assert _named(result, "Kremlin").type == "ORG"


# ---------------------------------------------------------------------------------- roles


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "person", "roles"),
    [
        # pre-modifiers
        (PESKOV, "Dmitry Peskov", ["Kremlin spokesman"]),
        (
            "NATO Secretary-General Jens Stoltenberg warned Russia of severe costs.",
            "Jens Stoltenberg",
            ["NATO Secretary-General"],
        ),
        (
            "Russian Deputy Foreign Minister Sergei Ryabkov met diplomats in Geneva.",
            "Sergei Ryabkov",
            ["Russian Deputy Foreign Minister"],
        ),
        (MERKEL, "Angela Merkel", ["German Chancellor"]),
        ("President Joe Biden spoke in Washington on Friday.", "Joe Biden", ["President"]),
        # apposition after the name
        (
            "Alexander Grushko, Russia's deputy foreign minister, said ties were at a low.",
            "Alexander Grushko",
            ["Russia's deputy foreign minister"],
        ),
        (
            "Jens Stoltenberg, the NATO secretary-general, said the alliance was united.",
            "Jens Stoltenberg",
            ["NATO secretary-general"],
        ),
        # apposition before the name
        (
            "Sergei Ryabkov and his American counterpart, Wendy Sherman, held talks in Geneva.",
            "Wendy Sherman",
            ["American counterpart"],
        ),
        (
            "Sergei Ryabkov and his American counterpart, Wendy Sherman, held talks in Geneva.",
            "Sergei Ryabkov",
            [],
        ),
    ],
)
def test_roles(text: str, person: str, roles: list[str]) -> None:
    assert _named(analyze(text), person).roles == roles


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        "Maria Lopez arrived in Madrid yesterday.",
        "On Monday, Maria Lopez arrived in Madrid.",
        "Then Maria Lopez arrived in Madrid.",
        "Reporters saw Maria Lopez in Madrid.",
        # a noun before the name that names no person is no role
        "After the presidential debate Maria Lopez arrived in Madrid.",
        "The 15 percent polling threshold Maria Lopez had to reach was high.",
        pytest.param(
            "Yesterday Maria Lopez arrived in Madrid.",
            id="yesterday",
        ),
        pytest.param(
            "Last week Maria Lopez arrived in Madrid.",
            id="last-week",
        ),
    ],
)
def test_no_role_from_a_plain_context(text: str) -> None:
    assert _named(analyze(text), "Maria Lopez").roles == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mr. John Smith arrived in London on Monday.", "John Smith"),
        ("Dr. Jane Goodall spoke in London.", "Jane Goodall"),
        ("Ms. Maria Lopez spoke in Madrid.", "Maria Lopez"),
        ("Sir John Major spoke in London.", "John Major"),
    ],
)
def test_an_honorific_is_neither_name_nor_role(text: str, name: str) -> None:
    person = _named(analyze(text), name)
    assert person.type == "PERSON"
    assert person.roles == []
    assert [m.text for m in person.mentions] == [name]


# ---------------------------------------------------------------------------------- offsets

DIRTY = (
    "Kremlin\u00a0spokesman Dmitry  Peskov said \u201cno\u201d on Tuesday.\r\n"
    "Peskovs remarks followed Russian President Vladimir Putins talk in Mos\u200bcow.\r\n"
    "Alexander Grushko, Russias deputy foreign minister, said ties with NATO were at a\u2009low.\r\n"
    "LINK: https://www.example.com/world/1\r\n"
)


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        PESKOV,
        PESKOVS,
        PESKOVS_FIRST,
        MIDDLE_INITIAL_APPOS,
        CAPTION_AFP,
        CAPTION_REUTERS,
        DIRTY,
        "The Kremlin's position was clear, the Kremlin said.",
        "Russia met the Organization for Security and Cooperation in Europe (OSCE) in Vienna on Thursday.",
        "Diplomats from the United States met in Geneva. The talks in the US ended on Monday.",
    ],
)
def test_every_mention_indexes_the_input(text: str) -> None:
    result = analyze(text)
    assert result.entities
    for entity in result.entities:
        assert entity.mentions, entity.name
        assert entity.mentions == sorted(entity.mentions, key=lambda m: m.start)
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(text)
            assert text[mention.start : mention.end] == mention.text, entity.name


@pytest.mark.slow
def test_dirty_text_keeps_names_and_roles() -> None:
    result = analyze(DIRTY)
    people = _people(result)
    assert {"Dmitry Peskov", "Vladimir Putin", "Alexander Grushko"} <= set(people)
    assert [m.text for m in people["Dmitry Peskov"].mentions] == ["Dmitry  Peskov", "Peskov"]
    assert people["Dmitry Peskov"].roles == ["Kremlin spokesman"]
    assert people["Vladimir Putin"].roles == ["Russian President"]
    assert people["Alexander Grushko"].roles == ["Russia's deputy foreign minister"]
    moscow = _named(result, "Moscow")
    assert [m.text for m in moscow.mentions] == ["Mos\u200bcow"]
    assert all(m.end <= DIRTY.index("LINK:") for e in result.entities for m in e.mentions)


@pytest.mark.slow
def test_entity_ids_follow_the_text() -> None:
    result = analyze(PESKOVS)
    assert [e.id for e in result.entities] == [f"e{n}" for n in range(1, len(result.entities) + 1)]
    firsts = [e.mentions[0].start for e in result.entities]
    assert firsts == sorted(firsts)


@pytest.mark.slow
def test_a_dateline_agency_is_not_an_acronym_of_the_city() -> None:
    record = analyze("NEW YORK (AP) \u2014 The mayor of New York said on Monday that AP reporters left.")
    merged = [e for e in record.entities if "AP" in {m.text for m in e.mentions} and "YORK" in e.name.upper()]
    assert not merged


@pytest.mark.slow
def test_a_platform_is_an_organisation() -> None:
    record = analyze("Maria Lopez wrote on Twitter that the vote was rigged. Twitter removed the post.")
    assert {e.name: e.type for e in record.entities}.get("Twitter") == "ORG"


@pytest.mark.slow
def test_the_outlet_is_an_organisation() -> None:
    text = "Wikinews attended the premiere. The director told Wikinews he began acting in 2001."
    record = analyze(text, url="https://en.wikinews.org/wiki/Premiere")
    assert {e.name: e.type for e in record.entities}.get("Wikinews") == "ORG"


@pytest.mark.slow
def test_a_name_with_a_plural_possessive_is_whole() -> None:
    text = "On Friday, a man stabbed several people at Fishmongers' Hall in London with a knife."
    assert "Fishmongers' Hall" in {e.name for e in analyze(text).entities}


@pytest.mark.slow
def test_a_headline_verb_is_not_part_of_a_name() -> None:
    record = analyze(
        "Obama Says Museum Tells an Essential Story\n\nBarack Obama opened the museum on Saturday."
    )
    people = [e.name for e in record.entities if e.type == "PERSON"]
    assert "Obama Says" not in people


@pytest.mark.slow
def test_a_verb_opening_a_sentence_is_no_first_name() -> None:
    text = (
        "The mayor has a plan for the city.\n\n"
        "Make Melbourne a fully digital city with new jobs.\n\n"
        "He lives in Melbourne and works in Melbourne too."
    )
    assert not any(e.name.startswith("Make ") for e in analyze(text).entities)


@pytest.mark.slow
def test_a_country_is_nobodys_surname() -> None:
    text = (
        "By: Henry Lazenby US-based aluminium producer Alcoa welcomed the move. China said US tariffs"
        " broke trade rules.\n"
    )
    result = analyze(text)
    assert "Henry Lazenby" in _people(result)
    assert [m.text for m in _named(result, "United States").mentions] == ["US"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ('Prime Minister of India Narendra Modi wrote, "India grieves."', "Narendra Modi"),
        ("On Wednesday, Senator from Vermont Bernie Sanders ended his bid.", "Bernie Sanders"),
    ],
)
def test_a_region_before_a_name_is_no_part_of_it(text: str, name: str) -> None:
    people = {e.name for e in analyze(text).entities if e.type == "PERSON"}
    assert name in people


@pytest.mark.slow
def test_the_bank_of_a_country_keeps_its_name() -> None:
    names = {e.name for e in analyze("The Bank of India Mutual Fund grew in March.").entities}
    assert "Bank of India Mutual Fund" in names
