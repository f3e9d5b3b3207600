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

from newsgraph.export.files import atomic_directory
from newsgraph.store import Store

__all__ = ["TABLES", "write_parquet"]

_ROWS_PER_GROUP = 20_000

_S, _I, _F = pa.string(), pa.int64(), pa.float64()
_LIST = pa.list_(pa.string())


def _json_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [str(v) for v in json.loads(value) if v is not None] if value else []


#: name -> (schema, converters for columns that need one); the rows come from ``Store.dump(name)``
TABLES: dict[str, tuple[pa.Schema, dict[str, Callable[[Any], Any]]]] = {
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
        {"aliases": _json_list},
    ),
    "actor_roles": (
        pa.schema([("actor", _I), ("role", _S), ("first_date", _S), ("last_date", _S), ("articles", _I)]),
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
        {},
    ),
    "tags": (
        pa.schema([("article", _I), ("rank", _I), ("tag", _S)]),
        {},
    ),
    "topics": (
        pa.schema([("article", _I), ("code", _S), ("label", _S), ("top_level", _S), ("score", _F)]),
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
        {},
    ),
    "errors": (
        pa.schema([("source", _S), ("reason", _S), ("at", _S)]),
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


def write_parquet(store: Store, directory: str | Path, *, force: bool = False) -> dict[str, int]:
    """Write one ``<table>.parquet`` per record type into ``directory``; returns rows per table.

    The tables are written into a new folder beside ``directory``, which becomes ``directory``
    once every table is written: a failure leaves nothing half-written. A ``directory`` that
    holds files is replaced only with ``force`` (else :class:`~newsgraph.export.files.ExportError`).
    """
    counts: dict[str, int] = {}
    with atomic_directory(directory, force=force) as target:
        for name, (schema, convert) in TABLES.items():
            rows = 0
            # the file is ours to close: on a full disk pyarrow's writer would keep it open
            with (
                open(target / f"{name}.parquet", "wb") as sink,
                pq.ParquetWriter(sink, schema, compression="zstd") as writer,
            ):
                for batch in _batches(store.dump(name), schema, convert):
                    writer.write_batch(batch)
                    rows += batch.num_rows
            counts[name] = rows
    return counts
