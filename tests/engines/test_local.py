"""Tests of the local engine: in-process and process-pool runs, failures, bounded in-flight work."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from newsgraph.engines.local import LocalEngine

CALLS: list[str] = []


def remember(name: str) -> None:
    CALLS.append(name)


def exit_on_minus_one(batch: list[int]) -> int:
    """Kills its worker process on [-1] (a crash the pool cannot catch), else sums."""
    if batch == [-1]:
        os._exit(3)
    return sum(batch)


BATCHES = [[1, 2], [3], [4, 5, 6], [], [7]]


def test_one_worker_runs_here_in_order() -> None:
    CALLS.clear()
    with LocalEngine[list[int], int](workers=1, initializer=remember, initargs=("init",)) as engine:
        assert list(engine.map(sum, BATCHES)) == [(b, sum(b)) for b in BATCHES]
        assert list(engine.map(sum, [[8]])) == [([8], 8)]
    assert CALLS == ["init"]  # the initializer (model load) runs once


def test_one_worker_reports_a_failing_batch_and_goes_on() -> None:
    engine: LocalEngine[list[int], int] = LocalEngine(workers=1)
    results = list(engine.map(max, [[1], [], [2]]))
    assert results[0] == ([1], 1) and results[2] == ([2], 2)
    assert isinstance(results[1][1], ValueError)


def test_a_pool_returns_every_batch_once() -> None:
    batches = [[i, i + 1] for i in range(20)]
    with LocalEngine[list[int], int](workers=2) as engine:
        results = list(engine.map(sum, batches))
    assert sorted(map(tuple, (b for b, _ in results))) == sorted(map(tuple, batches))
    assert all(result == sum(batch) for batch, result in results)


def test_a_pool_in_order() -> None:
    batches = [[i] for i in range(12)]
    with LocalEngine[list[int], int](workers=2, ordered=True) as engine:
        assert [r for _, r in engine.map(sum, batches)] == list(range(12))


def test_a_dead_worker_fails_its_batch_and_the_run_goes_on() -> None:
    batches = [[1], [2], [-1], [3], [4], [5], [6]]
    with LocalEngine[list[int], int](workers=2) as engine:
        results = list(engine.map(exit_on_minus_one, batches))
    assert len(results) == len(batches)
    failed = [b for b, r in results if isinstance(r, BaseException)]
    assert [-1] in failed
    done = {b[0]: r for b, r in results if not isinstance(r, BaseException)}
    assert all(done[k] == k for k in done)
    assert len(done) >= 3  # batches after the crash still ran, in a new pool


def test_batches_are_pulled_lazily() -> None:
    pulled = 0

    def endless() -> Iterator[list[int]]:
        nonlocal pulled
        for i in itertools.count():
            pulled += 1
            yield [i]

    with LocalEngine[list[int], int](workers=2, in_flight=3) as engine:
        results = engine.map(sum, endless())
        first = [next(results) for _ in range(5)]
        results.close()
    assert len(first) == 5
    assert pulled <= 5 + 3


def test_workers_must_be_positive() -> None:
    with pytest.raises(ValueError):
        LocalEngine[list[int], int](workers=0)
