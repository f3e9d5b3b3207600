"""newsgraph: news articles in, structured records out.

>>> import newsgraph
>>> record = newsgraph.analyze("Kremlin spokesman Dmitry Peskov said talks would go on.")
>>> record.entities[0].name
'Dmitry Peskov'
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
