"""Take the README's screenshot: an article page of `newsgraph serve` in Chromium, 1280 px wide.

The store is built from the Wikinews corpus (``../shared/corpus/wikinews``, CC BY 2.5) with
``newsgraph ingest`` into a cache folder the first time (about two minutes), or given with
``--db``. The article shown is ``--article N`` (its number in the store), else the one that
shows the most at a glance: quotes with speakers, people, places and events, in a text short
enough to fit the first screen. Chromium is Debian's (/usr/bin/chromium), through Playwright.

The README's image is article 182 of that store (a neutral story; the automatic pick ties with
several others)::

    python scripts/screenshot.py --article 182        # -> docs/article-page.png
    python scripts/screenshot.py --db corpus.db --article 12 --out /tmp/page.png
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
WIKINEWS = REPO.parent / "shared" / "corpus" / "wikinews"


def cached_wikinews_store() -> Path:
    """The Wikinews corpus in a store under the cache folder, ingested when missing."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsgraph-bench"
    db = root / "wikinews.db"
    if db.exists():
        return db
    sources = sorted(str(p) for p in WIKINEWS.glob("*.csv"))
    if not sources:
        sys.exit(f"no Wikinews corpus at {WIKINEWS}: pass --db")
    root.mkdir(parents=True, exist_ok=True)
    partial = root / "wikinews.partial.db"
    partial.unlink(missing_ok=True)
    print(f"ingesting {len(sources)} Wikinews files into {db} (once) ...", flush=True)
    subprocess.run([sys.executable, "-m", "newsgraph", "ingest", *sources, "--db", str(partial)], check=True)
    partial.rename(db)
    return db


def best_article(client: Any) -> int:
    """The article whose page shows the most: speakers, people, places and events, in a short text."""
    best, best_score = 0, -1.0
    cursor = None
    while True:
        page = client.get("/api/articles", params={"limit": 100, **({"cursor": cursor} if cursor else {})})
        page.raise_for_status()
        body = page.json()
        for hit in body["items"]:
            found = client.get(f"/api/articles/{hit['article_id']}").json()
            record, words = found["record"], len(found["text"].split())
            if not 150 <= words <= 450:
                continue
            speakers = {q["speaker"] for q in record.get("quotes", []) if q.get("speaker")}
            people = [e for e in record.get("entities", []) if e.get("type") == "PERSON"]
            located = [p for p in record.get("places", []) if p.get("lat") is not None]
            score = (
                2 * min(len(speakers), 3)
                + min(len(record.get("quotes", [])), 4)
                + min(len(people), 4)
                + min(len(located), 4)
                + 2 * min(len(record.get("events", [])), 2)
            )
            if score > best_score:
                best, best_score = int(hit["article_id"]), score
        cursor = body.get("next")
        if not cursor:
            return best


@contextmanager
def serving(db: Path) -> Iterator[str]:
    """The app over ``db`` under uvicorn in a thread; its base URL."""
    import uvicorn

    from newsgraph.store.cluster import free_ports
    from newsgraph.web.app import create_app

    port = free_ports(1)[0]
    server = uvicorn.Server(
        uvicorn.Config(create_app(str(db)), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="the store to show (default: the Wikinews corpus, cached)")
    parser.add_argument("--article", type=int, help="the article's number in the store")
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "article-page.png")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()

    import httpx
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    db = args.db or cached_wikinews_store()
    with serving(db) as base, httpx.Client(base_url=base, timeout=30) as client:
        article = args.article or best_article(client)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=["--no-sandbox"] if os.geteuid() == 0 else []
            )
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.goto(f"{base}/articles/{article}")
            if page.locator("figure.ng-map").count():
                page.wait_for_selector("figure.ng-map.ng-map-drawn svg")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    print(f"{args.out}: article {article} of {db}")


if __name__ == "__main__":
    main()
