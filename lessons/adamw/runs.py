"""The AdamW lesson's core calls: Adam with L2 against AdamW, each pair in ONE batched run.

Row 0 of every batch is Adam + L2 (λθ added to the gradient, ``weight_decay``), row 1 is AdamW
(θ shrunk by 1 − αλ before the step, ``decoupled_weight_decay=True``); the switch is an array
of shape (2, 1) that the core broadcasts.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

import optimizers as opt


LABELS = ("Adam + L2", "AdamW")
DECOUPLED = np.array([[False], [True]])
WEIGHTS = (4.0, 1.0, 0.25)               # the zero-gradient run's starting weights
SCALES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)   # the gradient scales c, 10⁻² … 10²
SURFACE = "parabola"                     # f(θ) = (θ − 2)²: the minimum is away from 0, where decay pulls


def _pair(lr, weight_decay, batch_ndim=1):
    """Adam + L2 and AdamW as one optimizer; the switch gets one axis per batch axis after the pair."""
    switch = DECOUPLED.reshape((2,) + (1,) * batch_ndim)
    return opt.adam(lr, weight_decay=weight_decay, decoupled_weight_decay=switch)


@dataclass(frozen=True)
class ZeroGradient:
    """Both optimizers on a loss whose gradient is zero everywhere: only the decay acts."""

    theta: np.ndarray         # (steps + 1, 2, len(WEIGHTS)): row 0 Adam + L2, row 1 AdamW
    law: np.ndarray           # (steps + 1, len(WEIGHTS)): θ₀(1 − αλ)^k, the decoupled decay law
    ratio: np.ndarray         # (steps + 1, 2, len(WEIGHTS)): θ_k / θ₀
    law_ratio: float          # (1 − αλ)^steps
    alpha_steps: float        # steps·α: how far steps of exactly α would go


@st.cache_data(max_entries=64, show_spinner=False)
def zero_gradient(lr: float, weight_decay: float, steps: int) -> ZeroGradient:
    """Raises ValueError (the core's sentence) for invalid settings."""
    x0 = np.tile(np.array(WEIGHTS), (2, 1))
    traj = opt.run(_pair(lr, weight_decay), np.zeros_like, x0, int(steps))
    k = np.arange(int(steps) + 1)[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        law = np.array(WEIGHTS) * np.float64(decay_factor(lr, weight_decay)) ** k
    law[~np.isfinite(law)] = np.nan          # |1 − αλ| > 1 grows without bound: nothing to draw there
    return ZeroGradient(traj.params, law, traj.params / np.array(WEIGHTS), float(law[-1, 0] / WEIGHTS[0]),
                        int(steps) * lr)


def decay_factor(lr, weight_decay):
    """AdamW's per-step factor 1 − αλ."""
    return 1 - lr * weight_decay


@dataclass(frozen=True)
class Rescaled:
    """Both optimizers on c·f for every c in SCALES, from θ₀ = 8, in one call."""

    scales: np.ndarray        # (len(SCALES),)
    theta: np.ndarray         # (steps + 1, 2, len(SCALES))
    final: np.ndarray         # (2, len(SCALES)): θ after the last step
    l2_minimum: np.ndarray    # (len(SCALES),): the minimiser of c·f + λθ²/2, 4c/(2c + λ)
    diverged_at: np.ndarray   # (2, len(SCALES))

    def at(self, c):
        """θ after the last step at gradient scale c: (Adam + L2, AdamW)."""
        return self.final[:, int(np.flatnonzero(np.isclose(self.scales, c))[0])]

    @property
    def spread(self):
        """(Adam + L2, AdamW): the largest minus the smallest end point over all c (NaN if any diverged)."""
        return self.final.max(axis=1) - self.final.min(axis=1)


@st.cache_data(max_entries=64, show_spinner=False)
def rescaled(lr: float, weight_decay: float, steps: int, scales: tuple = SCALES) -> Rescaled:
    surface = opt.surfaces.get(SURFACE)
    c = np.array(scales, dtype=float)
    x0 = np.full((2, len(c), 1), surface.start[0])
    traj = opt.run(_pair(lr, weight_decay, 2), lambda x: c[:, None] * surface.grad(x), x0, int(steps))
    theta = traj.params[..., 0]
    # c·2(θ − 2) + λθ = 0: where Adam + L2 (which minimises c·f + λθ²/2) settles.
    return Rescaled(c, theta, theta[-1], 4 * c / (2 * c + weight_decay), traj.diverged_at)
