"""The flagship lesson (pages/adam_vs_sgd.py): its read-out table and its live sentences.

Every sentence that quotes a number or a verdict about a run is built here, by a pure function of
the run's data (no Streamlit calls), and its words branch on those numbers; the truth tests
(tests/test_truth_adam_vs_sgd.py) check each one against independent core runs over a grid of the
page's sliders.  The numbers read off a 1-D path θ₀, θ₁, …, θ_T with its minimum θ*:

    step/α at t       = |θ_t − θ_{t−1}| / α
    first reach       = the first t ≥ 1 with (θ_t − θ*)·sign(θ₀ − θ*) ≤ 0   (it got to θ* or past it)
    overshoot         = max_t −(θ_t − θ*)·sign(θ₀ − θ*), when positive          (how far past θ*)
    crossings         = how often sign(θ_t − θ*) changes, zeros skipped

θ* is the minimum nearest the start.  On 2-D surfaces "reach" is the first step within
``TOLERANCE`` of a minimum.  A run stops counting at its last finite point.
"""

import numpy as np

from ui.divergence import RULE, diverging_from, short_number, stop_kind

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


# ---- the read-out table -------------------------------------------------------------------------

def status(path, surface, hyper):
    """The table's "diverging?" cell: from which step a run blew up, or why it stopped (see ui/divergence)."""
    blowup = diverging_from(path.losses, surface.min_value)
    kind = stop_kind(path.losses, surface.min_value, path.diverged_at)
    if kind == "nan":
        cause = "0/0" if zero_division(path, surface, hyper) else "not a number"
        return f"NaN ({cause}) at step {path.diverged_at}"
    if blowup >= 0:
        return f"from step {blowup}" + (f"; overflow at step {path.diverged_at}" if kind == "overflow" else "")
    return "no"


def readout_rows(paths, surface, settings, tolerance=TOLERANCE):
    """One row per run: α, the size of step 1, where it ended (its last finite point) and when it got close."""
    rows = []
    for path in paths:
        if path.error is not None:
            continue
        end, sizes = last_step(path), step_sizes(path)
        point = path.points[end]
        reached = first_within(path, tolerance)
        row = {"optimizer": path.label, "α": fmt(settings[path.key]["lr"]),
               "size of step 1 |θ₁ − θ₀|": fmt(sizes[0]) if sizes.size else "—"}
        if surface.dim == 1:
            row["final θ"] = fmt(point[0], 6)
        else:
            row["final x"], row["final y"] = fmt(point[0], 6), fmt(point[1], 6)
        row.update({
            "final loss": fmt(path.losses[end]),
            "distance to the nearest minimum": fmt(path.distances[end]),
            f"steps to reach within {tolerance:g} of a minimum":
                str(reached) if reached >= 0 else f"not within {end} steps",
            "diverging?": status(path, surface, settings[path.key]),
        })
        rows.append(row)
    return rows


# ---- the notes under the chart: runs that blew up or stopped -----------------------------------

def zero_division(path, surface, hyper):
    """True when the run's NaN is 0/0: RMSprop or Adam with ε = 0 and a coordinate whose gradient was
    exactly 0 all along, so its v (and m) stayed 0 and the update divided 0 by 0 + 0."""
    return (path.key in ("rmsprop", "adam") and hyper.get("eps", 1.0) == 0
            and bool(zero_gradient_axes(path, surface)))


def stop_note(path, surface, hyper):
    """("warning" | "error", Markdown) for a run that blew up or stopped, or None for a healthy run."""
    kind = stop_kind(path.losses, surface.min_value, path.diverged_at)
    blowup = diverging_from(path.losses, surface.min_value)
    end = last_step(path)
    if kind == "nan":
        return "warning", _nan_note(path, surface, hyper, end)
    if blowup < 0:
        return None
    gap0 = path.losses[0] - surface.min_value
    grown = (f"From step {blowup} on, its loss above the minimum stays over 10⁶ times the start's "
             f"({fmt(gap0)}) and over 10⁶")
    if kind == "overflow":
        return "warning", (f"**{path.label} diverged at step {path.diverged_at}**, where its numbers overflowed "
                           f"float64. {grown}. Its steps are too large for this surface's curvature; lower its α.")
    return "warning", (f"**{path.label} is diverging from step {blowup}.** {grown}: after {end} steps "
                       f"{theta_word(surface)} is at {', '.join(fmt(v) for v in path.points[end])} with loss "
                       f"{fmt(path.losses[end])}. The numbers are still finite, but its steps are too large for "
                       "this surface's curvature; lower its α.")


def _nan_note(path, surface, hyper, end):
    where = ", ".join(fmt(v) for v in path.points[end])
    if zero_division(path, surface, hyper):
        axes = zero_gradient_axes(path, surface)
        which = "" if surface.dim == 1 else f" in {join([AXES[a] for a in axes])}"
        held = "m̂ = 0 and v̂ = 0" if path.key == "adam" else "v = 0"
        return (f"**{path.label} stopped at step {path.diverged_at}: 0/0, not a too-large step.** At "
                f"{theta_word(surface)} = {where} the gradient{which} has been exactly 0 at every point so far, so "
                f"{held} there, and with ε = 0 the update divides 0 by √0 + 0: NaN, not a number. The table "
                f"shows its last point, {where}. Any ε > 0 makes that update 0.")
    return (f"**{path.label} stopped at step {path.diverged_at}**: its update was not a number (NaN) although "
            f"its numbers had not blown up (its last point is {where}).")


# ---- "What to look for" ---------------------------------------------------------------------------

def sgd_bullet(path, surface, lr):
    """SGD's step is α·f′(θ); on the parabola the distance to θ* = 2 is multiplied by 1 − 2α each step."""
    end = last_step(path)
    measured = (f"Here its distance to the nearest minimum went from {fmt(path.distances[0])} to "
                f"{fmt(path.distances[end])} in {end} steps"
                + (", its last finite point." if path.diverged_at >= 0 else "."))
    if surface.key != "parabola":
        return ("**SGD's steps follow the slope.** Each step is α times the gradient: long where the surface "
                "is steep, short where it is flat. " + measured)
    if path.distances[0] == 0:
        return ("**SGD's steps follow the slope.** It starts on the minimum, where the slope is 0, so it "
                "does not move.")
    factor = 1 - 2 * lr
    law = (f"On the parabola each step is α·f′(θ) = 2α(θ − 2), so the distance to the minimum is "
           f"multiplied by |1 − 2α| = {fmt(abs(factor))} every step")
    if factor == 0:
        verdict = "α = 0.5 = 1/f″ lands on the minimum in one step."
    elif abs(factor) < 1:
        side = ", jumping across the minimum each time (1 − 2α < 0)" if factor < 0 else ""
        verdict = f"{law}{side}: a straight line down on the log chart"
        landed = np.flatnonzero(path.distances[:end + 1] == 0)
        verdict += (f", until θ lands exactly on 2 (float64 can go no closer) at step {landed[0]}."
                    if landed.size else ".")
    elif abs(factor) == 1:
        verdict = f"{law}: SGD jumps between θ₀ and 4 − θ₀ for ever."
    else:
        verdict = f"{law}: the distance grows, SGD diverges."
    head = "shrink with the slope" if abs(factor) < 1 else "follow the slope"
    return f"**SGD's steps {head}.** {verdict} {measured}"


def pace_words(ratios):
    """How Adam's step/α moved from the first checkpoint to the last: shrink, grow or stay."""
    first, last = ratios[0], ratios[-1]
    if last < (1 - SAME) * first:
        return "shrink"
    if last > (1 + SAME) * first:
        return "grow"
    return "stay"


def adam_bullet(traced, surface, hyper, longer=None):
    """Adam's pace (step/α at a few steps), why, and when it reaches θ* (see the module docstring).

    ``traced``: Adam's run keeping its state (``states["m_hat"]``, ``states["v_hat"]``, per step);
    ``longer``: the same run to MAX_STEPS, for "raise steps to …" when θ* is not reached yet.
    """
    path, lr = traced.path, hyper["lr"]
    end = last_step(path)
    if end < 1:
        return "**Adam** made no finite step in this run (see the note under the chart)."
    ratios = step_sizes(path) / lr
    ts = checkpoints(end)
    quoted = join([f"{pace(ratios[t - 1])} at t = {t}" for t in ts])
    trend = pace_words([ratios[t - 1] for t in ts]) if len(ts) > 1 else "one"
    first = times_alpha(ratios[0])
    head = {"shrink": f"start at {first} and shrink", "grow": f"start at {first} and grow",
            "stay": f"stay near {first}", "one": f"is {first}"}[trend]
    text = (f"**Adam's steps {head}.** Its step is α·|m̂|/(√v̂ + ε); measured in this run, step/α = "
            f"|θₜ − θₜ₋₁|/α is {quoted}. ")
    text += _adam_why(traced, surface, hyper, trend, end)
    if surface.dim == 1:
        text += " " + _adam_reach_1d(path, surface, longer)
    else:
        reached = first_within(path)
        text += (f" It first comes within {TOLERANCE:g} of a minimum at step {reached}." if reached >= 0
                 else f" It does not come within {TOLERANCE:g} of a minimum within {end} steps.")
    return text


def _adam_why(traced, surface, hyper, trend, end):
    """|m̂| and √v̂ before the gradient first changes sign, and which of them (or ε) set the pace.

    The memory clause is said only where it holds in the run: step/α fell by more than ``SAME``, the
    gradient kept its sign and shrank, and v̂ averages over more steps than m̂ (β₂ > β₁).
    """
    grads_all = traced.grads[:end]
    axis = int(np.argmax(np.abs(grads_all[0])))
    grads = grads_all[:, axis]
    flips = np.flatnonzero(grads * grads[0] <= 0)
    calm = end if not flips.size else max(int(flips[0]), 1)         # the last step before the first sign change
    m_hat, v_hat = traced.states["m_hat"][calm - 1, axis], traced.states["v_hat"][calm - 1, axis]
    root = float(np.sqrt(v_hat))
    coordinate = "" if surface.dim == 1 else f" in {AXES[axis]}"
    text = f"At t = {calm}, |m̂| = {fmt(abs(m_hat))} and √v̂ = {fmt(root)}{coordinate}"
    text += "." if calm == end else f" (at step {calm + 1} the gradient{coordinate} first changes sign)."
    memory_m, memory_v = 1 / (1 - hyper["beta1"]), 1 / (1 - hyper["beta2"])
    ratios = step_sizes(traced.path) / hyper["lr"]
    fell = ratios[calm - 1] < (1 - SAME) * ratios[0]
    if hyper["eps"] >= 0.1 * root:
        text += f" ε = {fmt(hyper['eps'])} is not small next to √v̂, so it shrinks the step too."
    elif fell and memory_v > memory_m and abs(grads[calm - 1]) < abs(grads[0]):
        text += (f" m̂ averages about the last 1/(1−β₁) = {fmt(memory_m, 3)} gradients, v̂ about the last "
                 f"1/(1−β₂) = {fmt(memory_v, 3)} squared ones: as the slope falls, v̂ still remembers the steep "
                 "start, so √v̂ stays above |m̂| and the steps shrink.")
    if calm < end and trend == "shrink":
        text += " Once the gradient changes sign, m̂ averages the two signs and partly cancels."
    return text


def _adam_reach_1d(path, surface, longer):
    start, target = path.points[0, 0], float(nearest_minimum(surface, path.points[0])[0])
    end = last_step(path)
    reach = first_reach(path, target)
    if reach == 0:
        return f"It starts on the minimum θ* = {fmt(target)}."
    if reach < 0:
        text = (f"From θ₀ = {fmt(start)} it has not reached the minimum θ* = {fmt(target)} within {end} steps "
                f"(after {end} steps θ = {fmt(path.points[end, 0])}).")
        later = first_reach(longer, target) if longer is not None else -1
        if later > end:
            return text + f" With {later} steps or more it gets there: raise *steps* to see it."
        if longer is not None and last_step(longer) >= MAX_STEPS:
            return text + f" It does not get there within {MAX_STEPS} steps, the most the slider allows, either."
        return text
    text = f"From θ₀ = {fmt(start)} it first gets to the minimum θ* = {fmt(target)} (or past it) at step {reach}."
    past, at = overshoot(path, target)
    count = crossings(path, target)
    if past == 0:
        return text + " It does not go past it."
    text += f" It goes at most {fmt(past)} past it (θ = {fmt(path.points[at, 0])} at step {at})"
    if count >= 2:
        return text + f" and crosses θ* {times(count)}: it oscillates around the minimum."
    return text + " and crosses θ* once within the run: no oscillation yet."


def rmsprop_bullet(path, hyper):
    """RMSprop's v₁ = (1−ρ)g₁² makes its first step α·|g₁|/(√(1−ρ)|g₁| + ε) per coordinate."""
    lr, rho = hyper["lr"], hyper["rho"]
    law = ("**RMSprop has no bias correction{verdict}.** Its v₁ = (1−ρ)·g₁², so its first step moves each "
           "coordinate by α·|g₁|/(√(1−ρ)·|g₁| + ε): α/√(1−ρ) = {big}α at ρ = {rho} while ε is small next to "
           "√(1−ρ)·|g₁|.")
    big = fmt(1 / np.sqrt(1 - rho), 3)
    if last_step(path) < 1:
        return law.format(verdict="", big=big, rho=fmt(rho)) + " In this run its first step is not a number."
    ratio = float(np.max(np.abs(path.points[1] - path.points[0]))) / lr
    verdict = (", so it starts big" if ratio > 1 + SAME else
               ", but here its first step is not bigger than α" if ratio <= 1 else ", so it starts a little big")
    return (law.format(verdict=verdict, big=big, rho=fmt(rho))
            + f" In this run it is {times_alpha(ratio)}{' (the coordinate that moves most)' if path.points.shape[1] > 1 else ''}.")


def momentum_bullet(path, surface):
    """b_t = μb_{t−1} + g_t keeps a fraction μ of the past; on 1-D, how often it crossed θ*."""
    law = ("**Momentum carries velocity.** bₜ = μ·bₜ₋₁ + gₜ keeps a fraction μ of every past gradient, "
           "so it can run on past a minimum.")
    if surface.dim != 1 or last_step(path) < 1:
        return law
    target = float(nearest_minimum(surface, path.points[0])[0])
    count, (past, at) = crossings(path, target), overshoot(path, target)
    if first_reach(path, target) == 0:
        return law + " Here it starts on the minimum."
    if count == 0:
        return law + f" In this run it does not pass θ* = {fmt(target)} within {last_step(path)} steps."
    text = law + f" In this run it crosses the minimum (θ* = {fmt(target)}) {times(count)}"
    if diverging_from(path.losses, surface.min_value) >= 0:
        return text + f", swinging up to {fmt(past)} past it: its swings blow up (see the note under the chart)."
    return text + (f" (it rings around the minimum), swinging at most {fmt(past)} past it (step {at})."
                   if count >= 2 else f", going at most {fmt(past)} past it (step {at}).")


def bowl_bullet(lr):
    """SGD on the bowl ½(x² + 10y²): x is multiplied by 1 − α and y by 1 − 10α every step."""
    along, across = 1 - lr, 1 - 10 * lr
    if abs(across) >= 1:
        verdict = "|1 − 10α| ≥ 1: across the valley SGD does not settle"
    elif across < 0:
        verdict = "1 − 10α < 0: SGD zigzags across the valley, jumping sides every step"
    else:
        verdict = "1 − 10α ≥ 0: SGD does not zigzag across the valley"
    return (f"**On the ill-conditioned bowl** ½(x² + 10y²) SGD multiplies x by 1 − α = {fmt(along)} and y by "
            f"1 − 10α = {fmt(across)} every step. With SGD's α = {fmt(lr)}, {verdict}. It is stable across only "
            "while α < 0.2, and then x shrinks by a factor 1 − α > 0.8 a step: slowly. RMSprop and Adam divide "
            "each coordinate by its own √v (√v̂ for Adam).")


def what_to_look_for(paths, surface, settings, adam_traced, adam_longer=None):
    """The "What to look for" list, each bullet computed from this run (Markdown)."""
    by_key = {p.key: p for p in paths}
    bullets = []
    if by_key["sgd"].error is None:
        bullets.append(sgd_bullet(by_key["sgd"], surface, settings["sgd"]["lr"]))
    if adam_traced.path.error is None:
        bullets.append(adam_bullet(adam_traced, surface, settings["adam"], adam_longer))
    if by_key["momentum"].error is None:
        bullets.append(momentum_bullet(by_key["momentum"], surface))
    if by_key["rmsprop"].error is None:
        bullets.append(rmsprop_bullet(by_key["rmsprop"], settings["rmsprop"]))
    if surface.key == "bowl":
        bullets.append(bowl_bullet(settings["sgd"]["lr"]))
    if surface.key == "rosenbrock":
        # True for every setting: a fact about the surface, not about a run.
        bullets.append("**On Rosenbrock** the valley floor y = x² is curved and almost flat along its length: "
                       "the minimum (1, 1) sits at the end of a long, gently sloping valley.")
    return "\n".join(f"- {b}" for b in bullets)


# ---- the quiz ---------------------------------------------------------------------------------------

QUIZ_OPTIONS = ("It is 10 times larger", "It is about 3.2 (√10) times larger", "It stays the same size",
                "It is 10 times smaller")
QUIZ_RATIOS = (10.0, np.sqrt(10.0), 1.0, 0.1)


def quiz_answer(adam_step, adam_scaled):
    """The option nearest (on a log scale) to the measured ratio of Adam's first steps on 10·f and f."""
    ratio = adam_scaled / adam_step
    return QUIZ_OPTIONS[int(np.argmin([abs(np.log(ratio / r)) for r in QUIZ_RATIOS]))]


def quiz_explanation(first, first_scaled, eps, g1):
    """The reveal: the core's first steps on f and 10·f, and why Adam's ratio is what it is.

    Per coordinate the first step is α·|g₁|/(|g₁| + ε), so on 10·f over on f it is
    (|g₁| + ε)/(|g₁| + ε/10): 1 when ε ≪ |g₁|, up to 10 when ε ≫ |g₁|.
    """
    ratio = first_scaled["adam"] / first["adam"]
    text = (f"The core ran both from the same start: Adam's first step is **{first['adam']:.6g}** on f and "
            f"**{first_scaled['adam']:.6g}** on 10·f (ratio {ratio:.4g}), while SGD's grows from "
            f"**{first['sgd']:.6g}** to **{first_scaled['sgd']:.6g}**. With both bias corrections m̂₁ = g₁ and "
            "v̂₁ = g₁², so Adam's first step moves each coordinate by α·|g₁|/(|g₁| + ε). ")
    smallest = float(np.min(np.abs(g1[g1 != 0]))) if np.any(g1 != 0) else 0.0
    share = f"ε/|g₁| = {fmt(eps / smallest)}" if smallest else f"ε = {fmt(eps)}"
    if abs(ratio - 1) <= 1e-3:
        return text + (f"Here {share}: ε hardly counts, so each coordinate moves about α whatever the gradient's "
                       "size; scaling the loss scales m̂ and √v̂ alike, and their ratio does not change.")
    return text + (f"Here {share}: ε is not negligible, it damps the step on f (gradient |g₁|) more than on 10·f "
                   f"(gradient 10|g₁|), so the step grows {ratio:.4g} times.")


def quiz_unavailable(first, first_scaled):
    """Why the quiz is not shown, when a first step it compares is not a number."""
    broken = [name for name, key in (("Adam", "adam"), ("SGD", "sgd"))
              if not (np.isfinite(first[key]) and np.isfinite(first_scaled[key]))]
    return (f"*The question about scaling the loss is hidden: with these settings {join(broken)}'s first step "
            "is not a number (see the note under the chart), so there is nothing to compare. Give Adam an "
            "ε above 0 to bring it back.*")




