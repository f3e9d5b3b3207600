"""Tests of story grouping on hand-made article features (no model, no store)."""

from __future__ import annotations

from newsgraph.corpus.stories import MAX_SPAN_DAYS, StoryInput, group

FERRY = ["a:1", "a:2", "a:3", "p:aberdeen", "p:kirkwall"]


def stories(inputs: list[StoryInput]) -> list[set[int]]:
    found = group(lambda: inputs)
    out: dict[int, set[int]] = {}
    for article, story in found.story_of.items():
        out.setdefault(story, set()).add(article)
    return sorted(out.values(), key=min)


def background(n: int, start: int = 100) -> list[StoryInput]:
    """Unrelated articles, each with its own rare features, and a hub everyone has."""
    return [(start + i, "2022-02-01", "b.example", None, [f"a:{1000 + i}", "a:999"]) for i in range(n)]


def test_same_happening_across_outlets_is_one_story() -> None:
    inputs: list[StoryInput] = [
        (1, "2022-03-14", "northstar.example", None, FERRY),
        (2, "2022-03-15", "eveningpost.example", None, ["a:1", "a:3", "p:aberdeen", "a:77"]),
        (3, "2022-03-15", "harbour.example", None, ["a:50", "a:51", "p:port elgin"]),
        *background(30),
    ]
    assert stories(inputs) == [{1, 2}]
    found = group(lambda: inputs)
    assert found.features[1][:1] in (["a:1"], ["a:3"], ["p:aberdeen"])


def test_one_shared_feature_is_not_enough() -> None:
    inputs: list[StoryInput] = [
        (1, "2022-03-14", "a", None, FERRY),
        (2, "2022-03-14", "b", None, ["a:1", "a:60", "a:61"]),
        (3, "2022-01-01", "c", None, ["a:1", "a:60", "a:61"]),
        *background(30),
    ]
    assert stories(inputs) == []


def test_time_keeps_stories_apart() -> None:
    inputs: list[StoryInput] = [
        (1, "2022-03-14", "a", None, FERRY),
        (2, "2022-04-20", "b", None, FERRY),
        *background(30),
    ]
    assert stories(inputs) == []


def test_a_story_spans_at_most_two_weeks() -> None:
    days = [f"2022-03-{d:02d}" for d in range(1, 31, 2)]
    inputs: list[StoryInput] = [(i, day, "a", None, FERRY) for i, day in enumerate(days, 1)]
    inputs += background(300)
    found = stories(inputs)
    assert len(found) >= 2
    for story in found:
        dates = [days[i - 1] for i in story]
        assert int(max(dates)[-2:]) - int(min(dates)[-2:]) <= MAX_SPAN_DAYS


def test_hub_features_are_ignored() -> None:
    inputs = background(100)  # all share "a:999", and nothing else
    assert stories(inputs) == []


def test_near_duplicates_share_a_story_even_undated() -> None:
    inputs: list[StoryInput] = [
        (1, "2022-03-14", "a", 1, FERRY),
        (2, "2022-03-15", "b", None, ["a:1", "a:2", "p:kirkwall"]),
        (5, None, "c", 1, []),
        (6, None, "d", None, FERRY),
        *background(30),
    ]
    assert stories(inputs) == [{1, 2, 5}]
