"""Tags: a first ranked list for the TAGS line, from the article's central actors and places.

An entity's weight is its mention count, more for mentions early in the body and for quotes
it speaks; mentions in the caption count little so that it does not dominate. Organisations
known by an acronym are tagged by it ("OSCE"), as editors do.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from newsgraph.extract.base import Found
from newsgraph.models import Entity

TAG_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "EVENT"})
MAX_TAGS = 15


def _tag_name(entity: Entity) -> str:
    if entity.type == "ORG":
        acronyms = [m.text for m in entity.mentions if re.fullmatch(r"[A-Z]{2,8}", m.text)]
        if acronyms:
            return acronyms[0]
    return entity.name


def _weight(entity: Entity, found: Found, length: int) -> float:
    weight = 0.0
    for mention in entity.mentions:
        zone = found.zone_of(mention.start)
        if zone == "caption":
            weight += 0.25
        elif zone == "trailer":
            continue
        else:
            weight += 1.0 + 0.5 * (1 - mention.start / max(1, length))
    weight += 0.5 * sum(1 for q in found.quotes if q.speaker_id == entity.id)
    if entity.type == "PERSON" and " " not in entity.name:
        weight *= 0.5  # a lone first or last name is often a passing reference
    return weight


def extract(doc: Doc, found: Found) -> list[str]:
    """Rank the article's actors and places as tags; fill ``found.tags``."""
    length = len(found.article.text)
    scored = [
        (_weight(e, found, length), -e.mentions[0].start, _tag_name(e))
        for e in found.entities
        if e.type in TAG_TYPES and e.mentions
    ]
    scored.sort(reverse=True)
    tags: list[str] = []
    seen: set[str] = set()
    for weight, _, name in scored:
        key = name.lower()
        if weight < 1.0 or key in seen:
            continue
        seen.add(key)
        tags.append(name)
        if len(tags) >= MAX_TAGS:
            break
    found.tags = tags
    return tags
