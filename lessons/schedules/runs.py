"""The momentum-schedules lesson's core calls: Adam with a constant, a decaying and a cyclic β₁, the
three in ONE batched run (the β₁ schedule has shape (steps, 3, 1)), and the verdict's surfaces batched
together too.

The schedules are the popular tutorial's (``optimizers.schedules.tutorial_beta1``); the bias correction
divides m by 1 − β₁(t)ᵗ with the current β₁, as the tutorial's code does.
"""

import numpy as np
import streamlit as st

import optimizers as opt
from optimizers import schedules
from ui.divergence import short_number
from ui.runs import Path, summary_rows


KINDS = schedules.KINDS
LABELS = {"constant": "constant β₁", "decay": "decaying β₁", "cyclic": "cyclic β₁"}
COLORS = {"constant": "#D55E00", "decay": "#0072B2", "cyclic": "#CC79A7"}
SYMBOLS = {"constant": "triangle-up", "decay": "square", "cyclic": "diamond"}
VERDICT_SURFACES = ("bowl", "rotated_bowl", "rosenbrock", "beale", "himmelblau", "two_wells")


def beta1_table(beta1, steps, steps_per_epoch):
    """(steps, 3): β₁ at every step for the three schedules, in KINDS order."""
    return np.stack([schedules.tutorial_beta1(kind, beta1, steps, steps_per_epoch) for kind in KINDS], axis=1)


def race(surface_keys, lr, beta1, steps, steps_per_epoch):
    """The three schedules from each surface's start, in ONE batched core call: params (S, 3, D).

    The surfaces must share a dimension D.  Every operation is element-wise, so each run is the
    same, to the last bit, as it would be alone.  Returns one list of ``Path`` (in KINDS order)
    per surface.  Raises ValueError (the core's sentence) for invalid settings.
    """
    surfaces = [opt.surfaces.get(key) for key in surface_keys]
    table = beta1_table(beta1, int(steps), steps_per_epoch)[:, :, None]
    x0 = np.array([np.tile(np.array(surface.start, dtype=float), (len(KINDS), 1)) for surface in surfaces])
    optimizer = schedules.scheduled(lambda beta1: opt.adam(lr, beta1=beta1), beta1=table)

    def grad(x):
        out = np.empty_like(x)
        for i, surface in enumerate(surfaces):
            out[i] = surface.grad(x[i])
        return out

    def loss(points):
        return np.stack([surface.loss(points[:, i]) for i, surface in enumerate(surfaces)], axis=1)

    traj = opt.run(optimizer, grad, x0, int(steps), loss_fn=loss)
    races = []
    for i, surface in enumerate(surfaces):
        params = traj.params[:, i]
        distances = surface.distance_to_minimum(params)
        races.append([Path(kind, LABELS[kind], COLORS[kind], SYMBOLS[kind], params[:, b], traj.losses[:, i, b],
                           distances[:, b], int(traj.diverged_at[i, b])) for b, kind in enumerate(KINDS)])
    return races


@st.cache_data(max_entries=64, show_spinner=False)
def races(lr: float, beta1: float, steps: int, steps_per_epoch: int) -> dict:
    """surface key -> the three schedules' ``Path`` list on each of VERDICT_SURFACES.

    The surfaces of one dimension race in one batched call: two calls for the six surfaces.
    """
    paths = {}
    for dim in {opt.surfaces.get(key).dim for key in VERDICT_SURFACES}:
        keys = [key for key in VERDICT_SURFACES if opt.surfaces.get(key).dim == dim]
        paths.update(zip(keys, race(keys, lr, beta1, steps, steps_per_epoch)))
    return {key: paths[key] for key in VERDICT_SURFACES}


def schedule_paths(surface_key, lr, beta1, steps, steps_per_epoch):
    """One ``Path`` per schedule on one of VERDICT_SURFACES, from its start. Raises ValueError."""
    return races(lr, beta1, steps, steps_per_epoch)[surface_key]


def verdict(lr, beta1, steps, steps_per_epoch, tolerance):
    """surface key -> the summary rows (runs.summary_rows) of the three schedules."""
    return {key: summary_rows(paths, tolerance) for key, paths in races(lr, beta1, steps, steps_per_epoch).items()}


def first_reached(row, tolerance):
    """The step a summary row first came within ``tolerance``, or None."""
    value = row[f"first step within {tolerance:g}"]
    return None if value == "not reached" else int(value)


def winners(table, tolerance):
    """kind label -> number of surfaces on which it reached the tolerance first (ties count for each)."""
    counts = {LABELS[kind]: 0 for kind in KINDS}
    for rows in table.values():
        reached = {row["optimizer"]: first_reached(row, tolerance) for row in rows}
        done = [step for step in reached.values() if step is not None]
        for label, step in reached.items():
            if step is not None and step == min(done):
                counts[label] += 1
    return counts


@st.cache_data(max_entries=64, show_spinner=False)
def corrections(beta1: float, steps: int, steps_per_epoch: int) -> dict:
    """For the decaying schedule: the divisor the code uses, 1 − β₁(t)ᵗ, and the weight m holds, 1 − Π β₁(k)."""
    decay = schedules.tutorial_beta1("decay", beta1, int(steps), steps_per_epoch)
    t = np.arange(1, int(steps) + 1)
    return dict(t=t, used=opt.bias_correction(decay, t), weight=schedules.ema_weight(decay),
                table=beta1_table(beta1, int(steps), steps_per_epoch))


def first_to_reach(rows, tolerance):
    """The label of the schedule that first came within ``tolerance`` (the first listed on a tie), or None."""
    reached = [(first_reached(row, tolerance), row["optimizer"]) for row in rows]
    reached = [item for item in reached if item[0] is not None]
    return min(reached, key=lambda item: item[0])[1] if reached else None


def verdict_rows(table, tolerance, names):
    """One row per surface for the read-out: the step each schedule first came within ``tolerance``
    ("constant: step"), then its final loss ("constant: final loss")."""
    out = []
    for key, rows in table.items():
        row = {"surface": names[key]}
        row.update({f"{r['optimizer'].split()[0]}: step": r[f"first step within {tolerance:g}"] for r in rows})
        row.update({f"{r['optimizer'].split()[0]}: final loss": short_number(r['final loss'], 3) for r in rows})
        out.append(row)
    return out
