"""The PostgreSQL adapter: one corpus shared by many writers and readers, past one machine.

Chosen by a ``postgresql://`` URL (``--db`` or ``NEWSGRAPH_DB``). The schema is built by the
migrations below (table ``schema_version`` says which have run; a migration holds an advisory
lock, so processes starting together migrate once). Full-text search uses ``tsvector`` columns
with GIN indexes (the ``simple`` configuration: words as written, lower case, as SQLite's FTS5
reads them), ``to_tsquery``, ``ts_rank`` and ``ts_headline``.

Concurrent writers are safe: an article is inserted with ``ON CONFLICT (hash) DO NOTHING``, so
two runs that meet the same article store it once; names are inserted in sorted order, so
their transactions never deadlock; a transaction that still fails on a serialization or
deadlock error is retried.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsgraph.store.base import (
    Filter,
    QueryTimeout,
    StorageError,
    Store,
    StoreError,
    Term,
    snippet_terms,
)

__all__ = ["MIGRATIONS", "PostgresStore", "storage_error", "ts_query"]

_LOCK_MIGRATE = 7_401_001
_LOCK_PASSES = 7_401_002

MIGRATIONS: list[tuple[str, str]] = [
    (
        "initial schema",
        """
        CREATE TABLE articles (
            id BIGSERIAL PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL,
            url TEXT,
            source TEXT,
            title TEXT,
            published TEXT,
            date TEXT,
            text TEXT NOT NULL,
            words INTEGER NOT NULL,
            record BYTEA NOT NULL,
            minhash BYTEA,
            dup_group BIGINT,
            story BIGINT,
            ingested TEXT NOT NULL,
            story_weight DOUBLE PRECISION,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', coalesce(title, '')), 'A') || to_tsvector('simple', text)
            ) STORED
        );
        CREATE INDEX articles_key ON articles(key);
        CREATE INDEX articles_date ON articles(date);
        CREATE INDEX articles_source ON articles(source);
        CREATE INDEX articles_dup ON articles(dup_group) WHERE dup_group IS NOT NULL;
        CREATE INDEX articles_story ON articles(story) WHERE story IS NOT NULL;
        CREATE INDEX articles_tsv ON articles USING GIN (tsv);

        CREATE TABLE names (
            id BIGSERIAL PRIMARY KEY,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            actor BIGINT,
            UNIQUE (type, name)
        );
        CREATE INDEX names_actor ON names(actor);
        CREATE INDEX names_lower ON names(lower(name));
        CREATE INDEX names_unlinked ON names(id) WHERE actor IS NULL;

        CREATE TABLE entities (
            article BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            name_id BIGINT NOT NULL REFERENCES names(id),
            mentions INTEGER NOT NULL,
            first_offset INTEGER,
            PRIMARY KEY (article, local_id)
        );
        CREATE INDEX entities_name ON entities(name_id, article);

        CREATE TABLE entity_roles (
            seq BIGSERIAL PRIMARY KEY,
            article BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name_id BIGINT NOT NULL REFERENCES names(id),
            role TEXT NOT NULL
        );
        CREATE INDEX entity_roles_name ON entity_roles(name_id);
        CREATE INDEX entity_roles_article ON entity_roles(article);

        CREATE TABLE actors (
            id BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL,
            articles INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            quotes INTEGER NOT NULL,
            first_date TEXT,
            last_date TEXT
        );
        CREATE INDEX actors_lower ON actors(lower(name));
        CREATE INDEX actors_type ON actors(type, articles);

        CREATE TABLE actor_roles (
            actor BIGINT NOT NULL,
            role TEXT NOT NULL,
            first_date TEXT,
            last_date TEXT,
            articles INTEGER NOT NULL
        );
        CREATE INDEX actor_roles_actor ON actor_roles(actor);

        CREATE TABLE actor_redirects (old BIGINT PRIMARY KEY, new BIGINT NOT NULL);

        CREATE TABLE quotes (
            id BIGSERIAL PRIMARY KEY,
            article BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            speaker TEXT,
            speaker_name_id BIGINT REFERENCES names(id),
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            cue TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            date TEXT,
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED
        );
        CREATE INDEX quotes_speaker ON quotes(speaker_name_id, date);
        CREATE INDEX quotes_date ON quotes(date);
        CREATE INDEX quotes_article ON quotes(article);
        CREATE INDEX quotes_tsv ON quotes USING GIN (tsv);

        CREATE TABLE events (
            id BIGSERIAL PRIMARY KEY,
            article BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            label TEXT NOT NULL,
            place TEXT,
            country TEXT,
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION,
            date TEXT,
            date_text TEXT,
            status TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        );
        CREATE INDEX events_article ON events(article);
        CREATE INDEX events_type ON events(type);
        CREATE INDEX events_date ON events(date);

        CREATE TABLE event_participants (
            seq BIGSERIAL PRIMARY KEY,
            event BIGINT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL
        );
        CREATE INDEX event_participants_event ON event_participants(event);
        CREATE INDEX event_participants_lower ON event_participants(lower(name));

        CREATE TABLE places (
            seq BIGSERIAL PRIMARY KEY,
            article BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            country TEXT,
            lat DOUBLE PRECISION,
            lon DOUBLE PRECISION,
            kind TEXT,
            mentions INTEGER NOT NULL,
            first_offset INTEGER
        );
        CREATE INDEX places_article ON places(article);
        CREATE INDEX places_lower ON places(lower(name));

        CREATE TABLE tags (
            article BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,
            tag TEXT NOT NULL
        );
        CREATE INDEX tags_article ON tags(article);

        CREATE TABLE topics (
            seq BIGSERIAL PRIMARY KEY,
            article BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            label TEXT NOT NULL,
            top_level TEXT NOT NULL,
            score DOUBLE PRECISION NOT NULL
        );
        CREATE INDEX topics_article ON topics(article);

        CREATE TABLE errors (source TEXT PRIMARY KEY, reason TEXT NOT NULL, at TEXT NOT NULL);

        CREATE TABLE stories (
            id BIGINT PRIMARY KEY,
            label TEXT NOT NULL,
            articles INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            first_date TEXT,
            last_date TEXT
        );

        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE pass_queue (pass TEXT NOT NULL, article BIGINT NOT NULL, PRIMARY KEY (pass, article));
        CREATE TABLE minhash_bands (
            band BIGINT NOT NULL, article BIGINT NOT NULL, PRIMARY KEY (band, article)
        );
        CREATE INDEX minhash_bands_article ON minhash_bands(article);
        CREATE TABLE name_keys (key TEXT NOT NULL, name_id BIGINT NOT NULL, PRIMARY KEY (key, name_id));
        CREATE TABLE article_features (
            feature TEXT NOT NULL, day INTEGER NOT NULL, article BIGINT NOT NULL,
            PRIMARY KEY (feature, day, article)
        );
        CREATE INDEX article_features_article ON article_features(article);
        CREATE TABLE feature_counts (feature TEXT PRIMARY KEY, articles INTEGER NOT NULL);
        CREATE TABLE story_features (
            story BIGINT NOT NULL, feature TEXT NOT NULL, weight DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (story, feature)
        );
        """,
    ),
    (
        "event place and country lookups",
        """
        CREATE INDEX events_place ON events (lower(place));
        CREATE INDEX events_country ON events (country);
        """,
    ),
    (
        "newest-first paging",  # articles and quotes in the order of their newest-first pages
        """
        CREATE INDEX articles_newest ON articles ((coalesce(date, '')), id);
        CREATE INDEX quotes_newest ON quotes ((coalesce(date, '')), id);
        """,
    ),
]

_RETRY_STATES = {"40001", "40P01"}  # serialization failure, deadlock detected
#: How long a writer waits for a lock another one holds (seconds) before failing with one line.
LOCK_TIMEOUT_S = 60.0


def storage_error(url: str, err: BaseException) -> StoreError:
    """The one-line error for a PostgreSQL failure (by SQLSTATE): what went wrong, what to do."""
    state = str(getattr(err, "sqlstate", "") or "")
    where = _safe(url)
    if state == "57014":  # query_canceled: statement_timeout
        return QueryTimeout(f"{where}: the query ran past its time limit and was stopped")
    if state == "55P03":  # lock_not_available: lock_timeout
        return StorageError(
            f"{where}: locked by another writer for over {LOCK_TIMEOUT_S:g} s; nothing of this batch was"
            " stored (what was stored before is kept): run it again when the other one is done"
        )
    if state.startswith("53"):  # insufficient resources: disk full, out of memory
        return StorageError(
            f"{where}: the database server is out of room ({_first(err)}); nothing of this batch was"
            " stored (what was stored before is kept)"
        )
    if state in ("XX001", "XX002"):  # data_corrupted, index_corrupted
        return StorageError(f"{where}: the database is corrupted ({_first(err)}); restore a backup")
    if state == "25006":  # read_only_sql_transaction
        return StorageError(f"{where}: the database is read-only here ({_first(err)})")
    return StoreError(f"{where}: {_first(err)}")


def _to_psycopg(sql: str) -> str:
    return sql.replace("%", "%%").replace("?", "%s")


class _Row(tuple[Any, ...]):
    """A result row read by position or by column name."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)


def _row_factory(cursor: Any) -> Any:
    names = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> _Row:
        row = _Row(values)
        row.names = names
        return row

    return make


class PostgresStore(Store):
    """A newsgraph corpus in a PostgreSQL database (``postgresql://user@host:port/db``)."""

    backend = "postgresql"
    rowid = "seq"
    json_array_agg = "json_agg"

    def __init__(self, url: str, *, readonly: bool = False, timeout: float | None = None) -> None:
        super().__init__(url, readonly=readonly, timeout=timeout)
        try:
            import psycopg
        except ImportError:
            raise StoreError("a PostgreSQL store needs psycopg: pip install 'newsgraph[postgres]'") from None
        self._psycopg = psycopg
        self.url = url
        try:
            self.db = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=10)
        except psycopg.Error as err:
            raise StoreError(f"{_safe(url)}: cannot connect ({_first(err)})") from None
        try:
            if timeout is not None:
                self.db.execute(f"SET statement_timeout = {max(1, int(timeout * 1000))}")
            if not readonly:
                self.db.execute(f"SET lock_timeout = {max(1, int(LOCK_TIMEOUT_S * 1000))}")
            if readonly:
                self.db.execute("SET default_transaction_read_only = on")
                version = self.version
                if version == 0:
                    raise StoreError(f"{_safe(url)}: not a newsgraph store (no schema)")
                if version > len(MIGRATIONS):
                    raise StoreError(
                        f"{_safe(url)}: schema version {version} is newer than this newsgraph "
                        f"({len(MIGRATIONS)}); upgrade newsgraph"
                    )
                if version < len(MIGRATIONS):
                    raise StoreError(
                        f"{_safe(url)}: schema version {version} is older than this newsgraph's "
                        f"({len(MIGRATIONS)}); run `newsgraph ingest` on it once to migrate it"
                    )
            else:
                self.migrate()
        except psycopg.Error as err:
            self.db.close()
            raise storage_error(url, err) from None
        except BaseException:
            self.db.close()
            raise

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` parameters); database errors become :class:`StoreError`."""
        try:
            return self.db.execute(_to_psycopg(sql), tuple(params))
        except self._psycopg.Error as err:
            if getattr(err, "sqlstate", None) in _RETRY_STATES:
                raise
            raise storage_error(self.url, err) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters (pipelined)."""
        rows = [tuple(r) for r in rows]
        if not rows:
            return
        try:
            with self.db.cursor() as cursor:
                cursor.executemany(_to_psycopg(sql), rows)
        except self._psycopg.Error as err:
            if getattr(err, "sqlstate", None) in _RETRY_STATES:
                raise
            raise storage_error(self.url, err) from None

    def _begin(self) -> None:
        self.db.execute("BEGIN")

    def _end(self, *, commit: bool) -> None:
        self.db.execute("COMMIT" if commit else "ROLLBACK")

    def write(self, batch: Sequence[Any], errors: Sequence[Any] = ()) -> Any:
        """As :meth:`Store.write`, retried when PostgreSQL reports a deadlock or serialization failure."""
        for attempt in range(5):
            try:
                return super().write(batch, errors)
            except self._psycopg.Error as err:
                if getattr(err, "sqlstate", None) not in _RETRY_STATES or attempt == 4:
                    raise storage_error(self.url, err) from None
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    def _scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        row = self.db.execute(sql, params).fetchone()
        return None if row is None else row[0]

    @property
    def version(self) -> int:
        """The schema version (the number of migrations applied)."""
        exists = self._scalar("SELECT to_regclass('schema_version')")
        if exists is None:
            return 0
        return int(self._scalar("SELECT coalesce(max(version), 0) FROM schema_version"))

    def migrate(self) -> list[str]:
        """Apply the migrations not yet applied, one process at a time (an advisory lock)."""
        applied: list[str] = []
        with self.transaction():
            self.db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_MIGRATE,))
            self.db.execute(
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            current = self.version
            if current > len(MIGRATIONS):
                raise StoreError(
                    f"{_safe(self.url)}: schema version {current} is newer than this newsgraph "
                    f"({len(MIGRATIONS)}); upgrade newsgraph"
                )
            if current == 0 and self._scalar("SELECT to_regclass('articles')") is not None:
                raise StoreError(
                    f"{_safe(self.url)}: a database with an 'articles' table that is not newsgraph's"
                )
            for version, (name, script) in enumerate(MIGRATIONS[current:], current + 1):
                self.db.execute(script)
                self.db.execute("INSERT INTO schema_version(version, name) VALUES (%s, %s)", (version, name))
                applied.append(name)
        return applied

    def size_bytes(self) -> int | None:
        """The database's size, in bytes."""
        return int(self._scalar("SELECT pg_database_size(current_database())"))

    @contextmanager
    def lock_passes(self) -> Iterator[bool]:
        """A session advisory lock: True when this process holds the right to run the passes."""
        got = bool(self._scalar("SELECT pg_try_advisory_lock(%s)", (_LOCK_PASSES,)))
        try:
            yield got
        finally:
            if got:
                self.db.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_PASSES,))

    # -- full-text search

    def _quote_match(self, terms: list[Term]) -> tuple[str, list[Any]]:
        return "q.tsv @@ to_tsquery('simple', ?)", [ts_query(terms)]

    def _ranked(self, terms: list[Term], filters: Sequence[Filter], limit: int, offset: int) -> list[Any]:
        """The best matches by ``ts_rank`` (ties by id), with ``ts_headline`` snippets of those only."""
        query = ts_query(terms)
        clauses = [f"a.id IN ({f.ids})" for f in filters]
        args = [p for f in filters for p in f.params]
        where = " AND ".join(["a.tsv @@ q.query", *clauses])
        top = self.execute(
            "SELECT a.id, ts_rank(a.tsv, q.query) AS score FROM articles a,"
            f" (SELECT to_tsquery('simple', ?) AS query) q WHERE {where}"
            " ORDER BY score DESC, a.id LIMIT ? OFFSET ?",
            [query, *args, limit, offset],
        ).fetchall()
        if not top:
            return []
        score = {int(r[0]): float(r[1]) for r in top}
        rows = self.execute(
            "SELECT a.id, a.key, coalesce(a.title, substr(a.text, 1, 200)), a.date, a.source, a.url,"
            " ts_headline('simple', a.text, to_tsquery('simple', ?),"
            " 'StartSel=[, StopSel=], MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=\" … \"')"
            f" FROM articles a WHERE a.id IN ({','.join('?' * len(score))})",
            [ts_query(snippet_terms(terms)), *score],
        ).fetchall()
        ranked = [(*row, score[int(row[0])]) for row in rows]
        ranked.sort(key=lambda row: (-row[7], row[0]))
        return ranked


def ts_query(terms: Sequence[Term]) -> str:
    """A ``to_tsquery`` expression for parsed search terms (the same logic as SQLite's FTS5 query)."""

    def phrase(term: Term) -> str:
        words = [f"'{w}'" for w in term.words]
        if term.prefix:
            words[-1] += ":*"
        return "(" + " <-> ".join(words) + ")" if len(words) > 1 else words[0]

    groups: list[list[str]] = []
    negative: list[str] = []
    for term in terms:
        if term.negated:
            negative.append(phrase(term))
        elif term.alternative and groups:
            groups[-1].append(phrase(term))
        else:
            groups.append([phrase(term)])
    query = " & ".join("(" + " | ".join(g) + ")" for g in groups)
    if negative:
        query += " & !(" + " | ".join(negative) + ")"
    return query


def _first(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


def _safe(url: str) -> str:
    """A database URL without its password."""
    return re.sub(r"(//[^:/@]+):[^@/]*@", r"\1:***@", url)
