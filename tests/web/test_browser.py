"""The pages in a real Chromium: scripts, clicks through the app, untrusted text kept inert.

Chromium is Debian's (``scripts/test-services.sh`` installs it), driven by Playwright; the
fixtures are in ``conftest.py``. The first tests load ``static/js`` on a page of their own
(no app), under the app's Content-Security-Policy; the rest run against the app itself.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
from browser_corpus import IMG, JS_URL, SCRIPT, Watched

pytestmark = pytest.mark.browser

STATIC = Path(__file__).resolve().parents[2] / "src" / "newsgraph" / "web" / "static"
#: The policy the app sends; the scripts must work under it.
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'"


# ------------------------------------------------------------------ the scripts on their own


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Files of a test folder, and /static/ from the package, with the app's CSP."""

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
