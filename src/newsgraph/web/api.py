"""The HTTP API under ``/api/``: the store's typed queries as JSON, paged by opaque cursors.

Every route is a GET that reads (``POST /api/analyze`` analyses without storing, and exists only
with ``newsgraph serve --analyze``). Responses are the store's pydantic records, so the OpenAPI
document at ``/openapi.json`` describes exactly what comes back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from pydantic import BaseModel, Field

from newsgraph.models import Analysis
from newsgraph.store import Store, parse_query
from newsgraph.store.base import MAX_QUERY_CHARS
from newsgraph.store.records import (
    Actor,
    ActorPage,
    ArticleRecord,
    DayCount,
    DuplicateGroup,
    EventHit,
    Page,
    PlaceCount,
    QuoteHit,
    SearchHit,
    Stats,
    Story,
)

__all__ = ["AnalyzeRequest", "analyze_router", "analyze_text", "check_query", "router", "store_of"]

T = TypeVar("T")

DATE = r"^(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"  # empty: no bound (an empty form field)

#: Words, a name, a source: bounded so that no request can make the store work for long.
Text = Annotated[str | None, Query(max_length=MAX_QUERY_CHARS)]
Name = Annotated[str | None, Query(max_length=200)]
DateFrom = Annotated[str | None, Query(alias="from", pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")]
DateTo = Annotated[str | None, Query(alias="to", pattern=DATE, description="YYYY, YYYY-MM or YYYY-MM-DD")]
#: A store id: a 64-bit integer (larger ones cannot exist, and the database refuses them).
MAX_ID = 2**62
Id = Annotated[int, Path(ge=0, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=0, le=MAX_ID)]
Limit = Annotated[int, Query(ge=1, le=200)]
Country = Annotated[str | None, Query(pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2")]
Cursor = Annotated[str | None, Query(max_length=200, description="`next` of the previous page")]
Kind = Annotated[
    str | None, Query(pattern=r"^(direct|mixed|indirect)?$", description="direct, mixed or indirect")
]

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "A malformed query or cursor (the message says why)"},
    404: {"description": "Nothing with that id"},
    503: {"description": "The query ran too long, or the store failed (the message says which)"},
}

router = APIRouter(prefix="/api", tags=["corpus"], responses=ERRORS)
analyze_router = APIRouter(prefix="/api", tags=["analyze"])


def store_of(request: Request) -> Store:
    """The request's store: this worker thread's read-only connection."""
    store: Store = request.app.state.stores.get()
    return store


def cached(request: Request, key: str, compute: Callable[[], T]) -> T:
    """A corpus-wide answer from the app's short-lived cache (see :class:`~newsgraph.web.app.Cache`)."""
    value: T = request.app.state.cache.get(key, compute)
    return value


def check_query(text: str | None) -> str | None:
    """A search query as given, or a 400 when it holds no word to search for ("-", "NOT", "*")."""
    if text is None or not text.strip():
        return None
    if not parse_query(text):
        raise HTTPException(400, "the query has no word to search for (only operators or exclusions)")
    return text


def _found(item: Any, what: str) -> Any:
    if item is None:
        raise HTTPException(404, f"no {what} with that id")
    return item


@router.get("/stats", response_model=Stats, summary="Counts over the whole corpus")
def stats(request: Request) -> Stats:
    """Articles, words, actors, quotes, events, places, stories, sources, the largest ones
    (counted at most a minute ago)."""
    return cached(request, "stats", store_of(request).stats)


@router.get("/search", response_model=Page[SearchHit], summary="Full-text search over articles")
def search(
    request: Request,
    q: Text = None,
    person: Name = None,
    organization: Name = None,
    actor: Name = None,
    place: Name = None,
    source: Name = None,
    topic: Name = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Page[SearchHit]:
    """Articles matching ``q`` (``"phrases"``, ``OR``, ``-word``/``NOT word``, ``prefix*``), best
    first, with a snippet (matches in ``[brackets]``); without ``q``, the newest first."""
    return store_of(request).search(
        check_query(q),
        person=person,
        organization=organization,
        actor=actor,
        place=place,
        source=source,
        topic=topic,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        cursor=cursor,
    )


@router.get("/articles", response_model=Page[SearchHit], summary="Articles, the newest first")
def articles(
    request: Request,
    source: Name = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = 20,
    cursor: Cursor = None,
) -> Page[SearchHit]:
    """Stored articles, the newest first, optionally from one source or date range."""
    return store_of(request).search(
        None, source=source, date_from=date_from, date_to=date_to, limit=limit, cursor=cursor
    )


@router.get("/articles/{article_id}", response_model=ArticleRecord, summary="One article, analysed")
def article(request: Request, article_id: Id) -> ArticleRecord:
    """An article by its number in the store: its text, metadata and whole analysis."""
    record: ArticleRecord = _found(store_of(request).article(article_id), "article")
    return record


@router.get("/actors", response_model=Page[Actor], summary="Actors, the most mentioned first")
def actors(
    request: Request,
    name: Name = None,
    type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]{0,20}$")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Actor]:
    """People, organisations and places across articles; ``name`` finds those a name may mean
    (a whole name: "John" does not find Johnson)."""
    return store_of(request).actors(name=name, type=type, limit=limit, cursor=cursor)


@router.get("/actors/{actor_id}", response_model=ActorPage, summary="One actor's page")
def actor(request: Request, actor_id: Id) -> ActorPage:
    """An actor: names as written, roles over time, co-mentioned actors, latest quotes."""
    store = store_of(request)
    found: Actor = _found(store.actor(actor_id), "actor")
    return store.actor_page(found)


@router.get("/actors/{actor_id}/days", response_model=list[DayCount], summary="Mentions per day")
def actor_days(request: Request, actor_id: Id) -> list[DayCount]:
    """How many articles name the actor, per day."""
    store = store_of(request)
    _found(store.actor(actor_id), "actor")
    return store.actor_days(actor_id)


@router.get("/quotes", response_model=Page[QuoteHit], summary="Quotes, the newest first")
def quotes(
    request: Request,
    speaker: Name = None,
    speaker_id: QueryId = None,
    q: Text = None,
    kind: Kind = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[QuoteHit]:
    """Quotes by a speaker (a whole name, or an actor id), with words (``q``), of a kind
    (direct, mixed, indirect), in a date range; each with its article and offsets."""
    if speaker is not None and not speaker.strip():
        raise HTTPException(400, "an empty speaker name")
    store = store_of(request)
    who = None
    if speaker_id is not None:
        who = _found(store.actor(speaker_id), "actor")
    return store.quotes(
        speaker=speaker,
        actor=who,
        about=check_query(q),
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        limit=limit,
        cursor=cursor,
    )


EventType = Annotated[str | None, Query(pattern=r"^[A-Za-z_]{0,30}$", description="PLOVER type or OTHER")]


def event_filters(
    type: EventType = None,
    place: Name = None,
    participant: Name = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
) -> dict[str, Any]:
    """The events routes' filters, as :meth:`~newsgraph.store.base.Store.events` takes them."""
    return {
        "kind": type,
        "place": place,
        "participant": participant,
        "date_from": date_from,
        "date_to": date_to,
    }


EventFilters = Annotated[dict[str, Any], Depends(event_filters)]


@router.get("/events", response_model=Page[EventHit], summary="Events, the latest first")
def events(
    request: Request, filters: EventFilters, limit: Limit = 50, cursor: Cursor = None
) -> Page[EventHit]:
    """Events of a type (PLOVER, e.g. PROTEST, or OTHER), at a place (or country code), with a
    participant, in a date range (their own date, else their article's)."""
    return store_of(request).events(**filters, limit=limit, cursor=cursor)


@router.get("/events/places", response_model=list[PlaceCount], summary="Where the events took place")
def event_places(request: Request, filters: EventFilters) -> list[PlaceCount]:
    """The geocoded places of the matching events, the busiest first (for a map)."""
    return store_of(request).event_places(**filters)


@router.get("/events/days", response_model=list[DayCount], summary="Events per day")
def event_days(request: Request, filters: EventFilters) -> list[DayCount]:
    """How many matching events each day holds (for a timeline)."""
    return store_of(request).event_days(**filters)


@router.get("/places", response_model=Page[PlaceCount], summary="Places named in the corpus")
def places(
    request: Request,
    name: Name = None,
    country: Country = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[PlaceCount]:
    """Places as named in the articles, geocoded, the most named first."""
    return store_of(request).places(name=name, country=country, limit=limit, cursor=cursor)


@router.get("/stories", response_model=Page[Story], summary="Stories, the latest first")
def stories(request: Request, limit: Limit = 20, cursor: Cursor = None) -> Page[Story]:
    """Clusters of articles on the same story, across outlets, with their articles."""
    return store_of(request).story_page(limit=limit, cursor=cursor)


@router.get("/stories/{story_id}", response_model=Story, summary="One story")
def story(request: Request, story_id: Id) -> Story:
    """A story with its articles, sources, first and last dates."""
    found: Story = _found(store_of(request).story(story_id), "story")
    return found


@router.get("/duplicates", response_model=Page[DuplicateGroup], summary="Near-duplicate groups")
def duplicates(request: Request, limit: Limit = 20, cursor: Cursor = None) -> Page[DuplicateGroup]:
    """Groups of near-identical articles (syndicated copies), the newest groups first."""
    return store_of(request).duplicate_page(limit=limit, cursor=cursor)


# ---------------------------------------------------------------------------------- analyze


class AnalyzeRequest(BaseModel):
    """An article to analyse: its text (plain text or HTML) and what is known about it."""

    text: str = Field(min_length=1, max_length=1_000_000)
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    published: str | None = Field(default=None, pattern=DATE)


_ANALYZE_LOCK = threading.Lock()


def analyze_text(request: AnalyzeRequest) -> Analysis:
    """Analyse one article in this process (the model loads on the first call); nothing is stored.

    Plain text is read as a scraped article (title, dateline, trailer), HTML through its
    extractor, as ``newsgraph analyze`` reads them. An article that cannot be analysed is a 422.
    """
    from newsgraph.pipeline import process
    from newsgraph.readers import read_record

    kind = "html" if request.text.lstrip().startswith("<") else "text"  # as stdin is read
    fields = {kind: request.text, "title": request.title, "url": request.url, "published": request.published}
    item = read_record(fields, where="pasted")
    with _ANALYZE_LOCK:  # one model, one article at a time: bounded memory
        result = next(iter(process([item])))
    if not isinstance(result, Analysis):
        raise HTTPException(422, f"cannot analyse the article: {result.reason}")
    return result


@analyze_router.post(
    "/analyze",
    response_model=Analysis,
    summary="Analyse an article without storing it",
    responses={413: {"description": "Body over 1 MiB"}, 422: {"description": "Not an article"}},
)
def analyze_endpoint(body: AnalyzeRequest) -> Analysis:
    """The record ``newsgraph analyze`` would print for this article; the store is not touched."""
    return analyze_text(body)
