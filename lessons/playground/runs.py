"""The playground's core calls: the typed surface, the race on it, and the sensitivity maps, cached.

A typed surface is an ``optimizers.surfaces.Surface`` made from a :class:`~lessons.playground.parse.Formula`:
its loss and gradient are the compiled SymPy tree, its plot range is typed or found from a sample, and
its one "minimum" is the lowest point found in that range (a sample of 201 points per axis, polished by
Adam), which the figures mark and the sentences call "the lowest point found".
"""

from dataclasses import dataclass
from typing import Optional

import numpy as np
import streamlit as st

import optimizers as opt
from lessons.family import run_note
from ui.divergence import stop_kind
from ui.family import FAMILY
from ui.figures import surface_background
from ui.runs import Path

from . import maps
from .parse import FormulaError, read_formula, why_not_finite

TYPED = "typed"
SAMPLE_HALF_WIDTH = 10.0     # the auto range looks for the lowest point in [−10, 10] (per axis)
VIEW_HALF_WIDTH = 4.0        # and shows ±4 around it
FALLBACK_RANGE = (-5.0, 5.0)


@st.cache_resource(max_entries=64, show_spinner=False)
def formula(text: str):
    """The parsed formula (cached per text; :class:`FormulaError` is raised, not cached)."""
    return read_formula(text)


def grid_points(x_range, y_range, n):
    """An n-point (1-D) or n × n (2-D) grid over the range, as points ``(n, 1)`` or ``(n, n, 2)``."""
    xs = np.linspace(*x_range, n)
    if y_range is None:
        return xs[:, None]
    return np.stack(np.meshgrid(xs, np.linspace(*y_range, n)), axis=-1)


def lowest_sampled(loss, x_range, y_range, n):
    """The grid point with the lowest finite loss, or None if the loss is nowhere finite on the grid."""
    points = grid_points(x_range, y_range, n)
    values = loss(points)
    finite = np.isfinite(values)
    if not finite.any():
        return None
    index = np.unravel_index(np.argmin(np.where(finite, values, np.inf)), values.shape)
    return points[index]


def auto_range(parsed):
    """(x_range, y_range): ±VIEW_HALF_WIDTH around the lowest point of a sample of [−10, 10]ᴰ, centred on
    a multiple of 0.5; the fallback (−5, 5) when the sample finds no finite value."""
    side = (-SAMPLE_HALF_WIDTH, SAMPLE_HALF_WIDTH)
    low = lowest_sampled(parsed.loss, side, side if parsed.dim == 2 else None, 401 if parsed.dim == 1 else 101)
    if low is None:
        return FALLBACK_RANGE, FALLBACK_RANGE if parsed.dim == 2 else None
    ranges = [(c - VIEW_HALF_WIDTH, c + VIEW_HALF_WIDTH) for c in np.round(low * 2) / 2]
    return tuple(map(float, ranges[0])), (tuple(map(float, ranges[1])) if parsed.dim == 2 else None)


def polished_minimum(loss, grad, x_range, y_range):
    """The lowest point of a 201-per-axis sample of the range, then the lowest point of 300 Adam steps
    from it (α = a grid spacing): a good estimate of the range's lowest value, not a proof of it."""
    low = lowest_sampled(loss, x_range, y_range, 201)
    if low is None:
        return None
    spacing = (x_range[1] - x_range[0]) / 200
    traj = opt.run(opt.adam(spacing), grad, low, 300, loss_fn=loss)
    losses = np.where(np.isfinite(traj.losses), traj.losses, np.inf)
    best = int(np.argmin(losses))
    return traj.params[best] if np.all(np.isfinite(traj.params[best])) else low


def default_start(x_range, y_range):
    """Four fifths of the way from the range's lower-left corner to its upper-right, on the sliders' 0.01 grid."""
    ranges = [x_range] + ([y_range] if y_range is not None else [])
    return tuple(round(low + round((high - low) * 0.8 / 0.01) * 0.01, 10) for low, high in ranges)


@st.cache_resource(max_entries=64, show_spinner=False)
def typed_surface(text: str, x_range: tuple, y_range: Optional[tuple]):
    """The formula as an ``optimizers.surfaces.Surface`` over the given range."""
    parsed = formula(text)
    low = polished_minimum(parsed.loss, parsed.grad, x_range, y_range)
    minima = (tuple(float(v) for v in low),) if low is not None else ((float(np.mean(x_range)),) + (
        (float(np.mean(y_range)),) if y_range else ()),)
    return opt.surfaces.Surface(TYPED, "Your function", parsed.latex, parsed.loss, parsed.grad, tuple(x_range),
                                None if y_range is None else tuple(y_range), minima,
                                default_start(x_range, y_range), "The function you typed.")


@st.cache_data(max_entries=64, show_spinner=False)
def typed_background(text: str, x_range: tuple, y_range: tuple) -> str:
    """The shaded PNG of the typed 2-D surface (ui.figures.surface_background), cached per text and range."""
    return surface_background(typed_surface(text, x_range, y_range))


@dataclass(frozen=True)
class TypedRun:
    """One member's run on the typed surface, and why it stopped, in words (None if it stayed finite)."""
    path: Path
    stop: Optional[str]


@st.cache_data(max_entries=512, show_spinner=False)
def run_typed(key: str, hyper: tuple, text: str, x_range: tuple, y_range: Optional[tuple], start: tuple,
              steps: int) -> TypedRun:
    """Run family member ``key`` (``hyper`` a sorted tuple of (name, value)) on the typed surface."""
    spec = FAMILY[key]
    surface = typed_surface(text, x_range, y_range)
    x0 = np.array(start, dtype=float)
    try:
        optimizer = spec.build(dict(hyper))
        traj = opt.run(optimizer, surface.grad, x0, int(steps), loss_fn=surface.loss)
        raw = opt.run(optimizer, surface.grad, x0, int(steps)) if traj.diverged_at >= 0 else None
    except ValueError as error:
        empty = np.full((1,), np.nan)
        return TypedRun(Path(spec.key, spec.label, spec.color, spec.symbol, np.full((1, surface.dim), np.nan),
                             empty, empty, -1, str(error)), None)
    path = Path(spec.key, spec.label, spec.color, spec.symbol, traj.params, traj.losses,
                surface.distance_to_minimum(traj.params), int(traj.diverged_at))
    # A run that stayed finite may still be blowing up: the same rule and words as on a named surface.
    return TypedRun(path, run_note(path, surface, dict(hyper)) if raw is None
                    else stop_reason(path, raw.params, surface, text))


def stop_reason(path, raw_points, surface, text):
    """Why a run on the typed surface stopped at step s = ``path.diverged_at``, in words.

    ``raw_points`` is the same run without the loss (the core blanks everything from s on; this keeps the
    point at s when it is finite).  Either f is not finite at that point (the run left f's domain or f
    overflowed there), or the gradient at the point before it was not finite, or the update itself blew
    up (ui.divergence's rule) or became NaN.
    """
    s = path.diverged_at
    parsed = formula(text)
    names = parsed.variables
    point = raw_points[s]
    label = path.label
    if stop_kind(path.losses, surface.min_value, s) == "overflow":
        # Grown past the rule's limit before it stopped: an overflow after growth is divergence, whether f,
        # the gradient or the update overflowed first (the chart's ✕ says "diverged" by the same rule).
        return (f"**{label} diverged at step {s}**: its steps grew until its numbers overflowed float64. "
                "Lower its α.")
    if np.all(np.isfinite(point)):
        why = why_not_finite(parsed.expr, point, names) or "a value that is not finite"
        where = "its start" if s == 0 else f"step {s}"
        return (f"**{label} stopped at {where}**, at {_point(names, point)}, where f is not finite: {why}. "
                "The run ends there.")
    before = raw_points[s - 1]
    for name, partial in zip(names, parsed.gradient):
        why = why_not_finite(partial, before, names)
        if why is not None:
            return (f"**{label} stopped at step {s}**: at {_point(names, before)} the gradient ∂f/∂{name} is not "
                    f"finite ({why}), so its update was not a number.")
    return (f"**{label} stopped at step {s}**: its update was not a number (NaN) while f and its gradient "
            f"were finite at {_point(names, before)}.")


def _point(names, point):
    return "(" + ", ".join(f"{n} = {v:.4g}" for n, v in zip(names, point)) + ")"


# ---- the sensitivity maps ----------------------------------------------------------------

@st.cache_data(max_entries=32, show_spinner=False)
def named_maps(key: str, hyper: tuple, surface_key: str, start: tuple, steps: int, tolerance: float, n: int):
    """Both maps of member ``key`` on a named surface (one core call; see :mod:`.maps`)."""
    surface = opt.surfaces.get(surface_key)
    return _maps(key, dict(hyper), surface, start, steps, tolerance, n)


@st.cache_data(max_entries=32, show_spinner=False)
def typed_maps(key: str, hyper: tuple, text: str, x_range: tuple, y_range: Optional[tuple], start: tuple,
               steps: int, tolerance: float, n: int):
    """Both maps of member ``key`` on the typed surface (one core call)."""
    return _maps(key, dict(hyper), typed_surface(text, x_range, y_range), start, steps, tolerance, n)


def _maps(key, hyper, surface, start, steps, tolerance, n):
    spec = FAMILY[key]
    full = {**spec.defaults, **hyper}
    return maps.sensitivity_maps(spec.build, full, surface.loss, surface.grad, start, steps, surface.min_value,
                                 tolerance, n, maps.pairs_for(full))


__all__ = ["FormulaError", "TYPED", "formula", "auto_range", "typed_surface", "typed_background", "run_typed",
           "TypedRun", "named_maps", "typed_maps", "default_start"]
