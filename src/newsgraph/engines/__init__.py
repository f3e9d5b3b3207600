"""Engines: where the batch function runs.

- :class:`~newsgraph.engines.local.LocalEngine`: this process, or a pool of local processes.

An engine maps one batch function over a stream of batches and yields each batch with its
result (or the exception it raised), so the same ingest runs on a laptop or, with another
engine, on a cluster.
"""

from __future__ import annotations

from newsgraph.engines.local import LocalEngine

__all__ = ["LocalEngine"]
