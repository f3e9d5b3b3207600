"""Tests of the Ray engine on a real local Ray (one ``ray.init`` for the module, shut down at its end).

The batch functions live in this module; Ray's workers cannot import a test module, so it is
registered to be pickled by value.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from newsgraph.engines import EngineError, LocalEngine, make_engine  # noqa: E402
from newsgraph.engines.ray import RayEngine  # noqa: E402

ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])

OBJECT_STORE = 200 * 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def local_ray() -> Iterator[None]:
    """A local Ray of two CPUs for the module; the engines find it initialised and leave it running."""
    saved = {key: os.environ.get(key) for key in ("RAY_AUTH_MODE", "RAY_ADDRESS")}
    os.environ["RAY_AUTH_MODE"] = "disabled"
    os.environ.pop("RAY_ADDRESS", None)
    ray.init(address="local", num_cpus=2, object_store_memory=OBJECT_STORE, include_dashboard=False)
    try:
        yield
    finally:
        ray.shutdown()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def total(batch: list[int]) -> int:
    """Sums the batch; raises for a negative number (the batch's own failure)."""
    if any(n < 0 for n in batch):
        raise ValueError(f"negative: {batch}")
    return sum(batch)


def note_call(folder: str, batch: list[int]) -> int:
    """Sums the batch and leaves one file per call, so a test can count the calls."""
    Path(folder, f"call-{'_'.join(map(str, batch))}-{time.monotonic_ns()}").touch()
    return total(batch)


def die_first_time(folder: str, batch: list[int]) -> int:
    """On [-1], kills its own worker the first time (a marker file remembers), then succeeds."""
    if batch == [-1]:
        marker = Path(folder, "killed")
        if not marker.exists():
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return -1
    return sum(batch)


def die_always(folder: str, batch: list[int]) -> int:
    """On [-1], leaves a file and kills its own worker, every time."""
    if batch == [-1]:
        Path(folder, f"attempt-{time.monotonic_ns()}").touch()
        os.kill(os.getpid(), signal.SIGKILL)
    return sum(batch)


def wait_for_one(folder: str, batch: list[int]) -> int:
    """[0] finishes only after [1] has (on another actor); [1] leaves a file when it is done."""
    if batch == [0]:
        deadline = time.monotonic() + 60
        while not Path(folder, "one-done").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    if batch == [1]:
        Path(folder, "one-done").touch()
    return sum(batch)


def note_pid(folder: str) -> None:
    Path(folder, f"init-{os.getpid()}").touch()


BATCHES = [[1, 2], [3], [4, 5, 6], [], [7], [8, 9], [10]]


def test_same_results_as_the_local_engine() -> None:
    with LocalEngine[list[int], int](workers=1) as local:
        expected = sorted((tuple(b), r) for b, r in local.map(total, BATCHES))
    with RayEngine[list[int], int](workers=2) as engine:
        results = list(engine.map(total, BATCHES))
    assert sorted((tuple(b), r) for b, r in results) == expected
    assert ray.is_initialized()  # the engine did not start this Ray, so it leaves it running


def test_a_failing_batch_comes_back_with_its_exception_once(tmp_path: Path) -> None:
    batches = [[1], [-2], [3], [4]]
    with RayEngine[list[int], int](workers=2) as engine:
        results = dict((tuple(b), r) for b, r in engine.map(partial(note_call, str(tmp_path)), batches))
    assert len(results) == 4
    error = results[(-2,)]
    assert isinstance(error, ValueError) and str(error) == "negative: [-2]"
    assert results[(1,)] == 1 and results[(3,)] == 3 and results[(4,)] == 4
    assert len(list(tmp_path.glob("call--2-*"))) == 1  # the function's own error is not retried


def test_the_initializer_runs_once_per_actor(tmp_path: Path) -> None:
    with RayEngine[list[int], int](workers=2, initializer=note_pid, initargs=(str(tmp_path),)) as engine:
        assert len(list(engine.map(total, [[i] for i in range(12)]))) == 12
        pids = engine.actor_pids()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"init-{pid}" for pid in pids)


def test_a_killed_actor_s_batch_is_retried_on_a_new_actor(tmp_path: Path) -> None:
    batches = [[1], [2], [-1], [3], [4], [5], [6]]
    with RayEngine[list[int], int](workers=2) as engine:
        before = set(engine.actor_pids())
        results = list(engine.map(partial(die_first_time, str(tmp_path)), batches))
        after = set(engine.actor_pids())
    assert (tmp_path / "killed").exists()
    assert sorted(tuple(b) for b, _ in results) == sorted(tuple(b) for b in batches)  # each once
    assert all(r == sum(b) for b, r in results)  # none lost, none failed
    assert len(before & after) == 1  # one actor was replaced


def test_a_batch_that_keeps_killing_its_actor_fails_after_the_retries(tmp_path: Path) -> None:
    batches = [[1], [-1], [2], [3]]
    with RayEngine[list[int], int](workers=2, retries=1) as engine:
        results = dict((tuple(b), r) for b, r in engine.map(partial(die_always, str(tmp_path)), batches))
        assert engine.map(total, [[5]]).__next__() == ([5], 5)  # the engine still works
    assert isinstance(results.pop((-1,)), ray.exceptions.RayActorError)
    assert results == {(1,): 1, (2,): 2, (3,): 3}
    assert len(list(tmp_path.glob("attempt-*"))) == 2  # the first try and one retry


def test_a_batch_queued_behind_a_killer_spends_no_try(tmp_path: Path) -> None:
    batches = [[-1], [2], [3]]  # one actor, two in flight: [2] waits behind [-1] on it
    with RayEngine[list[int], int](workers=1, per_worker=2, retries=0) as engine:
        results = dict((tuple(b), r) for b, r in engine.map(partial(die_always, str(tmp_path)), batches))
    assert isinstance(results.pop((-1,)), ray.exceptions.RayActorError)
    assert results == {(2,): 2, (3,): 3}
    assert len(list(tmp_path.glob("attempt-*"))) == 1


def test_results_come_as_they_finish(tmp_path: Path) -> None:
    with RayEngine[list[int], int](workers=2) as engine:
        fn = partial(wait_for_one, str(tmp_path))
        order = [b[0] for b, _ in engine.map(fn, [[0], [1], [2], [3]])]
    assert sorted(order) == [0, 1, 2, 3]
    assert order.index(1) < order.index(0)  # the first batch sent does not hold the others back


def test_batches_are_pulled_lazily() -> None:
    pulled = 0

    def endless() -> Iterator[list[int]]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield [i]

    with RayEngine[list[int], int](workers=2, per_worker=2) as engine:
        results = engine.map(total, endless())
        first = [next(results) for _ in range(6)]
        results.close()
    assert [r for _, r in first] == [b[0] for b, _ in first]
    assert pulled <= 6 + engine.in_flight


def test_no_batch_no_actor() -> None:
    with RayEngine[list[int], int](workers=2) as engine:
        assert list(engine.map(total, [])) == []
        assert engine._slots == []


def test_options_are_checked() -> None:
    with pytest.raises(ValueError):
        RayEngine[list[int], int](workers=0)
    with pytest.raises(EngineError, match="--address is for the ray engine"):
        make_engine("local", workers=1, address="auto")
    with pytest.raises(EngineError, match="unknown engine"):
        make_engine("spark", workers=1)
    engine = make_engine("ray", workers=3)  # more workers than the Ray's CPUs
    with pytest.raises(EngineError, match="2 CPUs; 3 workers"):
        next(engine.map(total, [[1]]))
    assert isinstance(make_engine("ray", workers=1), RayEngine)


ARTICLES = {
    "geneva.txt": (
        "Talks resume in Geneva\n\n"
        "GENEVA, March 3 (Reuters) - Russian and American diplomats met in Geneva on Monday. "
        '"We made some progress," said Deputy Foreign Minister Sergei Ryabkov after the meeting. '
        "US Deputy Secretary of State Wendy Sherman said the talks would continue next week.\n"
    ),
    "flood.txt": (
        "Floods close schools in Dhaka\n\n"
        "Heavy rain flooded parts of Dhaka on Tuesday, and the city closed 40 schools. "
        'Mayor Atiqul Islam told reporters that "the water will be gone by Friday." '
        "The Bangladesh Meteorological Department expects more rain.\n"
    ),
    "strike.txt": (
        "Rail workers strike in France\n\n"
        "Rail workers in France went on strike on Thursday over pensions. "
        "Laurent Berger, head of the CFDT union, said the government had not listened. "
        'Prime Minister Elisabeth Borne called the strike "unjustified" in Paris.\n'
    ),
    "match.txt": (
        "Kenya wins in Nairobi\n\n"
        "Kenya beat Uganda 2-1 in Nairobi on Saturday. "
        '"The boys played with heart," coach Engin Firat said after the game.\n'
    ),
}


def _stored(db: Path) -> dict[str, dict[str, object]]:
    from newsgraph.store import open_store

    with open_store(db) as store:
        records = {
            item.analysis.id: {
                "hash": item.hash,
                "minhash": store.signatures_of([item.article_id])[item.article_id][0].hex(),
                "analysis": item.analysis.model_dump(mode="json"),
                "entities": [e.model_dump(mode="json") for e in item.analysis.entities],
                "quotes": [q.model_dump(mode="json") for q in item.analysis.quotes],
                "events": [e.model_dump(mode="json") for e in item.analysis.events],
            }
            for item in store.articles()
        }
        assert not store.errors()
    return records


@pytest.mark.slow
def test_ingest_on_ray_stores_what_the_local_engine_stores(tmp_path: Path) -> None:
    from newsgraph.corpus.ingest import ingest
    from newsgraph.store import open_store

    inputs = tmp_path / "in"
    inputs.mkdir()
    for name, text in ARTICLES.items():
        (inputs / name).write_text(text, encoding="utf-8")
    stores = {}
    for engine, workers in (("local", 1), ("ray", 2)):  # local: in this process, the reference
        db = tmp_path / f"{engine}.db"
        with open_store(db) as store:
            report = ingest([str(inputs)], store=store, engine=engine, workers=workers, batch_size=1)
        assert (report.stored, report.failed) == (len(ARTICLES), 0)
        stores[engine] = _stored(db)
    assert len(stores["ray"]) == len(ARTICLES)
    assert stores["ray"] == stores["local"]
    assert any(record["quotes"] for record in stores["ray"].values())
    assert any(record["entities"] for record in stores["ray"].values())
