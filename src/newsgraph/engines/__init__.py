"""Engines: where the batch function runs.

- :class:`~newsgraph.engines.local.LocalEngine` (``local``): this process, or a pool of local processes;
- :class:`~newsgraph.engines.ray.RayEngine` (``ray``): Ray actors, on a local Ray or a cluster
  (the optional extra ``newsgraph[ray]``; Ray is imported only when this engine starts).

An engine maps one batch function over a stream of batches and yields each batch with its
result (or the exception it raised), so the same ingest runs on a laptop or, with another
engine, on a cluster. :func:`make_engine` builds one by name; :class:`Engine` is the interface.
"""

from __future__ import annotations

from newsgraph.engines.base import ENGINES, Engine, EngineError, make_engine
from newsgraph.engines.local import LocalEngine

__all__ = ["ENGINES", "Engine", "EngineError", "LocalEngine", "make_engine"]
