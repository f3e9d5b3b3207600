"""The corpus store: one interface, an adapter per backend.

>>> from newsgraph.store import open_store
>>> store = open_store("corpus.db")                       # SQLite, the default   # doctest: +SKIP
>>> store = open_store("postgresql://localhost/news")     # PostgreSQL            # doctest: +SKIP

:class:`~newsgraph.store.base.Store` is the interface (writes, pass I/O, typed queries);
:mod:`~newsgraph.store.sqlite` and :mod:`~newsgraph.store.postgres` are its adapters;
:mod:`~newsgraph.store.records` holds what queries return; :mod:`~newsgraph.store.rows` turns
an analysed article into rows, in the worker that analysed it. Nothing outside this package
runs SQL. Importing it loads no NLP model.
"""

from __future__ import annotations

import os
from pathlib import Path

from newsgraph.store.base import (
    QueryError,
    QueryTimeout,
    StorageError,
    Store,
    StoredArticle,
    StoreError,
    check_query,
    parse_query,
)
from newsgraph.store.records import NameStat, WriteResult
from newsgraph.store.rows import Prepared, analysis_of, article_date, content_hash, prepare

__all__ = [
    "DEFAULT_DB",
    "NameStat",
    "Prepared",
    "QueryError",
    "QueryTimeout",
    "StorageError",
    "Store",
    "StoreError",
    "StoredArticle",
    "WriteResult",
    "analysis_of",
    "article_date",
    "check_query",
    "content_hash",
    "default_db",
    "is_url",
    "open_store",
    "parse_query",
    "prepare",
]

DEFAULT_DB = "newsgraph.db"


def default_db() -> str:
    """The store used when none is given: ``$NEWSGRAPH_DB``, else ``newsgraph.db``."""
    return os.environ.get("NEWSGRAPH_DB") or DEFAULT_DB


def is_url(target: str) -> bool:
    """True for a PostgreSQL URL (``postgresql://`` or ``postgres://``)."""
    return target.startswith(("postgresql://", "postgres://"))


def open_store(
    target: str | Path | None = None, *, readonly: bool = False, timeout: float | None = None
) -> Store:
    """Open a store: a ``postgresql://`` URL opens PostgreSQL, anything else an SQLite file.

    A writable store is created and migrated as needed; a read-only one must exist (on
    read-only media too). ``timeout`` bounds each statement (seconds; past it a
    :class:`QueryTimeout`). Raises :class:`StoreError` with a one-line reason when it cannot be
    opened: a :class:`StorageError` when the storage is at fault (a folder, an unwritable
    place, a corrupted file).
    """
    where = str(target) if target is not None else default_db()
    if is_url(where):
        from newsgraph.store.postgres import PostgresStore

        return PostgresStore(where, readonly=readonly, timeout=timeout)
    from newsgraph.store.sqlite import SQLiteStore

    return SQLiteStore(where, readonly=readonly, timeout=timeout)
