"""The "Inside an Adam step" lesson's core calls: one Adam run that keeps its state, cached.

Scrubbing the step changes only which row of these arrays the page shows; the run itself is
computed once per setting (``st.cache_data``), so moving the step slider never re-runs Adam.

Indexing, as ``optimizers.run`` keeps it: ``params[k]`` is θ after k steps, and every per-step
record (``grads``, ``updates``, ``states[name]``) has row ``k`` for step ``t = k + 1``, the step
taken from ``params[k]``.  So step t reads row ``t − 1`` and moves θ_{t−1} = ``params[t − 1]``
to θ_t = ``params[t]``.
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np
import streamlit as st

import optimizers as opt

from ui.catalog import CATALOG
from . import text
from ui.runs import Path

STATE_NAMES = ("m", "v", "bc1", "bc2", "m_hat", "v_hat", "lr_eff")


@dataclass(frozen=True)
class InspectedRun:
    """One Adam run on a 2-D surface with everything the inspector shows, as plain arrays.

    ``grads``, ``updates``, ``clean_grads`` and each ``states[name]`` are ``(steps, 2)``, row t − 1
    for step t.  ``clean_grads`` is ∇f at θ_{t−1} without the noise, so ``grads − clean_grads`` is
    exactly the noise the run drew.  ``last_step`` is the last step that can be inspected: every
    step, or up to the one that produced the first non-finite point.
    """

    surface_key: str
    lr: float
    beta1: float
    beta2: float
    eps: float
    noise: float
    path: Path
    grads: np.ndarray
    updates: np.ndarray
    clean_grads: np.ndarray
    states: dict
    last_step: int
    error: Optional[str] = None

    @property
    def steps(self):
        return len(self.grads)


@st.cache_data(max_entries=64, show_spinner=False)
def inspect_run(surface_key: str, start: tuple, steps: int, lr: float, beta1: float, beta2: float,
                eps: float, noise: float, seed: int) -> InspectedRun:
    """``opt.run(opt.adam(lr, beta1, beta2, eps), ..., keep_state=True, grad_noise=noise, seed=seed)``."""
    spec = CATALOG["adam"]
    surface = opt.surfaces.get(surface_key)
    try:
        traj = opt.run(opt.adam(lr, beta1=beta1, beta2=beta2, eps=eps), surface.grad,
                       np.array(start, dtype=float), int(steps), loss_fn=surface.loss, keep_state=True,
                       grad_noise=noise, seed=int(seed))
    except ValueError as error:
        empty = np.full((1,), np.nan)
        nothing = np.empty((0, surface.dim))
        path = Path(spec.key, spec.label, spec.color, spec.symbol, np.full((1, surface.dim), np.nan), empty,
                    empty, -1, str(error))
        return InspectedRun(surface_key, lr, beta1, beta2, eps, noise, path, nothing, nothing, nothing, {}, 0,
                            str(error))
    with np.errstate(all="ignore"):
        clean = surface.grad(traj.params[:-1])
    diverged_at = int(traj.diverged_at)
    path = Path(spec.key, spec.label, spec.color, spec.symbol, traj.params, traj.losses,
                surface.distance_to_minimum(traj.params), diverged_at)
    last = int(steps) if diverged_at < 0 else diverged_at
    return InspectedRun(surface_key, lr, beta1, beta2, eps, noise, path, traj.grads, traj.updates, clean,
                        {name: traj.states[name] for name in STATE_NAMES}, last)


# ---- one step, read off the run ----------------------------------------------------------

@dataclass(frozen=True)
class StepNumbers:
    """Everything Adam computed at step t, one entry per coordinate (arrays of shape (2,)).

    ``m_prev``/``v_prev`` are the moments before the step (zero at t = 1); ``root_v_hat`` is √v̂_t;
    ``update`` is the core's θ_t − θ_{t−1}; ``step`` = −update = α·m̂_t/(√v̂_t + ε).
    """

    t: int
    theta_prev: np.ndarray
    theta: np.ndarray
    g: np.ndarray
    m_prev: np.ndarray
    v_prev: np.ndarray
    m: np.ndarray
    v: np.ndarray
    bc1: np.ndarray
    bc2: np.ndarray
    m_hat: np.ndarray
    v_hat: np.ndarray
    root_v_hat: np.ndarray
    lr_eff: np.ndarray
    update: np.ndarray
    step: np.ndarray


def step_numbers(run: InspectedRun, t: int) -> StepNumbers:
    """Row t − 1 of every record (step t), and θ_{t−1}, θ_t = ``params[t − 1]``, ``params[t]``."""
    k = int(t) - 1
    zeros = np.zeros_like(run.grads[k])
    s = run.states
    with np.errstate(all="ignore"):
        return StepNumbers(int(t), run.path.points[k], run.path.points[k + 1], run.grads[k],
                           s["m"][k - 1] if k else zeros, s["v"][k - 1] if k else zeros, s["m"][k], s["v"][k],
                           s["bc1"][k], s["bc2"][k], s["m_hat"][k], s["v_hat"][k], np.sqrt(s["v_hat"][k]),
                           s["lr_eff"][k], run.updates[k], -run.updates[k])


# (label, how it is computed, StepNumbers field): the per-coordinate table, top to bottom.
TABLE_ROWS = (
    ("θₜ₋₁", "where the step starts", "theta_prev"),
    ("gₜ", "∇f(θₜ₋₁) (+ noise)", "g"),
    ("mₜ", "β₁·mₜ₋₁ + (1−β₁)·gₜ", "m"),
    ("vₜ", "β₂·vₜ₋₁ + (1−β₂)·gₜ²", "v"),
    ("1−β₁ᵗ", "bias correction of m", "bc1"),
    ("1−β₂ᵗ", "bias correction of v", "bc2"),
    ("m̂ₜ", "mₜ / (1−β₁ᵗ)", "m_hat"),
    ("v̂ₜ", "vₜ / (1−β₂ᵗ)", "v_hat"),
    ("α/(√v̂ₜ+ε)", "effective learning rate", "lr_eff"),
    ("update", "θₜ − θₜ₋₁ = −α·m̂ₜ/(√v̂ₜ+ε)", "update"),
    ("θₜ", "where the step ends", "theta"),
)


def table_rows(numbers: StepNumbers) -> list:
    """The table as records: quantity, formula, and the x and y values from the core's run."""
    return [{"quantity": label, "computed as": how, "x": float(getattr(numbers, field)[0]),
             "y": float(getattr(numbers, field)[1])} for label, how, field in TABLE_ROWS]


# ---- vital signs and the noise ------------------------------------------------------------

@dataclass(frozen=True)
class Vitals:
    """Per step t = 1 … steps: ``lr_eff`` (steps, 2), ``grad_norm`` ‖g_t‖, ``update_norm``
    ‖θ_t − θ_{t−1}‖ and ``update_over_lr`` |θ_t − θ_{t−1}|/α per coordinate (steps, 2)."""

    t: np.ndarray
    lr_eff: np.ndarray
    grad_norm: np.ndarray
    update_norm: np.ndarray
    update_over_lr: np.ndarray


def vitals(run: InspectedRun) -> Vitals:
    with np.errstate(all="ignore"):
        over_lr = np.abs(run.updates) / run.lr if run.lr > 0 else np.full_like(run.updates, np.nan)
        return Vitals(np.arange(1, run.steps + 1), run.states["lr_eff"], np.linalg.norm(run.grads, axis=-1),
                      np.linalg.norm(run.updates, axis=-1), over_lr)


@dataclass(frozen=True)
class NoiseNumbers:
    """How m smooths the noise and how v grows with it, measured on the run itself.

    ``m_hat_clean``/``v_hat_clean`` (steps, 2) are Adam's bias-corrected averages of the noise-free
    gradients ∇f(θ_{t−1}) along the same path, so ``m_hat − m_hat_clean`` is the noise left in m̂.
    ``g_noise_sd``/``m_noise_sd`` (2,) are the standard deviations over the run of the noise in g and
    in m̂; ``ema_factor`` = √((1−β₁)/(1+β₁)) is what an EMA leaves of white noise in the long run;
    ``lag`` = β₁/(1−β₁), how many steps m̂ trails a steadily changing gradient once it has run for long;
    ``sigma_squared`` = σ², what the noise adds to the mean of g²; ``measured_steps``, how many steps
    the standard deviations were taken over.
    """

    m_hat_clean: np.ndarray
    v_hat_clean: np.ndarray
    g_noise_sd: np.ndarray
    m_noise_sd: np.ndarray
    ema_factor: float
    lag: float
    sigma_squared: float
    measured_steps: int


def noise_numbers(run: InspectedRun) -> NoiseNumbers:
    """Replays Adam's two averages (the same ``ema`` and ``bias_correction``) on the noise-free gradients."""
    m = v = np.zeros_like(run.clean_grads[0])
    m_hat, v_hat = [], []
    with np.errstate(all="ignore"):
        for k, g in enumerate(run.clean_grads):
            m, v = opt.ema(m, g, run.beta1), opt.ema(v, g * g, run.beta2)
            m_hat.append(m / opt.bias_correction(run.beta1, k + 1))
            v_hat.append(v / opt.bias_correction(run.beta2, k + 1))
        m_hat, v_hat = np.array(m_hat), np.array(v_hat)
        finite = slice(0, run.last_step)
        g_sd = np.nanstd(run.grads[finite] - run.clean_grads[finite], axis=0)
        m_sd = np.nanstd(run.states["m_hat"][finite] - m_hat[finite], axis=0)
    return NoiseNumbers(m_hat, v_hat, g_sd, m_sd, float(np.sqrt((1 - run.beta1) / (1 + run.beta1))),
                        text.ema_lag(run.beta1), run.noise ** 2, int(run.last_step))


def late_lr_eff(run: InspectedRun) -> np.ndarray:
    """The median effective learning rate α/(√v̂+ε) per coordinate over the second half of the run."""
    half = run.states["lr_eff"][run.steps // 2: run.last_step]
    finite = np.all(np.isfinite(half), axis=-1)
    return np.median(half[finite], axis=0) if finite.any() else np.full(2, np.nan)


def late_v_hat_clean(run: InspectedRun) -> np.ndarray:
    """The median noise-free v̂ (Adam's average of ∇f² along the run's own path) over the second half."""
    half = noise_numbers(run).v_hat_clean[run.steps // 2: run.last_step]
    finite = np.all(np.isfinite(half), axis=-1)
    return np.median(half[finite], axis=0) if finite.any() else np.full(2, np.nan)
