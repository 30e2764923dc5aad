"""Train a model with the course's optimizers, one epoch at a time, keeping per-epoch metrics.

A *problem* couples a model with its data: ``x0`` (the seeded initial θ), ``n_train`` (how many
training examples there are), ``loss_and_grad(theta, index)`` on the examples ``index`` and
``evaluate(theta)`` -> metrics.  :func:`start` and :func:`train_epoch` are pure: a page can
cache every epoch and show the curves while they grow.
"""

import contextlib
import ctypes
import functools
import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

import optimizers as opt

from . import data, mlp, rnn

OPTIMIZER_KEYS = ("sgd", "momentum", "rmsprop", "adam", "adamw")
DEFAULT_EPOCHS = 30          # the digits MLP
DEFAULT_RNN_EPOCHS = 30


@dataclass(frozen=True)
class Settings:
    """Every hyperparameter of the five optimizers, the batch size and the seed (the epochs are separate)."""

    lr_sgd: float = 0.1
    lr_momentum: float = 0.01
    lr_rmsprop: float = 1e-3
    lr_adam: float = 1e-3
    lr_adamw: float = 1e-3
    momentum: float = 0.9        # μ, torch's sum form b = μb + g
    rho: float = 0.99            # RMSprop's decay of the mean of g² (torch's `alpha`)
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8
    weight_decay: float = 0.01   # AdamW's decoupled λ (the other four have none)
    batch_size: int = 32
    seed: int = 0


def build_optimizer(key, s: Settings):
    """The optimizer ``key`` with the settings ``s``; raises ValueError for settings out of range."""
    if key == "sgd":
        return opt.sgd(s.lr_sgd)
    if key == "momentum":
        return opt.sgd(s.lr_momentum, momentum=s.momentum)
    if key == "rmsprop":
        return opt.rmsprop(s.lr_rmsprop, alpha=s.rho, eps=s.eps)
    if key == "adam":
        return opt.adam(s.lr_adam, beta1=s.beta1, beta2=s.beta2, eps=s.eps)
    if key == "adamw":
        return opt.adamw(s.lr_adamw, beta1=s.beta1, beta2=s.beta2, eps=s.eps, weight_decay=s.weight_decay)
    raise ValueError(f"unknown optimizer {key!r}; choose one of {', '.join(OPTIMIZER_KEYS)}.")


# ---- problems ------------------------------------------------------------------------------

class DigitsMLP:
    """The MLP on the digits: metrics are the full training loss, the test loss and the test accuracy."""

    metrics = ("train_loss", "test_loss", "test_accuracy")

    def __init__(self, hidden=64, seed=0):
        self.sizes = mlp.Sizes(hidden=hidden)
        self.data = data.digits_split(seed)
        self.x0 = mlp.init_params(self.sizes, seed)
        self.n_train = len(self.data.y_train)

    def loss_and_grad(self, theta, index):
        return mlp.loss_and_grad(theta, self.data.x_train[index], self.data.y_train[index], self.sizes)

    def evaluate(self, theta):
        d = self.data
        _, logits = mlp.forward(theta, d.x_test, self.sizes)
        test_log_p = mlp.log_softmax(logits)
        return {"train_loss": mlp.loss(theta, d.x_train, d.y_train, self.sizes),
                "test_loss": float(-np.mean(test_log_p[np.arange(len(d.y_test)), d.y_test])),
                "test_accuracy": float(np.mean(np.argmax(logits, axis=1) == d.y_test))}

    def mistakes(self, theta, limit=10):
        """The first ``limit`` misclassified test digits: (8×8 images 0..16, predicted, true labels)."""
        d = self.data
        predicted = mlp.predict(theta, d.x_test, self.sizes)
        wrong = np.flatnonzero(predicted != d.y_test)[:limit]
        return d.images_test[wrong], predicted[wrong], d.y_test[wrong]


class SineRNN:
    """The RNN on the noisy sine: train on every window of the training stretch, test on the last 100 points.

    The test prediction runs the RNN over the whole series from h₀ = 0 (each input the observed
    value, each output the forecast of the next one) and scores the test stretch.
    """

    metrics = ("train_loss", "test_loss")

    def __init__(self, hidden=16, window=25, seed=0):
        self.hidden = hidden
        self.series = data.noisy_sine(seed=seed)
        train_stretch = self.series.noisy[:self.series.test_start]
        self.x_train, self.y_train = rnn.windows(train_stretch, window)
        self.x0 = rnn.init_params(hidden, seed)
        self.n_train = len(self.x_train)

    def loss_and_grad(self, theta, index):
        return rnn.loss_and_grad(theta, self.x_train[index], self.y_train[index], self.hidden)

    def forecast(self, theta):
        """One-step-ahead forecasts of points 1..N−1 from the observed points 0..N−2."""
        y_hat, _ = rnn.forward(theta, self.series.noisy[None, :-1], self.hidden)
        return y_hat[0]

    def evaluate(self, theta):
        test = slice(self.series.test_start - 1, None)       # forecasts of the test points
        error = self.forecast(theta)[test] - self.series.noisy[1:][test]
        return {"train_loss": rnn.loss(theta, self.x_train, self.y_train, self.hidden),
                "test_loss": float(np.mean(error ** 2))}


# ---- training ------------------------------------------------------------------------------

class Pacer:
    """Gives other threads of the process the GIL while they want it; costs a training nothing alone.

    One Streamlit process runs every session's script in a thread of its own, and only one thread
    runs Python at a time. A training is Python with small NumPy calls, so it holds the GIL in
    long stretches; another session's rerun then gets it for 5 ms (the switch interval) each time
    the training hands it back, and ran 2.1–3.3× slower beside one or two trainings
    (benchmarks/bench_train_fairness.py).

    Called between minibatches. Every ``quantum`` seconds of wall time it asks how much CPU time
    the *other* threads of this process used meanwhile (process CPU time minus this thread's).
    If that is at least ``busy`` of the wall time, another session is running Python and wants
    the GIL, so the training sleeps (without the GIL) long enough to use at most ``share`` of the
    time while that lasts: ``computed × (1 − share) / share``, at most ``longest_sleep``. With the
    other threads idle it never sleeps, so a training alone runs at full speed; other *processes*
    do not count (they compete for cores, not for this GIL, and the OS shares the cores).
    Two trainings in one process see each other and both step back; a rerun beside them is what
    matters most in a classroom. The clocks and the sleep are parameters, so a test can drive the
    pacer without timing anything.
    """

    def __init__(self, quantum=0.002, share=0.25, busy=0.2, longest_sleep=0.02, clock=time.perf_counter,
                 thread_cpu=time.thread_time, process_cpu=time.process_time, sleep=time.sleep):
        self.quantum, self.share, self.busy, self.longest_sleep = quantum, share, busy, longest_sleep
        self.clock, self.thread_cpu, self.process_cpu, self.sleep = clock, thread_cpu, process_cpu, sleep
        self._restart()

    def _restart(self):
        self._wall, self._thread, self._process = self.clock(), self.thread_cpu(), self.process_cpu()

    def __call__(self):
        wall = self.clock() - self._wall
        if wall < self.quantum:
            return
        computed = self.thread_cpu() - self._thread
        others = self.process_cpu() - self._process - computed
        if others >= self.busy * wall:
            self.sleep(min(computed * (1 - self.share) / self.share, self.longest_sleep))
        self._restart()


@functools.cache
def _openblas_thread_setter():
    """OpenBLAS's ``openblas_set_num_threads_local`` from the library NumPy loaded, or None.

    Found through /proc/self/maps (Linux), the way threadpoolctl finds it; None elsewhere, or for
    a BLAS without a per-thread setting (OpenBLAS < 0.3.27), and then nothing changes.
    """
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
        for path in sorted(paths):
            setter = getattr(ctypes.CDLL(path), "openblas_set_num_threads_local", None)
            if setter is not None:
                setter.argtypes, setter.restype = [ctypes.c_int], ctypes.c_int
                return setter
    except OSError:
        pass
    return None


@contextlib.contextmanager
def one_blas_thread():
    """Run this thread's BLAS calls on one thread (other threads keep their own setting).

    The models' matrices are small (64×64 weights, batches of 8 to 1438 rows): OpenBLAS splits
    the larger products over every core, and its helper threads then spin between calls. A
    digits epoch took twice the wall time that way, and kept a second core busy that other
    sessions (and other app processes) need. The result is the same to the last bit.
    """
    setter = _openblas_thread_setter()
    previous = setter(1) if setter is not None else None
    try:
        yield
    finally:
        if setter is not None:
            setter(previous)


def _between_batches(pace):
    """``pace``: True (a fresh :class:`Pacer`), False (nothing) or a callable to call between minibatches."""
    if callable(pace):
        return pace
    return Pacer() if pace else (lambda: None)


class Progress(NamedTuple):
    """One optimizer's training after ``epoch`` epochs.

    ``history[name][k]`` is the metric after k epochs (index 0: the untrained model), NaN from the
    epoch where training left the finite world (``diverged_at``, or -1) on.
    """

    epoch: int
    params: np.ndarray
    state: tuple
    history: dict
    diverged_at: int = -1


def start(problem, optimizer):
    """Epoch 0: the problem's initial θ, the optimizer's fresh state and the untrained metrics."""
    metrics = problem.evaluate(problem.x0)
    return Progress(0, problem.x0.copy(), optimizer.init(problem.x0),
                    {name: (metrics[name],) for name in problem.metrics})


def minibatches(n, batch_size, seed, epoch):
    """The epoch's shuffled minibatches: the same for every optimizer (seeded by seed and epoch)."""
    order = np.random.default_rng([seed, epoch]).permutation(n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def train_epoch(problem, optimizer, progress, batch_size, seed=0, pace=True):
    """One pass over the shuffled training set, then the metrics; stops at the first non-finite loss.

    ``pace`` paces the minibatches so that a training shares the process fairly (see :class:`Pacer`);
    it changes when the steps run, never what they compute.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"batch size must be a whole number ≥ 1, got {batch_size!r}.")
    epoch, theta, state = progress.epoch + 1, progress.params, progress.state
    finite = progress.diverged_at < 0
    if finite:
        between_batches = _between_batches(pace)
        with one_blas_thread(), np.errstate(all="ignore"):
            for index in minibatches(problem.n_train, batch_size, seed, progress.epoch):
                between_batches()
                value, grad = problem.loss_and_grad(theta, index)
                if not np.isfinite(value):
                    break
                step, state = optimizer.update(grad, state, theta)
                theta = theta + step
            metrics = problem.evaluate(theta)
        finite = np.all(np.isfinite(theta)) and all(np.isfinite(v) for v in metrics.values())
    if not finite:
        metrics = {name: np.nan for name in problem.metrics}
    history = {name: values + (metrics[name],) for name, values in progress.history.items()}
    diverged_at = progress.diverged_at if progress.diverged_at >= 0 or finite else epoch
    return Progress(epoch, theta, state, history, diverged_at)


def train(problem, key, settings: Settings, epochs):
    """Train ``problem`` with optimizer ``key`` for ``epochs`` epochs; the final :class:`Progress`."""
    optimizer = build_optimizer(key, settings)
    progress = start(problem, optimizer)
    for _ in range(epochs):
        progress = train_epoch(problem, optimizer, progress, settings.batch_size, settings.seed)
    return progress


LEARNED_ACCURACY = 0.2    # a classifier "learned" when its test accuracy ends above 20 % (chance: 10 % on ten digits)
LEARNED_FALL = 0.05       # a model without an accuracy "learned" when its training loss fell by more than 5 %


def outcome(progress):
    """"diverged" (left the finite world), "got worse" (training loss ended at or above the untrained
    model's), "learned", or, when the loss fell but not enough to count, "stalled near chance" (a classifier
    whose test accuracy ended at or below LEARNED_ACCURACY) / "barely moved" (a loss that fell by at most
    LEARNED_FALL of the untrained model's)."""
    if progress.diverged_at >= 0:
        return "diverged"
    losses = progress.history["train_loss"]
    if len(losses) > 1 and losses[-1] >= losses[0]:
        return "got worse"
    accuracy = progress.history.get("test_accuracy")
    if accuracy is not None and len(accuracy):
        return "learned" if accuracy[-1] > LEARNED_ACCURACY else "stalled near chance"
    if len(losses) > 1 and losses[0] - losses[-1] <= LEARNED_FALL * abs(losses[0]):
        return "barely moved"
    return "learned"
