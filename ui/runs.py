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


def spec_path(spec, surface, hyper: dict, start, steps: int) -> Path:
    """Run the optimizer ``spec`` builds (a catalog or family entry) on ``surface``, as a styled Path; an
    invalid setting gives an empty Path carrying the core's ValueError sentence."""
    try:
        traj = opt.run(spec.build(hyper), surface.grad, np.array(start, dtype=float), int(steps),
                       loss_fn=surface.loss)
    except ValueError as error:
        empty = np.full((1,), np.nan)
        return Path(spec.key, spec.label, spec.color, spec.symbol, np.full((1, surface.dim), np.nan),
                    empty, empty, -1, str(error))
    return Path(spec.key, spec.label, spec.color, spec.symbol, traj.params, traj.losses,
                surface.distance_to_minimum(traj.params), int(traj.diverged_at))


@st.cache_data(max_entries=512, show_spinner=False)
def run_path(optimizer_key: str, hyper: tuple, surface_key: str, start: tuple, steps: int) -> Path:
    """Run one catalogued optimizer on one surface; ``hyper`` is a sorted tuple of (name, value)."""
    return spec_path(CATALOG[optimizer_key], opt.surfaces.get(surface_key), dict(hyper), start, steps)


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


# Runs that keep the state (the flagship's table, the RMSprop lesson), on a scaled loss.
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
