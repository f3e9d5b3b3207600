"""Parquet export: one file per record type, for DuckDB, pandas and Spark.

``write_parquet(store, directory)`` writes ``articles``, ``entities``, ``actors``,
``actor_roles``, ``quotes``, ``events``, ``places``, ``tags``, ``topics``, ``stories`` and
``errors`` (each ``<name>.parquet``). Rows join on ``article`` (the store's article id) and
``actor`` (the corpus actor id). Tables are streamed in row groups, so memory stays flat.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsgraph.store import Store

__all__ = ["TABLES", "write_parquet"]

_ROWS_PER_GROUP = 20_000

_S, _I, _F = pa.string(), pa.int64(), pa.float64()
_LIST = pa.list_(pa.string())


def _json_list(value: Any) -> list[str]:
    return list(json.loads(value)) if value else []


#: name -> (schema, SQL, converters for columns that need one)
TABLES: dict[str, tuple[pa.Schema, str, dict[str, Callable[[Any], Any]]]] = {
    "articles": (
        pa.schema(
            [
                ("article", _I),
                ("id", _S),
                ("hash", _S),
                ("url", _S),
                ("source", _S),
                ("title", _S),
                ("published", _S),
                ("date", _S),
                ("words", _I),
                ("duplicate_group", _I),
                ("story", _I),
                ("tags", _LIST),
                ("text", _S),
            ]
        ),
        "SELECT a.id, a.key, a.hash, a.url, a.source, a.title, a.published, a.date, a.words, a.dup_group,"
        " a.story,"
        " (SELECT json_group_array(tag) FROM (SELECT tag FROM tags WHERE article = a.id ORDER BY rank)),"
        " a.text FROM articles a ORDER BY a.id",
        {"tags": _json_list},
    ),
    "entities": (
        pa.schema(
            [
                ("article", _I),
                ("entity_id", _S),
                ("actor", _I),
                ("name", _S),
                ("type", _S),
                ("roles", _LIST),
                ("mentions", _I),
                ("first_offset", _I),
            ]
        ),
        "SELECT e.article, e.local_id, n.actor, n.name, n.type,"
        " (SELECT json_group_array(role) FROM entity_roles r"
        " WHERE r.article = e.article AND r.name_id = e.name_id),"
        " e.mentions, e.first_offset FROM entities e JOIN names n ON n.id = e.name_id"
        " ORDER BY e.article, e.local_id",
        {"roles": _json_list},
    ),
    "actors": (
        pa.schema(
            [
                ("actor", _I),
                ("name", _S),
                ("type", _S),
                ("aliases", _LIST),
                ("articles", _I),
                ("mentions", _I),
                ("quotes", _I),
                ("first_date", _S),
                ("last_date", _S),
            ]
        ),
        "SELECT id, name, type, aliases, articles, mentions, quotes, first_date, last_date"
        " FROM actors ORDER BY id",
        {"aliases": _json_list},
    ),
    "actor_roles": (
        pa.schema([("actor", _I), ("role", _S), ("first_date", _S), ("last_date", _S), ("articles", _I)]),
        "SELECT actor, role, first_date, last_date, articles FROM actor_roles ORDER BY actor, role",
        {},
    ),
    "quotes": (
        pa.schema(
            [
                ("article", _I),
                ("speaker", _S),
                ("speaker_actor", _I),
                ("text", _S),
                ("kind", _S),
                ("cue", _S),
                ("start", _I),
                ("end", _I),
            ]
        ),
        'SELECT q.article, q.speaker, n.actor, q.text, q.kind, q.cue, q.start, q."end" FROM quotes q'
        " LEFT JOIN names n ON n.id = q.speaker_name_id ORDER BY q.id",
        {},
    ),
    "events": (
        pa.schema(
            [
                ("event", _I),
                ("article", _I),
                ("type", _S),
                ("label", _S),
                ("participants", _LIST),
                ("parties", _LIST),
                ("place", _S),
                ("country", _S),
                ("lat", _F),
                ("lon", _F),
                ("date", _S),
                ("date_text", _S),
                ("status", _S),
                ("start", _I),
                ("end", _I),
            ]
        ),
        "SELECT ev.id, ev.article, ev.type, ev.label,"
        " (SELECT json_group_array(name) FROM event_participants"
        " WHERE event = ev.id AND kind = 'participant'),"
        " (SELECT json_group_array(name) FROM event_participants WHERE event = ev.id AND kind = 'party'),"
        ' ev.place, ev.country, ev.lat, ev.lon, ev.date, ev.date_text, ev.status, ev.start, ev."end"'
        " FROM events ev ORDER BY ev.id",
        {"participants": _json_list, "parties": _json_list},
    ),
    "places": (
        pa.schema(
            [
                ("article", _I),
                ("name", _S),
                ("country", _S),
                ("lat", _F),
                ("lon", _F),
                ("kind", _S),
                ("mentions", _I),
                ("first_offset", _I),
            ]
        ),
        "SELECT article, name, country, lat, lon, kind, mentions, first_offset"
        " FROM places ORDER BY article, rowid",
        {},
    ),
    "tags": (
        pa.schema([("article", _I), ("rank", _I), ("tag", _S)]),
        "SELECT article, rank, tag FROM tags ORDER BY article, rank",
        {},
    ),
    "topics": (
        pa.schema([("article", _I), ("code", _S), ("label", _S), ("top_level", _S), ("score", _F)]),
        "SELECT article, code, label, top_level, score FROM topics ORDER BY article, rowid",
        {},
    ),
    "stories": (
        pa.schema(
            [
                ("story", _I),
                ("label", _S),
                ("articles", _I),
                ("sources", _I),
                ("first_date", _S),
                ("last_date", _S),
            ]
        ),
        "SELECT id, label, articles, sources, first_date, last_date FROM stories ORDER BY id",
        {},
    ),
    "errors": (
        pa.schema([("source", _S), ("reason", _S), ("at", _S)]),
        "SELECT source, reason, at FROM errors ORDER BY at, source",
        {},
    ),
}


def _batches(
    rows: Iterable[tuple[Any, ...]], schema: pa.Schema, convert: dict[str, Callable[[Any], Any]]
) -> Iterable[pa.RecordBatch]:
    names = schema.names
    converters = [convert.get(name) for name in names]
    columns: list[list[Any]] = [[] for _ in names]
    for row in rows:
        for i, value in enumerate(row):
            fn = converters[i]
            columns[i].append(fn(value) if fn is not None else value)
        if len(columns[0]) >= _ROWS_PER_GROUP:
            yield pa.record_batch(columns, schema=schema)
            columns = [[] for _ in names]
    if columns[0]:
        yield pa.record_batch(columns, schema=schema)


def write_parquet(store: Store, directory: str | Path) -> dict[str, int]:
    """Write one ``<table>.parquet`` per record type into ``directory``; returns rows per table."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for name, (schema, sql, convert) in TABLES.items():
        path = target / f"{name}.parquet"
        tmp = path.with_suffix(".parquet.tmp")
        rows = 0
        with pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
            for batch in _batches(store.db.execute(sql), schema, convert):
                writer.write_batch(batch)
                rows += batch.num_rows
        tmp.replace(path)
        counts[name] = rows
    return counts
