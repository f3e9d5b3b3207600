"""The local engine: a batch function over a stream of batches, in this process or a process pool.

With one worker the function runs here, in order. With N workers it runs in N ``spawn``ed
processes (each runs ``initializer`` once, e.g. to load the spaCy model, and ignores Ctrl-C so
the parent decides); at most ``2 * N`` batches are in flight, so memory stays flat however long
the stream, and results come back as they finish (or in order with ``ordered=True``). A batch
whose worker raised, or died, comes back with the exception instead of a result, and the pool
is rebuilt, so one bad batch never ends a run.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Generic, TypeVar

__all__ = ["LocalEngine"]

T = TypeVar("T")
R = TypeVar("R")


def _worker_init(initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


class LocalEngine(Generic[T, R]):
    """Runs ``fn(batch)`` over batches with ``workers`` processes (1: in this process)."""

    def __init__(
        self,
        *,
        workers: int = 1,
        initializer: Callable[..., object] | None = None,
        initargs: tuple[Any, ...] = (),
        in_flight: int | None = None,
        ordered: bool = False,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        self.workers = workers
        self.initializer = initializer
        self.initargs = initargs
        self.in_flight = in_flight or 2 * workers
        self.ordered = ordered
        self._pool: ProcessPoolExecutor | None = None
        self._initialized = False

    def __enter__(self) -> LocalEngine[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes (pending batches are cancelled)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _new_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
                initargs=(self.initializer, self.initargs),
            )
        return self._pool

    def map(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(batch, fn(batch))`` for every batch, or ``(batch, exception)`` when it failed."""
        if self.workers == 1:
            yield from self._map_here(fn, batches)
        else:
            yield from self._map_pool(fn, batches)

    def _map_here(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        for batch in batches:
            if not self._initialized and self.initializer is not None:
                self.initializer(*self.initargs)  # at the first batch: no batch, no model load
            self._initialized = True
            try:
                result: R | BaseException = fn(batch)
            except Exception as err:  # one bad batch never ends a run
                result = err
            yield batch, result

    def _map_pool(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        source = iter(batches)
        pending: deque[tuple[Future[R], T]] = deque()
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < self.in_flight:
                    try:
                        batch = next(source)
                    except StopIteration:
                        exhausted = True
                        break
                    pending.append((self._new_pool().submit(fn, batch), batch))
                if not pending:
                    return
                if self.ordered:
                    done_futures = {pending[0][0]}
                    wait(done_futures)
                else:
                    done_futures, _ = wait([f for f, _ in pending], return_when=FIRST_COMPLETED)
                broken = False
                for future, batch in [p for p in pending if p[0] in done_futures]:
                    pending.remove((future, batch))
                    error = future.exception()
                    if isinstance(error, BrokenProcessPool):
                        broken = True
                    yield batch, (future.result() if error is None else error)
                if broken:  # every batch in flight is lost with the pool; report them, start anew
                    while pending:
                        future, batch = pending.popleft()
                        error = future.exception() if future.done() else None
                        yield (
                            batch,
                            (
                                future.result()
                                if future.done() and error is None
                                else error or BrokenProcessPool("a worker process died")
                            ),
                        )
                    if self._pool is not None:
                        self._pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = None
        finally:
            for future, _ in pending:
                future.cancel()
