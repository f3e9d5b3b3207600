"""The store contract: every test runs against each backend (SQLite, PostgreSQL) and must pass on both.

No model is loaded: the records are hand-built (``corpus_records``).
"""

from __future__ import annotations

import json
import multiprocessing
import time
from collections.abc import Callable
from typing import Any

import pytest

from corpus_records import GENEVA, build_store, corpus, event, make
from newsgraph.corpus.passes import run_passes
from newsgraph.models import ReadError
from newsgraph.store import (
    QueryError,
    QueryTimeout,
    StorageError,
    Store,
    StoreError,
    article_date,
    content_hash,
    open_store,
    parse_query,
    prepare,
)
from newsgraph.store.base import (
    NEWEST_ARTICLES,
    NEWEST_EVENTS,
    NEWEST_QUOTES,
    NEWEST_STORIES,
    Term,
    snippet_terms,
)

# ---------------------------------------------------------------------------------- writes


def _counts(store: Store) -> dict[str, int]:
    tables = ("articles", "entities", "entity_roles", "quotes", "events", "places", "tags", "names")
    return {t: store.count(t) for t in tables}


def test_writing_the_same_articles_again_changes_nothing(store_target: str) -> None:
    records = corpus()
    with open_store(store_target) as store:
        first = store.write([prepare(a, r) for a, r in records])
        assert (first.stored, first.skipped) == (len(records), 0)
        before = _counts(store)
        again = store.write([prepare(a, r) for a, r in records])
        assert (again.stored, again.skipped) == (0, len(records))
        assert _counts(store) == before
        assert before["articles"] == len(records)
        assert store.search("Peskov").items  # the full-text index follows the writes


def test_the_key_is_the_text_not_the_id(store_target: str) -> None:
    article, analysis = make("one", GENEVA)
    copy, copy_analysis = make("other-id", GENEVA)
    with open_store(store_target) as store:
        store.write([prepare(article, analysis)])
        assert store.write([prepare(copy, copy_analysis)]).skipped == 1
        assert store.known([content_hash(GENEVA), "nope"]) == {content_hash(GENEVA)}


def test_errors_are_kept_once_per_source_and_cleared_by_success(store_target: str) -> None:
    with open_store(store_target) as store:
        store.record_errors([ReadError(source="a.txt", reason="empty file")])
        store.record_errors([ReadError(source="a.txt", reason="binary file, not text")])
        store.record_errors([ReadError(source="geneva", reason="analysis failed: boom")])
        assert [(e.source, e.reason) for e in store.errors()] == [
            ("a.txt", "binary file, not text"),
            ("geneva", "analysis failed: boom"),
        ]
        article, analysis = make("geneva", GENEVA)
        store.write([prepare(article, analysis)])
        assert [e.source for e in store.errors()] == ["a.txt"]


def test_an_error_recorded_under_its_input_line_is_cleared_when_that_line_is_stored(
    store_target: str,
) -> None:
    """Regression: errors were stored under "in.jsonl:2" but cleared under the article's id."""
    with open_store(store_target) as store:
        store.record_errors([ReadError(source="in.jsonl:2", reason="analysis failed: boom")])
        article, analysis = make("a1", GENEVA)
        article.origin = "in.jsonl:2"
        store.write([prepare(article, analysis)])
        assert store.errors() == []
        assert store.stats().errors == 0


def test_a_rolled_back_write_leaves_no_wrong_names(store_target: str) -> None:
    """Regression: ids of names cached in a rolled-back write were reused for other names."""
    first, first_analysis = make(
        "a", "Bob Brown spoke.", entities=[("Bob Brown", "PERSON", [], ["Bob Brown"])]
    )
    broken = prepare(first, first_analysis)
    broken.events = [("BAD",)]  # a row the store cannot take: the whole batch rolls back
    with open_store(store_target) as store:
        with pytest.raises(Exception):  # noqa: B017 (any database error)
            store.write([broken])
        second, second_analysis = make(
            "b", "Alice Adams spoke.", entities=[("Alice Adams", "PERSON", [], ["Alice Adams"])]
        )
        store.write([prepare(second, second_analysis)])
        run_passes(store)
        assert [a.name for a in store.top_actors(types=("PERSON",))] == ["Alice Adams"]
        assert store.article("b") is not None
        assert store.article("a") is None


def test_the_stored_record_is_the_analysis(store_target: str) -> None:
    records = corpus()
    with build_store(store_target, records) as store:
        stored = [item.analysis for item in store.articles()]
    assert stored == [analysis for _, analysis in records]


def test_new_articles_wait_for_the_passes(store_target: str) -> None:
    with build_store(store_target) as store:
        assert not store.dirty
        article, analysis = make("new", "A new text about Geneva.")
        store.write([prepare(article, analysis)])
        assert store.dirty and store.stats().passes_pending
        run_passes(store)
        assert not store.dirty
        store.write([prepare(article, analysis)])  # nothing new
        assert not store.dirty


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
    ("typed", "terms"),
    [
        ("Peskov NATO", [Term(("peskov",)), Term(("nato",))]),
        ("U.S. talks", [Term(("u", "s")), Term(("talks",))]),
        (
            '"moment of truth" OR Geneva',
            [Term(("moment", "of", "truth")), Term(("geneva",), alternative=True)],
        ),
        ("negotiat*", [Term(("negotiat",), prefix=True)]),
        ("trump -biden", [Term(("trump",)), Term(("biden",), negated=True)]),
        ("NOT biden trump", [Term(("biden",), negated=True), Term(("trump",))]),
        ("OR AND NOT", []),
        ("NOT Geneva", []),
        ("-Geneva", []),
        ("...", []),
    ],
)
def test_parse_query(typed: str, terms: list[Term]) -> None:
    assert parse_query(typed) == terms


# ---------------------------------------------------------------------------------- queries


@pytest.fixture
def store(store_target: str) -> Store:
    return build_store(store_target)


def _ids(page: object) -> list[str]:
    return [hit.article for hit in page.items]  # type: ignore[attr-defined]


def _walk(fetch: Callable[[str | None], Any]) -> list[Any]:
    """Every item of a listing, read page by page with its cursors."""
    items: list[Any] = []
    cursor = None
    while True:
        page = fetch(cursor)
        items += page.items
        if page.next is None:
            return items
        cursor = page.next


def test_search_ranks_and_filters(store: Store) -> None:
    hits = store.search("Peskov").items
    assert {h.article for h in hits} == {"geneva", "brussels", "brussels-copy"}
    assert all("[Peskov]" in h.snippet for h in hits)
    assert _ids(store.search("optimism", person="Peskov")) == ["geneva"]
    assert _ids(store.search("Peskov", source="example.org")) == ["brussels"]
    found = store.search("Peskov", date_from="2022-01-12", place="Brussels")
    assert set(_ids(found)) == {"brussels", "brussels-copy"}
    assert _ids(store.search("Peskov", date_to="2022-01-11")) == ["geneva"]
    assert store.search("harbour", person="Dmitry Peskov").items == []
    assert store.search("Peskov", person="Nobody Known").items == []
    newest = store.search(None, limit=2)
    assert [h.date for h in newest.items] == ["2022-03-01", "2022-01-12"]
    json.dumps(store.search("Peskov").model_dump(mode="json"))


def test_search_operators_are_kept(store: Store) -> None:
    """Issue 14 row: `search "trump -biden"` and `search "NOT biden trump"` returned both: the
    user's operators were dropped."""
    assert set(_ids(store.search("Peskov -optimism"))) == {"brussels", "brussels-copy"}
    assert set(_ids(store.search("NOT optimism Peskov"))) == {"brussels", "brussels-copy"}
    assert set(_ids(store.search("harbour OR optimism"))) == {"geneva", "harbour"}
    assert set(_ids(store.search('"no real reason"'))) == {"geneva"}
    assert set(_ids(store.search("optimi*"))) == {"geneva"}
    assert store.search("-Peskov").items == []


def test_search_pages_with_cursors(store: Store) -> None:
    first = store.search(None, limit=2)
    assert first.next is not None
    second = store.search(None, limit=2, cursor=first.next)
    third = store.search(None, limit=2, cursor=second.next)
    pages = _ids(first) + _ids(second) + _ids(third)
    assert sorted(pages) == sorted(a.id for a, _ in corpus()) and third.next is None
    ranked = store.search("Peskov", limit=2)
    rest = store.search("Peskov", limit=2, cursor=ranked.next)
    assert set(_ids(ranked) + _ids(rest)) == {"geneva", "brussels", "brussels-copy"}
    with pytest.raises(StoreError, match="cursor"):
        store.search(None, cursor="not-a-cursor!")


def test_quotes_by_any_name_of_the_speaker(store: Store) -> None:
    said = store.quotes(speaker="Peskov").items
    assert {q.text for q in said} == {
        "We see no real reason to be optimistic so far,",
        "the talks in Geneva gave no reason for optimism",
        "NATO must listen to our concerns about expansion,",
    }
    assert {q.speaker for q in said} == {"Dmitry Peskov"}
    assert len(said) == 4  # the Brussels quote is in the article and its copy
    about = store.quotes(speaker="Dmitry S. Peskov", about="optimistic").items
    assert [q.text for q in about] == ["We see no real reason to be optimistic so far,"]
    assert store.quotes(speaker="Clinton").items[0].speaker == "Bill Clinton"
    assert store.quotes(speaker="Nobody").items == []
    assert [q.kind for q in store.quotes(kind="mixed").items] == ["mixed"]


@pytest.mark.parametrize("name", ["Cl", "%", "_", "Peskov%", "x" * 1000])
def test_a_speaker_is_a_whole_name_never_a_fragment(store: Store, name: str) -> None:
    """Issue 14 row: `quotes --speaker John` returned Boris Johnson's quotes."""
    assert store.quotes(speaker=name).items == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.quotes(speaker=""), "empty speaker name"),
        (lambda s: s.quotes(speaker="   "), "empty speaker name"),
        (lambda s: s.quotes(speaker="x" * 50_000), "too long"),
        (lambda s: s.entity(""), "empty name"),
        (lambda s: s.timeline("Peskov " * 10_000), "too long"),
        (lambda s: s.search("Peskov", person="y" * 5_000), "too long"),
        (lambda s: s.events(place="Geneva" * 1_000), "too long"),
        (lambda s: s.search("talks " * 2_000), "too long"),
        (lambda s: s.search(" ".join(f"w{i}" for i in range(40))), "too many words"),
        (lambda s: s.quotes(about="a " * 600), "too long"),
    ],
)
def test_bad_requests_are_query_errors(store: Store, call: Any, message: str) -> None:
    """Issue 14 rows: `quotes --speaker ""` (was every quote), a 50,000-character name (was a
    traceback), a 2,000-word search (was 135 s): a QueryError at once, the web app's 400."""
    with pytest.raises(QueryError, match=message):
        call(store)


def test_a_long_query_costs_little_and_marks_its_first_words(store: Store) -> None:
    """Issue 14 row: a 2,000-word search ran 135 s (snippets cost words x text); the longest
    query taken (32 words) answers at once, its snippets marking its first 8 words."""
    words = "Peskov talks Geneva optimism NATO reason real concerns".split() * 4
    started = time.monotonic()
    hits = store.search(" OR ".join(words)).items
    assert time.monotonic() - started < 5
    assert hits and all("[" in h.snippet for h in hits)
    assert {t.words for t in snippet_terms(parse_query(" ".join(words)))} == {(w.lower(),) for w in words[:8]}


def test_a_query_past_the_timeout_stops_with_one_line(store: Store) -> None:
    """Issue 14: a query timeout in the store interface (SQLite progress handler, PostgreSQL
    statement_timeout)."""
    target = store.target
    store.close()
    endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"
    with open_store(target, readonly=True, timeout=0.2) as reader:
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="time limit"):
            reader.one(endless)
        assert time.monotonic() - started < 5
        assert reader.entity("Peskov") is not None  # the next query runs


@pytest.mark.parametrize(
    ("table", "order"),
    [
        ("articles a", NEWEST_ARTICLES),
        ("quotes q", NEWEST_QUOTES),
        ("events ev", NEWEST_EVENTS),
        ("stories", NEWEST_STORIES),
    ],
)
def test_newest_first_pages_read_an_index(store_target: str, table: str, order: tuple[str, str]) -> None:
    """A page deep into the store is an index range read, not a sort of the whole table (on
    PostgreSQL the planner is kept off sequential scans, which it would rightly pick on an empty
    table)."""
    with open_store(store_target) as store:
        if store.backend == "postgresql":
            store.execute("SET enable_seqscan = off")
            explain, column, sort = "EXPLAIN", 0, "Sort"
        else:
            explain, column, sort = "EXPLAIN QUERY PLAN", -1, "TEMP B-TREE"
        query = f"SELECT * FROM {table} WHERE ({order[0]}) < (?, ?) ORDER BY {order[1]} LIMIT 21"
        plan = " ".join(str(row[column]) for row in store.execute(f"{explain} {query}", ("2024-01-01", 5)))
    assert "_newest" in plan and sort not in plan


def test_newest_first_pages_put_undated_articles_last(store_target: str) -> None:
    dates = ["2024-03-02", None, "2024-03-02", "2023-12-31", None, "2024-05-01", "2024-03-02"]
    records = [
        make(f"a{i}", f"Article {i} says little of note.", published=date) for i, date in enumerate(dates)
    ]
    with open_store(store_target) as store:
        store.write([prepare(a, r) for a, r in records])
        walked = [hit.article for hit in _walk(lambda cursor: store.search(None, limit=2, cursor=cursor))]
        listed = _ids(store.search(None, limit=100))
    # newest first, ties by the later write, undated last
    assert walked == listed == ["a5", "a6", "a2", "a0", "a3", "a4", "a1"]


def test_quotes_page_with_cursors(store: Store) -> None:
    seen = [q.quote_id for q in _walk(lambda cursor: store.quotes(limit=2, cursor=cursor))]
    assert sorted(seen) == sorted(q.quote_id for q in store.quotes(limit=100).items)
    assert len(seen) == len(set(seen)) == 6


def test_events_page_newest_day_first_with_cursors(store_target: str) -> None:
    text = "Talks opened in Geneva. A rally followed in Bern. Envoys met again in Geneva."
    spans = ["Talks opened in Geneva", "A rally followed in Bern", "Envoys met again in Geneva"]
    # (the event's own date, the article's date): an event without a date takes its article's
    plan = [("2022-01-10", "2022-01-11"), (None, "2022-01-12"), ("2022-01-10", None), (None, None)]
    records = [
        make(
            f"a{i}",
            f"{text} ({i})",
            events=[
                event(text, span, type="CONSULT", label="talks", date=own, status="occurred")
                for span in spans
            ],
            published=published,
        )
        for i, (own, published) in enumerate(plan)
    ]
    with open_store(store_target) as store:
        store.write([prepare(a, r) for a, r in records])
        everything = store.events(limit=100).items
        walked = [e.event_id for e in _walk(lambda cursor: store.events(limit=5, cursor=cursor))]
        days = store.event_days()
        assert store.events(date_from="2022-01-11").items == [e for e in everything if e.article == "a1"]
    assert walked == [e.event_id for e in everything] and len(set(walked)) == 12
    order = [e.date or e.article_date or "" for e in everything]
    assert order == sorted(order, reverse=True) and order[-3:] == ["", "", ""]  # undated last
    assert [(d.date, d.count) for d in days] == [("2022-01-10", 6), ("2022-01-12", 3)]


def test_events_filters(store: Store) -> None:
    (talks,) = store.events(kind="consult").items
    assert talks.participants == ["Wendy Sherman", "Sergei Ryabkov"]
    assert talks.place is not None and talks.place.name == "Geneva" and talks.date == "2022-01-10"
    assert store.events(place="Geneva").items == [talks]
    assert store.events(place="ch").items == [talks]
    assert store.events(participant="Sherman").items == [talks]
    assert store.events(date_from="2022-01-11").items == []
    assert store.events(date_to="2022-01-10").items == [talks]


def test_entity_page(store: Store) -> None:
    page = store.entity("Dmitry S. Peskov")
    assert page is not None
    assert page.name == "Dmitry Peskov" and page.type == "PERSON"
    assert page.articles == 3 and page.quotes == 4
    assert set(page.aliases) == {
        "Dmitry Peskov",
        "Dmitry S. Peskov",
        "Kremlin spokesman Dmitry Peskov",
        "Peskov",  # a quote's speaker as written
    }
    (role,) = page.roles
    assert role.role == "Kremlin spokesman" and role.first == role.last == "2022-01-11"
    co = {c.name: c.articles for c in page.co_mentioned}
    assert co["Jens Stoltenberg"] == 2 and co["Geneva"] == 1
    assert "NATO" in co or "North Atlantic Treaty Organization" in co
    assert page.recent_quotes[0].date == "2022-01-12"
    assert store.entity("Nobody Known") is None
    assert store.actor(page.id) is not None and store.actor(page.id).name == "Dmitry Peskov"  # type: ignore[union-attr]
    json.dumps(page.model_dump(mode="json"))


def test_timeline(store: Store) -> None:
    data = store.timeline("Peskov")
    assert data is not None
    assert [d.date for d in data.days] == ["2022-01-11", "2022-01-12"]
    first, second = data.days
    assert first.roles == ["Kremlin spokesman"] and len(first.quotes) == 2
    assert len(second.articles) == 2
    sherman = store.timeline("Wendy Sherman")
    assert sherman is not None and sherman.days[0].events[0]["type"] == "CONSULT"


def test_stats(store: Store) -> None:
    data = store.stats()
    assert data.articles == 5 and data.errors == 0
    assert data.first_date == "2015-12-01" and data.last_date == "2022-03-01"
    assert data.duplicate_groups == 1 and data.articles_in_duplicate_groups == 2
    assert data.quotes == 6 and data.events == 1
    assert data.top_people[0].name == "Dmitry Peskov"
    assert data.passes_pending is False
    json.dumps(data.model_dump(mode="json"))


def test_lookups_by_id(store: Store) -> None:
    record = store.article("brussels")
    assert record is not None and record.record["id"] == "brussels"
    assert store.article(record.article_id) == record
    assert record.duplicate_group is not None
    assert set(record.actors.values()) >= {store.find_actors("Peskov")[0].id}
    assert store.article("nope") is None and store.actor(10**9) is None and store.story(10**9) is None
    (group,) = store.duplicate_groups()
    assert {a.article for a in group.articles} == {"brussels", "brussels-copy"}


def test_readonly_store_answers_queries_and_refuses_writes(store: Store) -> None:
    target = store.target
    store.close()
    with open_store(target, readonly=True) as reader:
        assert reader.entity("Peskov") is not None
        with pytest.raises(StoreError):
            reader.execute("DELETE FROM articles")


# ---------------------------------------------------------------------------------- storage faults


def _write_all(target: str) -> int:
    with open_store(target) as store:
        return store.write([prepare(a, r) for a, r in corpus()]).stored


def test_concurrent_writers_on_an_existing_store_store_each_article_once(store_target: str) -> None:
    """Issue 14 row: concurrent `ingest` runs on an existing store: every article stored once."""
    records = corpus()
    with open_store(store_target) as store:
        store.write([prepare(a, r) for a, r in records[:2]])
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        stored = pool.map(_write_all, [store_target] * 3)
    assert sum(stored) == len(records) - 2
    with open_store(store_target, readonly=True) as reader:
        assert reader.count("articles") == len(records)


def _hold_lock(target: str) -> Any:
    """Another writer holding the store's write lock (a raw connection, its transaction open)."""
    if target.startswith("postgresql://"):
        import psycopg

        other = psycopg.connect(target, autocommit=True)
        other.execute("BEGIN")
        other.execute("LOCK TABLE articles IN ACCESS EXCLUSIVE MODE")
        return other
    import sqlite3

    other = sqlite3.connect(target, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_lock_held_by_another_writer_is_one_line_and_loses_nothing(
    store_target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 row: another writer holding the lock over 10 s gave a traceback `database is
    locked`: the wait is bounded, then a StorageError; what was stored is kept."""
    from newsgraph.store import postgres, sqlite

    monkeypatch.setattr(sqlite, "BUSY_TIMEOUT_MS", 300)
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_S", 0.3)
    records = corpus()
    with open_store(store_target) as store:
        store.write([prepare(a, r) for a, r in records[:1]])
        other = _hold_lock(store_target)
        try:
            started = time.monotonic()
            with pytest.raises(StorageError, match="locked by another writer") as failure:
                store.write([prepare(a, r) for a, r in records[1:]])
            assert time.monotonic() - started < 10 and "\n" not in str(failure.value)
        finally:
            other.rollback() if store_target.startswith("postgresql://") else other.execute("ROLLBACK")
            other.close()
        assert store.count("articles") == 1
        assert store.write([prepare(a, r) for a, r in records[1:]]).stored == len(records) - 1
