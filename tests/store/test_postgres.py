"""The PostgreSQL adapter: migrations, query rendering, and concurrent writers (a real cluster)."""

from __future__ import annotations

import multiprocessing
import os
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import fresh_postgres
from corpus_records import build_store, corpus
from newsgraph.store import StorageError, StoreError, open_store, prepare
from newsgraph.store.base import parse_query
from newsgraph.store.postgres import MIGRATIONS, _safe, ts_query


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("Peskov NATO", "('peskov') & ('nato')"),
        ('"moment of truth" OR Geneva', "(('moment' <-> 'of' <-> 'truth') | 'geneva')"),
        ("negotiat*", "('negotiat':*)"),
        ("trump -biden", "('trump') & !('biden')"),
    ],
)
def test_ts_query(typed: str, query: str) -> None:
    assert ts_query(parse_query(typed)) == query


def test_a_password_never_shows_in_messages() -> None:
    assert _safe("postgresql://me:secret@db.example:5432/news") == "postgresql://me:***@db.example:5432/news"


def test_migrations_run_once(postgres_server: str) -> None:
    url = fresh_postgres(postgres_server)
    with open_store(url) as store:
        assert store.version == len(MIGRATIONS) and store.backend == "postgresql"
    with open_store(url) as again:
        assert again.migrate() == []


def test_an_unreachable_server_is_one_line() -> None:
    with pytest.raises(StoreError, match="cannot connect"):
        open_store("postgresql://nobody@127.0.0.1:1/none")


def test_readonly_refuses_an_empty_database(postgres_server: str) -> None:
    with pytest.raises(StoreError, match="not a newsgraph store"):
        open_store(fresh_postgres(postgres_server), readonly=True)


def _write_all(url: str) -> int:
    with open_store(url) as store:
        return sum(store.write([prepare(a, r)]).stored for a, r in corpus())


def test_concurrent_writers_store_every_article_once(postgres_server: str) -> None:
    """Issue 14 row: three `ingest` runs starting on a new store at once (PostgreSQL)."""
    url = fresh_postgres(postgres_server)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        stored = pool.map(_write_all, [url] * 3)
    assert sum(stored) == len(corpus())
    with open_store(url, readonly=True) as store:
        assert store.count("articles") == len(corpus())
        assert store.count("names") == len({(t, n) for t, n in store.execute("SELECT type, name FROM names")})


def test_a_full_disk_is_one_line_and_loses_nothing(postgres_server: str, tmp_path: Path) -> None:
    """Issue 14 row: disk full during ingest gave a traceback. The articles table is moved to a
    tablespace on a 512 KB tmpfs (root only: mount needs it), then filled."""
    import psycopg

    small = Path(
        tempfile.mkdtemp(prefix="newsgraph-full-")
    )  # the server must reach it: not under pytest's 0700
    small.chmod(0o755)
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(small)], check=False, capture_output=True
        ).returncode
    ):
        pytest.skip("a full disk needs a tmpfs (root)")
    url = fresh_postgres(postgres_server)
    space = f"small_{os.getpid()}_{abs(hash(str(tmp_path))) % 10_000}"
    try:
        shutil.chown(small, "postgres", "postgres")
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f"CREATE TABLESPACE {space} LOCATION '{small}'")
        records = corpus()
        with open_store(url) as store:
            store.write([prepare(a, r) for a, r in records[:1]])
            store.execute(f"ALTER TABLE articles SET TABLESPACE {space}")
            noise = random.Random(14)
            big = [
                prepare(
                    a.model_copy(
                        update={"text": " ".join(f"{noise.getrandbits(64):x}" for _ in range(40_000))}
                    ),
                    r,
                )
                for a, r in records[1:]
            ]
            with pytest.raises(StorageError, match="out of room") as failure:
                store.write(big)
            assert "\n" not in str(failure.value)
            assert store.count("articles") == 1
            store.execute("DROP TABLE articles CASCADE")  # frees the tablespace
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {url.rsplit('/', 1)[1]}")
            admin.execute(f"DROP TABLESPACE {space}")
    finally:
        if subprocess.run(["umount", str(small)], check=False, capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(small)], check=False)
        small.rmdir()


def test_a_readonly_database_is_queryable_and_refuses_writes_in_one_line(postgres_server: str) -> None:
    """Issue 14 row: a valid store on read-only media answered "not a newsgraph store" (PostgreSQL:
    a database whose transactions are read-only; SQLite's read-only media: test_sqlite.py)."""
    url = fresh_postgres(postgres_server)
    build_store(url).close()
    with open_store(url) as store:
        store.execute(f"ALTER DATABASE {url.rsplit('/', 1)[1]} SET default_transaction_read_only = on")
    with open_store(url, readonly=True) as reader:
        assert reader.entity("Peskov") is not None
    with pytest.raises(StorageError, match="read-only"), open_store(url) as store:
        store.write([prepare(a, r) for a, r in corpus()[:1]])


def test_a_corrupted_database_is_one_storage_error() -> None:
    """Issue 14 row, on PostgreSQL: a table with a corrupted page is one line, not a traceback.

    Its own cluster (the corruption must not reach the session's): the articles table's first
    page is overwritten on disk, and the server restarted so that it reads the page again.
    """
    import psycopg

    from newsgraph.store.cluster import create_database, local_postgres, postgres_bin

    if postgres_bin() is None and not os.environ.get("CI"):
        pytest.skip("PostgreSQL is not installed")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    with local_postgres() as server:
        url = create_database(server, "corrupted")
        build_store(url).close()
        with psycopg.connect(url, autocommit=True) as db:
            data = Path(db.execute("SHOW data_directory").fetchone()[0])  # type: ignore[index]
            table = data / db.execute("SELECT pg_relation_filepath('articles')").fetchone()[0]  # type: ignore[index]
            db.execute("CHECKPOINT")  # every page on disk; the restart drops the cached ones
        with open(table, "r+b") as page:
            page.write(b"\xff" * 64)  # a page header no page can have
        pg_ctl = str(postgres_bin() / "pg_ctl")  # type: ignore[operator]
        log = str(data.parent / "log")  # where local_postgres logs: the server must not hold our pipes
        restart = [*prefix, pg_ctl, "-D", str(data), "-l", log, "-m", "fast", "-w", "restart"]
        subprocess.run(restart, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        store = open_store(url, readonly=True)
        with store, pytest.raises(StorageError, match="corrupted") as failure:
            store.search(None)
        assert "\n" not in str(failure.value) and "restore a backup" in str(failure.value)


def test_the_events_by_day_migration_fills_days_as_writes_do(postgres_server: str) -> None:
    with build_store(fresh_postgres(postgres_server)) as store:
        written = {int(i): d for i, d in store.execute("SELECT id, day FROM events")}
        assert written and all(written.values())
        with store.transaction():
            store.execute("UPDATE events SET day = ''")
            script = next(sql for name, sql in MIGRATIONS if name == "events by day")
            store.execute(next(s for s in script.split(";") if "UPDATE" in s))
        assert {int(i): d for i, d in store.execute("SELECT id, day FROM events")} == written
