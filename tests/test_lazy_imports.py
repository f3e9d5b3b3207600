"""What a server, an export or ``--help`` imports: never spaCy (each check in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "code",
    [
        "import newsgraph.store",
        "import newsgraph.store.sqlite, newsgraph.store.postgres, newsgraph.store.records",
        "import newsgraph.export",
        "import newsgraph.engines",
        "import newsgraph.corpus.passes",
        "from newsgraph.cli import app",
        "import newsgraph; newsgraph.Article",
    ],
)
def test_no_spacy(code: str) -> None:
    check = f"{code}\nimport sys\nassert 'spacy' not in sys.modules\nassert 'ray' not in sys.modules"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_analyze_output_imports_no_store_and_no_pyarrow() -> None:
    """``newsgraph analyze`` writes JSONL and ninjs: the other exports' heavy imports stay out."""
    code = (
        "import sys\nimport newsgraph.export.jsonl, newsgraph.export.ninjs\n"
        "heavy = {'newsgraph.store', 'datasketch', 'scipy', 'pyarrow'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
        "from newsgraph.export import write_parquet, write_gkg\nassert 'pyarrow' in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_help_loads_no_spacy() -> None:
    code = (
        "import sys\nfrom typer.testing import CliRunner\nfrom newsgraph.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\nassert result.exit_code == 0\n"
        "assert 'spacy' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_a_spacy_pipeline_imports_only_the_component_registration() -> None:
    """spaCy imports every entry-point factory whenever it builds a pipeline: that costs no more
    than registering ``newsgraph`` (the component's modules load on its first use)."""
    code = (
        "import sys, spacy\nfrom newsgraph.nlp import default_model_name\n"
        "before = {m for m in sys.modules if m.startswith('newsgraph')}\n"
        "nlp = spacy.load(default_model_name())\n"
        "loaded = {m for m in sys.modules if m.startswith('newsgraph')} - before\n"
        "assert loaded <= {'newsgraph.spacy_component'}, loaded\n"
        "assert 'newsgraph.spacy_component' in sys.modules\n"
        "assert 'newsgraph.models' not in sys.modules and 'newsgraph.readers' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
