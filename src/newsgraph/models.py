"""Typed records of newsgraph: what readers produce and what the pipeline returns.

Every offset (``start``/``end``) is a Python string index into ``Article.text``, the text
exactly as it was given (for HTML, the extracted text the record carries).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ZoneKind = Literal["title", "caption", "subheading", "trailer"]
QuoteKind = Literal["direct", "mixed", "indirect"]
#: The event types newsgraph assigns: PLOVER categories, and OTHER where PLOVER has none.
EVENT_TYPES = (
    "CONSULT",
    "AGREE",
    "ACCUSE",
    "THREATEN",
    "REJECT",
    "REQUEST",
    "PROTEST",
    "SANCTION",
    "ASSAULT",
    "FIGHT",
    "MOBILIZE",
    "COERCE",
    "RETREAT",
    "AID",
    "OTHER",
)


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Metadata(_Record):
    """What an article says about itself, apart from its body."""

    url: str | None = None
    source: str | None = Field(default=None, description="The publishing domain, e.g. 'ansarpress.com'.")
    title: str | None = None
    published: str | None = Field(default=None, description="Publication date, ISO 8601 (YYYY-MM-DD).")
    caption: str | None = None
    photo_credit: str | None = None
    subheadings: list[str] = Field(default_factory=list)
    tags_in_source: list[str] = Field(default_factory=list)


class Zone(_Record):
    """A span of ``Article.text`` that is not body prose (caption, crosshead, trailer)."""

    kind: ZoneKind
    start: int
    end: int


class Article(_Record):
    """One input article: its text as given, its metadata and its non-body zones."""

    id: str
    text: str
    metadata: Metadata = Field(default_factory=Metadata)
    zones: list[Zone] = Field(default_factory=list)
    origin: str | None = Field(
        default=None, description="Where it was read when that is not its id: 'feed.jsonl:12'."
    )
    extracted: bool = Field(
        default=False, description="The text was extracted from markup (HTML): records carry it."
    )


class Mention(_Record):
    """One place in the text where something is named."""

    start: int
    end: int
    text: str


class Entity(_Record):
    """One actor of an article (person, organisation, place, group) with all its mentions."""

    id: str
    name: str = Field(description="Canonical full name, e.g. 'Dmitry Peskov'.")
    type: str = Field(description="spaCy label: PERSON, ORG, GPE, LOC, NORP, FAC, EVENT, ...")
    roles: list[str] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


class Quote(_Record):
    """A passage of speech and who said it."""

    text: str
    start: int
    end: int
    kind: QuoteKind
    speaker: str | None = Field(
        default=None, description="Canonical name of the speaker, or null when unknown."
    )
    speaker_id: str | None = None
    speaker_start: int | None = Field(default=None, description="Local speaker mention, e.g. 'he'.")
    speaker_end: int | None = None
    speaker_text: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    clause_start: int | None = Field(
        default=None, description="For mixed quotes: the reported clause around it."
    )
    clause_end: int | None = None


class Place(_Record):
    """A geocoded place and its mentions."""

    name: str
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2.")
    lat: float | None = None
    lon: float | None = None
    kind: str | None = Field(default=None, description="country, city, admin1, region, ...")
    entity_id: str | None = None
    mentions: list[Mention] = Field(default_factory=list)


class EventPlace(_Record):
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class Event(_Record):
    """Something that happened or is scheduled (filled by a later stage)."""

    type: str
    label: str
    participants: list[str] = Field(default_factory=list)
    parties: list[str] = Field(default_factory=list)
    place: EventPlace | None = None
    date: str | None = None
    date_text: str | None = None
    status: Literal["occurred", "scheduled", "reported"] = "reported"
    duration: str | None = None
    start: int
    end: int


class Topic(_Record):
    code: str
    label: str
    top_level: str
    score: float


class Analysis(_Record):
    """The structured record of one article: the output contract of DESIGN.md."""

    id: str
    text: str | None = Field(default=None, description="Carried when it differs from the input (HTML).")
    metadata: Metadata
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    places: list[Place] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    keyphrases: list[str] = Field(default_factory=list)
    topics: list[Topic] = Field(default_factory=list)


class ReadError(_Record):
    """An input that could not be read: which one, and why (one line)."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"
