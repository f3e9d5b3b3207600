"""What extractors share: the article being analysed and what earlier stages found."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from newsgraph.models import Article, Entity, Event, Mention, Place, Quote, Topic
from newsgraph.repair import Repaired


@dataclass(frozen=True)
class DateMention:
    """A date or time expression of the text, resolved to a calendar date when it can be.

    ``start``/``end`` index the parsed (repaired) text, like spaCy's ``token.idx``; ``date`` is
    None when it cannot be resolved (no publication date to anchor "on Monday"), else
    ``YYYY-MM-DD`` for a day (and for a week: its Monday), ``YYYY-MM`` for a month, ``YYYY``
    for a year, as ``granularity`` says (day, week, month or year).
    """

    start: int
    end: int
    text: str
    date: str | None
    granularity: str = "day"


@dataclass
class Found:
    """One article's analysis in progress: each stage reads earlier fields and fills its own."""

    article: Article
    repaired: Repaired
    entities: list[Entity] = field(default_factory=list)
    #: doc token index -> id of the entity whose mention covers it
    token_entity: dict[int, str] = field(default_factory=dict)
    #: doc token indices of each entity's mentions, in text order
    entity_tokens: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    quotes: list[Quote] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    keyphrases: list[str] = field(default_factory=list)
    #: subject phrases of the TAGS line ("security guarantees"), best first
    subjects: list[str] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    #: IPTC topic code -> the evidence ``topics.classify`` ranked (it adds up over a text's parts)
    topic_evidence: dict[str, float] = field(default_factory=dict)

    def entity(self, entity_id: str | None) -> Entity | None:
        """The entity with this id, if any."""
        if entity_id is None:
            return None
        return next((e for e in self.entities if e.id == entity_id), None)

    def offsets(self, start_char: int, end_char: int) -> tuple[int, int]:
        """Map a character span of the parsed (repaired) text to the input text."""
        return self.repaired.span(start_char, end_char)

    def mention(self, span: Span | Doc) -> Mention:
        """The input-text mention of a span of the parsed doc."""
        if isinstance(span, Doc):
            span = span[:]
        start, end = self.offsets(span.start_char, span.end_char)
        return Mention(start=start, end=end, text=self.article.text[start:end])

    def zone_of(self, char: int) -> str | None:
        """Kind of the zone (caption, subheading, title, trailer) holding an input offset."""
        return next((z.kind for z in self.article.zones if z.start <= char < z.end), None)
