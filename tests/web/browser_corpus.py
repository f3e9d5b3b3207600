"""What the browser tests load: articles written for them, an article of XSS payloads, a watched page.

Kept apart from the tests so that scripts can share them (the suite has one conftest.py,
``tests/conftest.py``: a second one in a folder without ``__init__.py`` would shadow it for
``from conftest import ...``).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from web_records import IMG, JS_URL, SCRIPT

#: Articles written for these tests: people quoted, places, a meeting (an event with a place).
ARTICLES = [
    {
        "id": "geneva-talks",
        "url": "https://news.example.org/2024/03/05/geneva-talks",
        "published": "2024-03-05",
        "title": "Foreign ministers meet in Geneva over fishing dispute",
        "text": (
            "GENEVA — Maria Lindqvist, the Swedish foreign minister, met Finnish foreign minister "
            "Jukka Virtanen in Geneva on Tuesday to settle a long dispute over fishing rights in the "
            "Baltic Sea.\n\n"
            '"We agreed to keep talking until every boat can sail again," Lindqvist said after the '
            "meeting.\n\n"
            "Virtanen said the two governments would publish a joint plan next month. "
            '"Nobody wants a trade war over herring," he told reporters.\n\n'
            "The talks were hosted by the Swiss government."
        ),
    },
    {
        "id": "rotterdam-strike",
        "url": "https://news.example.org/2024/03/06/rotterdam-strike",
        "published": "2024-03-06",
        "title": "Dock workers strike in Rotterdam",
        "text": (
            "ROTTERDAM — Thousands of dock workers went on strike in Rotterdam on Wednesday, halting "
            "cargo traffic at Europe's largest port.\n\n"
            '"We will stay out until the company listens," said Pieter de Vries, a union leader.\n\n'
            "The port authority said ships were waiting off the coast. Maria Lindqvist, the Swedish "
            "foreign minister, said the strike showed how fragile trade routes had become."
        ),
    },
    {
        "id": "lindqvist-interview",
        "url": "https://news.example.org/2024/03/07/lindqvist-interview",
        "published": "2024-03-07",
        "title": "Lindqvist says Baltic plan is close",
        "text": (
            "STOCKHOLM — Swedish foreign minister Maria Lindqvist said on Thursday that a plan for the "
            "Baltic fisheries was close.\n\n"
            '"The plan is nearly written, and both sides have seen it," Lindqvist said in an '
            "interview in Stockholm.\n\n"
            "She will travel to Helsinki next week to meet Jukka Virtanen again."
        ),
    },
]

#: The XSS article, stored from a hand-built analysis (the pipeline itself never makes a name
#: out of markup, but a store can hold one). Beside web_records.hostile()'s payloads it puts
#: them where only the browser side shows them: an event's place (a map point's label), its
#: parties, the source, a role, and markup in the text.
XSS_ID = "xss-article"
XSS_SPEAKER = f"Hans {SCRIPT} Weber{IMG}"
XSS_TEXT = (
    f"BERLIN — {SCRIPT} Officials met in Berlin on Friday. {IMG}\n\n"
    f'"Nothing to see here {SCRIPT}," said {XSS_SPEAKER}, a spokesman.\n\n'
    f'More at {JS_URL} and <a href="{JS_URL}">this link</a>.'
)


def xss_record() -> tuple[Any, Any]:
    """The XSS article and its analysis: payloads in the text, title, URL, a speaker, a place and an event."""
    from corpus_records import event, make

    return make(
        XSS_ID,
        XSS_TEXT,
        entities=[
            (XSS_SPEAKER, "PERSON", [f"spokesman {IMG}"], [XSS_SPEAKER]),
            ("Berlin", "GPE", [], []),
        ],
        quotes=[(f"Nothing to see here {SCRIPT},", XSS_SPEAKER, "direct", "said")],
        places=[("Berlin", "DE", 52.52437, 13.41053, "city")],
        events=[
            event(
                XSS_TEXT,
                "Officials met in Berlin on Friday",
                type="CONSULT",
                label=f"meeting {SCRIPT}",
                participants=[XSS_SPEAKER],
                parties=[IMG],
                place={"name": f"Berlin {IMG}", "country": "DE", "lat": 52.52437, "lon": 13.41053},
                date="2024-03-08",
                status="occurred",
            )
        ],
        published="2024-03-08",
        url=JS_URL,
        source=f"{IMG}.example",
        title=f"{SCRIPT} {IMG} {JS_URL}",
        tags=[SCRIPT, "Berlin"],
    )


@dataclass
class Watched:
    """A page with what it reported: console errors, uncaught exceptions, dialogs that opened."""

    page: Any
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def console(self, kind: str, text: str, url: str) -> None:
        # Chromium asks for /favicon.ico on its own when a page names no icon: not the page's error
        if kind == "error" and not url.endswith("/favicon.ico"):
            self.errors.append(f"{text} ({url})" if url else text)


def watch(browser: Any, *, width: int = 1280, height: int = 900) -> Watched:
    """A new page in its own context, its console errors, page errors and dialogs collected."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    watched = Watched(page)
    page.on("console", lambda m: watched.console(m.type, m.text, m.location.get("url", "")))
    page.on("pageerror", lambda e: watched.errors.append(f"uncaught: {e}"))
    # the console says only "Failed to load resource": keep which one
    page.on(
        "response", lambda r: watched.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None
    )

    def on_dialog(dialog: Any) -> None:
        watched.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return watched


def chromium_executable() -> str | None:
    """Debian's chromium (or $NEWSGRAPH_CHROMIUM), when installed and Playwright is importable."""
    path = os.environ.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).is_file() or importlib.util.find_spec("playwright") is None:
        return None
    return path
