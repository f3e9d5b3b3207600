"""The corpus store: one SQLite file (WAL, FTS5) holding analysed articles, and its queries.

This module owns SQLite; nothing else in newsgraph opens the database. The schema is built by
registered migrations (``PRAGMA user_version`` says which have run). A :class:`Store` opened
for writing is the one writer of a database; queries open their own read-only connections.

Writes are idempotent upserts keyed by the article's content hash (SHA-256 of its text): an
article already stored is never stored again, and every batch is one transaction, so a run
killed at any moment leaves each article either wholly stored or absent. Per-article rows are
prepared by :func:`prepare` (a pure function that runs where the analysis ran, in a worker
process) and written by :meth:`Store.write` in the writer.

Tables: ``articles`` (+ ``articles_fts``), ``names`` (distinct surface names with the actor
they link to), ``entities``, ``entity_roles``, ``actors``, ``actor_roles``, ``quotes`` (+
``quotes_fts``), ``events``, ``event_participants``, ``places``, ``tags``, ``topics``,
``errors``, ``stories``, ``meta``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from newsgraph.models import Analysis, Article, ReadError

__all__ = [
    "MIGRATIONS",
    "Actor",
    "Migration",
    "Prepared",
    "Store",
    "StoreError",
    "article_date",
    "content_hash",
    "default_db",
    "fts_query",
    "prepare",
]

DEFAULT_DB = "newsgraph.db"
#: Articles of an actor looked at for its co-mentioned actors (the latest stored ones).
CO_MENTION_WINDOW = 500
#: Most matches a full-text search ranks: the most recently stored ones, when more match.
RANK_WINDOW = 10_000


class StoreError(RuntimeError):
    """The database cannot be used (wrong file, newer schema, bad query); the message says why."""


def default_db() -> str:
    """The database path used when none is given: ``$NEWSGRAPH_DB``, else ``newsgraph.db``."""
    return os.environ.get("NEWSGRAPH_DB") or DEFAULT_DB


# ---------------------------------------------------------------------------------- migrations


@dataclass(frozen=True)
class Migration:
    """One schema change: its version (1, 2, ...), a name, and the function that applies it."""

    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


MIGRATIONS: list[Migration] = []


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


# ---------------------------------------------------------------------------------- prepared rows


@dataclass
class Prepared:
    """One analysed article as rows for the store; built by :func:`prepare` in any process."""

    hash: str
    key: str
    url: str | None
    source: str | None
    title: str | None
    published: str | None
    date: str | None
    text: str
    words: int
    record: bytes
    minhash: bytes | None
    #: (local id, type, name, mention count, first offset, roles)
    entities: list[tuple[str, str, str, int, int | None, tuple[str, ...]]] = field(default_factory=list)
    #: (speaker, speaker (type, name) or None, text, kind, cue, start, end)
    quotes: list[tuple[str | None, tuple[str, str] | None, str, str, str | None, int, int]] = field(
        default_factory=list
    )
    #: (type, label, place, country, lat, lon, date, date_text, status, start, end, participants, parties)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    #: (name, country, lat, lon, kind, mention count, first offset)
    places: list[tuple[Any, ...]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    #: (code, label, top level, score)
    topics: list[tuple[str, str, str, float]] = field(default_factory=list)


def content_hash(text: str) -> str:
    """The key of an article in the store: SHA-256 (hex) of its text as read."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_PATH_DATE_RE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})([-/_.])(0[1-9]|1[0-2])\2(0[1-9]|[12][0-9]|3[01])(?![0-9])"
)


def article_date(published: str | None, *places: str | None) -> str | None:
    """The date an article is filed under: its publication date, else one in its URL or path.

    News URLs and archive file names often carry the date (``/2022/01/11/``,
    ``outlet_2016-03-11_slug.txt``); ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY_MM_DD`` and
    ``YYYY.MM.DD`` are read, when they are real calendar dates.
    """
    if published:
        return published
    for place in places:
        if not place:
            continue
        for match in _PATH_DATE_RE.finditer(place):
            try:
                return date(int(match[1]), int(match[3]), int(match[4])).isoformat()
            except ValueError:
                continue
    return None


def prepare(article: Article, analysis: Analysis, *, hash: str | None = None) -> Prepared:
    """The store's rows for one analysed article (pure; runs in the process that analysed it)."""
    from newsgraph.corpus.dedup import signature

    text = analysis.text if analysis.text is not None else article.text
    meta = analysis.metadata
    record = zlib.compress(analysis.model_dump_json(exclude_none=False).encode("utf-8"), 6)
    by_id = {entity.id: entity for entity in analysis.entities}
    prepared = Prepared(
        hash=hash or content_hash(article.text),
        key=analysis.id,
        url=meta.url,
        source=meta.source,
        title=meta.title,
        published=meta.published,
        date=article_date(meta.published, meta.url, analysis.id),
        text=text,
        words=len(text.split()),
        record=record,
        minhash=signature(text),
    )
    for entity in analysis.entities:
        first = min((m.start for m in entity.mentions), default=None)
        roles = tuple(dict.fromkeys(r.strip() for r in entity.roles if r.strip()))
        prepared.entities.append(
            (entity.id, entity.type, entity.name, max(len(entity.mentions), 1), first, roles)
        )
    for quote in analysis.quotes:
        speaker_key: tuple[str, str] | None = None
        speaker_entity = by_id.get(quote.speaker_id) if quote.speaker_id else None
        if speaker_entity is not None:
            speaker_key = (speaker_entity.type, speaker_entity.name)
        elif quote.speaker:
            speaker_key = ("PERSON", quote.speaker)
        prepared.quotes.append(
            (quote.speaker, speaker_key, quote.text, quote.kind, quote.cue, quote.start, quote.end)
        )
    for event in analysis.events:
        place = event.place
        prepared.events.append(
            (
                event.type,
                event.label,
                place.name if place else None,
                place.country if place else None,
                place.lat if place else None,
                place.lon if place else None,
                event.date,
                event.date_text,
                event.status,
                event.start,
                event.end,
                tuple(event.participants),
                tuple(event.parties),
            )
        )
    for place_record in analysis.places:
        first = min((m.start for m in place_record.mentions), default=None)
        prepared.places.append(
            (
                place_record.name,
                place_record.country,
                place_record.lat,
                place_record.lon,
                place_record.kind,
                max(len(place_record.mentions), 1),
                first,
            )
        )
    prepared.tags = list(analysis.tags)
    prepared.topics = [(t.code, t.label, t.top_level, t.score) for t in analysis.topics]
    return prepared


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Actor:
    """An actor of the corpus: one id for the same person or organisation across articles."""

    id: int
    name: str
    type: str
    aliases: list[str]
    articles: int
    mentions: int
    quotes: int
    first_date: str | None
    last_date: str | None

    def as_dict(self) -> dict[str, Any]:
        """The actor as plain JSON-ready data."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": self.aliases,
            "articles": self.articles,
            "mentions": self.mentions,
            "quotes": self.quotes,
            "first_date": self.first_date,
            "last_date": self.last_date,
        }


@dataclass(frozen=True)
class NameStat:
    """A distinct surface name of the corpus with how often and in which roles it is seen."""

    id: int
    type: str
    name: str
    mentions: int
    articles: int
    roles: frozenset[str]


@dataclass(frozen=True)
class WriteResult:
    """What one :meth:`Store.write` did: articles stored now, and those already there."""

    stored: int
    skipped: int


# ---------------------------------------------------------------------------------- the store


_PRAGMAS = (
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -65536",
)


def _connect(path: str | Path, *, readonly: bool) -> sqlite3.Connection:
    target = Path(path)
    if readonly:
        if not target.exists():
            raise StoreError(f"{path}: no such store (build one with `newsgraph ingest`)")
        db = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    else:
        if target.parent and not target.parent.exists():
            raise StoreError(f"{path}: directory {target.parent} does not exist")
        db = sqlite3.connect(str(target), isolation_level=None)
    try:
        db.execute("PRAGMA busy_timeout = 10000")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as err:
        db.close()
        raise StoreError(f"{path}: not a newsgraph store ({err})") from None
    db.row_factory = sqlite3.Row
    return db


class Store:
    """A newsgraph corpus in one SQLite file.

    ``Store(path)`` opens (creating and migrating as needed) the database for writing; only one
    such writer should be open at a time. ``Store(path, readonly=True)`` opens it for queries.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.readonly = readonly
        self.db = _connect(path, readonly=readonly)
        self._name_ids: dict[tuple[str, str], int] = {}
        if readonly:
            version = self.version
            if version == 0:
                raise StoreError(f"{path}: not a newsgraph store (no schema)")
            if version > len(MIGRATIONS):
                raise StoreError(
                    f"{path}: schema version {version} is newer than this newsgraph "
                    f"({len(MIGRATIONS)}); upgrade newsgraph"
                )
        else:
            for pragma in _PRAGMAS:
                self.db.execute(pragma)
            self.migrate()

    # -- lifecycle

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        current = self.version
        if current > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: schema version {current} is newer than this newsgraph "
                f"({len(MIGRATIONS)}); upgrade newsgraph"
            )
        if current == 0:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            if tables:
                raise StoreError(f"{self.path}: an SQLite database that is not a newsgraph store")
        applied: list[str] = []
        for step in MIGRATIONS[current:]:
            with self.transaction():
                step.apply(self.db)
                self.db.execute(f"PRAGMA user_version = {step.version:d}")
            applied.append(step.name)
        return applied

    def transaction(self) -> _Transaction:
        """A context manager: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error)."""
        return _Transaction(self.db)

    # -- meta

    def get_meta(self, key: str) -> str | None:
        """A value of the ``meta`` table."""
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    @property
    def dirty(self) -> bool:
        """True when articles were stored since the corpus passes last ran."""
        return self.get_meta("passes_pending") == "1"

    def mark_clean(self, *, version: int = 0) -> None:
        """Record that the corpus passes (of this ``version``) are up to date."""
        with self.transaction():
            self._set_meta("passes_pending", "0")
            self._set_meta("passes_at", _now())
            self._set_meta("passes_version", str(version))

    # -- writing

    def known(self, hashes: Iterable[str]) -> set[str]:
        """Those of ``hashes`` already stored."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                row[0] for row in self.db.execute(f"SELECT hash FROM articles WHERE hash IN ({marks})", chunk)
            )
        return found

    def write(self, batch: Sequence[Prepared], errors: Sequence[ReadError] = ()) -> WriteResult:
        """Store a batch of prepared articles and failures in one transaction.

        An article whose hash is already stored is skipped (nothing changes); a stored article
        clears an earlier error recorded under its id; a failure is recorded (or updated) under
        its source.
        """
        stored = skipped = 0
        now = _now()
        with self.transaction():
            for item in batch:
                cursor = self.db.execute(
                    "INSERT INTO articles(hash, key, url, source, title, published, date, text, words,"
                    " record, minhash, ingested) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                    " ON CONFLICT(hash) DO NOTHING",
                    (
                        item.hash,
                        item.key,
                        item.url,
                        item.source,
                        item.title,
                        item.published,
                        item.date,
                        item.text,
                        item.words,
                        item.record,
                        item.minhash,
                        now,
                    ),
                )
                if cursor.rowcount == 0:
                    skipped += 1
                    continue
                stored += 1
                article = cursor.lastrowid
                assert article is not None
                self._write_children(article, item)
                self.db.execute("DELETE FROM errors WHERE source = ?", (item.key,))
            for error in errors:
                self.db.execute(
                    "INSERT INTO errors(source, reason, at) VALUES (?, ?, ?) ON CONFLICT(source) DO UPDATE"
                    " SET reason = excluded.reason, at = excluded.at",
                    (error.source, error.reason, now),
                )
            if stored:
                self._set_meta("passes_pending", "1")
        return WriteResult(stored=stored, skipped=skipped)

    def _name_id(self, type_: str, name: str) -> int:
        key = (type_, name)
        cached = self._name_ids.get(key)
        if cached is not None:
            return cached
        self.db.execute("INSERT OR IGNORE INTO names(type, name) VALUES (?, ?)", key)
        row = self.db.execute("SELECT id FROM names WHERE type = ? AND name = ?", key).fetchone()
        if len(self._name_ids) > 200_000:
            self._name_ids.clear()
        self._name_ids[key] = int(row[0])
        return int(row[0])

    def _write_children(self, article: int, item: Prepared) -> None:
        db = self.db
        local: dict[str, int] = {}
        entity_rows = []
        role_rows: list[tuple[int, int, str]] = []
        for local_id, type_, name, mentions, first, roles in item.entities:
            name_id = self._name_id(type_, name)
            local[local_id] = name_id
            entity_rows.append((article, local_id, name_id, mentions, first))
            role_rows.extend((article, name_id, role) for role in roles)
        db.executemany(
            "INSERT OR IGNORE INTO entities(article, local_id, name_id, mentions, first_offset)"
            " VALUES (?,?,?,?,?)",
            entity_rows,
        )
        db.executemany("INSERT INTO entity_roles(article, name_id, role) VALUES (?,?,?)", role_rows)
        db.executemany(
            'INSERT INTO quotes(article, speaker, speaker_name_id, text, kind, cue, start, "end", date)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    article,
                    speaker,
                    self._name_id(*key) if key else None,
                    text,
                    kind,
                    cue,
                    start,
                    end,
                    item.date,
                )
                for speaker, key, text, kind, cue, start, end in item.quotes
            ],
        )
        for event in item.events:
            *columns, participants, parties = event
            cursor = db.execute(
                "INSERT INTO events(article, type, label, place, country, lat, lon, date, date_text, status,"
                ' start, "end") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)',
                (article, *columns),
            )
            db.executemany(
                "INSERT INTO event_participants(event, name, kind) VALUES (?,?,?)",
                [(cursor.lastrowid, name, "participant") for name in participants]
                + [(cursor.lastrowid, name, "party") for name in parties],
            )
        db.executemany(
            "INSERT INTO places(article, name, country, lat, lon, kind, mentions, first_offset)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [(article, *place) for place in item.places],
        )
        db.executemany(
            "INSERT INTO tags(article, rank, tag) VALUES (?,?,?)",
            [(article, rank, tag) for rank, tag in enumerate(item.tags, 1)],
        )
        db.executemany(
            "INSERT INTO topics(article, code, label, top_level, score) VALUES (?,?,?,?,?)",
            [(article, *topic) for topic in item.topics],
        )

    def record_errors(self, errors: Sequence[ReadError]) -> None:
        """Record failures (read or analysis) under their source, replacing older reasons."""
        if errors:
            self.write((), errors)

    # -- corpus passes: what they read and write

    def name_stats(self) -> list[NameStat]:
        """Every distinct surface name (of an entity or a quote's speaker) with its counts and roles."""
        roles: dict[int, set[str]] = {}
        for name_id, role in self.db.execute("SELECT DISTINCT name_id, role FROM entity_roles"):
            roles.setdefault(name_id, set()).add(role)
        rows = self.db.execute(
            "SELECT n.id, n.type, n.name, sum(e.mentions), count(DISTINCT e.article)"
            " FROM names n JOIN entities e ON e.name_id = n.id GROUP BY n.id"
        )
        stats = [
            NameStat(int(i), t, n, int(m), int(a), frozenset(roles.get(int(i), ()))) for i, t, n, m, a in rows
        ]
        quoted_only = self.db.execute(
            "SELECT n.id, n.type, n.name, count(*), count(DISTINCT q.article)"
            " FROM names n JOIN quotes q ON q.speaker_name_id = n.id"
            " WHERE NOT EXISTS (SELECT 1 FROM entities e WHERE e.name_id = n.id) GROUP BY n.id"
        )
        stats.extend(NameStat(int(i), t, n, int(m), int(a), frozenset()) for i, t, n, m, a in quoted_only)
        return stats

    def set_actors(self, actor_of: dict[int, int], canonical: dict[int, tuple[str, str]]) -> None:
        """Replace the actor of every name (name id -> actor id) and rebuild the actor tables.

        ``canonical`` gives each actor id its (name, type). Names not in ``actor_of`` (names
        only quoted, never an entity) are their own actor.
        """
        db = self.db
        with self.transaction():
            db.execute("CREATE TEMP TABLE IF NOT EXISTS link(name_id INTEGER PRIMARY KEY, actor INTEGER)")
            db.execute("DELETE FROM temp.link")
            db.executemany("INSERT INTO temp.link VALUES (?, ?)", actor_of.items())
            db.execute(
                "UPDATE names SET actor ="
                " coalesce((SELECT actor FROM temp.link WHERE name_id = names.id), id)"
            )
            db.execute("DELETE FROM actors")
            db.execute(
                """
                INSERT INTO actors(id, name, type, aliases, articles, mentions, quotes, first_date, last_date)
                SELECT n.actor, '', '', '[]', count(DISTINCT e.article), sum(e.mentions), 0,
                       min(a.date), max(a.date)
                FROM names n JOIN entities e ON e.name_id = n.id JOIN articles a ON a.id = e.article
                GROUP BY n.actor
                """
            )
            db.execute(
                """
                INSERT OR IGNORE INTO actors(id, name, type, aliases, articles, mentions, quotes,
                                             first_date, last_date)
                SELECT n.actor, '', '', '[]', count(DISTINCT q.article), 0, 0, min(a.date), max(a.date)
                FROM names n JOIN quotes q ON q.speaker_name_id = n.id JOIN articles a ON a.id = q.article
                GROUP BY n.actor
                """
            )
            aliases: dict[int, list[tuple[int, str]]] = {}
            for actor, name, mentions in db.execute(
                "SELECT n.actor, n.name, coalesce((SELECT sum(e.mentions) FROM entities e"
                " WHERE e.name_id = n.id), 0) FROM names n WHERE n.actor IN (SELECT id FROM actors)"
            ):
                aliases.setdefault(actor, []).append((-int(mentions), name))
            db.executemany(
                "UPDATE actors SET name = ?, type = ?, aliases = ? WHERE id = ?",
                [
                    (
                        canonical.get(actor, ("", ""))[0] or min(names)[1],
                        canonical.get(actor, ("", ""))[1] or "",
                        json.dumps([name for _, name in sorted(names)], ensure_ascii=False),
                        actor,
                    )
                    for actor, names in aliases.items()
                ],
            )
            db.execute(
                "UPDATE actors SET type = (SELECT n.type FROM names n WHERE n.id = actors.id) WHERE type = ''"
            )
            db.execute(
                """
                UPDATE actors SET quotes = q.n FROM (
                    SELECT n.actor AS actor, count(*) AS n
                    FROM quotes JOIN names n ON n.id = quotes.speaker_name_id GROUP BY n.actor
                ) AS q WHERE actors.id = q.actor
                """
            )
            db.execute("DELETE FROM actor_roles")
            # one row per role and actor; spellings that differ only in case are one role, shown
            # as its most frequent spelling
            merged: dict[tuple[int, str], list[Any]] = {}
            for actor, role, first, last, count in db.execute(
                "SELECT n.actor, r.role, min(a.date), max(a.date), count(DISTINCT r.article)"
                " FROM entity_roles r JOIN names n ON n.id = r.name_id JOIN articles a ON a.id = r.article"
                " GROUP BY n.actor, r.role"
            ):
                entry = merged.setdefault((actor, role.casefold()), [role, count, first, last, 0])
                if count > entry[1]:
                    entry[0], entry[1] = role, count
                entry[2] = min((d for d in (entry[2], first) if d), default=None)
                entry[3] = max((d for d in (entry[3], last) if d), default=None)
                entry[4] += count
            db.executemany(
                "INSERT INTO actor_roles(actor, role, first_date, last_date, articles) VALUES (?,?,?,?,?)",
                [(actor, role, first, last, n) for (actor, _), (role, _, first, last, n) in merged.items()],
            )

    def signatures(self) -> Iterator[tuple[int, bytes]]:
        """(article id, MinHash signature) of every stored article, in id order."""
        for article, minhash in self.db.execute(
            "SELECT id, minhash FROM articles WHERE minhash IS NOT NULL ORDER BY id"
        ):
            yield int(article), bytes(minhash)

    def duplicate_state(self) -> tuple[dict[int, int], int]:
        """The near-duplicate groups found so far (article id -> group id), and the last article checked."""
        groups = {
            int(a): int(g)
            for a, g in self.db.execute("SELECT id, dup_group FROM articles WHERE dup_group IS NOT NULL")
        }
        return groups, int(self.get_meta("dedup_checked_upto") or 0)

    def set_duplicate_groups(self, group_of: dict[int, int], *, checked_upto: int | None = None) -> None:
        """Set each article's near-duplicate group (article id -> group id; absent: none).

        ``checked_upto`` records the last article id whose duplicates were looked for.
        """
        with self.transaction():
            if checked_upto is not None:
                self._set_meta("dedup_checked_upto", str(checked_upto))
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS dup(article INTEGER PRIMARY KEY, grp INTEGER)")
            self.db.execute("DELETE FROM temp.dup")
            self.db.executemany("INSERT INTO temp.dup VALUES (?, ?)", group_of.items())
            self.db.execute(
                "UPDATE articles SET dup_group = (SELECT grp FROM temp.dup WHERE dup.article = articles.id)"
                " WHERE dup_group IS NOT (SELECT grp FROM temp.dup WHERE dup.article = articles.id)"
            )

    def story_inputs(self) -> Iterator[tuple[int, str | None, str | None, int | None, list[str]]]:
        """Per article, in date order: (id, date, source, duplicate group, features).

        Features are ``a:<actor>`` for people and organisations, ``p:<place>`` for places below
        country level, ``e:<type>:<date>`` for dated events.
        """
        features: dict[int, list[str]] = {}
        for article, actor in self.db.execute(
            "SELECT DISTINCT e.article, n.actor FROM entities e JOIN names n ON n.id = e.name_id"
            " WHERE n.type IN ('PERSON', 'ORG') AND n.actor IS NOT NULL"
        ):
            features.setdefault(article, []).append(f"a:{actor}")
        for article, name in self.db.execute(
            "SELECT DISTINCT article, lower(name) FROM places WHERE kind IS NULL OR kind != 'country'"
        ):
            features.setdefault(article, []).append(f"p:{name}")
        for article, type_, day in self.db.execute(
            "SELECT DISTINCT article, type, date FROM events WHERE date IS NOT NULL"
        ):
            features.setdefault(article, []).append(f"e:{type_}:{day}")
        for article, day, source, group in self.db.execute(
            "SELECT id, date, source, dup_group FROM articles ORDER BY date IS NULL, date, id"
        ):
            yield int(article), day, source, group, features.pop(int(article), [])

    def set_stories(self, story_of: dict[int, int], labels: dict[int, str]) -> None:
        """Set each article's story (article id -> story id; absent: none) and the stories table."""
        db = self.db
        with self.transaction():
            db.execute("CREATE TEMP TABLE IF NOT EXISTS st(article INTEGER PRIMARY KEY, story INTEGER)")
            db.execute("DELETE FROM temp.st")
            db.executemany("INSERT INTO temp.st VALUES (?, ?)", story_of.items())
            db.execute(
                "UPDATE articles SET story = (SELECT story FROM temp.st WHERE st.article = articles.id)"
                " WHERE story IS NOT (SELECT story FROM temp.st WHERE st.article = articles.id)"
            )
            db.execute("DELETE FROM stories")
            db.execute(
                "INSERT INTO stories(id, label, articles, sources, first_date, last_date)"
                " SELECT story, '', count(*), count(DISTINCT source), min(date), max(date)"
                " FROM articles WHERE story IS NOT NULL GROUP BY story"
            )
            db.executemany("UPDATE stories SET label = ? WHERE id = ?", [(v, k) for k, v in labels.items()])

    def actor_names(self, actor_ids: Iterable[int]) -> dict[int, str]:
        """Canonical names of actors (by id)."""
        wanted = list(actor_ids)
        names: dict[int, str] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for actor, name in self.db.execute(f"SELECT id, name FROM actors WHERE id IN ({marks})", chunk):
                names[int(actor)] = str(name)
        return names

    # -- reading records

    def records(
        self, *, where: str = "1", args: Sequence[Any] = ()
    ) -> Iterator[tuple[sqlite3.Row, Analysis]]:
        """Stored articles in id order: (article row, its :class:`Analysis`)."""
        for row in self.db.execute(f"SELECT * FROM articles WHERE {where} ORDER BY id", args):
            yield row, analysis_of(row)

    def errors(self) -> list[dict[str, str]]:
        """Failed inputs: source, reason and when, in the order they failed."""
        rows = self.db.execute("SELECT source, reason, at FROM errors ORDER BY at, rowid")
        return [{"source": s, "reason": r, "at": a} for s, r, a in rows]

    def count(self, table: str) -> int:
        """Rows of a table."""
        if not re.fullmatch(r"[a-z_]+", table):
            raise ValueError(table)
        return int(self.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    # -- queries

    def find_actors(self, name: str, *, types: Sequence[str] = ()) -> list[Actor]:
        """Actors a name may refer to, the likeliest first (most articles).

        Tries the canonical name, then any surface name seen in the corpus, then a person's
        first and last name ("Dmitry S. Peskov" finds "Dmitry Peskov"), then a substring.
        """
        from newsgraph.corpus.linking import person_key

        text = " ".join(name.split())
        if not text:
            return []
        type_clause = f" AND a.type IN ({','.join('?' * len(types))})" if types else ""

        def run(sql: str, *args: Any) -> list[Actor]:
            rows = self.db.execute(sql + type_clause + " ORDER BY a.articles DESC, a.id", (*args, *types))
            return [_actor(row) for row in rows]

        found = run("SELECT a.* FROM actors a WHERE a.name = ? COLLATE NOCASE", text)
        found += [
            a
            for a in run(
                "SELECT DISTINCT a.* FROM names n JOIN actors a ON a.id = n.actor"
                " WHERE n.name = ? COLLATE NOCASE",
                text,
            )
            if a.id not in {f.id for f in found}
        ]
        if found:
            return sorted(found, key=lambda a: (-a.articles, a.id))
        key = person_key(text)
        if key is not None and key[1]:
            candidates = run("SELECT a.* FROM actors a WHERE a.name LIKE ? ESCAPE '\\'", f"%{_like(key[1])}%")
            found = [a for a in candidates if person_key(a.name) == key]
            if found:
                return found
        return run("SELECT a.* FROM actors a WHERE a.name LIKE ? ESCAPE '\\'", f"%{_like(text)}%")

    def _names_of(self, actors: Sequence[Actor]) -> list[int]:
        ids = [a.id for a in actors]
        marks = ",".join("?" * len(ids))
        return [int(r[0]) for r in self.db.execute(f"SELECT id FROM names WHERE actor IN ({marks})", ids)]

    def search(
        self,
        query: str | None = None,
        *,
        person: str | None = None,
        organization: str | None = None,
        place: str | None = None,
        source: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 20,
    ) -> list[dict[str, Any]]:
        """Articles matching a full-text query and filters, best first (newest first without a query).

        ``query`` uses FTS5 syntax for quoted phrases, ``OR``, ``NOT`` and ``prefix*``; other
        punctuation is ignored. ``person``/``organization`` name an actor (any of its names);
        ``place`` a place as named in the articles; ``source`` a domain or any subdomain of it.
        Matches are ranked by BM25. When more than ``RANK_WINDOW`` (10,000) articles match
        and every filter lets more than that through, only the most recently stored 10,000
        are ranked, so a query stays fast however large the corpus.
        """
        filters: list[_Filter] = []

        def count(sql: str, *params: Any) -> int:
            return int(self.db.execute(sql, params).fetchone()[0])

        for name, types in ((person, ("PERSON",)), (organization, ("ORG", "NORP"))):
            if name:
                actors = self.find_actors(name, types=types)
                if not actors:
                    return []
                name_ids = self._names_of(actors[:1])
                marks = ",".join("?" * len(name_ids))
                ids = f"SELECT article FROM entities WHERE name_id IN ({marks})"
                size = count(f"SELECT count(*) FROM entities WHERE name_id IN ({marks})", *name_ids)
                filters.append(_Filter(ids, list(name_ids), size, newest=f"{ids} ORDER BY article DESC"))
        if place:
            ids = "SELECT article FROM places WHERE name = ? COLLATE NOCASE"
            size = count("SELECT count(*) FROM places WHERE name = ? COLLATE NOCASE", place.strip())
            filters.append(_Filter(ids, [place.strip()], size, newest=f"{ids} ORDER BY article DESC"))
        if source:
            domain = source.strip().lower()
            ids = "SELECT id FROM articles WHERE source = ? OR source LIKE ? ESCAPE '\\'"
            params = [domain, f"%.{_like(domain)}"]
            filters.append(_Filter(ids, params, count(f"SELECT count(*) FROM ({ids})", *params)))
        if date_from or date_to:
            low, high = date_from or "0000", date_to or "9999"
            size = count("SELECT count(*) FROM articles WHERE date BETWEEN ? AND ?", low, high)
            ids = "SELECT id FROM articles WHERE date BETWEEN ? AND ?"
            # a wide range is checked on each matching article's row, a narrow one as a set of ids
            filters.append(_Filter(ids, [low, high], size, column="a.date BETWEEN ? AND ?"))
        columns = "a.id, a.key, coalesce(a.title, substr(a.text, 1, 200)) AS title, a.date, a.source, a.url"
        try:
            if query and query.strip():
                match = fts_query(query)
                if not match:
                    return []
                return [_hit(row) for row in self._ranked(match, filters, columns, limit)]
            where = " AND ".join(f"a.id IN ({f.ids})" for f in filters) or "1"
            rows = self.db.execute(
                f"SELECT {columns}, substr(a.text, 1, 160) AS snippet, NULL AS score FROM articles a"
                f" WHERE {where} ORDER BY a.date DESC, a.id DESC LIMIT ?",
                [*(p for f in filters for p in f.params), limit],
            ).fetchall()
        except sqlite3.OperationalError as err:
            raise StoreError(f"bad search query {query!r}: {err}") from None
        return [_hit(dict(row)) for row in rows]

    def _ranked(
        self, match: str, filters: Sequence[_Filter], columns: str, limit: int
    ) -> list[dict[str, Any]]:
        """The best ``limit`` matches by BM25 (see :meth:`search` for which are ranked)."""
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
        floor: int | None = None
        if all(f.size > RANK_WINDOW for f in filters):
            row = self.db.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?"
                " ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                [match, RANK_WINDOW],
            ).fetchone()
            floor = int(row[0]) if row else None
            for f in filters if floor is not None else ():
                if f.newest:
                    row = self.db.execute(f"{f.newest} LIMIT 1 OFFSET ?", [*f.params, RANK_WINDOW]).fetchone()
                    if row and (floor is None or int(row[0]) > floor):
                        floor = int(row[0])
        if floor is not None:
            clauses.append("articles_fts.rowid > ?")
            args.append(floor)
        where = " AND ".join(["articles_fts MATCH ?", *clauses])
        top = self.db.execute(
            f"SELECT articles_fts.rowid, bm25(articles_fts) AS score FROM articles_fts{join}"
            f" WHERE {where} ORDER BY score LIMIT ?",
            [match, *args, limit],
        ).fetchall()
        if not top:
            return []
        score = {int(r[0]): float(r[1]) for r in top}
        rows = self.db.execute(
            f"SELECT {columns}, snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet"
            " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({','.join('?' * len(score))})",
            [match, *score],
        ).fetchall()
        ranked = [{**dict(row), "score": score[int(row["id"])]} for row in rows]
        ranked.sort(key=lambda row: (row["score"], row["id"]))
        return ranked

    def quotes(
        self,
        *,
        speaker: str | None = None,
        about: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
        actor: Actor | None = None,
    ) -> list[dict[str, Any]]:
        """Quotes by a speaker (any name of the actor), optionally about some words, newest first.

        ``actor`` gives the speaker directly (as :meth:`find_actors` returns it).
        """
        clauses: list[str] = []
        args: list[Any] = []
        if about and about.strip():
            match = fts_query(about)
            if not match:
                return []
            clauses.append("q.id IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
            args.append(match)
        if date_from:
            clauses.append("q.date >= ?")
            args.append(date_from)
        if date_to:
            clauses.append("q.date <= ?")
            args.append(date_to)
        if speaker and actor is None:
            actors = self.find_actors(speaker, types=("PERSON",)) or self.find_actors(speaker)
            if not actors:
                return []
            actor = actors[0]
        # one query per name of the speaker, each walking the (speaker, date) index newest first
        per_name = (
            [("q.speaker_name_id = ?", [name_id]) for name_id in self._names_of([actor])]
            if actor
            else [("1", [])]
        )
        ids: list[tuple[str, int]] = []
        try:
            for clause, extra in per_name:
                where = " AND ".join([clause, *clauses])
                ids.extend(
                    (d or "", i)
                    for i, d in self.db.execute(
                        f"SELECT q.id, q.date FROM quotes q WHERE {where}"
                        " ORDER BY q.date DESC, q.id DESC LIMIT ?",
                        [*extra, *args, limit],
                    )
                )
        except sqlite3.OperationalError as err:
            raise StoreError(f"bad query {about!r}: {err}") from None
        chosen = [i for _, i in sorted(ids, reverse=True)[:limit]]
        if not chosen:
            return []
        rows = self.db.execute(
            "SELECT q.*, a.key, a.date AS article_date, a.source, a.title, n.actor, ac.name AS actor_name"
            " FROM quotes q JOIN articles a ON a.id = q.article"
            " LEFT JOIN names n ON n.id = q.speaker_name_id LEFT JOIN actors ac ON ac.id = n.actor"
            f" WHERE q.id IN ({','.join('?' * len(chosen))})",
            chosen,
        ).fetchall()
        order = {quote_id: rank for rank, quote_id in enumerate(chosen)}
        rows.sort(key=lambda row: order[row["id"]])
        return [
            {
                "speaker": row["actor_name"] or row["speaker"],
                "speaker_id": row["actor"],
                "speaker_as_written": row["speaker"],
                "text": row["text"],
                "kind": row["kind"],
                "cue": row["cue"],
                "date": row["article_date"],
                "source": row["source"],
                "article": row["key"],
                "title": row["title"],
                "start": row["start"],
                "end": row["end"],
            }
            for row in rows
        ]

    def events(
        self,
        *,
        type: str | None = None,
        place: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        participant: str | None = None,
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Events matching the filters (type, place, date range, a participant), newest first."""
        clauses: list[str] = []
        args: list[Any] = []
        if type:
            clauses.append("ev.type = ? COLLATE NOCASE")
            args.append(type.strip())
        if place:
            clauses.append("(ev.place = ? COLLATE NOCASE OR ev.country = ? COLLATE NOCASE)")
            args.extend([place.strip(), place.strip()])
        if date_from:
            clauses.append("coalesce(ev.date, a.date) >= ?")
            args.append(date_from)
        if date_to:
            clauses.append("coalesce(ev.date, a.date) <= ?")
            args.append(date_to)
        if participant:
            actors = self.find_actors(participant)
            names = [participant.strip()]
            if actors:
                names += json.loads(
                    self.db.execute("SELECT aliases FROM actors WHERE id = ?", (actors[0].id,)).fetchone()[0]
                )
            marks = ",".join("?" * len(names))
            clauses.append(
                f"ev.id IN (SELECT event FROM event_participants WHERE name COLLATE NOCASE IN ({marks}))"
            )
            args.extend(names)
        where = " AND ".join(clauses) or "1"
        rows = self.db.execute(
            "SELECT ev.*, a.key, a.date AS article_date, a.source"
            " FROM events ev JOIN articles a ON a.id = ev.article"
            f" WHERE {where} ORDER BY coalesce(ev.date, a.date) DESC, ev.id LIMIT ?",
            [*args, limit],
        ).fetchall()
        people: dict[int, list[tuple[str, str]]] = {}
        ids = [row["id"] for row in rows]
        if ids:
            marks = ",".join("?" * len(ids))
            for event, name, kind in self.db.execute(
                f"SELECT event, name, kind FROM event_participants WHERE event IN ({marks}) ORDER BY rowid",
                ids,
            ):
                people.setdefault(event, []).append((name, kind))
        return [
            {
                "type": row["type"],
                "label": row["label"],
                "participants": [n for n, k in people.get(row["id"], []) if k == "participant"],
                "parties": [n for n, k in people.get(row["id"], []) if k == "party"],
                "place": (
                    None
                    if row["place"] is None
                    else {
                        "name": row["place"],
                        "country": row["country"],
                        "lat": row["lat"],
                        "lon": row["lon"],
                    }
                ),
                "date": row["date"],
                "date_text": row["date_text"],
                "status": row["status"],
                "article": row["key"],
                "article_date": row["article_date"],
                "source": row["source"],
            }
            for row in rows
        ]

    def entity(self, name: str, *, limit: int = 10) -> dict[str, Any] | None:
        """An actor's page: names, roles over time, co-mentioned actors, quote count; None if unknown."""
        actors = self.find_actors(name)
        if not actors:
            return None
        actor = actors[0]
        roles = [
            {"role": role, "first": first, "last": last, "articles": n}
            for role, first, last, n in self.db.execute(
                "SELECT role, first_date, last_date, articles FROM actor_roles WHERE actor = ?"
                " ORDER BY articles DESC, first_date LIMIT 50",
                (actor.id,),
            )
        ]
        name_ids = self._names_of([actor])
        marks = ",".join("?" * len(name_ids))
        co = self.db.execute(
            f"""
            WITH mine AS (
                SELECT DISTINCT article FROM entities WHERE name_id IN ({marks})
                ORDER BY article DESC LIMIT {CO_MENTION_WINDOW}
            ),
            shared AS (
                SELECT n.actor AS actor, count(DISTINCT e.article) AS articles
                FROM mine JOIN entities e ON e.article = mine.article JOIN names n ON n.id = e.name_id
                WHERE n.actor != ? GROUP BY n.actor
            )
            SELECT ac.id, ac.name, ac.type, shared.articles FROM shared JOIN actors ac ON ac.id = shared.actor
            WHERE ac.type IN ('PERSON', 'ORG', 'GPE', 'LOC')
            ORDER BY shared.articles DESC, ac.id LIMIT ?
            """,
            (*name_ids, actor.id, limit),
        ).fetchall()
        recent = [
            {"text": q["text"], "kind": q["kind"], "date": q["date"], "article": q["article"]}
            for q in self.quotes(actor=actor, limit=5)
        ]
        return {
            **actor.as_dict(),
            "roles": roles,
            "co_mentioned": [{"id": i, "name": n, "type": t, "articles": s} for i, n, t, s in co if n],
            "co_mentions_over": min(actor.articles, CO_MENTION_WINDOW),
            "recent_quotes": recent,
            "other_matches": [
                {"id": a.id, "name": a.name, "type": a.type, "articles": a.articles} for a in actors[1:6]
            ],
        }

    def timeline(self, name: str, *, limit: int = 200) -> dict[str, Any] | None:
        """What the corpus holds about an actor, day by day: articles, roles, quotes, events."""
        actors = self.find_actors(name)
        if not actors:
            return None
        actor = actors[0]
        name_ids = self._names_of([actor])
        marks = ",".join("?" * len(name_ids))
        days: dict[str | None, dict[str, Any]] = {}

        def day(d: str | None) -> dict[str, Any]:
            return days.setdefault(d, {"date": d, "articles": [], "roles": [], "quotes": [], "events": []})

        for key, title, d, source in self.db.execute(
            "SELECT DISTINCT a.key, a.title, a.date, a.source"
            " FROM entities e JOIN articles a ON a.id = e.article"
            f" WHERE e.name_id IN ({marks}) ORDER BY a.date DESC, a.id DESC LIMIT ?",
            (*name_ids, limit),
        ):
            day(d)["articles"].append({"id": key, "title": title, "source": source})
        for role, d in self.db.execute(
            f"SELECT DISTINCT r.role, a.date FROM entity_roles r JOIN articles a ON a.id = r.article"
            f" WHERE r.name_id IN ({marks}) ORDER BY a.date DESC LIMIT ?",
            (*name_ids, limit),
        ):
            day(d)["roles"].append(role)
        for text, kind, d, key in self.db.execute(
            f"SELECT q.text, q.kind, a.date, a.key FROM quotes q JOIN articles a ON a.id = q.article"
            f" WHERE q.speaker_name_id IN ({marks}) ORDER BY a.date DESC, q.id LIMIT ?",
            (*name_ids, limit),
        ):
            day(d)["quotes"].append({"text": text, "kind": kind, "article": key})
        names = json.loads(
            self.db.execute("SELECT aliases FROM actors WHERE id = ?", (actor.id,)).fetchone()[0]
        )
        if names:
            name_marks = ",".join("?" * len(names))
            for type_, label, d, status, key in self.db.execute(
                "SELECT DISTINCT ev.type, ev.label, coalesce(ev.date, a.date), ev.status, a.key"
                " FROM events ev"
                " JOIN articles a ON a.id = ev.article JOIN event_participants p ON p.event = ev.id"
                f" WHERE p.name COLLATE NOCASE IN ({name_marks}) ORDER BY 3 DESC LIMIT ?",
                (*names, limit),
            ):
                day(d)["events"].append({"type": type_, "label": label, "status": status, "article": key})
        ordered = sorted(days.values(), key=lambda entry: (entry["date"] is None, entry["date"] or ""))
        return {**actor.as_dict(), "days": ordered}

    def stats(self) -> dict[str, Any]:
        """Counts over the whole corpus: articles, failures, actors, quotes, events, groups, sources."""
        db = self.db

        def one(sql: str) -> Any:
            return db.execute(sql).fetchone()[0]

        actor_types = {
            t: n for t, n in db.execute("SELECT type, count(*) FROM actors GROUP BY type ORDER BY 2 DESC")
        }
        return {
            "articles": one("SELECT count(*) FROM articles"),
            "words": one("SELECT coalesce(sum(words), 0) FROM articles"),
            "errors": one("SELECT count(*) FROM errors"),
            "first_date": one("SELECT min(date) FROM articles"),
            "last_date": one("SELECT max(date) FROM articles"),
            "undated": one("SELECT count(*) FROM articles WHERE date IS NULL"),
            "sources": one("SELECT count(DISTINCT source) FROM articles"),
            "actors": sum(actor_types.values()),
            "actors_by_type": actor_types,
            "names": one("SELECT count(*) FROM names"),
            "quotes": one("SELECT count(*) FROM quotes"),
            "quotes_attributed": one("SELECT count(*) FROM quotes WHERE speaker IS NOT NULL"),
            "events": one("SELECT count(*) FROM events"),
            "places": one("SELECT count(DISTINCT lower(name)) FROM places"),
            "duplicate_groups": one(
                "SELECT count(DISTINCT dup_group) FROM articles WHERE dup_group IS NOT NULL"
            ),
            "articles_in_duplicate_groups": one("SELECT count(*) FROM articles WHERE dup_group IS NOT NULL"),
            "stories": one("SELECT count(*) FROM stories"),
            "articles_in_stories": one("SELECT coalesce(sum(articles), 0) FROM stories"),
            "top_sources": [
                {"source": s, "articles": n}
                for s, n in db.execute(
                    "SELECT source, count(*) FROM articles WHERE source IS NOT NULL GROUP BY source"
                    " ORDER BY 2 DESC LIMIT 10"
                )
            ],
            "top_people": [
                {"id": i, "name": n, "articles": c}
                for i, n, c in db.execute(
                    "SELECT id, name, articles FROM actors WHERE type = 'PERSON'"
                    " ORDER BY articles DESC, id LIMIT 10"
                )
            ],
            "top_organizations": [
                {"id": i, "name": n, "articles": c}
                for i, n, c in db.execute(
                    "SELECT id, name, articles FROM actors WHERE type = 'ORG'"
                    " ORDER BY articles DESC, id LIMIT 10"
                )
            ],
            "largest_stories": [
                {"id": i, "label": lab, "articles": n, "sources": s, "first_date": f, "last_date": la}
                for i, lab, n, s, f, la in db.execute(
                    "SELECT id, label, articles, sources, first_date, last_date FROM stories"
                    " ORDER BY articles DESC, id LIMIT 5"
                )
            ],
            "passes_pending": self.dirty,
            "schema_version": self.version,
            "size_bytes": _size_on_disk(self.path),
        }

    def duplicate_groups(self, *, limit: int = 20) -> list[dict[str, Any]]:
        """Near-duplicate groups, largest first: their articles (id, source, title)."""
        groups = self.db.execute(
            "SELECT dup_group, count(*) FROM articles WHERE dup_group IS NOT NULL GROUP BY dup_group"
            " ORDER BY 2 DESC, 1 LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            {
                "group": group,
                "articles": [
                    {"id": key, "source": source, "title": title}
                    for key, source, title in self.db.execute(
                        "SELECT key, source, title FROM articles WHERE dup_group = ? ORDER BY id", (group,)
                    )
                ],
            }
            for group, _ in groups
        ]

    def stories(self, *, limit: int = 20) -> list[dict[str, Any]]:
        """Stories, largest first: label, dates and their articles."""
        rows = self.db.execute(
            "SELECT id, label, articles, sources, first_date, last_date FROM stories"
            " ORDER BY articles DESC, id LIMIT ?",
            (limit,),
        ).fetchall()
        return [
            {
                "story": i,
                "label": label,
                "sources": s,
                "first_date": f,
                "last_date": la,
                "articles": [
                    {"id": key, "source": source, "date": d, "title": title}
                    for key, source, d, title in self.db.execute(
                        "SELECT key, source, date, title FROM articles WHERE story = ? ORDER BY date, id",
                        (i,),
                    )
                ],
            }
            for i, label, _n, s, f, la in rows
        ]


@dataclass(frozen=True)
class _Filter:
    """A search filter: SQL for the ids of the articles it lets through, and about how many."""

    ids: str
    params: list[Any]
    size: int
    newest: str | None = None  # the same ids, newest first
    column: str | None = None  # the same test on an article row ``a``


def _hit(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "article": row["id"],
        "id": row["key"],
        "title": _first_line(row["title"]),
        "date": row["date"],
        "source": row["source"],
        "url": row["url"],
        "snippet": " ".join(str(row["snippet"]).split()),
        "score": None if row["score"] is None else round(-float(row["score"]), 3),
    }


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


def analysis_of(row: sqlite3.Row) -> Analysis:
    """The :class:`Analysis` stored in an article row."""
    return Analysis.model_validate_json(zlib.decompress(row["record"]))


def _actor(row: sqlite3.Row) -> Actor:
    return Actor(
        id=int(row["id"]),
        name=str(row["name"]),
        type=str(row["type"]),
        aliases=list(json.loads(row["aliases"])),
        articles=int(row["articles"]),
        mentions=int(row["mentions"]),
        quotes=int(row["quotes"]),
        first_date=row["first_date"],
        last_date=row["last_date"],
    )


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _first_line(text: object) -> str:
    return str(text or "").strip().split("\n", 1)[0][:120]


def _size_on_disk(path: str) -> int:
    return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p))


_FTS_TOKEN_RE = re.compile(r'"[^"]*"|\(|\)|[^\s()"]+')
_FTS_WORD_RE = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """A safe FTS5 query from what a user typed.

    Keeps "quoted phrases", ``AND``/``OR``/``NOT`` and ``prefix*``; every other word is quoted,
    so punctuation (``U.S.``, ``Peskov's``) never raises a syntax error. Words are ANDed.
    """
    parts: list[str] = []
    for token in _FTS_TOKEN_RE.findall(text):
        if token in ("AND", "OR", "NOT"):
            if parts and parts[-1] not in ("AND", "OR", "NOT"):
                parts.append(token)
            continue
        if token in ("(", ")"):
            continue
        prefix = token.endswith("*") and not token.startswith('"')
        words = _FTS_WORD_RE.findall(token)
        if not words:
            continue
        phrase = '"' + " ".join(words) + '"'
        parts.append(phrase + ("*" if prefix else ""))
    while parts and parts[-1] in ("AND", "OR", "NOT"):
        parts.pop()
    if parts and parts[0] == "NOT":
        parts.pop(0)
    return " ".join(parts)
