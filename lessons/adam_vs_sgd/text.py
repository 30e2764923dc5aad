"""The flagship's live sentences: "What to look for" and the quiz, pure functions of the runs whose
words branch on their numbers.
"""

import numpy as np

from ui.divergence import diverging_from
from ui.words import alpha_times, plural, same_digits
from .numbers import AXES, MAX_STEPS, SAME, TOLERANCE, arrival, checkpoints, crossings, first_near, first_reach, first_within, fmt, join, last_step, left_for, nearest_minimum, overshoot, pace, step_sizes, times, times_alpha


# ---- "What to look for" ---------------------------------------------------------------------------

def sgd_bullet(path, surface, lr):
    """SGD's step is α·f′(θ); on the parabola the distance to θ* = 2 is multiplied by 1 − 2α each step."""
    end = last_step(path)
    measured = (f"Here its distance to the nearest minimum went from {fmt(path.distances[0])} to "
                f"{fmt(path.distances[end])} in {plural(end, 'step')}"
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
    head = {"shrink": f"steps start at {first} and shrink", "grow": f"steps start at {first} and grow",
            "stay": f"steps stay near {first}", "one": f"step is {first}"}[trend]
    text = (f"**Adam's {head}.** Its step is α·|m̂|/(√v̂ + ε); measured in this run, step/α = "
            f"|θₜ − θₜ₋₁|/α is {quoted}. ")
    text += _adam_why(traced, surface, hyper, trend, end)
    if surface.dim == 1:
        text += " " + _adam_reach_1d(path, surface, longer)
    else:
        reached = first_within(path)
        text += (f" It first comes within {TOLERANCE:g} of a minimum at step {reached}." if reached >= 0
                 else f" It does not come within {TOLERANCE:g} of a minimum within {plural(end, 'step')}.")
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


def longer_run(run_adam, steps, surface, start):
    """Adam's run past ``steps``, for "with N steps or more it gets there": to a short horizon first
    (4 × steps, at least 200), and to MAX_STEPS only when it has not got there by then.  A run is the
    prefix of any longer one, so the first arrival is the same; a 1000-step run on every rerun cost
    ~10 ms of the server's time.  ``run_adam(n)`` runs n steps."""
    target = float(nearest_minimum(surface, np.asarray(start, dtype=float))[0])
    horizon = min(MAX_STEPS, max(200, 4 * steps))
    path = run_adam(horizon)
    if horizon < MAX_STEPS and arrival(path, target) < 0 and last_step(path) >= horizon:
        path = run_adam(MAX_STEPS)
    return path


def _adam_reach_1d(path, surface, longer):
    """When Adam gets to θ* (reaches it, passes it or comes within TOLERANCE), how far past it goes, how
    often it crosses, and whether it ends in another well."""
    start, target = path.points[0, 0], float(nearest_minimum(surface, path.points[0])[0])
    end = last_step(path)
    if first_reach(path, target) == 0:
        return f"It starts on the minimum θ* = {fmt(target)}."
    near, cross = first_near(path, target), first_reach(path, target)
    reach = arrival(path, target)
    if reach < 0:
        text = (f"From θ₀ = {fmt(start)} it has not reached the minimum θ* = {fmt(target)} within "
                f"{plural(end, 'step')}, nor come within {TOLERANCE:g} of it (after {plural(end, 'step')} θ = "
                f"{fmt(path.points[end, 0])}).")
        later = arrival(longer, target) if longer is not None else -1
        if later > end:
            return text + f" With {later} steps or more it gets there: raise *steps* to see it."
        if longer is not None and last_step(longer) >= MAX_STEPS:
            return (text + f" It does not get there within {MAX_STEPS} steps, the most the slider allows, either "
                    f"(after {MAX_STEPS} steps θ = {fmt(longer.points[last_step(longer), 0])}).")
        return text
    if near == 0:
        text = f"From θ₀ = {fmt(start)} it starts within {TOLERANCE:g} of the minimum θ* = {fmt(target)}."
    elif cross == reach:
        text = (f"From θ₀ = {fmt(start)} it first gets to the minimum θ* = {fmt(target)} (or past it) at "
                f"step {reach}.")
    else:
        text = (f"From θ₀ = {fmt(start)} it first comes within {TOLERANCE:g} of the minimum θ* = {fmt(target)} "
                f"at step {reach}" + (f" and gets to it (or past it) at step {cross}." if cross > 0
                                      else " without ever passing it."))
    left, other = left_for(path, surface, target)
    if left >= 0:
        return text + (f" It leaves for the other well at step {left} and ends at θ = {fmt(path.points[end, 0])}, "
                       f"{fmt(abs(path.points[end, 0] - other))} from the other minimum {fmt(other)}.")
    past, at = overshoot(path, target)
    count = crossings(path, target)
    if past == 0:
        return text + ("" if cross < 0 else " It does not go past it.")
    text += f" It goes at most {fmt(past)} past it (θ = {fmt(path.points[at, 0])} at step {at})"
    if count >= 2:
        return text + f" and crosses θ* {times(count)}: it oscillates around the minimum."
    return text + " and crosses θ* once within the run: no oscillation yet."


def rmsprop_bullet(path, hyper):
    """RMSprop's v₁ = (1−ρ)g₁² makes its first step α·|g₁|/(√(1−ρ)|g₁| + ε) per coordinate."""
    lr, rho = hyper["lr"], hyper["rho"]
    law = ("**RMSprop has no bias correction{verdict}.** Its v₁ = (1−ρ)·g₁², so its first step moves each "
           "coordinate by α·|g₁|/(√(1−ρ)·|g₁| + ε): α/√(1−ρ) = {big} at ρ = {rho} while ε is small next to "
           "√(1−ρ)·|g₁|.")
    big = alpha_times(fmt(1 / np.sqrt(1 - rho), 3))
    if last_step(path) < 1:
        return law.format(verdict="", big=big, rho=fmt(rho)) + " In this run its first step is not a number."
    ratio = float(np.max(np.abs(path.points[1] - path.points[0]))) / lr
    verdict = (", so it starts big" if ratio > 1 + SAME else
               ", but here its first step is not bigger than α" if ratio <= 1 else ", so it starts a little big")
    return (law.format(verdict=verdict, big=big, rho=fmt(rho))
            + f" In this run it is {times_alpha(ratio)}{' (the coordinate that moves most)' if path.points.shape[1] > 1 else ''}.")


def momentum_bullet(path, surface):
    """b_t = μb_{t−1} + g_t keeps a gradient k steps old with weight μᵏ; on 1-D, how often it crossed θ*."""
    law = ("**Momentum carries velocity.** bₜ = μ·bₜ₋₁ + gₜ keeps a gradient k steps old with weight μᵏ, "
           "so it can run on past a minimum.")
    if surface.dim != 1 or last_step(path) < 1:
        return law
    target = float(nearest_minimum(surface, path.points[0])[0])
    count, (past, at) = crossings(path, target), overshoot(path, target)
    if first_reach(path, target) == 0:
        return law + " Here it starts on the minimum."
    if count == 0:
        return law + f" In this run it does not pass θ* = {fmt(target)} within {plural(last_step(path), 'step')}."
    left, other = left_for(path, surface, target)
    if left >= 0 and diverging_from(path.losses, surface.min_value) < 0:
        end = last_step(path)
        return law + (f" In this run it leaves the well of θ* = {fmt(target)} for the other one at step {left} and "
                      f"ends at θ = {fmt(path.points[end, 0])}, {fmt(abs(path.points[end, 0] - other))} from the "
                      f"other minimum {fmt(other)}.")
    text = law + f" In this run it crosses the minimum (θ* = {fmt(target)}) {times(count)}"
    if diverging_from(path.losses, surface.min_value) >= 0:
        return text + f", swinging up to {fmt(past)} past it: its swings blow up (see the note under the chart)."
    return text + (f" (it rings around the minimum), swinging at most {fmt(past)} past it (step {at})."
                   if count >= 2 else f", going at most {fmt(past)} past it (step {at}).")


def bowl_bullet(lr, start=None):
    """SGD on the bowl ½(x² + 10y²): x is multiplied by 1 − α and y by 1 − 10α every step."""
    along, across = 1 - lr, 1 - 10 * lr
    if start is not None and start[1] == 0:
        verdict = ("y starts at 0 and stays there (its gradient 10y is 0), so there is no valley to cross: "
                   "only x, along the valley, moves")
    elif abs(across) > 1:
        verdict = "|1 − 10α| > 1: across the valley SGD's swings grow"
    elif abs(across) == 1:
        verdict = "|1 − 10α| = 1: across the valley SGD swings between y₀ and −y₀ for ever"
    elif abs(across) >= 1:
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
        bullets.append(bowl_bullet(settings["sgd"]["lr"], by_key["sgd"].points[0]))
    if surface.key == "rosenbrock":
        # True for every setting: a fact about the surface, not about a run.
        bullets.append("**On Rosenbrock** the valley floor y = x² is curved and almost flat along its length: "
                       "the minimum (1, 1) sits at the end of a long, gently sloping valley.")
    return "\n".join(f"- {b}" for b in bullets)


# ---- the quiz ---------------------------------------------------------------------------------------

QUIZ_OPTIONS = ("It is 10 times larger", "It grows more than √10 ≈ 3.2 times, but less than 10 times",
                "It grows, but less than √10 ≈ 3.2 times", "It stays the same size", "It is 10 times smaller")
QUIZ_SAME = 0.01          # the two first steps count as the same size while within 1 % of each other


def quiz_answer(adam_step, adam_scaled):
    """The option the measured ratio of Adam's first steps on 10·f and on f falls in: the same size while
    within QUIZ_SAME of 1, 10 times while within QUIZ_SAME of 10, else which side of √10 it grows to."""
    ratio = adam_scaled / adam_step
    if abs(ratio - 1) <= QUIZ_SAME:
        return QUIZ_OPTIONS[3]
    if abs(ratio / 10 - 1) <= QUIZ_SAME:
        return QUIZ_OPTIONS[0]
    if ratio > 1:
        return QUIZ_OPTIONS[1] if ratio >= np.sqrt(10.0) else QUIZ_OPTIONS[2]
    return QUIZ_OPTIONS[4]


def quiz_explanation(first, first_scaled, eps, g1):
    """The reveal: the core's first steps on f and 10·f, and why Adam's ratio is what it is.

    Per coordinate the first step is α·|g₁|/(|g₁| + ε), so on 10·f over on f it is
    (|g₁| + ε)/(|g₁| + ε/10): 1 when ε ≪ |g₁|, up to 10 when ε ≫ |g₁|.
    """
    ratio = first_scaled["adam"] / first["adam"]
    text = (f"The core ran both from the same start: Adam's first step is **{fmt(first['adam'], 6)}** on f and "
            f"**{fmt(first_scaled['adam'], 6)}** on 10·f (ratio {fmt(ratio)}), while SGD's grows from "
            f"**{fmt(first['sgd'], 6)}** to **{fmt(first_scaled['sgd'], 6)}**. With both bias corrections m̂₁ = g₁ "
            "and v̂₁ = g₁², so Adam's first step moves each coordinate by α·|g₁|/(|g₁| + ε). ")
    smallest = float(np.min(np.abs(g1[g1 != 0]))) if np.any(g1 != 0) else 0.0
    share = f"ε/|g₁| = {fmt(eps / smallest)}" if smallest else f"ε = {fmt(eps)}"
    answer = quiz_answer(first["adam"], first_scaled["adam"])
    if answer == QUIZ_OPTIONS[3]:
        same = ("exactly the same" if ratio == 1 else
                f"the same to {plural(same_digits(first['adam'], first_scaled['adam']), 'digit')}")
        return text + (f"Here {share}: ε hardly counts, so each coordinate moves about α whatever the gradient's "
                       f"size; scaling the loss scales m̂ and √v̂ alike, and the two steps are {same}.")
    if answer == QUIZ_OPTIONS[0]:
        return text + (f"Here {share}: ε dwarfs the gradient, so the step is about α·|g₁|/ε, in proportion to the "
                       "gradient like SGD's: 10 times the gradient, 10 times the step.")
    if answer == QUIZ_OPTIONS[4]:
        return text + f"Here {share}, and the step shrank {fmt(1 / ratio)} times."
    side = "more than √10 ≈ 3.162, but less than 10" if answer == QUIZ_OPTIONS[1] else "less than √10 ≈ 3.162"
    return text + (f"Here {share}: ε is not negligible, it damps the step on f (gradient |g₁|) more than on 10·f "
                   f"(gradient 10|g₁|), so the step grows {fmt(ratio)} times: {side}.")


def quiz_available(first, first_scaled):
    """The scaling question compares Adam's first steps on f and on 10·f: it needs both (and SGD's) to be
    numbers, and Adam's to be a step at all (a start where the gradient is 0 gives a first step of 0)."""
    steps = (first["sgd"], first["adam"], first_scaled["sgd"], first_scaled["adam"])
    return all(np.isfinite(v) for v in steps) and first["adam"] > 0


def quiz_unavailable(first, first_scaled):
    """Why the quiz is not shown: a first step it compares is not a number, or Adam took no step."""
    broken = [name for name, key in (("Adam", "adam"), ("SGD", "sgd"))
              if not (np.isfinite(first[key]) and np.isfinite(first_scaled[key]))]
    if broken:
        return (f"*The question about scaling the loss is hidden: with these settings {join(broken)}'s first step "
                "is not a number (see the note under the chart), so there is nothing to compare. Give Adam an "
                "ε above 0 to bring it back.*")
    return ("*The question about scaling the loss is hidden: the start is a point where the gradient is 0, so "
            "Adam's first step is 0 on f and on 10·f alike and there is nothing to compare. Move the start off "
            "it to bring the question back.*")
