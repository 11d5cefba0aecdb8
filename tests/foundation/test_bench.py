"""`netmap bench` cannot pass quietly (issue 22 item 1): at a tiny size it gives every figure
as a number with the commit, the machine and the cohort; a missing load generator or a
service that cannot start makes it exit non-zero naming the stage. (The speed targets are
measured by the bench itself, at scale; see bench/README.md. Here only the harness is proved.)"""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path

import pytest

from bench.runner import FIGURES, TARGETS

from .helpers import netmap

TINY = ("bench", "--young-people", "10", "--api-seconds", "1", "--api-users", "2",
        "--workers", "1")


@pytest.fixture
def bench_env(monkeypatch):
    monkeypatch.delenv("NETMAP_BENCH_WRK", raising=False)
    return monkeypatch


def test_a_tiny_run_gives_every_figure_as_a_number(tmp_path, bench_env):
    out = tmp_path / "bench.json"
    result = netmap(tmp_path / "data", *TINY, "--json", out, timeout=600)
    figures = json.loads(out.read_text())
    not_numbers = {k: figures.get(k) for k in FIGURES
                   if not isinstance(figures.get(k), (int, float))}
    assert not not_numbers, not_numbers
    assert figures["api_failures"] == 0 and figures["api_requests"] > 0
    assert figures["api_floor_rps"] > 0 and figures["restart_s"] > 0
    head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                          cwd=Path(__file__).parent).stdout.strip()
    if head:  # a git checkout (CI's clean clone): the figures name the commit measured
        assert figures["commit"].split("+")[0] == head
    else:  # a copy without git history: no commit to name, and it says so
        assert figures["commit"] is None
    assert figures["machine"]["cores"] >= 1 and figures["cohort"]["young_people"] == 10
    share = figures["cpu_share"]["mixed"]
    assert set(share) == {"cores", "service", "database", "load_generator"}
    assert set(figures["targets_met"]) == set(TARGETS)
    # The printed table puts each floor beside its figure.
    assert "floor_p95_ms" in result.stdout and "api_floor_rps" in result.stdout


def test_a_missing_load_generator_fails_the_bench_naming_the_stage(tmp_path, bench_env):
    bench_env.setenv("NETMAP_BENCH_WRK", str(tmp_path / "no-such-wrk"))
    out = tmp_path / "bench.json"
    result = netmap(tmp_path / "data", *TINY, "--json", out, check=False, timeout=600)
    assert result.returncode != 0, result.stdout
    assert "The bench stage 'api_floor' could not run" in result.stderr, result.stderr
    assert "not installed" in result.stderr
    assert not out.exists()  # no half-empty figures to mistake for a run


def test_a_service_that_cannot_start_fails_the_bench_naming_the_stage(tmp_path, bench_env):
    # Another program already holds the port the service is told to use.
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        port = squatter.getsockname()[1]
        result = netmap(tmp_path / "data", *TINY, "--port", port, check=False, timeout=600)
    assert result.returncode != 0, result.stdout
    assert "The bench stage 'api_server' could not run" in result.stderr, result.stderr
