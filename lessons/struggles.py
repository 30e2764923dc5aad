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
from ui.divergence import short_number
from ui.words import compare

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
    return f"does not {do} within the run" if count is None else f"{does} in {count} step{'s' if count != 1 else ''}"


# ---- live sentences: pure functions of the runs (no Streamlit calls) ------------------------------
# Every count, step size and loss they quote is read off the paths; fixed text states formulas or the
# scenes' fixed settings (α = 0.05 on the saddle, so 1 + 2α = 1.1; ρ = 0.99, so α/√(1 − ρ) = 10α).

SADDLE_LR = 0.05          # every member's α on the saddle
PLATEAU_ADAM_LR = 0.1     # Adam's α on the plateau
QUIZ_Y0 = (1e-2, 1e-6)    # the quiz's two starts on the saddle


def by_key(paths):
    return {path.key: path for path in paths if path.error is None}


def first_move(path, lr, axis=None):
    """|θ₁ − θ₀| in units of α (one coordinate, or the whole step), NaN if the run has no first step."""
    if len(path.points) < 2 or not np.all(np.isfinite(path.points[1])):
        return float("nan")
    move = path.points[1] - path.points[0]
    return float((abs(move[axis]) if axis is not None else np.linalg.norm(move)) / lr)


def saddle_why(paths, y0):
    """The saddle's paragraph: each optimizer's escape count, Adam's and RMSprop's first y-steps (in α)."""
    escape, by = counts("saddle", paths), by_key(paths)
    if y0 == 0:
        return ("**Why.** At y₀ = 0 the start is exactly on the ridge, where the y-gradient −2y + y³ is exactly 0: "
                f"SGD {say(escape.get('sgd'), 'escapes', 'escape')}, momentum "
                f"{say(escape.get('momentum'), 'escapes', 'escape')}, RMSprop "
                f"{say(escape.get('rmsprop'), 'escapes', 'escape')} and Adam {say(escape.get('adam'), 'escapes', 'escape')}. "
                "Nothing pushes them off the ridge; only noise could.")
    adam_y, rms_y = first_move(by["adam"], SADDLE_LR, 1), first_move(by["rmsprop"], SADDLE_LR, 1)
    rms_why = ("α/√(1 − ρ) = 10α, since at first √v is only √(1 − ρ)·|g|" if rms_y >= 9.5 else
               "less than α/√(1 − ρ) = 10α: its y-gradient is not large next to ε/√(1 − ρ) = 10⁻⁷")
    return (
        "**Why.** Near the saddle the y-gradient is −2y: SGD multiplies y by only 1 + 2α = 1.1 a step and "
        f"{say(escape.get('sgd'), 'escapes', 'escape')}; momentum, whose steps build up, "
        f"{say(escape.get('momentum'), 'escapes', 'escape')}. Adam divides the tiny gradient by about its own "
        f"size, √v̂ + ε with √v̂ ≈ |g|: its first step in y is {times_alpha(adam_y)}, and it "
        f"{say(escape.get('adam'), 'escapes', 'escape')}. RMSprop, with no bias correction, starts with a y-step of "
        f"{times_alpha(rms_y)} ({rms_why}) and {say(escape.get('rmsprop'), 'escapes', 'escape')}. At y₀ = 0 the y-gradient "
        "is exactly 0 and nobody leaves the ridge: only noise could push them off.")


def plateau_gradient(radius):
    """|∇f| at distance r from the plateau's well: r·e^(−r²/2)."""
    return float(radius * np.exp(-radius ** 2 / 2))


def times_alpha(multiple):
    """A step in units of α, as text: "α", "0.667α", "10α"."""
    return "α" if abs(multiple - 1) < 5e-4 else f"{short_number(multiple, 3)}α"


def plateau_start_words(radius):
    """The start's gradient r·e^(−r²/2), computed at this r, and whether it is tiny, small or not small."""
    size = plateau_gradient(radius)
    words = ("tiny" if size < 1e-2 else "small" if size < 0.1 else "not small: the start is not yet out on the plateau")
    return f"At the start, r = {radius:g} from the well, the gradient r·e^(−r²/2) is {short_number(size, 3)}, {words}:"


def plateau_why(paths, radius, eps):
    """The plateau's paragraph: the crossing counts, and Adam's first step per coordinate,
    α·|gᵢ|/(|gᵢ| + ε) (m̂₁ = g₁ and √v̂₁ = |g₁| after the bias corrections), read off the run."""
    cross = counts("plateau", paths)
    g = plateau_gradient(radius) * np.array(PLATEAU_DIRECTION)
    adam = by_key(paths)["adam"]
    step_x, step_y = first_move(adam, PLATEAU_ADAM_LR, 0), first_move(adam, PLATEAU_ADAM_LR, 1)
    steps = f"{times_alpha(step_x)} in x and {times_alpha(step_y)} in y"
    if eps == 0:
        first = f"With ε = 0 nothing competes with √v̂ = |g|: Adam's first step is {steps}, however small g is."
    else:
        size = "well above" if g.min() >= 10 * eps else "well below" if g.max() <= eps / 10 else "of the size of"
        first = (f"Here the start's gradient, ({short_number(g[0], 2)}, {short_number(g[1], 2)}), is {size} ε = {eps:g}, and Adam's first "
                 f"step, α·|gᵢ|/(|gᵢ| + ε) per coordinate, is {steps}"
                 + (": Adam starts as slow SGD with rate α/ε." if size == "well below" else "."))
    return (
        f"**Why.** {plateau_start_words(radius)} SGD and momentum move by α times it. "
        f"SGD {say(cross.get('sgd'), 'crosses', 'cross')}, momentum {say(cross.get('momentum'), 'crosses', 'cross')}. "
        "Adam's step α·m̂/(√v̂ + ε) is about α while |g| ≫ ε, and about (α/ε)·g, slow SGD, once |g| ≪ ε. "
        f"{first} Adam {say(cross.get('adam'), 'crosses', 'cross')}, RMSprop {say(cross.get('rmsprop'), 'crosses', 'cross')}.")


def final_loss(path):
    """The loss at the last finite point of a run."""
    end = len(path.points) - 1 if path.diverged_at < 0 else path.diverged_at - 1
    return float(path.losses[end])


def valley_why(paths, beta2, adam_at_09=None):
    """The valley's paragraph: Adam's and momentum's floor counts and final losses, and (when β₂ ≠ 0.9)
    Adam's final loss with β₂ = 0.9 at the same α, from ``adam_at_09`` (a Path)."""
    floor, by = counts("valley", paths), by_key(paths)
    adam, momentum = final_loss(by["adam"]), final_loss(by["momentum"])
    relation = {"higher": "above", "lower": "below", "same": "the same (within 1 %) as"}[compare(adam, momentum)]
    memory = 1 / (1 - beta2)
    text = (
        "**Why.** The valley runs along the diagonal, so each coordinate's gradient mixes the steep direction "
        "(curvature 100) and the flat one (curvature 1): per-coordinate scaling cannot tell them apart. Adam's v "
        f"fills up with the wall's large gradients and, with β₂ = {beta2:g}, remembers them for about "
        f"1/(1 − β₂) = {short_number(memory, 4)} step{'s' if memory != 1 else ''}; while it does, it divides the floor's small "
        f"gradients by the wall's large √v̂. Here Adam {say(floor.get('adam'), 'settles on the floor', 'settle on the floor')} and ends at "
        f"loss **{short_number(adam, 4)}**, {relation} the **{short_number(momentum, 4)}** of momentum, which "
        f"{say(floor.get('momentum'), 'settles', 'settle')}.")
    if adam_at_09 is not None:
        other = final_loss(adam_at_09)
        change = {"higher": "higher", "lower": "lower", "same": "the same within 1 %"}[compare(other, adam)]
        text += f" With β₂ = 0.9 and the same α, Adam ends at loss **{short_number(other, 4)}** instead: {change}."
    return text


QUIZ_OPTIONS = ("About 10,000 times as many", "About 3 times as many (the logarithm grows)", "About the same",
                "It never escapes")


def quiz_answer(near, nearer):
    """The option true of Adam's escape counts from y₀ = 10⁻² (``near``) and 10⁻⁶ (``nearer``)."""
    if near is None or nearer is None:
        return QUIZ_OPTIONS[3]
    ratio = nearer / max(near, 1)
    targets = {QUIZ_OPTIONS[0]: 1e4, QUIZ_OPTIONS[1]: 3.0, QUIZ_OPTIONS[2]: 1.0}
    return min(targets, key=lambda option: abs(np.log(ratio / targets[option])))


def quiz_reveal(near, nearer):
    """The reveal, from the two runs' counts (dicts by optimizer key): SGD pays ln(10⁴)/ln(1 + 2α) more steps."""
    sgd_more = (f"{nearer['sgd'] - near['sgd']} more" if near.get("sgd") is not None and nearer.get("sgd") is not None
                else "not a count within the run")
    return (f"The core ran both: from y₀ = 10⁻² Adam {say(near.get('adam'), 'escapes', 'escape')}, from 10⁻⁶ it "
            f"{say(nearer.get('adam'), 'escapes', 'escape')}. SGD {say(near.get('sgd'), 'escapes', 'escape')} and "
            f"{say(nearer.get('sgd'), 'escapes', 'escape')}: {sgd_more}, against ln(10⁴)/ln(1 + 2α) = "
            f"{np.log(1e4) / np.log(1 + 2 * SADDLE_LR):.1f}, the steps it needs to multiply y by 10⁴ at 1 + 2α a step. "
            "Adam's first step is about α however small g is (while |g| ≫ ε); the remaining steps mostly cross the "
            "distance to |y| = 1 at about α a step.")
