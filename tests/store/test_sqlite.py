"""The SQLite adapter: its schema, migrations, and what it refuses (no model)."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus_records import build_store, corpus
from newsgraph.store import StorageError, StoreError, open_store, prepare
from newsgraph.store import sqlite as sqlite_module
from newsgraph.store.base import parse_query
from newsgraph.store.sqlite import EVENTS_BY_DAY, MIGRATIONS, Migration, SQLiteStore, fts_query


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
    with pytest.raises(StorageError, match="directory"):
        open_store(tmp_path)
    with pytest.raises(StorageError, match="does not exist"):
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
    """Issue 14 row: three `ingest` runs starting on a new store at once: 1 process in 15 failed
    with 'table articles already exists'."""
    path = str(tmp_path / "new.db")
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        stored = pool.map(_open_and_write, [path] * 3)
    assert sum(stored) == len(corpus())
    with open_store(path, readonly=True) as store:
        assert store.count("articles") == len(corpus())


# ---------------------------------------------------------------------------------- storage faults


@contextlib.contextmanager
def read_only_copy(store: Path, where: Path) -> Iterator[Path]:
    """``store`` copied onto read-only media: a tmpfs remounted read-only when root (root may
    write through permissions), else a folder and file without write permission."""
    where.mkdir()
    if os.geteuid() != 0:
        shutil.copy(store, where / store.name)
        (where / store.name).chmod(0o444)
        where.chmod(0o555)
        try:
            yield where / store.name
        finally:
            where.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(where)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        shutil.copy(store, where / store.name)
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        yield where / store.name
    finally:
        if subprocess.run(["umount", str(where)], check=False, capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_store_on_read_only_media_is_queryable(tmp_path: Path) -> None:
    """Issue 14 row: a valid store on read-only media answered every query "not a newsgraph store"."""
    build_store(tmp_path / "corpus.db").close()
    with read_only_copy(tmp_path / "corpus.db", tmp_path / "ro") as path:
        with open_store(path, readonly=True) as reader:
            assert reader.entity("Peskov") is not None
            assert {h.article for h in reader.search("Peskov").items} >= {"geneva"}
        with pytest.raises(StorageError, match=r"read-only|cannot open") as failure:
            open_store(path)
        assert "\n" not in str(failure.value)


def test_an_unwritable_place_is_one_line(tmp_path: Path) -> None:
    """Issue 14 row: `--db` naming an unwritable place gave `unable to open database file`."""
    with pytest.raises(StorageError, match="cannot open or create"):
        open_store("/proc/newsgraph-test.db")


def test_a_corrupted_store_says_so_and_how_to_recover(tmp_path: Path) -> None:
    """Issue 14 row: a store with corrupted pages gave a traceback from every command."""
    path = tmp_path / "corpus.db"
    build_store(path).close()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(2 * page, len(data), 3 * page):  # every third page past the schema's
        data[start : start + page] = bytes([0x5A]) * page
    path.write_bytes(bytes(data))
    with (
        pytest.raises(StorageError, match=r"corrupted .*\.recover") as failure,
        open_store(path, readonly=True) as reader,
    ):
        reader.stats()
        reader.search("Peskov")
    assert "\n" not in str(failure.value)


def test_disk_full_during_a_write_loses_nothing_stored_before(tmp_path: Path) -> None:
    """Issue 14 row: disk full during ingest gave a traceback `database or disk is full`.

    The full disk is SQLite's ``PRAGMA max_page_count`` (the CLI test uses a real tmpfs when root).
    """
    records = corpus()
    with open_store(tmp_path / "corpus.db") as store:
        store.write([prepare(a, r) for a, r in records[:1]])
        pages = store.one("PRAGMA page_count")
        store.execute(f"PRAGMA max_page_count = {pages + 1}")
        big = [prepare(a.model_copy(update={"text": a.text * 400}), r) for a, r in records[1:]]
        with pytest.raises(StorageError, match="disk full") as failure:
            store.write(big)
        assert "\n" not in str(failure.value)
        assert store.count("articles") == 1
        assert store.search("Peskov").items is not None  # the store still answers
    with open_store(tmp_path / "corpus.db", readonly=True) as reader:
        assert reader.count("articles") == 1


def test_the_events_by_day_migration_fills_days_as_writes_do(tmp_path: Path) -> None:
    with build_store(tmp_path / "corpus.db") as store:
        written = {int(i): d for i, d in store.execute("SELECT id, day FROM events")}
        assert written and all(written.values())  # every event of the corpus has a day
        with store.transaction():
            store.execute("UPDATE events SET day = ''")
            store.execute(next(s for s in EVENTS_BY_DAY.split(";") if "UPDATE" in s))
        assert {int(i): d for i, d in store.execute("SELECT id, day FROM events")} == written
