"""Readers: inputs in, :class:`~newsgraph.models.Article` records out.

An input is a path (a text, HTML, JSONL, CSV or WARC file, or a directory of them) or ``-`` for
standard input. :func:`read_inputs` streams them in order and yields one ``Article`` per
article or one :class:`~newsgraph.models.ReadError` per input that cannot be read; it never
raises for bad input. :func:`parse_scraped` recognises the layout of scraped news text (photo
caption, title, crossheads, ``KEY: value`` trailer) without changing the text, so later
stages can index it. :func:`normalize_date` turns common date spellings into ``YYYY-MM-DD``.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import json
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO, Protocol, TextIO
from urllib.parse import urlsplit

from newsgraph.models import Article, Metadata, ReadError, Zone, ZoneKind
from newsgraph.sources.warc import ARCHIVE_SUFFIXES, is_warc, read_warc

__all__ = ["MAX_BYTES", "MAX_HTML_DEPTH", "flatten_html", "normalize_date", "parse_scraped", "read_inputs"]

MAX_BYTES = 10 * 1024 * 1024
"""Largest article read, in bytes of UTF-8 (a whole text or HTML file, or one JSONL/CSV record)."""

_MIB = 1024 * 1024
_KIB = 1024
_JSONL_SUFFIXES = (".jsonl", ".ndjson")
_HTML_SUFFIXES = (".html", ".htm")
_CSV_SUFFIXES = (".csv",)
_TEXT_SUFFIXES = (".txt", ".text")
_DIR_SUFFIXES = _TEXT_SUFFIXES + _HTML_SUFFIXES + _JSONL_SUFFIXES + _CSV_SUFFIXES + ARCHIVE_SUFFIXES
_SNIFF_BYTES = 8192

# ---------------------------------------------------------------------------------- dates

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = (
    r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+)?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
# What may follow a date: a time of day and a time zone, nothing else.
_TIME_TAIL = (
    r"(?:[\sT,]*(?:at\s+)?\d{1,2}[:.]\d{2}[\d:.,]*\s*(?:[ap]\.?m\.?)?"
    r"\s*\(?(?:z|utc|gmt|[a-z]{2,5})?\s*(?:[+-]\d{1,2}(?::?\d{2})?)?\)?)?\s*$"
)
_DATE_RES = (
    # 2022-01-11, 2022/01/11, 2022.01.11, with an optional time
    re.compile(r"^(?P<year>\d{4})[-/.](?P<mon>\d{1,2})[-/.](?P<day>\d{1,2})" + _TIME_TAIL, re.I),
    # 20220111
    re.compile(r"^(?P<year>\d{4})(?P<mon>\d{2})(?P<day>\d{2})(?:T[\d:.]+(?:z|[+-][\d:]+)?)?$", re.I),
    # Tuesday, January 11, 2022 / Jan. 11th 2022
    re.compile(
        r"^" + _WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})" + _ORDINAL + r",?\s+(?P<year>\d{4})" + _TIME_TAIL,
        re.I,
    ),
    # 11 Jan 2022 / Tue, 11 January, 2022 / 11-Jan-2022
    re.compile(
        r"^"
        + _WEEKDAY
        + r"(?P<day>\d{1,2})"
        + _ORDINAL
        + r"(?:\s+of)?[\s-]+"
        + _MONTH
        + r",?[\s-]+(?P<year>\d{4})"
        + _TIME_TAIL,
        re.I,
    ),
)
# 11/01/2022 or 01/13/2022: only read when day and month cannot be confused.
_NUMERIC_DMY_RE = re.compile(r"^(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<year>\d{4})" + _TIME_TAIL, re.I)


def normalize_date(value: str) -> str | None:
    """Return ``value`` as an ISO date ``YYYY-MM-DD``, or None when it is not a date.

    Reads ISO dates and datetimes ("2022-01-11", "2022-01-11T10:00:00Z", "2022/01/11"),
    written dates ("January 11, 2022", "Tue, 11 Jan 2022 10:00:00 GMT", "11th of January
    2022") and numeric day/month dates when they are unambiguous ("13/01/2022"). A date with
    a time keeps its own calendar day (no time-zone conversion).
    """
    text = value.strip()
    if not text or len(text) > 80:
        return None
    for pattern in _DATE_RES:
        match = pattern.match(text)
        if match:
            groups = match.groupdict()
            month = _MONTHS[groups["month"][:3].lower()] if groups.get("month") else int(groups["mon"])
            return _iso(int(groups["year"]), month, int(groups["day"]))
    match = _NUMERIC_DMY_RE.match(text)
    if match:
        first, second, year = int(match["a"]), int(match["b"]), int(match["year"])
        if first == second or (first > 12) != (second > 12):
            day, month = (first, second) if first > 12 or first == second else (second, first)
            return _iso(year, month, day)
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


# ---------------------------------------------------------------------------------- scraped text

_CLOSERS = "\"'”’»)]"
_OPEN_QUOTES = "\"'“‘«"
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
_QUOTE_END_RE = re.compile(r"[\"'”’»]\s*$")
_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_URLISH_RE = re.compile(r"https?://|www\.|\S@\S|\.(?:jpe?g|png|gif|svg|webp)\b|^(?:file|image):", re.I)
_BYLINE_RE = re.compile(r"^by\s+[A-Z]", re.I)
_QUOTE_COMMA_RE = re.compile(r"[,!?][\"'”’]\s")

_CREDIT_WORD = r"(?:photo\s+credit|photo(?:graph)?s?|pic(?:ture)?s?|image|credit|file\s+photo)\b"
_CREDIT_SEP = r"(?:\s*(?:credit\s*:|by\b|courtesy(?:\s+of)?|via\b|:|/|©|-|–|—))?"
_CAPTION_RES = (
    # (Photo by AFP)  (Photo: Reuters)  (Photo credit: X)  [Image courtesy of X]
    re.compile(r"[(\[]\s*" + _CREDIT_WORD + _CREDIT_SEP + r"\s*(?P<credit>[^()\[\]]+?)\s*[)\]]\s*$", re.I),
    # (AFP Photo)  (AFP/Getty Images)
    re.compile(
        r"[(\[]\s*(?P<credit>[A-Z0-9©][^()\[\]]*?)\s+(?P<word>(?i:photos?|pictures|images|file\s+photo))"
        r"\s*[)\]]\s*$"
    ),
    # ... on December 23, 2021. Photo: AFP   (bare, at the end of the line)
    re.compile(
        r"(?:^|(?<=[\s|/–—-]))(?i:photo\s+credit|photo(?:graph)?|pic(?:ture)?|image|credit)"
        r"\s*(?::|(?i:by)\b)\s*(?P<credit>[A-Z0-9©].*?)\s*$"
    ),
)
_MAX_CREDIT_WORDS = 8

_TRAILER_RE = re.compile(
    r"^[ \t]*(?P<key>link|url|source|tags|keywords|categor(?:y|ies)|author|byline|date|published)"
    r"[ \t]*:[ \t]*(?P<value>.*?)\s*$",
    re.I,
)
_LIST_SPLIT_RE = re.compile(r"[,;]")
_MAX_TRAILER_LINE = 400

_MAX_TITLE_WORDS = 20
_MAX_HEADING_WORDS = 12
_MAX_DATELINE_WORDS = 8


@dataclass(frozen=True)
class _Line:
    """One line of the text: ``start``/``end`` index it, without its line break."""

    start: int
    end: int
    text: str

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def stripped(self) -> str:
        return self.text.strip()

    def zone(self, kind: ZoneKind) -> Zone:
        """A zone over the line's text, without surrounding spaces."""
        lead = len(self.text) - len(self.text.lstrip())
        trail = len(self.text) - len(self.text.rstrip())
        return Zone(kind=kind, start=self.start + lead, end=self.end - trail)


def parse_scraped(text: str, *, id: str, metadata: Metadata | None = None) -> Article:
    """Read the layout of scraped news text into an :class:`Article`, keeping ``text`` as given.

    Finds a photo caption on the first line ("... (Photo by AFP)"), else a short title there,
    a ``KEY: value`` trailer at the end (LINK/URL, SOURCE, TAGS/KEYWORDS, CATEGORY, DATE/
    PUBLISHED, AUTHOR/BYLINE) and crossheads between body paragraphs; each becomes a
    :class:`Zone` over ``text`` and fills :class:`Metadata`. A first line that is only a date
    sets ``published``. Fields of ``metadata`` win over what the text says; lists are merged.
    """
    lines = _split_lines(text)
    filled = [i for i, line in enumerate(lines) if not line.blank]
    found = Metadata()
    zones: list[Zone] = []
    if not filled:
        return Article(id=id, text=text, metadata=_merge(metadata, found), zones=zones)

    first = filled[0]
    trailer_at = _find_trailer(lines, after=first)
    body_end = trailer_at if trailer_at is not None else len(lines)
    head_taken = False

    first_line = lines[first]
    caption = _split_caption(first_line.text)
    if caption is not None:
        caption_text, credit = caption
        zones.append(first_line.zone("caption"))
        found.caption = caption_text or None
        found.photo_credit = credit
        head_taken = True
    elif len(first_line.text.split()) <= _MAX_DATELINE_WORDS and normalize_date(first_line.text):
        found.published = normalize_date(first_line.text)
        head_taken = True

    body = [i for i in filled if i < body_end and i != first]
    wrapped = _looks_hard_wrapped(lines, body)
    if not head_taken and body:
        blank_after = body[0] > first + 1
        if _is_title(first_line.stripped, blank_after=blank_after, next_line=lines[body[0]].stripped) and (
            blank_after or not wrapped
        ):
            zones.append(first_line.zone("title"))
            found.title = first_line.stripped
            head_taken = True

    body_start = first + 1 if head_taken else first
    body = [i for i in filled if body_start <= i < body_end]
    blank_style = _uses_blank_lines(body)
    for k in range(1, len(body) - 1):
        prev, here, nxt = body[k - 1], body[k], body[k + 1]
        blank_before, blank_after = here > prev + 1, nxt > here + 1
        if (blank_style or wrapped) and not blank_before:
            continue
        if wrapped and not blank_after:
            continue
        line = lines[here]
        if (
            _is_heading(line.stripped)
            and _ends_paragraph(lines[prev].stripped)
            and _is_prose(lines[nxt].stripped)
        ):
            zones.append(line.zone("subheading"))
            found.subheadings.append(line.stripped)

    if trailer_at is not None:
        zones.append(Zone(kind="trailer", start=lines[trailer_at].start, end=len(text)))
        _read_trailer(lines[trailer_at:], found)

    return Article(id=id, text=text, metadata=_merge(metadata, found), zones=zones)


def _split_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    start = 0
    while True:
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        stop = end - 1 if end > start and text[end - 1] == "\r" else end
        lines.append(_Line(start, stop, text[start:stop]))
        if newline < 0:
            return lines
        start = newline + 1


def _split_caption(line: str) -> tuple[str, str] | None:
    """(caption, credit) when the line ends with a photo credit."""
    for number, pattern in enumerate(_CAPTION_RES):
        match = pattern.search(line)
        if not match:
            continue
        credit = match["credit"].strip()
        if number == 1 and re.match(r"(?i)pictures|images", match["word"]):
            credit = f"{credit} {match['word']}"
        caption = line[: match.start()].rstrip(" \t|/–—-")
        if not credit or len(credit.split()) > _MAX_CREDIT_WORDS:
            continue
        if number == 2 and not caption:
            continue  # a bare "Photo: ..." line is more likely a headline than a credit
        return caption, credit
    return None


def _find_trailer(lines: list[_Line], *, after: int) -> int | None:
    """Index of the first line of the final run of ``KEY: value`` lines, if any."""
    start: int | None = None
    for index in range(len(lines) - 1, after, -1):
        line = lines[index]
        if line.blank:
            continue
        if not _TRAILER_RE.match(line.text) or len(line.text) > _MAX_TRAILER_LINE:
            break  # a long "Source: ..." line is a paragraph of the body, not metadata
        start = index
    return start


def _read_trailer(lines: list[_Line], found: Metadata) -> None:
    for line in lines:
        match = _TRAILER_RE.match(line.text)
        if not match:
            continue
        key, value = match["key"].lower(), match["value"]
        if key in ("link", "url"):
            if value and found.url is None:
                found.url = value
                found.source = found.source or _domain(value)
        elif key == "source":
            domain = _domain(value) if "." in value and " " not in value.strip() else None
            if domain:
                found.source = domain
        elif key in ("tags", "keywords", "category", "categories"):
            found.tags_in_source.extend(_split_list(value))
        elif key in ("date", "published"):
            found.published = found.published or normalize_date(value)
        # author / byline: Metadata has no field for them yet.


def _split_list(value: str) -> list[str]:
    return [item.strip() for item in _LIST_SPLIT_RE.split(value) if item.strip()]


def _domain(url: str) -> str | None:
    """'https://www.ansarpress.com/english/1' -> 'ansarpress.com'."""
    address = url.strip()
    if "://" not in address:
        address = "//" + address
    try:
        host = urlsplit(address).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host.removeprefix("www.")


def _headline_case(line: str) -> bool:
    long_words: list[str] = [word for word in _WORD_RE.findall(line) if len(word) >= 4]
    if len(long_words) < 3:
        return False
    return sum(word[0].isupper() for word in long_words) >= 0.8 * len(long_words)


def _starts_like_heading(line: str) -> bool:
    """Not a continuation (lower case), a list item or an attribution ("— Name")."""
    if not line or line[0] in "-–—•*·▪►█(":
        return False
    first_word = line.split()[0]
    return not line[0].islower() or any(char.isupper() for char in first_word)  # "iPhone sales"


def _is_title(line: str, *, blank_after: bool, next_line: str) -> bool:
    """A short first line that is a headline, not a sentence of the body."""
    words = line.split()
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or not _starts_like_heading(line):
        return False
    if line[-1] in ":;,-–—/" or _BYLINE_RE.match(line) or _URLISH_RE.search(line):
        return False
    if _QUOTE_COMMA_RE.search(line):
        return False  # '"We will not give up," he said': speech, not a headline
    if not blank_after and next_line[:1].islower():
        return False  # the sentence goes on on the next line
    if _SENTENCE_END_RE.search(line):
        # Standing alone, "Can Smith work wonders?" and "Stealth Over Health: Clinton Was
        # Headed to ER." are still headlines; "Talks failed on Monday." is not.
        final = line.rstrip().rstrip(_CLOSERS)[-1:]
        return blank_after and (final in "?!" or _headline_case(line))
    return True


def _is_heading(line: str) -> bool:
    """A crosshead's shape: short, no sentence end, not a quote, a list lead-in or a credit."""
    words = line.split()
    if not 1 <= len(words) <= _MAX_HEADING_WORDS or not _starts_like_heading(line):
        return False
    if _SENTENCE_END_RE.search(line) or _QUOTE_END_RE.search(line) or line[-1] in ":;,-–—/(":
        return False
    if not _WORD_RE.search(line) or _URLISH_RE.search(line) or _TRAILER_RE.match(line):
        return False
    if _QUOTE_COMMA_RE.search(line):
        return False
    return _split_caption(line) is None and normalize_date(line) is None


def _ends_paragraph(line: str) -> bool:
    return bool(_SENTENCE_END_RE.search(line) or _QUOTE_END_RE.search(line))


def _is_prose(line: str) -> bool:
    if not _starts_like_heading(line):
        return False
    return len(line.split()) > _MAX_HEADING_WORDS or bool(_SENTENCE_END_RE.search(line))


def _uses_blank_lines(body: list[int]) -> bool:
    """Whether most paragraph breaks of the body are blank lines."""
    gaps = [b - a > 1 for a, b in itertools.pairwise(body)]
    return bool(gaps) and sum(gaps) * 2 >= len(gaps)


def _looks_hard_wrapped(lines: list[_Line], body: list[int]) -> bool:
    """Whether the body's lines are wrapped at a width, breaking sentences mid-way."""
    pairs = [(a, b) for a, b in itertools.pairwise(body) if b == a + 1]
    broken = sum(
        1 for a, b in pairs if not _ends_paragraph(lines[a].stripped) and lines[b].stripped[:1].islower()
    )
    return broken >= 2 and broken * 4 >= len(pairs)


def _merge(given: Metadata | None, found: Metadata) -> Metadata:
    """Metadata from the caller wins field by field; lists are merged, the caller's first."""
    if given is None:
        return found
    merged = found.model_dump()
    for name, value in given.model_dump().items():
        if isinstance(value, list):
            merged[name] = list(dict.fromkeys([*value, *merged[name]]))
        elif value is not None:
            merged[name] = value
    if given.url and not given.source:
        merged["source"] = _domain(given.url) or found.source
    return Metadata.model_validate(merged)


# ---------------------------------------------------------------------------------- reading


class _ByteStream(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...

    def read(self, size: int = -1, /) -> bytes: ...


class _EncodedText:
    """A text stream read as UTF-8 bytes, so that every input goes one way."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def readline(self, size: int = -1, /) -> bytes:
        return self._stream.readline(size).encode("utf-8", "surrogateescape")

    def read(self, size: int = -1, /) -> bytes:
        return self._stream.read(size).encode("utf-8", "surrogateescape")


class _Skip(Exception):
    """An input that cannot be read; carries the one-line reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _NotUtf8(_Skip):
    """Bytes that are not UTF-8."""


def read_inputs(
    sources: Iterable[str],
    *,
    published: str | None = None,
    max_bytes: int = MAX_BYTES,
    stdin: TextIO | None = None,
    encoding: str | None = None,
) -> Iterator[Article | ReadError]:
    """Stream articles from paths, directories and ``-`` (stdin), in order.

    Yields one :class:`Article` per article and one :class:`ReadError` per input (file, JSONL
    line, CSV row) that cannot be read, and never raises for bad input. ``published`` (a date)
    is set on articles that carry none. An article over ``max_bytes`` bytes is refused. A
    FIFO, device or socket named as a path is refused (give it as ``-``: it is read as stdin).
    Text that is not UTF-8 is decoded by detection (charset-normalizer; among equally likely
    encodings Windows-1252, English's legacy one); ``encoding`` forces one for text, HTML and
    CSV inputs (JSON is UTF-8). Raises ValueError at once when ``published`` is not a date or
    ``encoding`` names no codec.
    """
    if encoding is not None:
        codecs.lookup(encoding)  # LookupError, a ValueError, when unknown
    default_date = None
    if published is not None:
        default_date = normalize_date(published)
        if default_date is None:
            raise ValueError(f"not a date: {published!r}")
    return _read_all(sources, default_date=default_date, max_bytes=max_bytes, stdin=stdin, encoding=encoding)


def _read_all(
    sources: Iterable[str],
    *,
    default_date: str | None,
    max_bytes: int,
    stdin: TextIO | None,
    encoding: str | None,
) -> Iterator[Article | ReadError]:
    for source in sources:
        try:
            for item in _read_source(source, max_bytes=max_bytes, stdin=stdin, encoding=encoding):
                if isinstance(item, Article) and default_date and item.metadata.published is None:
                    metadata = item.metadata.model_copy(update={"published": default_date})
                    item = item.model_copy(update={"metadata": metadata})
                yield item
        except Exception as error:  # a reader bug must not end the whole run
            yield ReadError(
                source=source, reason=_one_line(f"could not read ({type(error).__name__}: {error})")
            )


_NOT_FILES = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def _read_source(
    source: str, *, max_bytes: int, stdin: TextIO | None, encoding: str | None
) -> Iterator[Article | ReadError]:
    if source == "-":
        text_stream = stdin if stdin is not None else sys.stdin
        if text_stream is None:
            yield ReadError(source="-", reason="no standard input")
            return
        buffer = getattr(text_stream, "buffer", None) if stdin is None else None
        stream: _ByteStream = buffer if buffer is not None else _EncodedText(text_stream)
        yield from _read_stdin(stream, max_bytes=max_bytes, encoding=encoding)
        return
    try:
        info = os.stat(source)
    except OSError as error:
        yield ReadError(source=source, reason=_os_reason(error))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _read_directory(source, max_bytes=max_bytes, encoding=encoding)
        return
    for test, kind in _NOT_FILES:
        if test(info.st_mode):  # reading one could block for ever or never end
            yield ReadError(
                source=source, reason=f"not a regular file ({kind}); to read it, give - and redirect it"
            )
            return
    yield from _read_file(source, size=info.st_size, max_bytes=max_bytes, encoding=encoding)


def _read_directory(root: str, *, max_bytes: int, encoding: str | None) -> Iterator[Article | ReadError]:
    taken = 0
    for item in _walk(root, seen=set()):
        taken += 1
        if isinstance(item, ReadError):
            yield item
            continue
        path, size = item
        yield from _read_file(path, size=size, max_bytes=max_bytes, encoding=encoding)
    if taken == 0:
        yield ReadError(source=root, reason="no input files in directory (.txt .html .jsonl .csv ...)")


def _walk(directory: str, *, seen: set[tuple[int, int]]) -> Iterator[tuple[str, int] | ReadError]:
    """Input files under ``directory`` as (path, size), sorted by name, hidden ones skipped."""
    try:
        info = os.stat(directory)
        if (info.st_dev, info.st_ino) in seen:
            return  # a link back up the tree
        seen.add((info.st_dev, info.st_ino))
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as error:
        yield ReadError(source=directory, reason=_os_reason(error))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(directory, entry.name)
        try:
            if entry.is_dir():
                yield from _walk(path, seen=seen)
            elif entry.is_file() and entry.name.lower().endswith(_DIR_SUFFIXES):
                yield path, entry.stat().st_size
        except OSError as error:
            yield ReadError(source=path, reason=_os_reason(error))


def _read_file(
    path: str, *, size: int, max_bytes: int, encoding: str | None
) -> Iterator[Article | ReadError]:
    if is_warc(path):
        yield from read_warc(path, max_bytes=max_bytes)
        return
    suffix = os.path.splitext(path)[1].lower()
    try:
        if suffix in _JSONL_SUFFIXES or suffix in _CSV_SUFFIXES:
            stream = _open_binary(path)
            try:
                if suffix in _CSV_SUFFIXES:
                    yield from _read_csv(stream, path=path, max_bytes=max_bytes, encoding=encoding)
                else:
                    yield from _read_jsonl(stream, prefix=path, max_bytes=max_bytes)
            finally:
                stream.close()
        else:
            if size > max_bytes:
                raise _Skip(f"file too large ({_size(size)}; limit {_limit(max_bytes)})")
            with _open_binary(path) as stream:
                data = stream.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise _Skip(f"file too large (over {_limit(max_bytes)})")
            if suffix in _HTML_SUFFIXES:
                yield _from_html(_decode_html(data, encoding), id=path, source=path, metadata=Metadata())
            else:
                yield parse_scraped(_decode(data, encoding), id=path)
    except _Skip as skip:
        yield ReadError(source=path, reason=skip.reason)
    except OSError as error:
        yield ReadError(source=path, reason=_os_reason(error))


def _open_binary(path: str) -> BinaryIO:
    return open(path, "rb")


def _read_stdin(
    stream: _ByteStream, *, max_bytes: int, encoding: str | None
) -> Iterator[Article | ReadError]:
    """``-``: JSONL when the first character is ``{``, HTML when ``<``, else one plain text."""
    limit = _line_limit(max_bytes)
    head: list[bytes] = []
    first_char = b""
    while not first_char:
        line = stream.readline(limit)
        if not line:
            break
        head.append(line)
        first_char = line.removeprefix(codecs.BOM_UTF8).lstrip()[:1]
    if not first_char:
        yield ReadError(source="-", reason="empty input")
        return
    if first_char == b"{":
        yield from _read_jsonl(_Replay(head, stream), prefix="-", max_bytes=max_bytes)
        return
    data = b"".join(head)
    if len(data) <= max_bytes:
        data += stream.read(max_bytes + 1 - len(data))
    try:
        if len(data) > max_bytes:
            raise _Skip(f"input too large (over {_limit(max_bytes)})")
        if first_char == b"<":
            yield _from_html(_decode_html(data, encoding), id="-", source="-", metadata=Metadata())
        else:
            yield parse_scraped(_decode(data, encoding), id="-")
    except _Skip as skip:
        yield ReadError(source="-", reason=skip.reason)


class _Replay:
    """Lines already read, then the rest of the stream."""

    def __init__(self, head: list[bytes], stream: _ByteStream) -> None:
        self._head = list(head)
        self._stream = stream

    def readline(self, size: int = -1, /) -> bytes:
        return self._head.pop(0) if self._head else self._stream.readline(size)

    def read(self, size: int = -1, /) -> bytes:
        raise NotImplementedError  # only read line by line


def _read_jsonl(stream: _ByteStream, *, prefix: str, max_bytes: int) -> Iterator[Article | ReadError]:
    """One article per JSON line; ``prefix:lineno`` names a line."""
    seen_any = False
    for lineno, raw, size in _lines(stream, limit=_line_limit(max_bytes)):
        where = f"{prefix}:{lineno}"
        if raw is None:
            seen_any = True
            yield ReadError(
                source=where, reason=f"article too large (line of {_size(size)}; limit {_limit(max_bytes)})"
            )
            continue
        if lineno == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        if not raw.strip():
            continue
        seen_any = True
        if lineno == 1 and b"\x00" in raw:
            yield ReadError(source=prefix, reason="binary file, not text")
            return
        yield _from_json_line(raw, where=where, max_bytes=max_bytes)
    if not seen_any:
        yield ReadError(source=prefix, reason="empty file")


def _lines(stream: _ByteStream, *, limit: int) -> Iterator[tuple[int, bytes | None, int]]:
    """(lineno, line, size); line is None when it is longer than ``limit`` (then skipped)."""
    lineno = 0
    while True:
        raw = stream.readline(limit + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) <= limit:
            yield lineno, raw, len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = stream.readline(_MIB)
            if not raw:
                break
            size += len(raw)
        yield lineno, None, size


def _from_json_line(raw: bytes, *, where: str, max_bytes: int) -> Article | ReadError:
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return ReadError(
            source=where, reason=f"not valid UTF-8 ({error.reason} at offset {error.start} of the line)"
        )
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return ReadError(source=where, reason=f"not valid JSON ({error.msg} at column {error.colno})")
    except RecursionError:
        return ReadError(source=where, reason="not valid JSON (nested too deeply)")
    if not isinstance(record, dict):
        return ReadError(source=where, reason=f"not a JSON object (a {_json_type(record)})")
    return _from_fields(record, default_id=where, where=where, max_bytes=max_bytes)


def _json_type(value: object) -> str:
    names = {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _from_fields(
    fields: Mapping[str, object], *, default_id: str, where: str, max_bytes: int
) -> Article | ReadError:
    """One record of JSONL or CSV: {id?, text | html, url?, published?, title?, source?}."""
    raw_id = fields.get("id")
    if raw_id is None or raw_id == "":
        article_id = default_id
    elif isinstance(raw_id, str) or (isinstance(raw_id, int) and not isinstance(raw_id, bool)):
        article_id = str(raw_id)
    else:
        return ReadError(source=where, reason="'id' is not a string")
    if fields.get("text") is not None:
        kind = "text"
    elif fields.get("html") is not None:
        kind = "html"
    else:
        return ReadError(source=where, reason="no 'text' or 'html' field")
    content = fields[kind]
    if not isinstance(content, str):
        return ReadError(source=where, reason=f"'{kind}' is not a string")
    if not content.strip():
        return ReadError(source=where, reason=f"empty {kind}")
    try:
        size = len(content.encode("utf-8"))
    except UnicodeEncodeError as error:
        return ReadError(
            source=where, reason=f"'{kind}' has an unpaired surrogate at character {error.start}"
        )
    if size > max_bytes:
        return ReadError(source=where, reason=f"article too large ({_size(size)}; limit {_limit(max_bytes)})")

    def field(name: str) -> str | None:
        value = fields.get(name)
        return (value.strip() or None) if isinstance(value, str) else None

    published = field("published")
    metadata = Metadata(
        url=field("url"),
        source=field("source"),
        title=field("title"),
        published=normalize_date(published) if published else None,
    )
    try:
        if kind == "text":
            article = parse_scraped(content, id=article_id, metadata=metadata)
        else:
            article = _from_html(content, id=article_id, source=where, metadata=metadata)
    except _Skip as skip:
        return ReadError(source=where, reason=skip.reason)
    if article_id != where:
        article.origin = where
    return article


_CSV_COLUMNS = {
    "text": "text",
    "body": "text",
    "content": "text",
    "html": "html",
    "id": "id",
    "url": "url",
    "link": "url",
    "published": "published",
    "date": "published",
    "title": "title",
    "source": "source",
}


def _read_csv(
    stream: _ByteStream, *, path: str, max_bytes: int, encoding: str | None = None
) -> Iterator[Article | ReadError]:
    """One article per row of a CSV whose header row names a ``text`` (or body/content) column."""
    lines = _decoded_lines(stream, limit=_line_limit(max_bytes), encoding=encoding)
    head: list[str] = []
    try:
        for line in lines:
            head.append(line)
            if line.strip():
                break
    except _Skip as skip:
        yield ReadError(source=path, reason=skip.reason)
        return
    if not head or not head[-1].strip():
        yield ReadError(source=path, reason="empty file")
        return
    delimiter = max(",;\t", key=head[-1].count)
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes + 1))
    reader = csv.reader(itertools.chain(head, lines), delimiter=delimiter)
    columns: list[str | None] | None = None
    rownumber = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except _Skip as skip:
            yield ReadError(source=path, reason=skip.reason)
            return
        except csv.Error as error:
            rownumber += 1
            reason = f"not valid CSV ({error})"
            if "field limit" in str(error):
                reason = f"article too large (over {_limit(max_bytes)})"
            yield ReadError(source=f"{path}:{rownumber}", reason=_one_line(reason))
            continue
        rownumber += 1
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns = [_CSV_COLUMNS.get(name.strip().lower()) for name in row]
            if "text" not in columns and "html" not in columns:
                yield ReadError(source=path, reason="no 'text', 'body' or 'content' column in the CSV header")
                return
            continue
        fields: dict[str, object] = {}
        for name, cell in zip(columns, row, strict=False):
            if name and name not in fields and cell.strip():
                fields[name] = cell
        where = f"{path}:{rownumber}"
        if "text" not in fields and "html" not in fields:
            yield ReadError(source=where, reason="no text in this row")
            continue
        yield _from_fields(fields, default_id=where, where=where, max_bytes=max_bytes)


def _decoded_lines(stream: _ByteStream, *, limit: int, encoding: str | None = None) -> Iterator[str]:
    """UTF-8 (or ``encoding``) lines of a file; raises _Skip for NUL bytes, bad bytes or an overlong line."""
    offset = 0
    for lineno, raw, size in _lines(stream, limit=limit):
        if raw is None:
            raise _Skip(f"line {lineno} too long ({_size(size)}; limit {_limit(limit)})")
        skip = 0
        if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
            skip = len(codecs.BOM_UTF8)
        if b"\x00" in raw and encoding is None:
            raise _Skip("binary file, not text")
        try:
            yield raw[skip:].decode(encoding or "utf-8")
        except UnicodeDecodeError as error:
            name = encoding or "UTF-8"
            raise _Skip(
                f"not valid {name} ({error.reason} at offset {offset + skip + error.start});"
                " give its encoding with --encoding"
            ) from None
        offset += size


def _decode(data: bytes, encoding: str | None = None, *, detect: bool = True) -> str:
    """The text of a whole file or input: UTF-8, else detected (or ``encoding``, forced).

    Raises _Skip when it is empty, binary or cannot be decoded.
    """
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            raise _Skip(f"not valid {encoding} ({error.reason} at offset {error.start})") from None
        text = text.removeprefix("\ufeff")
        if not text.strip():
            raise _Skip("empty file")
        return text
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):  # a byte-order mark names the encoding; NULs inside are binary
            text = _decode(data, name)
            if "\x00" in text:
                raise _Skip("binary file, not text")
            return text
    if b"\x00" in data:
        raise _Skip("binary file, not text")
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        found = _detect(data) if detect and not _UTF8_SEQUENCE_RE.search(data) else None
        if found is None:
            raise _NotUtf8(
                f"not valid UTF-8 ({error.reason} at offset {skip + error.start}); give its encoding"
                " with --encoding"
            ) from None
        text = found
    if not text.strip():
        raise _Skip("empty file")
    return text


#: A multi-byte UTF-8 character: text holding one is UTF-8 with faults, not a legacy encoding.
_UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
#: Largest text whose encoding is detected (detection reads samples of it).
_DETECT_MAX = 10 * _MIB


def _detect(data: bytes) -> str | None:
    """Legacy-encoded text decoded by charset-normalizer; None when nothing fits.

    Among the encodings that read the bytes equally cleanly, Windows-1252 is taken (the
    legacy encoding of English and Western European text, which HTML5 also reads for
    ``latin-1``): short texts fit several single-byte encodings alike.
    """
    from charset_normalizer import from_bytes

    if len(data) > _DETECT_MAX:
        return None
    matches = list(from_bytes(data))
    if not matches:
        return None
    cleanest = min(m.chaos for m in matches)
    likely = [m for m in matches if m.chaos <= cleanest + 0.01]
    western = any("cp1252" in m.could_be_from_charset for m in likely)
    try:
        return data.decode("cp1252" if western else likely[0].encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _decode_html(data: bytes, encoding: str | None = None) -> str | bytes:
    """HTML as text when UTF-8 (or ``encoding``); else the bytes, for trafilatura to read its charset."""
    try:
        return _decode(data, encoding, detect=False)
    except _NotUtf8:
        return data


#: Deepest element nesting passed to the HTML parser: lxml drops what lies past 255 levels.
MAX_HTML_DEPTH = 200
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SELF_CLOSING = frozenset("p li dt dd tr td th option".split())  # closed by a sibling of their name


def flatten_html(html: str, *, limit: int = MAX_HTML_DEPTH) -> str:
    """HTML whose elements nested deeper than ``limit`` lose their tags, not their text.

    A page nested past what the parser takes (lxml stops at 255 levels) would lose its text
    there silently; unwrapping the elements past ``limit`` keeps the text, in order. Pages
    nested less deeply come back unchanged.
    """
    stack: list[tuple[str, bool]] = []  # (tag, kept)
    dropped: list[tuple[int, int]] = []
    deepest = 0
    for match in _TAG_RE.finditer(html):
        closing, name, empty = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID_TAGS or empty:
            continue
        if not closing:
            if name in _SELF_CLOSING and stack and stack[-1][0] == name:
                stack.pop()
            kept = len(stack) < limit
            stack.append((name, kept))
            deepest = max(deepest, len(stack))
            if not kept:
                dropped.append(match.span())
            continue
        for depth in range(len(stack) - 1, max(-1, len(stack) - 64), -1):
            if stack[depth][0] == name:
                if not stack[depth][1]:
                    dropped.append(match.span())
                del stack[depth:]
                break
    if deepest <= limit:
        return html
    parts: list[str] = []
    at = 0
    for start, end in dropped:
        parts.append(html[at:start])
        at = end
    parts.append(html[at:])
    return "".join(parts)


def _from_html(html: str | bytes, *, id: str, source: str, metadata: Metadata) -> Article:
    """An article from an HTML page: trafilatura's main text and metadata; raises _Skip."""
    import trafilatura  # imported here: it is only needed for HTML

    if isinstance(html, bytes):  # a legacy charset: latin-1 maps bytes to characters one to one
        flat = flatten_html(html.decode("latin-1"))
        html = flat.encode("latin-1")
    else:
        html = flatten_html(html)
    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    except Exception as error:  # trafilatura and lxml raise many kinds on broken pages
        raise _Skip(_one_line(f"could not parse HTML ({type(error).__name__}: {error})")) from None
    text = getattr(document, "text", None) if document is not None else None
    if not isinstance(text, str) or not text.strip():
        raise _Skip("no article text found in HTML")

    def attr(name: str) -> str | None:
        value = getattr(document, name, None)
        return (value.strip() or None) if isinstance(value, str) else None

    url = attr("url")
    page = Metadata(
        url=url,
        title=attr("title"),
        published=normalize_date(attr("date") or ""),
        source=(_domain(url) if url else None) or attr("sitename") or attr("hostname"),
        tags_in_source=[
            item
            for name in ("tags", "categories")
            for value in (getattr(document, name, None) or [])
            if isinstance(value, str)
            for item in _split_list(value)
        ],
    )
    article = parse_scraped(text, id=id, metadata=_merge(metadata, page))
    article.extracted = True
    return article


# ---------------------------------------------------------------------------------- messages


def _line_limit(max_bytes: int) -> int:
    """Longest JSONL/CSV line read: JSON escapes can make a line several times its text."""
    return 6 * max_bytes + 64 * _KIB


def _size(n: int) -> str:
    if n >= _MIB:
        return f"{n / _MIB:.1f} MB"
    if n >= _KIB:
        return f"{n / _KIB:.1f} KB"
    return f"{n} bytes"


def _limit(n: int) -> str:
    if n % _MIB == 0:
        return f"{n // _MIB} MB"
    if n % _KIB == 0:
        return f"{n // _KIB} KB"
    return f"{n} bytes"


def _os_reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file or directory"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    return _one_line((error.strerror or str(error)).lower())


def _one_line(reason: str) -> str:
    return " ".join(reason.split())[:300]


def read_record(
    fields: Mapping[str, object], *, where: str, max_bytes: int = MAX_BYTES
) -> Article | ReadError:
    """One article given as fields (``text`` or ``html``, ``title``, ``url``, ``published``,
    ``source``, ``id``), read as a JSONL line is; ``where`` names it in errors."""
    return _from_fields(fields, default_id=where, where=where, max_bytes=max_bytes)
