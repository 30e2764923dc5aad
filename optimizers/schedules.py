r"""Hyperparameters that change with the step: a wrapper that turns any optimizer into a scheduled one.

The optimizers in this package take constant hyperparameters.  :func:`scheduled` builds, at
step t, the optimizer with the t-th value of each schedule and applies its ``update`` to the
state carried over from step t − 1 (the state is the same NamedTuple whatever the settings).
It is pure: the step number is read from the state's ``count``, nothing is mutated.

Bias correction under a schedule.  Adam divides m by :math:`1-\beta_1^t`, with the β₁ it is
built with; under a schedule that is the *current* :math:`\beta_1(t)` raised to the t-th
power.  That is what the popular tutorial's ``AdaptiveAdam`` computes (``self.beta1**self.t``
after ``adjust_momentum``) and what torch computes after a change of ``param_groups[0]["betas"]``.
The weights an EMA with changing decays has actually collected sum to
:math:`1-\prod_{k\le t}\beta_1(k)` (see :func:`ema_weight`), which is a different number: the
"corrected" m is then not a weighted mean of the gradients any more.  Both tend to 1 quickly
when β₁ decays, so the difference matters only in the first steps.
"""

import functools
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from .base import Optimizer, check_range

KINDS = ("constant", "decay", "cyclic")


def scheduled(make: Callable[..., Optimizer], **schedules: ArrayLike) -> Optimizer:
    """An :class:`Optimizer` whose hyperparameters follow ``schedules``.

    ``make(**values) -> Optimizer``; each schedule is an array whose first axis is the step
    (row t − 1 is used at step t; its other axes broadcast like any hyperparameter).  Running
    past the end of a schedule raises ``ValueError``.
    """
    if not schedules:
        raise ValueError("scheduled() needs at least one schedule, e.g. beta1=np.array([...]).")
    schedules = {name: np.asarray(values, dtype=np.float64) for name, values in schedules.items()}
    length = min(len(values) for values in schedules.values())

    @functools.lru_cache(maxsize=2)         # update and inspect ask for the same step in turn
    def at(t):
        """The optimizer with the hyperparameters of step t (1-based)."""
        if not 1 <= t <= length:
            raise ValueError(f"The schedule has {length} steps; step {t} is outside it.")
        return make(**{name: values[t - 1] for name, values in schedules.items()})

    first = at(1)

    def update(grads, state, params):
        return at(state.count + 1).update(grads, state, params)

    def inspect(state):
        return at(max(state.count, 1)).inspect(state)

    return Optimizer(first.name, first.init, update, inspect, dict(first.hyperparams, schedules=schedules))


def tutorial_beta1(kind: str, beta1: float, steps: int, steps_per_epoch: int = 1) -> np.ndarray:
    r"""β₁ at steps t = 1 … ``steps`` under the popular tutorial's ``AdaptiveAdam`` schedules.

    With epoch e = ⌊(t − 1) / steps_per_epoch⌋ (the tutorial changes β₁ once per epoch):

    - ``constant``: :math:`\beta_1`;
    - ``decay``:    :math:`\beta_1 / (1 + 0.1\,e)`;
    - ``cyclic``:   :math:`\beta_1\,(1 + \sin(e\pi/10))/2`, a period of 20 epochs between 0 and β₁.
    """
    if kind not in KINDS:
        raise ValueError(f"The schedule must be one of {', '.join(KINDS)}, got {kind!r}.")
    beta1 = check_range("beta1", beta1, 0.0, 1.0)
    steps_per_epoch = int(check_range("steps_per_epoch", steps_per_epoch, 1.0))
    epoch = (np.arange(1, int(steps) + 1) - 1) // steps_per_epoch
    if kind == "decay":
        return beta1 / (1 + 0.1 * epoch)
    if kind == "cyclic":
        return beta1 * (1 + np.sin(epoch * np.pi / 10)) / 2
    return np.full(epoch.shape, float(beta1))


def inverse_sqrt(lr: ArrayLike, steps: int) -> np.ndarray:
    r"""The step sizes :math:`\alpha_t = \alpha/\sqrt t`, t = 1 … ``steps`` (the AMSGrad paper's choice)."""
    return np.asarray(lr, dtype=np.float64) / np.sqrt(np.arange(1, int(steps) + 1)).reshape(
        (-1,) + (1,) * np.ndim(lr))


def ema_weight(betas: ArrayLike) -> np.ndarray:
    r"""The total weight an EMA started at 0 has collected after each step: :math:`1-\prod_{k\le t}\beta_k`.

    For a constant β it is the bias correction :math:`1-\beta^t`.
    """
    return 1 - np.cumprod(np.asarray(betas, dtype=np.float64), axis=0)
