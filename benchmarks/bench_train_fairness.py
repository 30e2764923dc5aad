"""Benchmark: how much a running training slows another learner's rerun, and what pacing costs the training.

One Streamlit process serves every session's script in its own thread, and Python's GIL lets one
thread run Python at a time. A training thread is CPU-bound Python with small NumPy calls, so it
takes its full share of the GIL; another session's rerun then waits for it in 5 ms slices.

This script times a cheap rerun of the flagship lesson (its core runs for the Rosenbrock scene,
uncached, both figures built and serialised to JSON, as a rerun does) in the main thread:

- alone,
- while one and while two digits trainings (Adam, batch 32, the page's default) run in threads
  of the same process,

each with the training's pacing off (the code before issue 13) and on (``models.train.Pacer``).
It prints the rerun's median and its ratio to the rerun alone, and each training's epochs per
second, so the cost of pacing to the training shows beside its benefit to the rerun.

    .venv/bin/python benchmarks/bench_train_fairness.py [--reruns 30]

On code without ``models.train.Pacer`` it measures the unpaced rows only.
"""

import argparse
import inspect
import os
import platform
import statistics
import sys
import threading
import time
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import plotly.io as pio  # noqa: E402

import optimizers as opt  # noqa: E402
from models import train  # noqa: E402
from ui import figures, runs  # noqa: E402

SURFACE = "rosenbrock"
SCENE = tomllib.loads((Path(__file__).resolve().parents[1] / "assets" / "scenes.toml").read_text())[SURFACE]
PACING_SUPPORTED = "pace" in inspect.signature(train.train_epoch).parameters


def flagship_rerun():
    """The flagship's work for one rerun: four core runs, both figures, serialised as the page sends them."""
    surface = opt.surfaces.get(SURFACE)
    start, steps = tuple(SCENE["start"]), int(SCENE["steps"])
    paths = [runs.run_path.__wrapped__(key, tuple(sorted(SCENE[key].items())), SURFACE, start, steps)
             for key in ("sgd", "momentum", "rmsprop", "adam")]
    pio.to_json(figures.paths_figure(surface, paths, None))
    pio.to_json(figures.progress_figure(paths, surface))


class Training(threading.Thread):
    """A digits training (Adam, the page's default settings), epoch after epoch until stopped."""

    def __init__(self, problem, pace):
        super().__init__(daemon=True)
        self.problem, self.pace = problem, pace
        self.stopping = threading.Event()
        self.epochs, self.seconds = 0, 0.0

    def run(self):
        settings = train.Settings()
        optimizer = train.build_optimizer("adam", settings)
        progress = train.start(self.problem, optimizer)
        extra = {"pace": self.pace} if PACING_SUPPORTED else {}
        began = time.perf_counter()
        while not self.stopping.is_set():
            progress = train.train_epoch(self.problem, optimizer, progress, settings.batch_size, **extra)
            self.epochs += 1
        self.seconds = time.perf_counter() - began

    def rate(self):
        return self.epochs / self.seconds


def reruns_while(problem, trainings, pace, count):
    """Rerun times (s) with ``trainings`` training threads running, and their epochs per second."""
    threads = [Training(problem, pace) for _ in range(trainings)]
    for thread in threads:
        thread.start()
    time.sleep(0.2 if threads else 0.0)              # let the trainings get going
    times = []
    for _ in range(count):
        began = time.perf_counter()
        flagship_rerun()
        times.append(time.perf_counter() - began)
        time.sleep(0.02)                             # a learner's reruns come apart, not back to back
    for thread in threads:
        thread.stopping.set()
    for thread in threads:
        thread.join()
    return times, [thread.rate() for thread in threads]


def training_alone(problem, pace, seconds=1.0):
    """Epochs per second of one training with nothing else running."""
    thread = Training(problem, pace)
    thread.start()
    time.sleep(seconds)
    thread.stopping.set()
    thread.join()
    return thread.rate()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=10, help="timed reruns per row and round")
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds; each runs every row once, interleaved, so a busy spell hits all rows")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, switch interval {sys.getswitchinterval() * 1000:.0f} ms, "
          f"pacing {'available' if PACING_SUPPORTED else 'not in this code'}")
    problem = train.DigitsMLP()
    for _ in range(3):
        flagship_rerun()                             # warm up imports and plotly's validators
    paces = (False, True) if PACING_SUPPORTED else (False,)
    rows = [(0, False)] + [(trainings, pace) for pace in paces for trainings in (1, 2)]
    reruns = {row: [] for row in rows}
    rates = {row: [] for row in rows}
    solo = {pace: [] for pace in paces}
    for _ in range(args.rounds):
        for pace in paces:
            solo[pace].append(training_alone(problem, pace))
        for row in rows:
            times, row_rates = reruns_while(problem, *row, args.reruns)
            reruns[row] += times
            rates[row] += row_rates
    alone = statistics.median(reruns[(0, False)])
    print(f"\nflagship rerun alone: {alone * 1000:.0f} ms "
          f"(median of {len(reruns[(0, False)])}, {args.rounds} rounds)")
    for pace in paces:
        solo_rate = statistics.median(solo[pace])
        print(f"\npacing {'on' if pace else 'off'}: one training alone runs {solo_rate:.1f} epochs/s")
        for trainings in (1, 2):
            median = statistics.median(reruns[(trainings, pace)])
            rate = statistics.median(rates[(trainings, pace)])
            print(f"  rerun beside {trainings} training(s): {median * 1000:5.0f} ms = "
                  f"{median / alone:4.2f}× alone;  each training {rate:5.1f} epochs/s "
                  f"({rate / solo_rate:.0%} of alone)")
    if len(paces) == 2:
        cost = 1 - statistics.median(solo[True]) / statistics.median(solo[False])
        print(f"\npacing costs a training alone {cost:.0%} of its speed")


if __name__ == "__main__":
    main()
