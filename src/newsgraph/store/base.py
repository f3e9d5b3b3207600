"""The store interface: one corpus, whatever holds it, with the same writes, passes and queries.

:class:`Store` is the interface every backend adapter implements (SQLite in
:mod:`~newsgraph.store.sqlite`, PostgreSQL in :mod:`~newsgraph.store.postgres`). Its SQL is
written once, here, in the dialect both backends share (``?`` parameters, ``ON CONFLICT``,
``RETURNING``); an adapter supplies the connection, the schema and its migrations, transactions,
and full-text search, the one thing the two databases do differently.

- Writes are idempotent upserts keyed by the article's content hash: an article already stored
  is never stored again, and each batch is one transaction, so a run killed at any moment leaves
  every article wholly stored or absent. Names are inserted in sorted order, so two writers on
  one PostgreSQL database never deadlock on them.
- Pass I/O is a delta: each stored article is queued for every corpus pass (``pass_queue``),
  and a pass takes and clears what is queued (a queue, not an id watermark, because concurrent
  writers on PostgreSQL commit ids out of order).
- Queries return the typed records of :mod:`~newsgraph.store.records`.
"""

from __future__ import annotations

import base64
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from newsgraph.models import Analysis, ReadError
from newsgraph.names import fold, parse_person, person_key
from newsgraph.store.records import (
    Actor,
    ActorPage,
    ArticleRecord,
    ArticleRef,
    CoMention,
    DayCount,
    DuplicateGroup,
    ErrorRecord,
    EventHit,
    NameStat,
    Page,
    PlaceCount,
    PlaceRef,
    QuoteHit,
    QuoteRef,
    RoleSpan,
    SearchHit,
    SourceCount,
    Stats,
    Story,
    StoryArticle,
    Timeline,
    TimelineDay,
    WriteResult,
)
from newsgraph.store.rows import Prepared, analysis_of

__all__ = [
    "PASSES",
    "QueryError",
    "QueryTimeout",
    "StorageError",
    "Store",
    "StoreError",
    "StoredArticle",
    "check_query",
    "parse_query",
]

#: The corpus passes a stored article is queued for.
PASSES = ("linking", "dedup", "stories")
#: Articles of an actor looked at for its co-mentioned actors (the latest stored ones).
CO_MENTION_WINDOW = 500
#: Longest query, name or words filter a query takes (characters).
MAX_QUERY_CHARS = 1000
#: Most terms a full-text query takes (each one costs the ranking and the snippets).
MAX_QUERY_TERMS = 32
#: Most terms the snippets of a page of hits mark (the first ones of the query).
SNIPPET_TERMS = 8
#: Most results one page holds.
MAX_LIMIT = 1000


class StoreError(RuntimeError):
    """The store cannot be used (wrong file, newer schema, bad query); the message says why."""


class QueryError(StoreError):
    """The request is at fault (a query too long, an empty name, a bad cursor): HTTP 400, exit 2."""


class QueryTimeout(StoreError):
    """A query ran past the store's ``timeout``; nothing was changed."""


class StorageError(StoreError):
    """The storage failed: disk full, an unwritable place, a lock held too long, a corrupted file.

    Whatever was committed before is kept; the message says what to do.
    """


@dataclass(frozen=True)
class StoredArticle:
    """A stored article as the exports read it: store fields and its analysis."""

    article_id: int
    key: str
    hash: str
    date: str | None
    ingested: str
    duplicate_group: int | None
    story: int | None
    analysis: Analysis
    text: str


# ---------------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Term:
    """One term of a full-text query: words (a phrase when several), negated, a prefix, ORed to the last."""

    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False
    alternative: bool = False


_QUERY_TOKEN_RE = re.compile(r'-?"[^"]*"?|\(|\)|[^\s()"]+')
_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def parse_query(text: str) -> list[Term]:
    """A user's search words as terms, read the same way by every backend.

    ``"quoted phrases"``, ``OR`` between terms, ``-word`` or ``NOT word`` to exclude, ``prefix*``;
    other punctuation is ignored ("U.S." is the words u and s). Terms are ANDed. A query of only
    exclusions matches nothing (there is nothing to rank). It never raises: past
    ``MAX_QUERY_CHARS`` characters or ``MAX_QUERY_TERMS`` terms the rest is dropped (the store's
    queries refuse such a query first, see :func:`check_query`).
    """
    terms: list[Term] = []
    negate = alternative = False
    for token in _QUERY_TOKEN_RE.findall(text[:MAX_QUERY_CHARS]):
        if token == "OR":
            alternative = bool(terms)
            continue
        if token in ("NOT", "AND", "(", ")"):
            negate = negate or token == "NOT"
            continue
        negated = negate or (token.startswith("-") and len(token) > 1)
        body = token[1:] if token.startswith("-") else token
        words = tuple(w.casefold() for w in _WORD_RE.findall(body))
        if words:
            prefix = body.endswith("*") and not body.startswith('"')
            terms.append(Term(words[:MAX_QUERY_TERMS], negated, prefix, alternative and not negated))
        negate = alternative = False
        if len(terms) == MAX_QUERY_TERMS:
            break
    if not any(not t.negated for t in terms):
        return []
    return terms


def check_query(text: str, *, what: str = "query") -> list[Term]:
    """A user's search words parsed (:func:`parse_query`), or :class:`QueryError` when too long.

    The bounds (``MAX_QUERY_CHARS`` characters, ``MAX_QUERY_TERMS`` words) keep the work of one
    search small whatever is typed.
    """
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{what} too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})")
    words = sum(
        len(_WORD_RE.findall(token))
        for token in _QUERY_TOKEN_RE.findall(text)
        if token not in ("OR", "AND", "NOT")
    )
    if words > MAX_QUERY_TERMS:
        raise QueryError(f"{what} has too many words ({words}; at most {MAX_QUERY_TERMS})")
    return parse_query(text)


def check_name(text: str | None, *, what: str = "name") -> str:
    """A user's name (spaces folded), or :class:`QueryError` when it is empty or too long."""
    if text is not None and len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{what} too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})")
    name = " ".join((text or "").split())
    if not name:
        raise QueryError(f"empty {what}")
    return name


def snippet_terms(terms: Sequence[Term]) -> list[Term]:
    """The terms a snippet marks: the first ``SNIPPET_TERMS`` that are not excluded, any of them.

    A snippet costs time in the number of its terms times the article's length, so a long
    query marks its first words only.
    """
    wanted = [t for t in terms if not t.negated][:SNIPPET_TERMS]
    return [Term(t.words, prefix=t.prefix, alternative=i > 0) for i, t in enumerate(wanted)]


#: Newest-first pages of articles (``a``) and quotes (``q``), undated ones last: the key a cursor
#: holds and the order, both those of the ``articles_newest`` / ``quotes_newest`` indexes, so a
#: page deep into a large store reads an index range instead of sorting the table.
NEWEST_ARTICLES = ("coalesce(a.date, ''), a.id", "coalesce(a.date, '') DESC, a.id DESC")
NEWEST_QUOTES = ("coalesce(q.date, ''), q.id", "coalesce(q.date, '') DESC, q.id DESC")


def encode_cursor(*values: Any) -> str:
    """An opaque cursor for keyset paging."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, *kinds: type) -> list[Any] | None:
    """The values behind a cursor, one of each of ``kinds`` (``str``, ``int``); a malformed or
    forged one is a :class:`StoreError`."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor[:200] + "=" * (-len(cursor[:200]) % 4)))
    except ValueError:
        raise QueryError("bad cursor") from None
    if (
        not isinstance(values, list)
        or len(values) != len(kinds)
        or any(type(v) is not k for v, k in zip(values, kinds, strict=True))
        or any(isinstance(v, int) and not -(2**62) < v < 2**62 for v in values)
    ):
        raise QueryError("bad cursor")
    return values


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _offset(cursor: str | None) -> int:
    """The position behind an offset cursor (0 without one)."""
    position = decode_cursor(cursor, int)
    return max(0, position[0]) if position else 0


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


def _clean(text: str | None, what: str = "filter") -> str:
    """A user's name or words: spaces folded; :class:`QueryError` when too long."""
    if text is not None and len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"{what} too long ({len(text):,} characters; at most {MAX_QUERY_CHARS:,})")
    return " ".join((text or "").split())


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _first_line(text: object) -> str:
    return str(text or "").strip().split("\n", 1)[0][:120]


def _marks(items: Sequence[Any]) -> str:
    return ",".join("?" * len(items))


def _chunks(items: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class Filter:
    """A search filter: SQL for the ids of the articles it lets through, and about how many."""

    ids: str
    params: list[Any]
    size: int
    column: str | None = None  # the same test on an article row ``a``


# ---------------------------------------------------------------------------------- the interface


class Store(ABC):
    """A newsgraph corpus. Open one with :func:`newsgraph.store.open_store`.

    Subclasses implement the abstract methods: the connection, transactions, the schema, and
    full-text search. Everything else is shared SQL.
    """

    #: "sqlite" or "postgresql"
    backend: str = ""
    #: the column that orders rows of a table as inserted
    rowid: str = "rowid"
    #: the SQL aggregate that makes a JSON array of a column
    json_array_agg: str = "json_group_array"

    def __init__(self, target: str, *, readonly: bool = False, timeout: float | None = None) -> None:
        self.target = target
        self.readonly = readonly
        #: seconds one statement may run before :class:`QueryTimeout` (None: no limit)
        self.timeout = timeout
        self._name_ids: dict[tuple[str, str], int] = {}
        self._depth = 0

    # -- what an adapter provides

    @abstractmethod
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` parameters); returns a cursor (iterable rows,"
        " ``fetchone``, ``fetchall``)."""

    @abstractmethod
    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""

    @abstractmethod
    def _begin(self) -> None:
        """Start a write transaction."""

    @abstractmethod
    def _end(self, *, commit: bool) -> None:
        """Commit or roll back the transaction."""

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (rolled back on error); a nested call joins the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._end(commit=False)
            raise
        self._depth = 0
        self._end(commit=True)

    @abstractmethod
    def close(self) -> None:
        """Close the connection."""

    @property
    @abstractmethod
    def version(self) -> int:
        """The schema version (the number of migrations applied)."""

    @abstractmethod
    def size_bytes(self) -> int | None:
        """The store's size on disk, when known."""

    @abstractmethod
    def _ranked(self, terms: list[Term], filters: Sequence[Filter], limit: int, offset: int) -> list[Any]:
        """The best matches of a query by relevance: rows with the search-hit columns, snippet, score."""

    @abstractmethod
    def _quote_match(self, terms: list[Term]) -> tuple[str, list[Any]]:
        """SQL (over quotes ``q``) and parameters for quotes whose words match."""

    @abstractmethod
    def lock_passes(self) -> AbstractContextManager[bool]:
        """Hold the right to run the corpus passes (True) or learn another process has it (False)."""

    # -- lifecycle

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row of a query (None when there is no row)."""
        row = self.execute(sql, params).fetchone()
        return None if row is None else row[0]

    # -- meta

    def get_meta(self, key: str) -> str | None:
        """A value of the ``meta`` table."""
        value = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if value is None else str(value)

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the ``meta`` table (inside the caller's transaction, if any)."""
        self.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value"
            " = excluded.value",
            (key, value),
        )

    @property
    def dirty(self) -> bool:
        """True when stored articles wait for the corpus passes."""
        return self.one("SELECT 1 FROM pass_queue LIMIT 1") is not None

    def mark_clean(self, *, version: int = 0) -> None:
        """Record that the corpus passes (of this ``version``) ran."""
        with self.transaction():
            self.set_meta("passes_at", _now())
            self.set_meta("passes_version", str(version))

    # -- writing

    def known(self, hashes: Iterable[str]) -> set[str]:
        """Those of ``hashes`` already stored."""
        wanted = list(dict.fromkeys(hashes))
        found: set[str] = set()
        for chunk in _chunks(wanted):
            found.update(
                row[0]
                for row in self.execute(f"SELECT hash FROM articles WHERE hash IN ({_marks(chunk)})", chunk)
            )
        return found

    def write(self, batch: Sequence[Prepared], errors: Sequence[ReadError] = ()) -> WriteResult:
        """Store a batch of prepared articles and failures in one transaction.

        An article whose hash is already stored is skipped (nothing changes); a stored article
        clears the errors recorded for its input (under its id or its input location); a failure
        is recorded (or updated) under its input location.
        """
        stored = skipped = 0
        now = _now()
        staged: dict[tuple[str, str], int] = {}
        try:
            with self.transaction():
                self._add_names(item for prepared in batch for item in _names_of(prepared))
                for item in batch:
                    row = self.execute(
                        "INSERT INTO articles(hash, key, url, source, title, published, date, text, words,"
                        " record, minhash, ingested) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                        " ON CONFLICT(hash) DO NOTHING RETURNING id",
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
                    ).fetchone()
                    if row is None:
                        skipped += 1
                        continue
                    stored += 1
                    article = int(row[0])
                    self._write_children(article, item, staged)
                    self.executemany(
                        "INSERT INTO pass_queue(pass, article) VALUES (?, ?) ON CONFLICT DO NOTHING",
                        [(name, article) for name in PASSES],
                    )
                    self.execute(
                        "DELETE FROM errors WHERE source = ? OR source = ?",
                        (item.key, item.origin or item.key),
                    )
                for error in errors:
                    self.execute(
                        "INSERT INTO errors(source, reason, at) VALUES (?, ?, ?) ON CONFLICT(source) DO"
                        " UPDATE"
                        " SET reason = excluded.reason, at = excluded.at",
                        (error.source, error.reason, now),
                    )
        except BaseException:
            raise
        else:  # ids of names are kept only once their transaction committed
            self._name_ids.update(staged)
            if len(self._name_ids) > 200_000:
                self._name_ids.clear()
        return WriteResult(stored=stored, skipped=skipped)

    def record_errors(self, errors: Sequence[ReadError]) -> None:
        """Record failures (read or analysis) under their source, replacing older reasons."""
        if errors:
            self.write((), errors)

    def _add_names(self, names: Iterable[tuple[str, str]]) -> None:
        wanted = sorted({n for n in names if n not in self._name_ids})
        if wanted:
            self.executemany(
                "INSERT INTO names(type, name) VALUES (?, ?) ON CONFLICT(type, name) DO NOTHING", wanted
            )

    def _name_id(self, key: tuple[str, str], staged: dict[tuple[str, str], int]) -> int:
        cached = self._name_ids.get(key) or staged.get(key)
        if cached is not None:
            return cached
        found = int(self.one("SELECT id FROM names WHERE type = ? AND name = ?", key))
        staged[key] = found
        return found

    def _write_children(self, article: int, item: Prepared, staged: dict[tuple[str, str], int]) -> None:
        entity_rows = []
        role_rows: list[tuple[int, int, str]] = []
        for local_id, type_, name, mentions, first, roles in item.entities:
            name_id = self._name_id((type_, name), staged)
            entity_rows.append((article, local_id, name_id, mentions, first))
            role_rows.extend((article, name_id, role) for role in roles)
        self.executemany(
            "INSERT INTO entities(article, local_id, name_id, mentions, first_offset) VALUES (?,?,?,?,?)"
            " ON CONFLICT DO NOTHING",
            entity_rows,
        )
        self.executemany("INSERT INTO entity_roles(article, name_id, role) VALUES (?,?,?)", role_rows)
        self.executemany(
            'INSERT INTO quotes(article, speaker, speaker_name_id, text, kind, cue, start, "end", date)'
            " VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    article,
                    speaker,
                    self._name_id(key, staged) if key else None,
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
            event_id = self.one(
                "INSERT INTO events(article, type, label, place, country, lat, lon, date, date_text, status,"
                ' start, "end") VALUES (?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id',
                (article, *columns),
            )
            self.executemany(
                "INSERT INTO event_participants(event, name, kind) VALUES (?,?,?)",
                [(event_id, name, "participant") for name in participants]
                + [(event_id, name, "party") for name in parties],
            )
        self.executemany(
            "INSERT INTO places(article, name, country, lat, lon, kind, mentions, first_offset)"
            " VALUES (?,?,?,?,?,?,?,?)",
            [(article, *place) for place in item.places],
        )
        self.executemany(
            "INSERT INTO tags(article, rank, tag) VALUES (?,?,?)",
            [(article, rank, tag) for rank, tag in enumerate(item.tags, 1)],
        )
        self.executemany(
            "INSERT INTO topics(article, code, label, top_level, score) VALUES (?,?,?,?,?)",
            [(article, *topic) for topic in item.topics],
        )
        self.executemany(
            "INSERT INTO minhash_bands(band, article) VALUES (?, ?) ON CONFLICT DO NOTHING",
            [(band, article) for band in item.bands],
        )

    # -- corpus passes: what they read and write

    def queued(self, pass_name: str, *, limit: int = 10_000) -> list[int]:
        """Articles waiting for a pass, oldest first (at most ``limit``)."""
        return [
            int(r[0])
            for r in self.execute(
                "SELECT article FROM pass_queue WHERE pass = ? ORDER BY article LIMIT ?", (pass_name, limit)
            )
        ]

    def dequeue(self, pass_name: str, articles: Sequence[int]) -> None:
        """Mark articles done for a pass (inside the caller's transaction, if any)."""
        for chunk in _chunks(list(articles)):
            self.execute(
                f"DELETE FROM pass_queue WHERE pass = ? AND article IN ({_marks(chunk)})", (pass_name, *chunk)
            )

    def requeue_all(self) -> None:
        """Queue every stored article for every pass again (when the passes' rules changed)."""
        with self.transaction():
            for name in PASSES:
                self.execute(
                    # "WHERE true": SQLite reads an ON after FROM as a join's without it
                    "INSERT INTO pass_queue(pass, article) SELECT ?, id FROM articles WHERE true"
                    " ON CONFLICT DO NOTHING",
                    (name,),
                )
            self.execute("UPDATE names SET actor = NULL")

    def unlinked_names(self, *, limit: int = 50_000) -> list[NameStat]:
        """Names no actor holds yet (new since linking last ran), with their counts and roles."""
        ids = [
            int(r[0])
            for r in self.execute("SELECT id FROM names WHERE actor IS NULL ORDER BY id LIMIT ?", (limit,))
        ]
        return self.name_stats(ids)

    def names_with_keys(self, keys: Iterable[str]) -> list[int]:
        """Ids of the names that share one of these linking keys."""
        wanted = sorted(set(keys))
        found: set[int] = set()
        for chunk in _chunks(wanted):
            found.update(
                int(r[0])
                for r in self.execute(f"SELECT name_id FROM name_keys WHERE key IN ({_marks(chunk)})", chunk)
            )
        return sorted(found)

    def set_name_keys(self, rows: Iterable[tuple[int, str]]) -> None:
        """Record the linking keys of names (inside the caller's transaction)."""
        self.executemany(
            "INSERT INTO name_keys(name_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING", list(rows)
        )

    def fellow_names(self, name_ids: Sequence[int]) -> list[int]:
        """These names and every name that shares an actor with one of them."""
        found = set(name_ids)
        for chunk in _chunks(list(name_ids)):
            found.update(
                int(r[0])
                for r in self.execute(
                    "SELECT n2.id FROM names n JOIN names n2 ON n2.actor = n.actor"
                    f" WHERE n.id IN ({_marks(chunk)}) AND n.actor IS NOT NULL",
                    chunk,
                )
            )
        return sorted(found)

    def name_stats(self, name_ids: Sequence[int] | None = None) -> list[NameStat]:
        """Distinct surface names (of entities or quote speakers) with counts and roles; all when no ids."""
        if name_ids is None:
            name_ids = [int(r[0]) for r in self.execute("SELECT id FROM names ORDER BY id")]
        stats: list[NameStat] = []
        for chunk in _chunks(list(name_ids)):
            marks = _marks(chunk)
            roles: dict[int, set[str]] = {}
            for name_id, role in self.execute(
                f"SELECT DISTINCT name_id, role FROM entity_roles WHERE name_id IN ({marks})", chunk
            ):
                roles.setdefault(int(name_id), set()).add(role)
            seen: set[int] = set()
            for i, t, n, m, a in self.execute(
                "SELECT n.id, n.type, n.name, sum(e.mentions), count(DISTINCT e.article)"
                f" FROM names n JOIN entities e ON e.name_id = n.id WHERE n.id IN ({marks})"
                " GROUP BY n.id, n.type, n.name",
                chunk,
            ):
                seen.add(int(i))
                stats.append(NameStat(int(i), t, n, int(m), int(a), frozenset(roles.get(int(i), ()))))
            for i, t, n, m, a in self.execute(
                "SELECT n.id, n.type, n.name, count(*), count(DISTINCT q.article)"
                f" FROM names n JOIN quotes q ON q.speaker_name_id = n.id WHERE n.id IN ({marks})"
                " GROUP BY n.id, n.type, n.name",
                chunk,
            ):
                if int(i) not in seen:
                    stats.append(NameStat(int(i), t, n, int(m), int(a), frozenset()))
        stats.sort(key=lambda s: s.id)
        return stats

    def link_names(self, actor_of: dict[int, int], canonical: dict[int, tuple[str, str]]) -> list[int]:
        """Give names their actors and refresh those actors; returns the actors changed.

        ``actor_of`` maps name ids to actor ids (the smallest name id of each group);
        ``canonical`` gives each actor its (name, type). An actor id that a merge retires
        redirects to the actor it went into, so old links keep working.
        """
        old = {
            int(i): (None if a is None else int(a))
            for chunk in _chunks(list(actor_of))
            for i, a in self.execute(f"SELECT id, actor FROM names WHERE id IN ({_marks(chunk)})", chunk)
        }
        moved = {name: actor for name, actor in actor_of.items() if old.get(name) != actor}
        # only actors that gain or lose a name are recomputed; the others keep their rows
        before = {n: a for n, a in old.items() if a is not None}
        changed = set(moved.values()) | {before[n] for n in moved if n in before}
        redirects = {(before[n], a) for n, a in moved.items() if n in before}
        self.executemany("UPDATE names SET actor = ? WHERE id = ?", [(a, n) for n, a in moved.items()])
        for previous, current in sorted(redirects):
            if self.one("SELECT 1 FROM names WHERE actor = ? LIMIT 1", (previous,)) is None:
                self.execute(
                    "INSERT INTO actor_redirects(old, new) VALUES (?, ?)"
                    " ON CONFLICT(old) DO UPDATE SET new = excluded.new",
                    (previous, current),
                )
                self.execute("UPDATE actor_redirects SET new = ? WHERE new = ?", (current, previous))
        live = sorted(set(moved.values()))
        for chunk in _chunks(live):  # an id in use again is no redirect
            self.execute(f"DELETE FROM actor_redirects WHERE old IN ({_marks(chunk)})", chunk)
        self.refresh_actors(sorted(changed), canonical)
        return sorted(changed)

    def refresh_actors(self, actors: Sequence[int], canonical: dict[int, tuple[str, str]]) -> None:
        """Recompute the rows of these actors (counts, dates, aliases, roles) from their names."""
        for chunk in _chunks(list(actors)):
            marks = _marks(chunk)
            self.execute(f"DELETE FROM actors WHERE id IN ({marks})", chunk)
            self.execute(f"DELETE FROM actor_roles WHERE actor IN ({marks})", chunk)
            counts: dict[int, list[Any]] = {}
            for actor, articles, mentions, first, last in self.execute(
                "SELECT n.actor, count(DISTINCT e.article), sum(e.mentions), min(a.date), max(a.date)"
                " FROM names n JOIN entities e ON e.name_id = n.id JOIN articles a ON a.id = e.article"
                f" WHERE n.actor IN ({marks}) GROUP BY n.actor",
                chunk,
            ):
                counts[int(actor)] = [int(articles), int(mentions), 0, first, last]
            for actor, quotes, articles, first, last in self.execute(
                "SELECT n.actor, count(*), count(DISTINCT q.article), min(a.date), max(a.date)"
                " FROM names n JOIN quotes q ON q.speaker_name_id = n.id JOIN articles a ON a.id = q.article"
                f" WHERE n.actor IN ({marks}) GROUP BY n.actor",
                chunk,
            ):
                entry = counts.setdefault(int(actor), [int(articles), 0, 0, first, last])
                entry[2] = int(quotes)
            aliases: dict[int, list[tuple[int, str, str]]] = {}
            for actor, name, type_, mentions in self.execute(
                "SELECT n.actor, n.name, n.type, coalesce((SELECT sum(e.mentions) FROM entities e"
                f" WHERE e.name_id = n.id), 0) FROM names n WHERE n.actor IN ({marks})",
                chunk,
            ):
                aliases.setdefault(int(actor), []).append((-int(mentions), name, type_))
            rows = []
            for actor, (articles, mentions, quotes, first, last) in counts.items():
                names = sorted(aliases.get(actor, []))
                if not names:
                    continue
                name, type_ = canonical.get(actor) or (names[0][1], names[0][2])
                rows.append(
                    (
                        actor,
                        name,
                        type_,
                        json.dumps(sorted({n for _, n, _ in names}, key=[n for _, n, _ in names].index)),
                        articles,
                        mentions,
                        quotes,
                        first,
                        last,
                    )
                )
            self.executemany(
                "INSERT INTO actors(id, name, type, aliases, articles, mentions, quotes,"
                " first_date, last_date)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                rows,
            )
            # one row per role and actor; spellings that differ only in case are one role, shown
            # as its most frequent spelling
            merged: dict[tuple[int, str], list[Any]] = {}
            for actor, role, first, last, count in self.execute(
                "SELECT n.actor, r.role, min(a.date), max(a.date), count(DISTINCT r.article)"
                " FROM entity_roles r JOIN names n ON n.id = r.name_id JOIN articles a ON a.id = r.article"
                f" WHERE r.name_id IN (SELECT id FROM names WHERE actor IN ({marks}))"
                " GROUP BY n.actor, r.role ORDER BY n.actor, r.role",
                chunk,
            ):
                entry = merged.setdefault((int(actor), role.casefold()), [role, int(count), first, last, 0])
                if int(count) > entry[1]:
                    entry[0], entry[1] = role, int(count)
                entry[2] = min((d for d in (entry[2], first) if d), default=None)
                entry[3] = max((d for d in (entry[3], last) if d), default=None)
                entry[4] += int(count)
            self.executemany(
                "INSERT INTO actor_roles(actor, role, first_date, last_date, articles) VALUES (?,?,?,?,?)",
                [(actor, role, first, last, n) for (actor, _), (role, _, first, last, n) in merged.items()],
            )

    def count_into_actors(self, articles: Sequence[int], *, skip: Iterable[int] = ()) -> int:
        """Add what these articles say of their actors to the actors' rows; returns the actors updated.

        Articles, mentions, quotes, first and last date and roles of each actor named (or
        speaking) in them grow by these articles' share, so the cost follows the new articles,
        not the size of the actors. Actors in ``skip`` (just recomputed in full) are left alone.
        """
        skipped = set(skip)
        delta: dict[int, list[Any]] = {}  # actor -> [articles, mentions, quotes, quote articles, first, last]

        def entry(actor: int) -> list[Any]:
            return delta.setdefault(actor, [0, 0, 0, 0, None, None])

        def widen(item: list[Any], first: str | None, last: str | None) -> None:
            item[4] = min((d for d in (item[4], first) if d), default=None)
            item[5] = max((d for d in (item[5], last) if d), default=None)

        roles: dict[tuple[int, str], list[Any]] = {}
        for chunk in _chunks(list(articles)):
            marks = _marks(chunk)
            for actor, count, mentions, first, last in self.execute(
                "SELECT n.actor, count(DISTINCT e.article), sum(e.mentions), min(a.date), max(a.date)"
                " FROM entities e JOIN names n ON n.id = e.name_id JOIN articles a ON a.id = e.article"
                f" WHERE e.article IN ({marks}) AND n.actor IS NOT NULL GROUP BY n.actor",
                chunk,
            ):
                item = entry(int(actor))
                item[0] += int(count)
                item[1] += int(mentions)
                widen(item, first, last)
            for actor, quotes, count, first, last in self.execute(
                "SELECT n.actor, count(*), count(DISTINCT q.article), min(a.date), max(a.date)"
                " FROM quotes q JOIN names n ON n.id = q.speaker_name_id JOIN articles a ON a.id = q.article"
                f" WHERE q.article IN ({marks}) AND n.actor IS NOT NULL GROUP BY n.actor",
                chunk,
            ):
                item = entry(int(actor))
                item[2] += int(quotes)
                item[3] += int(count)
                widen(item, first, last)
            for actor, role, first, last, count in self.execute(
                "SELECT n.actor, r.role, min(a.date), max(a.date), count(DISTINCT r.article)"
                " FROM entity_roles r JOIN names n ON n.id = r.name_id JOIN articles a ON a.id = r.article"
                f" WHERE r.article IN ({marks}) AND n.actor IS NOT NULL GROUP BY n.actor, r.role",
                chunk,
            ):
                item = roles.setdefault((int(actor), role), [0, None, None])
                item[0] += int(count)
                item[1] = min((d for d in (item[1], first) if d), default=None)
                item[2] = max((d for d in (item[2], last) if d), default=None)
        wanted = sorted(set(delta) - skipped)
        for chunk in _chunks(wanted):
            current = {
                int(r[0]): r
                for r in self.execute(
                    "SELECT id, articles, mentions, quotes, first_date, last_date FROM actors WHERE"
                    f" id IN ({_marks(chunk)})",
                    chunk,
                )
            }
            updates = []
            for actor in chunk:
                if actor not in current:
                    continue
                _, articles_now, mentions_now, quotes_now, first, last = current[actor]
                item = delta[actor]
                mentions = int(mentions_now) + item[1]
                # an actor only ever quoted counts the articles it speaks in
                count = item[0] if mentions else item[3]
                widen(item, first, last)
                updates.append(
                    (int(articles_now) + count, mentions, int(quotes_now) + item[2], item[4], item[5], actor)
                )
            self.executemany(
                "UPDATE actors SET articles = ?, mentions = ?, quotes = ?, first_date = ?,"
                " last_date = ? WHERE id = ?",
                updates,
            )
        self._merge_roles({k: v for k, v in roles.items() if k[0] not in skipped})
        return len(wanted)

    def _merge_roles(self, found: dict[tuple[int, str], list[Any]]) -> None:
        """Add roles ((actor, role) -> [articles, first, last]) to ``actor_roles``; case variants are one."""
        actors = sorted({actor for actor, _ in found})
        for chunk in _chunks(actors):
            rows: dict[tuple[int, str], list[Any]] = {}
            for actor, role, first, last, count in self.execute(
                "SELECT actor, role, first_date, last_date, articles FROM actor_roles WHERE"
                f" actor IN ({_marks(chunk)})",
                chunk,
            ):
                rows[(int(actor), role.casefold())] = [role, first, last, int(count)]
            wanted = set(chunk)
            for (actor, role), (count, first, last) in sorted(found.items()):
                if actor not in wanted:
                    continue
                row = rows.setdefault((actor, role.casefold()), [role, first, last, 0])
                row[1] = min((d for d in (row[1], first) if d), default=None)
                row[2] = max((d for d in (row[2], last) if d), default=None)
                row[3] += count
            self.execute(f"DELETE FROM actor_roles WHERE actor IN ({_marks(chunk)})", chunk)
            self.executemany(
                "INSERT INTO actor_roles(actor, role, first_date, last_date, articles) VALUES (?,?,?,?,?)",
                [(actor, *row) for (actor, _), row in sorted(rows.items())],
            )

    def actors_in(self, articles: Sequence[int]) -> list[int]:
        """The actors named in, or speaking in, these articles."""
        found: set[int] = set()
        for chunk in _chunks(list(articles)):
            marks = _marks(chunk)
            found.update(
                int(r[0])
                for r in self.execute(
                    "SELECT DISTINCT n.actor FROM entities e JOIN names n ON n.id = e.name_id"
                    f" WHERE e.article IN ({marks}) AND n.actor IS NOT NULL"
                    " UNION SELECT DISTINCT n.actor FROM quotes q JOIN names n ON n.id = q.speaker_name_id"
                    f" WHERE q.article IN ({marks}) AND n.actor IS NOT NULL",
                    (*chunk, *chunk),
                )
            )
        return sorted(found)

    def canonical_names(self, actors: Sequence[int]) -> dict[int, tuple[str, str]]:
        """The stored (name, type) of actors."""
        found: dict[int, tuple[str, str]] = {}
        for chunk in _chunks(list(actors)):
            for actor, name, type_ in self.execute(
                f"SELECT id, name, type FROM actors WHERE id IN ({_marks(chunk)})", chunk
            ):
                found[int(actor)] = (name, type_)
        return found

    def signatures_of(self, articles: Sequence[int]) -> dict[int, tuple[bytes, int | None]]:
        """(MinHash signature, duplicate group) of articles."""
        found: dict[int, tuple[bytes, int | None]] = {}
        for chunk in _chunks(list(articles)):
            for article, minhash, group in self.execute(
                f"SELECT id, minhash, dup_group FROM articles WHERE id IN ({_marks(chunk)}) AND"
                f" minhash IS NOT NULL",
                chunk,
            ):
                found[int(article)] = (bytes(minhash), None if group is None else int(group))
        return found

    def band_neighbours(self, article: int) -> list[int]:
        """Articles that share a MinHash band with this one (candidate near-duplicates)."""
        return [
            int(r[0])
            for r in self.execute(
                "SELECT DISTINCT b2.article FROM minhash_bands b JOIN minhash_bands b2 ON b2.band = b.band"
                " WHERE b.article = ? AND b2.article != ?",
                (article, article),
            )
        ]

    def merge_duplicate_groups(self, articles: Sequence[int], groups: Sequence[int], into: int) -> None:
        """Put articles, and every member of the given groups, in group ``into``."""
        for chunk in _chunks(list(groups)):
            self.execute(
                f"UPDATE articles SET dup_group = ? WHERE dup_group IN ({_marks(chunk)})", (into, *chunk)
            )
        for chunk in _chunks(list(articles)):
            self.execute(f"UPDATE articles SET dup_group = ? WHERE id IN ({_marks(chunk)})", (into, *chunk))

    def story_features(self, articles: Sequence[int]) -> dict[int, tuple[str | None, int | None, list[str]]]:
        """Per article: (date, duplicate group, features).

        Features are ``a:<actor>`` for people and organisations, ``p:<place>`` for places below
        country level, ``e:<type>:<date>`` for dated events.
        """
        out: dict[int, tuple[str | None, int | None, list[str]]] = {}
        for chunk in _chunks(list(articles)):
            marks = _marks(chunk)
            features: dict[int, list[str]] = {}
            for article, actor in self.execute(
                "SELECT DISTINCT e.article, n.actor FROM entities e JOIN names n ON n.id = e.name_id"
                f" WHERE e.article IN ({marks}) AND n.type || '' IN ('PERSON', 'ORG') AND n.actor IS NOT NULL"
                " ORDER BY 1, 2",
                chunk,
            ):
                features.setdefault(int(article), []).append(f"a:{actor}")
            for article, name in self.execute(
                f"SELECT DISTINCT article, lower(name) FROM places WHERE article IN ({marks})"
                " AND (kind IS NULL OR kind != 'country') ORDER BY 1, 2",
                chunk,
            ):
                features.setdefault(int(article), []).append(f"p:{name}")
            for article, type_, day in self.execute(
                f"SELECT DISTINCT article, type, date FROM events WHERE article IN ({marks})"
                " AND date IS NOT NULL ORDER BY 1, 2, 3",
                chunk,
            ):
                features.setdefault(int(article), []).append(f"e:{type_}:{day}")
            for article, day, group in self.execute(
                f"SELECT id, date, dup_group FROM articles WHERE id IN ({marks})", chunk
            ):
                out[int(article)] = (day, group, features.get(int(article), []))
        return out

    def feature_counts(self, features: Iterable[str]) -> dict[str, int]:
        """In how many articles each feature occurs (document frequency)."""
        wanted = sorted(set(features))
        found: dict[str, int] = {}
        for chunk in _chunks(wanted):
            for feature, n in self.execute(
                f"SELECT feature, articles FROM feature_counts WHERE feature IN ({_marks(chunk)})", chunk
            ):
                found[feature] = int(n)
        return found

    def add_features(self, rows: Sequence[tuple[int, str, int | None]]) -> None:
        """Index articles' story features ((article, feature, day)) and count them."""
        self.executemany(
            "INSERT INTO article_features(article, feature, day) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            rows,
        )
        counts: dict[str, int] = {}
        for _, feature, _ in rows:
            counts[feature] = counts.get(feature, 0) + 1
        self.executemany(
            "INSERT INTO feature_counts(feature, articles) VALUES (?, ?)"
            " ON CONFLICT(feature) DO UPDATE SET articles = feature_counts.articles + excluded.articles",
            sorted(counts.items()),
        )

    def feature_neighbours(
        self, features: Sequence[str], low: int, high: int, before: int
    ) -> dict[int, list[str]]:
        """Articles dated between days ``low`` and ``high`` with any of these features"
        " (ids below ``before``)."""
        found: dict[int, list[str]] = {}
        for chunk in _chunks(list(features)):
            for article, feature in self.execute(
                f"SELECT article, feature FROM article_features WHERE feature IN ({_marks(chunk)})"
                " AND day BETWEEN ? AND ? AND article < ?",
                (*chunk, low, high, before),
            ):
                found.setdefault(int(article), []).append(feature)
        return found

    def article_features(self, articles: Sequence[int]) -> dict[int, list[str]]:
        """The indexed story features of articles."""
        found: dict[int, list[str]] = {}
        for chunk in _chunks(list(articles)):
            for article, feature in self.execute(
                f"SELECT article, feature FROM article_features WHERE article IN ({_marks(chunk)})", chunk
            ):
                found.setdefault(int(article), []).append(feature)
        return found

    def stories_of(self, articles: Sequence[int]) -> dict[int, int]:
        """The story of each of these articles that has one."""
        found: dict[int, int] = {}
        for chunk in _chunks(list(articles)):
            for article, story in self.execute(
                f"SELECT id, story FROM articles WHERE id IN ({_marks(chunk)}) AND story IS NOT NULL", chunk
            ):
                found[int(article)] = int(story)
        return found

    def story_candidates(self, articles: Sequence[int]) -> dict[int, tuple[int | None, float]]:
        """(story or None, story weight) of articles the stories pass has taken."""
        found: dict[int, tuple[int | None, float]] = {}
        for chunk in _chunks(list(articles)):
            for article, story, weight in self.execute(
                f"SELECT id, story, story_weight FROM articles WHERE id IN ({_marks(chunk)})"
                " AND story_weight IS NOT NULL",
                chunk,
            ):
                found[int(article)] = (None if story is None else int(story), float(weight))
        return found

    def add_story_weights(self, story: int, weights: dict[str, float]) -> None:
        """Add the weights of features of an article joining a story (inside the caller's transaction)."""
        self.executemany(
            "INSERT INTO story_features(story, feature, weight) VALUES (?, ?, ?)"
            " ON CONFLICT(story, feature) DO UPDATE SET weight = story_features.weight + excluded.weight",
            [(story, f, w) for f, w in sorted(weights.items())],
        )

    def story_top_features(self, stories: Sequence[int], *, top: int = 3) -> dict[int, list[str]]:
        """The heaviest features of each story (ties by name)."""
        found: dict[int, list[tuple[float, str]]] = {}
        for chunk in _chunks(list(stories)):
            for story, feature, weight in self.execute(
                f"SELECT story, feature, weight FROM story_features WHERE story IN ({_marks(chunk)})", chunk
            ):
                found.setdefault(int(story), []).append((-float(weight), feature))
        return {story: [f for _, f in sorted(rows)[:top]] for story, rows in found.items()}

    def set_story_weights(self, weights: dict[int, float]) -> None:
        """Record the story weight of articles (inside the caller's transaction)."""
        self.executemany(
            "UPDATE articles SET story_weight = ? WHERE id = ?", [(w, a) for a, w in weights.items()]
        )

    def story_spans(self, stories: Sequence[int]) -> dict[int, tuple[str | None, str | None]]:
        """First and last date of stories."""
        found: dict[int, tuple[str | None, str | None]] = {}
        for chunk in _chunks(list(stories)):
            for story, first, last in self.execute(
                f"SELECT story, min(date), max(date) FROM articles WHERE story IN"
                f" ({_marks(chunk)}) GROUP BY story",
                chunk,
            ):
                found[int(story)] = (first, last)
        return found

    def join_story(self, articles: Sequence[int], story: int) -> None:
        """Put articles in a story (inside the caller's transaction)."""
        for chunk in _chunks(list(articles)):
            self.execute(f"UPDATE articles SET story = ? WHERE id IN ({_marks(chunk)})", (story, *chunk))

    def refresh_stories(self, stories: Sequence[int], labels: dict[int, str]) -> None:
        """Recompute the rows of these stories from their articles (a story of one article is none)."""
        for chunk in _chunks(sorted(set(stories))):
            marks = _marks(chunk)
            self.execute(f"DELETE FROM stories WHERE id IN ({marks})", chunk)
            self.execute(
                "UPDATE articles SET story = NULL WHERE story IN"
                f" (SELECT story FROM articles WHERE story IN ({marks}) GROUP BY story HAVING count(*) < 2)",
                chunk,
            )
            self.execute(
                "INSERT INTO stories(id, label, articles, sources, first_date, last_date)"
                " SELECT story, '', count(*), count(DISTINCT source), min(date), max(date)"
                f" FROM articles WHERE story IN ({marks}) GROUP BY story",
                chunk,
            )
        self.executemany("UPDATE stories SET label = ? WHERE id = ?", [(v, k) for k, v in labels.items()])

    def actor_names(self, actor_ids: Iterable[int]) -> dict[int, str]:
        """Canonical names of actors (by id)."""
        return {a: n for a, (n, _) in self.canonical_names(list(actor_ids)).items()}

    # -- reading records

    def articles(self, *, after: int = 0, batch: int = 500) -> Iterator[StoredArticle]:
        """Every stored article in id order, read in batches (memory stays flat)."""
        while True:
            rows = self.execute(
                "SELECT id, key, hash, date, ingested, dup_group, story, record, text FROM articles"
                " WHERE id > ? ORDER BY id LIMIT ?",
                (after, batch),
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield StoredArticle(
                    int(row[0]),
                    row[1],
                    row[2],
                    row[3],
                    str(row[4]),
                    row[5],
                    row[6],
                    analysis_of(row[7]),
                    row[8],
                )
            after = int(rows[-1][0])

    def article_actors(self, article_id: int) -> dict[str, tuple[int | None, str]]:
        """An article's entities (local id) with their corpus actor and its canonical name."""
        return {
            local: (None if actor is None else int(actor), name)
            for local, actor, name in self.execute(
                "SELECT e.local_id, n.actor, coalesce(ac.name, n.name) FROM entities e"
                " JOIN names n ON n.id = e.name_id LEFT JOIN actors ac ON ac.id = n.actor"
                " WHERE e.article = ?",
                (article_id,),
            )
        }

    def dump(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of one exported table (see :data:`EXPORT_TABLES`), in a stable order."""
        sql = EXPORT_TABLES.get(table)
        if sql is None:
            raise StoreError(f"no such table to export: {table!r}")
        yield from self.execute(
            sql.replace("json_group_array", self.json_array_agg).replace("ROWID", self.rowid)
        )

    def duplicate_counts(self) -> tuple[int, int]:
        """How many near-duplicate groups, and how many articles are in one."""
        row = self.execute(
            "SELECT count(DISTINCT dup_group), count(dup_group) FROM articles WHERE dup_group IS NOT NULL"
        ).fetchone()
        return int(row[0]), int(row[1])

    def errors(self) -> list[ErrorRecord]:
        """Failed inputs: source, reason and when, in the order they failed."""
        rows = self.execute("SELECT source, reason, at FROM errors ORDER BY at, source")
        return [ErrorRecord(source=s, reason=r, at=str(a)) for s, r, a in rows]

    def count(self, table: str) -> int:
        """Rows of a table."""
        if not re.fullmatch(r"[a-z_]+", table):
            raise ValueError(table)
        return int(self.one(f"SELECT count(*) FROM {table}"))

    # -- lookups by id

    def resolve_actor(self, actor_id: int) -> int:
        """The current id of an actor (an id retired by a merge leads to the actor it went into)."""
        new = self.one("SELECT new FROM actor_redirects WHERE old = ?", (actor_id,))
        return actor_id if new is None else int(new)

    def actor(self, actor_id: int) -> Actor | None:
        """An actor by id (following redirects); None if unknown."""
        row = self.execute(
            "SELECT id, name, type, aliases, articles, mentions, quotes, first_date, last_date FROM actors"
            " WHERE id = ?",
            (self.resolve_actor(int(actor_id)),),
        ).fetchone()
        return None if row is None else _actor(row)

    def article(self, ref: str | int) -> ArticleRecord | None:
        """A stored article by its input id (or its store number); None if unknown."""
        column = "id" if isinstance(ref, int) else "key"
        row = self.execute(
            "SELECT id, key, hash, date, source, url, title, dup_group, story, record, text FROM articles"
            f" WHERE {column} = ? ORDER BY id LIMIT 1",
            (ref,),
        ).fetchone()
        if row is None:
            return None
        record: dict[str, object] = analysis_of(row[9]).model_dump(mode="json")
        if record.get("text") is None:
            record.pop("text", None)
        actors = {
            local: actor
            for local, (actor, _) in self.article_actors(int(row[0])).items()
            if actor is not None
        }
        return ArticleRecord(
            article=row[1],
            article_id=int(row[0]),
            hash=row[2],
            date=row[3],
            source=row[4],
            url=row[5],
            title=row[6],
            duplicate_group=row[7],
            story=row[8],
            actors=actors,
            text=row[10] or "",
            record=record,
        )

    def story(self, story_id: int) -> Story | None:
        """A story by id with its articles; None if unknown."""
        row = self.execute(
            "SELECT id, label, articles, sources, first_date, last_date FROM stories WHERE id = ?",
            (story_id,),
        ).fetchone()
        return None if row is None else self._story(row)

    def _story(self, row: Any) -> Story:
        members = [
            _story_article(i, key, source, d, title)
            for i, key, source, d, title in self.execute(
                "SELECT id, key, source, date, title FROM articles WHERE story = ? ORDER BY date, id",
                (row[0],),
            )
        ]
        return Story(
            story=int(row[0]),
            label=row[1],
            size=int(row[2]),
            sources=int(row[3]),
            first_date=row[4],
            last_date=row[5],
            articles=members,
        )

    # -- queries

    def find_actors(self, name: str, *, types: Sequence[str] = ()) -> list[Actor]:
        """Actors a name may refer to, the likeliest first (most articles).

        Tries the canonical name, then any surface name seen in the corpus, then a person's
        first and last name ("Dmitry S. Peskov" finds "Dmitry Peskov"). A word that is only part
        of a name ("John" of "Boris Johnson") finds nobody. An empty or overlong name is a
        :class:`QueryError`.
        """
        text = check_name(name)
        type_clause = f" AND a.type IN ({_marks(types)})" if types else ""
        columns = (
            "a.id, a.name, a.type, a.aliases, a.articles, a.mentions, a.quotes, a.first_date, a.last_date"
        )

        def run(sql: str, *args: Any) -> list[Actor]:
            rows = self.execute(sql + type_clause, (*args, *types))
            return [_actor(row) for row in rows]

        found = run(f"SELECT {columns} FROM actors a WHERE lower(a.name) = lower(?)", text)
        seen = {a.id for a in found}
        found += [
            a
            for a in run(
                f"SELECT DISTINCT {columns} FROM names n JOIN actors a ON a.id = n.actor"
                " WHERE lower(n.name) = lower(?)",
                text,
            )
            if a.id not in seen
        ]
        if not found and len(text.split()) == 1:  # a surname alone: the people who bear it
            last = fold(text)
            candidates = run(
                f"SELECT {columns} FROM actors a"
                " WHERE a.type = 'PERSON' AND lower(a.name) LIKE ? ESCAPE '\\'",
                f"% {_like(text.lower())}",
            )
            found = [a for a in candidates if (p := parse_person(a.name)) is not None and p.last == last]
        if not found:
            key = person_key(text)
            if key is not None and key[1]:
                words = key[1].split()
                candidates = run(
                    f"SELECT {columns} FROM actors a WHERE a.type = 'PERSON' AND lower(a.name) LIKE ?"
                    f" ESCAPE '\\'",
                    f"%{_like(words[-1])}",
                )
                found = [a for a in candidates if person_key(a.name) == key]
        return sorted(found, key=lambda a: (-a.articles, a.id))

    def _names_of(self, actors: Sequence[Actor]) -> list[int]:
        ids = [a.id for a in actors]
        if not ids:
            return []
        return [int(r[0]) for r in self.execute(f"SELECT id FROM names WHERE actor IN ({_marks(ids)})", ids)]

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
        actor: str | None = None,
        topic: str | None = None,
        limit: int = 20,
        cursor: str | None = None,
    ) -> Page[SearchHit]:
        """Articles matching a full-text query and filters, best first (newest first without a query).

        ``query`` takes "quoted phrases", ``OR``, ``-word`` / ``NOT word`` and ``prefix*`` (see
        :func:`parse_query`). ``person``/``organization`` name an actor (any of its names);
        ``actor`` an actor of any type; ``place`` a place as named in the articles; ``source`` a
        domain or any subdomain of it; ``topic`` an IPTC topic (its label, top level or code).
        """
        limit = _limit(limit)
        filters: list[Filter] = []
        named: tuple[tuple[str | None, tuple[str, ...]], ...] = (
            (person, ("PERSON",)),
            (organization, ("ORG", "NORP")),
            (actor, ()),
        )
        for name, types in named:
            if name and name.strip():
                actors = self.find_actors(name, types=types)
                if not actors:
                    return Page(items=[])
                name_ids = self._names_of(actors[:1])
                ids = f"SELECT article FROM entities WHERE name_id IN ({_marks(name_ids)})"
                size = int(
                    self.one(f"SELECT count(*) FROM entities WHERE name_id IN ({_marks(name_ids)})", name_ids)
                )
                filters.append(Filter(ids, list(name_ids), size))
        if place and place.strip():
            ids = "SELECT article FROM places WHERE lower(name) = lower(?)"
            size = int(self.one("SELECT count(*) FROM places WHERE lower(name) = lower(?)", (_clean(place),)))
            filters.append(Filter(ids, [_clean(place)], size))
        if topic and topic.strip():
            ids = (
                "SELECT article FROM topics WHERE lower(label) = lower(?) OR lower(top_level) = lower(?)"
                " OR code = ?"
            )
            params = [_clean(topic)] * 3
            filters.append(Filter(ids, params, int(self.one(f"SELECT count(*) FROM ({ids}) t", params))))
        if source and source.strip():
            domain = _clean(source).lower()
            ids = "SELECT id FROM articles WHERE source = ? OR source LIKE ? ESCAPE '\\'"
            params = [domain, f"%.{_like(domain)}"]
            filters.append(Filter(ids, params, int(self.one(f"SELECT count(*) FROM ({ids}) s", params))))
        if date_from or date_to:
            low, high = date_from or "0000", date_to or "9999"
            size = int(self.one("SELECT count(*) FROM articles WHERE date BETWEEN ? AND ?", (low, high)))
            ids = "SELECT id FROM articles WHERE date BETWEEN ? AND ?"
            filters.append(Filter(ids, [low, high], size, column="a.date BETWEEN ? AND ?"))
        if query and query.strip():
            terms = check_query(query)
            if not terms:
                return Page(items=[])
            offset = _offset(cursor)
            rows = self._ranked(terms, filters, limit + 1, offset)
            hits = [_hit(row) for row in rows[:limit]]
            return Page(items=hits, next=encode_cursor(offset + limit) if len(rows) > limit else None)
        clauses = [f"a.id IN ({f.ids})" for f in filters]
        args: list[Any] = [p for f in filters for p in f.params]
        position = decode_cursor(cursor, str, int)
        if position:
            clauses.append(f"({NEWEST_ARTICLES[0]}) < (?, ?)")
            args += [position[0], position[1]]
        rows = self.execute(  # newest first, undated last: the order of the articles_newest index
            f"SELECT {HIT_COLUMNS}, substr(a.text, 1, 160) AS snippet, NULL AS score FROM articles a"
            f" WHERE {' AND '.join(clauses) or '1=1'}"
            f" ORDER BY {NEWEST_ARTICLES[1]} LIMIT ?",
            [*args, limit + 1],
        ).fetchall()
        hits = [_hit(row) for row in rows[:limit]]
        more = len(rows) > limit
        return Page(
            items=hits, next=encode_cursor(hits[-1].date or "", hits[-1].article_id) if more else None
        )

    def quotes(
        self,
        *,
        speaker: str | None = None,
        about: str | None = None,
        kind: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
        actor: Actor | None = None,
    ) -> Page[QuoteHit]:
        """Quotes by a speaker (any name of the actor), optionally about some words, newest first.

        ``speaker`` is matched as a whole name ("Johnson", "Boris Johnson"), never as a part of
        one; ``actor`` gives the speaker directly (as :meth:`find_actors` returns it).
        """
        limit = _limit(limit)
        clauses: list[str] = []
        args: list[Any] = []
        if about and about.strip():
            terms = check_query(about, what="quote words")
            if not terms:
                return Page(items=[])
            clause, params = self._quote_match(terms)
            clauses.append(clause)
            args += params
        if kind:
            clauses.append("q.kind = ?")
            args.append(kind)
        if date_from:
            clauses.append("q.date >= ?")
            args.append(date_from)
        if date_to:
            clauses.append("q.date <= ?")
            args.append(date_to)
        if speaker is not None and actor is None:
            speaker = check_name(speaker, what="speaker name")
            actors = self.find_actors(speaker, types=("PERSON",)) or self.find_actors(speaker)
            if not actors:
                return Page(items=[])
            actor = actors[0]
        if actor is not None:
            name_ids = self._names_of([actor])
            clauses.append(f"q.speaker_name_id IN ({_marks(name_ids)})")
            args += name_ids
        position = decode_cursor(cursor, str, int)
        if position:
            clauses.append(f"({NEWEST_QUOTES[0]}) < (?, ?)")
            args += [position[0], position[1]]
        rows = self.execute(
            "SELECT q.id, q.speaker, n.actor, ac.name, q.text, q.kind, q.cue, a.date, a.source, a.key, a.id,"
            ' a.title, q.start, q."end", q.date FROM quotes q JOIN articles a ON a.id = q.article'
            " LEFT JOIN names n ON n.id = q.speaker_name_id LEFT JOIN actors ac ON ac.id = n.actor"
            f" WHERE {' AND '.join(clauses) or '1=1'}"
            f" ORDER BY {NEWEST_QUOTES[1]} LIMIT ?",
            [*args, limit + 1],
        ).fetchall()
        hits = [
            QuoteHit(
                quote_id=int(r[0]),
                speaker=r[3] or r[1],
                speaker_id=None if r[2] is None else int(r[2]),
                speaker_as_written=r[1],
                text=r[4],
                kind=r[5],
                cue=r[6],
                date=r[7],
                source=r[8],
                article=r[9],
                article_id=int(r[10]),
                title=_first_line(r[11]) or None,
                start=int(r[12]),
                end=int(r[13]),
            )
            for r in rows[:limit]
        ]
        more = len(rows) > limit
        last = rows[limit - 1] if more else None
        return Page(
            items=hits, next=encode_cursor(last[14] or "", int(last[0])) if last is not None else None
        )

    def _event_filters(
        self,
        kind: str | None,
        place: str | None,
        date_from: str | None,
        date_to: str | None,
        participant: str | None,
    ) -> tuple[list[str], list[Any]]:
        """SQL clauses over ``events ev JOIN articles a`` for the filters of :meth:`events`."""
        clauses: list[str] = []
        args: list[Any] = []
        if kind and kind.strip():
            clauses.append("lower(ev.type) = lower(?)")
            args.append(_clean(kind))
        if place and place.strip():
            value = _clean(place)
            if len(value) == 2 and value.isalpha():  # a country code: its events too
                clauses.append("(lower(ev.place) = lower(?) OR ev.country = ?)")
                args += [value, value.upper()]
            else:
                clauses.append("lower(ev.place) = lower(?)")
                args.append(value)
        if date_from:
            clauses.append("coalesce(ev.date, a.date) >= ?")
            args.append(date_from)
        if date_to:
            clauses.append("coalesce(ev.date, a.date) <= ?")
            args.append(date_to)
        if participant and participant.strip():
            actors = self.find_actors(participant)
            names = [_clean(participant).lower()]
            if actors:
                names += [n.lower() for n in actors[0].aliases]
            names = sorted(set(names))
            clauses.append(
                f"ev.id IN (SELECT event FROM event_participants WHERE lower(name) IN ({_marks(names)}))"
            )
            args += names
        return clauses, args

    def event_places(
        self,
        *,
        kind: str | None = None,
        place: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        participant: str | None = None,
        limit: int = 300,
    ) -> list[PlaceCount]:
        """The geocoded places of the events matching the filters of :meth:`events`, busiest first."""
        clauses, args = self._event_filters(kind, place, date_from, date_to, participant)
        rows = self.execute(
            "SELECT ev.place, ev.country, avg(ev.lat), avg(ev.lon), count(*), count(DISTINCT ev.article)"
            " FROM events ev JOIN articles a ON a.id = ev.article"
            f" WHERE {' AND '.join([*clauses, 'ev.lat IS NOT NULL'])}"
            " GROUP BY ev.place, ev.country ORDER BY 5 DESC, 1 LIMIT ?",
            [*args, _limit(limit)],
        )
        return [
            PlaceCount(name=p, country=c, lat=lat, lon=lon, events=int(n), articles=int(m))
            for p, c, lat, lon, n, m in rows
        ]

    def event_days(
        self,
        *,
        kind: str | None = None,
        place: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        participant: str | None = None,
        limit: int = 1000,
    ) -> list[DayCount]:
        """Events per day (their own date, else their article's) for the filters of :meth:`events`."""
        clauses, args = self._event_filters(kind, place, date_from, date_to, participant)
        day = "substr(coalesce(ev.date, a.date), 1, 10)"
        rows = self.execute(
            f"SELECT {day}, count(*) FROM events ev JOIN articles a ON a.id = ev.article"
            f" WHERE {' AND '.join([*clauses, 'coalesce(ev.date, a.date) IS NOT NULL'])}"
            f" GROUP BY {day} ORDER BY 1 DESC LIMIT ?",
            [*args, _limit(limit)],
        ).fetchall()
        return [DayCount(date=d, count=int(n)) for d, n in reversed(rows)]

    def events(
        self,
        *,
        kind: str | None = None,
        place: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        participant: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[EventHit]:
        """Events matching the filters (type, place, date range, a participant), newest first."""
        limit = _limit(limit)
        clauses, args = self._event_filters(kind, place, date_from, date_to, participant)
        position = decode_cursor(cursor, str, int)
        if position:
            clauses.append(
                "(coalesce(ev.date, a.date, '') < ? OR (coalesce(ev.date, a.date, '') = ? AND ev.id > ?))"
            )
            args += [position[0], position[0], position[1]]
        rows = self.execute(
            "SELECT ev.id, ev.type, ev.label, ev.place, ev.country, ev.lat, ev.lon, ev.date, ev.date_text,"
            " ev.status, a.key, a.id, a.date, a.source, coalesce(ev.date, a.date, '')"
            " FROM events ev JOIN articles a ON a.id = ev.article"
            f" WHERE {' AND '.join(clauses) or '1=1'} ORDER BY coalesce(ev.date, a.date, '')"
            f" DESC, ev.id LIMIT ?",
            [*args, limit + 1],
        ).fetchall()
        people: dict[int, list[tuple[str, str]]] = {}
        ids = [int(row[0]) for row in rows[:limit]]
        if ids:
            for event, name, role in self.execute(
                f"SELECT event, name, kind FROM event_participants WHERE event IN ({_marks(ids)})"
                f" ORDER BY {self.rowid}",
                ids,
            ):
                people.setdefault(int(event), []).append((name, role))
        hits = [
            EventHit(
                event_id=int(r[0]),
                type=r[1],
                label=r[2],
                participants=[n for n, k in people.get(int(r[0]), []) if k == "participant"],
                parties=[n for n, k in people.get(int(r[0]), []) if k == "party"],
                place=None if r[3] is None else PlaceRef(name=r[3], country=r[4], lat=r[5], lon=r[6]),
                date=r[7],
                date_text=r[8],
                status=r[9],
                article=r[10],
                article_id=int(r[11]),
                article_date=r[12],
                source=r[13],
            )
            for r in rows[:limit]
        ]
        more = len(rows) > limit
        last = rows[limit - 1] if more else None
        return Page(items=hits, next=encode_cursor(last[14], int(last[0])) if last is not None else None)

    def entity(self, name: str, *, limit: int = 10) -> ActorPage | None:
        """An actor's page: names, roles over time, co-mentioned actors, latest quotes; None if unknown."""
        actors = self.find_actors(name)
        return self.actor_page(actors[0], others=actors[1:6], limit=limit) if actors else None

    def actor_page(self, actor: Actor, *, others: Sequence[Actor] = (), limit: int = 10) -> ActorPage:
        """The page of an actor (see :meth:`entity`)."""
        roles = [
            RoleSpan(role=role, first=first, last=last, articles=int(n))
            for role, first, last, n in self.execute(
                "SELECT role, first_date, last_date, articles FROM actor_roles WHERE actor = ?"
                " ORDER BY articles DESC, first_date, role LIMIT 50",
                (actor.id,),
            )
        ]
        name_ids = self._names_of([actor])
        marks = _marks(name_ids)
        mine = [
            int(r[0])
            for r in self.execute(
                f"SELECT DISTINCT article FROM entities WHERE name_id IN ({marks})"
                f" ORDER BY article DESC LIMIT {CO_MENTION_WINDOW}",
                name_ids,
            )
        ]
        co: list[CoMention] = []
        if mine:
            co = [
                CoMention(id=int(i), name=n, type=t, articles=int(s))
                for i, n, t, s in self.execute(
                    # CROSS JOIN: start from the actor's articles, never from every actor of a type
                    "SELECT ac.id, ac.name, ac.type, count(DISTINCT e.article) FROM entities e"
                    " CROSS JOIN names n CROSS JOIN actors ac"
                    f" WHERE n.id = e.name_id AND ac.id = n.actor AND e.article IN ({_marks(mine)})"
                    " AND n.actor != ?"
                    " AND ac.type IN ('PERSON', 'ORG', 'GPE', 'LOC') AND ac.name != ''"
                    " GROUP BY ac.id, ac.name, ac.type ORDER BY 4 DESC, ac.id LIMIT ?",
                    (*mine, actor.id, limit),
                )
            ]
        recent = [
            QuoteRef(text=q.text, kind=q.kind, date=q.date, article=q.article)
            for q in self.quotes(actor=actor, limit=5).items
        ]
        return ActorPage(
            **actor.model_dump(),
            roles=roles,
            co_mentioned=co,
            co_mentions_over=min(actor.articles, CO_MENTION_WINDOW),
            recent_quotes=recent,
            other_matches=[CoMention(id=a.id, name=a.name, type=a.type, articles=a.articles) for a in others],
        )

    def timeline(self, name: str, *, limit: int = 200) -> Timeline | None:
        """What the corpus holds about an actor, day by day: articles, roles, quotes, events."""
        actors = self.find_actors(name)
        if not actors:
            return None
        actor = actors[0]
        limit = _limit(limit)
        name_ids = self._names_of([actor])
        marks = _marks(name_ids)
        days: dict[str | None, TimelineDay] = {}

        def day(d: str | None) -> TimelineDay:
            return days.setdefault(d, TimelineDay(date=d))

        for article_id, key, title, d, source in self.execute(
            "SELECT DISTINCT a.id, a.key, a.title, a.date, a.source"
            " FROM entities e JOIN articles a ON a.id = e.article"
            f" WHERE e.name_id IN ({marks}) ORDER BY a.date DESC, a.id DESC LIMIT ?",
            (*name_ids, limit),
        ):
            day(d).articles.append(
                ArticleRef(
                    article=key,
                    article_id=int(article_id),
                    title=_first_line(title) or None,
                    source=source,
                    date=d,
                )
            )
        for role, d in self.execute(
            "SELECT DISTINCT r.role, a.date FROM entity_roles r JOIN articles a ON a.id = r.article"
            f" WHERE r.name_id IN ({marks}) ORDER BY a.date DESC, r.role LIMIT ?",
            (*name_ids, limit),
        ):
            day(d).roles.append(role)
        for text, kind, d, key in self.execute(
            "SELECT q.text, q.kind, a.date, a.key FROM quotes q JOIN articles a ON a.id = q.article"
            f" WHERE q.speaker_name_id IN ({marks}) ORDER BY a.date DESC, q.id LIMIT ?",
            (*name_ids, limit),
        ):
            day(d).quotes.append(QuoteRef(text=text, kind=kind, date=d, article=key))
        names = sorted({n.lower() for n in actor.aliases} | {actor.name.lower()})
        for type_, label, d, status, key in self.execute(
            "SELECT DISTINCT ev.type, ev.label, coalesce(ev.date, a.date), ev.status, a.key"
            " FROM events ev JOIN articles a ON a.id = ev.article JOIN event_participants p"
            " ON p.event = ev.id"
            f" WHERE lower(p.name) IN ({_marks(names)}) ORDER BY 3 DESC, 2 LIMIT ?",
            (*names, limit),
        ):
            day(d).events.append({"type": type_, "label": label, "status": status, "article": key})
        ordered = sorted(days.values(), key=lambda entry: (entry.date is None, entry.date or ""))
        return Timeline(**actor.model_dump(), days=ordered)

    def stats(self) -> Stats:
        """Counts over the whole corpus: articles, failures, actors, quotes, events, groups, sources."""
        one = self.one
        actor_types = {
            t: int(n)
            for t, n in self.execute("SELECT type, count(*) FROM actors GROUP BY type ORDER BY 2 DESC, 1")
        }
        return Stats(
            articles=int(one("SELECT count(*) FROM articles")),
            words=int(one("SELECT coalesce(sum(words), 0) FROM articles")),
            errors=int(one("SELECT count(*) FROM errors")),
            first_date=one("SELECT min(date) FROM articles"),
            last_date=one("SELECT max(date) FROM articles"),
            undated=int(one("SELECT count(*) FROM articles WHERE date IS NULL")),
            sources=int(one("SELECT count(DISTINCT source) FROM articles")),
            actors=sum(actor_types.values()),
            actors_by_type=actor_types,
            names=int(one("SELECT count(*) FROM names")),
            quotes=int(one("SELECT count(*) FROM quotes")),
            quotes_attributed=int(one("SELECT count(*) FROM quotes WHERE speaker IS NOT NULL")),
            events=int(one("SELECT count(*) FROM events")),
            places=int(one("SELECT count(DISTINCT lower(name)) FROM places")),
            duplicate_groups=int(
                one("SELECT count(DISTINCT dup_group) FROM articles WHERE dup_group IS NOT NULL")
            ),
            articles_in_duplicate_groups=int(
                one("SELECT count(*) FROM articles WHERE dup_group IS NOT NULL")
            ),
            stories=int(one("SELECT count(*) FROM stories")),
            articles_in_stories=int(one("SELECT coalesce(sum(articles), 0) FROM stories")),
            top_sources=[
                SourceCount(source=s, articles=int(n))
                for s, n in self.execute(
                    "SELECT source, count(*) FROM articles WHERE source IS NOT NULL GROUP BY source"
                    " ORDER BY 2 DESC, 1 LIMIT 10"
                )
            ],
            top_people=self._top_actors("PERSON"),
            top_organizations=self._top_actors("ORG"),
            largest_stories=[
                Story(story=int(i), label=lab, size=int(n), sources=int(s), first_date=f, last_date=la)
                for i, lab, n, s, f, la in self.execute(
                    "SELECT id, label, articles, sources, first_date, last_date FROM stories"
                    " ORDER BY articles DESC, id LIMIT 5"
                )
            ],
            passes_pending=self.dirty,
            schema_version=self.version,
            backend=self.backend,
            size_bytes=self.size_bytes(),
        )

    def _top_actors(self, type_: str) -> list[CoMention]:
        return [
            CoMention(id=int(i), name=n, type=type_, articles=int(c))
            for i, n, c in self.execute(
                "SELECT id, name, articles FROM actors WHERE type = ? ORDER BY articles DESC, id LIMIT 10",
                (type_,),
            )
        ]

    def top_actors(
        self, *, types: Sequence[str] = ("PERSON", "ORG"), min_articles: int = 1, limit: int = 10
    ) -> list[Actor]:
        """Actors seen in the most articles (then the most quoted)."""
        columns = "id, name, type, aliases, articles, mentions, quotes, first_date, last_date"
        rows = self.execute(
            f"SELECT {columns} FROM actors WHERE type IN ({_marks(types)}) AND articles >= ?"
            " ORDER BY articles DESC, quotes DESC, id LIMIT ?",
            (*types, min_articles, _limit(limit)),
        )
        return [_actor(row) for row in rows]

    def most_quoted(self) -> Actor | None:
        """The person quoted most often."""
        columns = "id, name, type, aliases, articles, mentions, quotes, first_date, last_date"
        row = self.execute(
            f"SELECT {columns} FROM actors WHERE type = 'PERSON' ORDER BY quotes DESC,"
            f" articles DESC, id LIMIT 1"
        ).fetchone()
        return None if row is None else _actor(row)

    def actor_roles(self, actor_id: int, *, limit: int = 50) -> list[RoleSpan]:
        """An actor's roles, the most frequent first."""
        return [
            RoleSpan(role=role, first=first, last=last, articles=int(n))
            for role, first, last, n in self.execute(
                "SELECT role, first_date, last_date, articles FROM actor_roles WHERE actor = ?"
                " ORDER BY articles DESC, first_date, role LIMIT ?",
                (actor_id, _limit(limit)),
            )
        ]

    def duplicate_groups(self, *, limit: int = 20) -> list[DuplicateGroup]:
        """Near-duplicate groups, largest first: their articles."""
        groups = self.execute(
            "SELECT dup_group, count(*) FROM articles WHERE dup_group IS NOT NULL GROUP BY dup_group"
            " ORDER BY 2 DESC, 1 LIMIT ?",
            (_limit(limit),),
        ).fetchall()
        return [
            DuplicateGroup(
                group=int(group),
                articles=[
                    _story_article(i, key, source, d, title)
                    for i, key, source, d, title in self.execute(
                        "SELECT id, key, source, date, title FROM articles WHERE dup_group = ? ORDER BY id",
                        (group,),
                    )
                ],
            )
            for group, _ in groups
        ]

    def stories(self, *, limit: int = 20) -> list[Story]:
        """Stories, largest first: label, dates and their articles."""
        rows = self.execute(
            "SELECT id, label, articles, sources, first_date, last_date FROM stories"
            " ORDER BY articles DESC, id LIMIT ?",
            (_limit(limit),),
        ).fetchall()
        return [self._story(row) for row in rows]

    def story_page(self, *, limit: int = 20, cursor: str | None = None) -> Page[Story]:
        """Stories, the latest first (by their last article's date), with their articles."""
        limit = _limit(limit)
        position = decode_cursor(cursor, str, int)
        where, args = "", []
        if position:
            where = " WHERE (coalesce(last_date, '') < ? OR (coalesce(last_date, '') = ? AND id < ?))"
            args = [position[0], position[0], position[1]]
        rows = self.execute(
            "SELECT id, label, articles, sources, first_date, last_date FROM stories"
            f"{where} ORDER BY coalesce(last_date, '') DESC, id DESC LIMIT ?",
            [*args, limit + 1],
        ).fetchall()
        stories = [self._story(row) for row in rows[:limit]]
        last = stories[-1] if len(rows) > limit else None
        return Page(
            items=stories, next=encode_cursor(last.last_date or "", last.story) if last is not None else None
        )

    def duplicate_page(self, *, limit: int = 20, cursor: str | None = None) -> Page[DuplicateGroup]:
        """Near-duplicate groups, the most recently formed first, with their articles."""
        limit = _limit(limit)
        position = decode_cursor(cursor, int)
        where, args = "", []
        if position:
            where, args = " AND dup_group < ?", [int(position[0])]
        groups = [
            int(r[0])
            for r in self.execute(
                f"SELECT DISTINCT dup_group FROM articles WHERE dup_group IS NOT NULL{where}"
                " ORDER BY dup_group DESC LIMIT ?",
                [*args, limit + 1],
            )
        ]
        members: dict[int, list[StoryArticle]] = {}
        shown = groups[:limit]
        if shown:
            for i, key, source, d, title, group in self.execute(
                "SELECT id, key, source, date, title, dup_group FROM articles"
                f" WHERE dup_group IN ({_marks(shown)}) ORDER BY dup_group, id",
                shown,
            ):
                members.setdefault(int(group), []).append(_story_article(i, key, source, d, title))
        items = [DuplicateGroup(group=g, articles=members.get(g, [])) for g in shown]
        return Page(items=items, next=encode_cursor(shown[-1]) if len(groups) > limit else None)

    def copies_of(self, article_id: int) -> list[StoryArticle]:
        """The other articles of an article's near-duplicate group."""
        return [
            _story_article(i, key, source, d, title)
            for i, key, source, d, title in self.execute(
                "SELECT b.id, b.key, b.source, b.date, b.title FROM articles a JOIN articles b"
                " ON b.dup_group = a.dup_group AND b.id != a.id WHERE a.id = ? ORDER BY b.id LIMIT 100",
                (article_id,),
            )
        ]

    def actors(
        self,
        *,
        name: str | None = None,
        type: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[Actor]:
        """Actors, the most mentioned first; ``name`` keeps those it may refer to (see
        :meth:`find_actors`), ``type`` those of one type (PERSON, ORG, GPE, ...)."""
        limit = _limit(limit)
        if name is not None and name.strip():
            found = self.find_actors(name, types=(type,) if type else ())
            offset = _offset(cursor)
            return Page(
                items=found[offset : offset + limit],
                next=encode_cursor(offset + limit) if len(found) > offset + limit else None,
            )
        clauses: list[str] = []
        args: list[Any] = []
        if type:
            clauses.append("type = ?")
            args.append(type.upper())
        position = decode_cursor(cursor, int, int)
        if position:
            clauses.append("(articles < ? OR (articles = ? AND id > ?))")
            args += [int(position[0]), int(position[0]), int(position[1])]
        columns = "id, name, type, aliases, articles, mentions, quotes, first_date, last_date"
        rows = self.execute(
            f"SELECT {columns} FROM actors WHERE {' AND '.join(clauses) or '1=1'}"
            " ORDER BY articles DESC, id LIMIT ?",
            [*args, limit + 1],
        ).fetchall()
        items = [_actor(row) for row in rows[:limit]]
        last = items[-1] if len(rows) > limit else None
        return Page(items=items, next=encode_cursor(last.articles, last.id) if last is not None else None)

    def actor_days(self, actor_id: int, *, limit: int = 1000) -> list[DayCount]:
        """Articles naming an actor, per day (the latest ``limit`` days that have any)."""
        actor = self.actor(actor_id)
        if actor is None:
            return []
        name_ids = self._names_of([actor])
        rows = self.execute(
            "SELECT substr(a.date, 1, 10), count(DISTINCT a.id) FROM entities e JOIN articles a"
            f" ON a.id = e.article WHERE e.name_id IN ({_marks(name_ids)}) AND a.date IS NOT NULL"
            " GROUP BY substr(a.date, 1, 10) ORDER BY 1 DESC LIMIT ?",
            [*name_ids, _limit(limit)],
        ).fetchall()
        return [DayCount(date=d, count=int(n)) for d, n in reversed(rows)]

    def recent_actors(
        self, *, types: Sequence[str] = ("PERSON",), days: int = 7, limit: int = 10
    ) -> list[CoMention]:
        """The actors named in the most articles over the corpus's latest ``days`` days."""
        latest = self.one("SELECT max(date) FROM articles")
        if latest is None:
            return []
        since = (datetime.fromisoformat(str(latest)[:10]) - timedelta(days=max(0, days - 1))).date()
        rows = self.execute(
            # CROSS JOIN: start from the latest days' articles, never from every actor of a type
            "SELECT ac.id, ac.name, ac.type, count(DISTINCT e.article) FROM articles a"
            " CROSS JOIN entities e CROSS JOIN names n CROSS JOIN actors ac"
            " WHERE e.article = a.id AND n.id = e.name_id AND ac.id = n.actor"
            f" AND a.date >= ? AND ac.type IN ({_marks(types)}) AND ac.name != ''"
            " GROUP BY ac.id, ac.name, ac.type ORDER BY 4 DESC, ac.id LIMIT ?",
            [since.isoformat(), *types, _limit(limit)],
        )
        return [CoMention(id=int(i), name=n, type=t, articles=int(c)) for i, n, t, c in rows]

    def places(
        self,
        *,
        name: str | None = None,
        country: str | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page[PlaceCount]:
        """Places named in the corpus (one per name and country), the most named first."""
        limit = _limit(limit)
        clauses: list[str] = []
        args: list[Any] = []
        if name and name.strip():
            clauses.append("lower(name) = lower(?)")
            args.append(_clean(name))
        if country and country.strip():
            clauses.append("upper(country) = upper(?)")
            args.append(_clean(country))
        offset = _offset(cursor)
        rows = self.execute(
            "SELECT name, country, avg(lat), avg(lon), max(kind), count(DISTINCT article) FROM places"
            f" WHERE {' AND '.join(clauses) or '1=1'} GROUP BY name, country"
            " ORDER BY 6 DESC, 1, 2 LIMIT ? OFFSET ?",
            [*args, limit + 1, offset],
        ).fetchall()
        items = [
            PlaceCount(name=n, country=c, lat=lat, lon=lon, kind=k, articles=int(m))
            for n, c, lat, lon, k, m in rows[:limit]
        ]
        return Page(items=items, next=encode_cursor(offset + limit) if len(rows) > limit else None)


# ---------------------------------------------------------------------------------- helpers

HIT_COLUMNS = "a.id, a.key, coalesce(a.title, substr(a.text, 1, 200)) AS title, a.date, a.source, a.url"


def _names_of(item: Prepared) -> Iterator[tuple[str, str]]:
    for _, type_, name, *_rest in item.entities:
        yield (type_, name)
    for quote in item.quotes:
        if quote[1] is not None:
            yield quote[1]


def _story_article(
    article_id: Any, key: str, source: str | None, date: str | None, title: Any
) -> StoryArticle:
    return StoryArticle(
        article=key, article_id=int(article_id), source=source, date=date, title=_first_line(title) or None
    )


def _hit(row: Any) -> SearchHit:
    return SearchHit(
        article_id=int(row[0]),
        article=row[1],
        title=_first_line(row[2]),
        date=row[3],
        source=row[4],
        url=row[5],
        snippet=" ".join(str(row[6]).split()),
        score=None if row[7] is None else round(abs(float(row[7])), 3),
    )


def _actor(row: Any) -> Actor:
    aliases = row[3]
    return Actor(
        id=int(row[0]),
        name=str(row[1]),
        type=str(row[2]),
        aliases=list(json.loads(aliases) if isinstance(aliases, str) else aliases),
        articles=int(row[4]),
        mentions=int(row[5]),
        quotes=int(row[6]),
        first_date=row[7],
        last_date=row[8],
    )


#: The SQL of each exported table (``json_group_array`` and ``ROWID`` are spelt per backend).
EXPORT_TABLES: dict[str, str] = {
    "articles": "SELECT a.id, a.key, a.hash, a.url, a.source, a.title, a.published, a.date, a.words,"
    " a.dup_group, a.story,"
    " (SELECT json_group_array(t.tag) FROM (SELECT tag FROM tags WHERE article = a.id ORDER BY rank) t),"
    " a.text FROM articles a ORDER BY a.id",
    "entities": "SELECT e.article, e.local_id, n.actor, n.name, n.type,"
    " (SELECT json_group_array(r.role) FROM entity_roles r"
    " WHERE r.article = e.article AND r.name_id = e.name_id),"
    " e.mentions, e.first_offset FROM entities e JOIN names n ON n.id = e.name_id"
    " ORDER BY e.article, e.local_id",
    "actors": "SELECT id, name, type, aliases, articles, mentions, quotes, first_date, last_date"
    " FROM actors ORDER BY id",
    "actor_roles": "SELECT actor, role, first_date, last_date, articles FROM"
    " actor_roles ORDER BY actor, role",
    "quotes": 'SELECT q.article, q.speaker, n.actor, q.text, q.kind, q.cue, q.start, q."end" FROM quotes q'
    " LEFT JOIN names n ON n.id = q.speaker_name_id ORDER BY q.id",
    "events": "SELECT ev.id, ev.article, ev.type, ev.label,"
    " (SELECT json_group_array(p.name) FROM (SELECT name FROM event_participants"
    " WHERE event = ev.id AND kind = 'participant' ORDER BY ROWID) p),"
    " (SELECT json_group_array(p.name) FROM (SELECT name FROM event_participants"
    " WHERE event = ev.id AND kind = 'party' ORDER BY ROWID) p),"
    ' ev.place, ev.country, ev.lat, ev.lon, ev.date, ev.date_text, ev.status, ev.start, ev."end"'
    " FROM events ev ORDER BY ev.id",
    "places": "SELECT article, name, country, lat, lon, kind, mentions, first_offset"
    " FROM places ORDER BY article, ROWID",
    "tags": "SELECT article, rank, tag FROM tags ORDER BY article, rank",
    "topics": "SELECT article, code, label, top_level, score FROM topics ORDER BY article, ROWID",
    "stories": "SELECT id, label, articles, sources, first_date, last_date FROM stories ORDER BY id",
    "errors": "SELECT source, reason, at FROM errors ORDER BY at, source",
}
