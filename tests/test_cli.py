"""Tests of the ``newsgraph`` command: per-input errors, exit codes, output formats, schema, help.

Tests not marked ``slow`` never get as far as parsing: every input fails before the model
would load (conftest fails them if they load it). Slow ones parse the seed article.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import typer
from click.testing import Result
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.schema import SCHEMA_PATH, analysis_schema

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_article.txt"
CONTRACT = ("id", "metadata", "entities", "quotes", "events", "places", "tags", "topics")
OTHER = (
    "US Deputy Secretary of State Wendy Sherman said the talks in Geneva had been frank.\n"
    '"We were firm," Sherman told reporters after the meeting.\n'
)


def invoke(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), input=input)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    if result.exception is not None:  # only the exit of typer.Exit / a usage error
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def records(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.splitlines()]


# ---------------------------------------------------------------------------------- bad inputs

# name -> (file name, content or None for a missing path, what the error says)
BAD: dict[str, tuple[str, bytes | None, str]] = {
    "empty": ("empty.txt", b"", "empty file"),
    "binary": ("image.txt", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00", "binary file"),
    "invalid-utf8": ("broken.txt", "Talks in Zürich ended.\n".encode() + b"\xff\n", "not valid UTF-8"),
    "missing": ("missing.txt", None, "no such file or directory"),
    "50-MB": ("huge.txt", b"", "file too large"),  # written below
    "not-json": ("notjson.jsonl", b'{"id": "x", "text": "unterminated\n', "not valid JSON"),
    "no-text": ("notext.jsonl", b'{"id": "x", "url": "https://www.example.com/x"}\n', "no 'text'"),
}


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, str, str]]:
    """name -> (path given, source named in the error, reason)."""
    root = tmp_path_factory.mktemp("bad")
    made: dict[str, tuple[str, str, str]] = {}
    for name, (file_name, content, reason) in BAD.items():
        path = root / file_name
        if content is not None:
            path.write_bytes(content)
        source = f"{path}:1" if file_name.endswith(".jsonl") else str(path)
        made[name] = (str(path), source, reason)
    line = b"The talks ended on Monday without an agreement, officials said in Geneva.\n"
    with (root / "huge.txt").open("wb") as huge:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            huge.write(line)
    assert (root / "huge.txt").stat().st_size >= 50 * 1024 * 1024
    return made


@pytest.mark.parametrize("name", list(BAD))
def test_a_bad_input_is_one_line_on_stderr(name: str, bad_inputs: dict[str, tuple[str, str, str]]) -> None:
    path, source, reason = bad_inputs[name]
    result = invoke("analyze", path)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith("\n")
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"newsgraph: {source}: ")
    assert reason in line


@pytest.mark.slow
def test_bad_inputs_do_not_stop_the_others(
    tmp_path: Path, bad_inputs: dict[str, tuple[str, str, str]]
) -> None:
    other = tmp_path / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(
        json.dumps({"id": "line1", "text": OTHER}) + "\n{not json\n" + json.dumps({"id": "line3"}) + "\n",
        encoding="utf-8",
    )
    bad = [bad_inputs[name][0] for name in BAD]
    result = invoke("analyze", str(SEED), *bad, str(other), str(mixed))
    assert result.exit_code == 1
    assert [record["id"] for record in records(result.stdout)] == [str(SEED), str(other), "line1"]
    lines = result.stderr.splitlines()
    assert [line.split(": ", 2)[1] for line in lines] == [
        *(bad_inputs[name][1] for name in BAD),
        f"{mixed}:2",
        f"{mixed}:3",
    ]
    for line, name in zip(lines, BAD, strict=False):
        assert bad_inputs[name][2] in line


# ---------------------------------------------------------------------------------- exit codes


def test_no_articles_at_all_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "notes.md").write_text("not an input", encoding="utf-8")
    result = invoke("analyze", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"newsgraph: {tmp_path}: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--published", "someday"], "--published 'someday': not a date"),
        (["--published", "2022-02-30"], "not a date"),
        (["--model", "no_such_model"], "no_such_model"),
    ],
)
def test_bad_options_are_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = invoke("analyze", *args, str(SEED))
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("newsgraph: ") and message in line


@pytest.mark.parametrize(
    "args", [["analyze"], ["analyze", "--format", "xml", "x.txt"], ["analyze", "--batch-size", "0", "x"]]
)
def test_usage_errors_are_exit_2(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage" in result.stderr


# ---------------------------------------------------------------------------------- formats


@pytest.mark.slow
def test_jsonl_has_the_contract_fields_and_exit_0(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    result = invoke("analyze", str(SEED), str(other), "--published", "January 11, 2022")
    assert result.exit_code == 0
    assert result.stderr == ""
    seed, second = records(result.stdout)
    assert [seed["id"], second["id"]] == [str(SEED), str(other)]
    properties = analysis_schema()["properties"]
    for record in (seed, second):
        assert set(CONTRACT) <= record.keys() <= properties.keys()
        assert "text" not in record  # text input: offsets index the input itself
        assert record["metadata"]["published"] == "2022-01-11"
    assert seed["metadata"]["source"] == "ansarpress.com"
    people = {e["name"]: e for e in seed["entities"] if e["type"] == "PERSON"}
    assert "Kremlin spokesman" in people["Dmitry Peskov"]["roles"]
    assert any(q["speaker"] == "Dmitry Peskov" and q["kind"] == "direct" for q in seed["quotes"])
    assert "Russia" in seed["tags"]


@pytest.mark.slow
def test_json_is_one_array(tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    other.write_text(OTHER, encoding="utf-8")
    result = invoke("analyze", "--format", "json", str(other), str(SEED))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    assert [record["id"] for record in data] == [str(other), str(SEED)]
    assert all(set(CONTRACT) <= record.keys() for record in data)


@pytest.mark.slow
def test_text_shows_people_with_roles_and_quotes() -> None:
    result = invoke("analyze", "-f", "text", str(SEED))
    assert result.exit_code == 0
    out = result.stdout
    assert "Dmitry Peskov — Kremlin spokesman" in out
    assert "Sergei Ryabkov — Russian Deputy Foreign Minister" in out
    quotes = out[out.index("Quotes") :]
    assert "Dmitry Peskov" in quotes and "We see no real reason to be optimistic" in quotes
    assert "Alexander Grushko" in quotes


@pytest.mark.slow
def test_stdin_and_directories(tmp_path: Path) -> None:
    lines = [json.dumps({"id": "a", "text": OTHER}), json.dumps({"text": OTHER, "published": "2022-01-10"})]
    result = invoke("analyze", "-", "--published", "2022-01-11", input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.stderr
    assert [(r["id"], r["metadata"]["published"]) for r in records(result.stdout)] == [
        ("a", "2022-01-11"),
        ("-:2", "2022-01-10"),
    ]

    result = invoke("analyze", "-", input=SEED.read_text(encoding="utf-8"))
    assert result.exit_code == 0
    (record,) = records(result.stdout)
    assert record["id"] == "-" and record["metadata"]["source"] == "ansarpress.com"

    root = tmp_path / "in"
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "deep.txt").write_text(OTHER, encoding="utf-8")
    (root / "top.jsonl").write_text(json.dumps({"id": "j", "text": OTHER}) + "\n", encoding="utf-8")
    (root / "skip.md").write_text(OTHER, encoding="utf-8")
    result = invoke("analyze", str(root))
    assert result.exit_code == 0
    assert [r["id"] for r in records(result.stdout)] == [str(root / "a" / "b" / "deep.txt"), "j"]


# ---------------------------------------------------------------------------------- schema, help


def refs(node: object) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "$ref"] + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def test_schema_command_prints_a_json_schema() -> None:
    result = invoke("schema")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == analysis_schema()
    assert schema["type"] == "object" and schema["title"] == "Analysis"
    assert set(CONTRACT) <= schema["properties"].keys()
    assert {"id", "metadata"} <= set(schema["required"])
    assert refs(schema)
    for ref in refs(schema):
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in schema["$defs"]
    for definition in schema["$defs"].values():
        if definition.get("type") == "object":
            assert definition.get("additionalProperties") is False  # records are strict


def test_committed_schema_is_up_to_date() -> None:
    assert SCHEMA_PATH.is_file(), f"{SCHEMA_PATH} is not committed; write it from `newsgraph schema`"
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == analysis_schema(), (
        "the committed schema is stale; regenerate it with `newsgraph schema`"
    )


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", [[], *([name] for name in COMMANDS)], ids=["newsgraph", *COMMANDS])
def test_every_command_has_help(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout
    assert result.stderr == ""


def test_the_commands() -> None:
    assert {"analyze", "schema"} <= set(COMMANDS)


@pytest.mark.slow
def test_format_seed_prints_the_article_back_with_its_tags_line_filled() -> None:
    seed = Path(__file__).resolve().parent.parent / "examples" / "seed_article.txt"
    result = invoke("analyze", str(seed), "--format", "seed")
    assert result.exit_code == 0
    original = seed.read_text(encoding="utf-8")
    printed = result.stdout
    assert printed.startswith(original[: original.index("TAGS:")])
    tags_line = printed.rstrip("\n").splitlines()[-1]
    assert tags_line.startswith("TAGS: ") and "Dmitry Peskov" in tags_line and "OSCE" in tags_line


@pytest.mark.slow
def test_an_article_over_a_million_characters_is_analysed_with_the_others(tmp_path: Path) -> None:
    """Regression: spaCy's E088 on one long article lost every record of the run; then it was refused.

    A blank pipeline (tokenizer and sentencizer) keeps it fast; the real model's offsets over a
    long article are tested in test_pipeline.
    """
    import spacy

    model = tmp_path / "blank_model"
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.to_disk(model)
    long = tmp_path / "transcript.txt"
    paragraph = "The committee met again on Monday in Geneva. Chairman John Smith said little.\n\n"
    long.write_text(paragraph * 15_000, encoding="utf-8")  # 1.2 M characters
    short = tmp_path / "short.txt"
    short.write_text("Kremlin spokesman Dmitry Peskov said the talks would go on.", encoding="utf-8")
    result = invoke("analyze", str(short), str(long), "--model", str(model))
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in records(result.stdout)] == [str(short), str(long)]


@pytest.mark.slow
def test_a_jsonl_line_of_two_megabytes_is_analysed_with_the_other_lines(tmp_path: Path) -> None:
    """Issue 14 row: a JSONL line with a 2 MB text gave a traceback, and no line was printed, not
    even the per-line errors. Now every good line is printed, the bad one named."""
    import spacy

    model = tmp_path / "blank_model"
    blank = spacy.blank("en")
    blank.add_pipe("sentencizer")
    blank.to_disk(model)
    big = "The talks in Geneva went on for a third day. Nobody said much.\n\n" * 32_000  # 2 MB
    lines = [
        json.dumps({"id": "short", "text": "Dmitry Peskov said the talks would go on."}),
        json.dumps({"id": "big", "text": big}),
        "{not json",
        json.dumps({"id": "after", "text": "Wendy Sherman said the talks had been frank."}),
    ]
    source = tmp_path / "batch.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = invoke("analyze", str(source), "--model", str(model))
    assert result.exit_code == 1, result.stderr
    assert [r["id"] for r in records(result.stdout)] == ["short", "big", "after"]
    (error,) = result.stderr.splitlines()
    assert error.startswith(f"newsgraph: {source}:3: ")


# ---------------------------------------------------------------------------------- hostile inputs (issue 14)


def test_a_fifo_is_refused_in_one_line_without_blocking(tmp_path: Path) -> None:
    """Issue 14 row: a FIFO given as input blocked for ever."""
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    result = invoke("analyze", str(fifo), "/dev/null")
    assert result.exit_code == 2
    assert [line.split(": ", 2)[1] for line in result.stderr.splitlines()] == [str(fifo), "/dev/null"]
    assert "not a regular file" in result.stderr and "give -" in result.stderr


def test_an_unknown_encoding_is_a_usage_error() -> None:
    result = invoke("analyze", "x.txt", "--encoding", "klingon-8")
    assert result.exit_code == 2 and "unknown encoding" in result.stderr


@pytest.mark.slow
def test_good_files_around_a_fifo_and_a_latin1_file_are_all_printed(tmp_path: Path) -> None:
    """Issue 14 rows: a FIFO held back the records of the files read before it; a Latin-1
    .txt was refused."""
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes(OTHER.replace("talks", "talks in Zürich").encode("latin-1"))
    result = invoke("analyze", str(SEED), str(fifo), str(legacy))
    assert result.exit_code == 1
    assert [r["id"] for r in records(result.stdout)] == [str(SEED), str(legacy)]
    (line,) = result.stderr.splitlines()
    assert str(fifo) in line


def test_an_internal_error_is_exit_3_and_one_line_naming_the_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14 row: any crash exited 1, the code of "some inputs failed"."""
    from newsgraph import schema as schema_module

    def broken() -> dict[str, Any]:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(schema_module, "analysis_schema", broken)
    monkeypatch.setenv("NEWSGRAPH_LOG_DIR", str(tmp_path))
    monkeypatch.setattr("sys.argv", ["newsgraph", "schema", "--db", "postgresql://me:secret@db.example/news"])
    result = invoke("schema")
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith("newsgraph: internal error (ZeroDivisionError: a bug); the traceback is in ")
    log = Path(line.rsplit(" ", 1)[1])
    text = log.read_text(encoding="utf-8")
    assert log.parent == tmp_path and "Traceback" in text and "ZeroDivisionError" in text
    assert "secret" not in text and "postgresql://me:***@db.example/news" in text


def test_exit_codes_are_documented_in_help() -> None:
    text = " ".join(invoke("--help").stdout.split())
    codes = ("0 all done", "1 some inputs failed", "2 all failed", "3 internal error", "4 the store failed")
    assert all(code in text for code in codes)


def test_a_closed_output_pipe_is_no_internal_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`newsgraph export jsonl | head -1`: the reader closing the pipe is exit 141, no crash log."""
    from newsgraph import schema as schema_module

    def closed() -> dict[str, Any]:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(schema_module, "analysis_schema", closed)
    monkeypatch.setenv("NEWSGRAPH_LOG_DIR", str(tmp_path))
    result = invoke("schema")
    assert result.exit_code == 141 and result.stderr == "" and not list(tmp_path.iterdir())
