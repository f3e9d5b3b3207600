"""The incremental corpus passes, on each backend: what they find matches a full run, old actor ids
redirect, passes of another version run again (no model: hand-built records)."""

from __future__ import annotations

import pytest

from conftest import fresh_postgres
from corpus_records import build_store, corpus, make
from newsgraph.corpus.passes import run_passes
from newsgraph.store import open_store, prepare


def test_a_merged_actor_keeps_its_old_id(store_target: str) -> None:
    """An actor id retired by a merge redirects to the actor it went into."""
    first, first_analysis = make(
        "a",
        "Peskov spoke.",
        entities=[("Peskov", "PERSON", ["Kremlin spokesman"], ["Peskov"])],
        published="2022-01-01",
    )
    with build_store(store_target, [(first, first_analysis)]) as store:
        (old,) = store.find_actors("Peskov")
        second, second_analysis = make(
            "b",
            "Dmitry Peskov said more. Peskov went on.",
            entities=[("Dmitry Peskov", "PERSON", [], ["Dmitry Peskov", "Peskov"])],
            published="2022-01-02",
        )
        store.write([prepare(second, second_analysis)])
        run_passes(store)
        (new,) = store.find_actors("Peskov")
        assert new.name == "Dmitry Peskov" and new.articles == 2
        moved = store.actor(old.id)
        assert moved is not None and moved.id == new.id


def test_incremental_passes_find_what_a_full_run_finds(
    store_target: str, request: pytest.FixtureRequest
) -> None:
    """Articles stored one at a time, with the passes after each, end as when stored at once."""
    records = corpus()
    with build_store(store_target, records) as whole:
        expected = (whole.stats(), sorted(sorted(a.aliases) for a in whole.top_actors(limit=50)))
    if store_target.startswith("postgresql://"):
        target = fresh_postgres(request.getfixturevalue("postgres_server"))
    else:
        target = store_target.replace("corpus.db", "one-by-one.db")
    with open_store(target) as store:
        for article, analysis in records:
            store.write([prepare(article, analysis)])
            run_passes(store)
        got = (store.stats(), sorted(sorted(a.aliases) for a in store.top_actors(limit=50)))
    assert got[1] == expected[1]
    for field in ("actors", "duplicate_groups", "articles_in_duplicate_groups", "names", "stories"):
        assert getattr(got[0], field) == getattr(expected[0], field), field


def test_passes_of_another_version_run_again_over_the_whole_store(store_target: str) -> None:
    with build_store(store_target) as store:
        before = store.stats()
        store.set_meta("passes_version", "0")  # as a store built by an older newsgraph
        assert store.dirty is False
        report = run_passes(store)
        assert report.ran and store.get_meta("passes_version") != "0"
        assert (report.duplicate_groups, report.duplicates) == (1, 2)
        after = store.stats()
        assert (after.actors, after.duplicate_groups, after.stories) == (
            before.actors,
            before.duplicate_groups,
            before.stories,
        )
        assert after.top_people[0].name == "Dmitry Peskov" and after.top_people[0].articles == 3
