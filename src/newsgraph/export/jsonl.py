"""JSONL export: the stored records, one JSON object per line, as ``newsgraph analyze`` prints them."""

from __future__ import annotations

import json
from typing import Any, TextIO

from newsgraph.store import Store

__all__ = ["write_jsonl"]


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
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
