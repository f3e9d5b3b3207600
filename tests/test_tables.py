"""Tests of newsgraph.tables: memory-mapped table files built once into the cache directory."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from newsgraph import tables
from newsgraph.tables import Contents, TableFile, encode, open_table

SAMPLE = Contents(
    maps={"names": {"paris": b"FR", "san josé": b"CR|US", "": b"empty key", "x": b""}, "none": {}},
    lists={"rows": [b"first", b"", b"third"], "nothing": []},
    document={"version": 1, "codes": ["FR", "US"]},
)


def test_a_table_file_reads_back_what_was_written() -> None:
    table = TableFile(encode(SAMPLE, "k1"), key="k1")
    names = table.map("names")
    assert dict(names) == SAMPLE.maps["names"]
    assert names.get_bytes("san josé") == b"CR|US" and names["x"] == b""
    assert "paris" in names and "lyon" not in names and 3 not in names
    assert names.get("lyon") is None and len(names) == 4
    with pytest.raises(KeyError):
        names["lyon"]
    assert dict(table.map("none")) == {}
    assert list(table.list("rows")) == [b"first", b"", b"third"] and table.list("rows")[-1] == b"third"
    assert table.list("rows")[0:2] == [b"first", b""] and len(table.list("nothing")) == 0
    assert table.document == {"version": 1, "codes": ["FR", "US"]}


def test_many_keys_survive_collisions() -> None:
    keys = {f"key {i}": str(i * i).encode() for i in range(5000)}
    names = TableFile(encode(Contents(maps={"m": keys}), "k")).map("m")
    assert all(names[k] == v for k, v in keys.items()) and set(names) == set(keys)
    assert all(f"other {i}" not in names for i in range(1000))


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (b"", "k"),  # empty
        (b"not a table at all", "k"),
        (encode(SAMPLE, "k")[:-3], "k"),  # truncated
        (encode(SAMPLE, "k"), "other"),  # another fingerprint
    ],
)
def test_a_bad_or_stale_file_is_refused(data: bytes, key: str) -> None:
    with pytest.raises(ValueError):
        TableFile(data, key=key)


def _counting_build(calls: list[int]) -> Contents:
    calls.append(1)
    return SAMPLE


def test_a_table_is_built_once_then_mapped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    calls: list[int] = []
    first = open_table("sample", "a" * 64, lambda: _counting_build(calls))
    second = open_table("sample", "a" * 64, lambda: _counting_build(calls))
    assert calls == [1]
    assert first.map("names")["paris"] == second.map("names")["paris"] == b"FR"
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["sample-" + "a" * 24 + ".table"]
    open_table("sample", "b" * 64, lambda: _counting_build(calls))  # new sources: a new file
    assert calls == [1, 1] and len(list((tmp_path / "cache").iterdir())) == 2


def test_a_corrupt_file_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path))
    calls: list[int] = []
    open_table("sample", "c" * 64, lambda: _counting_build(calls))
    [path] = tmp_path.iterdir()
    path.write_bytes(path.read_bytes()[:100])
    assert open_table("sample", "c" * 64, lambda: _counting_build(calls)).document == SAMPLE.document
    assert calls == [1, 1]


def test_no_writable_cache_dir_builds_in_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(blocker / "cache"))
    calls: list[int] = []
    table = open_table("sample", "d" * 64, lambda: _counting_build(calls))
    assert table.map("names")["paris"] == b"FR" and calls == [1]


def test_old_files_of_a_table_are_tidied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path))
    for i in range(tables.KEEP + 3):
        open_table("sample", f"{i:02d}" + "0" * 62, lambda: SAMPLE)
    open_table("other", "e" * 64, lambda: SAMPLE)
    assert len(list(tmp_path.glob("sample-*.table"))) == tables.KEEP
    assert len(list(tmp_path.glob("other-*.table"))) == 1


def test_the_cache_dir_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NEWSGRAPH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert tables.cache_dir() == tmp_path / "newsgraph"
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path / "mine"))
    assert tables.cache_dir() == tmp_path / "mine"


def test_fingerprints_change_with_their_sources(tmp_path: Path) -> None:
    data = tmp_path / "data.tsv"
    data.write_text("a\t1\n")
    before = tables.fingerprint(files=[data], extra=["1.0"])
    assert tables.fingerprint(files=[data], extra=["1.0"]) == before
    assert tables.fingerprint(files=[data], extra=["1.1"]) != before
    data.write_text("a\t2\n")
    assert tables.fingerprint(files=[data], extra=["1.0"]) != before


def _build_at_once(out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    table = open_table(
        "race", "f" * 64, lambda: Contents(maps={"m": {str(i): b"x" * 50 for i in range(20000)}})
    )
    out.put(len(table.map("m")))


def test_processes_and_threads_building_at_once_each_get_a_whole_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSGRAPH_CACHE_DIR", str(tmp_path))  # spawned processes inherit it
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_build_at_once, args=(queue,)) for _ in range(3)]
    for proc in procs:
        proc.start()
    threads = [threading.Thread(target=_build_at_once, args=(queue,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for proc in procs:
        proc.join(timeout=120)
        assert proc.exitcode == 0
    results = [queue.get(timeout=10) for _ in range(5)]
    assert results == [20000] * 5
    assert [p.name for p in tmp_path.iterdir()] == ["race-" + "f" * 24 + ".table"]  # no temporary files left
