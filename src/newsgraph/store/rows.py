"""Store rows: what an analysed article becomes in any backend, built where it was analysed.

:func:`prepare` is pure and runs in the worker that analysed the article (a local process or a
Ray actor); the store's writer only inserts the rows it returns.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from newsgraph.minhash import bands, signature
from newsgraph.models import Analysis, Article

__all__ = ["Prepared", "analysis_of", "article_date", "content_hash", "prepare"]


@dataclass
class Prepared:
    """One analysed article as rows for the store; built by :func:`prepare` in any process."""

    hash: str
    key: str
    url: str | None
    source: str | None
    title: str | None
    published: str | None
    date: str | None
    text: str
    words: int
    record: bytes
    minhash: bytes | None
    #: where the article was read, when that is not its key ("feed.jsonl:12")
    origin: str | None = None
    #: LSH band keys of the MinHash signature
    bands: list[int] = field(default_factory=list)
    #: (local id, type, name, mention count, first offset, roles)
    entities: list[tuple[str, str, str, int, int | None, tuple[str, ...]]] = field(default_factory=list)
    #: (speaker, speaker (type, name) or None, text, kind, cue, start, end)
    quotes: list[tuple[str | None, tuple[str, str] | None, str, str, str | None, int, int]] = field(
        default_factory=list
    )
    #: (type, label, place, country, lat, lon, date, date_text, status, start, end, participants, parties)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    #: (name, country, lat, lon, kind, mention count, first offset)
    places: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: (code, label, top level, score)
    topics: list[tuple[str, str, str, float]] = field(default_factory=list)


def content_hash(text: str) -> str:
    """The key of an article in the store: SHA-256 (hex) of its text as read."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_PATH_DATE_RE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})([-/_.])(0[1-9]|1[0-2])\2(0[1-9]|[12][0-9]|3[01])(?![0-9])"
)


def article_date(published: str | None, *places: str | None) -> str | None:
    """The date an article is filed under: its publication date, else one in its URL or path.

    News URLs and archive file names often carry the date (``/2022/01/11/``,
    ``outlet_2016-03-11_slug.txt``); ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY_MM_DD`` and
    ``YYYY.MM.DD`` are read, when they are real calendar dates.
    """
    if published:
        return published
    for place in places:
        if not place:
            continue
        for match in _PATH_DATE_RE.finditer(place):
            try:
                return date(int(match[1]), int(match[3]), int(match[4])).isoformat()
            except ValueError:
                continue
    return None


def prepare(article: Article, analysis: Analysis, *, digest: str | None = None) -> Prepared:
    """The store's rows for one analysed article (pure; runs in the process that analysed it)."""
    text = analysis.text if analysis.text is not None else article.text
    meta = analysis.metadata
    record = zlib.compress(analysis.model_dump_json(exclude_none=False).encode("utf-8"), 6)
    by_id = {entity.id: entity for entity in analysis.entities}
    prepared = Prepared(
        hash=digest or content_hash(article.text),
        key=analysis.id,
        url=meta.url,
        source=meta.source,
        title=meta.title,
        published=meta.published,
        date=article_date(meta.published, meta.url, analysis.id),
        text=text,
        words=len(text.split()),
        record=record,
        minhash=signature(text),
        origin=article.origin,
    )
    prepared.bands = bands(prepared.minhash) if prepared.minhash else []
    for entity in analysis.entities:
        first = min((m.start for m in entity.mentions), default=None)
        roles = tuple(dict.fromkeys(r.strip() for r in entity.roles if r.strip()))
        prepared.entities.append(
            (entity.id, entity.type, entity.name, max(len(entity.mentions), 1), first, roles)
        )
    for quote in analysis.quotes:
        speaker_key: tuple[str, str] | None = None
        speaker_entity = by_id.get(quote.speaker_id) if quote.speaker_id else None
        if speaker_entity is not None:
            speaker_key = (speaker_entity.type, speaker_entity.name)
        elif quote.speaker:
            speaker_key = ("PERSON", quote.speaker)
        prepared.quotes.append(
            (quote.speaker, speaker_key, quote.text, quote.kind, quote.cue, quote.start, quote.end)
        )
    for event in analysis.events:
        place = event.place
        prepared.events.append(
            (
                event.type,
                event.label,
                place.name if place else None,
                place.country if place else None,
                place.lat if place else None,
                place.lon if place else None,
                event.date,
                event.date_text,
                event.status,
                event.start,
                event.end,
                tuple(event.participants),
                tuple(event.parties),
            )
        )
    for place_record in analysis.places:
        first = min((m.start for m in place_record.mentions), default=None)
        prepared.places.append(
            (
                place_record.name,
                place_record.country,
                place_record.lat,
                place_record.lon,
                place_record.kind,
                max(len(place_record.mentions), 1),
                first,
            )
        )
    prepared.tags = list(analysis.tags)
    prepared.topics = [(t.code, t.label, t.top_level, t.score) for t in analysis.topics]
    return prepared


def analysis_of(record: bytes) -> Analysis:
    """The :class:`Analysis` stored compressed in an article row (its ``record`` column)."""
    return Analysis.model_validate_json(zlib.decompress(bytes(record)))
