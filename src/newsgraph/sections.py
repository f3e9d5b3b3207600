"""Long articles: cut into pieces for the parser and sections for the extractors, then merged.

spaCy's memory grows with the length of one text (about 3 MB per 1,000 characters with
``en_core_web_sm``), and several extractors compare every mention with every other one, so
neither sees a whole transcript at once:

- the parser reads **pieces** of at most :data:`PIECE_CHARS` characters, cut at paragraph
  breaks (else sentence ends, else spaces; see :func:`split_text`); the pieces of one section
  are joined back into one ``Doc`` (``Doc.from_docs``), so that the extractors see one text and
  a speaker or an event across a cut still resolves;
- an article longer than :data:`SECTION_CHARS` is analysed one **section** at a time (a section
  is cut like a piece, at paragraph breaks), and :func:`merge` makes one record of the
  sections' records: offsets shifted into the whole text, the same entity in several sections
  one entity (a lone surname joins the full name it follows), tags and topics ranked over the
  whole article.

A quote whose speaker is named only in an earlier section ("he said" at the top of a section)
keeps no speaker: sections are ten times the length of a long news article, so this is rare.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from newsgraph.extract import tags as tags_module
from newsgraph.extract import topics as topics_module
from newsgraph.extract.base import Found
from newsgraph.models import Analysis, Article, Entity, Event, Mention, Place, Quote, Zone
from newsgraph.repair import Repaired

__all__ = ["PIECE_CHARS", "SECTION_CHARS", "SectionResult", "merge", "section_article", "split_text"]

#: Longest text the parser reads at once (characters): about 8,000 words, longer than nearly
#: every news article (those are parsed whole, in batches), about 170 MB of parser memory.
PIECE_CHARS = 50_000
#: Longest text the extractors read at once (characters): about 16,000 words.
SECTION_CHARS = 100_000

# Where a text may be cut, best first: after a blank line or a line break, after a sentence's
# end, after any space. The cut falls after the whitespace, so a piece starts with a word.
_BREAKS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"[.!?]['\"\u2019\u201d)\]]*\s+"),
    re.compile(r"\s+"),
)


def split_text(text: str, size: int) -> list[tuple[int, int]]:
    """Cut ``text`` into consecutive ``(start, end)`` spans of at most ``size`` characters.

    Each cut falls after a paragraph break, else a line break, else a sentence's end, found
    in the second half of the span's window first, then anywhere in it; else after a space
    (again the second half first); else at ``size`` characters. The spans cover the text
    exactly: ``"".join(text[s:e] for s, e in spans) == text``.
    """
    if size < 1:
        raise ValueError(f"size must be positive, not {size}")
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        spans.append((start, _cut(text, start, start + size)))
        start = spans[-1][1]
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _cut(text: str, start: int, limit: int) -> int:
    """The end of the span that starts at ``start`` and may run to ``limit``."""
    half = start + (limit - start) // 2
    for patterns in (_BREAKS[:-1], _BREAKS[-1:]):
        for low in (half, start):
            for pattern in patterns:
                end = _last_break(pattern, text, low, limit)
                if end > start:
                    return end
    return limit


def _last_break(pattern: re.Pattern[str], text: str, low: int, limit: int) -> int:
    """The end of the last break of ``pattern`` ending in ``(low, limit]``, else -1.

    A run of whitespace that goes on past ``limit`` is cut at ``limit``.
    """
    end = -1
    for match in pattern.finditer(text, max(low - 1, 0), limit + 1):
        if match.end() > limit:
            return limit if match.start() < limit else end
        end = match.end()
    return end if end > low else -1


def section_article(article: Article, start: int, end: int) -> Article:
    """The part ``article.text[start:end]`` as an article of its own (zones clipped and shifted)."""
    zones = [
        Zone(kind=z.kind, start=max(z.start, start) - start, end=min(z.end, end) - start)
        for z in article.zones
        if z.start < end and start < z.end
    ]
    return article.model_copy(update={"text": article.text[start:end], "zones": zones})


@dataclass
class SectionResult:
    """One section's analysis (offsets into the section) and what merging needs beyond it."""

    start: int
    analysis: Analysis
    subjects: list[str] = field(default_factory=list)
    topic_evidence: dict[str, float] = field(default_factory=dict)


def merge(article: Article, sections: Sequence[SectionResult]) -> Analysis:
    """One analysis of ``article`` from the analyses of its sections, in text order."""
    entities, new_ids, rename = _merge_entities(sections)
    names = {e.id: e.name for e in entities}
    quotes: list[Quote] = []
    events: list[Event] = []
    places: dict[tuple[object, ...], Place] = {}
    for section, ids in zip(sections, new_ids, strict=True):
        shift, result = section.start, section.analysis
        for quote in result.quotes:
            speaker_id = ids.get(quote.speaker_id) if quote.speaker_id else None
            speaker = names[speaker_id] if speaker_id else quote.speaker
            quotes.append(_shifted(quote, shift, speaker_id=speaker_id, speaker=speaker))
        for event in result.events:
            participants = list(dict.fromkeys(rename.get(p, p) for p in event.participants))
            events.append(_shifted(event, shift, participants=participants))
        for place in result.places:
            key = (place.name, place.country, place.lat, place.lon, place.kind)
            mentions = [_mention(m, shift) for m in place.mentions]
            if key in places:
                places[key].mentions.extend(mentions)
                continue
            entity_id = ids.get(place.entity_id) if place.entity_id else None
            places[key] = place.model_copy(update={"entity_id": entity_id, "mentions": mentions})
    found = Found(article=article, repaired=Repaired.identity(article.text))
    found.entities, found.quotes = entities, quotes
    subjects = _fused([s.subjects for s in sections], tags_module.MAX_KEYPHRASE_TAGS)
    evidence: Counter[str] = Counter()
    for section in sections:
        evidence.update(section.topic_evidence)
    return Analysis(
        id=article.id,
        text=article.text if article.extracted else None,
        metadata=sections[0].analysis.metadata,
        entities=entities,
        quotes=quotes,
        events=events,
        places=list(places.values()),
        tags=tags_module.merge_tags(tags_module.entity_tags(found), subjects),
        keyphrases=_fused([s.analysis.keyphrases for s in sections], tags_module.MAX_KEYPHRASES),
        topics=topics_module.classify(evidence),
    )


def _mention(mention: Mention, shift: int) -> Mention:
    return Mention(start=mention.start + shift, end=mention.end + shift, text=mention.text)


_OFFSET_FIELDS = (
    "start",
    "end",
    "speaker_start",
    "speaker_end",
    "cue_start",
    "cue_end",
    "clause_start",
    "clause_end",
)
_QuoteOrEvent = TypeVar("_QuoteOrEvent", Quote, Event)


def _shifted(record: _QuoteOrEvent, shift: int, **update: object) -> _QuoteOrEvent:
    for name in _OFFSET_FIELDS:
        value = getattr(record, name, None)
        if value is not None:
            update[name] = value + shift
    return record.model_copy(update=update)


def _merge_entities(
    sections: Sequence[SectionResult],
) -> tuple[list[Entity], list[dict[str, str]], dict[str, str]]:
    """The sections' entities as one list, each section's old id -> new id, and renamed names.

    Entities of one type and name are one; a one-word person ("Peskov") joins the full name
    ("Dmitry Peskov") whose last (or first) word it is, the one first mentioned last before it
    when there are several. Ids are numbered again in order of first mention, as the extractor
    numbers them.
    """
    groups: dict[tuple[str, str], list[tuple[int, Entity]]] = {}
    first: dict[tuple[str, str], int] = {}
    for n, section in enumerate(sections):
        for entity in section.analysis.entities:
            key = (entity.type, entity.name.lower())
            groups.setdefault(key, []).append((n, entity))
            if entity.mentions:
                at = entity.mentions[0].start + section.start
                first[key] = min(first.get(key, at), at)
    full_people: dict[str, list[tuple[str, str]]] = {}
    for key in groups:
        words = key[1].split()
        if key[0] == "PERSON" and len(words) > 1:
            for word in dict.fromkeys((words[0], words[-1])):
                full_people.setdefault(word, []).append(key)
    target: dict[tuple[str, str], tuple[str, str]] = {}
    for key in groups:
        if key[0] != "PERSON" or " " in key[1] or key[1] not in full_people:
            continue
        at = first.get(key, 0)
        candidates = [(first.get(full, 0), full) for full in full_people[key[1]]]
        before = [c for c in candidates if c[0] <= at]
        if before or len(candidates) == 1:
            target[key] = max(before)[1] if before else candidates[0][1]

    merged: dict[tuple[str, str], list[tuple[int, Entity]]] = {}
    for key, members in groups.items():
        merged.setdefault(target.get(key, key), []).extend(members)
    ordered = sorted(merged.items(), key=lambda item: first.get(item[0], 0))
    entities: list[Entity] = []
    new_ids: list[dict[str, str]] = [{} for _ in sections]
    rename: dict[str, str] = {}
    for number, (key, members) in enumerate(ordered, 1):
        entity_id = f"e{number}"
        name = _canonical([e for _, e in members if (e.type, e.name.lower()) == key])
        roles: list[str] = []
        mentions: list[Mention] = []
        for n, entity in members:
            new_ids[n][entity.id] = entity_id
            if entity.name != name:
                rename[entity.name] = name
            roles.extend(r for r in entity.roles if r not in roles)
            mentions.extend(_mention(m, sections[n].start) for m in entity.mentions)
        mentions.sort(key=lambda m: m.start)
        entities.append(Entity(id=entity_id, name=name, type=key[0], roles=roles, mentions=mentions))
    return entities, new_ids, rename


def _canonical(entities: Sequence[Entity]) -> str:
    """The name most mentions of one entity's sections carry (the first one on a tie)."""
    counts: Counter[str] = Counter()
    for entity in entities:
        counts[entity.name] += len(entity.mentions)
    best = max(counts.values())
    return next(e.name for e in entities if counts[e.name] == best)


def _fused(rankings: Sequence[Sequence[str]], limit: int) -> list[str]:
    """Reciprocal-rank fusion of the sections' ranked phrases (one form per tag key)."""
    scores: dict[str, float] = {}
    forms: dict[str, str] = {}
    for ranking in rankings:
        for rank, phrase in enumerate(ranking):
            key = tags_module.tag_key(phrase)
            forms.setdefault(key, phrase)
            scores[key] = scores.get(key, 0.0) + 1.0 / (rank + 1)
    best = sorted(scores, key=lambda key: -scores[key])  # stable: the earlier section wins a tie
    return [forms[key] for key in best[:limit]]
