"""The app's machinery: the short-lived cache of corpus-wide answers."""

from __future__ import annotations

import threading
import time

from newsgraph.web.app import Cache


def test_the_cache_keeps_an_answer_for_its_ttl() -> None:
    cache = Cache(ttl=0.2)
    calls: list[int] = []
    assert cache.get("k", lambda: calls.append(1) or len(calls)) == 1
    assert cache.get("k", lambda: calls.append(1) or len(calls)) == 1
    time.sleep(0.25)
    assert cache.get("k", lambda: calls.append(1) or len(calls)) == 2


def test_one_thread_computes_while_the_others_wait() -> None:
    cache = Cache(ttl=60)
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8 and len(calls) == 1


def test_the_cache_is_bounded() -> None:
    cache = Cache(ttl=60, size=3)
    for i in range(10):
        cache.get(f"k{i}", lambda i=i: i)  # type: ignore[misc]
    assert len(cache._values) <= 3 and len(cache._locks) <= 3
    assert cache.get("k9", lambda: -1) == 9 and cache.get("k0", lambda: -1) == -1
