"""The engine interface, and the factory that builds an engine by name.

An engine maps one batch function over a stream of batches and yields each batch with its
result, or with the exception that stands for it (the function raised, or its worker died for
good). Batches are pulled lazily and only a bounded number are in flight, so memory stays flat
however long the stream. Engines are context managers; leaving the block (or :meth:`close`)
releases their workers.

Adapters: ``local`` (:class:`~newsgraph.engines.local.LocalEngine`, this process or a process
pool) and ``ray`` (:class:`~newsgraph.engines.ray.RayEngine`, Ray actors on a local Ray or on a
cluster; Ray is the optional extra ``newsgraph[ray]`` and is imported only when chosen).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

__all__ = ["ENGINES", "Engine", "EngineError", "make_engine"]

T = TypeVar("T")
R = TypeVar("R")

ENGINES = ("local", "ray")


class EngineError(ValueError):
    """An engine cannot be built as asked (unknown name, missing extra, bad option)."""


class Engine(Protocol[T, R]):
    """Runs a batch function over batches somewhere: this process, a pool, a cluster."""

    def map(self, fn: Callable[[T], R], batches: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(batch, fn(batch))`` for every batch, or ``(batch, exception)`` when it failed."""
        ...

    def close(self) -> None:
        """Release the workers; the engine may not be used after."""
        ...

    def __enter__(self) -> Engine[T, R]: ...

    def __exit__(self, *exc: object) -> None: ...


def make_engine(
    name: str,
    *,
    workers: int,
    initializer: Callable[..., object] | None = None,
    initargs: tuple[Any, ...] = (),
    address: str | None = None,
) -> Engine[Any, Any]:
    """The engine called ``name`` (one of :data:`ENGINES`) with ``workers`` workers.

    Each worker runs ``initializer(*initargs)`` once before its first batch. ``address`` is
    the Ray cluster to join (``"auto"``, ``"host:port"``, ``"ray://host:port"``); without it
    the ``ray`` engine starts a local Ray for the run. Raises :class:`EngineError` for an
    unknown name, for ``address`` with the local engine, and when Ray is not installed.
    """
    if name == "local":
        if address is not None:
            raise EngineError("--address is for the ray engine (--engine ray)")
        from newsgraph.engines.local import LocalEngine

        return LocalEngine(workers=workers, initializer=initializer, initargs=initargs)
    if name == "ray":
        try:
            import ray  # noqa: F401  (imported here, when chosen, never with this module)
        except ImportError as err:
            raise EngineError("ray engine needs the optional extra: pip install 'newsgraph[ray]'") from err
        from newsgraph.engines.ray import RayEngine

        return RayEngine(workers=workers, initializer=initializer, initargs=initargs, address=address)
    raise EngineError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
