"""The one place pages call the core: cached, pure, returning plain data for the figures."""

from dataclasses import dataclass
from typing import Optional

import numpy as np
import streamlit as st

import optimizers as opt

from .catalog import CATALOG
from .figures import surface_background


@dataclass(frozen=True)
class Path:
    """One optimizer's run, as the figures draw it."""

    key: str
    label: str
    color: str
    symbol: str
    points: np.ndarray        # (steps + 1, D), NaN after divergence
    losses: np.ndarray        # (steps + 1,)
    distances: np.ndarray     # (steps + 1,) to the nearest known minimum
    diverged_at: int          # first non-finite index, or -1
    error: Optional[str] = None   # the core's ValueError sentence, if the settings were invalid


@st.cache_data(max_entries=512, show_spinner=False)
def run_path(optimizer_key: str, hyper: tuple, surface_key: str, start: tuple, steps: int) -> Path:
    """Run one catalogued optimizer on one surface; ``hyper`` is a sorted tuple of (name, value)."""
    spec = CATALOG[optimizer_key]
    surface = opt.surfaces.get(surface_key)
    try:
        optimizer = spec.build(dict(hyper))
        traj = opt.run(optimizer, surface.grad, np.array(start, dtype=float), steps, loss_fn=surface.loss)
    except ValueError as error:
        empty = np.full((1,), np.nan)
        return Path(spec.key, spec.label, spec.color, spec.symbol, np.full((1, surface.dim), np.nan),
                    empty, empty, -1, str(error))
    return Path(spec.key, spec.label, spec.color, spec.symbol, traj.params, traj.losses,
                surface.distance_to_minimum(traj.params), int(traj.diverged_at))


def run_paths(settings: dict, surface_key: str, start: tuple, steps: int) -> list:
    """``settings``: optimizer key -> hyperparameter dict.  One cached run each."""
    return [run_path(key, tuple(sorted(hp.items())), surface_key, tuple(start), int(steps))
            for key, hp in settings.items()]


@st.cache_data(max_entries=32, show_spinner=False)
def background(surface_key: str) -> str:
    """The shaded-contour PNG of a 2-D surface, as a data URI (cached per surface)."""
    return surface_background(opt.surfaces.get(surface_key))


def first_step_size(path):
    """|θ₁ − θ₀|, the length of a path's first step; NaN if it has none (an error, or diverged at once)."""
    if path.error is not None or len(path.points) < 2 or path.diverged_at == 1:
        return np.nan
    return float(np.linalg.norm(path.points[1] - path.points[0]))


def summary_rows(paths, tolerance=1e-3):
    """One row per path for the read-out table: where it ended and when it got close."""
    rows = []
    for path in paths:
        if path.error is not None:
            continue
        end = len(path.points) - 1 if path.diverged_at < 0 else path.diverged_at - 1
        close = np.flatnonzero(path.distances <= tolerance)
        rows.append({
            "optimizer": path.label,
            "first step |θ₁ − θ₀|": first_step_size(path),
            "final point": ", ".join(f"{v:.6g}" for v in path.points[end]),
            "final loss": float(path.losses[end]),
            "distance to minimum": float(path.distances[end]),
            f"first step within {tolerance:g}": str(close[0]) if close.size else "not reached",
            "diverged at step": str(path.diverged_at) if path.diverged_at >= 0 else "—",
        })
    return rows


# ---- the RMSprop lesson: runs that keep the state, on a scaled loss, and a sweep over ε ------

@dataclass(frozen=True)
class TracedPath:
    """A :class:`Path` plus what the optimizer kept per step: ``states[name]`` is ``(steps, D)``
    (``v``, the running mean of g², and ``lr_eff`` = α/(√v + ε) for RMSprop; nothing for SGD)."""

    path: Path
    grads: np.ndarray
    states: dict


@st.cache_data(max_entries=256, show_spinner=False)
def run_traced(optimizer_key: str, hyper: tuple, surface_key: str, start: tuple, steps: int,
               scale: float = 1.0, label: Optional[str] = None) -> TracedPath:
    """Like :func:`run_path`, on ``scale`` × the surface's loss (gradient c·∇f), keeping the state."""
    spec = CATALOG[optimizer_key]
    surface = opt.surfaces.get(surface_key)
    label = label or spec.label
    try:
        traj = opt.run(spec.build(dict(hyper)), lambda x: scale * surface.grad(x), np.array(start, dtype=float),
                       int(steps), loss_fn=lambda x: scale * surface.loss(x), keep_state=True)
    except ValueError as error:
        empty = np.full((1,), np.nan)
        return TracedPath(Path(spec.key, label, spec.color, spec.symbol, np.full((1, surface.dim), np.nan),
                               empty, empty, -1, str(error)), np.empty((0, surface.dim)), {})
    path = Path(spec.key, label, spec.color, spec.symbol, traj.params, traj.losses,
                surface.distance_to_minimum(traj.params), int(traj.diverged_at))
    return TracedPath(path, traj.grads, dict(traj.states))


def path_gap(a: Path, b: Path) -> float:
    """The largest distance between two paths, step by step; inf if either left the finite world."""
    if a.error or b.error or a.diverged_at >= 0 or b.diverged_at >= 0:
        return float("inf")
    with np.errstate(over="ignore"):
        return float(np.max(np.linalg.norm(a.points - b.points, axis=-1)))


def scaled_curvature_ratio(surface_key: str, lr_eff: np.ndarray) -> float:
    """Median over the steps of the curvature ratio the per-coordinate steps see.

    RMSprop's step is P·g with P = diag(lr_eff); on a quadratic with Hessian H that is gradient
    descent on a surface of Hessian √P H √P.  Its largest/smallest eigenvalue is 10 for plain SGD
    on both bowls; a good per-coordinate scaling brings it toward 1.
    """
    surface = opt.surfaces.get(surface_key)
    hessian = surface.grad(np.eye(surface.dim)) - surface.grad(np.zeros(surface.dim))   # exact: a quadratic
    root = np.sqrt(lr_eff[np.all(np.isfinite(lr_eff), axis=-1)])
    if root.size == 0:
        return float("nan")
    eigenvalues = np.linalg.eigvalsh(root[:, :, None] * hessian * root[:, None, :])
    return float(np.median(eigenvalues[:, -1] / eigenvalues[:, 0]))


@st.cache_data(max_entries=64, show_spinner=False)
def eps_sweep(lr: float, rho: float, eps_values: tuple, surface_key: str, start: tuple, steps: int) -> dict:
    """RMSprop(α, ρ, ε) against SGD with learning rate α/ε, for every ε at once (one batched run each).

    Returns arrays over ε: ``gap``, the largest distance between the two paths over the distance
    from the start to the minimum (NaN where either diverged), ``sgd_diverged``, and ``sqrt_v_over_eps``,
    the largest √v/ε along RMSprop's run: the relative size of what tells RMSprop from SGD(α/ε).
    """
    surface = opt.surfaces.get(surface_key)
    eps = np.array(eps_values, dtype=float)[:, None]
    x0 = np.broadcast_to(np.array(start, dtype=float), (len(eps_values), surface.dim)).copy()
    rms = opt.run(opt.rmsprop(lr, alpha=rho, eps=eps), surface.grad, x0, int(steps), keep_state=True)
    with np.errstate(divide="ignore"):
        sgd = opt.run(opt.sgd(lr / eps), surface.grad, x0, int(steps))
    failed = (rms.diverged_at >= 0) | (sgd.diverged_at >= 0)
    with np.errstate(invalid="ignore", over="ignore"):
        gaps = np.linalg.norm(rms.params - sgd.params, axis=-1).max(axis=0, initial=0.0)
        gaps = np.where(failed, np.nan, gaps) / surface.distance_to_minimum(np.array(start, dtype=float))
        ratio = np.sqrt(np.where(np.isfinite(rms.states["v"]), rms.states["v"], 0.0)).max(axis=(0, 2), initial=0.0)
    return dict(eps=eps[:, 0], gap=gaps, sgd_diverged=sgd.diverged_at >= 0, sqrt_v_over_eps=ratio / eps[:, 0])


# ---- the bias-correction lesson ----------------------------------------------------------

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


@st.cache_data(max_entries=256, show_spinner=False)
def heavy_ball_paths(surface_key: str, start: tuple, steps: int, rows: tuple) -> list:
    """SGD with torch's momentum, many settings in ONE batched core call, all from ``start``.

    ``rows``: tuple of (key, label, color, symbol, lr, momentum); x0 is stacked to (N, D) and
    lr, momentum to (N, 1), which the core broadcasts.  Returns one ``Path`` per row.
    """
    surface = opt.surfaces.get(surface_key)
    lrs = np.array([[row[4]] for row in rows], dtype=float)
    momenta = np.array([[row[5]] for row in rows], dtype=float)
    x0 = np.tile(np.array(start, dtype=float), (len(rows), 1))
    traj = opt.run(opt.sgd(lrs, momentum=momenta), surface.grad, x0, steps, loss_fn=surface.loss)
    distances = surface.distance_to_minimum(traj.params)
    return [Path(key, label, color, symbol, traj.params[:, b], traj.losses[:, b], distances[:, b],
                 int(traj.diverged_at[b])) for b, (key, label, color, symbol, _, _) in enumerate(rows)]


@st.cache_data(max_entries=128, show_spinner=False)
def constant_gradient_buffers(decay: float, steps: int):
    """Both momentum buffers fed g = 1 for ``steps`` steps: torch's sum b_t and the moving average m_t."""
    ones = lambda point: np.ones_like(point)   # noqa: E731
    traj = opt.run(opt.sgd(1.0, momentum=decay), ones, np.zeros(1), steps, keep_state=True)
    average, averages = 0.0, []
    for _ in range(steps):
        average = opt.ema(average, 1.0, decay)
        averages.append(average)
    return traj.states["buf"][:, 0], np.array(averages)
