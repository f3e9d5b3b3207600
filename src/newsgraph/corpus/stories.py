"""Stories: articles about the same happening, across outlets, grouped by what they share.

Each article brings features (see :meth:`newsgraph.store.Store.story_inputs`): its linked
people and organisations, its places below country level and its dated events. Features are
weighted by rarity (inverse document frequency); those in more than 5 % of the corpus (the
"Trump" or "United States" of a corpus) say nothing about a happening and are ignored.

Articles are taken in date order. Each joins the story of its most similar article from the
previous ``WINDOW_DAYS`` days when they share at least ``MIN_SHARED`` features, the shared
weight is at least ``MIN_OVERLAP`` of the smaller article's weight, and the story would span at
most ``MAX_SPAN_DAYS``; near-duplicates always share a story. An article with no such partner
starts its own, and stories of one article are dropped. Undated articles join stories only
through their near-duplicates.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

__all__ = ["Stories", "StoryInput", "day_number", "group"]

WINDOW_DAYS = 3
MAX_SPAN_DAYS = 14
MIN_SHARED = 2
MIN_OVERLAP = 0.35
HUB_SHARE = 0.05
HUB_FLOOR = 20

#: (article id, date or None, source, near-duplicate group or None, features)
StoryInput = tuple[int, str | None, str | None, int | None, list[str]]


@dataclass
class Stories:
    """Each grouped article's story id (its first article), and each story's top features."""

    story_of: dict[int, int] = field(default_factory=dict)
    features: dict[int, list[str]] = field(default_factory=dict)


@dataclass
class _Story:
    id: int
    first: int
    last: int
    members: int = 0
    weights: dict[str, float] = field(default_factory=dict)


def day_number(text: str | None) -> int | None:
    """The day of an ISO date as an ordinal number (None when there is no valid date)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]).toordinal()
    except ValueError:
        return None


def group(read: Callable[[], Iterable[StoryInput]]) -> Stories:
    """Group articles into stories; ``read`` gives the inputs in date order (called twice)."""
    df: Counter[str] = Counter()
    total = 0
    for _article, _date, _source, _dup, features in read():
        total += 1
        df.update(set(features))
    hub = max(HUB_FLOOR, HUB_SHARE * total)
    idf = {f: math.log(total / n) for f, n in df.items() if 2 <= n <= hub}
    del df

    stories: dict[int, _Story] = {}
    story_of: dict[int, int] = {}
    dup_story: dict[int, int] = {}
    recent: deque[tuple[int, int]] = deque()  # (day, article) within the window
    postings: dict[str, list[int]] = {}
    weights_of: dict[int, dict[str, float]] = {}
    day_of: dict[int, int] = {}

    for article, when, _source, dup, features in read():
        day = day_number(when)
        mine = {f: idf[f] for f in set(features) if f in idf}
        chosen: int | None = dup_story.get(dup) if dup is not None else None
        if chosen is None and day is not None and mine:
            while recent and recent[0][0] < day - WINDOW_DAYS:
                _, old = recent.popleft()
                day_of.pop(old, None)
                for feature in weights_of.pop(old, {}):
                    bucket = postings.get(feature)
                    if bucket is not None:
                        bucket.remove(old)
                        if not bucket:
                            del postings[feature]
            shared: Counter[int] = Counter()
            weight: dict[int, float] = {}
            for feature, w in mine.items():
                for other in postings.get(feature, ()):
                    shared[other] += 1
                    weight[other] = weight.get(other, 0.0) + w
            best_score = 0.0
            own = sum(mine.values())
            for other, count in shared.items():
                if count < MIN_SHARED or abs(day - day_of[other]) > WINDOW_DAYS:
                    continue
                score = weight[other] / min(own, sum(weights_of[other].values()))
                story = stories[story_of[other]]
                if score >= MIN_OVERLAP and score > best_score and day - story.first <= MAX_SPAN_DAYS:
                    best_score, chosen = score, story.id
        if chosen is None:
            chosen = article
            stories[article] = _Story(article, day or 0, day or 0)
        story = stories[chosen]
        story.members += 1
        for feature, w in mine.items():
            story.weights[feature] = story.weights.get(feature, 0.0) + w
        if day is not None:
            story.last = max(story.last, day)
        story_of[article] = chosen
        if dup is not None:
            dup_story.setdefault(dup, chosen)
        if day is not None and mine:
            recent.append((day, article))
            weights_of[article] = mine
            day_of[article] = day
            for feature in mine:
                postings.setdefault(feature, []).append(article)

    result = Stories()
    for article, story_id in story_of.items():
        if stories[story_id].members > 1:
            result.story_of[article] = story_id
    for story_id, story in stories.items():
        if story.members > 1:
            top = sorted(story.weights.items(), key=lambda item: (-item[1], item[0]))[:3]
            result.features[story_id] = [feature for feature, _ in top]
    return result
