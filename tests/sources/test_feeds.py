"""Tests of feeds, sitemaps and polite fetching, against a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from newsgraph.models import Article, ReadError
from newsgraph.sources.feeds import Entry, Fetcher, FetchError, WatchState, parse_listing, poll

ETAG = '"feed-v1"'
MODIFIED = "Tue, 05 Mar 2024 08:00:00 GMT"


def page(n: int, *, dated: bool = True) -> bytes:
    date = '<meta property="article:published_time" content="2024-03-04">' if dated else ""
    body = (
        f"Mayor Lena Park said on Monday that district {n} would get a new library, the first in "
        f"{n + 20} years. The council approved {n + 3} million dollars for the building. "
    ) * 3
    return (
        f"<html><head><title>Library news {n}</title>{date}</head><body><article>"
        f"<h1>Library news {n}</h1><p>{body}</p><p>Work starts in May, officials said.</p>"
        f"</article></body></html>"
    ).encode()


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Feed title {i}</title><link>{base}{path}</link>"
        f"<pubDate>Wed, 06 Mar 2024 09:00:00 GMT</pubDate></item>"
        for i, path in enumerate(paths)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Local news</title>'
        f"<link>{base}/</link>{items}</channel></rss>"
    ).encode()


class Site:
    """What the test server serves, and the requests it got."""

    def __init__(self) -> None:
        self.routes: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.base = ""

    def add(self, path: str, body: bytes, *, status: int = 200, content_type: str = "text/html") -> None:
        def answer(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = answer

    def hits(self, path: str) -> list[dict[str, str]]:
        return [headers for p, headers in self.requests if p == path]


@pytest.fixture
def site() -> Iterator[Site]:
    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append((self.path, dict(self.headers.items())))
            route = served.routes.get(self.path)
            if route is None:
                self.send_error(404)
                return
            route(self)

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def conditional_feed(site: Site, paths: list[str]) -> None:
    body = rss(site.base, paths)

    def answer(handler: BaseHTTPRequestHandler) -> None:
        if handler.headers.get("If-None-Match") == ETAG:
            handler.send_response(304)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        handler.send_header("ETag", ETAG)
        handler.send_header("Last-Modified", MODIFIED)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    site.routes["/feed.xml"] = answer


def fast(**options: Any) -> Fetcher:
    return Fetcher(**{"delay": 0.0, "timeout": 2.0, "retries": 1, "backoff": 0.01, **options})


# ---------------------------------------------------------------------------------- listings


def test_an_rss_feed() -> None:
    entries, nested = parse_listing(rss("https://news.example.org", ["/a/1", "/a/2"]), url="https://x/")
    assert nested == []
    assert entries == [
        Entry("https://news.example.org/a/1", "Feed title 0", "2024-03-06"),
        Entry("https://news.example.org/a/2", "Feed title 1", "2024-03-06"),
    ]


def test_an_atom_feed() -> None:
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
        b'<entry><title>Bridge opens</title><link href="/news/bridge"/><id>urn:1</id>'
        b"<updated>2024-03-05T10:00:00Z</updated></entry></feed>"
    )
    (entry,), _ = parse_listing(atom, url="https://news.example.org/feed.atom")
    assert entry == Entry("https://news.example.org/news/bridge", "Bridge opens", "2024-03-05")


def test_a_news_sitemap_and_an_index() -> None:
    sitemap = (
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://n.example/a</loc>'
        b"<news:news><news:publication_date>2024-03-05T10:00:00+01:00</news:publication_date>"
        b"<news:title>Bridge opens</news:title></news:news></url>"
        b"<url><loc>https://n.example/b</loc><lastmod>2024-03-01</lastmod></url></urlset>"
    )
    entries, _ = parse_listing(sitemap, url="https://n.example/sitemap.xml")
    assert entries == [
        Entry("https://n.example/a", "Bridge opens", "2024-03-05"),
        Entry("https://n.example/b", None, "2024-03-01"),
    ]
    index = (
        b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>https://n.example/news.xml</loc></sitemap></sitemapindex>"
    )
    assert parse_listing(index, url="https://n.example/") == ([], ["https://n.example/news.xml"])


@pytest.mark.parametrize("body", [b"hello, this is not a feed", b"<html><body>a page</body></html>", b""])
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(ValueError, match="not an RSS/Atom feed or a sitemap"):
        parse_listing(body, url="https://n.example/feed")


# ---------------------------------------------------------------------------------- fetching


def test_conditional_requests_and_the_user_agent(site: Site) -> None:
    conditional_feed(site, ["/a/1"])
    fetcher = fast()
    first = fetcher.get(site.base + "/feed.xml")
    assert first.status == 200 and first.headers["ETag"] == ETAG
    again = fetcher.get(site.base + "/feed.xml", etag=ETAG, modified=MODIFIED)
    assert again.status == 304 and again.body == b""
    first_headers, second_headers = site.hits("/feed.xml")
    assert "If-None-Match" not in first_headers and second_headers["If-None-Match"] == ETAG
    assert second_headers["If-Modified-Since"] == MODIFIED
    assert first_headers["User-Agent"].startswith("newsgraph/")


def test_a_slow_page_times_out(site: Site) -> None:
    def slow(handler: BaseHTTPRequestHandler) -> None:
        time.sleep(1.5)
        handler.send_response(200)
        handler.end_headers()

    site.routes["/slow"] = slow
    with pytest.raises(FetchError, match=r"timed out \(after 2 tries\)"):
        fast(timeout=0.3).get(site.base + "/slow")


def test_a_server_error_is_retried_then_given_up(site: Site) -> None:
    site.add("/error", b"oops", status=500)
    with pytest.raises(FetchError, match=r"HTTP 500 .*\(after 3 tries\)"):
        fast(retries=2).get(site.base + "/error")
    assert len(site.hits("/error")) == 3


def test_a_missing_page_is_not_retried(site: Site) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fast(retries=3).get(site.base + "/nothing")
    assert len(site.hits("/nothing")) == 1


def test_a_redirect_loop(site: Site) -> None:
    def loop(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", "/loop")
        handler.end_headers()

    site.routes["/loop"] = loop
    with pytest.raises(FetchError, match="redirect loop"):
        fast().get(site.base + "/loop")
    assert len(site.hits("/loop")) <= 6


def test_robots_txt_is_obeyed(site: Site) -> None:
    site.add("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.add("/private/1", page(1))
    site.add("/a/1", page(1))
    fetcher = fast()
    with pytest.raises(FetchError, match=r"disallowed by robots\.txt"):
        fetcher.get(site.base + "/private/1")
    assert fetcher.get(site.base + "/a/1").status == 200
    assert site.hits("/private/1") == [] and len(site.hits("/robots.txt")) == 1


def test_a_delay_between_requests_to_one_host(site: Site) -> None:
    site.add("/a/1", page(1))
    fetcher = fast(delay=0.3, robots=False)
    start = time.monotonic()
    for _ in range(3):
        fetcher.get(site.base + "/a/1")
    assert time.monotonic() - start >= 0.6


# ---------------------------------------------------------------------------------- a poll (no model)


def test_a_poll_reads_new_pages_and_records_what_failed(site: Site, tmp_path: Path) -> None:
    paths = ["/a/1", "/a/2", "/error", "/empty", "/loop-page", "/a/3"]
    conditional_feed(site, paths)
    site.add("/a/1", page(1))
    site.add("/a/2", page(2, dated=False))
    site.add("/a/3", page(3))
    site.add("/error", b"oops", status=500)
    site.add("/empty", b"<html><head><title>Menu</title></head><body></body></html>")
    site.routes["/loop-page"] = lambda h: (
        h.send_response(301),
        h.send_header("Location", "/loop-page"),
        h.end_headers(),
    )
    site.add("/bad-feed", b"this is not xml at all", content_type="text/plain")
    state = WatchState.load(str(tmp_path / "w.json"))
    stored: list[Article | ReadError] = []
    report = poll(
        [site.base + "/feed.xml", site.base + "/bad-feed"],
        fetcher=fast(retries=0),
        state=state,
        store_items=stored.extend,
    )
    articles = [item for item in stored if isinstance(item, Article)]
    errors = {item.source: item.reason for item in stored if isinstance(item, ReadError)}
    assert [a.id for a in articles] == [site.base + p for p in ("/a/1", "/a/2", "/a/3")]
    assert articles[0].metadata.title == "Library news 1" and articles[0].metadata.published == "2024-03-04"
    assert articles[1].metadata.published == "2024-03-06"  # the feed's date fills the gap
    assert errors == {
        site.base + "/error": "HTTP 500 Internal Server Error",
        site.base + "/empty": "no article text found in HTML",
        site.base + "/loop-page": "redirect loop (HTTP 301)",
        site.base + "/bad-feed": "feed: not an RSS/Atom feed or a sitemap",
    }
    assert (report.feeds, report.failed_feeds, report.new_pages, report.failed_pages) == (2, 1, 6, 3)
    saved = json.loads((tmp_path / "w.json").read_text())
    assert saved["feeds"][site.base + "/feed.xml"] == {"etag": ETAG, "modified": MODIFIED}
    assert site.base + "/error" not in saved["seen"] and site.base + "/empty" in saved["seen"]

    # the next poll: the feed answers 304; only the page that may come back is tried again
    again: list[Article | ReadError] = []
    report = poll(
        [site.base + "/feed.xml"],
        fetcher=fast(retries=0),
        state=WatchState.load(state.path),
        store_items=again.extend,
    )
    assert (report.unchanged, report.new_pages) == (1, 0) and again == []
    assert site.hits("/feed.xml")[-1]["If-None-Match"] == ETAG


def test_the_state_forgets_urls_no_feed_has_listed_for_a_month(site: Site, tmp_path: Path) -> None:
    day = 20_000 * 86400.0  # a Unix time: day 20,000 since 1970
    for n in (1, 2, 3):
        site.add(f"/a/{n}", page(n))

    def poll_at(days: int, paths: list[str]) -> list[str]:
        site.add("/feed.xml", rss(site.base, paths), content_type="application/rss+xml")
        stored: list[Article | ReadError] = []
        state = WatchState.load(str(tmp_path / "w.json"))
        poll([site.base + "/feed.xml"], fetcher=fast(retries=0), state=state, store_items=stored.extend,
             now=day + days * 86400)  # fmt: skip
        assert all(isinstance(item, Article) for item in stored)
        saved = json.loads((tmp_path / "w.json").read_text())["seen"]
        return [f"{url.removeprefix(site.base)}@{seen - 20_000}" for url, seen in saved.items()]

    assert poll_at(0, ["/a/1", "/a/2"]) == ["/a/1@0", "/a/2@0"]
    assert poll_at(20, ["/a/2", "/a/3"]) == ["/a/1@0", "/a/2@20", "/a/3@20"]  # still listed: a new day
    assert poll_at(40, ["/a/3"]) == ["/a/2@20", "/a/3@40"]  # unlisted for 40 days: forgotten
    assert poll_at(51, ["/a/3"]) == ["/a/3@51"]


def test_a_state_file_of_the_old_form_is_read_as_listed_today(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"feeds": {}, "seen": ["https://x.example/a", "https://x.example/b"]}))
    state = WatchState.load(str(path))
    assert sorted(state.seen) == ["https://x.example/a", "https://x.example/b"]
    assert set(state.seen.values()) == {int(time.time() // 86400)}
    assert state.forget(before=min(state.seen.values()) + 1) == 2 and state.seen == {}


# ---------------------------------------------------------------------------------- the command


@pytest.mark.slow
def test_watch_once_stores_a_feed_of_twenty_pages_then_nothing(site: Site, tmp_path: Path) -> None:
    from newsgraph.cli import app

    paths = [f"/news/{n}" for n in range(20)]
    for n, path in enumerate(paths):
        site.add(path, page(n))
    conditional_feed(site, [*paths, "/error"])
    site.add("/error", b"oops", status=500)
    db = str(tmp_path / "s.db")
    args = ["watch", site.base + "/feed.xml", "--once", "--db", db, "--delay", "0", "--retries", "0"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 1, first.stderr  # one page failed
    assert "21 new pages: stored 20 (0 already stored), 1 failed" in first.stderr
    listed = CliRunner().invoke(app, ["search", "library", "--db", db, "--json", "--limit", "50"])
    hits = json.loads(listed.stdout)["items"]
    assert len(hits) == 20 and all(hit["title"].startswith("Library news") and hit["date"] for hit in hits)
    errors = CliRunner().invoke(app, ["errors", "--db", db]).stdout
    assert f"{site.base}/error: HTTP 500 Internal Server Error" in errors

    second = CliRunner().invoke(app, args)
    assert "1 feeds (1 unchanged, 0 failed), 0 new pages: stored 0" in second.stderr
    assert site.hits("/feed.xml")[-1]["If-None-Match"] == ETAG
    assert all(len(site.hits(path)) == 1 for path in paths)


def _stored(db: Path) -> int:
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_mid_watch_then_again_stores_every_article_once(site: Site, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    n = 40
    paths = [f"/news/{i}" for i in range(n)]
    for i, path in enumerate(paths):
        site.add(path, page(i))
    conditional_feed(site, paths)
    db = tmp_path / "k.db"
    command = [
        sys.executable, "-c", "from newsgraph.cli import main; main()", "watch", site.base + "/feed.xml",
        "--once", "--db", str(db), "--delay", "0.05",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while _stored(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    stored = _stored(db)
    assert 0 < stored < n, "the run was not killed mid-way"

    finished = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert finished.returncode == 0, finished.stderr
    assert f"stored {n - stored} ({stored} already stored), 0 failed" in finished.stderr
    assert _stored(db) == n
    again = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert "0 new pages: stored 0" in again.stderr
