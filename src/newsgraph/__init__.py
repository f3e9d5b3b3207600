"""newsgraph: news articles in, structured records out.

>>> import newsgraph
>>> record = newsgraph.analyze("Kremlin spokesman Dmitry Peskov said the talks would go on.")
>>> [(q.speaker, q.text) for q in record.quotes]
[('Dmitry Peskov', 'the talks would go on')]

The top level is lazy (PEP 562): ``import newsgraph`` loads no NLP model; the pipeline (and
spaCy) load on first use of :func:`analyze` or :func:`analyze_many`, so the store, the CLI's
help and the exports start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgraph.models import Analysis, Article, Entity, Metadata, Place, Quote, ReadError

if TYPE_CHECKING:
    from newsgraph.pipeline import analyze, analyze_many

__all__ = [
    "Analysis",
    "Article",
    "Entity",
    "Metadata",
    "Place",
    "Quote",
    "ReadError",
    "analyze",
    "analyze_many",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    if name in ("analyze", "analyze_many"):
        from newsgraph import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")
