"""Tests of the SQLite store: migrations, idempotent writes, errors, dates, queries (no model)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from corpus_records import GENEVA, build_store, corpus, make
from newsgraph import store as store_module
from newsgraph.models import ReadError
from newsgraph.store import (
    MIGRATIONS,
    Migration,
    Store,
    StoreError,
    article_date,
    content_hash,
    fts_query,
    prepare,
)

# ---------------------------------------------------------------------------------- schema


def test_migrations_are_numbered_from_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert all(m.name for m in MIGRATIONS)


def test_a_new_store_is_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        assert store.version == len(MIGRATIONS)
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"articles", "articles_fts", "entities", "quotes", "quotes_fts", "errors", "actors"} <= tables
    with Store(tmp_path / "a.db") as again:
        assert again.migrate() == []


def test_a_failing_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(tmp_path / "a.db").close()

    def broken(db: sqlite3.Connection) -> None:
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("boom")

    monkeypatch.setattr(
        store_module, "MIGRATIONS", [*MIGRATIONS, Migration(len(MIGRATIONS) + 1, "x", broken)]
    )
    with pytest.raises(RuntimeError, match="boom"):
        Store(tmp_path / "a.db")
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'half_done'").fetchall()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    Store(tmp_path / "a.db").close()
    db = sqlite3.connect(tmp_path / "a.db")
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(tmp_path / "a.db")
    with pytest.raises(StoreError, match="newer"):
        Store(tmp_path / "a.db", readonly=True)


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
        Store(path)


def test_readonly_needs_an_existing_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "missing.db", readonly=True)


# ---------------------------------------------------------------------------------- writes


def _counts(store: Store) -> dict[str, int]:
    tables = ("articles", "entities", "entity_roles", "quotes", "events", "places", "tags", "names")
    counts = {t: store.count(t) for t in tables}
    counts["fts"] = store.db.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    return counts


def test_writing_the_same_articles_again_changes_nothing(tmp_path: Path) -> None:
    records = corpus()
    with Store(tmp_path / "a.db") as store:
        first = store.write([prepare(a, r) for a, r in records])
        assert (first.stored, first.skipped) == (len(records), 0)
        before = _counts(store)
        again = store.write([prepare(a, r) for a, r in records])
        assert (again.stored, again.skipped) == (0, len(records))
        assert _counts(store) == before
        assert before["articles"] == before["fts"] == len(records)


def test_the_key_is_the_text_not_the_id(tmp_path: Path) -> None:
    article, analysis = make("one", GENEVA)
    copy, copy_analysis = make("other-id", GENEVA)
    with Store(tmp_path / "a.db") as store:
        store.write([prepare(article, analysis)])
        assert store.write([prepare(copy, copy_analysis)]).skipped == 1
        assert store.known([content_hash(GENEVA), "nope"]) == {content_hash(GENEVA)}


def test_errors_are_kept_once_per_source_and_cleared_by_success(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        store.record_errors([ReadError(source="a.txt", reason="empty file")])
        store.record_errors([ReadError(source="a.txt", reason="binary file, not text")])
        store.record_errors([ReadError(source="geneva", reason="analysis failed: boom")])
        assert [(e["source"], e["reason"]) for e in store.errors()] == [
            ("a.txt", "binary file, not text"),
            ("geneva", "analysis failed: boom"),
        ]
        article, analysis = make("geneva", GENEVA)
        store.write([prepare(article, analysis)])
        assert [e["source"] for e in store.errors()] == ["a.txt"]


def test_the_stored_record_is_the_analysis(tmp_path: Path) -> None:
    records = corpus()
    with build_store(tmp_path / "a.db", records) as store:
        stored = [analysis for _, analysis in store.records()]
    assert stored == [analysis for _, analysis in records]


def test_new_articles_mark_the_passes_pending(tmp_path: Path) -> None:
    with build_store(tmp_path / "a.db") as store:
        assert not store.dirty
        article, analysis = make("new", "A new text about Geneva.")
        store.write([prepare(article, analysis)])
        assert store.dirty
        store.write([prepare(article, analysis)])  # nothing new: stays as it is
        store.mark_clean()
        store.write([prepare(article, analysis)])
        assert not store.dirty


# ---------------------------------------------------------------------------------- dates, FTS


@pytest.mark.parametrize(
    ("published", "places", "expected"),
    [
        ("2022-01-11", ("https://x.org/2020/01/01/a",), "2022-01-11"),
        (None, ("https://x.org/world/2022/01/11/talks",), "2022-01-11"),
        (None, (None, "/data/breitbart_2016-03-11_activists-brick.txt"), "2016-03-11"),
        (None, ("https://x.org/2022_02_30_bad", "a/2021.12.31.txt"), "2021-12-31"),
        (None, ("https://x.org/20220111/a", "no date here"), None),
        (None, ("id-12345678",), None),
    ],
)
def test_article_date(published: str | None, places: tuple[str | None, ...], expected: str | None) -> None:
    assert article_date(published, *places) == expected


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("Peskov NATO", '"Peskov" "NATO"'),
        ("U.S. talks", '"U S" "talks"'),
        ('"moment of truth" OR Geneva', '"moment of truth" OR "Geneva"'),
        ("negotiat*", '"negotiat"*'),
        ("Peskov's (remarks", '"Peskov s" "remarks"'),
        ("OR AND NOT", ""),
        ("NOT Geneva", '"Geneva"'),
        ("...", ""),
    ],
)
def test_fts_query(typed: str, query: str) -> None:
    assert fts_query(typed) == query


# ---------------------------------------------------------------------------------- queries


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return build_store(tmp_path / "corpus.db")


@pytest.mark.parametrize("window", [10_000, 1], ids=["few-matches", "many-matches"])
def test_search_ranks_and_filters(store: Store, window: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "RANK_WINDOW", window)  # 1: the paths of a large corpus
    if window == 1:
        assert len(store.search("Peskov")) == 1  # only the newest match is ranked
        monkeypatch.setattr(store_module, "RANK_WINDOW", 2)
    hits = store.search("Peskov")
    assert {h["id"] for h in hits} == (
        {"geneva", "brussels", "brussels-copy"} if window > 1 else {"brussels", "brussels-copy"}
    )
    assert all("[Peskov]" in h["snippet"] for h in hits)
    assert [h["id"] for h in store.search("optimism", person="Peskov")] == ["geneva"]
    assert [h["id"] for h in store.search("Peskov", source="example.org")] == ["brussels"]
    found = store.search("Peskov", date_from="2022-01-12", place="Brussels")
    assert {h["id"] for h in found} == {"brussels", "brussels-copy"}
    assert store.search("Peskov", date_to="2022-01-11")[0]["id"] == "geneva"
    assert store.search("harbour", person="Dmitry Peskov") == []
    assert store.search("Peskov", person="Nobody Known") == []
    newest = store.search(None, limit=2)
    assert [h["date"] for h in newest] == ["2022-03-01", "2022-01-12"]
    json.dumps(hits)


def test_search_ranks_the_most_recent_matches_when_many_match(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "RANK_WINDOW", 2)
    assert {h["id"] for h in store.search("Peskov", limit=5)} == {"brussels", "brussels-copy"}
    assert [h["id"] for h in store.search("Peskov", source="ansarpress.com")] == ["geneva"]


def test_quotes_by_any_name_of_the_speaker(store: Store) -> None:
    said = store.quotes(speaker="Peskov")
    assert {q["text"] for q in said} == {
        "We see no real reason to be optimistic so far,",
        "the talks in Geneva gave no reason for optimism",
        "NATO must listen to our concerns about expansion,",
    }
    assert {q["speaker"] for q in said} == {"Dmitry Peskov"}
    assert len(said) == 4  # the Brussels quote is in the article and its copy
    about = store.quotes(speaker="Dmitry S. Peskov", about="optimistic")
    assert [q["text"] for q in about] == ["We see no real reason to be optimistic so far,"]
    assert store.quotes(speaker="Clinton")[0]["speaker"] == "Bill Clinton"
    assert store.quotes(speaker="Nobody") == []


def test_events_filters(store: Store) -> None:
    (talks,) = store.events(type="consult")
    assert talks["participants"] == ["Wendy Sherman", "Sergei Ryabkov"]
    assert talks["place"]["name"] == "Geneva" and talks["date"] == "2022-01-10"
    assert store.events(place="Geneva") == [talks]
    assert store.events(participant="Sherman") == [talks]
    assert store.events(date_from="2022-01-11") == []
    assert store.events(date_to="2022-01-10") == [talks]


def test_entity_page(store: Store) -> None:
    page = store.entity("Dmitry S. Peskov")
    assert page is not None
    assert page["name"] == "Dmitry Peskov" and page["type"] == "PERSON"
    assert page["articles"] == 3 and page["quotes"] == 4
    assert set(page["aliases"]) == {
        "Dmitry Peskov",
        "Dmitry S. Peskov",
        "Kremlin spokesman Dmitry Peskov",
        "Peskov",  # a quote's speaker as written
    }
    (role,) = page["roles"]
    assert role["role"] == "Kremlin spokesman" and role["first"] == role["last"] == "2022-01-11"
    co = {c["name"]: c["articles"] for c in page["co_mentioned"]}
    assert co["Jens Stoltenberg"] == 2 and co["Geneva"] == 1
    assert "NATO" in co or "North Atlantic Treaty Organization" in co
    assert page["recent_quotes"][0]["date"] == "2022-01-12"
    assert store.entity("Nobody Known") is None
    json.dumps(page)


def test_timeline(store: Store) -> None:
    data = store.timeline("Peskov")
    assert data is not None
    assert [d["date"] for d in data["days"]] == ["2022-01-11", "2022-01-12"]
    first, second = data["days"]
    assert first["roles"] == ["Kremlin spokesman"] and len(first["quotes"]) == 2
    assert len(second["articles"]) == 2
    sherman = store.timeline("Wendy Sherman")
    assert sherman is not None and sherman["days"][0]["events"][0]["type"] == "CONSULT"


def test_stats(store: Store) -> None:
    data = store.stats()
    assert data["articles"] == 5 and data["errors"] == 0
    assert data["first_date"] == "2015-12-01" and data["last_date"] == "2022-03-01"
    assert data["duplicate_groups"] == 1 and data["articles_in_duplicate_groups"] == 2
    assert data["quotes"] == 6 and data["events"] == 1
    assert data["top_people"][0]["name"] == "Dmitry Peskov"
    assert data["passes_pending"] is False
    json.dumps(data)


def test_readonly_store_answers_queries(store: Store) -> None:
    path = store.path
    store.close()
    with Store(path, readonly=True) as reader:
        assert reader.entity("Peskov") is not None
        with pytest.raises(sqlite3.OperationalError):
            reader.db.execute("DELETE FROM articles")
