"""The web pages: server-rendered (Jinja2) views of the store's queries, each with twins.

Every page is a *view*: a function from the store and the URL's parameters to a pydantic
record of what the page shows. :func:`page` registers it three times: ``PATH`` renders the
template, ``PATH.json`` returns the record itself (as datasette does), ``PATH.csv`` the page's
table. So the page, its JSON and its CSV can never disagree, and filters live in the URL.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from pydantic import BaseModel, Field

from newsgraph.models import Analysis
from newsgraph.store import Store
from newsgraph.store.records import (
    ActorPage,
    ArticleRecord,
    CoMention,
    DayCount,
    DuplicateGroup,
    EventHit,
    Page,
    PlaceCount,
    QuoteHit,
    SearchHit,
    Stats,
    Story,
    StoryArticle,
)
from newsgraph.web.api import (
    AnalyzeRequest,
    Country,
    Cursor,
    DateFrom,
    DateTo,
    EventType,
    Id,
    Kind,
    Name,
    QueryId,
    Text,
    analyze_text,
    check_query,
    store_of,
)
from newsgraph.web.app import HERE, MAX_BODY, Cache
from newsgraph.web.markup import blocks, entity_class, snippet_pieces

__all__ = ["analyze_router", "page", "render_error", "router"]

router = APIRouter(include_in_schema=False)
analyze_router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25

env = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

Table = Callable[[Any], tuple[list[str], Iterable[Sequence[Any]]]]


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL a page may link to; None for anything else."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _with(request: Request, **changes: Any) -> str:
    """This page's URL with some query parameters changed (None removes one)."""
    params = dict(request.query_params)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = str(value)
    query = urlencode(params)
    return request.url.path + (f"?{query}" if query else "")


def _twin(request: Request, suffix: str) -> str:
    query = request.url.query
    return request.url.path + suffix + (f"?{query}" if query else "")


def _points(places: Iterable[Any]) -> str:
    """Map points as JSON for a ``figure.ng-map``'s ``data-points`` (escaped by the template)."""
    points = []
    for place in places:
        item = place if isinstance(place, dict) else place.model_dump()
        lat, lon, name = item.get("lat"), item.get("lon"), str(item.get("name") or "")
        if lat is None or lon is None:
            continue
        count = item.get("events") or item.get("articles") or 0
        points.append(
            {
                "lat": round(float(lat), 4),
                "lon": round(float(lon), 4),
                "label": name + (f" ({count})" if count else ""),
                "href": "/events?" + urlencode({"place": name}),
            }
        )
    return json.dumps(points)


def _series(days: Sequence[DayCount], label: str) -> str:
    """A chart's data for a ``figure.ng-chart``'s ``data-series``."""
    return json.dumps(
        {"x": [d.date for d in days], "series": [{"label": label, "values": [d.count for d in days]}]}
    )


env.globals.update(
    web_url=web_url,
    entity_class=entity_class,
    snippet_pieces=snippet_pieces,
    points=_points,
    series=_series,
    urlencode=urlencode,
)


def _csv_cell(value: Any) -> Any:
    """A cell as a spreadsheet will not run it: text starting = + - @ gets a leading quote."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _respond(request: Request, fmt: str, template: str, view: BaseModel, table: Table | None) -> Response:
    if fmt == "json":
        return JSONResponse(view.model_dump(mode="json"))
    if fmt == "csv" and table is not None:
        header, rows = table(view)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows([_csv_cell(v) for v in row] for row in rows)
        name = request.url.path.rsplit("/", 1)[-1] or "newsgraph.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    html = env.get_template(template).render(
        request=request,
        v=view,
        analyze=bool(request.app.state.analyze),
        with_=lambda **changes: _with(request, **changes),
        json_url=_twin(request, ".json"),
        csv_url=_twin(request, ".csv") if table is not None else None,
    )
    return HTMLResponse(html)


def render_error(request: Request, status: int, message: str) -> Response:
    """An error page (the message escaped like any text)."""
    html = env.get_template("error.html").render(
        request=request, status=status, message=message, analyze=bool(request.app.state.analyze)
    )
    return HTMLResponse(html, status_code=status)


def page(
    path: str, template: str, *, table: Table | None = None, on: APIRouter = router
) -> Callable[[Callable[..., BaseModel]], Callable[..., BaseModel]]:
    """Register a view at ``path`` (HTML), ``path.json`` and, with a ``table``, ``path.csv``.

    The view's first parameter is the store; a ``cache`` parameter, if it has one, gets the app's
    :class:`~newsgraph.web.app.Cache`; the others are the URL's parameters, declared as for any
    FastAPI route.
    """

    def register(view: Callable[..., BaseModel]) -> Callable[..., BaseModel]:
        signature = inspect.signature(view)
        params = [p for name, p in signature.parameters.items() if name not in ("store", "cache")]
        wants_cache = "cache" in signature.parameters
        request_param = inspect.Parameter(
            "request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request
        )
        exposed = signature.replace(parameters=[request_param, *params], return_annotation=Response)
        formats = [("", "html"), (".json", "json")] + ([(".csv", "csv")] if table else [])
        for suffix, fmt in formats:

            def endpoint(request: Request, _fmt: str = fmt, **kwargs: Any) -> Response:
                if wants_cache:
                    kwargs["cache"] = request.app.state.cache
                return _respond(request, _fmt, template, view(store_of(request), **kwargs), table)

            endpoint.__signature__ = exposed  # type: ignore[attr-defined]
            endpoint.__name__ = f"{view.__name__}_{fmt}"
            on.add_api_route(path + suffix, endpoint, methods=["GET"], response_class=Response)
        return view

    return register


def _filters(**values: Any) -> dict[str, str]:
    """The filters a page was asked for, by their URL names (``date_from`` is ``from``)."""
    names = {"date_from": "from", "date_to": "to"}
    return {names.get(k, k): str(v) for k, v in values.items() if v not in (None, "")}


# ---------------------------------------------------------------------------------- home


class HomeView(BaseModel):
    """The corpus at a glance."""

    stats: Stats
    days: int
    people: list[CoMention]
    organizations: list[CoMention]
    places: list[CoMention]
    stories: list[Story]


def _home_table(v: HomeView) -> tuple[list[str], Iterable[Sequence[Any]]]:
    rows = [(a.type, a.id, a.name, a.articles) for a in [*v.people, *v.organizations, *v.places]]
    return ["type", "actor_id", "name", "articles"], rows


@page("/", "home.html", table=_home_table)
def home(store: Store, cache: Cache) -> HomeView:
    """Corpus size, dates, sources, the most named actors of the latest days, latest stories
    (counted at most a minute ago)."""
    days = 7

    def compute() -> HomeView:
        return HomeView(
            stats=store.stats(),
            days=days,
            people=store.recent_actors(types=("PERSON",), days=days),
            organizations=store.recent_actors(types=("ORG",), days=days),
            places=store.recent_actors(types=("GPE", "LOC"), days=days),
            stories=store.story_page(limit=8).items,
        )

    home_view: HomeView = cache.get("home", compute)
    return home_view


# ---------------------------------------------------------------------------------- search


class SearchView(BaseModel):
    """Articles matching the search, best first."""

    filters: dict[str, str]
    page: Page[SearchHit]


def _search_table(v: SearchView) -> tuple[list[str], Iterable[Sequence[Any]]]:
    header = ["article_id", "article", "title", "date", "source", "url", "score", "snippet"]
    rows = [
        (h.article_id, h.article, h.title, h.date, h.source, h.url, h.score, h.snippet) for h in v.page.items
    ]
    return header, rows


@page("/search", "search.html", table=_search_table)
def search(
    store: Store,
    q: Text = None,
    source: Name = None,
    actor: Name = None,
    place: Name = None,
    topic: Name = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    cursor: Cursor = None,
) -> SearchView:
    """Full text with highlighted snippets; filters by source, dates, actor, place, topic."""
    filters = _filters(
        q=q, source=source, actor=actor, place=place, topic=topic, date_from=date_from, date_to=date_to
    )
    results = store.search(
        check_query(q),
        source=source,
        actor=actor,
        place=place,
        topic=topic,
        date_from=date_from,
        date_to=date_to,
        limit=PAGE_SIZE,
        cursor=cursor,
    )
    return SearchView(filters=filters, page=results)


# ---------------------------------------------------------------------------------- article


class ArticleView(BaseModel):
    """One article: its text and analysis, its copies elsewhere and its story."""

    article: ArticleRecord
    copies: list[StoryArticle] = Field(default_factory=list)
    story: Story | None = None


def _article_table(v: ArticleView) -> tuple[list[str], Iterable[Sequence[Any]]]:
    rows = []
    entities: Any = v.article.record.get("entities", [])
    for entity in entities:
        rows.append(
            (
                entity["type"],
                entity["name"],
                v.article.actors.get(entity["id"]),
                entity.get("roles", []),
                len(entity.get("mentions", [])),
            )
        )
    return ["type", "name", "actor_id", "roles", "mentions"], rows


@page("/articles/{article_id:int}", "article.html", table=_article_table)
def article(store: Store, article_id: Id) -> ArticleView:
    """The text with actors and quotes marked; people, events, places, tags, topics, copies, story."""
    record = store.article(article_id)
    if record is None:
        raise HTTPException(404, "no article with that id")
    story = store.story(record.story) if record.story is not None else None
    return ArticleView(article=record, copies=store.copies_of(article_id), story=story)


def _article_context(view: ArticleView) -> dict[str, Any]:
    record = view.article.record
    return {"blocks": blocks(view.article.text, record, view.article.actors)}


env.globals["article_blocks"] = lambda view: _article_context(view)["blocks"]


# ---------------------------------------------------------------------------------- actor


class ActorView(BaseModel):
    """An actor: names, roles over time, mentions per day, quotes by and about them, events."""

    actor: ActorPage
    filters: dict[str, str]
    days: list[DayCount]
    quotes: Page[QuoteHit]
    quotes_about: list[QuoteHit]
    events: list[EventHit]
    places: list[PlaceCount]


def _quote_rows(quotes: Iterable[QuoteHit]) -> Iterable[Sequence[Any]]:
    for h in quotes:
        yield (
            h.quote_id,
            h.date,
            h.speaker,
            h.speaker_id,
            h.kind,
            h.cue,
            h.text,
            h.source,
            h.article_id,
            h.article,
            h.start,
            h.end,
        )


QUOTE_HEADER = [
    "quote_id",
    "date",
    "speaker",
    "speaker_id",
    "kind",
    "cue",
    "text",
    "source",
    "article_id",
    "article",
    "start",
    "end",
]


@page(
    "/actors/{actor_id:int}",
    "actor.html",
    table=lambda v: (QUOTE_HEADER, _quote_rows(v.quotes.items)),
)
def actor(
    store: Store,
    actor_id: Id,
    q: Text = None,
    kind: Kind = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    cursor: Cursor = None,
) -> ActorView:
    """An actor's page; ``q``, ``kind``, ``from``, ``to`` filter the quotes by them."""
    found = store.actor(actor_id)
    if found is None:
        raise HTTPException(404, "no actor with that id")
    filters = _filters(q=q, kind=kind, date_from=date_from, date_to=date_to)
    quotes = store.quotes(
        actor=found,
        about=check_query(q),
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        limit=PAGE_SIZE,
        cursor=cursor,
    )
    about = store.quotes(about=f'"{found.name}"', limit=10).items if found.name.strip() else []
    about = [h for h in about if h.speaker_id != found.id]
    is_place = found.type in ("GPE", "LOC", "FAC")
    events = (
        store.events(place=found.name, limit=20)
        if is_place
        else store.events(participant=found.name, limit=20)
    )
    places = store.places(name=found.name, limit=5).items if is_place else []
    return ActorView(
        actor=store.actor_page(found, limit=15),
        filters=filters,
        days=store.actor_days(found.id),
        quotes=quotes,
        quotes_about=about,
        events=events.items,
        places=places,
    )


# ---------------------------------------------------------------------------------- quotes


class QuotesView(BaseModel):
    """Quotes matching the filters, the newest first."""

    filters: dict[str, str]
    speaker: CoMention | None = None
    page: Page[QuoteHit]


@page("/quotes", "quotes.html", table=lambda v: (QUOTE_HEADER, _quote_rows(v.page.items)))
def quotes(
    store: Store,
    speaker: Name = None,
    speaker_id: QueryId = None,
    q: Text = None,
    kind: Kind = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    cursor: Cursor = None,
) -> QuotesView:
    """Quotes by speaker (a whole name or an actor id), words, kind and date range."""
    who = store.actor(speaker_id) if speaker_id is not None else None
    if speaker_id is not None and who is None:
        raise HTTPException(404, "no actor with that id")
    filters = _filters(
        speaker=speaker, speaker_id=speaker_id, q=q, kind=kind, date_from=date_from, date_to=date_to
    )
    results = store.quotes(
        speaker=speaker if speaker and speaker.strip() else None,
        actor=who,
        about=check_query(q),
        kind=kind,
        date_from=date_from,
        date_to=date_to,
        limit=PAGE_SIZE,
        cursor=cursor,
    )
    shown = None if who is None else CoMention(id=who.id, name=who.name, type=who.type, articles=who.articles)
    return QuotesView(filters=filters, speaker=shown, page=results)


# ---------------------------------------------------------------------------------- events


class EventsView(BaseModel):
    """Events matching the filters: a page of them, their places and their days."""

    filters: dict[str, str]
    page: Page[EventHit]
    places: list[PlaceCount]
    days: list[DayCount]


def _events_table(v: EventsView) -> tuple[list[str], Iterable[Sequence[Any]]]:
    header = ["event_id", "type", "label", "date", "status", "place", "country", "lat", "lon"]
    header += ["participants", "parties", "article_id", "source"]
    rows = [
        (
            e.event_id,
            e.type,
            e.label,
            e.date,
            e.status,
            e.place.name if e.place else None,
            e.place.country if e.place else None,
            e.place.lat if e.place else None,
            e.place.lon if e.place else None,
            e.participants,
            e.parties,
            e.article_id,
            e.source,
        )
        for e in v.page.items
    ]
    return header, rows


@page("/events", "events.html", table=_events_table)
def events(
    store: Store,
    cache: Cache,
    type: EventType = None,
    place: Name = None,
    actor: Name = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    cursor: Cursor = None,
) -> EventsView:
    """Events by type, place, actor (a participant) and date: a table, a map and a timeline."""
    filters = _filters(type=type, place=place, actor=actor, date_from=date_from, date_to=date_to)
    query: dict[str, Any] = {
        "kind": type,
        "place": place,
        "participant": actor,
        "date_from": date_from,
        "date_to": date_to,
    }
    key = "events " + json.dumps(query, sort_keys=True)
    return EventsView(
        filters=filters,
        page=store.events(**query, limit=PAGE_SIZE * 2, cursor=cursor),
        places=cache.get("places of " + key, lambda: store.event_places(**query)),
        days=cache.get("days of " + key, lambda: store.event_days(**query)),
    )


# ---------------------------------------------------------------------------------- places, stories


class PlacesView(BaseModel):
    """Places named in the corpus, the most named first."""

    filters: dict[str, str]
    page: Page[PlaceCount]


@page(
    "/places",
    "places.html",
    table=lambda v: (
        ["name", "country", "lat", "lon", "kind", "articles"],
        [(p.name, p.country, p.lat, p.lon, p.kind, p.articles) for p in v.page.items],
    ),
)
def places(
    store: Store,
    cache: Cache,
    name: Name = None,
    country: Country = None,
    cursor: Cursor = None,
) -> PlacesView:
    """Places as named in the articles, with a map."""
    return PlacesView(
        filters=_filters(name=name, country=country),
        page=cache.get(
            "places " + json.dumps([name, country, cursor]),
            lambda: store.places(name=name, country=country, limit=100, cursor=cursor),
        ),
    )


class StoriesView(BaseModel):
    """Stories, the latest first."""

    page: Page[Story]


def _story_rows(stories: Iterable[Story]) -> Iterable[Sequence[Any]]:
    for s in stories:
        for a in s.articles:
            yield (
                s.story,
                s.label,
                s.first_date,
                s.last_date,
                a.article_id,
                a.article,
                a.source,
                a.date,
                a.title,
            )


STORY_HEADER = [
    "story",
    "label",
    "first_date",
    "last_date",
    "article_id",
    "article",
    "source",
    "date",
    "title",
]


@page("/stories", "stories.html", table=lambda v: (STORY_HEADER, _story_rows(v.page.items)))
def stories(store: Store, cursor: Cursor = None) -> StoriesView:
    """Clusters of articles on one story: their articles, sources, first and last dates."""
    return StoriesView(page=store.story_page(limit=PAGE_SIZE, cursor=cursor))


class StoryView(BaseModel):
    """One story."""

    story: Story


@page("/stories/{story_id:int}", "story.html", table=lambda v: (STORY_HEADER, _story_rows([v.story])))
def story(store: Store, story_id: Id) -> StoryView:
    """A story with its articles."""
    found = store.story(story_id)
    if found is None:
        raise HTTPException(404, "no story with that id")
    return StoryView(story=found)


class DuplicatesView(BaseModel):
    """Groups of near-identical articles."""

    page: Page[DuplicateGroup]


@page(
    "/duplicates",
    "duplicates.html",
    table=lambda v: (
        ["group", "article_id", "article", "source", "date", "title"],
        [
            (g.group, a.article_id, a.article, a.source, a.date, a.title)
            for g in v.page.items
            for a in g.articles
        ],
    ),
)
def duplicates(store: Store, cursor: Cursor = None) -> DuplicatesView:
    """Near-duplicate groups (syndicated copies), the newest first."""
    return DuplicatesView(page=store.duplicate_page(limit=PAGE_SIZE, cursor=cursor))


# ---------------------------------------------------------------------------------- docs


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> Response:
    """The API's interactive documentation (Swagger UI, served from this app)."""
    html = env.get_template("docs.html").render(request=request, analyze=bool(request.app.state.analyze))
    return HTMLResponse(html)


# ---------------------------------------------------------------------------------- analyze


@analyze_router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request) -> Response:
    """A form to paste or upload an article."""
    html = env.get_template("analyze.html").render(request=request, analyze=True, limit=MAX_BODY)
    return HTMLResponse(html)


@analyze_router.post("/analyze", response_class=HTMLResponse)
def analyze_page(
    request: Request,
    text: Annotated[str, Form(max_length=MAX_BODY)] = "",
    title: Annotated[str, Form(max_length=1000)] = "",
    url: Annotated[str, Form(max_length=2000)] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The pasted or uploaded article, analysed and marked up like a stored one (not stored)."""
    if upload is not None and upload.filename:
        data = upload.file.read(MAX_BODY + 1)
        if len(data) > MAX_BODY:
            raise HTTPException(413, f"the file is over {MAX_BODY} bytes")
        text = data.decode("utf-8", errors="replace")
    if not text.strip():
        raise HTTPException(400, "paste an article or choose a file")
    analysis: Analysis = analyze_text(AnalyzeRequest(text=text, title=title or None, url=url or None))
    record = analysis.model_dump(mode="json")
    shown_text = analysis.text if analysis.text is not None else text
    view = ArticleView(
        article=ArticleRecord(
            article=analysis.id,
            article_id=0,
            hash="",
            date=analysis.metadata.published,
            source=analysis.metadata.source,
            url=analysis.metadata.url,
            title=analysis.metadata.title,
            duplicate_group=None,
            story=None,
            actors={},
            text=shown_text,
            record=record,
        )
    )
    return _respond(request, "html", "article.html", view, None)
