"""Sensitivity maps: how the result of a run depends on two hyperparameters, every cell from ONE core call.

A map over (a, b) holds n × n settings.  All of them, for both maps, go to ``optimizers.run`` as one batch:
each hyperparameter that varies is an array of shape ``(cells, 1)`` (the other settings are scalars) and
the start ``x0`` is broadcast to ``(cells, D)``; row ``c`` of the result is exactly the lone run with cell
``c``'s setting.  Pure NumPy, no Streamlit.

What a cell says, with gap_t = f(θ_t) − f* (f* the surface's minimum value):

- ``steps``: the first t with gap_t ≤ tolerance, or -1 (not reached within the steps);
- ``final_gap``: gap at the last step;
- ``diverged_at``: the step from which the run is diverging (``ui.divergence``'s rule: from there to its
  last finite point the gap stays above 10⁶·max(gap₀, 1)), or -1;
- ``stopped_at``: the first step whose point or loss is not finite (the core's ``diverged_at``), or -1.
"""

from dataclasses import dataclass

import numpy as np

import optimizers as opt
from ui.divergence import BLOWUP_FACTOR

# The axes: α on a log scale, β₁ linear, β₂ by its "nines" (−log₁₀(1 − β₂)), ε on a log scale.
AXES = {
    "lr": (1e-4, 1.0), "beta1": (0.0, 0.99), "beta2": (0.5, 0.99999), "eps": (1e-12, 1.0),
}
PAIRS = (("lr", "beta1"), ("beta2", "eps"))


def axis_values(param, n):
    """n values of ``param`` spread evenly on the axis the map draws it on."""
    low, high = AXES[param]
    if param in ("lr", "eps"):
        return np.logspace(np.log10(low), np.log10(high), n)
    if param == "beta2":
        return 1.0 - np.logspace(np.log10(1 - low), np.log10(1 - high), n)
    return np.linspace(low, high, n)


def axis_position(param, value):
    """Where ``value`` sits on the drawn axis (log₁₀ for α and ε, nines for β₂); NaN if it cannot (ε = 0)."""
    with np.errstate(all="ignore"):
        if param in ("lr", "eps"):
            return float(np.log10(value)) if value > 0 else np.nan
        if param == "beta2":
            return float(-np.log10(1.0 - value)) if value < 1 else np.nan
    return float(value)


def nearest_index(param, values, position):
    """The index of the value of ``values`` (a map axis) drawn nearest to ``position`` on the axis, or None
    if ``position`` lies more than half a cell beyond either end (a click beside the map)."""
    drawn = np.array([axis_position(param, v) for v in values])
    half = (drawn[-1] - drawn[0]) / (len(drawn) - 1) / 2 if len(drawn) > 1 else 0.5
    if not drawn[0] - half <= position <= drawn[-1] + half:
        return None
    return int(np.argmin(np.abs(drawn - position)))


@dataclass(frozen=True)
class SensitivityMap:
    """One map: ``x_param`` across (``x_values``, n), ``y_param`` up (``y_values``, n); cells ``[row=y, col=x]``."""
    x_param: str
    y_param: str
    x_values: np.ndarray
    y_values: np.ndarray
    steps: np.ndarray
    final_gap: np.ndarray
    diverged_at: np.ndarray
    stopped_at: np.ndarray
    tolerance: float
    run_steps: int

    @property
    def diverged(self):
        """Cells that blew up (diverging by the rule, finite or not at the end)."""
        return self.diverged_at >= 0

    @property
    def not_finite(self):
        """Cells that stopped on a value that is not finite without blowing up first (NaN: 0/0, log of < 0)."""
        return (self.stopped_at >= 0) & ~self.diverged

    @property
    def not_reached(self):
        return (self.steps < 0) & ~self.diverged & ~self.not_finite

    def cell_at(self, x, y):
        """The cell (row, col) drawn at axis position (x, y) (α and ε as log₁₀, β₂ as its nines), or None."""
        col, row = nearest_index(self.x_param, self.x_values, x), nearest_index(self.y_param, self.y_values, y)
        return None if col is None or row is None else (row, col)

    def setting(self, row, col):
        """The two hyperparameters of cell (row, col): {x_param: value, y_param: value}."""
        return {self.x_param: float(self.x_values[col]), self.y_param: float(self.y_values[row])}


def pairs_for(member_hyper):
    """The maps a family member can have: (α, β₁) if it has β₁, (β₂, ε) if it has both."""
    return tuple(pair for pair in PAIRS if all(p in member_hyper for p in pair))


def sensitivity_maps(build, hyper, loss, grad, start, steps, min_value, tolerance, n, pairs=PAIRS):
    """Every map of ``pairs`` around the setting ``hyper`` (a dict), all cells in one ``optimizers.run`` call.

    ``build(hyper) -> Optimizer`` (a family member's builder); ``loss``/``grad`` the surface's.
    """
    grids = [np.meshgrid(axis_values(a, n), axis_values(b, n)) for a, b in pairs]
    cells = n * n
    batch = {name: np.full((cells * len(pairs), 1), float(value)) for name, value in hyper.items()
             if isinstance(value, (int, float)) and not isinstance(value, bool)}
    batch.update({k: v for k, v in hyper.items() if k not in batch})
    for i, ((a, b), (grid_a, grid_b)) in enumerate(zip(pairs, grids)):
        batch[a][i * cells:(i + 1) * cells, 0] = grid_a.ravel()
        batch[b][i * cells:(i + 1) * cells, 0] = grid_b.ravel()
    start = np.asarray(start, dtype=np.float64)
    x0 = np.broadcast_to(start, (cells * len(pairs), start.shape[-1]))
    traj = opt.run(build(batch), grad, x0, int(steps), loss_fn=loss)
    summary = summarise(traj.losses, traj.diverged_at, min_value, tolerance)
    return [SensitivityMap(a, b, axis_values(a, n), axis_values(b, n),
                           *(part[i * cells:(i + 1) * cells].reshape(n, n) for part in summary),
                           tolerance, int(steps))
            for i, (a, b) in enumerate(pairs)]


def summarise(losses, stopped_at, min_value, tolerance):
    """Per run (columns of ``losses``, shape (T, runs)): steps to the tolerance, final gap, diverging step, stop.

    The diverging step, vectorised from ``ui.divergence.diverging_from``: with L the last finite index and
    ``above_t`` = gap_t > 10⁶·max(gap₀, 1), a run is diverging iff L ≥ 1 and above_L; it is diverging from
    one past the last t ≤ L that is not above.
    """
    gaps = losses - min_value
    steps_axis = np.arange(len(gaps))[:, None]
    with np.errstate(invalid="ignore"):
        close = gaps <= tolerance
        above = gaps > BLOWUP_FACTOR * np.maximum(gaps[0], 1.0)
    reached = np.where(close.any(axis=0), close.argmax(axis=0), -1)
    last = np.where(stopped_at >= 0, stopped_at - 1, len(gaps) - 1)
    runs = np.arange(gaps.shape[1])
    final_gap = gaps[np.maximum(last, 0), runs]
    above[0] = False
    blown = (last >= 1) & above[np.maximum(last, 0), runs]
    not_above = np.where(~above & (steps_axis <= last), steps_axis, -1).max(axis=0)
    diverged_at = np.where(blown, not_above + 1, -1)
    return reached, final_gap, diverged_at, np.asarray(stopped_at)
