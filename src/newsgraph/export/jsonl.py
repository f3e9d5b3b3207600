"""JSONL export: the stored records, one JSON object per line, as ``newsgraph analyze`` prints them."""

from __future__ import annotations

import json
from typing import Any, TextIO

from newsgraph.store import Store, analysis_of

__all__ = ["write_jsonl"]


def write_jsonl(store: Store, out: TextIO, *, corpus: bool = False) -> int:
    """Write every stored article's record to ``out``; returns how many were written.

    With ``corpus``, each record also carries ``corpus``: the article's store id and hash, the
    date it is filed under, its near-duplicate group and story, and ``actors`` (entity id ->
    corpus actor id).
    """
    count = 0
    for row in store.db.execute("SELECT * FROM articles ORDER BY id"):
        record: dict[str, Any] = analysis_of(row).model_dump(mode="json")
        if record.get("text") is None:
            record.pop("text", None)
        if corpus:
            actors = {
                local: actor
                for local, actor in store.db.execute(
                    "SELECT e.local_id, n.actor FROM entities e JOIN names n ON n.id = e.name_id"
                    " WHERE e.article = ?",
                    (row["id"],),
                )
            }
            record["corpus"] = {
                "article": row["id"],
                "hash": row["hash"],
                "date": row["date"],
                "duplicate_group": row["dup_group"],
                "story": row["story"],
                "actors": actors,
            }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
