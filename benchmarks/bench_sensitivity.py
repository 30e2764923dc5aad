"""Benchmark: a 50 × 50 sensitivity map (α × β₁) of Adam, 300 steps per cell, on Rosenbrock from (−1.2, 1).

Two ways, timed in the same run:

- ours: ``lessons.playground.maps.sensitivity_maps``, the playground's code: every cell in ONE batched
  ``optimizers.run`` call (α and β₁ as (2500, 1) arrays, x0 broadcast to (2500, 2)), then the per-cell
  summary (steps to the tolerance, final gap, diverging step).  Median of ``--repeats`` after one
  untimed run.
- loop: the popular tutorial's way (the seeds' ``AdamOptimizer`` class with ``update(params, grads)``),
  one object per cell, one Python loop of 300 steps per cell, the loss kept at every step.  Timed once.

The final points of every cell are compared with the core's lone runs: float64 Adam both ways, but torch's
form (α/(1−β₁ᵗ) times m over √v/√(1−β₂ᵗ) + ε) rounds differently from the tutorial's m̂/(√v̂ + ε), and the
chaotic runs (α near 1 on Rosenbrock) grow that rounding; the count of cells that agree is printed.

Run from the repository root::

    .venv/bin/python benchmarks/bench_sensitivity.py
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import optimizers as opt  # noqa: E402
from bench_core import AdamOptimizer  # noqa: E402  (the tutorial's per-object Adam, as in the seeds)
from lessons.playground import maps  # noqa: E402
from ui.family import FAMILY  # noqa: E402

SURFACE = opt.surfaces.get("rosenbrock")
HYPER = {"lr": 0.02, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}
TOLERANCE = 1e-2


def ours(n, steps):
    return maps.sensitivity_maps(FAMILY["adam"].build, HYPER, SURFACE.loss, SURFACE.grad, SURFACE.start, steps,
                                 SURFACE.min_value, TOLERANCE, n, pairs=(("lr", "beta1"),))[0]


def loop(n, steps):
    """Cell by cell: the final point and the steps to the tolerance of each, as the tutorial would."""
    finals = np.empty((n, n, 2))
    reached = np.full((n, n), -1)
    for r, beta1 in enumerate(maps.axis_values("beta1", n)):
        for c, lr in enumerate(maps.axis_values("lr", n)):
            adam = AdamOptimizer(lr, beta1, HYPER["beta2"], HYPER["eps"])
            params = np.array(SURFACE.start, dtype=float)
            with np.errstate(all="ignore"):
                for t in range(steps + 1):
                    if reached[r, c] < 0 and SURFACE.loss(params) - SURFACE.min_value <= TOLERANCE:
                        reached[r, c] = t
                    if t < steps:
                        params = adam.update(params, SURFACE.grad(params))
            finals[r, c] = params
    return finals, reached


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=50, help="cells per side (default 50)")
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    n, steps = args.cells, args.steps

    ours(n, steps)
    times = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        result = ours(n, steps)
        times.append(time.perf_counter() - start)
    batched = statistics.median(times)

    start = time.perf_counter()
    finals, reached = loop(n, steps)
    looped = time.perf_counter() - start

    trajectory_end = opt.run(opt.adam(maps.axis_values("lr", n)[None, :, None],
                                      beta1=maps.axis_values("beta1", n)[:, None, None]),
                             SURFACE.grad, np.broadcast_to(SURFACE.start, (n, n, 2)), steps).params[-1]
    close = np.all(np.isclose(finals, trajectory_end, rtol=1e-6, atol=1e-9, equal_nan=True), axis=-1)
    same_steps = reached == result.steps
    print(f"{n} × {n} map of Adam (α × β₁), {steps} steps per cell, Rosenbrock from {SURFACE.start}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  ours, one batched core call : {batched * 1e3:8.1f} ms  (median of {args.repeats}; "
          f"min {min(times) * 1e3:.1f}, max {max(times) * 1e3:.1f})")
    print(f"  tutorial per-object loop    : {looped * 1e3:8.1f} ms")
    print(f"  ratio (loop / ours)         : {looped / batched:8.1f} ×  (against ours' fastest: "
          f"{looped / min(times):.1f} ×)")
    print(f"  cells whose final points agree to 1e-6: {int(close.sum())} of {n * n}; the others differ only by the "
          "order of float operations (torch's form against the tutorial's), grown by chaotic runs")
    print(f"  cells with the same steps to {TOLERANCE:g}: {int(same_steps.sum())} of {n * n}")
    print(f"  budget ≤ 200 ms: median {'met' if batched <= 0.2 else 'MISSED'}, fastest {'met' if min(times) <= 0.2 else 'MISSED'}")


if __name__ == "__main__":
    main()
