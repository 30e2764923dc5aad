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
            "first step |θ₁ − θ₀|": float(np.linalg.norm(path.points[1] - path.points[0])) if end >= 1 else np.nan,
            "final point": ", ".join(f"{v:.6g}" for v in path.points[end]),
            "final loss": float(path.losses[end]),
            "distance to minimum": float(path.distances[end]),
            f"first step within {tolerance:g}": int(close[0]) if close.size else None,
            "diverged at step": path.diverged_at if path.diverged_at >= 0 else None,
        })
    return rows
