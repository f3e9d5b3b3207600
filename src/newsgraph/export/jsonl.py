"""JSONL export: the stored records, one JSON object per line, as ``newsgraph analyze`` prints them."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from newsgraph.store import Store

__all__ = ["dumps_line", "write_jsonl"]

# Line separators that JSON leaves raw inside strings but that str.splitlines() (and JavaScript
# before ES2019) treat as line breaks: written escaped, so one record is always one line.
_LINE_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def dumps_line(record: object) -> str:
    """``record`` as one JSON line (UTF-8 text kept, line separators escaped), newline included."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def write_jsonl(store: Store, out: TextIO, *, corpus: bool = False) -> int:
    """Write every stored article's record to ``out``; returns how many were written.

    With ``corpus``, each record also carries ``corpus``: the article's store id and hash, the
    date it is filed under, its near-duplicate group and story, and ``actors`` (entity id ->
    corpus actor id).
    """
    count = 0
    for stored in store.articles():
        record: dict[str, Any] = stored.analysis.model_dump(mode="json")
        if record.get("text") is None:
            record.pop("text", None)
        if corpus:
            actors = {local: actor for local, (actor, _) in store.article_actors(stored.article_id).items()}
            record["corpus"] = {
                "article": stored.article_id,
                "hash": stored.hash,
                "date": stored.date,
                "duplicate_group": stored.duplicate_group,
                "story": stored.story,
                "actors": actors,
            }
        out.write(dumps_line(record))
        count += 1
    return count
