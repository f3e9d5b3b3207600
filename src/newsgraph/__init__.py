"""newsgraph: news articles in, structured records out.

>>> import newsgraph
>>> record = newsgraph.analyze("Kremlin spokesman Dmitry Peskov said the talks would go on.")
>>> [(q.speaker, q.text) for q in record.quotes]
[('Dmitry Peskov', 'the talks would go on')]
"""

from newsgraph.models import Analysis, Article, Entity, Metadata, Place, Quote, ReadError
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
