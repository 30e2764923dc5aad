"""A small class through the load balancer: benchmarks/bench_load.py's client, not its timings.

Twelve protocol-level sessions (real WebSockets speaking Streamlit's protobufs, as the browser does)
open the flagship lesson through nginx in front of two app processes and move its start slider three
times each.  Asserted: no errors, every rerun answered and showing the moved value (the paths start at
the new x0), every session held by exactly one process and reached through nginx (cookie affinity),
and sessions on both processes.  Nothing is timed: the benchmark prints the figures.
"""

import asyncio
import concurrent.futures
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_load  # noqa: E402

PORT = 8750                    # nginx; the apps on 8751 and 8752 (the benchmark keeps to 8700-8749)
APP_PORTS = [PORT + 1, PORT + 2]
SESSIONS = 12                  # all twelve on one process by chance: 2 * 0.5**12, about 1 in 2000
MOVES = 3


@pytest.fixture(scope="module")
def class_of_twelve():
    """The sessions after their moves, each located on its app process; the cluster is stopped after."""
    load = bench_load.run_load(PORT, APP_PORTS, SESSIONS, MOVES, bench_load.LESSON, pause=0.1, ramp=1.0, offset=0,
                               time_limit=45.0)
    with bench_load.serving(len(APP_PORTS), PORT):      # running_cluster, file watcher off
        # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
        with concurrent.futures.ThreadPoolExecutor(1) as thread:
            sessions, rss, _ = thread.submit(asyncio.run, load).result()
    return sessions, rss


def test_no_errors(class_of_twelve):
    sessions, _ = class_of_twelve
    assert [s.errors for s in sessions if s.errors] == []
    assert all(s.page_load is not None for s in sessions)


def test_every_move_answered_with_the_moved_value(class_of_twelve):
    sessions, _ = class_of_twelve
    assert [len(s.reruns) for s in sessions] == [MOVES] * SESSIONS
    assert [s.echoed for s in sessions] == [[True] * MOVES] * SESSIONS


def test_sessions_spread_over_both_processes_with_affinity(class_of_twelve):
    sessions, rss = class_of_twelve
    assert all(s.session_id for s in sessions)
    assert {s.process for s in sessions} == set(APP_PORTS)     # and each on one (an error otherwise)
    assert all(mb > 0 for mb in rss.values()), rss


def test_path_starts_reads_plotly_bdata():
    """The echo check also reads NumPy arrays, which Plotly sends as base64 ``bdata``."""
    import base64
    import json

    import numpy as np

    run = bench_load.Run()
    bdata = base64.b64encode(np.array([3.25, 1.0])).decode()
    figure = {"figure": {"data": [{"x": {"dtype": "f8", "bdata": bdata}}, {"x": [7.5, 2.0]}]}}
    proto = bench_load.ForwardMsg().delta.new_element
    proto.bidi_component.component_name = "course_plot"
    proto.bidi_component.bytes = json.dumps(figure).encode()
    run.elements.append(("bidi_component", proto))
    assert bench_load.path_starts(run) == {3.25, 7.5}
