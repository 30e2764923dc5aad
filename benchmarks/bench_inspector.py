"""The inspector's scrub: server rerun after the step slider moves (AppTest), and the payload.

Run from the repo root:  python benchmarks/bench_inspector.py
Scene: the page's default (bowl, Adam α = 0.1, 100 steps), and the same with gradient noise σ = 1
(one more chart).  The run is cached, so a scrub only reads another row of it and redraws.
Prints figures, asserts nothing; goal on the 2-core machine: median scrub rerun <= 60 ms.
"""

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from apptest_helpers import chart_payloads, open_page  # noqa: E402

STEPS = (11, 12, 13, 40, 39, 38, 75, 76, 100, 99, 1, 2, 50, 49, 10)


def scrub_reruns(query, repeats=3):
    at = open_page("pages/inside-adam.py", query)
    assert not at.exception, at.exception
    times = []
    for _ in range(repeats):
        for t in STEPS:
            at.slider(key="insp_step").set_value(t)
            start = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - start)
            assert not at.exception
    sizes = [len(payload) for payload in chart_payloads(at)]
    return times, sizes


def main():
    for label, query in (("no noise (2 charts)", {}), ("noise σ = 1 (3 charts)", {"insp_noise": "1"})):
        times, sizes = scrub_reruns(query)
        ms = sorted(1000 * t for t in times)
        print(f"{label}: scrub rerun over {len(ms)} moves: median {statistics.median(ms):.1f} ms, "
              f"p90 {ms[int(0.9 * len(ms))]:.1f} ms, max {ms[-1]:.1f} ms (goal <= 60 ms); "
              f"chart JSON {', '.join(f'{s / 1024:.0f} KB' for s in sizes)}")


if __name__ == "__main__":
    main()
