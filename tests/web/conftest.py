"""Fixtures for the web tests."""

from __future__ import annotations

# ======================================================================= browser fixtures
# Real Chromium (Debian's /usr/bin/chromium) driven by Playwright, a small store built by
# `newsgraph ingest` plus an article full of XSS payloads, and the app served by uvicorn on a
# free port. Used by test_browser.py; the block ends at the next ==== line.
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_corpus import ARTICLES, Watched, watch, xss_record


def chromium_executable() -> str | None:
    """Debian's chromium (or $NEWSGRAPH_CHROMIUM), when installed and Playwright is importable."""
    import importlib.util

    path = os.environ.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file() or importlib.util.find_spec("playwright") is None:
        return None
    return path


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium for the session.

    Skipped where Chromium (or Playwright) is missing, except in CI, where that is a failure
    (``scripts/test-services.sh`` installs it).
    """
    path = chromium_executable()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium (or playwright) is not installed: run scripts/test-services.sh")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, headless=True, args=args)
        yield browser
        browser.close()


@pytest.fixture
def web_page(chromium: Any) -> Iterator[Watched]:
    """A fresh page at laptop width (1280 px)."""
    watched = watch(chromium)
    yield watched
    watched.page.context.close()


@pytest.fixture
def phone_page(chromium: Any) -> Iterator[Watched]:
    """A fresh page at phone width (375 px)."""
    watched = watch(chromium, width=375, height=740)
    yield watched
    watched.page.context.close()


@pytest.fixture(scope="session")
def browser_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite store: the test articles through `newsgraph ingest`, then the XSS article, passes run."""
    from newsgraph.corpus.passes import run_passes
    from newsgraph.store import open_store, prepare

    work = tmp_path_factory.mktemp("browser-store")
    source = work / "articles.jsonl"
    source.write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    db = work / "corpus.db"
    # a separate process: the model loads there, never in the test process
    subprocess.run(
        [sys.executable, "-m", "newsgraph", "ingest", str(source), "--db", str(db), "--no-progress"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with open_store(str(db)) as store:
        store.write([prepare(*xss_record())])
        run_passes(store)
    return db


@pytest.fixture(scope="session")
def served(browser_store: Path) -> Iterator[str]:
    """The app over the browser store, served by uvicorn in a thread; its base URL."""
    import uvicorn
    from newsgraph.web.app import create_app

    from newsgraph.store.cluster import free_ports

    port = free_ports(1)[0]
    config = uvicorn.Config(create_app(str(browser_store)), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# =================================================================== end of browser fixtures
