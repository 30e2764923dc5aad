"""Benchmark: batched Adam on many Rosenbrock starts, ours against torch and a per-start loop.

The scenario: 10,000 starts drawn uniformly from [-2, 2] x [-1, 3] (fixed seed), Adam with
lr = 1e-3 for 1,000 steps, every step's parameters kept.  Three ways to do it, timed in the
same run:

- ours:  ``opt.run(opt.adam(lr), rosenbrock.grad, x0, steps)`` on one (10000, 2) array.
- torch: ``torch.optim.Adam(foreach=True)`` on one (10000, 2) float64 tensor, the gradient
         computed analytically with torch ops (no autograd), the parameters copied after every
         step into a (steps + 1, 10000, 2) tensor allocated before the loop.
- loop:  the class tutorials write (``AdamOptimizer.update`` with m, v of shape (2,) and a
         step counter), one instance per start, one Python loop per start.  Timed on a subset
         of starts and extrapolated linearly to the full count.

Ours and torch report the median wall time of ``--repeats`` runs after one untimed run.
The final parameters of ours and torch are compared (both are float64 Adam, so they should
agree to rounding).  torch is optional: without it that column is skipped.

Run from the repository root, with an interpreter that has torch for the full table::

    /tmp/torchenv/bin/python benchmarks/bench_core.py
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

try:
    import resource  # Unix only: page-fault counts
except ImportError:
    resource = None

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import optimizers as opt  # noqa: E402

try:
    import torch
except ImportError as error:  # torch is not a project dependency
    torch = None
    TORCH_MISSING = f"{type(error).__name__}: {error}"
else:
    TORCH_MISSING = None

BETA1, BETA2, EPS = 0.9, 0.999, 1e-8
LOW, HIGH = (-2.0, -1.0), (2.0, 3.0)


def starts(count, seed):
    """``count`` start points, uniform in [-2, 2] x [-1, 3]."""
    return np.random.default_rng(seed).uniform(LOW, HIGH, size=(count, 2))


class Timing:
    """Wall times of repeated runs, with the CPU time and page faults that help read them."""

    def __init__(self, function, repeats):
        self.wall, self.cpu, self.faults, self.result = [], [], [], None
        for _ in range(repeats):
            self.result = None  # let the previous history go before allocating the next one
            usage = resource.getrusage(resource.RUSAGE_SELF) if resource else None
            cpu, wall = time.process_time(), time.perf_counter()
            self.result = function()
            self.wall.append(time.perf_counter() - wall)
            self.cpu.append(time.process_time() - cpu)
            if resource:
                self.faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - usage.ru_minflt)

    @property
    def median(self):
        return statistics.median(self.wall)


# ---- ours --------------------------------------------------------------------------------

def run_ours(x0, steps, lr):
    """The final and all intermediate params, as the course computes them."""
    rosenbrock = opt.surfaces.get("rosenbrock")
    return opt.run(opt.adam(lr, BETA1, BETA2, EPS), rosenbrock.grad, x0, steps).params


# ---- torch -------------------------------------------------------------------------------

def rosenbrock_grad_torch(x):
    """The same analytic gradient as ``surfaces._rosenbrock_grad``, in torch ops."""
    a, b = x[..., 0], x[..., 1]
    ridge = b - a * a
    return torch.stack((-2.0 * (1.0 - a) - 400.0 * a * ridge, 200.0 * ridge), dim=-1)


def run_torch(x0, steps, lr):
    """torch's batched Adam on one tensor; every step copied into a preallocated history."""
    params = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    adam = torch.optim.Adam([params], lr=lr, betas=(BETA1, BETA2), eps=EPS, foreach=True)
    history = torch.empty((steps + 1,) + tuple(params.shape), dtype=torch.float64)
    with torch.no_grad():
        history[0].copy_(params)
        for k in range(steps):
            params.grad = rosenbrock_grad_torch(params)
            adam.step()
            history[k + 1].copy_(params)
    return history


# ---- the tutorial's per-start loop ------------------------------------------------------

class AdamOptimizer:
    """Adam the way introductory tutorials write it: one object per parameter vector."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8):
        self.learning_rate = learning_rate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.m = None
        self.v = None
        self.t = 0

    def update(self, params, grads):
        if self.m is None:
            self.m = np.zeros_like(params)
            self.v = np.zeros_like(params)
        self.t += 1
        self.m = self.beta1 * self.m + (1 - self.beta1) * grads
        self.v = self.beta2 * self.v + (1 - self.beta2) * grads**2
        m_hat = self.m / (1 - self.beta1**self.t)
        v_hat = self.v / (1 - self.beta2**self.t)
        return params - self.learning_rate * m_hat / (np.sqrt(v_hat) + self.epsilon)


def rosenbrock_grad_point(params):
    """The gradient at one point, tutorial style: unpack two floats, build a length-2 array."""
    x, y = params
    return np.array([-2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)])


def run_loop(x0, steps, lr):
    """One optimizer and one Python loop per start; every step written into a history array."""
    history = np.empty((steps + 1,) + x0.shape)
    history[0] = x0
    for i, start in enumerate(x0):
        optimizer = AdamOptimizer(lr, BETA1, BETA2, EPS)
        params = start.copy()
        for k in range(steps):
            params = optimizer.update(params, rosenbrock_grad_point(params))
            history[k + 1, i] = params
    return history


# ---- report ------------------------------------------------------------------------------

def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--starts", type=int, default=10_000, help="number of start points")
    parser.add_argument("--steps", type=int, default=1_000, help="Adam steps per start")
    parser.add_argument("--lr", type=float, default=1e-3, help="learning rate")
    parser.add_argument("--seed", type=int, default=0, help="seed of the start points")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of ours and of torch")
    parser.add_argument("--loop-starts", type=int, default=200,
                        help="starts the per-start loop is timed on (then extrapolated)")
    parser.add_argument("--loop-repeats", type=int, default=3, help="timed runs of the loop subset")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="torch intra-op threads (default: torch's own default)")
    parser.add_argument("--no-loop", action="store_true", help="skip the per-start loop")
    return parser.parse_args(argv)


def print_header(args):
    print(f"Batched Adam on Rosenbrock: {args.starts:,} starts x {args.steps:,} steps, lr={args.lr:g}, "
          f"float64, every step's params kept")
    print(f"starts uniform in [-2, 2] x [-1, 3] (seed {args.seed}); ours and torch: median of "
          f"{args.repeats} runs after one untimed run")
    print(f"python {platform.python_version()}, numpy {np.__version__}, CPU cores: {os.cpu_count()} "
          f"(numpy's element-wise ufuncs use one thread)")
    if torch is None:
        print(f"torch: not available ({TORCH_MISSING}); the torch column is skipped. "
              f"Run with an interpreter that has torch, e.g. /tmp/torchenv/bin/python.")
        return
    default_threads = torch.get_num_threads()
    threads = default_threads if args.torch_threads is None else args.torch_threads
    torch.set_num_threads(threads)
    origin = "torch's default" if threads == default_threads else f"torch's default is {default_threads}"
    print(f"torch {torch.__version__}: set_num_threads({threads}); get_num_threads() = "
          f"{torch.get_num_threads()} ({origin})")


def print_table(rows, ours):
    print(f"{'method':44s} {'wall (median)':>13s} {'/ ours':>8s} {'cpu':>8s} {'page faults':>11s}"
          f"   wall of each run (s)")
    for name, timing, scale in rows:
        if timing is None:
            print(f"{name:44s} {'skipped':>13s}")
            continue
        wall = timing.median * scale
        cpu = statistics.median(timing.cpu) * scale
        faults = f"{statistics.median(timing.faults) * scale:,.0f}" if timing.faults else "-"
        runs = " ".join(f"{t:.3f}" for t in timing.wall)
        print(f"{name:44s} {wall:11.3f} s {wall / ours:7.1f}x {cpu:6.3f} s {faults:>11s}   {runs}")


def main(argv=None):
    args = parse_args(argv)
    x0 = starts(args.starts, args.seed)
    print_header(args)
    print()

    run_ours(x0, args.steps, args.lr)  # warm-up: the first run pays one-off costs (fresh memory)
    ours = Timing(lambda: run_ours(x0, args.steps, args.lr), args.repeats)
    rows = [("ours   opt.run(opt.adam), one (N, 2) array", ours, 1.0)]

    theirs = None
    if torch is not None:
        run_torch(x0, args.steps, args.lr)
        theirs = Timing(lambda: run_torch(x0, args.steps, args.lr).numpy(), args.repeats)
    rows.append(("torch  optim.Adam(foreach=True), one tensor", theirs, 1.0))

    loop = subset = None
    if not args.no_loop:
        subset = x0[:min(args.loop_starts, args.starts)]
        loop = Timing(lambda: run_loop(subset, args.steps, args.lr), args.loop_repeats)
        rows.append(("loop   AdamOptimizer.update per start (*)", loop, args.starts / len(subset)))

    print_table(rows, ours.median)
    print("cpu: process CPU time (all threads); page faults: minor faults during the run "
          "(first touch of the history's memory).")
    if loop is not None:
        scale = args.starts / len(subset)
        print(f"(*) measured on the first {len(subset):,} starts: {loop.median:.3f} s (median of "
              f"{args.loop_repeats}), then x {scale:g}: a linear extrapolation to {args.starts:,} starts.")
    print()

    print("Ratios (time of the other / time of ours; above 1 means ours is faster):")
    if theirs is not None:
        ratio = theirs.median / ours.median
        print(f"  torch / ours = {ratio:7.2f}   goal >= 2:   {'met' if ratio >= 2 else 'NOT met'}")
    else:
        print("  torch / ours =       -   (torch not installed)")
    if loop is not None:
        ratio = loop.median * args.starts / len(subset) / ours.median
        print(f"  loop  / ours = {ratio:7.1f}   goal >= 300: {'met' if ratio >= 300 else 'NOT met'}"
              f"   (loop time extrapolated)")
    print()

    print("Agreement (same starts, same hyperparameters, float64):")
    mine = ours.result
    if theirs is not None:
        final = np.max(np.abs(mine[-1] - theirs.result[-1]))
        every = np.max(np.abs(mine - theirs.result))
        verdict = "ok" if final <= 1e-10 else "ABOVE 1e-10"
        print(f"  max |ours - torch|, final params: {final:.3e}   ({verdict})")
        print(f"  max |ours - torch|, every step:   {every:.3e}")
    if loop is not None:
        final = np.max(np.abs(mine[-1, :len(subset)] - loop.result[-1]))
        print(f"  max |ours - loop|,  final params: {final:.3e}   (on the {len(subset):,} loop starts)")
    moved = np.linalg.norm(mine[-1] - mine[0], axis=-1)
    print(f"  the starts moved {np.median(moved):.3f} in median, {moved.max():.3f} at most; "
          f"non-finite params: {np.count_nonzero(~np.isfinite(mine))}")


if __name__ == "__main__":
    main()
