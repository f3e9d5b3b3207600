"""Feeds and sitemaps: find new article pages, fetch them politely, and read them into articles.

- :func:`parse_listing` reads an RSS or Atom feed (feedparser) or an XML sitemap (``urlset``,
  with Google News ``news:`` fields; a ``sitemapindex`` lists further sitemaps) into
  :class:`Entry` records (URL, title, date).
- :class:`Fetcher` makes every HTTP request: a clear User-Agent, a timeout, retries with
  exponential backoff on network errors and 5xx answers, a delay between two requests to one
  host, robots.txt obeyed (per host, fetched once), conditional requests (ETag,
  Last-Modified) and a size limit.
- :func:`poll` goes over feeds once: a feed unchanged since the last poll (304) costs one
  request; each new entry's page is fetched and read with trafilatura (the page's own title
  and date win, the feed's fill gaps). It yields articles and :class:`~newsgraph.models.ReadError`
  records (a feed or page that failed, and why) for :func:`newsgraph.corpus.ingest.ingest`.
- :class:`WatchState` is what a poll remembers between runs (validators of each feed, URLs
  already read, each with the day a feed last listed it): a JSON file, replaced atomically,
  updated only after a feed's articles are stored, so that a run killed at any point loses
  nothing and the next one resumes. A URL no feed has listed for :data:`FORGET_AFTER_DAYS` is
  forgotten, so the file stays the size of what the feeds list, however long it runs.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import time
import urllib.error
import urllib.request
import urllib.robotparser
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

from newsgraph import __version__
from newsgraph.models import Article, ReadError
from newsgraph.sources.warc import decode_page

__all__ = [
    "FORGET_AFTER_DAYS",
    "Entry",
    "FetchError",
    "Fetcher",
    "Response",
    "WatchState",
    "parse_listing",
    "poll",
]

USER_AGENT = f"newsgraph/{__version__} (news analysis; +https://github.com/newsgraph/newsgraph)"
_MAX_LISTING = 20 * 2**20  # a feed or sitemap
_MAX_PAGE = 10 * 2**20  # an article page (as the readers' limit)


class FetchError(Exception):
    """A request that failed for good (after its retries); the message is the reason."""


@dataclass
class Response:
    """An answer: status 200 (with body) or 304 (not modified, no body)."""

    url: str
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Entry:
    """An article page listed by a feed or sitemap."""

    url: str
    title: str | None = None
    published: str | None = None


class _NoRedirectLoop(urllib.request.HTTPRedirectHandler):
    max_repeats = 2
    max_redirections = 5


class Fetcher:
    """Polite HTTP GETs (see the module's docstring); one instance per run, safe across threads."""

    def __init__(
        self,
        *,
        user_agent: str = USER_AGENT,
        timeout: float = 20.0,
        retries: int = 2,
        backoff: float = 1.0,
        delay: float = 1.0,
        robots: bool = True,
    ) -> None:
        self.user_agent = user_agent
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.delay = delay
        self.obey_robots = robots
        self._opener = urllib.request.build_opener(_NoRedirectLoop())
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._lock = threading.Lock()

    def _wait_for(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            due = self._last.get(host, now - self.delay) + self.delay
            self._last[host] = max(now, due)
        if due > now:
            time.sleep(due - now)

    def allowed(self, url: str) -> bool:
        """Whether the site's robots.txt lets our User-Agent fetch ``url`` (no robots.txt: yes)."""
        if not self.obey_robots:
            return True
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        if root not in self._robots:
            parser: urllib.robotparser.RobotFileParser | None = urllib.robotparser.RobotFileParser()
            assert parser is not None
            try:
                answer = self._get(root + "/robots.txt", limit=512 * 1024, retries=0)
                parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
            except FetchError as error:
                # no robots.txt (4xx): everything is allowed; a server error: nothing is, this run
                if str(error).startswith("HTTP 5"):
                    parser = None
                else:
                    parser.parse([])
            self._robots[root] = parser
        robots = self._robots[root]
        return robots is not None and robots.can_fetch(self.user_agent, url)

    def get(
        self, url: str, *, etag: str | None = None, modified: str | None = None, limit: int = _MAX_PAGE
    ) -> Response:
        """GET ``url`` (a 304 when ``etag``/``modified`` still hold); raises :class:`FetchError`."""
        if not self.allowed(url):
            raise FetchError("disallowed by robots.txt")
        return self._get(url, etag=etag, modified=modified, limit=limit, retries=self.retries)

    def _get(
        self, url: str, *, etag: str | None = None, modified: str | None = None, limit: int, retries: int
    ) -> Response:
        headers = {"User-Agent": self.user_agent, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
        host = urlsplit(url).netloc
        for attempt in range(retries + 1):
            self._wait_for(host)
            try:
                request = urllib.request.Request(url, headers=headers)
                with self._opener.open(request, timeout=self.timeout) as answer:
                    body = answer.read(limit + 1)
                    if len(body) > limit:
                        raise FetchError(f"too large (over {limit:,} bytes)")
                    return Response(answer.geturl(), answer.status, body, dict(answer.headers.items()))
            except urllib.error.HTTPError as error:
                if error.code == 304:
                    return Response(url, 304, b"", dict(error.headers.items()))
                if 300 <= error.code < 400:
                    raise FetchError(f"redirect loop (HTTP {error.code})") from None
                reason = f"HTTP {error.code} {error.reason}".strip()
                if error.code < 500 and error.code != 429:
                    raise FetchError(reason) from None
            except FetchError:
                raise
            except (urllib.error.URLError, TimeoutError, OSError) as error:
                cause = getattr(error, "reason", error)
                reason = "timed out" if isinstance(cause, TimeoutError) else f"network error ({cause})"
            except Exception as error:  # http.client raises a few kinds on broken answers
                reason = f"bad answer ({type(error).__name__}: {error})"
            if attempt < retries:
                time.sleep(self.backoff * 2**attempt)
        raise FetchError(f"{reason} (after {retries + 1} tries)" if retries else reason)


# ---------------------------------------------------------------------------------- listings


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _day(value: str | None) -> str | None:
    from newsgraph.readers import normalize_date

    if not value:
        return None
    value = value.strip()
    return normalize_date(value[:10]) or normalize_date(value)


def _sitemap(root: ElementTree.Element, base: str) -> tuple[list[Entry], list[str]]:
    """Entries of a ``urlset``, or the sitemaps a ``sitemapindex`` lists."""
    entries: list[Entry] = []
    nested: list[str] = []
    for item in root:
        fields: dict[str, str] = {}
        for child in item.iter():
            text = (child.text or "").strip()
            if text and _local(child.tag) not in fields:
                fields[_local(child.tag)] = text
        loc = fields.get("loc")
        if not loc:
            continue
        if _local(root.tag) == "sitemapindex":
            nested.append(urljoin(base, loc))
        else:
            date = fields.get("publication_date") or fields.get("lastmod")
            entries.append(Entry(urljoin(base, loc), title=fields.get("title"), published=_day(date)))
    return entries, nested


def parse_listing(body: bytes, *, url: str) -> tuple[list[Entry], list[str]]:
    """The entries of a feed or sitemap, and the nested sitemaps of a sitemap index.

    Raises ValueError when ``body`` is neither a feed nor a sitemap.
    """
    head = body[:2048].lstrip().lower()
    if b"<urlset" in head or b"<sitemapindex" in head:
        try:
            root = ElementTree.fromstring(body)
        except ElementTree.ParseError as error:
            raise ValueError(f"not a valid sitemap ({error})") from None
        return _sitemap(root, url)
    import feedparser

    feed = feedparser.parse(body)
    version = getattr(feed, "version", "")
    if not version and not feed.entries:
        raise ValueError("not an RSS/Atom feed or a sitemap")
    entries: list[Entry] = []
    for item in feed.entries:
        link = item.get("link")
        if not link:
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        published = time.strftime("%Y-%m-%d", stamp) if stamp else _day(item.get("published"))
        entries.append(
            Entry(urljoin(url, link), title=(item.get("title") or "").strip() or None, published=published)
        )
    return entries, []


# ---------------------------------------------------------------------------------- state


FORGET_AFTER_DAYS = 30
"""A page URL no feed has listed for this many days is forgotten (feeds list recent items only;
should one come back, the store still keeps its article once, by content)."""


def _today(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // 86400)


@dataclass
class WatchState:
    """What polls remember: each feed's validators, and the page URLs already read.

    ``seen`` maps each URL read (or given up on) to the day, counted from 1970-01-01, on which a
    feed last listed it.
    """

    path: str
    feeds: dict[str, dict[str, str]] = field(default_factory=dict)
    seen: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, path: str) -> WatchState:
        """The state saved at ``path`` (an empty one when there is none)."""
        try:
            with open(path, encoding="utf-8") as stream:
                data = json.load(stream)
        except FileNotFoundError:
            return cls(path)
        except (OSError, ValueError) as error:
            raise ValueError(f"{path}: not a watch state file ({error})") from None
        seen = data.get("seen", {})
        if isinstance(seen, list):  # written before URLs carried their day: count them as listed today
            seen = dict.fromkeys(seen, _today())
        return cls(path, dict(data.get("feeds", {})), {str(url): int(day) for url, day in seen.items()})

    def forget(self, *, before: int) -> int:
        """Forget the URLs last listed before day ``before``; return how many were forgotten."""
        old = [url for url, day in self.seen.items() if day < before]
        for url in old:
            del self.seen[url]
        return len(old)

    def save(self) -> None:
        """Write the state atomically (a kill leaves the old file or the new one)."""
        folder = os.path.dirname(os.path.abspath(self.path))
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".watch-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump({"feeds": self.feeds, "seen": dict(sorted(self.seen.items()))}, stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


# ---------------------------------------------------------------------------------- a poll


@dataclass
class PollReport:
    """What one pass over the feeds did."""

    feeds: int = 0
    unchanged: int = 0
    failed_feeds: int = 0
    new_pages: int = 0
    failed_pages: int = 0


def _page(fetcher: Fetcher, entry: Entry) -> Article | ReadError:
    from newsgraph.readers import read_record

    try:
        answer = fetcher.get(entry.url)
    except FetchError as error:
        return ReadError(source=entry.url, reason=str(error))
    content_type = answer.headers.get("Content-Type", "")
    fields = {"id": entry.url, "html": decode_page(answer.body, content_type), "url": entry.url}
    item = read_record(fields, where=entry.url)
    if isinstance(item, Article):
        meta = item.metadata
        if meta.title is None and entry.title:
            meta.title = entry.title
        if meta.published is None and entry.published:
            meta.published = entry.published
    return item


def _items(
    fetcher: Fetcher, fresh: list[Entry], errors: list[ReadError], outcomes: list[str], report: PollReport
) -> Iterator[Article | ReadError]:
    """One feed's failures, then its new pages, fetched one by one; ``outcomes`` gets the URLs done."""
    yield from errors
    for entry in fresh:
        item = _page(fetcher, entry)
        if isinstance(item, ReadError):
            report.failed_pages += 1
        if not isinstance(item, ReadError) or not _transient(item.reason):
            outcomes.append(entry.url)  # a page that may come back (5xx, timeout) is tried again
        yield item


def _transient(reason: str) -> bool:
    return reason.startswith(("HTTP 5", "HTTP 429", "timed out", "network error", "bad answer", "disallowed"))


def _modified_header(value: str | None) -> str | None:
    if not value:
        return None
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return value


def poll(
    feeds: Sequence[str],
    *,
    fetcher: Fetcher,
    state: WatchState,
    store_items: Callable[[Iterator[Article | ReadError]], Any],
    report: PollReport | None = None,
    now: float | None = None,
) -> PollReport:
    """Poll each feed once; ``store_items`` stores (ingests) one feed's new items at a time.

    The state is saved after each feed's items are stored: a run killed before that fetches
    the feed and its pages again next time, and the store keeps each article once. URLs the
    feeds list are marked as listed on the day of ``now`` (a Unix time; default: the clock), and
    those no feed has listed for :data:`FORGET_AFTER_DAYS` days are forgotten.
    """
    report = report if report is not None else PollReport()
    today = _today(now)
    state.forget(before=today - FORGET_AFTER_DAYS)
    for feed_url in feeds:
        report.feeds += 1
        known = state.feeds.get(feed_url, {})
        entries: list[Entry] = []
        errors: list[ReadError] = []
        validators: dict[str, str] = dict(known)
        pending = [feed_url]
        unchanged = False
        while pending:
            listing = pending.pop(0)
            saved = state.feeds.get(listing, {}) if listing == feed_url else {}
            try:
                answer = fetcher.get(
                    listing, etag=saved.get("etag"), modified=saved.get("modified"), limit=_MAX_LISTING
                )
                if answer.status == 304:
                    unchanged = True
                    continue
                found, nested = parse_listing(answer.body, url=answer.url)
            except (FetchError, ValueError) as error:
                errors.append(ReadError(source=listing, reason=f"feed: {error}"))
                continue
            entries += found
            pending += [n for n in nested if n not in pending][:100]
            if listing == feed_url:
                validators = {
                    k: v
                    for k, v in (
                        ("etag", answer.headers.get("ETag")),
                        ("modified", _modified_header(answer.headers.get("Last-Modified"))),
                    )
                    if v
                }
        if errors:
            report.failed_feeds += 1
        if unchanged:
            report.unchanged += 1
        fresh = list({e.url: e for e in entries if e.url not in state.seen}.values())
        report.new_pages += len(fresh)
        outcomes: list[str] = []

        store_items(_items(fetcher, fresh, errors, outcomes, report))
        state.seen.update((url, today) for url in outcomes)
        state.seen.update((e.url, today) for e in entries if e.url in state.seen)  # still listed
        if not errors or unchanged:
            state.feeds[feed_url] = validators
        state.save()
    return report
