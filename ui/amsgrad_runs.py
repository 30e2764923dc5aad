r"""The AMSGrad lesson's core call: Adam and AMSGrad on Reddi, Kale & Kumar's online problem, in ONE
batched run (the ``amsgrad`` switch is an array of shape (2, 1)).

As in the paper's Theorem 1: β₁ = 0, β₂ = 1/(1 + C²), step size α/√t, x projected onto [−1, 1]
after every step.  The core's Adam is torch's, so v̂ is bias-corrected (1 − β₂ᵗ, which is ≈ 1
after a few steps at β₂ ≈ 0.1) and ε = 10⁻⁸ sits outside the root; the paper's Adam has neither.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

import optimizers as opt
from optimizers import online, schedules

LABELS = ("Adam", "AMSGrad")
AMSGRAD = np.array([[False], [True]])
X0 = 0.0


@dataclass(frozen=True)
class Counterexample:
    beta2: float
    x: np.ndarray             # (steps + 1, 2): x_1 = X0 is the first point played
    v: np.ndarray             # (steps, 2): v_t after step t (raw)
    v_max: np.ndarray         # (steps, 2): max_{k≤t} v_k (what AMSGrad divides by)
    regret: np.ndarray        # (steps, 2): R_T / T for T = 1 … steps
    down: np.ndarray          # (2,): the proposed move at the last step with gradient C (≤ 0)
    up: np.ndarray            # (2,): the two proposed moves after it, summed (≥ 0)
    limit: float              # 2(C − 2)/3: R_T/T for a player that sits at x = +1


@st.cache_data(max_entries=64, show_spinner=False)
def counterexample(C: float, steps: int, alpha: float) -> Counterexample:
    """Raises ValueError (the core's sentence) for invalid settings."""
    steps = int(steps)
    beta2 = 1 / (1 + C * C)
    optimizer = schedules.scheduled(lambda lr: opt.adam(lr, beta1=0.0, beta2=beta2, amsgrad=AMSGRAD),
                                    lr=schedules.inverse_sqrt(alpha, steps))
    traj = opt.run(optimizer, lambda x, t: online.grad(x, t, C), np.full((2, 1), X0), steps,
                   bounds=online.BOUNDS, with_step=True, keep_state="raw")
    x = traj.params[..., 0]
    last = 3 * ((steps - 3) // 3) if steps >= 3 else 0     # index of the last step t ≡ 1 (mod 3) with two after it
    updates = traj.updates[..., 0]
    return Counterexample(beta2, x, traj.states["v"][..., 0], traj.states["v_max"][..., 0],
                          online.average_regret(x[:-1], C), updates[last], updates[last + 1:last + 3].sum(axis=0),
                          2 * (C - 2) / 3)
