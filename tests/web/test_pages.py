"""The pages in-process: each shows its data, its JSON twin the same, untrusted text stays inert."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from newsgraph.web.app import create_app
from newsgraph.web.pages import web_url
from web_records import HOSTILE_TEXT, IMG, JS_URL, SCRIPT, SPEAKER


def html(client: Any, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return str(response.text)


def actor_id(client: Any, name: str) -> int:
    return int(client.get("/api/actors?" + urlencode({"name": name})).json()["items"][0]["id"])


def article_id(client: Any, key: str) -> int:
    items = client.get("/api/articles?limit=200").json()["items"]
    return next(int(h["article_id"]) for h in items if h["article"] == key)


def test_home_shows_the_corpus(client: TestClient) -> None:
    page = html(client, "/")
    data = client.get("/.json").json()
    assert data["stats"]["articles"] == 6
    for person in data["people"]:
        assert f'href="/actors/{person["id"]}"' in page
    assert "news.example.org" in page


def test_search_page_and_its_twins_agree(client: TestClient) -> None:
    url = "/search?" + urlencode({"q": "peskov -geneva"})
    page = html(client, url)
    data = client.get("/search.json?" + urlencode({"q": "peskov -geneva"})).json()
    api = client.get("/api/search?" + urlencode({"q": "peskov -geneva", "limit": 25})).json()
    assert data["page"] == api
    for hit in data["page"]["items"]:
        assert f'href="/articles/{hit["article_id"]}"' in page
    assert "<mark>Peskov</mark>" in page
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?" + urlencode({"q": "peskov"})).text)))
    assert {r["article"] for r in rows} >= {"brussels", "brussels-copy", "geneva"}


def test_a_malformed_search_is_a_400_page(client: TestClient) -> None:
    page = html(client, "/search?q=NOT", 400)
    assert "no word to search for" in page
    assert "bad cursor" in html(client, "/search?cursor=%25%25", 400)
    assert client.get("/search.json?q=-x").status_code == 400


def test_article_page_marks_actors_and_quotes(client: TestClient) -> None:
    geneva = article_id(client, "geneva")
    page = html(client, f"/articles/{geneva}")
    peskov = actor_id(client, "Dmitry Peskov")
    assert re.search(rf'<a class="ent ent-person" href="/actors/{peskov}"[^>]*>Dmitry Peskov</a>', page)
    assert 'class="quote quote-direct"' in page and f'<a class="speaker" href="/actors/{peskov}">' in page
    assert 'class="ng-map" data-points="[{&#34;lat&#34;: 46.2022' in page
    assert "talks" in page and "optimism" in page
    data = client.get(f"/articles/{geneva}.json").json()
    assert data["article"] == client.get(f"/api/articles/{geneva}").json()
    assert html(client, "/articles/99999", 404)


def test_article_page_shows_copies_and_story(client: TestClient) -> None:
    brussels = article_id(client, "brussels")
    data = client.get(f"/articles/{brussels}.json").json()
    assert [c["article"] for c in data["copies"]] == ["brussels-copy"]
    page = html(client, f"/articles/{brussels}")
    assert f'href="/articles/{data["copies"][0]["article_id"]}"' in page


def test_actor_page(client: TestClient) -> None:
    peskov = actor_id(client, "Dmitry Peskov")
    page = html(client, f"/actors/{peskov}")
    data = client.get(f"/actors/{peskov}.json").json()
    assert data["actor"]["name"] in page and "Kremlin spokesman" in page
    assert data["quotes"]["items"] and all(q["speaker_id"] == peskov for q in data["quotes"]["items"])
    assert 'class="ng-chart"' in page
    direct = client.get(f"/actors/{peskov}.json?kind=direct").json()["quotes"]["items"]
    assert direct and {q["kind"] for q in direct} == {"direct"}
    assert f'href="/quotes?speaker_id={peskov}"' in page


def test_place_actor_page_shows_its_events(client: TestClient) -> None:
    lyon = actor_id(client, "Lyon")
    data = client.get(f"/actors/{lyon}.json").json()
    assert [e["type"] for e in data["events"]] == ["PROTEST"] and data["places"][0]["country"] == "FR"


def test_quotes_page_filters_live_in_the_url(client: TestClient) -> None:
    peskov = actor_id(client, "Dmitry Peskov")
    page = html(client, f"/quotes?speaker_id={peskov}&kind=direct")
    assert 'value="direct" selected' in page
    data = client.get(f"/quotes.json?speaker_id={peskov}&kind=direct").json()
    assert data["speaker"]["id"] == peskov and data["page"]["items"]
    for quote in data["page"]["items"]:
        assert f'href="/articles/{quote["article_id"]}#q-{quote["start"]}"' in page
    assert html(client, "/quotes?speaker=&kind=&from=&to=")  # an empty form is no filter


def test_events_page_has_table_map_and_timeline(client: TestClient) -> None:
    page = html(client, "/events")
    assert 'class="ng-map"' in page and 'class="ng-chart"' in page and "CONSULT" in page
    data = client.get("/events.json?type=PROTEST").json()
    assert [e["label"] for e in data["page"]["items"]] == [f"march {SCRIPT}"]
    rows = list(csv.DictReader(io.StringIO(client.get("/events.csv").text)))
    assert {r["type"] for r in rows} == {"CONSULT", "PROTEST"}


def test_places_stories_duplicates_pages(client: TestClient) -> None:
    assert "Geneva" in html(client, "/places")
    groups = client.get("/duplicates.json").json()["page"]["items"]
    page = html(client, "/duplicates")
    for article in groups[0]["articles"]:
        assert f'href="/articles/{article["article_id"]}"' in page
    stories = client.get("/stories.json").json()["page"]["items"]
    html(client, "/stories")
    for story in stories:
        assert story["label"] in html(client, f"/stories/{story['story']}")
    assert html(client, "/stories/99999", 404)


def test_next_page_link_keeps_the_filters(client: TestClient) -> None:
    data = client.get("/api/quotes?limit=1").json()
    assert data["next"]
    page = html(client, "/quotes?kind=direct")
    links = re.findall(r'rel="next" href="([^"]+)"', page)
    assert not links or "kind=direct" in links[0]


HOSTILE_PAGES = [
    "/",
    "/search?q=plan",
    "/search?q=sound",
    "/quotes",
    "/events",
    "/places",
    "/stories",
    "/duplicates",
]


def _inert(page: str) -> None:
    assert SCRIPT not in page and "<img src=x" not in page and IMG not in page
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", page, re.I)
    assert not re.search(r"<script(?![^>]*\bsrc=\"/static/)", page)  # only the app's own scripts


@pytest.mark.parametrize("url", HOSTILE_PAGES)
def test_untrusted_text_is_inert_everywhere(client: TestClient, url: str) -> None:
    _inert(html(client, url))


def test_the_hostile_article_and_speaker_pages_are_inert(client: TestClient) -> None:
    hostile = article_id(client, "hostile")
    page = html(client, f"/articles/{hostile}")
    _inert(page)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
    assert JS_URL in page and 'href="javascript' not in page  # the URL shown, never linked
    eve = actor_id(client, SPEAKER)
    _inert(html(client, f"/actors/{eve}"))
    _inert(html(client, f"/quotes?speaker_id={eve}"))
    _inert(html(client, "/events?" + urlencode({"actor": SPEAKER})))
    assert client.get(f"/articles/{hostile}.json").json()["article"]["text"] == HOSTILE_TEXT


def test_csv_cells_cannot_run_as_formulas(client: TestClient, tmp_path: Path) -> None:
    text = client.get("/quotes.csv").text
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("javascript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/x", None),
        ("http:///nohost", None),
        ("", None),
        (None, None),
    ],
)
def test_only_web_urls_become_links(url: str | None, expected: str | None) -> None:
    assert web_url(url) == expected


def test_docs_are_served_by_the_app(client: TestClient) -> None:
    page = html(client, "/docs")
    assert 'src="/static/vendor/swagger-ui/swagger-ui-bundle.js"' in page
    assert "cdn" not in page.lower()
    assert client.get("/openapi.json").json()["info"]["title"] == "newsgraph"


def test_analyze_is_off_unless_asked(client: TestClient) -> None:
    assert client.get("/analyze").status_code == 404
    assert client.post("/api/analyze", json={"text": "x"}).status_code in (404, 405)


def test_analyze_refuses_bodies_over_a_mebibyte(web_db: Path) -> None:
    with TestClient(create_app(str(web_db), analyze=True)) as app:
        assert app.get("/analyze").status_code == 200
        big = {"text": "word " * 220_000}
        assert app.post("/api/analyze", json=big).status_code == 413
        form = {"text": "word " * 220_000}
        assert app.post("/analyze", data=form).status_code == 413


@pytest.mark.slow
def test_analyze_shows_an_article_without_storing_it(web_db: Path) -> None:
    before = web_db.read_bytes()
    text = 'Mayor Helen Marsh said on Monday the harbour plan was "a turning point for the town".'
    with TestClient(create_app(str(web_db), analyze=True)) as app:
        record = app.post("/api/analyze", json={"text": text, "published": "2024-03-04"}).json()
        assert any(e["name"] == "Helen Marsh" for e in record["entities"])
        page = app.post("/analyze", data={"text": text}).text
        assert 'class="quote quote-' in page and "Helen Marsh" in page
    assert web_db.read_bytes() == before
