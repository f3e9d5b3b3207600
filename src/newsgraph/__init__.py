"""newsgraph: news articles in, structured records out.

>>> import newsgraph
>>> record = newsgraph.analyze("Kremlin spokesman Dmitry Peskov said the talks would go on.")
>>> [(q.speaker, q.text) for q in record.quotes]
[('Dmitry Peskov', 'the talks would go on')]

The top level is lazy (PEP 562): ``import newsgraph`` loads no NLP model; the pipeline (and
spaCy) load on first use of :func:`analyze` or :func:`analyze_many`, and the records
(:mod:`newsgraph.models`) on first use, so the store, the CLI's help, the exports and the spaCy
component's registration (which spaCy imports whenever it builds any pipeline) start fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsgraph.models import Analysis, Article, Entity, Metadata, Place, Quote, ReadError
    from newsgraph.pipeline import analyze, analyze_many

_MODELS = ("Analysis", "Article", "Entity", "Metadata", "Place", "Quote", "ReadError")

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
    if name in _MODELS:
        from newsgraph import models

        return getattr(models, name)
    raise AttributeError(f"module 'newsgraph' has no attribute {name!r}")
