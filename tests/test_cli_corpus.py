"""Tests of the corpus commands: ingest, errors, search, quotes, events, entity, timeline, stats,
export, demo.

Query commands run on a store built from hand-made records (no model). Tests marked ``slow``
analyse real text: an ingest with a bad file in it, the kill -9 and re-ingest test, the demo.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from typer.testing import CliRunner

from corpus_records import build_store
from newsgraph.cli import app

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed_article.txt"
OTHER = (
    "US Deputy Secretary of State Wendy Sherman said the talks in Geneva had been frank.\n"
    '"We were firm," Sherman told reporters after the meeting.\n'
)


def invoke(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(app, list(args), input=input)
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def as_json(result: Result) -> Any:
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("cli") / "corpus.db"
    build_store(path).close()
    return str(path)


# ---------------------------------------------------------------------------------- queries


def test_search(db: str) -> None:
    hits = as_json(invoke("search", "Peskov", "--db", db, "--json"))["items"]
    assert {h["article"] for h in hits} == {"geneva", "brussels", "brussels-copy"}
    hits = as_json(
        invoke("search", "talks", "--person", "Dmitry S. Peskov", "--to", "2022-01-11", "--db", db, "--json")
    )["items"]
    assert [h["article"] for h in hits] == ["geneva"]
    assert as_json(
        invoke("search", "meeting", "--place", "Brussels", "--source", "example.org", "--db", db, "--json")
    )["items"]
    text = invoke("search", "Peskov", "--db", db)
    assert text.exit_code == 0 and "[Peskov]" in text.stdout
    assert as_json(invoke("search", "'unbalanced \"quote (", "--db", db, "--json"))["items"] == []
    first = as_json(invoke("search", "--limit", "2", "--db", db, "--json"))
    rest = as_json(invoke("search", "--limit", "9", "--cursor", first["next"], "--db", db, "--json"))
    assert len(first["items"]) + len(rest["items"]) == 5 and rest["next"] is None
    assert "--cursor" in invoke("search", "--limit", "2", "--db", db).stderr


def test_quotes(db: str) -> None:
    said = as_json(invoke("quotes", "--speaker", "Peskov", "--about", "optimistic", "--db", db, "--json"))[
        "items"
    ]
    assert [(q["speaker"], q["text"]) for q in said] == [
        ("Dmitry Peskov", "We see no real reason to be optimistic so far,")
    ]
    text = invoke("quotes", "--speaker", "Peskov", "--db", db)
    assert "Dmitry Peskov (direct, said)" in text.stdout


def test_events(db: str) -> None:
    (talks,) = as_json(
        invoke(
            "events",
            "--type",
            "CONSULT",
            "--place",
            "Geneva",
            "--participant",
            "Sherman",
            "--from",
            "2022-01-01",
            "--to",
            "2022-01-31",
            "--db",
            db,
            "--json",
        )
    )["items"]
    assert talks["label"] == "talks" and talks["parties"] == ["United States", "Russia"]
    assert "CONSULT  talks in Geneva" in invoke("events", "--db", db).stdout


def test_entity(db: str) -> None:
    page = as_json(invoke("entity", "Kremlin spokesman Dmitry Peskov", "--db", db, "--json"))
    assert page["name"] == "Dmitry Peskov" and page["quotes"] == 4
    text = invoke("entity", "Peskov", "--db", db).stdout
    assert text.startswith("Dmitry Peskov (PERSON")
    assert "Kremlin spokesman  (2022-01-11 to 2022-01-11, 1 articles)" in text
    missing = invoke("entity", "Nobody Known", "--db", db)
    assert missing.exit_code == 1 and missing.stdout == ""
    assert missing.stderr.startswith("newsgraph: no actor named 'Nobody Known'")


def test_timeline(db: str) -> None:
    data = as_json(invoke("timeline", "Dmitry Peskov", "--db", db, "--json"))
    assert [d["date"] for d in data["days"]] == ["2022-01-11", "2022-01-12"]
    assert (
        "2022-01-11  1 articles, 2 quotes  as Kremlin spokesman"
        in invoke("timeline", "Peskov", "--db", db).stdout
    )


def test_stats(db: str) -> None:
    data = as_json(invoke("stats", "--db", db, "--json"))
    assert data["articles"] == 5 and data["duplicate_groups"] == 1
    assert invoke("stats", "--db", db).stdout.startswith("5 articles")


def test_a_missing_store_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for command in (["stats"], ["search", "x"], ["entity", "x"], ["errors"], ["export", "jsonl"], ["serve"]):
        result = invoke(*command, "--db", str(tmp_path / "none.db"))
        assert result.exit_code == 2 and result.stdout == ""
        (line,) = result.stderr.splitlines()
        assert line.startswith("newsgraph: ") and "no such store" in line


def test_serve_answers_over_http_and_stops(db: str) -> None:
    """``newsgraph serve`` as a user starts it: a real server on a port, read-only."""
    import subprocess
    import sys
    import time
    import urllib.request

    from newsgraph.store.cluster import free_ports

    (port,) = free_ports(1)
    before = Path(db).read_bytes()
    server = subprocess.Popen(
        [sys.executable, "-m", "newsgraph", "serve", "--db", db, "--port", str(port)],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/stats", timeout=5) as response:
                    stats = json.loads(response.read())
                    csp = response.headers["content-security-policy"]
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        assert stats["articles"] == 5 and "script-src 'self'" in csp
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=talks", timeout=5) as response:
            assert b"Geneva" in response.read()
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert f"serving {db} at http://127.0.0.1:{port}/" in err and "Traceback" not in err
    assert Path(db).read_bytes() == before


def test_bad_dates_are_exit_2(db: str) -> None:
    result = invoke("search", "x", "--from", "someday", "--db", db)
    assert result.exit_code == 2 and "--from 'someday': not a date" in result.stderr


def test_the_store_comes_from_the_environment(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_DB", db)
    assert as_json(invoke("stats", "--json"))["articles"] == 5


# ---------------------------------------------------------------------------------- export


def test_export_jsonl_and_gkg(db: str, tmp_path: Path) -> None:
    result = invoke("export", "jsonl", "--db", db)
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [
        "geneva",
        "brussels",
        "brussels-copy",
        "harbour",
        "clinton",
    ]
    out = tmp_path / "gkg.csv"
    result = invoke("export", "gkg", "--out", str(out), "--db", db)
    assert result.exit_code == 0 and "wrote 5 gkg records" in result.stderr
    assert [len(line.split("\t")) for line in out.read_text(encoding="utf-8").splitlines()] == [27] * 5


def test_export_parquet(db: str, tmp_path: Path) -> None:
    result = invoke("export", "parquet", "--out", str(tmp_path / "pq"), "--db", db)
    assert result.exit_code == 0
    assert (tmp_path / "pq" / "articles.parquet").is_file() and (tmp_path / "pq" / "actors.parquet").is_file()
    assert invoke("export", "parquet", "--db", db).exit_code == 2  # needs --out


# ---------------------------------------------------------------------------------- ingest


def test_ingest_of_bad_inputs_only_records_them(tmp_path: Path) -> None:
    empty, binary = tmp_path / "empty.txt", tmp_path / "image.txt"
    empty.write_bytes(b"")
    binary.write_bytes(b"GIF89a\x00\x01")
    store = str(tmp_path / "s.db")
    result = invoke("ingest", str(empty), str(binary), str(tmp_path / "missing.txt"), "--db", store)
    assert result.exit_code == 2
    assert "stored 0 articles (0 already stored), 3 failed" in result.stderr
    errors = as_json(invoke("errors", "--db", store, "--json"))
    assert [(e["source"], e["reason"]) for e in errors] == [
        (str(empty), "empty file"),
        (str(binary), "binary file, not text"),
        (str(tmp_path / "missing.txt"), "no such file or directory"),
    ]
    assert invoke("errors", "--db", store).stdout.splitlines()[0] == f"{empty}: empty file"
    invoke("ingest", str(empty), "--db", store)
    assert len(as_json(invoke("errors", "--db", store, "--json"))) == 3  # once per source


def test_ingest_usage_errors(tmp_path: Path) -> None:
    assert invoke("ingest", "--db", str(tmp_path / "s.db")).exit_code == 2
    result = invoke("ingest", "x.txt", "--published", "someday", "--db", str(tmp_path / "s.db"))
    assert result.exit_code == 2 and "not a date" in result.stderr
    result = invoke("ingest", "x.txt", "--model", "no_such_model", "--db", str(tmp_path / "s.db"))
    assert result.exit_code == 2 and "no_such_model" in result.stderr
    not_a_store = tmp_path / "notes.db"
    not_a_store.write_text("hello" * 1000, encoding="utf-8")
    result = invoke("ingest", "x.txt", "--db", str(not_a_store))
    assert result.exit_code == 2 and "not a newsgraph store" in result.stderr


@pytest.mark.slow
def test_ingest_stores_goes_on_after_a_bad_file_and_skips_on_rerun(tmp_path: Path) -> None:
    other, bad = tmp_path / "other.txt", tmp_path / "bad.txt"
    other.write_text(OTHER, encoding="utf-8")
    bad.write_bytes(b"\xff\xfe\x00\x00binary")
    store = str(tmp_path / "s.db")
    result = invoke("ingest", str(SEED), str(bad), str(other), "--db", store, "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["stored"], report["already_stored"], report["failed"]) == (2, 0, 1)
    (error,) = as_json(invoke("errors", "--db", store, "--json"))
    assert error["source"] == str(bad)
    again = json.loads(invoke("ingest", str(SEED), str(other), "--db", store, "--json").stdout)
    assert (again["stored"], again["already_stored"], again["failed"]) == (0, 2, 0)
    page = as_json(invoke("entity", "Peskov", "--db", store, "--json"))
    assert page["name"] == "Dmitry Peskov" and page["quotes"] > 0


def _write_corpus(root: Path, n: int) -> None:
    cities = ["Geneva", "Vienna", "Brussels", "Oslo", "Lisbon", "Prague", "Warsaw", "Madrid"]
    for i in range(n):
        city = cities[i % len(cities)]
        (root / f"a{i:04d}.txt").write_text(
            f"Delegates met in {city} on day {i} of the conference.\n"
            f'"We made progress on item {i}," said delegate number {i}.\n',
            encoding="utf-8",
        )


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_kill_9_then_ingest_again_stores_every_article_once(tmp_path: Path) -> None:
    n = 400
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_corpus(corpus, n)
    db = tmp_path / "k.db"
    command = [
        sys.executable,
        "-c",
        "from newsgraph.cli import main; main()",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        "4",
        "--no-progress",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while _stored(db) < 40 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # kill -9, mid-batch or mid-commit
    process.wait()
    stored = _stored(db)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    assert 0 < stored < n, "the run was not killed mid-way; make the corpus larger"

    finished = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr
    assert f"stored {n - stored} articles ({stored} already stored), 0 failed" in finished.stderr

    connection = sqlite3.connect(db)
    keys = [row[0] for row in connection.execute("SELECT key FROM articles")]
    assert sorted(keys) == sorted(str(path) for path in corpus.iterdir())  # none lost, none doubled
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    fts = connection.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'conference'")
    assert fts.fetchone()[0] == n
    assert connection.execute("SELECT count(*) FROM errors").fetchone()[0] == 0
    assert connection.execute("SELECT count(*) FROM pass_queue").fetchone()[0] == 0


@pytest.mark.slow
def test_demo(tmp_path: Path) -> None:
    db = str(tmp_path / "demo.db")
    result = invoke("demo", "--db", db)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Tom Brennan (PERSON): 3 articles" in out and "'Thomas J. Brennan'" in out
    assert "coastline.example  =  northstar.example" in out
    assert "Stories (the same happening across outlets): 1" in out
    again = invoke("demo", "--db", db)
    assert "(0 new)" in again.stdout


# ---------------------------------------------------------------------------------- backends agree

_BACKEND_FIELDS = {"size_bytes", "backend", "next", "schema_version"}


def _neutral(data: Any) -> Any:
    """Data without what differs by backend by design: store ids, sizes, cursors."""
    if isinstance(data, dict):
        return {
            k: _neutral(v)
            for k, v in data.items()
            if not (k == "id" or k.endswith("_id") or k in _BACKEND_FIELDS)
        }
    if isinstance(data, list):
        return [_neutral(v) for v in data]
    return data


def test_sqlite_and_postgresql_give_the_same_answers(tmp_path: Path, postgres_server: str) -> None:
    from conftest import fresh_postgres

    targets = [str(tmp_path / "same.db"), fresh_postgres(postgres_server)]
    for target in targets:
        build_store(target).close()
    commands = [
        ("stats",),
        ("search", "Peskov"),
        ("search", "talks OR harbour -optimism"),
        ("search", "--person", "Peskov"),
        ("quotes", "--speaker", "Peskov"),
        ("quotes", "--about", "optimistic"),
        ("entity", "Peskov"),
        ("entity", "NATO"),
        ("timeline", "Peskov"),
        ("events", "--participant", "Sherman"),
        ("errors",),
    ]
    for command in commands:
        sqlite, postgresql = (as_json(invoke(*command, "--db", target, "--json")) for target in targets)
        if command[0] == "search":  # the same matches; rank and snippet are each database's own
            sqlite, postgresql = (
                sorted(hit["article"] for hit in page["items"]) for page in (sqlite, postgresql)
            )
            assert sqlite, command
        assert _neutral(sqlite) == _neutral(postgresql), command
    exports = []
    for target in targets:
        out = tmp_path / f"{len(exports)}.gkg"
        assert invoke("export", "gkg", "--out", str(out), "--db", target).exit_code == 0
        exports.append([line.split("\t")[:2] + line.split("\t")[3:] for line in out.read_text().splitlines()])
    assert exports[0] == exports[1] and len(exports[0]) == 5


def _stored_pg(url: str) -> int:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as db:
            row = db.execute("SELECT count(*) FROM articles").fetchone()
            return int(row[0]) if row else 0
    except psycopg.Error:
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["local", "ray"])
def test_postgresql_ingest_survives_kill_9_and_answers_as_sqlite(
    tmp_path: Path, postgres_server: str, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two workers into PostgreSQL, killed mid-run, re-run: every article once, the same answers as SQLite."""
    from conftest import fresh_postgres

    if engine == "ray":
        pytest.importorskip("ray")
        monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
        monkeypatch.delenv("RAY_ADDRESS", raising=False)
    n = 300
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_corpus(corpus, n)
    url = fresh_postgres(postgres_server)
    command = [sys.executable, "-m", "newsgraph", "ingest", str(corpus), "--db", url, "--workers", "2"]
    command += ["--batch-size", "4", "--no-progress", "--engine", engine]
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 90
    while _stored_pg(url) < 30 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    stored = _stored_pg(url)
    assert 0 < stored < n, "the run was not killed mid-way; make the corpus larger"
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"stored {n - stored} articles ({stored} already stored), 0 failed" in finished.stderr
    assert _stored_pg(url) == n

    sqlite = str(tmp_path / "same.db")
    done = subprocess.run([*command[:6], sqlite, *command[7:]], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    for query in (
        ("stats",),
        ("search", "progress", "--limit", "500"),
        ("quotes", "--limit", "500"),
        ("events", "--limit", "500"),
    ):
        answers = [as_json(invoke(*query, "--db", target, "--json")) for target in (sqlite, url)]
        if query[0] == "search":
            answers = [sorted(hit["article"] for hit in page["items"]) for page in answers]
        if query[0] in ("quotes", "events"):
            answers = [
                sorted(json.dumps(item, sort_keys=True) for item in _neutral(page)["items"])
                for page in answers
            ]
        assert _neutral(answers[0]) == _neutral(answers[1]), query


# ---------------------------------------------------------------------------------- hostile use (issue 14)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("search", "talks " * 2_000), "too long"),
        (("search", " ".join(f"w{i}" for i in range(50))), "too many words"),
        (("quotes", "--speaker", ""), "empty speaker name"),
        (("quotes", "--speaker", "x" * 50_000), "too long"),
        (("entity", " "), "empty name"),
        (("search", "talks", "--cursor", "!!"), "bad cursor"),
    ],
)
def test_bad_queries_are_usage_errors(db: str, args: tuple[str, ...], message: str) -> None:
    """Issue 14 rows: a 2,000-word search ran 135 s; `--speaker ""` gave every quote; a 50,000-character
    name a traceback."""
    started = time.monotonic()
    result = invoke(*args, "--db", db)
    assert time.monotonic() - started < 10
    assert result.exit_code == 2 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert message in line


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for start in range(2 * 4096, len(data), 3 * 4096):
        data[start : start + 4096] = bytes([0x5A]) * 4096
    path.write_bytes(bytes(data))


def test_a_corrupted_store_is_exit_4_with_the_way_to_recover(tmp_path: Path) -> None:
    """Issue 14 row: a store with corrupted pages gave a traceback from every command."""
    path = tmp_path / "corpus.db"
    build_store(path).close()
    _corrupt(path)
    for args in (("stats",), ("search", "Peskov"), ("export", "jsonl"), ("ingest", str(SEED))):
        result = invoke(*args, "--db", str(path))
        assert result.exit_code == 4, (args, result.stderr)
        (line,) = result.stderr.splitlines()
        assert "corrupted" in line and ".recover" in line


def test_a_folder_or_an_unwritable_place_as_db_is_exit_4(tmp_path: Path) -> None:
    """Issue 14 row: `--db` naming a folder or an unwritable place gave tracebacks."""
    for db in (str(tmp_path), "/proc/newsgraph.db"):
        result = invoke("ingest", str(SEED), "--db", db)
        assert result.exit_code == 4
        (line,) = result.stderr.splitlines()
        assert db in line


def test_a_lock_held_too_long_is_one_line_and_exit_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 14 row: another writer holding the lock over 10 s gave a traceback `database is locked`."""
    from newsgraph.store import sqlite as sqlite_module

    path = tmp_path / "corpus.db"
    build_store(path).close()
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_MS", 300)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = invoke("ingest", str(empty), "--db", str(path))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 4
    (line,) = result.stderr.splitlines()
    assert "locked by another writer" in line and "again" in line
    assert as_json(invoke("stats", "--db", str(path), "--json"))["articles"] == 5  # nothing lost


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KB tmpfs, a full disk for real (root only: mount needs it)."""
    where = tmp_path / "tiny"
    where.mkdir()
    if (
        os.geteuid() != 0
        or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(where)], check=False, capture_output=True
        ).returncode
    ):
        pytest.skip("a full disk needs a tmpfs (root); the store test uses PRAGMA max_page_count")
    try:
        yield where
    finally:
        if subprocess.run(["umount", str(where)], check=False, capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_full_disk_is_one_line_and_exit_4(tiny_disk: Path, tmp_path: Path) -> None:
    """Issue 14 row: disk full during ingest gave a traceback `database or disk is full`."""
    (tiny_disk / "filler").write_bytes(b"x" * 40_000)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = invoke("ingest", str(empty), "--db", str(tiny_disk / "corpus.db"))
    assert result.exit_code == 4
    (line,) = result.stderr.splitlines()
    assert "disk full" in line


def test_export_to_a_full_disk_leaves_nothing_half_written(db: str, tiny_disk: Path) -> None:
    """Issue 14 row: an export to a full disk left partial files behind."""
    (tiny_disk / "filler").write_bytes(b"x" * 60_000)
    for fmt, out in (("jsonl", "out.jsonl"), ("parquet", "tables")):
        result = invoke("export", fmt, "--out", str(tiny_disk / out), "--db", db)
        assert result.exit_code == 4, result.stderr
        (line,) = result.stderr.splitlines()
        assert "nothing was written" in line
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler"]


def test_export_refuses_a_missing_folder_and_an_existing_file_without_force(db: str, tmp_path: Path) -> None:
    """Issue 14 row: `export` to a missing folder or an existing file gave tracebacks."""
    result = invoke("export", "jsonl", "--out", str(tmp_path / "no" / "out.jsonl"), "--db", db)
    assert result.exit_code == 2 and "does not exist" in result.stderr
    out = tmp_path / "out.jsonl"
    out.write_text("mine\n", encoding="utf-8")
    result = invoke("export", "jsonl", "--out", str(out), "--db", db)
    assert result.exit_code == 2 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert invoke("export", "jsonl", "--out", str(out), "--force", "--db", db).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 5
    tables = tmp_path / "tables"
    assert invoke("export", "parquet", "--out", str(tables), "--db", db).exit_code == 0
    assert invoke("export", "parquet", "--out", str(tables), "--db", db).exit_code == 2
    assert invoke("export", "parquet", "--out", str(tables), "--force", "--db", db).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "tables"]  # no temporaries


@pytest.mark.slow
def test_ingest_runs_started_together_store_every_article_once(tmp_path: Path) -> None:
    """Issue 14 row: three `ingest` runs starting on a new store at once: 1 process in 15 failed with
    a traceback `table articles already exists`; then again on the existing store."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_corpus(corpus, 12)
    db = tmp_path / "new.db"
    command = [sys.executable, "-m", "newsgraph", "ingest", str(corpus), "--db", str(db), "--no-progress"]
    for _round in range(2):  # a new store, then the same store with every article in it
        runs = [
            subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            for _ in range(3)
        ]
        for run in runs:
            _out, err = run.communicate(timeout=300)
            assert run.returncode == 0 and "Traceback" not in err, err
        connection = sqlite3.connect(db)
        keys = [row[0] for row in connection.execute("SELECT key FROM articles")]
        connection.close()
        assert sorted(keys) == sorted(str(path) for path in corpus.iterdir())
