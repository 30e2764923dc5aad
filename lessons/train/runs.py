"""The train lesson's cached core calls: every epoch of every optimizer is one cache entry.

:func:`epoch_after` is keyed on (problem, settings, optimizer, epoch) and continues from the
previous epoch's :class:`models.train.Progress`, which the caller passes in: a page that walks
the epochs one by one draws the curves live the first time. A revisit does not walk: each
entry holds its run's whole history, so :func:`latest` finds the last epoch cached (the finished
run, or where a stopped run stopped) and the page continues from there, if at all.
"""

import numpy as np
import streamlit as st

from models import rnn, train

from ui.family import FAMILY
from ui.words import plural

PROBLEMS = ("digits", "rnn")


@st.cache_resource(max_entries=4, show_spinner=False)
def problem(name: str):
    """The model and its data (read-only after construction, so shared between sessions)."""
    if name == "digits":
        return train.DigitsMLP()
    if name == "rnn":
        return train.SineRNN()
    raise ValueError(f"unknown problem {name!r}")


def check_settings(settings: train.Settings) -> dict:
    """Optimizer key -> the core's ValueError sentence, for every optimizer these settings break."""
    errors = {}
    for key in train.OPTIMIZER_KEYS:
        try:
            train.build_optimizer(key, settings)
        except ValueError as error:
            errors[key] = str(error)
    return errors


@st.cache_data(max_entries=64, show_spinner=False)
def first(name: str, settings: train.Settings, key: str) -> train.Progress:
    """Epoch 0: the untrained model's metrics and the optimizer's fresh state."""
    return train.start(problem(name), train.build_optimizer(key, settings))


class NotCached(Exception):
    """Raised inside :func:`epoch_after` when asked only to look: Streamlit caches no exception."""


# Sized to the run: one page at its maximum (100 digits and 100 RNN epochs, five optimizers) is
# 1,000 entries and 68 MB pickled (a digits entry is 80 KB for SGD's state, 157 KB for the
# adaptive three's; an RNN entry 7–12 KB), so a finished run's epochs are all found again.
# Worst case in memory: max_size, 96 MiB of pickled entries (Streamlit drops the least recently
# used first; what it drops is early epochs, which a revisit of a finished run never reads).
@st.cache_data(max_entries=1200, max_size="96MiB", show_spinner=False)
def epoch_after(name: str, settings: train.Settings, key: str, epoch: int,
                _previous: train.Progress | None) -> train.Progress:
    """Epoch ``epoch`` (one shuffled pass over the training set), continuing from ``_previous``.

    The run is fixed by (problem, settings, optimizer), so ``epoch`` identifies the result and the
    previous epoch need not be hashed (the leading underscore keeps Streamlit from hashing it).
    ``_previous=None`` only looks: a miss raises :class:`NotCached` and stores nothing.
    """
    if _previous is None:
        raise NotCached(f"epoch {epoch} of {key} is not cached.")
    if _previous.epoch != epoch - 1:
        raise ValueError(f"epoch {epoch} continues epoch {epoch - 1}, not {_previous.epoch}.")
    return train.train_epoch(problem(name), train.build_optimizer(key, settings), _previous,
                             settings.batch_size, settings.seed)


def cached(name: str, settings: train.Settings, key: str, epoch: int) -> train.Progress | None:
    """Epoch ``epoch`` of this run if the cache holds it, else None; never trains."""
    try:
        return epoch_after(name, settings, key, epoch, None)
    except NotCached:
        return None


def latest(name: str, settings: train.Settings, key: str, target: int) -> train.Progress:
    """The latest epoch up to ``target`` that the cache holds (epoch 0 if none): where to continue.

    Looks from ``target`` down, so a finished run costs one look; a fresh one looks at every
    epoch once (microseconds each, against 20–40 ms to train a digits epoch).
    """
    for epoch in range(target, 0, -1):
        progress = cached(name, settings, key, epoch)
        if progress is not None:
            return progress
    return first(name, settings, key)


def label(key):
    return FAMILY[key].label


def digits_rows(progress: dict) -> list:
    """The read-out table: one row per optimizer, from the same runs the chart draws."""
    rows = []
    for key, run in progress.items():
        accuracy = np.asarray(run.history["test_accuracy"])
        finite = np.isfinite(accuracy)
        best = int(np.nanargmax(np.where(finite, accuracy, -1.0)))
        rows.append({
            "optimizer": label(key),
            f"test accuracy after {plural(run.epoch, 'epoch')}": _percent(accuracy[-1]),
            "best test accuracy (epoch)": f"{_percent(accuracy[best])} ({best})",
            "final training loss": _number(run.history["train_loss"][-1]),
            "weight norm ‖θ‖": _number(float(np.linalg.norm(run.params)) if run.diverged_at < 0 else np.nan),
            "outcome": _outcome_text(run),
        })
    return rows


def rnn_rows(progress: dict) -> list:
    rows = []
    for key, run in progress.items():
        rows.append({
            "optimizer": label(key),
            f"test MSE after {plural(run.epoch, 'epoch')}": _number(run.history["test_loss"][-1]),
            "training MSE": _number(run.history["train_loss"][-1]),
            "outcome": _outcome_text(run),
        })
    return rows


def outcome_notes(progress: dict, settings: train.Settings) -> list:
    """A sentence for every optimizer that diverged, ended worse than it started, or did not learn enough to
    count (models.train.outcome)."""
    notes = []
    for key, run in progress.items():
        result = train.outcome(run)
        if result == "diverged":
            why = ("With ε = 0, a weight whose gradient is always 0 (the blank corner pixels of every digit) "
                   "gets 0/(√0 + 0) = NaN." if settings.eps == 0 and key in ("rmsprop", "adam", "adamw")
                   else "Its loss or weights overflowed: the learning rate is too large for this model.")
            notes.append(("error", f"**{label(key)} diverged in epoch {run.diverged_at}**: its numbers stopped "
                                   f"being finite, so its curves end there. {why}"))
        elif result == "got worse":
            notes.append(("warning", f"**{label(key)} got worse**: its training loss ended at "
                                     f"{_number(run.history['train_loss'][-1])}, above the untrained model's "
                                     f"{_number(run.history['train_loss'][0])}. Its steps are too large: "
                                     "lower its α."))
        elif result == "stalled near chance":
            notes.append(("warning", f"**{label(key)} stalled near chance**: its test accuracy ended at "
                                     f"{_percent(run.history['test_accuracy'][-1])} (guessing scores 10 %; "
                                     f"'learned' needs more than {100 * train.LEARNED_ACCURACY:.0f} %), while its "
                                     f"training loss went from {_number(run.history['train_loss'][0])} to "
                                     f"{_number(run.history['train_loss'][-1])}."))
        elif result == "barely moved":
            notes.append(("warning", f"**{label(key)} barely moved**: its training loss went from "
                                     f"{_number(run.history['train_loss'][0])} to "
                                     f"{_number(run.history['train_loss'][-1])}, a fall of no more than "
                                     f"{100 * train.LEARNED_FALL:.0f} %."))
    return notes


def mistakes(progress: train.Progress, limit=8):
    """The first ``limit`` misclassified test digits of a finished digits run (images, predicted, true)."""
    if progress.diverged_at >= 0:
        return np.empty((0, 8, 8)), np.empty(0, int), np.empty(0, int)
    return problem("digits").mistakes(progress.params, limit)


def forecast(progress: train.Progress):
    """The RNN's one-step forecasts of points 1..N−1 (NaN if the run diverged)."""
    series = problem("rnn").series
    if progress.diverged_at >= 0:
        return np.full(len(series.noisy) - 1, np.nan)
    return problem("rnn").forecast(progress.params)


@st.cache_data(max_entries=4, show_spinner=False)
def rnn_facts() -> dict:
    """Reference numbers for the RNN read-out, from the series and the untrained model.

    ``persistence``: the test MSE of forecasting each point by the one before it; ``noise``: the mean
    square of the noise over the test stretch, what forecasting the clean sine itself scores there; ``cosine``: the cosine
    between the popular tutorial's one-step direction and the true BPTT gradient at the start.
    """
    rnn_problem = problem("rnn")
    s = rnn_problem.series
    theta, x, y = rnn_problem.x0, rnn_problem.x_train, rnn_problem.y_train
    true = rnn.loss_and_grad(theta, x, y, rnn_problem.hidden)[1]
    tutorial = rnn.one_step_grad(theta, x, y, rnn_problem.hidden)
    return {"persistence": float(np.mean((s.noisy[s.test_start:] - s.noisy[s.test_start - 1:-1]) ** 2)),
            "noise": float(np.mean((s.noisy[s.test_start:] - s.clean[s.test_start:]) ** 2)),
            "cosine": float(true @ tutorial / (np.linalg.norm(true) * np.linalg.norm(tutorial)))}


def _percent(value):
    return "—" if not np.isfinite(value) else f"{100 * value:.1f} %"


def _number(value):
    return "—" if not np.isfinite(value) else f"{value:.4g}"


def _outcome_text(run):
    result = train.outcome(run)
    return f"diverged in epoch {run.diverged_at}" if result == "diverged" else result
