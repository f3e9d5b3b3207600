"""Web archives: articles from the HTML pages of a WARC file (``.warc``, ``.warc.gz``) or a WACZ.

Records are read one by one (warcio), never the whole file at once. An article is made from
each ``response`` record that holds an HTML page (``Content-Type`` text/html or
application/xhtml+xml, or a body that starts like HTML when there is none) with HTTP status
200: its text and metadata through trafilatura, as for an HTML file; its id and URL are the
record's ``WARC-Target-URI``; its date is the page's own publication date, else the day of the
record's ``WARC-Date`` (when it was captured). A WACZ file (``.wacz``, the Webrecorder
package: a ZIP holding WARC files under ``archive/``, as ArchiveWeb.page and browsertrix-crawler
write it) is read as its WARC files one after the other, streamed from the ZIP. Skipped, and
counted in :class:`WarcCounts`:
responses that are not HTML, that are not 200, and duplicates (a URL, or a payload digest,
already read in this file or package). Other records (requests, metadata, revisits, warcinfo) are not
articles and are passed over. A page whose text cannot be extracted is one
:class:`~newsgraph.models.ReadError`; a truncated or corrupt archive ends with one too, after
every article read before the damage.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from newsgraph.models import Article, ReadError

__all__ = ["ARCHIVE_SUFFIXES", "WARC_SUFFIXES", "WarcCounts", "decode_page", "is_warc", "read_warc"]

WARC_SUFFIXES = (".warc", ".warc.gz")
#: Every web archive newsgraph reads: WARC files and WACZ packages.
ARCHIVE_SUFFIXES = (*WARC_SUFFIXES, ".wacz")
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")

log = logging.getLogger(__name__)


def is_warc(path: str) -> bool:
    """Whether ``path`` names a web archive, a WARC file or a WACZ package (by its name)."""
    return path.lower().endswith(ARCHIVE_SUFFIXES)


@dataclass
class WarcCounts:
    """What one WARC file held: articles made, and records skipped by reason."""

    html: int = 0
    not_html: int = 0
    not_ok: int = 0
    duplicates: int = 0
    other_records: int = 0

    def summary(self, path: str) -> str:
        """One line for people: '{path}: 50 HTML pages; skipped 3 not HTML, 2 not status 200, ...'."""
        return (
            f"{path}: {self.html} HTML pages; skipped {self.not_html} not HTML, "
            f"{self.not_ok} not status 200, {self.duplicates} duplicates "
            f"({self.other_records} other records)"
        )


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


def decode_page(data: bytes, content_type: str) -> str:
    """The page as text: by its HTTP charset, else UTF-8, else what the page itself declares."""
    charset = _charset(content_type)
    for encoding in (charset, "utf-8"):
        if encoding:
            try:
                return data.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    from trafilatura.utils import decode_file

    decoded = decode_file(data)
    return decoded if isinstance(decoded, str) else decoded.decode("utf-8", errors="replace")


class _Truncated(Exception):
    """The archive ends inside a record."""


def _drained(record: Any) -> bool:
    """Read the rest of a record's block; False when the file ended before the block did."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) <= 0


def read_warc(
    path: str, *, max_bytes: int = 10 * 2**20, counts: WarcCounts | None = None
) -> Iterator[Article | ReadError]:
    """Stream the articles of the WARC file or WACZ package at ``path`` (see the module's docstring).

    ``counts``, when given, is filled as the file is read. At the end, the counts are logged
    (logger ``newsgraph.sources.warc``, level INFO; the ``newsgraph`` command prints them).
    """
    counts = counts if counts is not None else WarcCounts()
    seen: set[str] = set()  # URLs and payload digests already read
    if path.lower().endswith(".wacz"):
        yield from _read_wacz(path, max_bytes=max_bytes, counts=counts, seen=seen)
    else:
        try:
            with open(path, "rb") as stream:
                size = os.fstat(stream.fileno()).st_size
                yield from _read_archive(
                    stream, path, size=size, max_bytes=max_bytes, counts=counts, seen=seen
                )
        except OSError as error:
            yield ReadError(source=path, reason=f"could not read ({error.strerror or error})")
    log.info("%s", counts.summary(path))


def _read_wacz(
    path: str, *, max_bytes: int, counts: WarcCounts, seen: set[str]
) -> Iterator[Article | ReadError]:
    """The WARC files under ``archive/`` in the WACZ package at ``path``, one after the other."""
    import zipfile

    try:
        package = zipfile.ZipFile(path)
    except OSError as error:
        yield ReadError(source=path, reason=f"could not read ({error.strerror or error})")
        return
    except zipfile.BadZipFile:
        yield ReadError(source=path, reason="not a WACZ package (not a ZIP archive)")
        return
    with package:
        members = [
            info
            for info in package.infolist()
            if info.filename.startswith("archive/") and info.filename.lower().endswith(WARC_SUFFIXES)
        ]
        if not members:
            yield ReadError(source=path, reason="not a WACZ package (no WARC files under archive/)")
        for info in members:
            name = f"{path}!{info.filename}"
            try:
                member = package.open(info)
            except (OSError, zipfile.BadZipFile, NotImplementedError) as error:
                yield ReadError(source=name, reason=f"could not read ({error})")
                continue
            with member:
                yield from _read_archive(
                    member, name, size=info.file_size, max_bytes=max_bytes, counts=counts, seen=seen
                )


def _read_archive(
    stream: IO[bytes], path: str, *, size: int, max_bytes: int, counts: WarcCounts, seen: set[str]
) -> Iterator[Article | ReadError]:
    """The articles of one WARC stream of ``size`` bytes, named ``path`` in records and errors."""
    from warcio.archiveiterator import ArchiveIterator

    number = 0
    html_before = counts.html
    try:
        records = ArchiveIterator(stream)
        for record in records:
            number += 1
            item = _take(record, path=path, number=number, max_bytes=max_bytes, counts=counts, seen=seen)
            if not _drained(record):
                raise _Truncated
            if isinstance(item, Article):
                counts.html += 1
            if item is not None:
                yield item
        if size - records.offset > 4:  # a partial record at the end
            raise _Truncated
        if number == 0:
            yield ReadError(source=path, reason="no WARC records (an empty archive)")
    except OSError as error:
        yield ReadError(source=path, reason=f"could not read ({error.strerror or error})")
    except Exception as error:  # warcio, gzip, zlib and zipfile raise many kinds on a damaged archive
        if number <= 1 and not isinstance(error, _Truncated):
            reason = " ".join(f"{type(error).__name__}: {error}".split())[:200]
            yield ReadError(source=path, reason=f"not a WARC archive ({reason})")
        else:
            yield ReadError(
                source=path,
                reason=f"truncated or damaged WARC archive at record {number}; "
                f"the {counts.html - html_before} pages before it were read",
            )


def _take(
    record: Any, *, path: str, number: int, max_bytes: int, counts: WarcCounts, seen: set[str]
) -> Article | ReadError | None:
    """The article of one record; None (counted) for a record that is skipped."""
    from newsgraph.readers import normalize_date, read_record  # here: readers dispatches to this module

    if record.rec_type != "response" or record.http_headers is None:
        counts.other_records += 1
        return None
    url = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    if record.http_headers.get_statuscode() != "200":
        counts.not_ok += 1
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    data = record.content_stream().read(max_bytes + 1)
    kind = content_type.split(";")[0].strip().lower()
    if kind not in _HTML_TYPES and (kind or not data.lstrip()[:14].lower().startswith(_HTML_STARTS)):
        counts.not_html += 1
        return None
    digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    if (url and url in seen) or (digest and digest in seen):
        counts.duplicates += 1
        return None
    seen.update(key for key in (url, digest) if key)
    where = f"{path}: record {number} ({url or 'no URL'})"
    if len(data) > max_bytes:
        return ReadError(source=where, reason=f"page too large (over {max_bytes:,} bytes)")
    fields = {"id": url or f"{path}#{number}", "html": decode_page(data, content_type), "url": url or None}
    item = read_record(fields, where=where, max_bytes=max_bytes)
    if isinstance(item, Article) and item.metadata.published is None:
        item.metadata.published = normalize_date((record.rec_headers.get_header("WARC-Date") or "")[:10])
    return item
