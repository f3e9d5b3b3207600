"""Corpus passes: what newsgraph works out across articles once they are stored.

- :mod:`~newsgraph.corpus.linking`: the same actor across articles gets one id;
- :mod:`~newsgraph.corpus.dedup`: syndicated and lightly edited copies are grouped (MinHash LSH);
- :mod:`~newsgraph.corpus.stories`: articles about the same happening are grouped into stories;
- :mod:`~newsgraph.corpus.ingest`: reading, analysing and storing articles, then these passes.

:func:`run_passes` runs the three passes over a whole store, each in its own transaction, in
that order (stories use the linked actors and the duplicate groups), then marks the store clean.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from newsgraph.corpus import dedup, linking, stories
from newsgraph.store import Store

__all__ = ["PASSES_VERSION", "PassReport", "passes_due", "run_passes"]

#: Raised when the passes change what they find: stores built before run them again.
PASSES_VERSION = 1


@dataclass
class PassReport:
    """What the passes found and how long each took (seconds)."""

    actors: int = 0
    names: int = 0
    duplicate_groups: int = 0
    duplicates: int = 0
    stories: int = 0
    articles_in_stories: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            "actors": self.actors,
            "names": self.names,
            "duplicate_groups": self.duplicate_groups,
            "articles_in_duplicate_groups": self.duplicates,
            "stories": self.stories,
            "articles_in_stories": self.articles_in_stories,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def run_passes(store: Store, *, on_step: Callable[[str], None] | None = None) -> PassReport:
    """Link actors, group near-duplicates and stories over the whole store; mark it clean.

    ``on_step`` is called with the name of each pass as it starts.
    """
    report = PassReport()
    step = on_step or (lambda _name: None)

    step("linking")
    started = time.monotonic()
    names = store.name_stats()
    result = linking.link(names)
    store.set_actors(result.actor_of, result.canonical)
    report.names = len(names)
    report.actors = len(result.canonical)
    report.seconds["linking"] = time.monotonic() - started

    step("dedup")
    started = time.monotonic()
    known, checked_upto = store.duplicate_state()
    last = store.db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    groups = dedup.group(store.signatures(), known=known, new_after=checked_upto)
    store.set_duplicate_groups(groups, checked_upto=int(last))
    report.duplicates = len(groups)
    report.duplicate_groups = len(set(groups.values()))
    report.seconds["dedup"] = time.monotonic() - started

    step("stories")
    started = time.monotonic()
    found = stories.group(store.story_inputs)
    actor_ids = {int(f[2:]) for features in found.features.values() for f in features if f.startswith("a:")}
    names_by_id = store.actor_names(actor_ids)
    labels = {
        story: " / ".join(_feature_label(f, names_by_id) for f in features)
        for story, features in found.features.items()
    }
    store.set_stories(found.story_of, labels)
    report.stories = len(found.features)
    report.articles_in_stories = len(found.story_of)
    report.seconds["stories"] = time.monotonic() - started

    store.mark_clean(version=PASSES_VERSION)
    return report


def passes_due(store: Store) -> bool:
    """True when articles were stored since the passes ran, or they ran with another version."""
    return store.dirty or store.get_meta("passes_version") != str(PASSES_VERSION)


def _feature_label(feature: str, names: dict[int, str]) -> str:
    kind, _, value = feature.partition(":")
    if kind == "a":
        return names.get(int(value), value)
    if kind == "p":
        return value.title()
    return value.replace(":", " ")
