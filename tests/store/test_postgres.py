"""The PostgreSQL adapter: migrations, query rendering, and concurrent writers (a real cluster)."""

from __future__ import annotations

import multiprocessing

import pytest

from conftest import fresh_postgres
from corpus_records import corpus
from newsgraph.store import StoreError, open_store, prepare
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
    url = fresh_postgres(postgres_server)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        stored = pool.map(_write_all, [url] * 3)
    assert sum(stored) == len(corpus())
    with open_store(url, readonly=True) as store:
        assert store.count("articles") == len(corpus())
        assert store.count("names") == len({(t, n) for t, n in store.execute("SELECT type, name FROM names")})
