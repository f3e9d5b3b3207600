"""Tests of newsgraph.extract.places: the gazetteer (no spaCy) and places in a full analysis (slow)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

from newsgraph import analyze
from newsgraph.extract.places import PLACE_TYPES, demonym, geocode, norm_key, outlet_home

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


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(b[1] - a[1]) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_cities_carry_coordinates() -> None:
    vienna = geocode("Vienna")
    assert vienna is not None
    assert vienna.lat == pytest.approx(48.2, abs=0.1) and vienna.lon == pytest.approx(16.4, abs=0.1)
    assert vienna.population > 1_000_000


@pytest.mark.parametrize(
    ("name", "point"),
    [
        # countries at a conventional centre (GeoNames style), not at their capital
        ("Austria", (47.33, 13.33)),
        ("United States", (39.76, -98.5)),
        ("Russia", (60.0, 100.0)),
        ("Canada", (60.1, -113.6)),
        ("Switzerland", (47.0, 8.0)),
        # US states, other first-level divisions, regions, continents
        ("Texas", (31.25, -99.25)),
        ("California", (37.25, -119.75)),
        ("Ontario", (49.25, -84.5)),
        ("Scotland", (56.5, -4.2)),
        ("Europe", (48.7, 9.1)),
        ("Gaza Strip", (31.4, 34.4)),
    ],
)
def test_countries_states_and_regions_carry_a_point(name: str, point: tuple[float, float]) -> None:
    hit = geocode(name)
    assert hit is not None and hit.lat is not None and hit.lon is not None
    assert _km((hit.lat, hit.lon), point) < 50


@pytest.mark.parametrize(
    ("name", "states", "state", "point"),
    [
        # US counties carry a point inside them (data/us_county_points.tsv), chosen among
        # namesakes by the article's states
        ("Cuyahoga County", set(), "OH", (41.4, -81.7)),
        ("Rapides Parish", set(), "LA", (31.2, -92.5)),
        ("Orange County", {"NY"}, "NY", (41.4, -74.3)),
        ("Orange County", {"CA"}, "CA", (33.7, -117.8)),
    ],
)
def test_us_counties_carry_a_point(
    name: str, states: set[str], state: str, point: tuple[float, float]
) -> None:
    hit = geocode(name, states=frozenset(states))
    assert hit is not None and hit.kind == "admin2" and hit.admin1 == state
    assert hit.lat is not None and hit.lon is not None
    assert math.dist((hit.lat, hit.lon), point) < 0.2


def test_every_country_has_a_point() -> None:
    from newsgraph.extract.lexicon import country_names

    for name, _code in country_names().values():
        hit = geocode(name)
        assert hit is not None and hit.kind == "country", name
        assert hit.lat is not None and hit.lon is not None, name


@pytest.mark.parametrize(
    ("name", "country", "kind"),
    [
        ("Washington", "US", "city"),  # the capital, not the state
        ("New York", "US", "city"),  # the city of eight million, not the state
        ("Georgia", "GE", "country"),  # a country beats a US state with no other US places
        ("Calif.", "US", "admin1"),  # an abbreviation with a dot names its state
        ("N.J", "US", "admin1"),
        ("Republic of Armenia", "AM", "country"),
        ("Oaxaca State", "MX", "admin1"),
        ("northern Syria", "SY", "country"),
        ("central Moscow", "RU", "city"),
        ("St. Petersburg", "RU", "city"),  # "St." is "Saint": the Russian city's GeoNames name
        ("NYC", "US", "city"),
        ("Kent", "GB", "admin2"),
        ("County Cork", "IE", "admin2"),
        ("European Union", None, "region"),
        ("Persian Gulf", None, "water"),
    ],
)
def test_geocode_rewrites_and_ranks(name: str, country: str | None, kind: str) -> None:
    hit = geocode(name)
    assert hit is not None
    assert (hit.country, hit.kind) == (country, kind)


def test_a_us_state_beats_a_country_among_us_places() -> None:
    hit = geocode("Georgia", countries=frozenset({"US"}), states=frozenset({"TX", "AL"}))
    assert hit is not None and (hit.country, hit.kind) == ("US", "admin1")
    beside_armenia = geocode("Georgia", countries=frozenset({"US", "AM"}), states=frozenset({"TX"}))
    assert beside_armenia is not None and beside_armenia.kind == "country"


def test_a_qualifier_keeps_the_namesakes_inside_it() -> None:
    texas = geocode("Texas")
    assert texas is not None
    paris = geocode("Paris", inside=[texas])
    assert paris is not None and (paris.country, paris.admin1) == ("US", "TX")


def test_an_alternate_name_never_beats_a_real_one() -> None:
    hit = geocode("Garden City")  # a nickname of Singapore, and the name of several US towns
    assert hit is not None and hit.country == "US"
    assert geocode("White House") is None  # an alternate name of Casablanca


@pytest.mark.parametrize(
    ("name", "states", "admin1"),
    [
        # without context the biggest of the namesake counties (by the people of the places in it)
        ("Cook County", set(), "IL"),
        ("Orange County", set(), "CA"),
        # a state the article names brings its county, however small
        ("Cook County", {"GA"}, "GA"),
        ("Montgomery County", {"IA"}, "IA"),
    ],
)
def test_namesake_counties_rank_by_size_then_context(name: str, states: set[str], admin1: str) -> None:
    hit = geocode(name, states=frozenset(states))
    assert hit is not None and (hit.kind, hit.admin1) == ("admin2", admin1)
    assert hit.population > 0


def test_a_towns_real_name_beats_an_alternate_name() -> None:
    # "Southold" is also listed among the alternate names of South Bend, Indiana
    hit = geocode("Southold", small=True)
    assert hit is not None and (hit.name, hit.admin1) == ("Southold", "NY")


# ---------------------------------------------------------------------------------- small places


@pytest.mark.parametrize(
    ("name", "states", "country", "admin1"),
    [
        # a town of 7,000 people, known only to the table of small places
        ("Lerwick", set(), "GB", "SCT"),
        # without context the biggest namesake wins; a state the article names brings its town
        ("Franklin", set(), "US", "TN"),
        ("Franklin", {"OH"}, "US", "OH"),
        ("Alexandria", set(), "EG", None),
        ("Alexandria", {"LA"}, "US", "LA"),
    ],
)
def test_small_places_win_by_context(name: str, states: set[str], country: str, admin1: str | None) -> None:
    hit = geocode(name, states=frozenset(states), small=True)
    assert hit is not None and hit.country == country
    assert admin1 is None or hit.admin1 == admin1


def test_small_places_only_when_asked() -> None:
    assert geocode("Lerwick") is None
    franklin = geocode("Franklin", states=frozenset({"OH"}))
    assert franklin is not None and franklin.admin1 != "OH"  # Franklin, Ohio has 12,000 people


def test_a_qualifier_keeps_the_small_namesakes_inside_it() -> None:
    scotland, parish = geocode("Scotland"), geocode("Rapides Parish")
    assert scotland is not None and parish is not None
    assert (parish.country, parish.kind, parish.admin1) == ("US", "admin2", "LA")
    kirkwall = geocode("Kirkwall", inside=[scotland], small=True)
    assert kirkwall is not None and kirkwall.country == "GB"
    alexandria = geocode("Alexandria", inside=[parish], small=True)
    assert alexandria is not None and (alexandria.country, alexandria.admin1) == ("US", "LA")


def test_a_country_beats_a_town_of_its_name_unless_the_article_is_local() -> None:
    assert (hit := geocode("Lebanon", small=True)) is not None and hit.kind == "country"
    local = geocode("Lebanon", countries=frozenset({"US"}), states=frozenset({"OH"}), small=True)
    assert local is not None and (local.country, local.admin1) == ("US", "OH")
    beside_israel = geocode(
        "Lebanon", countries=frozenset({"US", "IL"}), states=frozenset({"OH"}), small=True
    )
    assert beside_israel is not None and beside_israel.kind == "country"


@pytest.mark.parametrize(("name", "admin1"), [("Ontario", "08"), ("Queensland", "04"), ("Scotland", "SCT")])
def test_regions_carry_their_geonames_code(name: str, admin1: str) -> None:
    hit = geocode(name)
    assert hit is not None and hit.admin1 == admin1


def test_the_small_places_table_is_built_once_into_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsgraph.extract import smallplaces

    data = tmp_path / "data"
    data.mkdir()
    town = {"name": "Vila Nova", "latitude": 41.1, "longitude": -8.6, "countrycode": "PT", "population": 2500}
    city = {"name": "Porto", "latitude": 41.15, "longitude": -8.61, "countrycode": "PT", "population": 250000}
    hamlet = {"name": "Tiny", "latitude": 41.0, "longitude": -8.0, "countrycode": "PT", "population": 200}
    (data / "cities15000.json").write_text(json.dumps({"2": {**city, "admin1code": "17"}}))
    (data / "cities1000.json").write_text(
        json.dumps(
            {
                "1": {**town, "admin1code": "17"},
                "2": {**city, "admin1code": "17"},
                "3": {**hamlet, "admin1code": ""},
            }
        )
    )
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(smallplaces, "_source_dir", lambda: data)
    smallplaces._lookup.cache_clear()
    smallplaces._table.cache_clear()
    try:
        assert smallplaces.lookup("vila nova", norm_key) == [("Vila Nova", "PT", "17", 41.1, -8.6, 2500)]
        assert smallplaces.lookup("porto", norm_key) == []  # in the gazetteer
        assert smallplaces.lookup("tiny", norm_key) == []  # under 1,000 people
        [built] = (tmp_path / "cache").glob("smallplaces-*.table")
        (data / "cities1000.json").write_text(
            json.dumps({"1": {**town, "name": "Vila Velha", "admin1code": "17"}})
        )
        os.utime(data / "cities1000.json", ns=(1, 1))  # changed data: a new file, the old one kept
        smallplaces._lookup.cache_clear()
        smallplaces._table.cache_clear()
        assert smallplaces.lookup("vila nova", norm_key) == []
        assert smallplaces.lookup("vila velha", norm_key) == [("Vila Velha", "PT", "17", 41.1, -8.6, 2500)]
        assert len(list((tmp_path / "cache").glob("smallplaces-*.table"))) == 2 and built.is_file()
    finally:
        smallplaces._lookup.cache_clear()
        smallplaces._table.cache_clear()


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("https://www.seattletimes.com/local/story.html", "Seattle"),
        ("dallasnews.com", "Dallas"),
        ("nj.com", "New Jersey"),
        ("oregonlive.com", "Oregon"),
        ("www.cleveland.com", "Cleveland"),
        ("manchestereveningnews.co.uk", "Manchester"),
        ("washingtonpost.com", "Washington"),  # the capital, not the state
        # no place: a state's code is no prefix ("latimes" is no Louisiana paper), national outlets
        ("latimes.com", None),
        ("reuters.com", None),
        ("news.com.au", None),
        ("theguardian.com", None),
        (None, None),
    ],
)
def test_outlet_home(source: str | None, name: str | None) -> None:
    home = outlet_home(source)
    assert (home.name if home is not None else None) == name


@pytest.mark.parametrize(
    ("word", "country", "name"),
    [
        ("Swiss", "CH", "Switzerland"),
        ("Russian", "RU", "Russia"),
        ("Russians", "RU", "Russia"),
        ("Mexicans", "MX", "Mexico"),
        ("American", "US", "United States"),
        ("British", "GB", "United Kingdom"),
        ("Texan", "US", "Texas"),
        ("European", None, "Europe"),
        ("Welsh", "GB", "Wales"),
    ],
)
def test_demonym(word: str, country: str | None, name: str) -> None:
    hit = demonym(word)
    assert hit is not None and (hit.country, hit.name) == (country, name)


@pytest.mark.parametrize("word", ["Jewish", "Muslim", "Democrat", "Swissair", ""])
def test_a_word_that_names_no_place_is_no_demonym(word: str) -> None:
    assert demonym(word) is None


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("The Netherlands", "netherlands"),
        ("U.S.", "us"),
        ("Zürich", "zurich"),
        ("St. Louis", "saint louis"),
        ("New York’s", "new york"),
        ("  Geneva ", "geneva"),
    ],
)
def test_norm_key(text: str, key: str) -> None:
    assert norm_key(text) == key


@pytest.mark.parametrize("name", ["Xyzzyville", "Narnia", "", "   ", "the Kremlin", "the Valley", "West"])
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


def _places(text: str) -> dict[str, tuple[str | None, str | None, list[str]]]:
    result = analyze(text)
    for place in result.places:
        assert all(text[m.start : m.end] == m.text for m in place.mentions)  # input offsets
    return {p.name: (p.country, p.kind, [m.text for m in p.mentions]) for p in result.places}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name", "country", "mentions"),
    [
        # descriptors and qualifiers
        ("Officials met in the Swiss city of Geneva on Monday.", "Geneva", "CH", ["city", "Geneva"]),
        ("The festival in Paris, Texas, drew a crowd.", "Paris", "US", ["Paris"]),
        ("Crowds gathered in central Moscow on Sunday.", "Moscow", "RU", ["Moscow"]),
        # namesakes chosen by the article's other places
        ("Talks moved from Brussels and Geneva to Vienna.", "Vienna", "AT", ["Vienna"]),
        # demonyms where they name a place
        ("Swiss officials said the talks would go ahead.", "Switzerland", "CH", ["Swiss"]),
        # a dateline in capitals
        ("BEIRUT (AP) — Fighting resumed on Monday.", "Beirut", "LB", ["BEIRUT"]),
        # a place the model took for a person: it follows a preposition of place
        ("The road from Cirencester to Cheltenham was closed.", "Cheltenham", "GB", ["Cheltenham"]),
        # "the city" refers back to the last city
        (
            "Talks were held in Geneva. The city has hosted many summits.",
            "Geneva",
            "CH",
            ["Geneva", "The city"],
        ),
        # "the two countries", "both countries": the last two countries, each
        (
            "Peru and Chile signed a fishing deal. Trade between the two countries has doubled.",
            "Chile",
            "CL",
            ["Chile", "the two countries"],
        ),
        # the pair named together, not the last two named
        (
            "Talks between Iran and the United States, hosted by Oman, ended. Ties between the two"
            " countries remain tense.",
            "Iran",
            "IR",
            ["Iran", "the two countries"],
        ),
        (
            "Kenya and Uganda opened a new border post. Both countries hope to cut delays.",
            "Kenya",
            "KE",
            ["Kenya", "Both countries"],
        ),
        # the noun of a descriptor is a mention of the place it describes
        ("Rebels withdrew from the city of Aleppo on Tuesday.", "Aleppo", "SY", ["the city", "Aleppo"]),
    ],
)
def test_places_in_an_analysis(text: str, name: str, country: str, mentions: list[str]) -> None:
    places = _places(text)
    assert name in places, places
    assert places[name][0] == country
    assert places[name][2] == mentions


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # towns of a few thousand people, in a list with a city and after a preposition of place
        (
            "Ferries between Aberdeen, Kirkwall and Lerwick were cancelled on Monday.",
            {"Aberdeen": ("GB", "Scotland"), "Kirkwall": ("GB", "Scotland"), "Lerwick": ("GB", "Scotland")},
        ),
        # the parish named later says which Alexandria
        (
            "Police in Alexandria said a man was arrested on Monday. The Rapides Parish sheriff said"
            " he would be charged.",
            {"Alexandria": ("US", "La."), "Rapides Parish": ("US", None)},
        ),
        # the dateline's state says which Franklin (Tennessee's has six times the people)
        (
            "MIDDLETOWN, Ohio (AP) — A fire destroyed a barn near Franklin on Sunday, the fire chief said.",
            {"Middletown": ("US", "Ohio"), "Ohio": ("US", None), "Franklin": ("US", "Ohio")},
        ),
        # "residents of" makes a town of a name the parser took for a person; the county says which
        (
            "Residents of Clinton packed a meeting at the Hunterdon County courthouse in Flemington.",
            {"Clinton": ("US", "N.J."), "Hunterdon County": ("US", None), "Flemington": ("US", "N.J.")},
        ),
        # towns near each other beat a capital of the same name
        (
            "The fire in Dublin spread to two homes before crews from Hilliard and Powell arrived.",
            {"Dublin": ("US", "Ohio"), "Hilliard": ("US", "Ohio"), "Powell": ("US", "Ohio")},
        ),
        # "University of Georgia" beside "Athens, Ga." is the state's (one place with "Ga.")
        (
            "ATHENS, Ga. (AP) — Students at the University of Georgia rallied on Friday.",
            {"Athens": ("US", "Ga."), "Ga": ("US", None), "University of Georgia": ("US", None)},
        ),
        # a town of a local article beats the country of its name; beside Israel it does not
        (
            "The council in Lebanon met on Monday. Residents of Warren County, Ohio, objected.",
            {"Lebanon": ("US", "Ohio"), "Warren County": ("US", None), "Ohio": ("US", None)},
        ),
        (
            "Rockets were fired from Lebanon into Israel on Monday, officials in Ohio said.",
            {"Lebanon": ("LB", None), "Israel": ("IL", None), "Ohio": ("US", None)},
        ),
    ],
)
def test_small_places_in_an_analysis(text: str, expected: dict[str, tuple[str, str | None]]) -> None:
    """``expected``: each place's country, and for a town the state whose namesake it must be."""
    result = analyze(text)
    got = {p.name: p for p in result.places}
    assert set(got) == set(expected), got
    for name, (country, state) in expected.items():
        place = got[name]
        assert place.country == country and place.lat is not None, place
        if state is not None:
            inside = geocode(state)
            assert inside is not None and inside.kind == "admin1"
            hit = geocode(name, inside=[inside], small=True)
            assert hit is not None and (place.lat, place.lon) == (hit.lat, hit.lon), (place, hit)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Scientists say microbes could survive on Mars and in Mars simulation chambers.", "Mars"),
        ("Helen, Clarence and Irene Kunz were found dead at their home in 1987.", "Clarence"),
        ("The CIA kept its part in the Argo rescue secret for years.", "Argo"),
        # a town of another country at the head of a company's name (Caledon, Ontario)
        ("Talks between Caledon Ferries and the union collapsed in Aberdeen, Scotland.", "Caledon"),
        # a list of surnames is no list of towns (Hawkins, Texas)
        ("Third-party candidates La Riva, Hawkins and Blankenship were on the ballot.", "Hawkins"),
        # a short word at the head of a name is no state's abbreviation ("La." is Louisiana)
        ("Forecasters said La Niña would bring a dry winter.", "Louisiana"),
        # a group in a list with places is no town (Arab, Alabama)
        ("The talks were attended by Israel, Arab leaders and European envoys.", "Arab"),
    ],
)
def test_names_that_are_also_small_towns_stay_off_the_map(text: str, name: str) -> None:
    town, _, state = name.partition(", ")
    placed = [p for p in analyze(text).places if p.lat is not None and town in p.name]
    if state:  # the name is a place, but not that town
        hit = geocode(town, inside=[geocode(state)], small=True)  # type: ignore[list-item]
        assert hit is not None and all((p.lat, p.lon) != (hit.lat, hit.lon) for p in placed)
    else:
        assert placed == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("url", "state"),
    [
        (None, "TN"),
        ("https://www.cleveland.com/news/barn-fire.html", "OH"),
        ("https://www.tennessean.com/x", "TN"),
    ],
)
def test_the_outlets_home_picks_the_namesake(url: str | None, state: str) -> None:
    text = "A fire destroyed a barn near Franklin on Sunday, the fire chief said."
    result = analyze(text, url=url) if url else analyze(text)
    franklin = next(p for p in result.places if p.name == "Franklin")
    hit = geocode("Franklin", states=frozenset({state}), small=True)
    assert hit is not None and hit.admin1 == state and (franklin.lat, franklin.lon) == (hit.lat, hit.lon)


@pytest.mark.slow
def test_a_metropolis_is_no_evidence_for_the_towns_near_it() -> None:
    # Cambridge, Maryland (13,000 people) lies 90 km from Washington; the bigger Cambridges win
    result = analyze("Officials in Washington questioned the data firm's work in Cambridge.")
    cambridge = next(p for p in result.places if p.name == "Cambridge")
    hit = geocode("Cambridge", countries=frozenset({"US"}), small=True)
    assert hit is not None and (cambridge.lat, cambridge.lon) == (hit.lat, hit.lon)
    assert not hit.town


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("Firms left western states such as Oregon or Washington for Utah.", "Washington", "admin1"),
        ("Ministers from Florida and Georgia met on Monday.", "Georgia", "admin1"),
        ("Talks between Georgia, Armenia and Azerbaijan resumed.", "Georgia", "country"),
        ("Talks in Moscow and Washington stalled.", "Washington", "city"),
    ],
)
def test_names_listed_together_are_of_one_kind(text: str, name: str, kind: str) -> None:
    assert _places(text)[name][1] == kind


@pytest.mark.slow
def test_a_persons_surname_inside_a_name_is_no_town() -> None:
    text = (
        "Help came from board members Jeremy Allen and Paul Astbury in Santa Barbara. The dinner at"
        " Black Sheep, complete with Allen’s Sine Qua Non and Torbreck bottles, was a hit."
    )
    assert "Allen" not in _places(text)  # Allen, Texas


@pytest.mark.slow
def test_an_exonym_of_a_metropolis_beats_odd_alternate_names() -> None:
    # GeoNames lists "Mecca" among the names of Medina, Ohio too; Makkah's exonym wins
    places = _places("Pilgrims travel to the holy cities of Mecca and Medina every year.")
    # and "Medina", the real name of towns in Ohio and elsewhere, is Saudi Arabia's beside Mecca
    assert places["Mecca"][0] == places["Medina"][0] == "SA"
    assert _places("Voters in Medina, Ohio, went to the polls.")["Medina"][0] == "US"
    ohio = geocode("Ohio")
    assert ohio is not None
    assert geocode("Mecca", inside=[ohio], small=True) != geocode("Medina", inside=[ohio])


@pytest.mark.slow
def test_a_name_qualified_once_is_no_context_for_its_namesakes() -> None:
    # the second "Red Oak" (a bigger namesake lies in Texas) must not pull the county to Texas
    text = (
        "RED OAK, Iowa — The Montgomery County Democrats will meet at the Montgomery County"
        " History Center on North Fourth Street in Red Oak. Clarinda residents are welcome."
    )
    result = analyze(text)
    county = next(p for p in result.places if p.name == "Montgomery County")
    assert county.lat is not None and abs(county.lat - 41.0) < 0.5  # Iowa's, not Texas's (30.3)
    assert {p.country for p in result.places} == {"US"}


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a first name the parser called a place (Anna, Russia; Anna, Texas), in a transcript
        (
            "((WN)) Who is the toughest opponent you ever faced? ((Dorsa)) I played the Muzychuk"
            " sisters Anna and Mariya in a round-robin tournament in late 2016 in Iran.",
            "Anna",
        ),
    ],
)
def test_a_persons_name_the_parser_took_for_a_place_is_none(text: str, name: str) -> None:
    assert name not in _places(text)


@pytest.mark.slow
def test_a_first_name_with_a_qualifier_stays_a_place() -> None:
    assert _places("Officials in Anna, Texas, said the storm had passed.")["Anna"][0] == "US"


@pytest.mark.slow
def test_a_prefix_of_a_known_place_name_is_no_place() -> None:
    # San Marcos is too small to place without support; "San" alone (a town in Mali) is no reading
    text = (
        "He was accepted to Oregon State University and California State University at San Marcos,"
        " KTLA reported."
    )
    places = _places(text)
    assert "San" not in places


@pytest.mark.slow
def test_a_person_that_is_only_a_town_becomes_a_place() -> None:
    text = (
        "Ferries between Aberdeen, Kirkwall and Lerwick were cancelled. "
        "Tom Lewis, a union official in Aberdeen, said crews would strike again."
    )
    result = analyze(text)
    types = {e.name: e.type for e in result.entities}
    assert types.get("Lerwick") in {"GPE", None} and types.get("Tom Lewis") == "PERSON"
    lerwick = next(p for p in result.places if p.name == "Lerwick")
    assert lerwick.country == "GB"
    if "Lerwick" in types:
        assert lerwick.entity_id == next(e.id for e in result.entities if e.name == "Lerwick")


@pytest.mark.slow
def test_a_site_takes_the_point_of_the_place_it_is_in() -> None:
    result = analyze("The suspect was arrested at Barclays Center in Brooklyn on Friday.")
    site = next(p for p in result.places if p.name == "Barclays Center")
    brooklyn = next(p for p in result.places if p.name == "Brooklyn")
    assert site.kind == "facility" and site.country == "US"
    assert (site.lat, site.lon) == (brooklyn.lat, brooklyn.lon)


@pytest.mark.slow
def test_a_site_is_placed_in_the_state_the_article_names() -> None:
    # the model homes' names (Norbury, Somerville) are places elsewhere; the golf club is not there
    text = (
        "The homes in Haymarket, Virginia, come in four plans: Jamison, Norbury, Granville and"
        " Somerville. Residents play golf at the Stonewall Golf Club nearby."
    )
    club = next(p for p in analyze(text).places if p.name == "Stonewall Golf Club")
    assert club.country == "US" and club.lat is not None and club.lon is not None
    assert abs(club.lat - 38.8) < 0.5 and abs(club.lon + 77.6) < 0.5  # northern Virginia


@pytest.mark.slow
def test_mentions_index_the_input_text_when_repair_changes_it() -> None:
    text = "Officials  in\u00a0Geneva   met their counterparts from Vienna."
    result = analyze(text)
    got = {p.name: [(m.start, m.end, m.text) for m in p.mentions] for p in result.places}
    assert got["Geneva"] == [(text.index("Geneva"), text.index("Geneva") + 6, "Geneva")]
    assert got["Vienna"] == [(text.index("Vienna"), text.index("Vienna") + 6, "Vienna")]


@pytest.mark.slow
def test_the_seed_article_places(seed_text: str) -> None:
    result = analyze(seed_text, published="2022-01-11")
    countries = {p.name: p.country for p in result.places}
    assert {
        k: countries.get(k)
        for k in ("Moscow", "Geneva", "Brussels", "Vienna", "Ukraine", "Russia", "United States")
    } == {
        "Moscow": "RU",
        "Geneva": "CH",
        "Brussels": "BE",
        "Vienna": "AT",
        "Ukraine": "UA",
        "Russia": "RU",
        "United States": "US",
    }
    assert all(p.lat is not None for p in result.places if p.kind in {"country", "city"})


@pytest.mark.slow
def test_the_capitalised_state_refers_back_to_the_state() -> None:
    text = "Tamil Nadu asked the court for more water. In its petition, the State said the Centre had failed."
    assert _places(text)["Tamil Nadu"][2] == ["Tamil Nadu", "the State"]


@pytest.mark.slow
@pytest.mark.parametrize(
    "text",
    [
        # no antecedent: no place
        "Relations between the two countries have cooled, the minister said.",
        "He was sentenced to five years in prison and said the world had turned on him.",
        "Both cities were quiet on Sunday.",
    ],
)
def test_place_nouns_with_nothing_to_refer_to_are_no_places(text: str) -> None:
    assert analyze(text).places == []


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "site", "near"),
    [
        # a site the parser takes for a person ("Harold Pinter Theatre"), in another paragraph
        # than the town: it takes the town the article names most
        (
            "The band played in Leicester on Friday.\n\nTickets for Harold Pinter Theatre went fast.",
            "Harold Pinter Theatre",
            "Leicester",
        ),
        (
            "Flooding hit homes in Carlisle and Penrith on Monday.\n\n"
            "Volunteers later cleared the Brookside Library, which reopened on Friday.",
            "Brookside Library",
            "Carlisle",
        ),
    ],
)
def test_a_site_takes_the_point_of_the_town_around_it(text: str, site: str, near: str) -> None:
    places = {p.name: p for p in analyze(text).places}
    assert site in places, list(places)
    assert places[site].kind == "facility"
    assert (places[site].lat, places[site].lon) == (places[near].lat, places[near].lon)


@pytest.mark.slow
def test_the_school_refers_back_to_the_last_elementary() -> None:
    text = "Pupils at Hillside Elementary in Dayton, Ohio, were sent home. The school reopened on Monday."
    places = _places(text)
    assert places["Hillside Elementary"][2] == ["Hillside Elementary", "The school"]


@pytest.mark.slow
def test_a_us_county_named_alone_is_on_the_map() -> None:
    result = analyze("Voters in Cuyahoga County backed the levy on Tuesday.")
    county = next(p for p in result.places if p.name == "Cuyahoga County")
    assert county.kind == "admin2" and county.lat is not None and county.lon is not None
    assert math.dist((county.lat, county.lon), (41.4, -81.7)) < 0.3


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "town", "state"),
    [
        # a county across a state line is evidence for the namesake near it
        ("Deputies from Kenton County searched a house in Milford on Friday.", "Milford", "OH"),
        ("Crews from Rabun County worked on a road in Franklin on Monday.", "Franklin", "NC"),
    ],
)
def test_a_county_named_nearby_picks_the_towns_namesake(text: str, town: str, state: str) -> None:
    place = next(p for p in analyze(text).places if p.name == town)
    assert place.lat is not None and place.lon is not None
    hit = geocode(town, states=frozenset({state}), small=True)
    assert hit is not None and math.dist((place.lat, place.lon), (hit.lat or 0.0, hit.lon or 0.0)) < 0.01


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "sites"),
    [
        # names the parser left out: a proper name ending in a site word, names before a street word
        (
            "Police in Gainesville said the crash closed Oak Street. Pupils at Buckland Elementary left.",
            {"Oak Street", "Buckland Elementary"},
        ),
        (
            "Police in Chicago said he collapsed at the corner of State and Hubbard streets.",
            {"State", "Hubbard"},
        ),
        # road numbers, also where the parser labels them
        ("Police in Cirencester said the crash closed the A417 on Monday.", {"A417"}),
        # a road number before a noun names no road
        ("Health workers in Leeds were short of the N95 masks.", set()),
    ],
)
def test_sites_the_parser_left_out(text: str, sites: set[str]) -> None:
    places = analyze(text).places
    town = next(p for p in places if p.kind == "city")
    found = {p.name for p in places if p.kind == "facility"}
    assert found == sites
    assert all((p.lat, p.lon) == (town.lat, town.lon) for p in places if p.kind == "facility")


@pytest.mark.slow
def test_a_descriptor_with_its_own_name_describes_no_other_place() -> None:
    # "region" of "the Ural region of Russia" is no mention of Russia
    places = _places("A building collapsed in Magnitogorsk, a city in the Ural region of Russia.")
    assert places["Russia"][2] == ["Russia"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "name", "mentions"),
    [
        # a settlement the gazetteer lacks, made one by its descriptor, is that place throughout
        (
            "Boys train in Cairo's gated suburb of Madinaty every week. Beyond Madinaty, the club"
            " runs other academies.",
            "Madinaty",
            ["Madinaty", "Madinaty"],
        ),
        # a site word before the name; "the school" after a college
        (
            "Tourists in Kiev stayed at Hotel Kyjev. The hotel will be rebuilt.",
            "Hotel Kyjev",
            ["Hotel Kyjev", "The hotel"],
        ),
        (
            "Students at Hillside College in Dayton, Ohio, left. The school reopened on Monday.",
            "Hillside College",
            ["Hillside College", "The school"],
        ),
    ],
)
def test_sites_and_settlements_the_gazetteer_lacks(text: str, name: str, mentions: list[str]) -> None:
    places = _places(text)
    assert name in places, places
    assert places[name][2] == mentions


@pytest.mark.slow
def test_a_county_found_by_the_scan_is_the_one_near_the_towns() -> None:
    # the parser leaves "Greene County" inside an office's name: one of many, Ohio's beside Xenia
    text = "The Greene County Sheriff's Office said the crash happened near Xenia."
    county = next(p for p in analyze(text).places if p.name == "Greene County")
    assert county.lat is not None and county.lon is not None
    assert math.dist((county.lat, county.lon), (39.7, -83.9)) < 0.3


@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "names"),
    [
        # a town no entity claimed after "toward"; a person after it is no town
        (
            "Police in Salem said the suspect fled toward Keizer and was caught in Woodburn.",
            {"Salem", "Keizer", "Woodburn"},
        ),
        ("The talks moved toward Smith and his allies.", set()),
    ],
)
def test_toward_a_town(text: str, names: set[str]) -> None:
    assert {p.name for p in analyze(text).places} == names
