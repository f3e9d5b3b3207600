"""The SQLite adapter: its schema, migrations, and what it refuses (no model)."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from corpus_records import corpus
from newsgraph.store import StoreError, open_store, prepare
from newsgraph.store import sqlite as sqlite_module
from newsgraph.store.base import parse_query
from newsgraph.store.sqlite import MIGRATIONS, Migration, SQLiteStore, fts_query


def test_migrations_are_numbered_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert all(m.name for m in MIGRATIONS)


def test_a_new_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "a.db") as store:
        assert store.version == len(MIGRATIONS)
        assert store.one("PRAGMA journal_mode") == "wal"
        tables = {r[0] for r in store.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"articles", "articles_fts", "entities", "quotes", "quotes_fts", "errors", "actors"} <= tables
        assert {"pass_queue", "minhash_bands", "name_keys", "actor_redirects"} <= tables
    with SQLiteStore(tmp_path / "a.db") as again:
        assert again.migrate() == []


def test_a_version_1_store_is_migrated_and_its_articles_queued(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    MIGRATIONS[0].apply(db)
    db.execute("PRAGMA user_version = 1")
    db.execute("COMMIT")
    db.close()
    with pytest.raises(StoreError, match="older than this newsgraph's"):
        SQLiteStore(path, readonly=True)  # a reader cannot migrate: it says how
    with SQLiteStore(path) as store:
        assert store.version == len(MIGRATIONS)
        assert store.count("pass_queue") == 0  # an empty store has nothing to queue


def test_a_failing_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    SQLiteStore(tmp_path / "a.db").close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(
        sqlite_module, "MIGRATIONS", [*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "x", broken)]
    )
    with pytest.raises(RuntimeError, match="boom"):
        SQLiteStore(tmp_path / "a.db")
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchall()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    SQLiteStore(tmp_path / "a.db").close()
    db = sqlite3.connect(tmp_path / "a.db")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(tmp_path / "a.db")
    with pytest.raises(StoreError, match="newer"):
        SQLiteStore(tmp_path / "a.db", readonly=True)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"not a database at all" * 100, "not a newsgraph store"), (None, "not a newsgraph store")],
)
def test_other_files_are_refused(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "other.db"
    if content is None:
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE mine (x)")
        db.commit()
        db.close()
    else:
        path.write_bytes(content)
    with pytest.raises(StoreError, match=message):
        SQLiteStore(path)


def test_readonly_needs_an_existing_store_and_a_folder_is_no_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        open_store(tmp_path / "missing.db", readonly=True)
    with pytest.raises(StoreError, match="directory"):
        open_store(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "no" / "such" / "dir.db")


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("Peskov NATO", '"peskov" AND "nato"'),
        ("U.S. talks", '"u s" AND "talks"'),
        ('"moment of truth" OR Geneva', '("moment of truth" OR "geneva")'),
        ("negotiat*", '"negotiat"*'),
        ("trump -biden", '("trump") NOT ("biden")'),
        ("Peskov's (remarks", '"peskov s" AND "remarks"'),
    ],
)
def test_fts_query(typed: str, query: str) -> None:
    assert fts_query(parse_query(typed)) == query


def _open_and_write(path: str) -> int:
    with open_store(path) as store:
        return store.write([prepare(a, r) for a, r in corpus()]).stored


def test_writers_starting_together_on_a_new_store_migrate_once(tmp_path: Path) -> None:
    """Regression: processes creating the same store at once failed with 'table already exists'."""
    path = str(tmp_path / "new.db")
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        stored = pool.map(_open_and_write, [path] * 3)
    assert sum(stored) == len(corpus())
    with open_store(path, readonly=True) as store:
        assert store.count("articles") == len(corpus())
