"""IPTC ninjs 3.1 ("news in JSON"): one ninjs object per article, valid against IPTC's schema.

The mapping, field by field (ninjs has no field for quotes or roles; they go where the official
schema allows them, so the plain output validates against it as it is):

- ``uri``: the article's URL when it has one, else ``urn:newsgraph:<id>``; ``altIds`` carry the
  newsgraph id and the URL;
- ``versionCreated``: the publication date at 00:00 UTC (inputs carry a date, not a time);
- ``headlines`` (title), ``bodies`` (the article text, plain, with character and word counts),
  ``language`` (``en``);
- ``people`` and ``organisations``: the article's PERSON and ORG entities; a person's roles
  ("Kremlin spokesman") are its ``rel``, joined with "; ";
- ``places``: the geocoded places, each with a GeoJSON ``Point`` when it has coordinates;
- ``subjects``: the IPTC Media Topics with their URIs (``relevance`` = score x 100), then the
  tags (``rel: "tag"``);
- ``events``: one per event, ``name`` its label, ``literal`` its PLOVER type, ``rel`` its status;
- ``descriptions``: the photo caption (``role: "caption"``), then one JSON object per quote
  (``role: "quote"``: text, speaker, kind, cue, offsets into the body) and per event
  (``role: "event"``: type, date, place with coordinates, participants, parties).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from newsgraph.models import Analysis

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from newsgraph.store import Store

__all__ = [
    "NINJS_SCHEMA_PATH",
    "NINJS_SCHEMA_URI",
    "NinjsError",
    "ninjs_errors",
    "to_ninjs",
    "validate_ninjs",
    "write_ninjs",
]

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
NINJS_SCHEMA_PATH = SCHEMAS / "ninjs-schema_3.1.json"
NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json"
GEOJSON_SCHEMA_PATH = SCHEMAS / "geojson.schema.json"  # what the ninjs schema's places.geoJSON refers to
MEDIATOPIC_URI = "http://cv.iptc.org/newscodes/mediatopic/"
# characters a URL may keep as they are; anything else (spaces, non-ASCII) is percent-encoded
_URI_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


class NinjsError(ValueError):
    """A ninjs object that the official schema rejects (the message lists why)."""


def _uri(analysis: Analysis) -> str:
    url = analysis.metadata.url
    if url:
        parts = urlsplit(url.strip())
        if parts.scheme in ("http", "https") and parts.netloc:
            return quote(url.strip(), safe=_URI_SAFE)
    return "urn:newsgraph:" + quote(analysis.id, safe="")


def _date_time(day: str | None) -> str | None:
    if day and len(day) == 10:
        return f"{day}T00:00:00Z"
    return None


def _json(value: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in value.items() if v not in (None, [], "")}, ensure_ascii=False)


def to_ninjs(analysis: Analysis, *, text: str) -> dict[str, Any]:
    """The ninjs 3.1 object of one analysed article; ``text`` is the article's text (its body)."""
    meta = analysis.metadata
    item: dict[str, Any] = {
        "uri": _uri(analysis),
        "standard": {"name": "ninjs", "version": "3.1", "schema": NINJS_SCHEMA_URI},
        "type": "text",
        "representationType": "full",
        "language": "en",
    }
    created = _date_time(meta.published)
    if created:
        item["versionCreated"] = created
    alt_ids = [{"role": "newsgraph", "value": analysis.id}]
    if meta.url:
        alt_ids.append({"role": "url", "value": meta.url})
    item["altIds"] = alt_ids
    if meta.title:
        item["headlines"] = [{"role": "main", "value": meta.title}]
    item["bodies"] = [
        {
            "role": "main",
            "contentType": "text/plain",
            "charCount": len(text),
            "wordCount": len(text.split()),
            "value": text,
        }
    ]

    people: list[dict[str, Any]] = []
    organisations: list[dict[str, Any]] = []
    for entity in analysis.entities:
        if entity.type not in ("PERSON", "ORG"):
            continue
        person: dict[str, Any] = {"name": entity.name}
        if entity.roles:
            person["rel"] = "; ".join(entity.roles)
        (people if entity.type == "PERSON" else organisations).append(person)
    if people:
        item["people"] = people
    if organisations:
        item["organisations"] = organisations

    places = []
    for place in analysis.places:
        entry: dict[str, Any] = {"name": place.name}
        if place.lat is not None and place.lon is not None:
            entry["geoJSON"] = {"type": "Point", "coordinates": [place.lon, place.lat]}
        places.append(entry)
    if places:
        item["places"] = places

    subjects: list[dict[str, Any]] = [
        {
            "name": topic.label,
            "uri": MEDIATOPIC_URI + topic.code.removeprefix("medtop:"),
            "literal": topic.code,
            "creator": "newsgraph",
            "relevance": max(0, min(100, round(topic.score * 100))),
        }
        for topic in analysis.topics
    ]
    subjects += [{"name": tag, "rel": "tag", "creator": "newsgraph"} for tag in analysis.tags]
    if subjects:
        item["subjects"] = subjects

    if analysis.events:
        item["events"] = [
            {"id": f"event{n}", "name": event.label, "literal": event.type, "rel": event.status}
            for n, event in enumerate(analysis.events, 1)
        ]

    descriptions: list[dict[str, Any]] = []
    if meta.caption:
        caption = meta.caption + (f" ({meta.photo_credit})" if meta.photo_credit else "")
        descriptions.append({"role": "caption", "contentType": "text/plain", "value": caption})
    for quote_ in analysis.quotes:
        descriptions.append(
            {
                "role": "quote",
                "contentType": "application/json",
                "value": _json(
                    {
                        "text": quote_.text,
                        "speaker": quote_.speaker,
                        "kind": quote_.kind,
                        "cue": quote_.cue,
                        "start": quote_.start,
                        "end": quote_.end,
                    }
                ),
            }
        )
    for n, event in enumerate(analysis.events, 1):
        descriptions.append(
            {
                "role": "event",
                "contentType": "application/json",
                "value": _json(
                    {
                        "id": f"event{n}",
                        "type": event.type,
                        "label": event.label,
                        "status": event.status,
                        "date": event.date,
                        "date_text": event.date_text,
                        "place": event.place.model_dump() if event.place else None,
                        "participants": event.participants,
                        "parties": event.parties,
                        "start": event.start,
                        "end": event.end,
                    }
                ),
            }
        )
    if descriptions:
        item["descriptions"] = descriptions
    return item


@functools.cache
def _validator() -> Validator:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    schema = json.loads(NINJS_SCHEMA_PATH.read_text(encoding="utf-8"))
    geojson = json.loads(GEOJSON_SCHEMA_PATH.read_text(encoding="utf-8"))
    registry: Registry[Any] = Registry().with_resource(geojson["$id"], Resource.from_contents(geojson))
    validator: Validator = Draft202012Validator(
        schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
    )
    return validator


def ninjs_errors(item: object) -> list[str]:
    """Why the official ninjs 3.1 schema rejects ``item`` (an empty list: it is valid).

    Formats (``uri``, ``date-time``) are checked too, with the checkers jsonschema finds
    installed (``rfc3986-validator``, ``rfc3339-validator``).
    """
    errors = sorted(_validator().iter_errors(item), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}" for error in errors]


def validate_ninjs(item: object) -> None:
    """Raise :class:`NinjsError` when the official ninjs 3.1 schema rejects ``item``."""
    errors = ninjs_errors(item)
    if errors:
        raise NinjsError("not valid ninjs 3.1: " + "; ".join(errors))


def write_ninjs(store: Store, out: Any) -> int:
    """Write every stored article as one ninjs object per line to ``out``; returns how many."""
    from newsgraph.export.jsonl import dumps_line

    count = 0
    for stored in store.articles():
        item = to_ninjs(stored.analysis, text=stored.analysis.text or stored.text)
        if not item.get("versionCreated") and stored.date:
            item["versionCreated"] = _date_time(stored.date)
        out.write(dumps_line(item))
        count += 1
    return count
