"""Tests of newsgraph.extract.places: the gazetteer (no spaCy) and places in a full analysis (slow)."""

from __future__ import annotations

import pytest

from newsgraph import analyze
from newsgraph.extract.places import PLACE_TYPES, geocode

# ---------------------------------------------------------------------------------- geocode


@pytest.mark.parametrize(
    ("name", "countries", "country", "kind"),
    [
        ("Vienna", set(), "AT", "city"),
        # Vienna, Virginia (16k people) does not beat Vienna, Austria, even in an article about the US
        ("Vienna", {"US"}, "AT", "city"),
        ("Geneva", set(), "CH", "city"),
        ("Geneva", {"US"}, "CH", "city"),
        ("Paris", set(), "FR", "city"),
        ("Paris", {"US"}, "FR", "city"),
        ("Moscow", set(), "RU", "city"),
        ("Brussels", set(), "BE", "city"),
        ("london", set(), "GB", "city"),
        # countries by name and alias
        ("United States", set(), "US", "country"),
        ("the United States", set(), "US", "country"),
        ("U.S.", set(), "US", "country"),
        ("US", set(), "US", "country"),
        ("Britain", set(), "GB", "country"),
        ("UK", set(), "GB", "country"),
        ("Ukraine", set(), "UA", "country"),
        ("Switzerland", set(), "CH", "country"),
        # US states
        ("Texas", set(), "US", "admin1"),
        ("California", set(), "US", "admin1"),
        ("Ohio", set(), "US", "admin1"),
    ],
)
def test_geocode(name: str, countries: set[str], country: str, kind: str) -> None:
    hit = geocode(name, countries=frozenset(countries))
    assert hit is not None
    assert (hit.country, hit.kind) == (country, kind)


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("U.S.", "United States"), ("Britain", "United Kingdom"), ("the US", "United States")],
)
def test_a_country_alias_geocodes_to_the_canonical_name(name: str, canonical: str) -> None:
    hit = geocode(name)
    assert hit is not None and hit.name == canonical


def test_cities_carry_coordinates_and_countries_do_not() -> None:
    vienna, austria = geocode("Vienna"), geocode("Austria")
    assert vienna is not None and austria is not None
    assert vienna.lat == pytest.approx(48.2, abs=0.1) and vienna.lon == pytest.approx(16.4, abs=0.1)
    assert vienna.population > 1_000_000
    assert (austria.lat, austria.lon) == (None, None)


@pytest.mark.parametrize("name", ["Xyzzyville", "Narnia", "", "   ", "the Kremlin"])
def test_an_unknown_name_is_none(name: str) -> None:
    assert geocode(name) is None


# ---------------------------------------------------------------------------------- in an analysis


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Talks in Geneva ended on Monday. Diplomats left Geneva on Friday for Vienna.",
            {"Geneva": ("CH", "city", 2), "Vienna": ("AT", "city", 1)},
        ),
        (
            "Officials in the US were cautious before the talks in Vienna.",
            {"United States": ("US", "country", 1), "Vienna": ("AT", "city", 1)},
        ),
        (
            "Bill Clinton met voters in Ohio on Monday before flying to Paris.",
            {"Ohio": ("US", "admin1", 1), "Paris": ("FR", "city", 1)},
        ),
    ],
)
def test_places_are_geocoded(text: str, expected: dict[str, tuple[str, str, int]]) -> None:
    result = analyze(text)
    got = {p.name: (p.country, p.kind, len(p.mentions)) for p in result.places}
    assert got == expected


@pytest.mark.slow
def test_a_place_carries_its_entity_and_mentions() -> None:
    text = "Talks in Geneva ended on Monday. Diplomats left Geneva on Friday for Moscow."
    result = analyze(text)
    entities = {e.id: e for e in result.entities}
    assert result.places
    for place in result.places:
        entity = entities[place.entity_id or ""]
        assert entity.type in PLACE_TYPES
        assert place.name == entity.name
        assert place.mentions == entity.mentions
        assert all(text[m.start : m.end] == m.text == place.name for m in place.mentions)
    geneva = next(p for p in result.places if p.name == "Geneva")
    assert geneva.country == "CH" and geneva.lat is not None and geneva.lon is not None
    assert [m.start for m in geneva.mentions] == [text.index("Geneva"), text.rindex("Geneva")]


@pytest.mark.slow
def test_people_and_organisations_are_not_places() -> None:
    result = analyze("Kremlin spokesman Dmitry Peskov said NATO had ignored Russia.")
    assert {p.name for p in result.places} == {"Russia"}
