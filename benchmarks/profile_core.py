"""Where the time of ``opt.run(opt.adam(lr), rosenbrock.grad, x0, steps)`` goes.

Times the same scenario as bench_core.py (10,000 Rosenbrock starts x 1,000 steps by default)
two ways, each the median of ``--repeats`` runs:

1. ``opt.run`` itself, the total.
2. The same loop rebuilt from the public pieces, timing each piece on every step: the
   gradient ``grad_fn(point)``, ``optimizer.update(...)`` and the history write
   ``np.add(point, step, out=params[k + 1])``.

Whatever the total has beyond the three pieces is ``run()``'s own work: allocating the
history, checking the gradients, and scanning the whole history for non-finite values.

    python benchmarks/profile_core.py            # any interpreter with numpy
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import optimizers as opt  # noqa: E402


def timed_total(x0, steps, lr, grad_fn):
    begin = time.perf_counter()
    opt.run(opt.adam(lr), grad_fn, x0, steps)
    return time.perf_counter() - begin


def timed_pieces(x0, steps, lr, grad_fn):
    """The run() loop from public pieces, with a stopwatch around each piece."""
    optimizer = opt.adam(lr)
    spent = dict(grad=0.0, update=0.0, history=0.0)
    begin = time.perf_counter()
    params = np.empty((steps + 1,) + x0.shape)
    params[0] = x0
    state = optimizer.init(x0)
    clock = time.perf_counter
    with np.errstate(all="ignore"):
        for k in range(steps):
            point = params[k]
            t0 = clock()
            g = grad_fn(point)
            t1 = clock()
            step, state = optimizer.update(g, state, point)
            t2 = clock()
            np.add(point, step, out=params[k + 1])
            t3 = clock()
            spent["grad"] += t1 - t0
            spent["update"] += t2 - t1
            spent["history"] += t3 - t2
    spent["loop"] = time.perf_counter() - begin
    return spent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=10_000)
    parser.add_argument("--steps", type=int, default=1_000)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)

    x0 = np.random.default_rng(0).uniform((-2.0, -1.0), (2.0, 3.0), size=(args.starts, 2))
    grad_fn = opt.surfaces.get("rosenbrock").grad
    timed_total(x0, min(args.steps, 10), args.lr, grad_fn)  # warm-up

    totals, pieces = [], []
    for _ in range(args.repeats):  # interleaved, so both see the same machine load
        totals.append(timed_total(x0, args.steps, args.lr, grad_fn))
        pieces.append(timed_pieces(x0, args.steps, args.lr, grad_fn))
    total = statistics.median(totals)
    piece = {name: statistics.median(p[name] for p in pieces) for name in pieces[0]}

    rows = [
        ("gradient   surfaces.get('rosenbrock').grad", piece["grad"]),
        ("update     adam(...).update", piece["update"]),
        ("history    np.add(point, step, out=params[k+1])", piece["history"]),
        ("loop overhead (Python, stopwatches)", piece["loop"] - piece["grad"] - piece["update"]
         - piece["history"]),
        ("run() bookkeeping: total - rebuilt loop", total - piece["loop"]),
    ]
    per_step = 1e6 / args.steps
    print(f"opt.run(opt.adam({args.lr:g}), rosenbrock.grad, x0 of shape {x0.shape}, {args.steps:,} steps): "
          f"median of {args.repeats}")
    print(f"{'piece':52s} {'ms per run':>10s} {'us per step':>12s} {'share':>6s}")
    for name, seconds in rows:
        print(f"{name:52s} {seconds * 1e3:10.1f} {seconds * per_step:12.1f} {seconds / total:6.1%}")
    print(f"{'total opt.run':52s} {total * 1e3:10.1f} {total * per_step:12.1f} {1:6.1%}")
    print("run() bookkeeping = allocating the history, checking each gradient, and scanning the "
          "whole history for non-finite values after the loop.")


if __name__ == "__main__":
    main()
