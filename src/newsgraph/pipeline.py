"""The ordered stages of an analysis, and the public ``analyze`` / ``analyze_many``.

Stage order (each reads what the ones before it added to :class:`~newsgraph.extract.base.Found`):

1. read      inputs -> :class:`~newsgraph.models.Article` (``newsgraph.readers``)
2. repair    dirty text -> parse-ready text with an offset map (``newsgraph.repair``)
3. parse     spaCy, batched with ``nlp.pipe`` (``newsgraph.nlp``); a long article in pieces
             joined into one ``Doc``, and past a section's length analysed a section at a time
             and merged (``newsgraph.sections``)
4. entities  people, organisations, places, groups; canonical names; roles
5. quotes    direct, mixed and indirect speech with resolved speakers
6. dates     date expressions resolved against the publication date
7. places    geocoded places (country, coordinates)
8. events    what happened, with whom, where and when
9. tags      a ranked tag list for the TAGS line, and keyphrases
10. topics   IPTC Media Topics
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from newsgraph import nlp as nlp_module
from newsgraph.extract import dates, entities, events, places, quotes, tags, topics
from newsgraph.extract.base import Found
from newsgraph.models import Analysis, Article, Metadata, ReadError
from newsgraph.readers import normalize_date, parse_scraped
from newsgraph.repair import Repaired, repair
from newsgraph.sections import PIECE_CHARS, SECTION_CHARS, SectionResult, merge, section_article, split_text

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
    Stage(
        "tags", tags.extract, needs=("entities", "quotes", "places"), adds=("tags", "keyphrases", "subjects")
    ),
    Stage("topics", topics.extract, needs=("entities",), adds=("topics", "topic_evidence")),
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


def _run_stages(doc: Doc, article: Article, repaired: Repaired) -> Found:
    found = Found(article=article, repaired=repaired)
    for stage in STAGES:
        stage.run(doc, found)
    return found


def _analysis(article: Article, found: Found) -> Analysis:
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


def _analyze_doc(doc: Doc, article: Article, repaired: Repaired) -> Analysis:
    return _analysis(article, _run_stages(doc, article, repaired))


def _parse_in_pieces(nlp: Language, text: str, piece_chars: int) -> Doc:
    """One ``Doc`` of ``text``, parsed a piece at a time and joined (offsets into ``text``)."""
    pieces = [text[start:end] for start, end in split_text(text, piece_chars)]
    docs = list(nlp.pipe(pieces, batch_size=1))  # one piece at a time: memory bounded by the piece
    doc = Doc.from_docs(docs, ensure_whitespace=False) if len(docs) > 1 else docs[0]
    if doc.text != text:  # from_docs keeps each piece's text; a mismatch would shift every offset
        raise AnalysisError("the parsed pieces do not join back into the text")
    return doc


def _analyze_long(
    nlp: Language,
    article: Article,
    *,
    piece_chars: int,
    section_chars: int,
    progress: Callable[[Article, int, int], None] | None,
) -> Analysis:
    """Analyse an article longer than one parse: in pieces, and in sections past ``section_chars``."""
    spans = split_text(article.text, section_chars)
    results: list[SectionResult] = []
    for n, (start, end) in enumerate(spans):
        if progress is not None:
            progress(article, start, len(article.text))
        part = article if len(spans) == 1 else section_article(article, start, end)
        repaired = repair(part)
        doc = _parse_in_pieces(nlp, repaired.text, piece_chars) if repaired.text else nlp(repaired.text)
        found = _run_stages(doc, part, repaired)
        del doc
        if len(spans) == 1:
            return _analysis(article, found)
        results.append(
            SectionResult(
                start=start,
                analysis=_analysis(part, found),
                subjects=found.subjects,
                topic_evidence=found.topic_evidence,
            )
        )
        log.debug("%s: section %d of %d analysed", article.id, n + 1, len(spans))
    return merge(article, results)


def process(
    items: Iterable[Article | ReadError],
    *,
    nlp: Language | None = None,
    model: str | None = None,
    batch_size: int = 32,
    piece_chars: int = PIECE_CHARS,
    section_chars: int = SECTION_CHARS,
    progress: Callable[[Article, int, int], None] | None = None,
) -> Iterator[Analysis | ReadError]:
    """Analyse a stream of articles in batches; pass read errors through, add analysis errors.

    One result per item, in order, each as soon as it is ready. Articles of at most
    ``piece_chars`` characters are parsed in batches of ``batch_size``; a longer one is
    analysed on its own once the batch before it is out, parsed in pieces (and past
    ``section_chars``, analysed in sections: see :mod:`newsgraph.sections`), with
    ``progress(article, done_chars, total_chars)`` called as each section starts.
    The spaCy pipeline is loaded (once) when the first readable article arrives.
    """
    pending: list[Article | ReadError] = []
    for item in items:
        if isinstance(item, Article) and nlp is None:
            nlp = nlp_module.load(model)
        pieces = min(piece_chars, nlp.max_length) if nlp is not None else piece_chars
        if isinstance(item, Article) and nlp is not None and len(item.text) > pieces:
            yield from _process_batch(pending, nlp, batch_size)
            pending = []
            long = partial(
                _analyze_long, nlp, item, piece_chars=pieces, section_chars=section_chars, progress=progress
            )
            yield _guarded(item, long)
            continue
        pending.append(item)
        if len(pending) >= batch_size:
            yield from _process_batch(pending, nlp, batch_size)
            pending = []
    yield from _process_batch(pending, nlp, batch_size)


def _guarded(article: Article, run: Callable[[], Analysis]) -> Analysis | ReadError:
    try:
        return run()
    except Exception as err:  # one bad article never stops a batch
        log.debug("analysis of %s failed", article.id, exc_info=True)
        return ReadError(source=article.id, reason=f"analysis failed: {type(err).__name__}: {err}")


def _process_batch(
    chunk: list[Article | ReadError], nlp: Language | None, batch_size: int
) -> Iterator[Analysis | ReadError]:
    articles = [a for a in chunk if isinstance(a, Article)]
    repaired = [repair(a) for a in articles]
    docs = iter(nlp.pipe((r.text for r in repaired), batch_size=batch_size)) if nlp else iter(())
    fixes = iter(repaired)
    for item in chunk:
        if isinstance(item, ReadError):
            yield item
            continue
        doc, fixed = next(docs), next(fixes)
        yield _guarded(item, partial(_analyze_doc, doc, item, fixed))


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
