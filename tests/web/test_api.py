"""The HTTP API in-process: typed answers, stable paging, 400 for malformed input, never a write."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from newsgraph.store.base import encode_cursor
from newsgraph.web.app import CSP, create_app


def get(client: Any, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    return response.json()


def test_stats(client: TestClient) -> None:
    stats = get(client, "/api/stats")
    assert stats["articles"] == 6 and stats["backend"] == "sqlite"


def test_search_finds_and_marks_words(client: TestClient) -> None:
    page = get(client, "/api/search?q=optimism")
    assert [h["article"] for h in page["items"]] == ["geneva"]
    assert "[optimism]" in page["items"][0]["snippet"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("peskov -geneva", {"brussels", "brussels-copy"}),
        ("peskov NOT geneva", {"brussels", "brussels-copy"}),
        ("vienna OR optimism", {"geneva", "brussels-copy"}),
        ('"talks in Geneva"', {"geneva"}),
        ("optimi*", {"geneva"}),
    ],
)
def test_search_means_what_the_user_wrote(client: TestClient, query: str, expected: set[str]) -> None:
    items = get(client, "/api/search?" + _q(q=query))["items"]
    assert {h["article"] for h in items} == expected


@pytest.mark.parametrize("query", ["NOT", "-peskov", "*", "OR"])
def test_a_query_with_no_word_is_a_400(client: TestClient, query: str) -> None:
    assert "no word" in get(client, "/api/search?" + _q(q=query), 400)["detail"]


def test_a_long_query_is_refused_with_a_message(client: TestClient) -> None:
    detail = get(client, "/api/search?" + _q(q="word " * 400), 422)["detail"]
    assert "at most 1000 characters" in detail[0]["msg"]


@pytest.mark.parametrize(
    "cursor", ["abc", encode_cursor("x", "y"), encode_cursor(1), encode_cursor(True, 2), "%%%"]
)
def test_a_bad_or_forged_cursor_is_a_400(client: TestClient, cursor: str) -> None:
    for path in ("/api/search", "/api/quotes", "/api/events", "/api/stories", "/api/actors"):
        assert get(client, f"{path}?" + _q(cursor=cursor), 400)["detail"] == "bad cursor"


@pytest.mark.parametrize(
    "path", ["/api/articles", "/api/quotes", "/api/events", "/api/actors", "/api/places"]
)
def test_paging_is_complete_and_stable(client: TestClient, path: str) -> None:
    whole = get(client, f"{path}?limit=200")["items"]
    seen: list[Any] = []
    cursor = None
    while True:
        page = get(client, f"{path}?limit=1" + (f"&cursor={cursor}" if cursor else ""))
        seen += page["items"]
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == whole and len(whole) >= 2


def test_article_by_id_holds_its_text_and_analysis(client: TestClient) -> None:
    first = get(client, "/api/articles?limit=200")["items"][-1]
    article = get(client, f"/api/articles/{first['article_id']}")
    assert article["text"] and article["record"]["entities"]
    assert get(client, "/api/articles/99999", 404)["detail"] == "no article with that id"


def test_actors_match_whole_names_only(client: TestClient) -> None:
    names = [a["name"] for a in get(client, "/api/actors?name=Peskov")["items"]]
    assert names and all("Peskov" in n for n in names)
    assert get(client, "/api/actors?name=Pesk")["items"] == []
    assert get(client, "/api/quotes?speaker=Pesk")["items"] == []


def test_actor_page_and_days(client: TestClient) -> None:
    peskov = get(client, "/api/actors?name=Dmitry Peskov")["items"][0]
    page = get(client, f"/api/actors/{peskov['id']}")
    assert page["name"] == peskov["name"] and page["recent_quotes"]
    days = get(client, f"/api/actors/{peskov['id']}/days")
    assert sum(d["count"] for d in days) == peskov["articles"]
    get(client, "/api/actors/99999", 404)


def test_quotes_filters(client: TestClient) -> None:
    peskov = get(client, "/api/actors?name=Peskov")["items"][0]
    by_id = get(client, f"/api/quotes?speaker_id={peskov['id']}")["items"]
    assert by_id and {q["speaker_id"] for q in by_id} == {peskov["id"]}
    direct = get(client, f"/api/quotes?speaker_id={peskov['id']}&kind=direct")["items"]
    assert direct and {q["kind"] for q in direct} == {"direct"}
    assert get(client, "/api/quotes?kind=shouted", 422)
    assert get(client, "/api/quotes?speaker=", 400)["detail"] == "an empty speaker name"


def test_events_and_their_places_and_days(client: TestClient) -> None:
    protests = get(client, "/api/events?type=PROTEST")["items"]
    assert [e["place"]["name"] for e in protests] == ["Lyon"]
    places = get(client, "/api/events/places")
    assert {p["name"] for p in places} >= {"Geneva", "Lyon"}
    days = get(client, "/api/events/days?type=PROTEST")
    assert days == [{"date": "2022-01-10", "count": 1}]
    assert get(client, "/api/events?from=2022-13", 422)


def test_places_stories_duplicates(client: TestClient) -> None:
    places = get(client, "/api/places?country=CH")["items"]
    assert [p["name"] for p in places] == ["Geneva"] and places[0]["lat"] == pytest.approx(46.2, abs=0.01)
    groups = get(client, "/api/duplicates")["items"]
    assert [sorted(a["article"] for a in g["articles"]) for g in groups] == [["brussels", "brussels-copy"]]
    stories = get(client, "/api/stories")["items"]
    for story in stories:
        assert get(client, f"/api/stories/{story['story']}")["articles"] == story["articles"]
    get(client, "/api/stories/99999", 404)


def test_every_response_carries_the_security_headers(client: TestClient) -> None:
    for url in ("/api/stats", "/", "/api/articles/99999", "/static/css/site.css"):
        headers = client.get(url).headers
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP


def test_no_route_writes(client: TestClient, web_db: Path) -> None:
    """Only GET routes (POST /api/analyze exists only with --analyze), and the file is unchanged."""
    methods = {m for route in client.app.routes for m in getattr(route, "methods", ())}  # type: ignore[attr-defined]
    assert methods <= {"GET", "HEAD"}
    before = hashlib.sha256(web_db.read_bytes()).hexdigest()
    for url in ("/", "/api/search?q=peskov", "/api/quotes", "/search?q=talks", "/articles/1", "/actors/1"):
        client.get(url)
    assert client.post("/api/search", json={}).status_code == 405
    assert hashlib.sha256(web_db.read_bytes()).hexdigest() == before


def test_request_bodies_are_capped(web_db: Path) -> None:
    with TestClient(create_app(str(web_db), max_body=100)) as small:
        response = small.post("/api/search", content=b"x" * 101)
        assert response.status_code == 413


def test_an_unusable_store_is_refused_at_start(tmp_path: Path) -> None:
    from newsgraph.store import StoreError

    (tmp_path / "not.db").write_text("hello")
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "not.db"))
    with pytest.raises(StoreError):
        create_app(str(tmp_path / "missing.db"))


def _q(**params: str) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


# ---------------------------------------------------------------------------------- fuzzing
# schemathesis' pytest plugin does not run under pytest 9: its strategies are driven by Hypothesis
# here, one test per operation and generation mode.

import schemathesis  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

OPERATIONS = [
    "GET /api/stats",
    "GET /api/search",
    "GET /api/articles",
    "GET /api/articles/{article_id}",
    "GET /api/actors",
    "GET /api/actors/{actor_id}",
    "GET /api/actors/{actor_id}/days",
    "GET /api/quotes",
    "GET /api/events",
    "GET /api/events/places",
    "GET /api/events/days",
    "GET /api/places",
    "GET /api/stories",
    "GET /api/stories/{story_id}",
    "GET /api/duplicates",
]


@pytest.fixture(scope="module")
def operations(client: TestClient) -> dict[str, Any]:
    """The app's operations, read from its own OpenAPI document (called in-process)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    found = {op.ok().label: op.ok() for op in schema.get_all_operations()}
    assert set(found) == set(OPERATIONS)
    return found


@pytest.mark.parametrize(
    ("label", "mode"),
    [(label, GenerationMode.POSITIVE) for label in OPERATIONS]
    # an operation without parameters has no invalid request to make
    + [(label, GenerationMode.NEGATIVE) for label in OPERATIONS if label != "GET /api/stats"],
    ids=str,
)
def test_the_api_holds_to_its_schema(operations: dict[str, Any], label: str, mode: GenerationMode) -> None:
    """Generated requests, valid and not: never a 500, every answer as the schema says."""

    @given(case=operations[label].as_strategy(generation_mode=mode))
    @settings(max_examples=20, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        # a request the schema allows may still be refused with its documented 400: a cursor
        # this server never gave, a query of only operators
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()


# ---------------------------------------------------------------------------------- PostgreSQL

PARITY = [
    "/api/stats",
    "/api/search?q=peskov",
    "/api/search?q=peskov%20-geneva",
    "/api/articles?limit=3",
    "/api/actors?name=Peskov",
    "/api/quotes?kind=direct",
    "/api/events",
    "/api/events/places",
    "/api/events/days",
    "/api/places",
    "/api/duplicates",
    "/search.json?q=talks",
    "/events.json",
]


#: fields that differ by backend on purpose: ranking scores, snippets, sizes, the name, migrations
BACKEND_FIELDS = ("score", "size_bytes", "backend", "snippet", "schema_version")


def _comparable(data: Any) -> Any:
    """A response without what differs by backend on purpose (scores, store sizes, the name)."""
    if isinstance(data, dict):
        return {k: _comparable(v) for k, v in data.items() if k not in BACKEND_FIELDS}
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    return data


def _hits(data: Any) -> list[Any]:
    return list(data["page"]["items"] if "page" in data else data["items"])


def test_the_app_serves_postgresql_as_it_serves_sqlite(client: TestClient, postgres_server: str) -> None:
    from conftest import fresh_postgres
    from web_records import web_store

    url = fresh_postgres(postgres_server)
    web_store(url)
    with TestClient(create_app(url)) as pg:
        assert pg.get("/api/stats").json()["backend"] == "postgresql"
        for path in PARITY:
            mine, theirs = pg.get(path), client.get(path)
            assert mine.status_code == theirs.status_code == 200, path
            a, b = _comparable(mine.json()), _comparable(theirs.json())
            if "search" in path:  # the same hits; the order is each backend's ranking (BM25, ts_rank)
                a, b = (sorted(_hits(x), key=repr) for x in (a, b))
            assert a == b, path
        articles = pg.get("/api/articles?limit=50").json()["items"]
        hostile = next(h for h in articles if h["article"] == "hostile")
        page = pg.get(f"/articles/{hostile['article_id']}").text
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_a_query_past_the_time_limit_is_a_503(tmp_path: Path) -> None:
    """Every query has a time limit (here: none at all); past it the request gets a 503."""
    import random

    from corpus_records import build_store, make

    rnd = random.Random(1)
    words = [" ".join(f"w{rnd.randrange(5000)}" for _ in range(30)) for _ in range(1500)]
    build_store(tmp_path / "big.db", [make(f"a{i}", text) for i, text in enumerate(words)]).close()
    with TestClient(create_app(str(tmp_path / "big.db"), timeout=1e-9)) as slow:
        response = slow.get("/api/search?q=w1*")
        assert response.status_code == 503
        assert response.json() == {"detail": "the query ran past its time limit and was stopped"}
        assert slow.get("/search?q=w1*").status_code == 503
