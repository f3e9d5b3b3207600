"""What the store's queries return: typed records, the same from every backend.

Ids are consistent everywhere: ``article`` is an article's input id (what ``newsgraph analyze``
prints as ``id``) and ``article_id`` its number in the store; ``actor_id`` / ``id`` of an actor is
its corpus id (an id retired by a merge still finds the actor it went into). A page of results
carries ``next`` (an opaque cursor for the following page, or None at the end).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Actor",
    "ActorPage",
    "ArticleRecord",
    "ArticleRef",
    "CoMention",
    "DayCount",
    "DuplicateGroup",
    "ErrorRecord",
    "EventHit",
    "NameStat",
    "Page",
    "PlaceCount",
    "PlaceRef",
    "QuoteHit",
    "QuoteRef",
    "RoleSpan",
    "SearchHit",
    "SourceCount",
    "Stats",
    "Story",
    "Timeline",
    "TimelineDay",
    "WriteResult",
]

T = TypeVar("T")


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Page(_Result, Generic[T]):
    """One page of results and the cursor of the next (None: this is the last page)."""

    items: list[T]
    next: str | None = None


class Actor(_Result):
    """An actor of the corpus: one id for the same person or organisation across articles."""

    id: int
    name: str
    type: str
    aliases: list[str] = Field(default_factory=list)
    articles: int = 0
    mentions: int = 0
    quotes: int = 0
    first_date: str | None = None
    last_date: str | None = None


class RoleSpan(_Result):
    """A role an actor was given, and over which dates."""

    role: str
    first: str | None
    last: str | None
    articles: int


class CoMention(_Result):
    """An actor named in the same articles as another."""

    id: int
    name: str
    type: str
    articles: int


class QuoteRef(_Result):
    """A quote in short: its words, kind, date and article."""

    text: str
    kind: str
    date: str | None
    article: str


class ActorPage(Actor):
    """An actor with its roles over time, co-mentioned actors and latest quotes."""

    roles: list[RoleSpan] = Field(default_factory=list)
    co_mentioned: list[CoMention] = Field(default_factory=list)
    co_mentions_over: int = 0
    recent_quotes: list[QuoteRef] = Field(default_factory=list)
    other_matches: list[CoMention] = Field(default_factory=list)


class ArticleRef(_Result):
    """An article in short."""

    article: str
    article_id: int
    title: str | None = None
    source: str | None = None
    date: str | None = None


class TimelineDay(_Result):
    """What the corpus holds about an actor on one day."""

    date: str | None
    articles: list[ArticleRef] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    quotes: list[QuoteRef] = Field(default_factory=list)
    events: list[dict[str, str | None]] = Field(default_factory=list)


class Timeline(Actor):
    """An actor, day by day."""

    days: list[TimelineDay] = Field(default_factory=list)


class SearchHit(_Result):
    """An article matching a search, with a snippet (matched words in ``[...]``) and its score."""

    article: str
    article_id: int
    title: str
    date: str | None
    source: str | None
    url: str | None
    snippet: str
    score: float | None


class QuoteHit(_Result):
    """A stored quote with its speaker (the linked actor) and article."""

    quote_id: int
    speaker: str | None
    speaker_id: int | None
    speaker_as_written: str | None
    text: str
    kind: str
    cue: str | None
    date: str | None
    source: str | None
    article: str
    article_id: int
    title: str | None
    start: int
    end: int


class PlaceRef(_Result):
    """A place with its country and coordinates."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None


class PlaceCount(PlaceRef):
    """A place of the corpus (its name as written, geocoded) and how often it is named."""

    kind: str | None = None
    articles: int = 0
    events: int = 0


class DayCount(_Result):
    """How many of something a day holds (articles naming an actor, events)."""

    date: str
    count: int


class EventHit(_Result):
    """A stored event with its participants, parties, place, date and article."""

    event_id: int
    type: str
    label: str
    participants: list[str]
    parties: list[str]
    place: PlaceRef | None
    date: str | None
    date_text: str | None
    status: str
    article: str
    article_id: int
    article_date: str | None
    source: str | None


class SourceCount(_Result):
    """A publishing domain and how many articles it has in the corpus."""

    source: str
    articles: int


class StoryArticle(_Result):
    """An article of a story or a duplicate group."""

    article: str
    article_id: int
    source: str | None
    date: str | None
    title: str | None


class Story(_Result):
    """Articles about the same happening, across outlets."""

    story: int
    label: str
    articles: list[StoryArticle] = Field(default_factory=list)
    size: int = 0
    sources: int = 0
    first_date: str | None = None
    last_date: str | None = None


class DuplicateGroup(_Result):
    """Near-duplicate copies of one article."""

    group: int
    articles: list[StoryArticle]


class ErrorRecord(_Result):
    """An input that could not be stored, and why."""

    source: str
    reason: str
    at: str


class ArticleRecord(_Result):
    """A stored article: its store fields and its whole analysis (as ``newsgraph analyze`` prints it)."""

    article: str
    article_id: int
    hash: str
    date: str | None
    source: str | None
    url: str | None
    title: str | None
    duplicate_group: int | None
    story: int | None
    actors: dict[str, int]
    text: str = Field(default="", description="The article's text, as its offsets count it.")
    record: dict[str, object]


class Stats(_Result):
    """Counts over the whole corpus."""

    articles: int
    words: int
    errors: int
    first_date: str | None
    last_date: str | None
    undated: int
    sources: int
    actors: int
    actors_by_type: dict[str, int]
    names: int
    quotes: int
    quotes_attributed: int
    events: int
    places: int
    duplicate_groups: int
    articles_in_duplicate_groups: int
    stories: int
    articles_in_stories: int
    top_sources: list[SourceCount]
    top_people: list[CoMention]
    top_organizations: list[CoMention]
    largest_stories: list[Story]
    passes_pending: bool
    schema_version: int
    backend: str
    size_bytes: int | None


@dataclass(frozen=True)
class NameStat:
    """A distinct surface name of the corpus with how often and in which roles it is seen."""

    id: int
    type: str
    name: str
    mentions: int
    articles: int
    roles: frozenset[str]


@dataclass(frozen=True)
class WriteResult:
    """What one write did: articles stored now, and those already there."""

    stored: int
    skipped: int
