"""The three scenes of "When Adam struggles": what runs, from where, and the numbers read off the runs.

Each scene runs the flagship's optimizers (their CATALOG styles and cached ``runs.run_path``) on one
surface.  The numbers are plain functions of the core's trajectories:

- saddle (f = x² − y² + y⁴/4, valleys at y = ±√2): the first step with |y| ≥ 1, past the saddle;
- plateau (f = 1 − e^{−r²/2}): the first step with f < ½, inside the well (r < √(2 ln 2) ≈ 1.18);
- narrow valley (curvature 100 across the diagonal, 1 along it): the first step from which the
  distance across the valley, |w| = |y − x|/√2, stays below 0.05.
"""

from dataclasses import dataclass

import numpy as np

import optimizers as opt

from ui import runs

ESCAPE_Y = 1.0            # |y| past which the saddle is escaped (the valleys are at |y| = √2)
PLATEAU_LOSS = 0.5        # f below which the plateau is crossed
FLOOR_WIDTH = 0.05        # |w| below which a point is on the valley floor
ACROSS = np.array([-1.0, 1.0]) / np.sqrt(2.0)   # the narrow valley's steep direction (its floor is y = x)
PLATEAU_DIRECTION = (0.8, 0.6)                  # the plateau starts at r·(0.8, 0.6)

Y0_OPTIONS = (0.0, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.1)


@dataclass(frozen=True)
class Scene:
    key: str
    surface: str
    title: str
    metric: str           # the column name of the scene's count of steps (its criterion is in the caption)
    steps: int            # default step count
    members: tuple        # (catalog key, fixed hyperparameters)
    criterion: str        # what the count of steps means, and the settings, in a sentence


SCENES = {
    "saddle": Scene("saddle", "saddle", "A saddle", "escaped at step", 200, (
        ("sgd", dict(lr=0.05)), ("momentum", dict(lr=0.05, momentum=0.9)),
        ("rmsprop", dict(lr=0.05, rho=0.99, eps=1e-8)), ("adam", dict(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-8))),
        "Escaped: the first step with |y| ≥ 1 (the valleys are at y = ±√2). α = 0.05 for all four; "
        "μ = 0.9, ρ = 0.99, Adam's β₁ = 0.9, β₂ = 0.999, ε = 1e-8."),
    "plateau": Scene("plateau", "plateau", "A plateau", "crossed at step", 200, (
        ("sgd", dict(lr=0.5)), ("momentum", dict(lr=0.5, momentum=0.9)),
        ("rmsprop", dict(lr=0.1, rho=0.99, eps=1e-8)), ("adam", dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8))),
        "Crossed: the first step with f < ½, inside the well. α = 0.5 for SGD and momentum (μ = 0.9), "
        "0.1 for RMSprop (ρ = 0.99) and Adam (β₁ = 0.9, β₂ = 0.999); both use the ε above."),
    "valley": Scene("valley", "narrow_valley", "A sharp, narrow valley", "on the floor from step", 300, (
        ("sgd", dict(lr=0.015)), ("momentum", dict(lr=0.005, momentum=0.9)),
        ("rmsprop", dict(lr=0.05, rho=0.99, eps=1e-8)), ("adam", dict(lr=0.05, beta1=0.9, beta2=0.999, eps=1e-8))),
        "On the floor: the first step from which the distance across the valley, |y − x|/√2, stays below 0.05. "
        "SGD α = 0.015, momentum α = 0.005 with μ = 0.9, RMSprop α = 0.05 (ρ = 0.99); Adam's α and β₂ above."),
}


def start_of(scene_key, setting):
    """The start point: the saddle's is (−2, y₀), the plateau's r·(0.8, 0.6), the valley's its surface's."""
    if scene_key == "saddle":
        return (-2.0, float(setting))
    if scene_key == "plateau":
        return (PLATEAU_DIRECTION[0] * float(setting), PLATEAU_DIRECTION[1] * float(setting))
    return tuple(opt.surfaces.get(SCENES[scene_key].surface).start)


def first_escape(path):
    """The first step t with |y_t| ≥ 1, or None."""
    hits = np.flatnonzero(np.abs(path.points[:, 1]) >= ESCAPE_Y)
    return int(hits[0]) if hits.size else None


def first_crossing(path):
    """The first step t with f(θ_t) < ½, or None."""
    with np.errstate(invalid="ignore"):
        hits = np.flatnonzero(path.losses < PLATEAU_LOSS)
    return int(hits[0]) if hits.size else None


def floor_reached(path):
    """The first step t from which |w_s| < 0.05 for every later s (the path stays on the floor), or None."""
    with np.errstate(invalid="ignore"):
        on_floor = np.abs(path.points @ ACROSS) < FLOOR_WIDTH
    if path.diverged_at >= 0 or not on_floor[-1]:
        return None
    off = np.flatnonzero(~on_floor)
    return int(off[-1]) + 1 if off.size else 0


METRICS = {"saddle": first_escape, "plateau": first_crossing, "valley": floor_reached}


def hyper(scene_key, key, overrides):
    """A member's hyperparameters: the scene's fixed ones, with ``overrides`` (a dict per catalog key)."""
    fixed = dict(dict(SCENES[scene_key].members)[key])
    fixed.update(overrides.get(key, {}))
    return tuple(sorted(fixed.items()))


def scene_paths(scene_key, start, steps, overrides=None):
    """One cached core run per member of the scene."""
    scene = SCENES[scene_key]
    overrides = overrides or {}
    return [runs.run_path(key, hyper(scene_key, key, overrides), scene.surface, tuple(start), int(steps))
            for key, _ in scene.members]


def scene_rows(scene_key, paths):
    """The table: per optimizer, the scene's count of steps, the final loss and distance to the minimum."""
    scene = SCENES[scene_key]
    rows = []
    for path in paths:
        if path.error is not None:
            continue
        end = len(path.points) - 1 if path.diverged_at < 0 else path.diverged_at - 1
        count = METRICS[scene_key](path)
        if path.diverged_at >= 0:
            reached = f"diverged at step {path.diverged_at}"
        else:
            reached = "not within the run" if count is None else str(count)
        rows.append({"optimizer": path.label, scene.metric: reached, "final loss": float(path.losses[end]),
                     "distance to a minimum": float(path.distances[end])})
    return rows


def counts(scene_key, paths):
    """optimizer key -> the scene's count of steps (None: not within the run)."""
    return {path.key: METRICS[scene_key](path) for path in paths if path.error is None}


def say(count, does, do):
    """A count of steps in a sentence: ``say(20, "escapes", "escape")`` -> "escapes in 20 steps"."""
    return f"does not {do} within the run" if count is None else f"{does} in {count} steps"
