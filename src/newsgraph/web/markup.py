"""An article's text cut into pieces for its page: plain runs, named actors and quotes.

The page marks every mention of a person, organisation or place (linked to its actor) and every
quote (with its speaker, cue and kind). Spans come from the analysis as character offsets into
the text; overlapping ones keep the first, and a mention that crosses a quote's edge is left
unmarked, so the pieces always nest and always add up to the whole text. Nothing here escapes:
the template does, for every piece.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Block", "Piece", "QuoteMark", "blocks", "entity_class", "snippet_pieces"]

_CLASSES = {
    "PERSON": "person",
    "ORG": "org",
    "NORP": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}


def entity_class(type_: str) -> str:
    """The page's class for an entity type: person, org, place (or other)."""
    return _CLASSES.get(type_, "other")


@dataclass(frozen=True)
class Piece:
    """A run of text, marked as a named actor when ``type`` is set."""

    text: str
    type: str | None = None  # person, org, place
    name: str | None = None  # the canonical name, for a mention
    actor: int | None = None  # the corpus actor it links to


@dataclass(frozen=True)
class QuoteMark:
    """What a quote's mark tells: who said it, with which cue, of which kind."""

    index: int
    kind: str
    speaker: str | None
    speaker_actor: int | None
    cue: str | None


@dataclass
class Block:
    """A stretch of text outside quotes, or one quote: its pieces in order."""

    quote: QuoteMark | None
    pieces: list[Piece] = field(default_factory=list)


def _spans(items: Sequence[tuple[int, int, Any]], size: int) -> list[tuple[int, int, Any]]:
    """Valid spans sorted by start, later ones that overlap an earlier one dropped."""
    kept: list[tuple[int, int, Any]] = []
    end = -1
    for start, stop, value in sorted(
        ((s, e, v) for s, e, v in items if 0 <= s < e <= size), key=lambda x: (x[0], -x[1])
    ):
        if start >= end:
            kept.append((start, stop, value))
            end = stop
    return kept


def blocks(text: str, record: Mapping[str, Any], actors: Mapping[str, int]) -> list[Block]:
    """The article's text as blocks (quotes and the text between them) of marked pieces.

    ``record`` is the article's analysis (as ``newsgraph analyze`` prints it), ``actors`` maps
    its entity ids to corpus actor ids. The pieces' texts, in order, are the whole ``text``.
    """
    size = len(text)
    entities = {e.get("id"): e for e in record.get("entities", []) if isinstance(e, Mapping)}
    quote_items: list[tuple[int, int, Any]] = []
    for index, quote in enumerate(record.get("quotes", [])):
        speaker_id = quote.get("speaker_id")
        mark = QuoteMark(
            index=index,
            kind=str(quote.get("kind", "")),
            speaker=quote.get("speaker"),
            speaker_actor=actors.get(speaker_id) if isinstance(speaker_id, str) else None,
            cue=quote.get("cue"),
        )
        quote_items.append((int(quote.get("start", -1)), int(quote.get("end", -1)), mark))
    quotes = _spans(quote_items, size)
    mention_items: list[tuple[int, int, Any]] = []
    for entity_id, entity in entities.items():
        for mention in entity.get("mentions", []):
            mention_items.append((int(mention.get("start", -1)), int(mention.get("end", -1)), entity_id))
    mentions = [m for m in _spans(mention_items, size) if not _crosses(m, quotes)]

    out: list[Block] = []
    cursor = 0
    for start, stop, mark in [*quotes, (size, size, None)]:
        if start > cursor:
            out.append(Block(None, _pieces(text, cursor, start, mentions, entities, actors)))
        if mark is not None:
            out.append(Block(mark, _pieces(text, start, stop, mentions, entities, actors)))
        cursor = max(cursor, stop)
    return out


def _crosses(span: tuple[int, int, Any], quotes: Sequence[tuple[int, int, Any]]) -> bool:
    start, stop, _ = span
    return any(q0 < stop and start < q1 and not (q0 <= start and stop <= q1) for q0, q1, _ in quotes)


def _pieces(
    text: str,
    start: int,
    stop: int,
    mentions: Sequence[tuple[int, int, Any]],
    entities: Mapping[Any, Mapping[str, Any]],
    actors: Mapping[str, int],
) -> list[Piece]:
    pieces: list[Piece] = []
    cursor = start
    for m0, m1, entity_id in mentions:
        if m1 <= start or m0 >= stop:
            continue
        if m0 > cursor:
            pieces.append(Piece(text[cursor:m0]))
        entity = entities[entity_id]
        pieces.append(
            Piece(
                text[m0:m1],
                type=entity_class(str(entity.get("type", ""))),
                name=entity.get("name"),
                actor=actors.get(entity_id) if isinstance(entity_id, str) else None,
            )
        )
        cursor = m1
    if stop > cursor:
        pieces.append(Piece(text[cursor:stop]))
    return pieces


def snippet_pieces(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) runs: the store marks matches as ``[word]``."""
    runs: list[tuple[str, bool]] = []
    rest = snippet
    while rest:
        open_at = rest.find("[")
        close_at = rest.find("]", open_at + 1) if open_at >= 0 else -1
        if open_at < 0 or close_at < 0:
            runs.append((rest, False))
            break
        if open_at:
            runs.append((rest[:open_at], False))
        runs.append((rest[open_at + 1 : close_at], True))
        rest = rest[close_at + 1 :]
    return runs
