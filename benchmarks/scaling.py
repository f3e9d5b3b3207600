"""A two-node Ray cluster on this machine ingesting into one PostgreSQL: the scale-out path, run for real.

Starts a throwaway PostgreSQL (:func:`newsgraph.store.cluster.local_postgres`, durable
settings) and a Ray cluster of two nodes (``ray start --head`` and a second ``ray start
--address`` joining it, one CPU each, on free ports, in their own process groups), then runs
``newsgraph ingest DIR --db postgresql://... --engine ray --address HEAD --workers 2`` over the
Wikinews corpus, and prints the time, what was stored and where the time went (the analysis on
the Ray actors, the writes in the driver, the passes). A second ingest of the same directory
must store nothing. Everything is stopped at the end.

Usage::

    python benchmarks/scaling.py [--articles 120]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsgraph.store.cluster import free_ports

REPO = Path(__file__).resolve().parents[1]
WIKINEWS = REPO.parent / "shared" / "corpus" / "wikinews"


def _ray_node(ray_cli: Path, env: dict[str, str], *, head: str | None, temp: str) -> subprocess.Popen[bytes]:
    names = ("node-manager-port", "object-manager-port", "dashboard-agent-listen-port",
             "dashboard-agent-grpc-port", "metrics-export-port", "runtime-env-agent-port")  # fmt: skip
    ports = dict(zip(names, free_ports(len(names)), strict=True))
    command = [str(ray_cli), "start", "--block", "--num-cpus", "1", "--object-store-memory", str(300 * 2**20)]
    command += [f"--{k}={v}" for k, v in ports.items()]
    if head is None:
        port, dashboard = free_ports(2)
        command += ["--head", f"--port={port}", f"--dashboard-port={dashboard}", "--include-dashboard=false"]
        command += [f"--temp-dir={temp}", "--node-ip-address=127.0.0.1"]
        env["NG_HEAD"] = f"127.0.0.1:{port}"
    else:
        command += [f"--address={head}", "--node-ip-address=127.0.0.1"]
    return subprocess.Popen(
        command, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=120)
    args = parser.parse_args()
    from newsgraph.store import open_store
    from newsgraph.store.cluster import create_database, local_postgres

    if not WIKINEWS.is_dir():
        sys.exit(f"no corpus at {WIKINEWS}")
    ray_cli = Path(sys.executable).with_name("ray")
    work = Path(tempfile.mkdtemp(prefix="ng-scaling-"))
    inputs = work / "in"
    inputs.mkdir()
    from newsgraph.models import Article
    from newsgraph.readers import read_inputs

    articles = [a for a in read_inputs([str(WIKINEWS)]) if isinstance(a, Article)][: args.articles]
    with open(inputs / "articles.jsonl", "w", encoding="utf-8") as out:
        for article in articles:
            meta = article.metadata
            record = {"id": article.id, "text": article.text, "title": meta.title, "url": meta.url}
            out.write(json.dumps({**record, "published": meta.published}) + "\n")
    words = sum(len(a.text.split()) for a in articles)
    env = dict(os.environ, RAY_AUTH_MODE="disabled", PYTHONPATH=str(REPO / "src"))
    env.pop("RAY_ADDRESS", None)
    temp = tempfile.mkdtemp(prefix="ng-ray-")
    nodes: list[subprocess.Popen[bytes]] = []
    try:
        with local_postgres(durable=True) as server:
            url = create_database(server, "scaling")
            nodes.append(_ray_node(ray_cli, env, head=None, temp=temp))
            head = env["NG_HEAD"]
            time.sleep(8)
            nodes.append(_ray_node(ray_cli, env, head=head, temp=temp))
            time.sleep(8)
            command = [
                sys.executable,
                "-m",
                "newsgraph",
                "ingest",
                str(inputs),
                "--db",
                url,
                "--engine",
                "ray",
            ]
            command += ["--address", head, "--workers", "2", "--no-progress", "--json"]
            started = time.monotonic()
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
            seconds = time.monotonic() - started
            if done.returncode != 0:
                sys.exit(f"ingest failed ({done.returncode}): {done.stderr[-2000:]}")
            report = json.loads(done.stdout)
            again = json.loads(
                subprocess.run(command, capture_output=True, text=True, env=env, timeout=600).stdout
            )
            with open_store(url, readonly=True) as store:
                stats = store.stats()
            n = len(articles)
            print(f"two-node Ray cluster (1 CPU each) -> PostgreSQL, {n} Wikinews articles, {words} words")
            print(
                f"  ingest {seconds:.1f} s wall: {words / seconds:.0f} words/s, {n / seconds:.2f} articles/s"
            )
            passes = report["passes"]["seconds"]
            print(f"  stored {report['stored']}, failed {report['failed']}; passes (s) {passes}")
            print(f"  second run: stored {again['stored']}, already stored {again['already_stored']}")
            print(
                f"  store: {stats.articles} articles, {stats.actors} actors, {stats.quotes} quotes, "
                f"{stats.events} events, {stats.stories} stories, {(stats.size_bytes or 0) / 1e6:.1f} MB"
            )
    finally:
        for node in reversed(nodes):
            with __import__("contextlib").suppress(ProcessLookupError):
                os.killpg(node.pid, signal.SIGTERM)
        for node in nodes:
            try:
                node.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(node.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
