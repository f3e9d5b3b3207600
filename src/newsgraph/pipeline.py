"""The ordered stages of an analysis, and the public ``analyze`` / ``analyze_many``.

Stage order (each reads what the ones before it added to :class:`~newsgraph.extract.base.Found`):

1. read      inputs -> :class:`~newsgraph.models.Article` (``newsgraph.readers``)
2. repair    dirty text -> parse-ready text with an offset map (``newsgraph.repair``)
3. parse     spaCy, batched with ``nlp.pipe`` (``newsgraph.nlp``)
4. entities  people, organisations, places, groups; canonical names; roles
5. quotes    direct, mixed and indirect speech with resolved speakers
6. dates     date expressions resolved against the publication date
7. places    geocoded places (country, coordinates)
8. events    what happened, with whom, where and when
9. tags      a ranked tag list for the TAGS line, and keyphrases
10. topics   IPTC Media Topics
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph import nlp as nlp_module
from newsgraph.extract import dates, entities, events, places, quotes, tags, topics
from newsgraph.extract.base import Found
from newsgraph.models import Analysis, Article, Metadata, ReadError
from newsgraph.readers import normalize_date, parse_scraped
from newsgraph.repair import repair

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    """One extractor: its function, the ``Found`` fields it needs and those it adds."""

    name: str
    run: Callable[[Doc, Found], object]
    needs: tuple[str, ...]
    adds: tuple[str, ...]


STAGES: tuple[Stage, ...] = (
    Stage("entities", entities.extract, needs=(), adds=("entities",)),
    Stage("quotes", quotes.extract, needs=("entities",), adds=("quotes",)),
    Stage("dates", dates.extract, needs=(), adds=("dates",)),
    Stage("places", places.extract, needs=("entities",), adds=("places",)),
    Stage("events", events.extract, needs=("entities", "quotes", "dates", "places"), adds=("events",)),
    Stage("tags", tags.extract, needs=("entities", "quotes", "places"), adds=("tags", "keyphrases")),
    Stage("topics", topics.extract, needs=("entities",), adds=("topics",)),
)


def check_stages(stages: Iterable[Stage] = STAGES) -> None:
    """Raise ``ValueError`` when a stage needs a field that no earlier stage adds."""
    available: set[str] = set()
    for stage in stages:
        missing = set(stage.needs) - available
        if missing:
            raise ValueError(f"stage {stage.name!r} needs {sorted(missing)}, which no earlier stage adds")
        available.update(stage.adds)


check_stages()


class AnalysisError(RuntimeError):
    """An article could not be analysed (the message names it and says why)."""


def to_article(item: Article | str | dict[str, Any], *, index: int = 0) -> Article:
    """Coerce a text, a JSONL-style dict or an ``Article`` into an ``Article``."""
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return parse_scraped(item, id=str(index))
    text = item.get("text")
    if not isinstance(text, str):
        raise AnalysisError(f"item {index}: no 'text' string")
    meta = Metadata(
        url=item.get("url"),
        title=item.get("title"),
        published=normalize_date(str(item["published"])) if item.get("published") else None,
    )
    return parse_scraped(text, id=str(item.get("id", index)), metadata=meta)


def _analyze_doc(doc: Doc, article: Article, repaired: Any) -> Analysis:
    found = Found(article=article, repaired=repaired)
    for stage in STAGES:
        stage.run(doc, found)
    return Analysis(
        id=article.id,
        text=article.text if article.extracted else None,
        metadata=article.metadata,
        entities=found.entities,
        quotes=found.quotes,
        events=found.events,
        places=found.places,
        tags=found.tags,
        keyphrases=found.keyphrases,
        topics=found.topics,
    )


def _too_long(item: Article | ReadError, limit: int) -> ReadError | None:
    """A one-line error for an article longer than the parser takes (spaCy's ``max_length``)."""
    if isinstance(item, Article) and len(item.text) > limit:
        return ReadError(
            source=item.origin or item.id,
            reason=f"article too long to parse ({len(item.text):,} characters; the parser takes {limit:,})",
        )
    return None


def process(
    items: Iterable[Article | ReadError],
    *,
    nlp: Language | None = None,
    model: str | None = None,
    batch_size: int = 32,
) -> Iterator[Analysis | ReadError]:
    """Analyse a stream of articles in batches; pass read errors through, add analysis errors.

    The spaCy pipeline is loaded (once) when the first readable article arrives.
    """
    iterator = iter(items)
    while True:
        chunk = list(itertools.islice(iterator, batch_size))
        if not chunk:
            return
        if any(isinstance(a, Article) for a in chunk) and nlp is None:
            nlp = nlp_module.load(model)
        if nlp is not None:  # an article past the parser's limit fails alone, not the whole batch
            chunk = [_too_long(item, nlp.max_length) or item for item in chunk]
        articles = [a for a in chunk if isinstance(a, Article)]
        repaired = [repair(a) for a in articles]
        docs = iter(nlp.pipe((r.text for r in repaired), batch_size=batch_size)) if nlp else iter(())
        fixes = iter(repaired)
        for item in chunk:
            if isinstance(item, ReadError):
                yield item
                continue
            doc, fixed = next(docs), next(fixes)
            try:
                yield _analyze_doc(doc, item, fixed)
            except Exception as err:  # one bad article never stops a batch
                log.debug("analysis of %s failed", item.id, exc_info=True)
                yield ReadError(source=item.id, reason=f"analysis failed: {type(err).__name__}: {err}")


def analyze_many(
    items: Iterable[Article | str | dict[str, Any]],
    *,
    model: str | None = None,
    batch_size: int = 32,
) -> Iterator[Analysis]:
    """Analyse many articles (texts, dicts with ``text`` and metadata, or ``Article``s), in order.

    Raises :class:`AnalysisError` for an article that cannot be analysed.
    """
    articles = (to_article(item, index=i) for i, item in enumerate(items))
    for result in process(articles, model=model, batch_size=batch_size):
        if isinstance(result, ReadError):
            raise AnalysisError(str(result))
        yield result


def analyze(text: str, *, model: str | None = None, **meta: Any) -> Analysis:
    """Analyse one article's text; ``meta`` may give id, url, title, published."""
    item = {"text": text, **meta}
    return next(analyze_many([item], model=model))
