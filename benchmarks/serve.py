"""Serving benchmark: `newsgraph serve`'s app under 200 concurrent clients for 60 s.

The store is the synthetic one of ``benchmarks/store.py`` (article *i* a variant of one of 40
really analysed Wikinews articles, 300 a day, actors recurring as in news), ``--articles``
of them (default 100,000) with the corpus passes run. Building it takes about 20 minutes on two
cores, so it is cached: ``$XDG_CACHE_HOME/newsgraph-bench/serve-N.db`` (default
``~/.cache/...``), or ``--store FILE`` for a store of your own.

The app (``newsgraph.web.app.create_app(store)``) runs in its own process under uvicorn, one
worker, as ``newsgraph serve`` runs it. ``--clients`` asyncio clients (httpx.AsyncClient, one
connection each) then request, one after another for ``--seconds``, URLs drawn from a mix of
the pages and the API: home, search, article, actor page, quotes, events and ``/api/*``; the
search words, article ids and actors are sampled from the store beforehand through the API.
Per route kind it prints the request count and p50 / p95 / p99 latency (ms, as the client
sees it, queueing in the server included), then the errors (HTTP >= 400, timeouts, refused
connections). Targets: API p99 < 200 ms, actor page p95 < 100 ms, 0 errors.

Usage::

    python benchmarks/serve.py                          # 100k store, 200 clients, 60 s
    python benchmarks/serve.py --articles 10000 --clients 50 --seconds 20
    python benchmarks/serve.py --store corpus.db --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

#: Base analyses the synthetic store varies (as benchmarks/store.py's passes part).
BASES = 40
#: The share of requests of each route kind.
MIX = {
    "home": 0.05,
    "search": 0.15,
    "article": 0.20,
    "actor": 0.20,
    "quotes": 0.10,
    "events": 0.05,
    "api": 0.25,
}


def cache_dir() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "newsgraph-bench"


def build_store(articles: int) -> Path:
    """The cached synthetic store of ``articles`` articles, built (and the passes run) when missing."""
    target = cache_dir() / f"serve-{articles}.db"
    if target.exists():
        return target
    from newsgraph.corpus.passes import run_passes
    from newsgraph.store import open_store
    from store import _grow, bases

    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial.db")
    for leftover in target.parent.glob(partial.name + "*"):
        leftover.unlink()
    began = time.monotonic()
    print(f"building a {articles}-article store in {partial} (cached for later runs) ...", flush=True)
    _grow(str(partial), bases(BASES), 0, articles)
    print(f"  {articles} articles stored, {time.monotonic() - began:.0f} s", flush=True)
    with open_store(str(partial)) as store:
        run_passes(store)
    print(f"  passes run, {time.monotonic() - began:.0f} s", flush=True)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(target)
    return target


def start_server(store: Path) -> tuple[subprocess.Popen[bytes], str]:
    """uvicorn with one worker over ``store`` in its own process; the process and its base URL."""
    from newsgraph.store.cluster import free_ports

    port = free_ports(1)[0]
    code = (
        "import sys, uvicorn\n"
        "from newsgraph.web.app import create_app\n"
        "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), workers=1,"
        " log_level='warning', access_log=False)\n"
    )
    server = subprocess.Popen([sys.executable, "-c", code, str(store), str(port)])
    return server, f"http://127.0.0.1:{port}"


async def wait_ready(base: str, timeout: float = 60.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(base_url=base) as client:
        while True:
            try:
                if (await client.get("/api/stats")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the app did not answer at {base} within {timeout:.0f} s")
            await asyncio.sleep(0.2)


async def sample_urls(base: str, seed: int = 7) -> dict[str, list[str]]:
    """URLs of each route kind, from ids, names and words sampled through the API (not timed)."""
    import re
    from urllib.parse import urlencode

    import httpx

    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:

        async def get(path: str, **params: Any) -> Any:
            response = await client.get(path, params=params)
            response.raise_for_status()
            return response.json()

        actors = (await get("/api/actors", limit=200))["items"]
        newest = (await get("/api/articles", limit=200))["items"]
        words = sorted(
            {w.lower() for hit in newest for w in re.findall(r"[A-Za-z]{5,}", hit.get("title") or "")}
        )
        older = [
            hit
            for w in rng.sample(words, min(10, len(words)))
            for hit in (await get("/api/search", q=w))["items"]
        ]
        places = [p["name"] for p in await get("/api/events/places")][:50]
    articles = sorted({hit["article_id"] for hit in newest + older})
    actor_ids = [a["id"] for a in actors]
    people = [a["id"] for a in actors if a.get("type") == "PERSON"] or actor_ids
    names = [a["name"] for a in actors]

    def q(path: str, **params: Any) -> str:
        return f"{path}?{urlencode(params)}"

    return {
        "home": ["/"],
        "search": [q("/search", q=w) for w in words] + [q("/search", actor=n) for n in names[:20]],
        "article": [f"/articles/{a}" for a in articles],
        "actor": [f"/actors/{a}" for a in actor_ids],
        "quotes": [q("/quotes", speaker_id=a) for a in people] + [q("/quotes", q=w) for w in words[:30]],
        "events": ["/events"] + [q("/events", place=p) for p in places],
        "api": (
            [q("/api/search", q=w) for w in words]
            + [f"/api/articles/{a}" for a in articles]
            + [f"/api/actors/{a}" for a in actor_ids]
            + [q("/api/quotes", speaker_id=a) for a in people]
            + [q("/api/events", place=p) for p in places]
            + [q("/api/actors", name=n) for n in names[:30]]
            + ["/api/stats", "/api/stories", "/api/duplicates"]
        ),
    }


async def client_loop(
    base: str, urls: dict[str, list[str]], stop: float, seed: int, out: list[tuple[str, float, int]]
) -> None:
    """One client: a request at a time until ``stop``, each ``(kind, ms, status)`` appended to ``out``."""
    import httpx

    rng = random.Random(seed)
    kinds = [k for k in MIX if urls.get(k)]
    weights = [MIX[k] for k in kinds]
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30.0) as client:
        while time.monotonic() < stop:
            kind = rng.choices(kinds, weights)[0]
            url = rng.choice(urls[kind])
            began = time.perf_counter()
            try:
                response = await client.get(url)
                await response.aread()
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            out.append((kind, 1000 * (time.perf_counter() - began), status))


async def load(
    base: str, urls: dict[str, list[str]], clients: int, seconds: float
) -> list[tuple[str, float, int]]:
    out: list[tuple[str, float, int]] = []
    stop = time.monotonic() + seconds
    await asyncio.gather(*(client_loop(base, urls, stop, seed, out) for seed in range(clients)))
    return out


def summarise(results: list[tuple[str, float, int]], seconds: float) -> dict[str, Any]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for kind, ms, status in results:
        by_kind[kind].append(ms)
        if status == 0 or status >= 400:
            errors[f"{kind} {status or 'no response'}"] += 1
    figures: dict[str, Any] = {"requests": len(results), "per_second": len(results) / seconds, "routes": {}}
    for kind in MIX:
        times = sorted(by_kind.get(kind, []))
        if not times:
            continue
        cuts = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else [times[0]] * 99
        figures["routes"][kind] = {"count": len(times), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98]}
    figures["errors"] = sum(errors.values())
    figures["error_kinds"] = dict(errors)
    return figures


def report(figures: dict[str, Any], *, clients: int, seconds: float, store: Path) -> None:
    print(
        f"{clients} clients for {seconds:.0f} s against {store.name}: {figures['requests']} requests "
        f"({figures['per_second']:.0f}/s)"
    )
    print(f"  {'route':8} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind, row in figures["routes"].items():
        print(f"  {kind:8} {row['count']:7d} {row['p50']:8.1f} {row['p95']:8.1f} {row['p99']:8.1f}")
    print(f"errors: {figures['errors']}" + (f" {figures['error_kinds']}" if figures["errors"] else ""))
    api, actor = figures["routes"].get("api"), figures["routes"].get("actor")
    if api and actor:
        print(
            f"targets: API p99 {api['p99']:.0f} ms (< 200), actor page p95 {actor['p95']:.0f} ms (< 100), "
            f"errors {figures['errors']} (0)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000, help="size of the synthetic store")
    parser.add_argument("--store", help="serve this store instead of the synthetic one")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--build-only", action="store_true", help="build (or find) the cached store and stop")
    parser.add_argument("--json", action="store_true", help="one JSON object of the figures on stdout")
    args = parser.parse_args()
    store = Path(args.store) if args.store else build_store(args.articles)
    if args.build_only:
        print(store)
        return
    server, base = start_server(store)
    try:
        asyncio.run(wait_ready(base))
        began = time.monotonic()
        urls = asyncio.run(sample_urls(base))
        print(f"sampled {sum(map(len, urls.values()))} URLs in {time.monotonic() - began:.0f} s", flush=True)
        figures = summarise(asyncio.run(load(base, urls, args.clients, args.seconds)), args.seconds)
    finally:
        # uvicorn finishes the requests in flight first; past 30 s, stop it
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    figures.update(clients=args.clients, seconds=args.seconds, store=str(store))
    report(figures, clients=args.clients, seconds=args.seconds, store=store)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
