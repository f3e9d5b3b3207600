"""Tests of the WARC reader: archives written here with warcio (HTML, PDF, 404, duplicates, damage)."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsgraph.models import Article, ReadError
from newsgraph.readers import read_inputs
from newsgraph.sources.warc import WarcCounts, is_warc, read_warc

CAPTURED = "2024-03-07T10:15:00Z"


def page(n: int, *, dated: bool = False) -> bytes:
    """An HTML news page of our own, different for each ``n``."""
    date = '<meta property="article:published_time" content="2024-03-05">' if dated else ""
    body = " ".join(
        f"Council member Ana Ruiz number {n} said on Tuesday that the new bridge over the river "
        f"would open in spring, after {n + 2} years of work and a budget of {n + 10} million dollars."
        for _ in range(3)
    )
    return (
        f"<html><head><title>Bridge story {n}</title>{date}</head><body><article><h1>Bridge story {n}</h1>"
        f"<p>{body}</p><p>Residents of district {n} welcomed the news at a meeting on Wednesday.</p>"
        f"</article></body></html>"
    ).encode()


def response(
    writer: WARCWriter,
    url: str,
    payload: bytes,
    *,
    status: str = "200 OK",
    content_type: str | None = "text/html; charset=utf-8",
) -> None:
    headers = [("Content-Length", str(len(payload)))]
    if content_type:
        headers.append(("Content-Type", content_type))
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(payload),
        http_headers=http,
        warc_headers_dict={"WARC-Date": CAPTURED},
    )
    writer.write_record(record)


def request(writer: WARCWriter, url: str) -> None:
    http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.org")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, "request", http_headers=http))


def write_warc(path: Path, pages: int, *, noise: bool = True) -> Path:
    """``pages`` HTML pages, each after its request record; with noise: a warcinfo record, a PDF,
    a 404, a redirect, a duplicate URL, a duplicate payload under another URL, a JSON response."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=path.name.endswith(".gz"))
        if noise:
            writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for n in range(pages):
            url = f"https://news.example.org/2024/bridge-{n}"
            request(writer, url)
            response(writer, url, page(n, dated=n == 0))
            if noise and n == 1:
                response(
                    writer,
                    "https://news.example.org/report.pdf",
                    b"%PDF-1.4 ...",
                    content_type="application/pdf",
                )
                response(writer, "https://news.example.org/gone", page(900), status="404 Not Found")
                response(writer, "https://news.example.org/old", b"", status="301 Moved Permanently")
                response(writer, url, page(n))  # the same URL again
                response(writer, "https://news.example.org/copy-of-1", page(n))  # the same payload again
                response(writer, "https://news.example.org/api", b'{"a": 1}', content_type="application/json")
    return path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("crawl.warc.gz", True),
        ("CRAWL.WARC", True),
        ("crawl.wacz", True),
        ("crawl.warc.txt", False),
        ("crawl.gz", False),
        ("crawl.zip", False),
    ],
)
def test_is_warc(name: str, expected: bool) -> None:
    assert is_warc(name) is expected


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_html_responses_become_articles_and_the_rest_is_counted(tmp_path: Path, name: str) -> None:
    path = write_warc(tmp_path / name, 4)
    counts = WarcCounts()
    items = list(read_warc(str(path), counts=counts))
    assert all(isinstance(item, Article) for item in items), items
    articles = [item for item in items if isinstance(item, Article)]
    assert [a.id for a in articles] == [f"https://news.example.org/2024/bridge-{n}" for n in range(4)]
    assert [a.metadata.title for a in articles] == [f"Bridge story {n}" for n in range(4)]
    assert all(a.metadata.url == a.id and a.metadata.source == "news.example.org" for a in articles)
    assert "Ana Ruiz number 2" in articles[2].text and "<p>" not in articles[2].text
    # the page's own date wins; else the day the record was captured
    assert [a.metadata.published for a in articles] == ["2024-03-05"] + ["2024-03-07"] * 3
    assert (counts.html, counts.not_html, counts.not_ok, counts.duplicates) == (4, 2, 2, 2)
    assert counts.other_records == 5  # warcinfo and four requests
    assert counts.summary("x") == (
        "x: 4 HTML pages; skipped 2 not HTML, 2 not status 200, 2 duplicates (5 other records)"
    )


def test_a_page_without_content_type_is_sniffed(tmp_path: Path) -> None:
    path = tmp_path / "a.warc"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=False)
        response(writer, "https://news.example.org/a", page(1), content_type=None)
        response(writer, "https://news.example.org/b", b"\x89PNG\r\n...", content_type=None)
    counts = WarcCounts()
    assert [item.id for item in read_warc(str(path), counts=counts)] == ["https://news.example.org/a"]
    assert counts.not_html == 1


def test_a_page_with_no_article_text_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "a.warc.gz"
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        response(
            writer,
            "https://news.example.org/empty",
            b"<html><head><title>Menu</title></head><body></body></html>",
        )
        response(writer, "https://news.example.org/1", page(1))
    first, second = read_warc(str(path))
    assert isinstance(first, ReadError) and first.reason == "no article text found in HTML"
    assert first.source.endswith("a.warc.gz: record 1 (https://news.example.org/empty)")
    assert isinstance(second, Article)


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_a_truncated_archive_ends_with_a_clear_error_after_what_it_read(tmp_path: Path, name: str) -> None:
    whole = write_warc(tmp_path / f"whole-{name}", 6, noise=False).read_bytes()
    cut = tmp_path / name
    for fraction in (0.5, 0.66, 0.9):  # inside a page, inside another, inside a record's headers
        cut.write_bytes(whole[: int(len(whole) * fraction)])
        *articles, error = read_warc(str(cut))
        assert 2 <= len(articles) <= 5 and all(isinstance(a, Article) for a in articles), fraction
        assert isinstance(error, ReadError) and error.source == str(cut)
        assert error.reason.startswith("truncated or damaged WARC archive at record"), error.reason
        assert error.reason.endswith(f"the {len(articles)} pages before it were read")


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_text("These are my notes,\nnot an archive.\n\nA second paragraph.\n", encoding="utf-8")
    (error,) = read_warc(str(path))
    assert isinstance(error, ReadError) and error.reason.startswith("not a WARC archive")
    empty = tmp_path / "empty.warc.gz"
    empty.write_bytes(b"")
    assert [e.reason for e in read_warc(str(empty))] == ["no WARC records (an empty archive)"]


def test_read_inputs_dispatches_warc_files_and_directories(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_warc(tmp_path / "a.warc.gz", 3)
    (tmp_path / "note.txt").write_text("Ana Ruiz said the bridge would open in spring.\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="newsgraph.sources.warc"):
        ids = [item.id for item in read_inputs([str(tmp_path)])]
    assert ids == [f"https://news.example.org/2024/bridge-{n}" for n in range(3)] + [
        str(tmp_path / "note.txt")
    ]
    assert "a.warc.gz: 3 HTML pages; skipped 2 not HTML, 2 not status 200, 2 duplicates" in caplog.text


def write_wacz(path: Path, warcs: dict[str, Path]) -> Path:
    """A WACZ package as Webrecorder's tools write it: the WARC files stored under ``archive/``,
    beside the index and page list a reader of articles does not need."""
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("datapackage.json", json.dumps({"profile": "data-package", "wacz_version": "1.1.1"}))
        package.writestr("pages/pages.jsonl", '{"format": "json-pages-1.0"}\n')
        package.writestr("indexes/index.cdx", "")
        for name, warc in warcs.items():
            package.write(warc, f"archive/{name}", compress_type=zipfile.ZIP_STORED)
    return path


def test_a_wacz_package_is_read_as_its_warc_files(tmp_path: Path) -> None:
    first = write_warc(tmp_path / "one.warc.gz", 3)
    second = write_warc(tmp_path / "two.warc", 2, noise=False)  # pages 0 and 1 again: duplicates
    with second.open("ab") as stream:
        response(WARCWriter(stream, gzip=False), "https://news.example.org/2024/extra", page(7))
    wacz = write_wacz(tmp_path / "crawl.wacz", {"data-1.warc.gz": first, "data-2.warc": second})
    counts = WarcCounts()
    items = list(read_warc(str(wacz), counts=counts))
    assert [item.id for item in items] == [f"https://news.example.org/2024/bridge-{n}" for n in range(3)] + [
        "https://news.example.org/2024/extra"
    ]
    assert all(isinstance(item, Article) for item in items)
    assert (counts.html, counts.duplicates) == (4, 4)  # 2 in the first file, 2 across the two


def test_a_damaged_wacz_is_one_clear_error(tmp_path: Path) -> None:
    not_zip = tmp_path / "a.wacz"
    not_zip.write_text("not a package", encoding="utf-8")
    assert [e.reason for e in read_warc(str(not_zip))] == ["not a WACZ package (not a ZIP archive)"]
    empty = tmp_path / "b.wacz"
    with zipfile.ZipFile(empty, "w") as package:
        package.writestr("datapackage.json", "{}")
    assert [e.reason for e in read_warc(str(empty))] == ["not a WACZ package (no WARC files under archive/)"]
    # a WARC inside the package cut short: what was read before the damage, then one error naming it
    whole = write_warc(tmp_path / "whole.warc", 6, noise=False).read_bytes()
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole[: len(whole) // 2])
    *articles, error = read_warc(str(write_wacz(tmp_path / "c.wacz", {"data.warc": cut})))
    assert 2 <= len(articles) <= 4 and all(isinstance(a, Article) for a in articles)
    assert isinstance(error, ReadError) and error.source == f"{tmp_path / 'c.wacz'}!archive/data.warc"
    assert error.reason.startswith("truncated or damaged WARC archive")


# ---------------------------------------------------------------------------------- with the model


@pytest.mark.slow
def test_fifty_pages_and_noise_ingest_to_fifty_articles(tmp_path: Path) -> None:
    from newsgraph.cli import app

    warc = write_warc(tmp_path / "crawl.warc.gz", 50)
    db = tmp_path / "s.db"
    result = CliRunner().invoke(app, ["ingest", str(warc), "--db", str(db), "--batch-size", "25"])
    assert result.exit_code == 0, result.stderr
    assert "stored 50 articles (0 already stored), 0 failed" in result.stderr
    assert "crawl.warc.gz: 50 HTML pages; skipped 2 not HTML, 2 not status 200, 2 duplicates" in result.stderr
    again = CliRunner().invoke(app, ["ingest", str(warc), "--db", str(db)])
    assert "stored 0 articles (50 already stored), 0 failed" in again.stderr
