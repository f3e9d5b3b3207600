"""The pages in a real Chromium: scripts, clicks through the app, untrusted text kept inert.

Chromium is Debian's (``scripts/test-services.sh`` installs it), driven by Playwright; the
fixtures are below. The first tests load ``static/js`` on a page of their own
(no app), under the app's Content-Security-Policy; the rest run against the app itself.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
from browser_corpus import ARTICLES, Watched, chromium_executable, watch, xss_record

from newsgraph.web.app import CSP
from web_records import IMG, JS_URL, SCRIPT

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "src" / "newsgraph" / "web" / "static"


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """A headless Chromium for these tests.

    Skipped where Chromium (or Playwright) is missing, except in CI, where that is a failure
    (``scripts/test-services.sh`` installs it).
    """
    path = chromium_executable()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium (or playwright) is not installed: run scripts/test-services.sh")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def web_page(chromium: Any) -> Iterator[Watched]:
    """A fresh page at laptop width (1280 px)."""
    watched = watch(chromium)
    yield watched
    watched.page.context.close()


@pytest.fixture
def phone_page(chromium: Any) -> Iterator[Watched]:
    """A fresh page at phone width (375 px)."""
    watched = watch(chromium, width=375, height=740)
    yield watched
    watched.page.context.close()


@pytest.fixture(scope="module")
def browser_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store: the test articles through `newsgraph ingest`, then the XSS article, passes run."""
    from newsgraph.corpus.passes import run_passes
    from newsgraph.store import open_store, prepare

    work = tmp_path_factory.mktemp("browser-store")
    source = work / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = work / "corpus.db"
    # a separate process: the model loads there, never in the test process
    subprocess.run(
        [sys.executable, "-m", "newsgraph", "ingest", str(source), "--db", str(db), "--no-progress"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with open_store(str(db)) as store:
        store.write([prepare(*xss_record())])
        run_passes(store)
    return db


@pytest.fixture(scope="module")
def served(browser_store: Path) -> Iterator[str]:
    """The app over the browser store, served by uvicorn in a thread; its base URL."""
    import uvicorn

    from newsgraph.store.cluster import free_ports
    from newsgraph.web.app import create_app

    port = free_ports(1)[0]
    config = uvicorn.Config(create_app(str(browser_store)), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# ------------------------------------------------------------------ the scripts on their own


class _Handler(http.server.SimpleHTTPRequestHandler):
    """A test folder's files, and /static/ from the package, under the app's CSP (as the pages are)."""

    def translate_path(self, path: str) -> str:
        if path.startswith("/static/"):
            return str(STATIC / path.removeprefix("/static/").split("?")[0])
        return super().translate_path(path)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def script_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A local HTTP server over a temporary folder (and /static/); its base URL and the folder."""
    folder = tmp_path_factory.mktemp("site")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()
    server.server_close()


def figure_page(figures: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>'
        '<link rel="icon" href="data:,">'
        '<script src="/static/js/map.js" defer></script><script src="/static/js/chart.js" defer></script>'
        f'</head><body data-static="/static/"><main>{figures}</main></body></html>'
    )


def map_figure(points: list[dict[str, Any]], *, id: str) -> str:
    items = "".join(f'<li><a href="{escape(p["href"])}">{escape(p["label"])}</a></li>' for p in points)
    data = escape(json.dumps(points))
    return f'<figure class="ng-map" id="{id}" data-points="{data}"><ul>{items}</ul></figure>'


def chart_figure(data: dict[str, Any], *, id: str) -> str:
    rows = "".join(
        f"<tr><td>{escape(x)}</td><td>{v}</td></tr>"
        for x, v in zip(data["x"], data["series"][0]["values"], strict=True)
    )
    return (
        f'<figure class="ng-chart" id="{id}" data-series="{escape(json.dumps(data))}">'
        f"<figcaption>Mentions</figcaption><table><tr><th>day</th><th>n</th></tr>{rows}</table></figure>"
    )


def open_site(site: tuple[str, Path], watched: Watched, body: str, name: str) -> Any:
    base, folder = site
    (folder / name).write_text(figure_page(body), encoding="utf-8")
    watched.page.goto(f"{base}/{name}")
    return watched.page


CLOSE = [
    {"lat": 50.11, "lon": 8.68, "label": "Frankfurt (3 events)", "href": "/events?place=Frankfurt"},
    {"lat": 48.14, "lon": 11.58, "label": f"Munich {IMG}", "href": JS_URL},
]
FAR = [
    {"lat": 50.11, "lon": 8.68, "label": "Frankfurt", "href": "/events?place=Frankfurt"},
    {"lat": -33.87, "lon": 151.21, "label": "Sydney", "href": "https://example.org/sydney"},
    {"lat": 40.71, "lon": -74.01, "label": f"New York {SCRIPT}", "href": "/events?place=New+York"},
]


def test_map_draws_points_as_links_and_drops_unsafe_ones(script_site: Any, web_page: Watched) -> None:
    page = open_site(
        script_site, web_page, map_figure(CLOSE, id="close") + map_figure(FAR, id="far"), "m.html"
    )
    page.wait_for_selector("#far.ng-map-drawn svg circle.ng-point")
    page.wait_for_selector("#close.ng-map-drawn svg circle.ng-point")
    links = page.eval_on_selector_all(
        "svg a", "els => els.map(e => [e.getAttribute('href'), e.querySelector('title').textContent])"
    )
    assert links == [
        ["/events?place=Frankfurt", "Frankfurt (3 events)"],
        ["/events?place=Frankfurt", "Frankfurt"],
        ["https://example.org/sydney", "Sydney"],
        ["/events?place=New+York", f"New York {SCRIPT}"],
    ]
    # the javascript: point is drawn, but as a bare circle; its label stays text
    assert page.locator("#close circle.ng-point").count() == 2
    assert page.locator("#close svg > g > circle title").text_content() == f"Munich {IMG}"
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("main script").count() == 0
    # the no-JS list is kept, folded below the map
    assert page.locator("#far details.ng-fallback ul li a").count() == 3
    assert web_page.errors == [] and web_page.dialogs == []


def test_map_fits_close_points_and_shows_the_world_for_far_ones(script_site: Any, web_page: Watched) -> None:
    page = open_site(
        script_site, web_page, map_figure(CLOSE, id="close") + map_figure(FAR, id="far"), "f.html"
    )
    page.wait_for_selector("#close.ng-map-drawn circle")
    page.wait_for_selector("#far.ng-map-drawn circle")

    def spread(figure: str) -> float:
        """Distance between the first two points as a share of the map's width."""
        return float(
            page.evaluate(
                """id => {
                const svg = document.querySelector('#' + id + ' svg');
                const c = [...svg.querySelectorAll('circle.ng-point')].map(e => +e.getAttribute('cx'));
                return Math.abs(c[1] - c[0]) / svg.viewBox.baseVal.width;
            }""",
                figure,
            )
        )

    # Frankfurt-Munich (3 degrees) is a visible part of a fitted map (1 % of the world); Sydney: the world
    assert spread("close") > 0.05
    assert 0.3 < spread("far") < 0.6


def test_map_points_are_keyboard_focusable(script_site: Any, web_page: Watched) -> None:
    page = open_site(script_site, web_page, map_figure(FAR, id="far"), "k.html")
    page.wait_for_selector("#far.ng-map-drawn circle")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/events?place=Frankfurt"


def test_bad_map_data_leaves_the_list(script_site: Any, web_page: Watched) -> None:
    body = (
        '<figure class="ng-map" id="bad" data-points="not json"><ul><li>x</li></ul></figure>'
        '<figure class="ng-map" id="odd" data-points="[{&quot;lat&quot;: 99, &quot;lon&quot;: 1}, 3, null]">'
        "<ul><li>y</li></ul></figure>"
    )
    page = open_site(script_site, web_page, body, "b.html")
    page.wait_for_selector("#odd.ng-map-drawn svg")
    assert page.locator("#odd circle").count() == 0
    assert web_page.errors == []


def test_chart_draws_the_series_and_keeps_the_table(script_site: Any, web_page: Watched) -> None:
    data = {
        "x": ["2024-01-03", "2024-01-01", "2024-01-02", "not a day"],
        "series": [{"label": f"mentions {SCRIPT}", "values": [3, 1, 2, 9]}],
    }
    page = open_site(script_site, web_page, chart_figure(data, id="c"), "c.html")
    page.wait_for_selector("#c.ng-chart-drawn canvas")
    assert page.locator("#c details.ng-fallback table td").first.text_content() == "2024-01-03"
    label = page.locator("#c .u-legend .u-series").nth(1).locator(".u-label")
    assert label.text_content() == f"mentions {SCRIPT}"
    assert page.locator("main script").count() == 0
    width = page.evaluate("document.querySelector('#c canvas').getBoundingClientRect().width")
    assert width <= page.evaluate("document.querySelector('#c').clientWidth") + 1
    assert web_page.errors == [] and web_page.dialogs == []


def test_scripts_fit_a_phone(script_site: Any, phone_page: Watched) -> None:
    data = {
        "x": [f"2024-02-{d:02d}" for d in range(1, 29)],
        "series": [{"label": "n", "values": list(range(28))}],
    }
    body = map_figure(FAR, id="far") + chart_figure(data, id="c")
    page = open_site(script_site, phone_page, body, "p.html")
    page.wait_for_selector("#far.ng-map-drawn circle")
    page.wait_for_selector("#c.ng-chart-drawn canvas")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert phone_page.errors == []


# ------------------------------------------------------------------------------ the app itself


def no_overflow(page: Any) -> bool:
    """True when the page is no wider than its viewport (nothing to scroll sideways)."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_search_article_speaker_quotes_event_on_the_map(served: str, web_page: Watched) -> None:
    page = web_page.page
    page.goto(served + "/")
    page.fill("#quick-q", "fishing")
    page.press("#quick-q", "Enter")
    page.wait_for_url("**/search?q=fishing")
    page.click("a.hit-title:has-text('Foreign ministers meet in Geneva')")

    page.wait_for_selector("article.article h1:has-text('Foreign ministers meet in Geneva')")
    assert page.locator("#text .quote").count() >= 2
    page.click("ol.quotes-side a.speaker:has-text('Maria Lindqvist')")

    page.wait_for_selector("h1:has-text('Maria Lindqvist')")
    page.wait_for_selector("figure.ng-chart.ng-chart-drawn canvas")
    page.click("#quotes-by")

    page.wait_for_selector("h1:has-text('Quotes by')")
    said = page.locator("ol.quotes blockquote").all_text_contents()
    assert any("keep talking" in q for q in said) and any("nearly written" in q for q in said)
    # the quote's link opens its article at the quote, which takes the focus (its speaker shows)
    page.click("li.quote-hit:has(blockquote:has-text('keep talking')) a.article-link")
    page.wait_for_function("document.activeElement && document.activeElement.classList.contains('quote')")
    assert page.locator(".quote:focus .quote-info").is_visible()

    page.click("nav a[href='/events']")
    page.wait_for_selector("figure.ng-map.ng-map-drawn svg a circle.ng-point")
    page.click("figure.ng-map svg a[href*='Geneva']")
    page.wait_for_url("**/events?place=Geneva")
    assert page.locator("table.events tr.event td:has-text('CONSULT')").count() == 1
    assert web_page.errors == [] and web_page.dialogs == []


def test_filter_forms_leave_empty_fields_out_of_the_url(served: str, web_page: Watched) -> None:
    page = web_page.page
    page.goto(served + "/search")
    page.fill("main #q", "herring")
    page.click("main form.filters button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url == served + "/search?q=herring"
    assert page.locator("a.hit-title:has-text('Foreign ministers')").count() == 1
    page.go_back()
    page.wait_for_load_state("load")
    assert page.locator("main #source").is_enabled()


def xss_pages(base: str, page: Any) -> list[str]:
    """The pages that show the XSS article's payloads: the article, its speaker, quotes, events, search."""
    page.goto(base + "/search?q=Officials")
    article = page.locator("a.hit-title").first.get_attribute("href")
    page.goto(base + str(article))
    speaker = page.locator("ol.quotes-side a.speaker").first.get_attribute("href")
    return [
        str(article),
        str(speaker),
        "/quotes?" + "q=nothing",
        "/events",
        "/events?place=Berlin",
        "/search?q=Officials",
        "/places",
        "/",
    ]


def test_payloads_stay_inert(served: str, web_page: Watched) -> None:
    page = web_page.page
    for path in xss_pages(served, page):
        page.goto(served + path)
        page.wait_for_load_state("load")
        assert page.locator("img[src=x], img[onerror]").count() == 0, path
        # every script is one of the app's own files; no element carries an event handler
        assert page.locator("script:not([src^='/static/'])").count() == 0, path
        assert page.locator("[onerror], [onclick], [onload]").count() == 0, path
        hrefs = page.eval_on_selector_all(
            "a[href], area[href], svg a", "els => els.map(e => e.getAttribute('href') || '')"
        )
        assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], path
    # the payloads are shown as text, where they are the data: on the map too
    page.goto(served + "/events")
    page.wait_for_selector("figure.ng-map.ng-map-drawn svg circle.ng-point")
    labels = page.eval_on_selector_all("svg circle.ng-point title", "els => els.map(e => e.textContent)")
    assert any(IMG in label for label in labels)
    page.goto(served + xss_pages(served, page)[0])
    assert SCRIPT in page.locator("h1").text_content()
    assert IMG in page.locator("#text").text_content()
    assert page.locator(f"text={JS_URL}").count() >= 1
    assert web_page.dialogs == []
    assert web_page.errors == []


def test_pages_fit_a_phone(served: str, phone_page: Watched) -> None:
    page = phone_page.page
    paths = ["/", "/search?q=Lindqvist", "/quotes", "/events", "/places", "/stories", "/duplicates"]
    paths += xss_pages(served, page)[:2]
    page.goto(served + "/search?q=fishing")
    paths.append(str(page.locator("a.hit-title").first.get_attribute("href")))
    wide = []
    for path in paths:
        page.goto(served + path)
        page.wait_for_load_state("load")
        if not no_overflow(page):
            wide.append((path, page.evaluate("document.documentElement.scrollWidth")))
    assert wide == []
    assert phone_page.errors == []


def test_api_docs_render_offline(served: str, web_page: Watched) -> None:
    page = web_page.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(served + "/docs")
    page.wait_for_selector("#swagger-ui .opblock", timeout=20_000)
    assert page.locator("#swagger-ui .opblock-summary-path:has-text('/api/search')").count() >= 1
    assert [u for u in requested if not u.startswith(served)] == []
    assert web_page.errors == []
