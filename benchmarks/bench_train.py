"""Benchmark: the train lesson's default settings, all five optimizers, timed (goal: under 30 s).

Times what a first visit to /train-a-model computes: the digits MLP (64–64–10, batch 32,
``DEFAULT_EPOCHS`` epochs) and the sine RNN (16 units, windows of 25, ``DEFAULT_RNN_EPOCHS``
epochs) for SGD, SGD + momentum, RMSprop, Adam and AdamW, one epoch at a time as the page does
(without Streamlit's caching and drawing).  Prints wall time per optimizer and the final metrics.

    .venv/bin/python benchmarks/bench_train.py [--repeats 3]
"""

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models import train  # noqa: E402


def timed(problem, key, epochs):
    start = time.perf_counter()
    result = train.train(problem, key, train.Settings(), epochs)
    return time.perf_counter() - start, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3, help="runs per optimizer; the median is printed")
    args = parser.parse_args()
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}")
    total = 0.0
    start = time.perf_counter()
    digits, sine = train.DigitsMLP(), train.SineRNN()
    setup = time.perf_counter() - start
    print(f"setup (load digits, split, init, make windows): {setup * 1000:.1f} ms")
    models = (("digits MLP", digits, train.DEFAULT_EPOCHS, "test_accuracy", lambda v: f"test accuracy {100 * v:.1f} %"),
              ("sine RNN", sine, train.DEFAULT_RNN_EPOCHS, "test_loss", lambda v: f"test MSE {v:.4f}"))
    for name, problem, epochs, metric, fmt in models:
        batch = train.Settings().batch_size
        print(f"\n{name}, {epochs} epochs, batch {batch}, {problem.n_train} training examples")
        part = 0.0
        for key in train.OPTIMIZER_KEYS:
            times, result = [], None
            for _ in range(args.repeats):
                seconds, result = timed(problem, key, epochs)
                times.append(seconds)
            median = statistics.median(times)
            part += median
            print(f"  {key:9s} {median:6.2f} s   {fmt(result.history[metric][-1])}   ({train.outcome(result)})")
        print(f"  {'all five':9s} {part:6.2f} s")
        total += part
    print(f"\nboth models, five optimizers, default settings: {total + setup:.2f} s (goal: < 30 s)")


if __name__ == "__main__":
    main()
