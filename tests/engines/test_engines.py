"""Tests of the engine interface: the factory, lazy imports, and the CLI's engine options."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsgraph.cli import app
from newsgraph.engines import ENGINES, Engine, EngineError, LocalEngine, make_engine


def test_importing_the_engines_loads_neither_ray_nor_spacy() -> None:
    # What the engine modules themselves import (the package __init__ still loads spaCy today).
    code = (
        "import sys, newsgraph; before = set(sys.modules); "
        "import newsgraph.engines, newsgraph.engines.ray; "
        "new = {m.split('.')[0] for m in set(sys.modules) - before}; "
        "print('ray' in new, 'spacy' in new, 'ray' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def test_the_local_engine_by_name() -> None:
    engine: Engine[list[int], int] = make_engine("local", workers=1)
    with engine:
        assert isinstance(engine, LocalEngine)
        assert list(engine.map(sum, [[1, 2], [3]])) == [([1, 2], 3), ([3], 3)]


@pytest.mark.parametrize(
    ("name", "address", "message"),
    [
        ("local", "auto", "--address is for the ray engine"),
        ("spark", None, "unknown engine 'spark': choose one of local, ray"),
    ],
)
def test_bad_choices_are_engine_errors(name: str, address: str | None, message: str) -> None:
    with pytest.raises(EngineError, match=message):
        make_engine(name, workers=1, address=address)


def test_without_ray_the_ray_engine_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(EngineError, match=r"pip install 'newsgraph\[ray\]'"):
        make_engine("ray", workers=1)


def test_the_cli_offers_the_engines() -> None:
    result = CliRunner().invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--engine" in result.stdout and "--address" in result.stdout
    assert "newsgraph[ray]" in result.stdout  # the extra, not eaten as markup
    assert all(name in result.stdout for name in ENGINES)


def test_the_cli_turns_engine_errors_into_exit_2(tmp_path: Path) -> None:
    text = tmp_path / "a.txt"
    text.write_text("Officials met in Geneva on Monday.\n", encoding="utf-8")
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(app, ["ingest", str(text), "--db", db, "--address", "auto"])
    assert result.exit_code == 2
    assert result.stderr == "newsgraph: --address is for the ray engine (--engine ray)\n"
    result = CliRunner().invoke(app, ["ingest", str(text), "--db", db, "--engine", "spark"])
    assert result.exit_code == 2 and "spark" in result.stderr
