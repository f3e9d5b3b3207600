"""The Ray engine without a Ray in the test process: it starts its own, or joins a running cluster.

The cluster is a real one, ``ray start --head --block`` in its own process group on free ports
(so it never meets another Ray on the machine); the test stops it by that group, not with
``ray stop``, which would stop every Ray of the user.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

import newsgraph  # noqa: E402
from newsgraph.engines import EngineError  # noqa: E402
from newsgraph.engines.ray import RayEngine  # noqa: E402
from newsgraph.store.cluster import free_ports  # noqa: E402

OBJECT_STORE = 200 * 1024 * 1024
BATCHES = [[1, 2], [3], [4, 5, 6], [7]]


def _pid_sum(batch: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(batch)


ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])


@pytest.fixture(autouse=True)
def _no_ray_here(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch.delenv("RAY_ADDRESS", raising=False)
    assert not ray.is_initialized()
    yield
    if ray.is_initialized():  # a failed test must not leave its connection to the next
        ray.shutdown()


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A one-node Ray cluster of two CPUs; yields its address (host:port)."""
    ray_cli = Path(sys.executable).with_name("ray")
    if not ray_cli.exists():
        pytest.skip("the ray command is not installed next to this Python")
    port, dashboard, agent, agent_grpc, metrics, runtime_env = free_ports(6)
    temp = tempfile.mkdtemp(prefix="ng-ray-")
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    env.pop("RAY_ADDRESS", None)
    source = str(Path(newsgraph.__file__).resolve().parents[1])  # the workers import this newsgraph
    env["PYTHONPATH"] = os.pathsep.join(p for p in (source, env.get("PYTHONPATH")) if p)
    options = {
        "port": port,
        "dashboard-port": dashboard,
        "dashboard-agent-listen-port": agent,
        "dashboard-agent-grpc-port": agent_grpc,
        "metrics-export-port": metrics,
        "runtime-env-agent-port": runtime_env,
        "num-cpus": 2,
        "object-store-memory": OBJECT_STORE,
        "temp-dir": temp,
        "node-ip-address": "127.0.0.1",
        "include-dashboard": "false",
    }
    head = subprocess.Popen(
        [str(ray_cli), "start", "--head", "--block", "--disable-usage-stats"]
        + [f"--{name}={value}" for name, value in options.items()],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    address = f"127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            if head.poll() is not None or time.monotonic() > deadline:
                _stop(head)
                pytest.fail(f"ray start --head did not come up (exit {head.poll()})")
            time.sleep(0.2)
        yield address
    finally:
        _stop(head)
        shutil.rmtree(temp, ignore_errors=True)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _stop(head: subprocess.Popen[bytes]) -> None:
    """Stop the process group this module started (``ray start --block`` drains for 30 s on SIGTERM)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(head.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and (head.poll() is None or _group_alive(head.pid)):
            time.sleep(0.2)
        os.killpg(head.pid, signal.SIGKILL)
    head.wait()


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_without_an_address_the_engine_starts_a_local_ray_and_stops_it() -> None:
    with RayEngine[list[int], tuple[int, int]](workers=2, object_store_mb=150) as engine:
        results = list(engine.map(_pid_sum, BATCHES))
        assert ray.is_initialized()
    assert sorted(r[1] for _, r in results) == [3, 3, 7, 15]
    assert os.getpid() not in {r[0] for _, r in results}
    assert not ray.is_initialized()  # it started this Ray, so it shut it down


def test_the_engine_joins_a_running_cluster_and_leaves_it_running(cluster: str) -> None:
    for _ in range(2):  # the second run finds the cluster still there
        with RayEngine[list[int], tuple[int, int]](workers=2, address=cluster) as engine:
            results = list(engine.map(_pid_sum, BATCHES))
        assert sorted(r[1] for _, r in results) == [3, 3, 7, 15]
        assert not ray.is_initialized()  # disconnected
    assert _listening(int(cluster.rsplit(":", 1)[1]))


def test_a_cluster_too_small_or_absent_is_a_clear_error(cluster: str) -> None:
    with pytest.raises(EngineError, match="2 CPUs; 3 workers"):
        next(RayEngine[list[int], int](workers=3, address=cluster).map(sum, [[1]]))
    assert not ray.is_initialized()
    (free,) = free_ports(1)
    with pytest.raises(EngineError, match="cannot join the Ray cluster"):
        next(RayEngine[list[int], int](workers=1, address=f"127.0.0.1:{free}").map(sum, [[1]]))
