"""A small store for the web tests: the hand-built corpus plus an article full of payloads.

The payload article's text, title, URL and a speaker name hold script, attribute-breaking and
``javascript:`` payloads, so every page that shows them proves they stay inert.
"""

from __future__ import annotations

from pathlib import Path

from corpus_records import build_store, corpus, event, make

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
SPEAKER = f"Eve {IMG}Mallory"

HOSTILE_TEXT = (
    f"Eve {IMG}Mallory said the plan {SCRIPT} was sound. "
    f'"Nothing to see here {SCRIPT}," Eve {IMG}Mallory said in Lyon. '
    "Protesters marched in Lyon on Monday."
)


def hostile() -> tuple[object, object]:
    """The payload article (published 2022-01-13, source evil.example)."""
    return make(
        "hostile",
        HOSTILE_TEXT,
        entities=[(SPEAKER, "PERSON", [f"chief {SCRIPT}"], [SPEAKER]), ("Lyon", "GPE", [], [])],
        quotes=[(f"Nothing to see here {SCRIPT},", SPEAKER, "direct", "said")],
        places=[("Lyon", "FR", 45.75, 4.85, "city")],
        events=[
            event(
                HOSTILE_TEXT,
                "Protesters marched in Lyon",
                type="PROTEST",
                label=f"march {SCRIPT}",
                participants=[SPEAKER],
                place={"name": "Lyon", "country": "FR", "lat": 45.75, "lon": 4.85},
                date="2022-01-10",
                status="occurred",
            )
        ],
        published="2022-01-13",
        url=JS_URL,
        source="evil.example",
        title=f"Plan {SCRIPT} {IMG}",
        tags=[SCRIPT],
    )


def web_store(path: Path | str) -> Path | str:
    """Build the store at ``path`` (a file or a PostgreSQL URL) and return it."""
    build_store(path, [*corpus(), hostile()]).close()  # type: ignore[list-item]
    return path
