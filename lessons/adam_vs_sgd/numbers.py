"""The numbers the flagship reads off a run, and the small words its sentences are made of.

For a 1-D path θ₀, θ₁, …, θ_T with its minimum θ*:

    step/α at t       = |θ_t − θ_{t−1}| / α
    first reach       = the first t ≥ 1 with (θ_t − θ*)·sign(θ₀ − θ*) ≤ 0   (it got to θ* or past it)
    overshoot         = max_t −(θ_t − θ*)·sign(θ₀ − θ*), when positive          (how far past θ*)
    crossings         = how often sign(θ_t − θ*) changes, zeros skipped

θ* is the minimum nearest the start.  On 2-D surfaces "reach" is the first step within
``TOLERANCE`` of a minimum.  A run stops counting at its last finite point.
"""

import numpy as np

from ui.divergence import short_number


MAX_STEPS = 1000          # the steps slider's maximum (ui.controls.start_and_steps)
TOLERANCE = 1e-3          # "reached" on 2-D surfaces: within this distance of a minimum
SAME = 0.1                # step/α counts as unchanged while within 10 % of the first step's


# ---- numbers read off a path ----------------------------------------------------------------

def last_step(path):
    """T, the last step with a finite point (0 if the run has no finite step)."""
    return len(path.points) - 1 if path.diverged_at < 0 else path.diverged_at - 1


def step_sizes(path):
    """|θ_t − θ_{t−1}| for t = 1 … T (index t − 1); the Euclidean length on 2-D surfaces."""
    return np.linalg.norm(np.diff(path.points[:last_step(path) + 1], axis=0), axis=-1)


def checkpoints(last):
    """The steps the pace sentence quotes: 1, the middle and the last (distinct, in order)."""
    return sorted({t for t in (1, (last + 1) // 2, last) if t >= 1})


def nearest_minimum(surface, start):
    """θ*, the minimum nearest the start (a float on 1-D surfaces)."""
    minima = np.array(surface.minima, dtype=float)
    return minima[np.argmin(np.linalg.norm(minima - np.asarray(start, dtype=float), axis=-1))]


def side_of(path, target):
    """sign(θ_t − θ*) for the finite points of a 1-D path."""
    return np.sign(path.points[:last_step(path) + 1, 0] - target)


def first_reach(path, target):
    """The first t ≥ 1 at which a 1-D path got to θ* or past it; 0 if it starts there, -1 if never."""
    sides = side_of(path, target)
    if sides[0] == 0:
        return 0
    hits = np.flatnonzero(sides[1:] * sides[0] <= 0)
    return int(hits[0] + 1) if hits.size else -1


def overshoot(path, target):
    """(how far past θ* it went, at which step), or (0.0, -1) if it never went past."""
    sides = side_of(path, target)
    beyond = -(path.points[:len(sides), 0] - target) * sides[0]
    t = int(np.argmax(beyond))
    return (float(beyond[t]), t) if sides[0] != 0 and beyond[t] > 0 else (0.0, -1)


def first_near(path, target, tolerance=TOLERANCE):
    """The first t ≥ 0 at which a 1-D path is within ``tolerance`` of θ*; -1 if never."""
    close = np.flatnonzero(np.abs(path.points[:last_step(path) + 1, 0] - target) <= tolerance)
    return int(close[0]) if close.size else -1


def arrival(path, target, tolerance=TOLERANCE):
    """When a 1-D path "gets there": the first step at which it reached θ* or went past it, or came within
    ``tolerance`` of it, whichever is first; -1 if neither happens."""
    found = [t for t in (first_reach(path, target), first_near(path, target, tolerance)) if t >= 0]
    return min(found) if found else -1


def left_for(path, surface, target):
    """(k, other) when a 1-D path ends nearer another minimum than θ*: k is the step from which every later
    point is nearer ``other``; (-1, None) when it ends in θ*'s well."""
    theta = path.points[:last_step(path) + 1, 0]
    minima = np.array(surface.minima, dtype=float)[:, 0]
    nearest = minima[np.argmin(np.abs(theta[:, None] - minima[None, :]), axis=1)]
    if nearest[-1] == target:
        return -1, None
    home = np.flatnonzero(nearest != nearest[-1])
    return (int(home[-1]) + 1 if home.size else 0), float(nearest[-1])


def crossings(path, target):
    """How often sign(θ_t − θ*) changes along the finite part of a 1-D path (zeros skipped)."""
    sides = side_of(path, target)
    sides = sides[sides != 0]
    return int(np.count_nonzero(sides[1:] != sides[:-1]))


def first_within(path, tolerance=TOLERANCE):
    """The first step whose distance to the nearest minimum is ≤ ``tolerance``; -1 if none."""
    close = np.flatnonzero(path.distances[:last_step(path) + 1] <= tolerance)
    return int(close[0]) if close.size else -1


def zero_gradient_axes(path, surface):
    """Coordinates whose gradient was exactly 0 (or squared to 0) at every finite point: there v stays 0."""
    grads = surface.grad(path.points[:last_step(path) + 1])
    return [axis for axis in range(surface.dim) if np.all(grads[:, axis] ** 2 == 0)]


# ---- words ---------------------------------------------------------------------------------

AXES = "xy"


def times(count):
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def join(items):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def fmt(value, digits=4):
    return short_number(float(value), digits)


def pace(ratio):
    """step/α as the learner reads it: two decimals ("1.00", "0.61"), or 3 significant digits outside [0.01, 100)."""
    return f"{ratio:.2f}" if 0.01 <= ratio < 100 else fmt(ratio, 3)


def times_alpha(ratio):
    """"α" for a step of α (to two decimals), else "0.61α"."""
    return "α" if pace(ratio) == "1.00" else f"{pace(ratio)}α"


def theta_word(surface):
    return "θ" if surface.dim == 1 else "the point"
