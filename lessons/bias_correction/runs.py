"""The bias-correction lesson's core calls: Adam with each combination of the two corrections in ONE
batched call, and a gradient spike after zeros.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

import optimizers as opt


# (label, correct m, correct v): the four runs of the bias-correction page, in one batch.
CORRECTIONS = (("both corrected", True, True), ("none", False, False), ("only m corrected", True, False),
               ("only v corrected", False, True))


BIAS_START = 8.0        # on the parabola (θ − 2)², where the gradient at the start is 12


@dataclass(frozen=True)
class BiasRuns:
    """Adam with each combination of the two corrections, from the same start, as plain arrays."""

    labels: tuple
    theta: np.ndarray         # (steps + 1, 4) the iterates
    step_over_lr: np.ndarray  # (steps, 4) |θ_t − θ_{t−1}| / α
    first: np.ndarray         # (4,) the first step over α, as the core took it
    closed: np.ndarray        # (4,) the same from the closed forms (ε → 0)
    grads: np.ndarray         # (steps, 4)
    states: dict              # "m", "v", "m_hat", "v_hat": (steps, 4)
    diverged_at: np.ndarray   # (4,)
    curve_t: np.ndarray       # t for the curves 1 − βᵗ
    curves: tuple             # (1 − β₁ᵗ, 1 − β₂ᵗ) at curve_t
    half: tuple               # the first t where 1 − β₁ᵗ, 1 − β₂ᵗ reach one half
    bc_at_10: tuple           # 1 − β₁¹⁰, 1 − β₂¹⁰
    bc_at_end: tuple          # 1 − β₁ᵗ, 1 − β₂ᵗ at the last step of the runs
    m1_over_g1: np.ndarray    # (4,) m₁ / g₁: the raw first moment after one step, relative to g₁
    root_v1_over_g1: np.ndarray  # (4,) √v₁ / |g₁|


def _first_half(beta):
    t = 1 if beta == 0 else int(np.ceil(np.log(0.5) / np.log(beta)))
    while opt.bias_correction(beta, t) < 0.5:
        t += 1
    return t


@st.cache_data(max_entries=256, show_spinner=False)
def bias_runs(lr: float, beta1: float, beta2: float, eps: float, steps: int) -> BiasRuns:
    """One batched Adam call: x0 of shape (4, 1), the switches of shape (4, 1). Raises ValueError."""
    surface = opt.surfaces.get("parabola")
    correct_m = np.array([[m] for _, m, _ in CORRECTIONS])
    correct_v = np.array([[v] for _, _, v in CORRECTIONS])
    traj = opt.run(opt.adam(lr, beta1, beta2, eps, correct_m=correct_m, correct_v=correct_v), surface.grad,
                   np.full((len(CORRECTIONS), 1), BIAS_START), int(steps), keep_state=True)
    theta = traj.params[..., 0]
    steps_taken = np.abs(np.diff(theta, axis=0)) / lr
    root = np.sqrt(1 - beta2)
    closed = np.array([1.0, (1 - beta1) / root, 1 / root, 1 - beta1])
    horizon = max(100.0, 10.0 ** np.ceil(np.log10(5 / (1 - max(beta1, beta2)))))
    curve_t = np.unique(np.round(np.geomspace(1, horizon, 400)))
    return BiasRuns(tuple(label for label, _, _ in CORRECTIONS), theta, steps_taken, steps_taken[0], closed,
                    traj.grads[..., 0], {k: traj.states[k][..., 0] for k in ("m", "v", "m_hat", "v_hat")},
                    traj.diverged_at, curve_t,
                    (opt.bias_correction(beta1, curve_t), opt.bias_correction(beta2, curve_t)),
                    (_first_half(beta1), _first_half(beta2)),
                    (opt.bias_correction(beta1, 10), opt.bias_correction(beta2, 10)),
                    (opt.bias_correction(beta1, int(steps)), opt.bias_correction(beta2, int(steps))),
                    traj.states["m"][0, :, 0] / traj.grads[0, :, 0],
                    np.sqrt(traj.states["v"][0, :, 0]) / np.abs(traj.grads[0, :, 0]))


class SpikeGradient:
    """A gradient of 0 for the first ``zeros`` calls, then ``spike`` once, then 0 again (a rare feature)."""

    def __init__(self, zeros, spike):
        self.zeros, self.spike, self.calls = zeros, spike, 0

    def __call__(self, params):
        self.calls += 1
        return np.full(np.shape(params), self.spike if self.calls == self.zeros + 1 else 0.0)


@dataclass(frozen=True)
class SpikeRuns:
    """Adam with and without both corrections on a gradient that is zero except at step zeros + 1."""

    t_spike: int              # the step at which the spike arrives
    bc2_at_spike: float       # 1 − β₂ᵗ there: the weight the correction assumes v has collected
    t: np.ndarray             # the step numbers shown, around the spike
    step_over_lr: np.ndarray  # (len(t), 2) −(θ_t − θ_{t−1}) / α: the move against the spike's sign
    at_spike: np.ndarray      # (2,) the step at the spike over α, as the core took it
    closed: np.ndarray        # (2,) the same from the closed forms (ε → 0)
    total: np.ndarray         # (2,) the whole move from the spike on, over α
    diverged_at: np.ndarray   # (2,)


@st.cache_data(max_entries=128, show_spinner=False)
def spike_runs(lr: float, beta1: float, beta2: float, eps: float, zeros: int, spike: float,
               after: int) -> SpikeRuns:
    switch = np.array([[True], [False]])
    traj = opt.run(opt.adam(lr, beta1, beta2, eps, correct_m=switch, correct_v=switch),
                   SpikeGradient(int(zeros), spike), np.zeros((2, 1)), int(zeros) + 1 + int(after))
    moves = -np.sign(spike) * np.diff(traj.params[..., 0], axis=0) / lr     # row k is step k + 1
    t_spike = int(zeros) + 1
    shown = np.arange(max(1, t_spike - 5), t_spike + int(after) + 1)
    corrected = ((1 - beta1) / opt.bias_correction(beta1, t_spike)
                 / np.sqrt((1 - beta2) / opt.bias_correction(beta2, t_spike)))
    return SpikeRuns(t_spike, float(opt.bias_correction(beta2, t_spike)), shown, moves[shown - 1], moves[t_spike - 1],
                     np.array([corrected, (1 - beta1) / np.sqrt(1 - beta2)]),
                     np.sum(moves[t_spike - 1:], axis=0), traj.diverged_at)
