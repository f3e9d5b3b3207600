"""The Ray engine: a batch function over a stream of batches, on Ray actors.

``workers`` actors each run ``initializer`` once (e.g. load the spaCy model) and then take
batches; each actor has at most ``per_worker`` batches in flight (2: one running, one queued,
so an actor never waits on the driver), the stream is pulled lazily, and results come back as
they finish. With ``address`` (``"auto"``, ``"host:port"``, ``"ray://host:port"``), or else
``RAY_ADDRESS`` (set for a Ray job), the engine joins that cluster and at the end only
disconnects; otherwise it starts a local Ray for the run (one CPU per worker, a capped object
store, no dashboard) and shuts it down at :meth:`RayEngine.close`. When Ray is already
initialised in this process, the engine uses it as it is and leaves it running. Each actor
asks for one CPU, so the actors spread over a cluster's nodes. The actors' own output stays in
Ray's session logs (``/tmp/ray/session_latest/logs``), so the driver's stdout carries only data.

Failures: an exception raised by the batch function comes back as that batch's result and is
not retried. A batch whose actor died while running it (killed, out of memory, its node lost)
is sent again to a new actor, at most ``retries`` times, then comes back with Ray's error; the
batches only queued on that actor are sent again without spending a try, so a batch that kills
its worker fails alone. Every batch is yielded exactly once, and a dead actor is replaced, so
one crash never ends a run.

Ray is imported when the engine starts, not when this module is imported.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from newsgraph.engines.base import EngineError

__all__ = ["RayEngine"]

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_OBJECT_STORE_MB = 256


class _Worker:
    """The actor: runs the initializer once, then batches; the batch function's errors are values."""

    def __init__(self, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
        if initializer is not None:
            initializer(*initargs)

    def run(self, fn: Callable[[Any], Any], batch: Any) -> Any:
        try:
            return fn(batch)
        except Exception as err:  # the batch's own failure: returned, never retried
            return err

    def pid(self) -> int:
        return os.getpid()


@dataclass
class _Slot:
    """One worker place: its current actor (replaced when it dies) and its batches in flight."""

    actor: Any
    busy: int = 0


@dataclass
class _Task(Generic[T]):
    batch: T
    slot: _Slot
    actor: Any  # the actor it was sent to (the slot's may have been replaced since)
    tries: int  # times it was lost with a dying actor while running
    seq: int  # the order it was sent in


def _reachable(address: str, *, timeout: float = 5.0) -> None:
    """Raise ConnectionError fast when nothing listens at ``host:port`` (Ray itself retries for minutes)."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", "local": Ray finds (or fails to find) the cluster itself
    with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout):
        pass


class RayEngine(Generic[T, R]):
    """Runs ``fn(batch)`` over batches on ``workers`` Ray actors."""

    def __init__(
        self,
        *,
        workers: int = 1,
        initializer: Callable[..., object] | None = None,
        initargs: tuple[Any, ...] = (),
        address: str | None = None,
        per_worker: int = 2,
        retries: int = 2,
        object_store_mb: int = DEFAULT_OBJECT_STORE_MB,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if per_worker < 1 or retries < 0:
            raise ValueError("per_worker must be at least 1 and retries at least 0")
        self.workers = workers
        self.initializer = initializer
        self.initargs = initargs
        self.address = address
        self.per_worker = per_worker
        self.retries = retries
        self.object_store_mb = object_store_mb
        self._slots: list[_Slot] = []
        self._actor_class: Any = None
        self._connected = False  # this engine called ray.init, so it calls ray.shutdown
        self._closed = False

    def __enter__(self) -> RayEngine[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def in_flight(self) -> int:
        """The most batches sent and not yet yielded."""
        return self.workers * self.per_worker

    def close(self) -> None:
        """Stop the actors; shut down the local Ray this engine started (a cluster is left running)."""
        if self._closed:
            return
        self._closed = True
        if not self._slots and not self._connected:
            return
        import ray

        for slot in self._slots:
            ray.kill(slot.actor)
        self._slots = []
        if self._connected:
            ray.shutdown()
            self._connected = False

    def actor_pids(self) -> list[int]:
        """The process ids of the current actors (starting them if needed)."""
        import ray

        self._start()
        return [int(pid) for pid in ray.get([slot.actor.pid.remote() for slot in self._slots])]

    def _start(self) -> None:
        if self._closed:
            raise RuntimeError("the engine is closed")
        if self._slots:
            return
        import ray

        if not ray.is_initialized():
            address = self.address or os.environ.get("RAY_ADDRESS") or None
            try:
                if address is not None:
                    _reachable(address)
                if address is None:
                    ray.init(
                        address="local",
                        num_cpus=self.workers,
                        object_store_memory=self.object_store_mb * 1024 * 1024,
                        include_dashboard=False,
                        logging_level=logging.WARNING,
                        log_to_driver=False,
                    )
                else:
                    ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
            except Exception as err:  # no cluster there, a refused connection, a bad address
                where = "start a local Ray" if address is None else f"join the Ray cluster at {address!r}"
                raise EngineError(f"cannot {where}: {type(err).__name__}: {err}") from err
            self._connected = True
        cpus = ray.cluster_resources().get("CPU", 0)  # type: ignore[no-untyped-call]
        if cpus < self.workers:
            self.close()
            raise EngineError(f"the Ray cluster has {cpus:g} CPUs; {self.workers} workers need one each")
        self._slots = [_Slot(self._new_actor()) for _ in range(self.workers)]

    def _new_actor(self) -> Any:
        import ray

        if self._actor_class is None:
            self._actor_class = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(_Worker)
        return self._actor_class.remote(self.initializer, self.initargs)

    def map(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(batch, fn(batch))`` for every batch as it finishes, or ``(batch, exception)``."""
        source = iter(batches)
        try:
            first = next(source)
        except StopIteration:
            return
        self._start()  # no batch, no Ray and no model load
        import ray
        from ray.exceptions import RayActorError

        fn_ref = ray.put(fn)
        pending: dict[Any, _Task[T]] = {}  # ObjectRef -> what was sent
        queue: list[tuple[T, int]] = [(first, 0)]  # (batch, tries so far), waiting for an actor
        order = itertools.count()
        exhausted = False

        def send(batch: T, tries: int) -> None:
            slot = min(self._slots, key=lambda s: s.busy)
            slot.busy += 1
            pending[slot.actor.run.remote(fn_ref, batch)] = _Task(batch, slot, slot.actor, tries, next(order))

        def outcome(ref: Any) -> Any:
            task = pending.pop(ref)
            task.slot.busy -= 1
            try:
                return ray.get(ref)  # fn's result, or the exception fn raised
            except Exception as err:  # the actor died (RayActorError), or the result would not serialise
                return err

        try:
            while True:
                while len(pending) < self.in_flight:
                    if not queue and not exhausted:
                        try:
                            queue.append((next(source), 0))
                        except StopIteration:
                            exhausted = True
                    if not queue:
                        break
                    send(*queue.pop(0))
                if not pending:
                    return
                (ref,), _ = ray.wait(list(pending), num_returns=1)
                task = pending[ref]
                value = outcome(ref)
                if not isinstance(value, RayActorError):
                    yield task.batch, value
                    continue
                # Its actor died. An actor runs its batches in the order sent, so of the batches
                # sent to it and lost, the first was running: it alone spends a try; the others
                # were only queued there and go again as they were.
                dead = task.actor
                if task.slot.actor is dead:
                    ray.kill(dead)
                    task.slot.actor = self._new_actor()
                lost = [(task, value)]
                for other_ref, other in sorted(pending.items(), key=lambda item: item[1].seq):
                    if other.actor is dead:
                        other_value = outcome(other_ref)  # quick: the dead actor's calls fail at once
                        if isinstance(other_value, RayActorError):
                            lost.append((other, other_value))
                        else:
                            yield other.batch, other_value  # it finished before the death
                lost.sort(key=lambda item: item[0].seq)
                again = [(other.batch, other.tries) for other, _ in lost[1:]]
                running, error = lost[0]
                if running.tries < self.retries and not error.actor_init_failed:
                    again.insert(0, (running.batch, running.tries + 1))
                else:
                    yield running.batch, error
                queue[:0] = again
        finally:
            for ref in pending:  # the stream was left early: what is queued on the actors is dropped
                with contextlib.suppress(Exception):  # already finished, or its actor is gone
                    ray.cancel(ref)
