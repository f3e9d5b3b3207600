"""Fuzz tests (Hypothesis) of what hostile input reaches first: the readers and the query parser.

Issue 14: no exception escapes, nothing hangs. Derandomized with bounded examples and a
deadline, so the run is the same every time and takes seconds. No model is loaded.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph.models import Article, ReadError
from newsgraph.readers import flatten_html, read_inputs
from newsgraph.store import QueryError, check_query, parse_query
from newsgraph.store.postgres import ts_query
from newsgraph.store.sqlite import fts_query

FUZZ = settings(
    derandomize=True,
    max_examples=150,
    deadline=2000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _read_file(tmp_path: Path, name: str, data: bytes) -> list[Article | ReadError]:
    path = tmp_path / name
    path.write_bytes(data)
    items = list(read_inputs([str(path)], max_bytes=64 * 1024))
    assert items and all(isinstance(item, (Article, ReadError)) for item in items)
    for item in items:
        if isinstance(item, ReadError):
            assert "\n" not in item.reason
    return items


@FUZZ
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".txt", ".html", ".jsonl", ".csv", ".dat"]))
def test_random_bytes_never_escape_a_reader(tmp_path: Path, data: bytes, suffix: str) -> None:
    _read_file(tmp_path, "input" + suffix, data)


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_RECORDS = st.fixed_dictionaries(
    {},
    optional={
        "id": _JSON_VALUES,
        "text": st.one_of(st.text(max_size=300), _JSON_VALUES),
        "html": st.one_of(st.text(max_size=300), _JSON_VALUES),
        "url": _JSON_VALUES,
        "published": st.one_of(st.text(max_size=30), _JSON_VALUES),
        "title": _JSON_VALUES,
    },
)


@FUZZ
@given(lines=st.lists(st.one_of(_RECORDS.map(json.dumps), st.text(max_size=120)), max_size=6))
def test_random_jsonl_never_escapes_the_reader(tmp_path: Path, lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    _read_file(tmp_path, "input.jsonl", data)
    stdin = io.StringIO("\n".join(json.dumps({"id": "x", "text": line}) for line in lines) or "{")
    assert all(isinstance(item, (Article, ReadError)) for item in read_inputs(["-"], stdin=stdin))


_TAGS = st.sampled_from(
    ["div", "p", "span", "article", "li", "ul", "b", "br", "img", "script", "table", "td"]
)
_HTML = st.recursive(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    lambda inner: st.builds(
        lambda tag, attrs, children, close: (
            f"<{tag}{attrs}>{''.join(children)}" + (f"</{tag}>" if close else "")
        ),
        _TAGS,
        st.sampled_from(["", ' class="x"', " id=a", ' style="<>"', " /"]),
        st.lists(inner, max_size=3),
        st.booleans(),
    ),
    max_leaves=30,
)


@FUZZ
@given(body=_HTML, depth=st.integers(min_value=0, max_value=600))
def test_random_html_never_escapes_the_reader(tmp_path: Path, body: str, depth: int) -> None:
    page = f"<html><head><title>t</title></head><body>{'<div>' * depth}{body}{'</div>' * depth}</body></html>"
    _read_file(tmp_path, "input.html", page.encode("utf-8", "surrogatepass"))
    assert len(flatten_html(page)) <= len(page)


@FUZZ
@given(text=st.text(max_size=400))
def test_random_queries_parse_or_are_refused_in_one_line(text: str) -> None:
    terms = parse_query(text)
    fts_query(terms)
    ts_query(terms)
    try:
        checked = check_query(text)
    except QueryError as err:
        assert "\n" not in str(err)
    else:
        assert checked == terms


@FUZZ
@given(
    words=st.lists(
        st.sampled_from(
            ["OR", "NOT", "AND", "-", '"', "*", "(", ")", "-talks", "talk*", '"a b', "Genève", "x"]
        ),
        max_size=60,
    )
)
def test_operator_soup_parses(words: list[str]) -> None:
    terms = parse_query(" ".join(words))
    assert len(terms) <= 32
    if terms:
        assert any(not t.negated for t in terms)
        fts_query(terms)
        ts_query(terms)


@pytest.mark.parametrize("text", ["", "   ", "-", "NOT", '"', "*", "OR OR", "\x00", "a" * 5_000])
def test_queries_of_nothing(text: str) -> None:
    assert isinstance(parse_query(text), list)
