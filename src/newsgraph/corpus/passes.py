"""The corpus passes, run incrementally: each takes only what new articles touch.

Every stored article is queued for each pass (see :mod:`newsgraph.store.base`); a pass takes
its queue in chunks, each chunk one transaction, so its memory and its cost per article stay
flat however large the corpus:

1. linking   new names (those no actor holds yet) are filed under their keys (surname, first
             name, folded organisation name, acronym); the names sharing a key with them, and
             the names of those names' actors, are linked again with :func:`linking.link`;
             actors whose names changed are recomputed in full, the others only add the new
             articles' counts, dates and roles. An actor id is the smallest name id of its
             group; an id retired by a merge redirects to the actor it went into.
2. dedup     each new article's MinHash band keys find its candidate copies in the store's
             index; those at the threshold join its near-duplicate group (groups it bridges
             merge; a group's id is its smallest article id).
3. stories   each new dated article is compared with the articles within ``WINDOW_DAYS`` that
             share its rare features (linked actors, places below country level, dated events)
             and joins the story of the most similar one (see :mod:`stories` for the rule); a
             near-duplicate joins its copies' story.

Only one process runs the passes of a store at a time (a lock); another finds them taken and
leaves the queue to it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from newsgraph.corpus import dedup, linking, stories
from newsgraph.corpus.stories import day_number as _day
from newsgraph.store import Store

__all__ = ["PASSES_VERSION", "PassReport", "passes_due", "run_passes"]

#: Raised when the passes change what they find: stores built before run them again.
PASSES_VERSION = 2
#: Articles (or names) one transaction of a pass takes.
CHUNK = 2000


@dataclass
class PassReport:
    """What the passes did and found, and how long each took (seconds)."""

    actors: int = 0
    names: int = 0
    duplicate_groups: int = 0
    duplicates: int = 0
    stories: int = 0
    articles_in_stories: int = 0
    linked: int = 0
    checked: int = 0
    ran: bool = True
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            "actors": self.actors,
            "names": self.names,
            "names_linked": self.linked,
            "articles_checked": self.checked,
            "duplicate_groups": self.duplicate_groups,
            "articles_in_duplicate_groups": self.duplicates,
            "stories": self.stories,
            "articles_in_stories": self.articles_in_stories,
            "ran": self.ran,
            "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
        }


def passes_due(store: Store) -> bool:
    """True when stored articles wait for the passes, or they ran with another version."""
    version = store.get_meta("passes_version")
    return store.dirty or (version is not None and version != str(PASSES_VERSION))


def run_passes(store: Store, *, on_step: Callable[[str], None] | None = None) -> PassReport:
    """Run linking, dedup and stories over what is queued; returns what they did.

    ``on_step`` is called with the name of each pass as it starts. When another process holds
    the passes of this store, nothing runs and the report says so (``ran`` is False).
    """
    report = PassReport()
    step = on_step or (lambda _name: None)
    with store.lock_passes() as mine:
        if not mine:
            report.ran = False
            return report
        version = store.get_meta("passes_version")
        if version is not None and version != str(PASSES_VERSION):
            store.requeue_all()
        for name, run in (("linking", _link), ("dedup", _dedup), ("stories", _stories)):
            step(name)
            started = time.monotonic()
            run(store, report)
            report.seconds[name] = time.monotonic() - started
        store.mark_clean(version=PASSES_VERSION)
    report.names, report.actors, report.stories = (store.count(t) for t in ("names", "actors", "stories"))
    report.duplicate_groups, report.duplicates = store.duplicate_counts()
    return report


def _link(store: Store, report: PassReport) -> None:
    refreshed: set[int] = set()
    while fresh := store.unlinked_names(limit=CHUNK):
        with store.transaction():
            store.set_name_keys(
                sorted((n.id, key) for n in fresh for key in linking.index_keys(n.name, n.type))
            )
            probes = {key for n in fresh for key in linking.probe_keys(n.name, n.type)}
            related = set(store.names_with_keys(probes)) | {n.id for n in fresh}
            members = store.fellow_names(sorted(related))
            result = linking.link(store.name_stats(members))
            missing = {n.id for n in fresh} - set(result.actor_of)
            result.actor_of.update({i: i for i in missing})  # names whose only rows were rolled back
            refreshed.update(store.link_names(result.actor_of, result.canonical))
        report.linked += len(fresh)
    # actors whose names were there before: the new articles' counts, dates and roles are added
    while queued := store.queued("linking", limit=CHUNK):
        with store.transaction():
            store.count_into_actors(queued, skip=refreshed)
            store.dequeue("linking", queued)


def _dedup(store: Store, report: PassReport) -> None:
    while queued := store.queued("dedup", limit=CHUNK):
        with store.transaction():
            own = store.signatures_of(queued)
            for article in queued:
                if article not in own:
                    continue
                data, group = own[article]
                neighbours = store.signatures_of(store.band_neighbours(article))
                found = dedup.duplicates_of(data, {i: sig for i, (sig, _) in neighbours.items()})
                if not found:
                    continue
                groups = {g for _, g in (neighbours[i] for i in found) if g is not None}
                if group is not None:
                    groups.add(group)
                into = min({article, *found, *groups})
                store.merge_duplicate_groups([article, *found], sorted(groups), into)
            store.dequeue("dedup", queued)
        report.checked += len(queued)


def _stories(store: Store, report: PassReport) -> None:
    while queued := store.queued("stories", limit=CHUNK):
        with store.transaction():
            inputs = store.story_features(queued)
            store.add_features(
                sorted(
                    (article, feature, day)
                    for article, (when, _, features) in inputs.items()
                    if (day := _day(when)) is not None
                    for feature in set(features)
                )
            )
            total = store.count("articles")
            hub = max(stories.HUB_FLOOR, stories.HUB_SHARE * total)
            counts = store.feature_counts(f for _, _, features in inputs.values() for f in features)

            idf = partial(_idf, counts=counts, total=total, hub=hub)

            changed: set[int] = set()
            weights: dict[int, float] = {}
            order = sorted(inputs, key=lambda a: (inputs[a][0] is None, inputs[a][0] or "", a))
            for article in order:
                when, group, features = inputs[article]
                chosen = _story_of_copies(store, article, group)
                day = _day(when)
                mine = {f: w for f in set(features) if (w := idf(f)) is not None}
                # what it weighs as a later article's candidate: a feature only it has so far
                # counts as if a second article had it (the one that will share it)
                weights[article] = sum(
                    max(math.log(total / max(n, 2)), 0.0)
                    for f in set(features)
                    if (n := counts.get(f, 0)) <= hub
                )
                partner: int | None = None
                if chosen is None and group is not None and group != article:
                    partner = group  # near-duplicates share a story, dated or not
                elif chosen is None and day is not None and mine:
                    partner, chosen = _best_partner(store, article, day, mine, weights)
                if chosen is None and partner is None:
                    continue
                story = chosen if chosen is not None else min(article, partner or article)
                members = [article] if partner is None or chosen is not None else [article, partner]
                store.join_story(members, story)
                changed.add(story)
                # the story's label weighs its members' features (kept per story, as they join)
                joined = {f: w for f in set(features) if (w := idf(f)) is not None}
                if len(members) > 1:
                    for f in store.article_features([partner or article]).get(partner or article, []):
                        joined[f] = joined.get(f, 0.0) + (idf(f) or 0.0)
                store.add_story_weights(story, joined)
            store.set_story_weights(weights)
            if changed:
                store.refresh_stories(sorted(changed), _labels(store, sorted(changed)))
            store.dequeue("stories", queued)


def _idf(feature: str, *, counts: dict[str, int], total: int, hub: float) -> float | None:
    """A feature's weight (inverse document frequency); None for one too rare or too common to tell."""
    n = counts.get(feature, 0)
    return math.log(total / n) if 2 <= n <= hub else None


def _story_of_copies(store: Store, article: int, group: int | None) -> int | None:
    """The story a near-duplicate of this article is in, if any."""
    if group is None:
        return None
    row = store.stories_of([group])
    return row.get(group)


def _best_partner(
    store: Store, article: int, day: int, mine: dict[str, float], weights: dict[int, float]
) -> tuple[int | None, int | None]:
    """The most similar article within the window, and its story (None when it has none yet).

    An article's weight (the sum of its features' weights) is the one computed when it was
    taken by the pass (``weights`` holds those of the chunk being taken).
    """
    window = stories.WINDOW_DAYS
    near = store.feature_neighbours(sorted(mine), day - window, day + window, before=1 << 62)
    near.pop(article, None)
    candidates = [a for a, shared in near.items() if len(shared) >= stories.MIN_SHARED]
    if not candidates:
        return None, None
    stored = store.story_candidates(candidates)
    own = sum(mine.values())
    their_story = {a: story for a, (story, _) in stored.items() if story is not None}
    spans = store.story_spans(sorted(set(their_story.values())))
    best_score, best = 0.0, None
    for other in sorted(candidates):
        weight = sum(mine[f] for f in near[other])
        # a weight taken when the corpus was small can be below what is shared now
        total = max(weights.get(other) or stored.get(other, (None, 0.0))[1], weight)
        if not total:
            continue
        score = weight / min(own, total)
        story = their_story.get(other)
        if story is not None:
            first, last = (_day(d) for d in spans.get(story, (None, None)))
            low = min(d for d in (first, day) if d is not None)
            high = max(d for d in (last, day) if d is not None)
            if high - low > stories.MAX_SPAN_DAYS:
                continue
        if score >= stories.MIN_OVERLAP and score > best_score:
            best_score, best = score, other
    if best is None:
        return None, None
    return best, their_story.get(best)


def _labels(store: Store, story_ids: list[int]) -> dict[int, str]:
    """Each story's label: its three heaviest features, as names."""
    tops = store.story_top_features(story_ids)
    actor_ids = {int(f[2:]) for top in tops.values() for f in top if f.startswith("a:")}
    names = store.actor_names(actor_ids)
    return {story: " / ".join(_feature_label(f, names) for f in top) for story, top in tops.items()}


def _feature_label(feature: str, names: dict[int, str]) -> str:
    kind, _, value = feature.partition(":")
    if kind == "a":
        return names.get(int(value), value)
    if kind == "p":
        return value.title()
    return value.replace(":", " ")
