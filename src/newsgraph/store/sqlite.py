"""The SQLite adapter: a newsgraph corpus in one file (WAL, FTS5), the default store.

The schema is built by registered migrations (``PRAGMA user_version`` says which have run). A
store opened for writing is the one writer of the file (each write is one ``BEGIN IMMEDIATE``
transaction, so other processes wait their turn); a read-only store opens the file with
``mode=ro``. Full-text search uses FTS5 tables kept in sync by triggers, ranked by BM25.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.minhash import bands
from newsgraph.store.base import (
    PASSES,
    Filter,
    QueryTimeout,
    StorageError,
    Store,
    StoreError,
    Term,
    snippet_terms,
)

__all__ = ["MIGRATIONS", "Migration", "SQLiteStore", "fts_query", "storage_error"]

#: Most matches a full-text search ranks: the most recently stored ones, when more match.
RANK_WINDOW = 10_000


@dataclass(frozen=True)
class Migration:
    """One schema change: its version (1, 2, ...), a name, and the function that applies it."""

    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: list[Migration] = []

#: Indexes in the order newest-first pages read articles and quotes (undated ones last, then by
#: id), so that a page deep into a large store is an index range read, not a sort of the table.
NEWEST_FIRST_INDEXES = """
CREATE INDEX articles_newest ON articles(coalesce(date, ''), id);
CREATE INDEX quotes_newest ON quotes(coalesce(date, ''), id);
"""


def migration(version: int, name: str) -> Callable[[Callable[[sqlite3.Connection], None]], Any]:
    """Register a schema migration; versions must follow each other from 1."""

    def register(function: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
        expected = len(MIGRATIONS) + 1
        if version != expected:
            raise ValueError(f"migration {name!r} has version {version}, expected {expected}")
        MIGRATIONS.append(Migration(version, name, function))
        return function

    return register


def run_script(db: sqlite3.Connection, script: str) -> None:
    """Execute an SQL script statement by statement, inside the caller's transaction.

    (``executescript`` would commit first, so a migration killed half-way could leave half a
    schema; this keeps each migration one transaction.)
    """
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]!r}")


@migration(1, "initial schema")
def _initial_schema(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            hash TEXT NOT NULL UNIQUE,
            key TEXT NOT NULL,
            url TEXT,
            source TEXT,
            title TEXT,
            published TEXT,
            date TEXT,
            text TEXT NOT NULL,
            words INTEGER NOT NULL,
            record BLOB NOT NULL,
            minhash BLOB,
            dup_group INTEGER,
            story INTEGER,
            ingested TEXT NOT NULL
        );
        CREATE INDEX articles_key ON articles(key);
        CREATE INDEX articles_date ON articles(date);
        CREATE INDEX articles_source ON articles(source);
        CREATE INDEX articles_dup ON articles(dup_group) WHERE dup_group IS NOT NULL;
        CREATE INDEX articles_story ON articles(story) WHERE story IS NOT NULL;
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text)
            VALUES ('delete', old.id, old.title, old.text);
        END;

        CREATE TABLE names (
            id INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            actor INTEGER,
            UNIQUE (type, name)
        );
        CREATE INDEX names_actor ON names(actor);
        CREATE INDEX names_name ON names(name COLLATE NOCASE);

        CREATE TABLE entities (
            article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            local_id TEXT NOT NULL,
            name_id INTEGER NOT NULL REFERENCES names(id),
            mentions INTEGER NOT NULL,
            first_offset INTEGER,
            PRIMARY KEY (article, local_id)
        ) WITHOUT ROWID;
        CREATE INDEX entities_name ON entities(name_id, article);

        CREATE TABLE entity_roles (
            article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name_id INTEGER NOT NULL REFERENCES names(id),
            role TEXT NOT NULL
        );
        CREATE INDEX entity_roles_name ON entity_roles(name_id);
        CREATE INDEX entity_roles_article ON entity_roles(article);

        CREATE TABLE actors (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            aliases TEXT NOT NULL,
            articles INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            quotes INTEGER NOT NULL,
            first_date TEXT,
            last_date TEXT
        );
        CREATE INDEX actors_name ON actors(name COLLATE NOCASE);

        CREATE TABLE actor_roles (
            actor INTEGER NOT NULL,
            role TEXT NOT NULL,
            first_date TEXT,
            last_date TEXT,
            articles INTEGER NOT NULL
        );
        CREATE INDEX actor_roles_actor ON actor_roles(actor);

        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            speaker TEXT,
            speaker_name_id INTEGER REFERENCES names(id),
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            cue TEXT,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            date TEXT
        );
        CREATE INDEX quotes_speaker ON quotes(speaker_name_id, date);
        CREATE INDEX quotes_date ON quotes(date);
        CREATE INDEX quotes_article ON quotes(article);
        CREATE VIRTUAL TABLE quotes_fts USING fts5(
            text, content='quotes', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
            INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
        END;
        CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
            INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END;

        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            label TEXT NOT NULL,
            place TEXT,
            country TEXT,
            lat REAL,
            lon REAL,
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
            event INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL
        );
        CREATE INDEX event_participants_event ON event_participants(event);
        CREATE INDEX event_participants_name ON event_participants(name COLLATE NOCASE);

        CREATE TABLE places (
            article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            country TEXT,
            lat REAL,
            lon REAL,
            kind TEXT,
            mentions INTEGER NOT NULL,
            first_offset INTEGER
        );
        CREATE INDEX places_article ON places(article);
        CREATE INDEX places_name ON places(name COLLATE NOCASE);

        CREATE TABLE tags (
            article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            rank INTEGER NOT NULL,
            tag TEXT NOT NULL
        );
        CREATE INDEX tags_article ON tags(article);

        CREATE TABLE topics (
            article INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            label TEXT NOT NULL,
            top_level TEXT NOT NULL,
            score REAL NOT NULL
        );
        CREATE INDEX topics_article ON topics(article);

        CREATE TABLE errors (
            source TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            at TEXT NOT NULL
        );

        CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            articles INTEGER NOT NULL,
            sources INTEGER NOT NULL,
            first_date TEXT,
            last_date TEXT
        );

        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """,
    )


@migration(2, "incremental passes, case-free lookups")
def _incremental(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE TABLE pass_queue (
            pass TEXT NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (pass, article)
        ) WITHOUT ROWID;
        CREATE TABLE minhash_bands (
            band INTEGER NOT NULL, article INTEGER NOT NULL, PRIMARY KEY (band, article)
        ) WITHOUT ROWID;
        CREATE INDEX minhash_bands_article ON minhash_bands(article);
        CREATE TABLE name_keys (
            key TEXT NOT NULL, name_id INTEGER NOT NULL, PRIMARY KEY (key, name_id)
        ) WITHOUT ROWID;
        CREATE TABLE actor_redirects (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);
        CREATE TABLE article_features (
            feature TEXT NOT NULL, day INTEGER NOT NULL, article INTEGER NOT NULL,
            PRIMARY KEY (feature, day, article)
        ) WITHOUT ROWID;
        CREATE INDEX article_features_article ON article_features(article);
        CREATE TABLE feature_counts (feature TEXT PRIMARY KEY, articles INTEGER NOT NULL);
        CREATE TABLE story_features (
            story INTEGER NOT NULL, feature TEXT NOT NULL, weight REAL NOT NULL, PRIMARY KEY (story, feature)
        ) WITHOUT ROWID;
        ALTER TABLE articles ADD COLUMN story_weight REAL;
        CREATE INDEX names_lower ON names(lower(name));
        CREATE INDEX names_unlinked ON names(id) WHERE actor IS NULL;
        CREATE INDEX actors_lower ON actors(lower(name));
        CREATE INDEX actors_type ON actors(type, articles);
        CREATE INDEX places_lower ON places(lower(name));
        CREATE INDEX event_participants_lower ON event_participants(lower(name));
        CREATE INDEX events_sort ON events(coalesce(date, ''));
        UPDATE names SET actor = NULL;
        DELETE FROM actors;
        DELETE FROM actor_roles;
        DELETE FROM stories;
        UPDATE articles SET dup_group = NULL, story = NULL;
        DELETE FROM meta WHERE key IN ('passes_pending', 'dedup_checked_upto');
        """,
    )
    for name in PASSES:
        db.execute("INSERT INTO pass_queue(pass, article) SELECT ?, id FROM articles", (name,))
    rows = db.execute("SELECT id, minhash FROM articles WHERE minhash IS NOT NULL").fetchall()
    db.executemany(
        "INSERT OR IGNORE INTO minhash_bands(band, article) VALUES (?, ?)",
        [(band, article) for article, minhash in rows for band in bands(bytes(minhash))],
    )


@migration(3, "event place and country lookups")
def _event_places(db: sqlite3.Connection) -> None:
    run_script(
        db,
        """
        CREATE INDEX events_place ON events(lower(place));
        CREATE INDEX events_country ON events(country);
        """,
    )


@migration(4, "newest-first paging")
def _newest_first(db: sqlite3.Connection) -> None:
    run_script(db, NEWEST_FIRST_INDEXES)


# ---------------------------------------------------------------------------------- the adapter

_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -65536",
)
#: How long a writer waits for another one to finish its transaction (milliseconds), after
#: which the write fails with one line (:class:`StorageError`) and nothing of its batch stored.
BUSY_TIMEOUT_MS = 60_000
#: SQLite virtual-machine steps between two looks at the clock of a query with a timeout.
_PROGRESS_STEPS = 10_000


def storage_error(path: str, err: sqlite3.Error, *, timed_out: bool = False) -> StoreError:
    """The one-line error for an SQLite failure: what went wrong with the store, and what to do."""
    text = str(err)
    low = text.lower()
    if timed_out or low == "interrupted":
        return QueryTimeout(f"{path}: the query ran past its time limit and was stopped")
    if "locked" in low or "busy" in low:
        return StorageError(
            f"{path}: locked by another writer for over {BUSY_TIMEOUT_MS / 1000:g} s; nothing of this"
            " batch was stored (what was stored before is kept): run it again when the other one is done"
        )
    if "full" in low or ("disk i/o" in low and _nearly_full(path)):
        return StorageError(
            f"{path}: disk full ({text}); nothing of this batch was stored (what was stored before is"
            " kept): free some space and run the same command again"
        )
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return StorageError(
            f"{path}: the store is corrupted ({text}); recover what it holds with"
            f" `sqlite3 {path} .recover | sqlite3 recovered.db`, or restore a backup"
        )
    if "readonly" in low or "read-only" in low:
        return StorageError(
            f"{path}: the store cannot be written (read-only file, folder or medium); queries still"
            " work: copy it somewhere writable to add to it"
        )
    if "unable to open" in low:
        return StorageError(f"{path}: cannot open or create the store here ({text}; is the folder writable?)")
    if "disk i/o" in low:
        return StorageError(f"{path}: disk I/O error ({text}); check the disk, then run again")
    return StoreError(f"{path}: {text}")


def _nearly_full(path: str) -> bool:
    """True when the store's folder has under 1 MB free (SQLite then reports some writes as I/O errors)."""
    try:
        return shutil.disk_usage(Path(path).resolve().parent).free < 1024 * 1024
    except OSError:
        return False


class _Cursor:
    """An SQLite cursor whose failures, while fetching too, are :class:`StoreError`."""

    def __init__(self, cursor: sqlite3.Cursor, store: SQLiteStore) -> None:
        self._cursor = cursor
        self._store = store

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except _CAUGHT as err:
            raise self._store._failure(err) from None

    def fetchall(self) -> list[Any]:
        try:
            return self._cursor.fetchall()
        except _CAUGHT as err:
            raise self._store._failure(err) from None

    def __iter__(self) -> Iterator[Any]:
        while True:
            try:
                row = self._cursor.fetchone()
            except _CAUGHT as err:
                raise self._store._failure(err) from None
            if row is None:
                return
            yield row


#: SQLite errors that are about the store or the query, not a bug of newsgraph's SQL
_CAUGHT = (sqlite3.OperationalError, sqlite3.DatabaseError)


def _failed(err: sqlite3.Error) -> bool:
    return not isinstance(err, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError))


def _connect(path: str, *, readonly: bool) -> sqlite3.Connection:
    target = Path(path)
    if target.is_dir():
        raise StorageError(f"{path}: is a directory, not a store file (name a file in it: {path}/corpus.db)")
    if readonly:
        if not target.exists():
            raise StoreError(f"{path}: no such store (build one with `newsgraph ingest`)")
        return _open_readonly(target)
    if target.parent and not target.parent.exists():
        raise StorageError(f"{path}: directory {target.parent} does not exist")
    try:
        db = sqlite3.connect(str(target), isolation_level=None)
    except sqlite3.Error as err:
        raise storage_error(path, err) from None
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as err:
        db.close()
        failure = storage_error(path, err)
        if "not a database" in str(err) and target.stat().st_size > 0:
            raise StoreError(f"{path}: not a newsgraph store ({err})") from None
        raise failure from None
    return db


def _open_readonly(target: Path) -> sqlite3.Connection:
    """A read-only connection; on read-only media (no ``-shm`` can be made) the file is read as immutable."""
    uri = target.resolve().as_uri()
    error: sqlite3.Error | None = None
    for mode in ("mode=ro", "mode=ro&immutable=1"):
        db = sqlite3.connect(f"{uri}?{mode}", uri=True, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db
        except sqlite3.DatabaseError as err:
            db.close()
            error = err
            low = str(err).lower()
            if "unable to open" not in low and "readonly" not in low:
                break
    assert error is not None
    if "not a database" in str(error):
        raise StoreError(f"{target}: not a newsgraph store ({error})") from None
    raise storage_error(str(target), error) from None


class SQLiteStore(Store):
    """A newsgraph corpus in one SQLite file.

    ``SQLiteStore(path)`` opens (creating and migrating as needed) the database for writing;
    ``SQLiteStore(path, readonly=True)`` opens it for queries only.
    """

    backend = "sqlite"
    rowid = "rowid"
    json_array_agg = "json_group_array"

    def __init__(self, path: str | Path, *, readonly: bool = False, timeout: float | None = None) -> None:
        super().__init__(str(path), readonly=readonly, timeout=timeout)
        self.path = str(path)
        self.db = _connect(self.path, readonly=readonly)
        self._deadline = 0.0
        self._timed_out = False
        if timeout is not None:
            self.db.set_progress_handler(self._past_deadline, _PROGRESS_STEPS)
        if readonly:
            version = self.version
            if version == 0:
                self.db.close()
                raise StoreError(f"{path}: not a newsgraph store (no schema)")
            if version > len(MIGRATIONS):
                self.db.close()
                raise StoreError(
                    f"{path}: schema version {version} is newer than this newsgraph "
                    f"({len(MIGRATIONS)}); upgrade newsgraph"
                )
            if version < len(MIGRATIONS):
                self.db.close()
                raise StoreError(
                    f"{path}: schema version {version} is older than this newsgraph's "
                    f"({len(MIGRATIONS)}); run `newsgraph ingest` on it once to migrate it"
                )
        else:
            try:
                for pragma in _PRAGMAS:
                    self.db.execute(pragma)
                self.migrate()
            except sqlite3.Error as err:
                self.db.close()
                raise self._failure(err) from None
            except BaseException:
                self.db.close()
                raise

    def _past_deadline(self) -> int:
        """SQLite's progress handler: non-zero stops the running statement."""
        if self._deadline and time.monotonic() > self._deadline:
            self._timed_out = True
            return 1
        return 0

    def _start(self) -> None:
        self._timed_out = False
        if self.timeout is not None:
            self._deadline = time.monotonic() + self.timeout

    def _failure(self, err: sqlite3.Error) -> BaseException:
        if not _failed(err):
            return err
        return storage_error(self.path, err, timed_out=self._timed_out)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> _Cursor:
        """Run one statement; SQLite errors become :class:`StoreError` naming the store.

        Disk full, a lock held too long, a corrupted or read-only file are a
        :class:`StorageError`; a statement past the store's ``timeout`` a :class:`QueryTimeout`.
        """
        self._start()
        try:
            return _Cursor(self.db.execute(sql, tuple(params)), self)
        except _CAUGHT as err:
            raise self._failure(err) from None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        self._start()
        try:
            self.db.executemany(sql, rows)
        except _CAUGHT as err:
            raise self._failure(err) from None

    def _begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")  # the write lock now: no upgrade from a reader later

    def _end(self, *, commit: bool) -> None:
        if commit:
            self.execute("COMMIT")
        elif self.db.in_transaction:  # SQLite may have rolled back already (disk full, I/O error)
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")

    def close(self) -> None:
        """Close the connection (a writer checkpoints the WAL first)."""
        if not self.readonly:
            try:
                self.db.execute("PRAGMA optimize")
                self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error:
                pass
        self.db.close()

    @property
    def version(self) -> int:
        """The schema version of the database (the number of migrations applied)."""
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self) -> list[str]:
        """Apply the registered migrations not yet applied, each in its own transaction."""
        with self.transaction():  # one process migrates; the others wait, then find it done
            current = self.version
            if current > len(MIGRATIONS):
                raise StoreError(
                    f"{self.path}: schema version {current} is newer than this newsgraph "
                    f"({len(MIGRATIONS)}); upgrade newsgraph"
                )
            if current == 0:
                tables = self.db.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
                if tables:
                    raise StoreError(f"{self.path}: an SQLite database that is not a newsgraph store")
            applied: list[str] = []
            for step in MIGRATIONS[current:]:
                step.apply(self.db)
                self.db.execute(f"PRAGMA user_version = {step.version:d}")
                applied.append(step.name)
        return applied

    def size_bytes(self) -> int | None:
        """The file and its write-ahead log, in bytes."""
        return sum(os.path.getsize(p) for p in (self.path, f"{self.path}-wal") if os.path.exists(p))

    @contextmanager
    def lock_passes(self) -> Iterator[bool]:
        """An exclusive lock file beside the store: True when this process holds it."""
        try:
            handle = open(f"{self.path}.passes.lock", "a")  # noqa: SIM115 (held for the block)
        except OSError:
            yield True  # a store on read-only media runs no passes anyway
            return
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            handle.close()

    # -- full-text search

    def _quote_match(self, terms: list[Term]) -> tuple[str, list[Any]]:
        return "q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", [fts_query(terms)]

    def _ranked(self, terms: list[Term], filters: Sequence[Filter], limit: int, offset: int) -> list[Any]:
        """The best matches by BM25.

        When more than ``RANK_WINDOW`` (10,000) articles match and every filter lets more than
        that through, only the most recently stored 10,000 are ranked, so a query stays fast
        however large the corpus.
        """
        match = fts_query(terms)
        clauses: list[str] = []
        args: list[Any] = []
        join = ""
        for f in filters:
            if f.column and f.size > RANK_WINDOW:
                join = " JOIN articles a ON a.id = articles_fts.rowid"
                clauses.append(f.column)
            else:  # "+": a set the FTS scan is checked against, not one it seeks each rowid of
                clauses.append(f"+articles_fts.rowid IN ({f.ids})")
            args.extend(f.params)
        if all(f.size > RANK_WINDOW for f in filters):
            row = self.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC"
                " LIMIT 1 OFFSET ?",
                [match, RANK_WINDOW],
            ).fetchone()
            if row is not None:
                clauses.append("articles_fts.rowid > ?")
                args.append(int(row[0]))
        where = " AND ".join(["articles_fts MATCH ?", *clauses])
        top = self.execute(
            f"SELECT articles_fts.rowid, bm25(articles_fts) AS score FROM articles_fts{join}"
            f" WHERE {where} ORDER BY score, articles_fts.rowid LIMIT ? OFFSET ?",
            [match, *args, limit, offset],
        ).fetchall()
        if not top:
            return []
        score = {int(r[0]): float(r[1]) for r in top}
        marks = ",".join("?" * len(score))
        rows = self.execute(
            "SELECT a.id, a.key, coalesce(a.title, substr(a.text, 1, 200)), a.date, a.source, a.url,"
            f" substr(a.text, 1, 160) FROM articles a WHERE a.id IN ({marks})",
            [*score],
        ).fetchall()
        snippets = {
            int(r[0]): str(r[1])
            for r in self.execute(
                "SELECT rowid, snippet(articles_fts, 1, '[', ']', ' … ', 12) FROM articles_fts"
                f" WHERE articles_fts MATCH ? AND rowid IN ({marks})",
                [fts_query(snippet_terms(terms)), *score],
            )
        }
        ranked = [(*row[:6], snippets.get(int(row[0]), row[6]), score[int(row[0])]) for row in rows]
        ranked.sort(key=lambda row: (row[7], row[0]))
        return ranked


def fts_query(terms: Sequence[Term]) -> str:
    """An FTS5 query for parsed search terms: alternatives ORed, groups ANDed, exclusions NOTed."""

    def phrase(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

    groups: list[list[str]] = []
    negative: list[str] = []
    for term in terms:
        if term.negated:
            negative.append(phrase(term))
        elif term.alternative and groups:
            groups[-1].append(phrase(term))
        else:
            groups.append([phrase(term)])
    positive = " AND ".join("(" + " OR ".join(g) + ")" if len(g) > 1 else g[0] for g in groups)
    if negative:
        return f"({positive}) NOT ({' OR '.join(negative)})"
    return positive
