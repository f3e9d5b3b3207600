"""Batching for the ingest workers: order kept, bounded batches, a shrinking tail."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsgraph.corpus.ingest import ARTICLE_CHARS, balanced_batches
from newsgraph.models import Article


def _pairs(lengths: list[int]) -> list[tuple[str, Article]]:
    return [(f"h{i}", Article(id=f"a{i}", text="x" * n)) for i, n in enumerate(lengths)]


def _sizes(lengths: list[int], **kwargs: int) -> list[int]:
    return [len(batch) for batch in balanced_batches(_pairs(lengths), **kwargs)]


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_every_article_once_in_input_order(workers: int) -> None:
    pairs = _pairs([100 * (i % 7 + 1) for i in range(101)])
    batches = list(balanced_batches(pairs, size=8, workers=workers))
    assert [pair for batch in batches for pair in batch] == pairs
    assert all(1 <= len(batch) <= 8 for batch in batches)


def test_one_worker_takes_full_batches() -> None:
    assert _sizes([10] * 50, size=16, workers=1) == [16, 16, 16, 2]


def test_two_workers_share_out_the_last_articles_in_shrinking_batches() -> None:
    sizes = _sizes([10] * 200, size=16, workers=2)
    assert sum(sizes) == 200
    assert sizes[:8] == [16] * 8  # full batches while the input lasts
    tail = sizes[8:]
    assert tail == sorted(tail, reverse=True)  # then smaller and smaller
    assert tail[-1] == 1
    assert max(tail[-4:]) <= 2


def test_a_batch_ends_at_its_character_budget() -> None:
    # 16 articles of 2,000 characters fit in no budget of 10,000: five at a time
    assert _sizes([2_000] * 16, size=16, workers=1, chars=10_000) == [5, 5, 5, 1]


def test_a_long_article_is_a_batch_of_its_own() -> None:
    lengths = [1_000, 1_000, 20 * ARTICLE_CHARS, 1_000]
    assert _sizes(lengths, size=16, workers=1) == [2, 1, 1]


def test_no_articles_no_batches() -> None:
    assert list(balanced_batches([], size=4, workers=2)) == []


def test_size_must_be_positive() -> None:
    with pytest.raises(ValueError, match="size"):
        list(balanced_batches(_pairs([1]), size=0))


@pytest.mark.slow
def test_a_worker_freezes_what_it_loaded_out_of_the_collectors_way() -> None:
    code = (
        "import gc\nfrom newsgraph.corpus.ingest import _load_model\n"
        "assert gc.get_freeze_count() == 0\n_load_model(None)\n"
        "assert gc.get_freeze_count() > 10_000, gc.get_freeze_count()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
