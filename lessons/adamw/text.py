"""The AdamW lesson's live sentences: pure functions from the runs' numbers to Markdown.

Each builder quotes numbers of the runs it is given and chooses its words from them.  The page's
fixed prose holds at every setting (it says "ε aside" and "λ > 0" where it must).
"""

import numpy as np
import streamlit as st

import optimizers as opt
from ui.words import alpha_times, number, plural
from .runs import LABELS, WEIGHTS, decay_factor


SETTLED = 0.01           # an end point within this distance of 4c/(2c + λ) has settled on it
SAME_DIGITS = 1e-6       # end points within this fraction of their size are "the same"
QUIZ = dict(lr=0.05, weight_decay=0.1, steps=40, start=4.0)    # the question's own settings
QUIZ_DECAYS = (0.01, 0.1, 1.0, 10.0)                            # the λ the reveal runs to show λ cancels


def fixed(value, digits=4):
    """The course's short style (ui.divergence.short_number): 0.0006491, 2.845×10⁻⁵, "—" if not finite."""
    return number(value, digits)


def _listing(items):
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def zero_to_cross(path):
    """The first step k ≥ 1 at which θ_k has reached or passed zero (θ_k·θ₀ ≤ 0); None if it never does."""
    reached = np.flatnonzero(path[1:] * path[0] <= 0)
    return int(reached[0]) + 1 if reached.size else None


def l2_weights_sentence(theta_l2, lr, weights=WEIGHTS):
    """Adam + L2 on a zero loss gradient: which weights reached zero, and how fast they moved before.

    ``theta_l2``: (steps + 1, len(weights)).  Its first step is α·sign(θ₀) (ε aside: m̂₁/√v̂₁ = ±1); the
    mean step before reaching zero is |θ₀ − θ_k|/(kα) over those k steps.
    """
    steps = theta_l2.shape[0] - 1
    reached, moving, slowed = [], [], []
    for j, w in enumerate(weights):
        k = zero_to_cross(theta_l2[:, j])
        if k is not None:
            reached.append(f"θ₀ = {fixed(w)} at step {k} (θ₀/α = {fixed(w / lr, 3)})")
        else:
            mean = abs(w - theta_l2[-1, j]) / (steps * lr)
            moving.append(f"θ₀ = {fixed(w)} is at {fixed(theta_l2[-1, j])}, having moved {alpha_times(fixed(mean, 3))} per step "
                          "on average")
            slowed.append(abs(theta_l2[-1, j] - theta_l2[-2, j]) < abs(theta_l2[1, j] - theta_l2[0, j]))
    firsts = sorted({fixed(abs(w - theta_l2[1, j]) / lr) for j, w in enumerate(weights)})
    text = (f"The first step of each is {alpha_times(firsts[0])}. " if len(firsts) == 1 else
            f"The first steps are {_listing([alpha_times(x) for x in firsts])}: ε is not small against every λθ₀. ")
    if reached:
        text += f"Reached zero: {_listing(reached)}. "
    if moving:
        text += f"Not yet at zero after {plural(steps, 'step')}: {_listing(moving)}. "
    if slowed and all(slowed):
        text += ("Those weights slowed down: v̂ still remembers the larger λθ of the start, "
                 "while m̂ follows the smaller λθ of now. ")
    return text


def zero_gradient_sentence(zero, steps, lr, weight_decay, lr_text, wd_text):
    """After ``steps`` steps on ∇f = 0: AdamW's fractions (one number, (1 − αλ)^steps) and Adam + L2's."""
    head = f"After **{steps}** step{'' if steps == 1 else 's'} (α = {lr_text}, λ = {wd_text}), from the core:\n\n"
    if weight_decay == 0:
        return head + ("- With λ = 0 there is no decay and no gradient at all: both optimizers leave every weight "
                       "where it started (fractions "
                       f"**{', '.join(fixed(r) for r in zero.ratio[-1, 0])}** and "
                       f"**{', '.join(fixed(r) for r in zero.ratio[-1, 1])}**).")
    l2 = zero.theta[:, 0, :]
    return head + adamw_fractions(zero, steps, lr, weight_decay) + (
        f"- **Adam + L2** kept **{', '.join(fixed(r) for r in zero.ratio[-1, 0])}**. "
        + l2_weights_sentence(l2, lr)
        + "Change λ: the left panel hardly moves (λ > 0 multiplies every gradient, which Adam divides out), "
        "the right one does.")


def adamw_fractions(zero, steps, lr, weight_decay):
    """AdamW's bullet: the fractions it kept, branching on its factor 1 − αλ (0, negative, beyond ±1) and on
    whether its run stayed finite."""
    factor = decay_factor(lr, weight_decay)
    kept = zero.ratio[-1, 1]
    shown = ", ".join(fixed(r) for r in kept)
    if not np.all(np.isfinite(kept)):
        stop = np.flatnonzero(~np.all(np.isfinite(zero.theta[:, 1, :]), axis=-1))
        return (f"- **AdamW** did not stay finite: its factor 1 − αλ = {fixed(factor)} multiplies every weight by "
                f"{fixed(factor)} each step, |1 − αλ| = {fixed(abs(factor))} > 1, so the weights grow without bound "
                f"and overflowed float64 at step {int(stop[0])}; there are no fractions to compare.\n")
    if factor == 0:
        return (f"- **AdamW**'s factor 1 − αλ = 0 sets every weight to exactly 0 in its first step: it kept the "
                f"fractions **{shown}**.\n")
    return (f"- **AdamW** kept the fractions **{shown}** of the three weights; (1 − αλ)^{steps} = "
            f"**{fixed(zero.law_ratio)}**. One number for all three: the decay is proportional.\n")


def factor_warning(lr, weight_decay):
    """The page's warning when αλ ≥ 1, branching on 1 − αλ = 0, between −1 and 0, −1, below −1; None if αλ < 1."""
    factor = decay_factor(lr, weight_decay)
    if factor > 0:
        return None
    if factor == 0:
        return ("α·λ = 1: AdamW's factor 1 − αλ = 0 is not a shrink any more; it sets every weight to exactly 0 "
                "in one step. Real settings have α·λ ≪ 1.")
    size = ("and shrinks it" if factor > -1 else "and keeps its size" if factor == -1 else "and makes it grow")
    return (f"α·λ > 1: AdamW's factor 1 − αλ = {fixed(factor)} is not a shrink any more; it flips the sign of every "
            f"weight at every step {size}. Real settings have α·λ ≪ 1.")


def rescale_sentence(res, c, steps, c_text):
    """Where both end on c·f at the current c, against c = 1, the L2 minimum and the spread over every c."""
    now, one, spread = res.at(c), res.at(1.0), res.spread
    k = int(np.flatnonzero(np.isclose(res.scales, c))[0])
    target = float(res.l2_minimum[k])
    end = lambda x: fixed(x, 5) if np.isfinite(x) else "a non-finite value (diverged)"   # noqa: E731
    text = (f"From the core, after {plural(steps, 'step')} at c = {c_text}: Adam + L2 ends at **θ = {end(now[0])}** "
            f"(at c = 1: {end(one[0])}), AdamW at **θ = {end(now[1])}** (at c = 1: {end(one[1])}). ")
    if np.isfinite(now[0]):
        gap = abs(now[0] - target)
        text += (f"The minimum of c·f + λθ²/2 is 4c/(2c + λ) = {fixed(target, 5)}: Adam + L2 "
                 + ("has settled on it. " if gap <= SETTLED else f"is still {fixed(gap, 3)} away from it. "))
    if not np.all(np.isfinite(spread)):
        return text + "Some runs did not stay finite, so their end points cannot be compared."
    size = max(1.0, float(np.max(np.abs(res.final[1]))))
    same = spread[1] <= SAME_DIGITS * size
    text += (f"Over all nine c from 10⁻² to 10², AdamW's end points differ by at most **{fixed(spread[1], 2)}**"
             + (" (the same to six digits: only ε, added after the rescale, tells them apart)" if same else "")
             + f", Adam + L2's by **{fixed(spread[0])}**.")
    return text


def rescale_caption(res):
    """The caption under the rescale chart: does AdamW's run at c = 1 lie under the others, and which of
    Adam + L2's end points lie on the dotted minimum 4c/(2c + λ)."""
    one = int(np.flatnonzero(np.isclose(res.scales, 1.0))[0])
    paths = res.theta[:, 1, :]
    finite = np.all(np.isfinite(paths))
    size = max(1.0, float(np.max(np.abs(paths)))) if finite else np.inf
    under = finite and float(np.max(np.abs(paths - paths[:, [one]]))) <= 1e-3 * size
    on_line = int(np.sum(np.abs(res.final[0] - res.l2_minimum) <= SETTLED))
    if not finite:
        first = "AdamW's runs did not stay finite, so its lines stop where they diverged. "
    elif under:
        first = "AdamW's dashed line (c = 1) lies under its solid one: its run does not depend on c. "
    else:
        first = "AdamW's dashed line (c = 1) and its solid one part: ε is not small against these gradients. "
    if on_line == len(res.scales):
        second = "On the right, all nine of Adam + L2's end points lie on the dotted minimum of c·f + λθ²/2."
    elif on_line == 0:
        second = ("On the right, none of Adam + L2's end points has reached the dotted minimum of c·f + λθ²/2 "
                  "yet: give the runs more steps.")
    else:
        second = (f"On the right, {on_line} of Adam + L2's nine end points lie on the dotted minimum of "
                  "c·f + λθ²/2 (within 0.01); the others have not settled yet.")
    return first + second


def diverged_warning(res, lr, weight_decay):
    """None if every run stayed finite; else which optimizer's runs diverged, and why if it is AdamW's factor."""
    rows = [label for label, at in zip(LABELS, res.diverged_at) if (at >= 0).any()]
    if not rows:
        return None
    why = (f" (|1 − αλ| = {fixed(abs(decay_factor(lr, weight_decay)))} > 1 makes every weight grow)"
           if "AdamW" in rows and abs(decay_factor(lr, weight_decay)) > 1 else "")
    return (f"Some runs of {_listing(rows)} left the finite world{why}: their lines stop where they diverged.")


@st.cache_data(max_entries=16, show_spinner=False)
def quiz_runs(lr: float, steps: int, start: float, decays: tuple) -> np.ndarray:
    """Adam + L2 from θ₀ = ``start`` on ∇f = 0 for every λ in ``decays``, ONE batched call: θ, (steps + 1, len)."""
    lam = np.array(decays, dtype=float)[:, None]
    traj = opt.run(opt.adam(lr, weight_decay=lam), np.zeros_like, np.full((len(decays), 1), start), int(steps))
    return traj.params[..., 0]


def quiz_reveal(theta_l2, theta_w, law, sweep, quiz=QUIZ, decays=QUIZ_DECAYS):
    """The reveal at the question's settings.  ``sweep``: θ of Adam + L2 for every λ in ``decays`` (steps + 1, len).

    With g = λθ every gradient carries the factor λ; Adam's m̂/(√v̂ + ε) is unchanged when all
    gradients are multiplied by one number (ε aside), so θ_k does not depend on λ > 0.
    """
    ends = sweep[-1]
    spread = float(ends.max() - ends.min())
    lr, steps = quiz["lr"], quiz["steps"]
    ours = sweep[:, list(decays).index(quiz["weight_decay"])]
    first, last = abs(ours[1] - ours[0]) / lr, abs(ours[-1] - ours[-2]) / lr
    text = (f"The core: Adam + L2 ends at **θ = {fixed(theta_l2)}**, AdamW at **θ = {fixed(theta_w)}** "
            f"= 4(1 − αλ)^{steps} = {fixed(law)}. With g = λθ, λ multiplies every gradient, and Adam's step "
            "α·m̂/(√v̂ + ε) does not change when every gradient is multiplied by the same number (ε aside): "
            + ", ".join(f"θ_{steps} = {fixed(e, 6)} at λ = {lam:g}" for lam, e in zip(decays, ends))
            + (f", the same to {fixed(spread, 1)}. λ does not matter at all. " if spread < 1e-3 * quiz["start"]
               else f", a spread of {fixed(spread, 2)}. ")
            + f"The steps start at {alpha_times(fixed(first))} and ")
    if last < first:
        text += (f"shrink to {alpha_times(fixed(last))} by step {steps}: m̂ is a mean of the shrinking λθ, while √v̂, a root mean "
                 "square with the longer memory β₂ = 0.999, still remembers the larger start.")
    else:
        text += f"are {alpha_times(fixed(last))} at step {steps}."
    return text
