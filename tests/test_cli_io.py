"""Tests of the small things a new user meets: --version, help text, progress lines, bad --type,
JSONL lines that str.splitlines() cannot break (no model)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import typer
from click.testing import Result
from typer.testing import CliRunner

from corpus_records import build_store, corpus, make
from newsgraph import __version__, cli
from newsgraph.cli import app
from newsgraph.export import write_jsonl
from newsgraph.export.jsonl import dumps_line
from newsgraph.models import EVENT_TYPES

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    return result


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout == f"newsgraph {__version__}\n"


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)], ids=["newsgraph", *COMMANDS])
def test_help_shows_no_markup(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "`" not in result.stdout


# ---------------------------------------------------------------------------------- events --type


def test_every_type_the_extractor_assigns_is_listed() -> None:
    from newsgraph.extract.events import TRIGGERS

    source = (Path(cli.__file__).parent / "extract" / "events.py").read_text(encoding="utf-8")
    table = re.search(r"={10}  =+\n(.*?)\n={10}", source, re.S)
    assert table is not None
    in_docs = re.findall(r"^([A-Z]+) ", table.group(1), re.M)
    assert {kind for kind, _ in TRIGGERS.values()} <= set(EVENT_TYPES)
    assert in_docs == list(EVENT_TYPES)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("io") / "corpus.db"
    build_store(path).close()
    return str(path)


@pytest.mark.parametrize("bogus", ["BOGUS", "talks", ""])
def test_an_unknown_event_type_lists_the_valid_ones(db: str, bogus: str) -> None:
    result = invoke("events", "--type", bogus, "--db", db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"--type {bogus!r}: not an event type; use one of CONSULT, AGREE," in result.stderr
    assert "OTHER" in result.stderr


def test_event_types_are_case_insensitive(db: str) -> None:
    result = invoke("events", "--type", "consult", "--db", db, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["items"]


# ---------------------------------------------------------------------------------- ingest progress


def _bad_inputs(tmp_path: Path) -> list[str]:
    empty, binary = tmp_path / "empty.txt", tmp_path / "image.txt"
    empty.write_bytes(b"")
    binary.write_bytes(b"GIF89a\x00\x01")
    return [str(empty), str(binary)]


def test_ingest_prints_progress_lines_when_stderr_is_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 0.0)  # a line at every update
    result = invoke("ingest", *_bad_inputs(tmp_path), "--db", str(tmp_path / "s.db"))
    lines = [line for line in result.stderr.splitlines() if " done (" in line]
    assert lines, result.stderr
    assert re.fullmatch(
        r"newsgraph: \w+: \d+ done \(0 stored, 0 already stored, \d failed\), [\d.]+ articles/s, \d+ s",
        lines[-1],
    )
    assert "2 failed" in lines[-1]


def test_no_progress_lines_when_asked_or_too_soon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 0.0)
    quiet = invoke("ingest", *_bad_inputs(tmp_path), "--db", str(tmp_path / "a.db"), "--no-progress")
    assert " done (" not in quiet.stderr
    monkeypatch.setattr(cli, "PROGRESS_EVERY", 3600.0)
    quick = invoke("ingest", *_bad_inputs(tmp_path), "--db", str(tmp_path / "b.db"))
    assert " done (" not in quick.stderr  # a run shorter than the interval prints only its summary


# ---------------------------------------------------------------------------------- JSONL lines


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("next\u0085line", "next\\u0085line"),
        ("line\u2028separator", "line\\u2028separator"),
        ("paragraph\u2029separator", "paragraph\\u2029separator"),
        ("Zürich, “quoted” \u00a0", "Zürich, “quoted” \u00a0"),  # other text stays as it is
    ],
)
def test_a_jsonl_line_is_one_line_for_splitlines(text: str, escaped: str) -> None:
    line = dumps_line({"text": text})
    assert line == f'{{"text": "{escaped}"}}\n'
    assert line.splitlines() == [line[:-1]]
    assert json.loads(line) == {"text": text}


def test_export_jsonl_keeps_one_record_per_line(tmp_path: Path) -> None:
    text = "Kremlin spokesman Dmitry Peskov said\u0085the talks\u2028would go on.\u2029"
    records = [*corpus(), make("nel", text, entities=[("Dmitry Peskov", "PERSON", [], ["Dmitry Peskov"])])]
    out = io.StringIO()
    with build_store(tmp_path / "a.db", records) as store:
        count = write_jsonl(store, out)
    lines = out.getvalue().splitlines()
    assert count == len(lines) == len(records)
    assert any(json.loads(line)["entities"] and json.loads(line)["id"] == "nel" for line in lines)
