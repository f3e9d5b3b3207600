"""Tests of newsgraph.readers: scraped-text layout, file formats and per-input errors.

All texts are written here, apart from the seed article the repo ships. No spaCy.
"""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsgraph import readers
from newsgraph.models import Article, Metadata, ReadError
from newsgraph.readers import MAX_BYTES, normalize_date, parse_scraped, read_inputs

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_article.txt"

BODY = (
    "The first round of talks between the two delegations ended on Monday without an agreement.\n"
    "Officials on both sides said that further meetings would be needed before any deal.\n"
)

HTML_PAGE = """<!DOCTYPE html>
<html><head>
<title>Talks end without a deal | Example News</title>
<meta name="date" content="2022-01-11">
<meta property="og:site_name" content="Example News">
<meta name="keywords" content="Geneva, diplomacy">
<link rel="canonical" href="https://www.example.com/world/talks-end">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Talks end without a deal</h1>
<p>The first round of talks between the two delegations ended on Monday without an agreement,
officials said.</p>
<p>"We see no reason to be optimistic so far," a spokesman told reporters after the meeting in Geneva.</p>
<h2>Next steps</h2>
<p>Further rounds are planned later this week in Brussels and in Vienna, where other partners will join.</p>
</article>
<footer>Copyright 2022 Example News</footer>
</body></html>
"""


def read(sources: list[str], **options: Any) -> list[Article | ReadError]:
    return list(read_inputs(sources, **options))


def errors(items: list[Article | ReadError]) -> list[ReadError]:
    return [item for item in items if isinstance(item, ReadError)]


def articles(items: list[Article | ReadError]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


def zone_texts(article: Article) -> list[tuple[str, str]]:
    return [(zone.kind, article.text[zone.start : zone.end]) for zone in article.zones]


# ---------------------------------------------------------------------------------- the seed layout


def test_seed_layout() -> None:
    text = SEED.read_text(encoding="utf-8")
    article = parse_scraped(text, id="seed")
    first_line = text.split("\n", 1)[0]
    trailer_at = text.index("LINK: ")

    assert article.text == text
    assert [zone.kind for zone in article.zones] == ["caption", "subheading", "trailer"]
    caption, subheading, trailer = article.zones
    assert (caption.start, caption.end) == (0, len(first_line))
    assert (trailer.start, trailer.end) == (trailer_at, len(text))
    assert text[subheading.start : subheading.end] == "Russia-NATO talks are ‘moment of truth"

    metadata = article.metadata
    assert metadata.caption is not None
    assert metadata.caption.startswith("Kremlin spokesman Dmitry Peskov moderates")
    assert metadata.caption.endswith("on December 23, 2021.")
    assert metadata.photo_credit == "AFP"
    assert metadata.url == "https://www.ansarpress.com/english/26044"
    assert metadata.source == "ansarpress.com"
    assert metadata.subheadings == ["Russia-NATO talks are ‘moment of truth"]
    assert metadata.tags_in_source == []
    assert metadata.title is None


# ---------------------------------------------------------------------------------- captions


@pytest.mark.parametrize(
    ("first_line", "caption", "credit"),
    [
        (
            "Delegates arrive in Geneva on Monday. (Photo by AFP)",
            "Delegates arrive in Geneva on Monday.",
            "AFP",
        ),
        ("Delegates arrive in Geneva. (photo: Reuters)", "Delegates arrive in Geneva.", "Reuters"),
        ("Delegates arrive in Geneva. (AFP Photo)", "Delegates arrive in Geneva.", "AFP"),
        ("Delegates arrive in Geneva. Photo: Jane Roe", "Delegates arrive in Geneva.", "Jane Roe"),
        (
            "Delegates arrive in Geneva. (Photo credit: Jane Roe/AP)",
            "Delegates arrive in Geneva.",
            "Jane Roe/AP",
        ),
        ("Delegates arrive in Geneva. [Image: EPA]", "Delegates arrive in Geneva.", "EPA"),
        ("Delegates arrive in Geneva. (AFP/Getty Images)", "Delegates arrive in Geneva.", "AFP/Getty Images"),
        ("Delegates arrive in Geneva | Photo by Jane Roe", "Delegates arrive in Geneva", "Jane Roe"),
    ],
)
def test_caption_credits(first_line: str, caption: str, credit: str) -> None:
    text = f"{first_line}   \n{BODY}"
    article = parse_scraped(text, id="a")
    assert article.metadata.caption == caption
    assert article.metadata.photo_credit == credit
    assert zone_texts(article)[0] == ("caption", first_line)


@pytest.mark.parametrize(
    "first_line",
    [
        "The minister (pictured) arrived in Geneva on Monday for the talks.",
        "The ministry released new images of the damage on Monday (see photos)",
        "Photo: Leaders meet in Geneva",  # a headline that starts with "Photo:"
    ],
)
def test_not_a_caption(first_line: str) -> None:
    article = parse_scraped(f"{first_line}\n{BODY}", id="a")
    assert article.metadata.caption is None
    assert article.metadata.photo_credit is None
    assert "caption" not in [zone.kind for zone in article.zones]


# ---------------------------------------------------------------------------------- trailers


def test_trailer_fields() -> None:
    trailer = (
        "url: http://news.example.org/a/1\n"
        "\n"
        "Keywords: Geneva; talks ;\n"
        "TAGS: Russia, NATO, , Ukraine\n"
        "Category: World\n"
        "Author: Jane Roe\n"
        "Published: January 11, 2022\n"
    )
    text = BODY + trailer
    article = parse_scraped(text, id="a")
    assert zone_texts(article) == [("trailer", trailer)]
    metadata = article.metadata
    assert metadata.url == "http://news.example.org/a/1"
    assert metadata.source == "news.example.org"
    assert metadata.tags_in_source == ["Geneva", "talks", "Russia", "NATO", "Ukraine", "World"]
    assert metadata.published == "2022-01-11"


def test_only_the_final_run_is_a_trailer() -> None:
    text = "Source: an official in Geneva spoke to reporters on Monday about the talks.\n" + BODY
    article = parse_scraped(text, id="a")
    assert article.zones == []
    assert article.metadata.url is None


def test_source_line_gives_the_domain() -> None:
    article = parse_scraped(BODY + "SOURCE: www.example.net\n", id="a")
    assert article.metadata.source == "example.net"


# ---------------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Talks end without a deal\n" + BODY, "Talks end without a deal"),
        ("Can the talks still succeed?\n\n" + BODY, "Can the talks still succeed?"),
        (
            "Stealth Talks: Delegates Leave Geneva Without Deal.\n\n" + BODY,
            "Stealth Talks: Delegates Leave Geneva Without Deal.",
        ),
        ("iPhone sales slow in Europe\n" + BODY, "iPhone sales slow in Europe"),
        ("  Talks end without a deal  \r\n" + BODY, "Talks end without a deal"),
    ],
)
def test_title(text: str, title: str) -> None:
    article = parse_scraped(text, id="a")
    assert article.metadata.title == title
    assert zone_texts(article) == [("title", title)]


@pytest.mark.parametrize(
    "first_line",
    [
        "The talks ended without a deal on Monday.",  # an ordinary sentence
        "Can the talks still succeed?",  # a question directly followed by the body
        '"We will not give up," the spokesman said',  # speech
        "By Jane Roe",
        "Key points:",
        "Talks ended without a deal, officials",  # goes on on the next line
    ],
)
def test_not_a_title(first_line: str) -> None:
    next_line = "said on Tuesday in Geneva.\n" if first_line.endswith("officials") else BODY
    article = parse_scraped(f"{first_line}\n{next_line}", id="a")
    assert article.metadata.title is None
    assert article.zones == []


def test_one_line_text_has_no_title() -> None:
    article = parse_scraped("Talks end without a deal", id="a")
    assert article.zones == []


def test_dateline_sets_published_not_title() -> None:
    article = parse_scraped("Friday, January 4, 2019\u00a0\n\n\n" + BODY, id="a")
    assert article.metadata.published == "2019-01-04"
    assert article.metadata.title is None
    assert article.zones == []


def test_given_title_wins_but_zone_stays() -> None:
    article = parse_scraped("Talks end without a deal\n" + BODY, id="a", metadata=Metadata(title="Given"))
    assert article.metadata.title == "Given"
    assert zone_texts(article) == [("title", "Talks end without a deal")]


# ---------------------------------------------------------------------------------- crossheads

P1 = "The first round of talks between the two delegations ended on Monday without an agreement."
P2 = "Officials on both sides said that further meetings would be needed before any deal was possible."
P3 = "A third paragraph follows here, and it too is an ordinary sentence of the body of the article."


@pytest.mark.parametrize(
    ("text", "subheadings"),
    [
        (f"{P1}\n{P2}\nWhat comes next\n{P3}\n", ["What comes next"]),
        (f"{P1}\n\n{P2}\n\nWhat comes next\n\n{P3}\n", ["What comes next"]),
        (f"{P1}\n{P2}\n‘Moment of truth for Europe\n{P3}\n", ["‘Moment of truth for Europe"]),
        # a one-line paragraph that ends in a quote mark is body
        (f'{P1}\n{P2}\nHe called it "a moment of truth"\n{P3}\n', []),
        (f"{P1}\n{P2}\nThe minister said:\n{P3}\n", []),
        (f"{P1}\n{P2}\n— Jane Roe, spokeswoman\n{P3}\n", []),
        # runs of short lines (a gallery, a list) are not crossheads
        (f"{P1}\n{P2}\nDelegates in Geneva\nThe hall in Vienna\n{P3}\n", []),
        # not between paragraphs: the previous one does not end
        (f"{P1}\n{P2[:-1]}\nWhat comes next\n{P3}\n", []),
        # in blank-line text a crosshead stands on its own
        (f"{P1}\n\n{P2}\nWhat comes next\n\n{P3}\n", []),
    ],
)
def test_subheadings(text: str, subheadings: list[str]) -> None:
    article = parse_scraped(text, id="a")
    assert article.metadata.subheadings == subheadings
    assert [t for kind, t in zone_texts(article) if kind == "subheading"] == subheadings


def test_hard_wrapped_text_keeps_its_lines_as_body() -> None:
    text = (
        "The first round of talks between the two delegations\n"
        "ended on Monday without an agreement, officials said.\n"
        "Further meetings will be held later this week\n"
        "in Brussels and in Vienna, where other partners\n"
        "will join the delegations for another round.\n"
        "Nobody expects a quick deal\n"
        "from the talks, a diplomat said on Tuesday.\n"
    )
    article = parse_scraped(text, id="a")
    assert article.zones == []


# ---------------------------------------------------------------------------------- metadata


def test_given_metadata_wins_and_lists_merge() -> None:
    text = (
        "Photo caption here. (Photo by AFP)\n"
        + BODY
        + "LINK: https://www.example.com/a\nTAGS: Geneva, talks\n"
    )
    given = Metadata(
        url="https://other.example.org/b", published="2022-01-12", tags_in_source=["talks", "NATO"]
    )
    metadata = parse_scraped(text, id="a", metadata=given).metadata
    assert metadata.url == "https://other.example.org/b"
    assert metadata.source == "other.example.org"
    assert metadata.published == "2022-01-12"
    assert metadata.tags_in_source == ["talks", "NATO", "Geneva"]
    assert metadata.photo_credit == "AFP"
    assert metadata.caption == "Photo caption here."


def test_empty_text() -> None:
    article = parse_scraped("  \n", id="a")
    assert article.zones == []
    assert article.text == "  \n"


# ---------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-01-11", "2022-01-11"),
        ("2022-01-11T10:00:00Z", "2022-01-11"),
        ("2022-01-11T23:30:00.123-05:00", "2022-01-11"),
        ("2022-01-11 10:00:00", "2022-01-11"),
        ("2022/01/11", "2022-01-11"),
        ("20220111", "2022-01-11"),
        ("January 11, 2022", "2022-01-11"),
        ("Jan. 11, 2022", "2022-01-11"),
        ("Sept. 9th 2022", "2022-09-09"),
        ("11 Jan 2022", "2022-01-11"),
        ("11th of January, 2022", "2022-01-11"),
        ("Tue, 11 Jan 2022 10:00:00 GMT", "2022-01-11"),
        ("Tuesday, January 11, 2022 at 10:30 am", "2022-01-11"),
        ("13/01/2022", "2022-01-13"),
        ("01/13/2022", "2022-01-13"),
        ("01/02/2022", None),  # day and month cannot be told apart
        ("2022-02-30", None),
        ("January 2022", None),
        ("January 11, 2022 was a cold day", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_normalize_date(value: str, expected: str | None) -> None:
    assert normalize_date(value) == expected


# ---------------------------------------------------------------------------------- JSONL


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "a", "text": BODY, "url": "https://www.example.com/a", "published": "Jan 3, 2022"}),
        "",
        "{not json",
        json.dumps({"id": "c", "body": BODY}),
        json.dumps({"text": 42}),
        json.dumps({"text": BODY, "title": "Given title"}),
        "   ",
        json.dumps({"id": 7, "html": HTML_PAGE}),
        json.dumps({"text": " \n "}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "big", "text": "x" * 2500}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read([str(path)], max_bytes=2000)
    p = str(path)
    assert [
        (type(item).__name__, item.id if isinstance(item, Article) else item.source) for item in items
    ] == [
        ("Article", "a"),
        ("ReadError", f"{p}:3"),
        ("ReadError", f"{p}:4"),
        ("ReadError", f"{p}:5"),
        ("Article", f"{p}:6"),
        ("Article", "7"),
        ("ReadError", f"{p}:9"),
        ("ReadError", f"{p}:10"),
        ("ReadError", f"{p}:11"),
    ]
    first, bad_json, no_text, not_string, sixth, html, empty, not_object, big = items
    assert isinstance(first, Article) and isinstance(sixth, Article) and isinstance(html, Article)
    assert first.text == BODY
    assert first.metadata.url == "https://www.example.com/a"
    assert first.metadata.source == "example.com"
    assert first.metadata.published == "2022-01-03"
    assert sixth.metadata.title == "Given title"
    assert "Further rounds are planned" in html.text
    assert html.metadata.published == "2022-01-11"
    assert (
        str(bad_json)
        == f"{p}:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)"
    )
    assert isinstance(no_text, ReadError) and no_text.reason == "no 'text' or 'html' field"
    assert isinstance(not_string, ReadError) and not_string.reason == "'text' is not a string"
    assert isinstance(empty, ReadError) and empty.reason == "empty text"
    assert isinstance(not_object, ReadError) and not_object.reason == "not a JSON object (a list)"
    assert isinstance(big, ReadError) and big.reason == "article too large (2.4 KB; limit 2000 bytes)"


def test_jsonl_line_far_over_the_limit_is_skipped_without_loading(tmp_path: Path) -> None:
    path = tmp_path / "in.ndjson"
    with path.open("w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "huge", "text": "y" * 200_000}) + "\n")
        f.write(json.dumps({"id": "ok", "text": BODY}) + "\n")
    items = read([str(path)], max_bytes=1000)
    assert isinstance(items[0], ReadError) and items[0].source == f"{path}:1"
    assert items[0].reason.startswith("article too large (line of 195.")
    assert isinstance(items[1], Article) and items[1].id == "ok"


def test_jsonl_bad_utf8_line_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    good = json.dumps({"id": "a", "text": BODY}).encode()
    path.write_bytes(
        b"\xef\xbb\xbf" + good + b'\n{"id": "b", "text": "caf\xe9"}\n' + good.replace(b'"a"', b'"c"')
    )
    items = read([str(path)])
    assert [getattr(item, "id", None) for item in items] == ["a", None, "c"]
    assert items[1] == ReadError(
        source=f"{path}:2", reason="not valid UTF-8 (invalid continuation byte at offset 24 of the line)"
    )


# ---------------------------------------------------------------------------------- HTML


def test_html_file(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (article,) = read([str(path)])
    assert isinstance(article, Article)
    assert article.id == str(path)
    assert "The first round of talks between the two delegations" in article.text
    assert "Further rounds are planned later this week" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text
    metadata = article.metadata
    assert metadata.title == "Talks end without a deal"
    assert metadata.published == "2022-01-11"
    assert metadata.url == "https://www.example.com/world/talks-end"
    assert metadata.source == "example.com"
    assert metadata.tags_in_source == ["Geneva", "diplomacy"]
    assert ("subheading", "Next steps") in zone_texts(article)
    for zone in article.zones:
        assert 0 <= zone.start < zone.end <= len(article.text)


def test_html_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text("<html><head><title>Nothing</title></head><body><script>var a;</script></body></html>")
    assert read([str(path)]) == [ReadError(source=str(path), reason="no article text found in HTML")]


def test_html_in_another_charset(tmp_path: Path) -> None:
    path = tmp_path / "latin.html"
    page = HTML_PAGE.replace("<head>", '<head><meta charset="iso-8859-1">').replace("Geneva.", "Genève.")
    path.write_bytes(page.encode("latin-1"))
    (article,) = read([str(path)])
    assert isinstance(article, Article) and "Genève" in article.text


# ---------------------------------------------------------------------------------- CSV


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "\ufeffID,Title,date,Body,url\n"
        f'a,Talks end,2019-01-04,"{P1}\n\n{P2}",https://www.example.com/a\n'
        ",,,,\n"
        f',No id,,"{P3}",\n'
        "c,No text,,,\n",
        encoding="utf-8",
    )
    items = read([str(path)])
    first, second, no_text = items
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.id == "a" and first.text == f"{P1}\n\n{P2}"
    assert first.metadata.title == "Talks end" and first.metadata.published == "2019-01-04"
    assert first.metadata.source == "example.com"
    assert second.id == f"{path}:4" and second.text == P3
    assert no_text == ReadError(source=f"{path}:5", reason="no text in this row")


def test_csv_without_text_column(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text("id,headline\na,Talks end\nb,Talks resume\n", encoding="utf-8")
    assert read([str(path)]) == [
        ReadError(source=str(path), reason="no 'text', 'body' or 'content' column in the CSV header")
    ]


def test_csv_semicolons_and_row_size(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(f"id;content\na;{P1}\nb;{'z' * 300}\n", encoding="utf-8")
    items = read([str(path)], max_bytes=200)
    assert isinstance(items[0], Article) and items[0].text == P1
    assert items[1] == ReadError(source=f"{path}:3", reason="article too large (300 bytes; limit 200 bytes)")


# ---------------------------------------------------------------------------------- directories


def test_directory_walk(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in ["b.txt", "a/z.text", "a/y.TXT", "c.csv", "d.jsonl", "notes.md", ".hidden.txt", ".git/x.txt"]:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("id,text\nrow,Some text.\n" if name.endswith(".csv") else BODY, encoding="utf-8")
    (root / "d.jsonl").write_text(json.dumps({"text": BODY}) + "\n", encoding="utf-8")
    given = str(root) + os.sep
    ids = [item.id for item in articles(read([given]))]
    assert ids == [
        os.path.join(given, "a", "y.TXT"),
        os.path.join(given, "a", "z.text"),
        os.path.join(given, "b.txt"),
        "row",
        os.path.join(given, "d.jsonl") + ":1",
    ]


def test_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("not an input")
    (item,) = read([str(tmp_path)])
    assert isinstance(item, ReadError) and item.source == str(tmp_path)


# ---------------------------------------------------------------------------------- stdin


@pytest.mark.parametrize(
    ("data", "expected_ids"),
    [
        ("\n  Talks end without a deal\n" + BODY, ["-"]),
        (
            "\n" + json.dumps({"text": BODY}) + "\n\n" + json.dumps({"id": "x", "text": BODY}) + "\n",
            ["-:2", "x"],
        ),
        (HTML_PAGE, ["-"]),
    ],
)
def test_stdin(data: str, expected_ids: list[str]) -> None:
    items = read(["-"], stdin=io.StringIO(data))
    assert [item.id for item in articles(items)] == expected_ids
    assert errors(items) == []


def test_stdin_text_is_kept_as_given() -> None:
    data = "\ufeff\n  Talks end without a deal\n" + BODY
    (article,) = read(["-"], stdin=io.StringIO(data))
    assert isinstance(article, Article)
    assert article.text == data[1:]  # all but the BOM
    assert zone_texts(article) == [("title", "Talks end without a deal")]


def test_stdin_html_is_extracted() -> None:
    (article,) = read(["-"], stdin=io.StringIO(HTML_PAGE))
    assert isinstance(article, Article) and article.metadata.title == "Talks end without a deal"


def test_stdin_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    assert read(["-"], stdin=io.StringIO(" \n\n")) == [ReadError(source="-", reason="empty input")]
    # without a stdin argument, sys.stdin's bytes are read
    raw = io.TextIOWrapper(io.BytesIO(b"Caf\xc3\xa9 talks end.\nOne more \xff line.\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", raw)
    assert read(["-"]) == [
        ReadError(
            source="-",
            reason="not valid UTF-8 (invalid start byte at offset 26); give its encoding with --encoding",
        )
    ]


# ---------------------------------------------------------------------------------- bad inputs


def test_each_bad_input_is_one_error_and_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def write(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    good1 = write("good1.txt", BODY.encode())
    good2 = write("good2.txt", b"\xef\xbb\xbf" + BODY.encode())
    missing = str(tmp_path / "missing.txt")
    locked = write("locked.txt", BODY.encode())
    empty = write("empty.txt", b"")
    blank = write("blank.txt", b" \n\t\n")
    binary = write("image.txt", b"GIF89a\x00\x01\x00\x00")
    bad_utf8 = write("broken.txt", "Café talks. ".encode() + b"\xff more")  # UTF-8 with a stray byte
    too_big = write("big.txt", b"word " * 300)
    empty_jsonl = write("empty.jsonl", b"\n\n")
    empty_csv = write("empty.csv", b"")
    sparse = tmp_path / "sparse.txt"
    with sparse.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        chunk = b"a" * (1024 * 1024)
        for _ in range(50):
            f.write(chunk)

    os.chmod(locked, 0)
    if os.access(locked, os.R_OK):  # running as root: permissions do not stop reading
        real_open = readers._open_binary

        def deny(path: str) -> Any:
            if path == locked:
                raise PermissionError(13, "Permission denied", path)
            return real_open(path)

        monkeypatch.setattr(readers, "_open_binary", deny)

    sources = [good1, missing, locked, empty, blank, binary, bad_utf8, too_big, empty_jsonl, empty_csv]
    items = read([*sources, str(sparse), str(huge), good2], max_bytes=1000)
    assert [item.id for item in articles(items)] == [good1, good2]
    assert articles(items)[1].text == BODY  # the BOM is dropped
    assert errors(items) == [
        ReadError(source=missing, reason="no such file or directory"),
        ReadError(source=locked, reason="permission denied"),
        ReadError(source=empty, reason="empty file"),
        ReadError(source=blank, reason="empty file"),
        ReadError(source=binary, reason="binary file, not text"),
        ReadError(
            source=bad_utf8,
            reason="not valid UTF-8 (invalid start byte at offset 13); give its encoding with --encoding",
        ),
        ReadError(source=too_big, reason="file too large (1.5 KB; limit 1000 bytes)"),
        ReadError(source=empty_jsonl, reason="empty file"),
        ReadError(source=empty_csv, reason="empty file"),
        ReadError(source=str(sparse), reason="file too large (50.0 MB; limit 1000 bytes)"),
        ReadError(source=str(huge), reason="file too large (50.0 MB; limit 1000 bytes)"),
    ]
    for error in errors(items):
        assert "\n" not in error.reason


def test_default_size_limit_refuses_a_50_mb_file(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        chunk = b"a" * (1024 * 1024)
        for _ in range(50):
            f.write(chunk)
    assert MAX_BYTES == 10 * 1024 * 1024
    assert read([str(huge)]) == [ReadError(source=str(huge), reason="file too large (50.0 MB; limit 10 MB)")]


# ---------------------------------------------------------------------------------- options, laziness


def test_published_default(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "dated", "text": BODY, "published": "2020-05-01"})
        + "\n"
        + json.dumps({"id": "undated", "text": BODY})
        + "\n",
        encoding="utf-8",
    )
    items = articles(read([str(path)], published="March 3, 2021"))
    assert [item.metadata.published for item in items] == ["2020-05-01", "2021-03-03"]
    with pytest.raises(ValueError, match="not a date"):
        read_inputs([str(path)], published="someday")


def test_inputs_are_read_lazily(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY, encoding="utf-8")

    def sources() -> Iterator[str]:
        yield str(path)
        raise AssertionError("read too far")

    first = next(read_inputs(sources()))
    assert isinstance(first, Article) and first.id == str(path)


def test_explicit_file_of_any_extension_is_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "article.md"
    path.write_text(BODY, encoding="utf-8")
    (article,) = read([str(path)])
    assert isinstance(article, Article) and article.text == BODY


def test_a_reader_bug_becomes_a_read_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad, good = tmp_path / "a.txt", tmp_path / "b.txt"
    bad.write_text(BODY, encoding="utf-8")
    good.write_text(BODY, encoding="utf-8")
    real_parse = readers.parse_scraped

    def parse(text: str, *, id: str, metadata: Metadata | None = None) -> Article:
        if id == str(bad):
            raise RuntimeError("boom\nwith a second line")
        return real_parse(text, id=id, metadata=metadata)

    monkeypatch.setattr(readers, "parse_scraped", parse)
    assert [getattr(item, "reason", None) for item in read([str(bad), str(good)])] == [
        "could not read (RuntimeError: boom with a second line)",
        None,
    ]


def test_unreadable_published_in_jsonl_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": BODY, "published": "last week"}) + "\n", encoding="utf-8")
    (article,) = read([str(path)])
    assert isinstance(article, Article) and article.metadata.published is None


def test_a_long_key_value_line_at_the_end_is_body_not_trailer() -> None:
    body = "Source: UN refugee agency Country: Brazil " + "The agency said arrivals grew. " * 20
    article = readers.parse_scraped("First paragraph of the story.\n\n" + body, id="x")
    assert not [z for z in article.zones if z.kind == "trailer"]


# ---------------------------------------------------------------------------------- hostile inputs (issue 14)


def test_a_fifo_a_device_and_a_socket_are_refused_and_the_rest_read(tmp_path: Path) -> None:
    """Issue 14 row: a FIFO given as input blocked for ever, and what was read before was never printed."""
    import socket

    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    sock_path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        items = read([str(good), str(fifo), "/dev/zero", str(sock_path), str(good)])
    finally:
        server.close()
    assert [item.id for item in articles(items)] == [str(good), str(good)]
    assert [(e.source, e.reason.split(";")[0]) for e in errors(items)] == [
        (str(fifo), "not a regular file (a FIFO (named pipe))"),
        ("/dev/zero", "not a regular file (a character device)"),
        (str(sock_path), "not a regular file (a socket)"),
    ]
    (directory_item,) = read([str(tmp_path)])  # a directory walk skips them: only good.txt is read
    assert isinstance(directory_item, Article)


LEGACY = "Talks in Zürich ended; the mayor’s café said “no comment” — £5m was at stake.\n" * 3


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_encoded_text_is_decoded_by_detection(tmp_path: Path, encoding: str) -> None:
    """Issue 14 row: a Latin-1 .txt was refused; no detection, no --encoding."""
    text = LEGACY if encoding == "cp1252" else LEGACY.translate(str.maketrans("’“”—£", '\'""-$'))
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    (article,) = read([str(path)])
    assert isinstance(article, Article) and article.text == text


def test_an_encoding_can_be_forced(tmp_path: Path) -> None:
    text = "Переговоры в Женеве завершились без соглашения, заявили официальные лица.\n"
    path = tmp_path / "cyrillic.txt"
    path.write_bytes(text.encode("cp1251"))
    (forced,) = read([str(path)], encoding="cp1251")
    assert isinstance(forced, Article) and forced.text == text
    (wrong,) = read([str(tmp_path / "cyrillic.txt")], encoding="utf-8")
    assert isinstance(wrong, ReadError) and wrong.reason.startswith("not valid utf-8")
    csv_path = tmp_path / "rows.csv"
    csv_path.write_bytes("id,text\nz,Talks in Zürich ended on Monday.\n".encode("latin-1"))
    (row,) = read([str(csv_path)], encoding="latin-1")
    assert isinstance(row, Article) and row.text == "Talks in Zürich ended on Monday."
    with pytest.raises(LookupError):
        read([str(path)], encoding="no-such-codec")


def _nested(depth: int) -> str:
    lead = "<p>The council met on Monday and voted on the budget for the coming year, officials said.</p>"
    deep = "<p>Deep inside the page, the mayor said the vote would be held again next week.</p>"
    tail = "<p>After the vote, residents gathered outside the hall to discuss the decision.</p>"
    return (
        f"<html><head><title>Council vote</title></head><body><article>{lead}"
        + "<div>" * depth
        + deep
        + "</div>" * depth
        + f"{tail}</article></body></html>"
    )


@pytest.mark.parametrize("depth", [10, 300, 5_000, 50_000])
def test_html_nested_past_the_parser_limit_keeps_its_text(tmp_path: Path, depth: int) -> None:
    """Issue 14 row: HTML nested deeper than ~400 levels lost its text silently (lxml stops at 255)."""
    path = tmp_path / "deep.html"
    path.write_text(_nested(depth), encoding="utf-8")
    (article,) = read([str(path)])
    assert isinstance(article, Article)
    assert "Deep inside the page" in article.text and "After the vote" in article.text


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("<div><div><b>x</b></div></div>", 5, "<div><div><b>x</b></div></div>"),
        ("<div><div><b>x</b></div></div>", 1, "<div>x</div>"),
        ("<ul><li>a<li>b<li>c</ul>", 2, "<ul><li>a<li>b<li>c</ul>"),  # siblings, not nesting
        ("<div><br><img src=a><p>x</p></div>", 1, "<div><br><img src=a>x</div>"),
    ],
)
def test_flatten_html(html: str, limit: int, expected: str) -> None:
    assert readers.flatten_html(html, limit=limit) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Talks ended on Monday.\n".encode("utf-16"), "Talks ended on Monday.\n"),
        ("Talks ended on Monday.\n".encode("utf-32"), "Talks ended on Monday.\n"),
        (b"\xff\xfe\x00\x00binary", None),  # a UTF-32 mark before bytes that are not UTF-32
        (b"\xff\xfe" + "Talks\x00x".encode("utf-16-le"), None),  # NULs: binary
    ],
)
def test_a_byte_order_mark_names_the_encoding(tmp_path: Path, data: bytes, expected: str | None) -> None:
    path = tmp_path / "marked.txt"
    path.write_bytes(data)
    (item,) = read([str(path)])
    if expected is None:
        assert isinstance(item, ReadError)
    else:
        assert isinstance(item, Article) and item.text == expected
