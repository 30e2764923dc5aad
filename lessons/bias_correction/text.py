"""The bias-correction lesson's live sentences: pure functions from the runs' numbers to Markdown.

Each builder quotes numbers of the run it is given and chooses its words from them ("too large" only
where the step exceeds α). Sentences true at every setting stay in the page.
"""

import numpy as np

from ui.controls import fmt_number
from ui.words import alpha_times, differ, plural, same_digits


SAME_AS_ALPHA = 1e-6    # a first step within this relative distance of α is "α itself" (ε = 1e-8 moves it ~1e-9)


def fixed(value, digits=4):
    """A core number for the text: 4 significant digits unless told otherwise."""
    return f"{value:.{digits}g}"


def ratio_text(ratio):
    """A step over α as printed: 4 digits, more when 4 would round a step that is not α to "1"."""
    text = fixed(ratio)
    return fixed(ratio, 8) if text == "1" and abs(ratio - 1) > SAME_AS_ALPHA else text


def size_verdict(ratio):
    """"too large" if the step ratio·α exceeds α, "too small" if it falls short, "α itself" otherwise."""
    if abs(ratio - 1) <= SAME_AS_ALPHA:
        return "α itself"
    return "too large" if ratio > 1 else "too small"


def half_weight_sentence(beta1, beta2, half, bc_at_10):
    """When the weights of m and v first add up to at least ½, and what they add up to at step 10.

    ``half`` = (first t with 1 − β₁ᵗ ≥ ½, the same for β₂); ``bc_at_10`` = (1 − β₁¹⁰, 1 − β₂¹⁰).
    """
    t_m, t_v = half
    order = "only after" if t_v > t_m else ("after" if t_v == t_m else "already after")
    return (f"With β₁ = {beta1:g} the weights of m add up to at least one half after **t = {t_m}** "
            f"step{'s' if t_m != 1 else ''}; with β₂ = {beta2:g} those of v {order} **t = {t_v}**. At step 10, "
            f"1 − β₂¹⁰ = **{fixed(bc_at_10[1])}**: v holds that fraction of the mean of g² it is meant to be, "
            f"m holds {fixed(bc_at_10[0])} of the mean gradient. Dividing by these numbers turns each "
            "average back into a weighted mean whose weights sum to one.")


def real_run_sentence(steps, first, last):
    """Step 1 and the last step of the corrected run.

    ``first`` = (g₁, m₁, v₁, m̂₁, v̂₁); ``last`` = (1 − β₁ᵀ, 1 − β₂ᵀ, v̂_T, g_T², |θ_T − θ_{T−1}|/α).
    m̂₁ = g₁ and v̂₁ = g₁² at every setting: m₁ = (1 − β₁)g₁ and 1 − β₁¹ = 1 − β₁.
    """
    g1, m1, v1, m_hat1, v_hat1 = first
    bc1, bc2, v_hat, g_squared, step = last
    text = (f"At step 1 the gradient is g₁ = **{fixed(g1)}**. The raw averages are m₁ = {fixed(m1)} and "
            f"v₁ = {fixed(v1)}; the corrected ones are exactly m̂₁ = **{fixed(m_hat1)}** = g₁ and "
            f"v̂₁ = **{fixed(v_hat1)}** = g₁². At the last step, t = {steps}, the raw averages are the fractions "
            f"1 − β₁ᵗ = **{fixed(bc1)}** and 1 − β₂ᵗ = **{fixed(bc2)}** of the corrected ones. ")
    if not np.isfinite(v_hat) or not np.isfinite(step):
        return text + "The run did not stay finite to its last step."
    text += v_hat_against_g_squared(steps, v_hat, g_squared)
    return text + f"Adam's last step is **{alpha_times(ratio_text(step))}**, {_against_alpha(step)}."


def v_hat_against_g_squared(steps, v_hat, g_squared):
    """v̂_T against g_T²: v̂ is a weighted mean of g² over the steps so far (weights summing to one), so it is
    above g² when earlier gradients were larger, below it when they were smaller; at t = 1 it is g₁²."""
    if steps == 1:
        return (f"At t = 1 there are no earlier gradients: v̂ = {fixed(v_hat)} is g² = {fixed(g_squared)} "
                "itself. ")
    mean = "v̂ is a weighted mean of g² over the past steps, and "
    if not differ(v_hat, g_squared):
        return (f"There v̂ = {fixed(v_hat)} and g² = {fixed(g_squared)} are the same to "
                f"{plural(same_digits(v_hat, g_squared), 'digit')}: {mean}the recent gradients it weighs most are "
                "about as large as this one. ")
    if v_hat > g_squared:
        return (f"There v̂ = {fixed(v_hat)} is {'far ' if v_hat > 10 * g_squared else ''}above g² = "
                f"{fixed(g_squared)}: {mean}the larger gradients of earlier steps still count in it. ")
    return (f"There v̂ = {fixed(v_hat)} is {'far ' if 10 * v_hat < g_squared else ''}below g² = {fixed(g_squared)}: "
            f"{mean}the smaller gradients of earlier steps still count in it and pull it down. ")


def _against_alpha(ratio):
    verdict = size_verdict(ratio)
    return "a step of α" if verdict == "α itself" else ("above α" if ratio > 1 else "below α")


def first_steps_story(first, beta1, beta2, eps, g1):
    """Why the uncorrected first step is too large, too small or α: the four first steps, as the core took them.

    ``first``: the first step over α of (both, none, only m, only v).  With ε → 0 they are 1,
    (1 − β₁)/√(1 − β₂), 1/√(1 − β₂) and 1 − β₁: none exceeds α exactly when √(1 − β₂) < 1 − β₁.
    With ε they are these times |g₁|/(|g₁| + ε) (both, only v) or |g₁|√(1−β₂)/(|g₁|√(1−β₂) + ε).
    """
    both, none, only_m, only_v = (float(x) for x in first)
    m_factor, v_factor = 1 - beta1, float(np.sqrt(1 - beta2))
    closed_none = m_factor / v_factor
    if size_verdict(none) != size_verdict(closed_none):
        heading = "**Here ε decides the first step.**"
    else:
        heading = {"too large": "**Why \"slow start\" is the wrong story here.**",
                   "too small": "**Here the \"slow start\" story is right.**",
                   "α itself": "**Here the two biases cancel.**"}[size_verdict(none)]
    parts = [heading]
    parts.append(f"Without correction, m₁ = (1 − β₁)g₁ is too small by the factor {fixed(m_factor)}."
                 if beta1 > 0 else "With β₁ = 0, m₁ = g₁: the first moment has no bias.")
    parts.append(f"Adam divides it by √v₁ = √(1 − β₂)·|g₁|, which is too small by the factor {fixed(v_factor)}."
                 if beta2 > 0 else "With β₂ = 0, √v₁ = |g₁|: the second moment has no bias.")
    parts.append(_why_none(none, closed_none, m_factor, v_factor, eps, g1))
    parts.append(f"Correcting only m gives **{alpha_times(ratio_text(only_m))}**, {size_verdict(only_m)}"
                 + (", larger than with no correction." if only_m > none * (1 + SAME_AS_ALPHA)
                    else ", the same as with no correction (β₁ = 0: m has nothing to correct)."))
    parts.append(f"Correcting only v gives **{alpha_times(ratio_text(only_v))}**, {size_verdict(only_v)}"
                 + (": the slow start the story describes." if size_verdict(only_v) == "too small" and beta1 > 0
                    and size_verdict(m_factor) == "too small" else "."))
    parts.append("Both corrections together give m̂₁/√v̂₁ = g₁/|g₁|, a first step of α as ε → 0: "
                 f"**{alpha_times(ratio_text(both))}** here"
                 + ("." if size_verdict(both) == "α itself"
                    else f", below α because ε = {fmt_number(eps)} is not small against |g₁| = {fixed(abs(g1))}."))
    return " ".join(parts)


def _why_none(none, closed_none, m_factor, v_factor, eps, g1):
    """The uncorrected first step with the reason for its verdict (the closed form's, or ε's)."""
    verdict = size_verdict(none)
    told = f"the uncorrected first step is **{alpha_times(ratio_text(none))}**, {verdict}"
    if verdict != size_verdict(closed_none):
        return (f"As ε → 0 the uncorrected first step would be (1 − β₁)/√(1 − β₂) = {alpha_times(fixed(closed_none))}; "
                f"ε = {fmt_number(eps)} is not small against √v₁ = {fixed(v_factor * abs(g1))}, so {told}.")
    if verdict == "too large":
        return (f"The denominator is the smaller of the two ({fixed(v_factor)} < {fixed(m_factor)}), so it inflates "
                f"the step more than the numerator shrinks it: {told}, not too slow.")
    if verdict == "too small":
        return (f"Here the numerator is the smaller of the two ({fixed(m_factor)} < {fixed(v_factor)}): {told}, "
                "a slow start.")
    return f"The two factors are equal, so they cancel: {told}."


def above_alpha_sentence(labels, step_over_lr):
    """How many steps each uncorrected run (none, only m) took that were longer than α."""
    uncorrected, only_m = (int(np.sum(step_over_lr[:, k] > 1 + SAME_AS_ALPHA)) for k in (1, 2))
    total = step_over_lr.shape[0]
    if uncorrected == only_m == 0:
        return "Here neither the uncorrected nor the only-m run ever steps above α (right-hand chart)."
    said = lambda n: ("never" if n == 0 else "in its only step" if total == 1  # noqa: E731
                      else f"in {n} of its {plural(total, 'step')}")
    return (f"Here the uncorrected run steps above α {said(uncorrected)}, the only-m run {said(only_m)} "
            "(right-hand chart).")


def spike_story(zeros, t_spike, bc2_at_spike, at_spike, closed, total, beta1, eps):
    """The step at a gradient spike after ``zeros`` zero gradients, and the move after it.

    ``at_spike``/``total``: (both corrected, none), over α, from the core; ``closed``: the same
    steps as ε → 0, (1 − β₁)/(1 − β₁ᵗ) / √((1 − β₂)/(1 − β₂ᵗ)) and (1 − β₁)/√(1 − β₂).
    """
    both, none = (float(x) for x in at_spike)
    if zeros == 0:
        text = ("With no zeros the spike is a first step, t = 1: the correction divides v by "
                f"1 − β₂ = {fixed(bc2_at_spike)}, as on any fresh start. ")
    else:
        text = (f"The correction counts **steps, not gradients**. At the spike t = {t_spike}, so the correction "
                f"divides v by 1 − β₂ᵗ = {fixed(bc2_at_spike)}, as if the {zeros} zeros had been data, although v "
                "holds a single gradient, just as after a first step. ")
    text += (f"The step at the spike is **{alpha_times(ratio_text(both))}** with the corrections "
             f"({_against_alpha(both)}) and **{alpha_times(ratio_text(none))}** without ({_against_alpha(none)}). ")
    if np.allclose(at_spike, closed, rtol=1e-3):
        text += "Those are the closed forms (ε → 0): the size of g does not matter while ε is small against it. "
    else:
        text += (f"As ε → 0 they would be {alpha_times(fixed(closed[0]))} and {alpha_times(fixed(closed[1]))}; ε = {fmt_number(eps)} is not small "
                 "against this spike, and shrinks them. ")
    if beta1 > 0:
        text += (f"The momentum then keeps moving after the gradient is gone: **{alpha_times(fixed(total[0]))}** in all "
                 f"with the corrections ({fixed(total[0] / both, 3)} times the step at the spike), "
                 f"**{alpha_times(fixed(total[1]))}** without. ")
    else:
        text += ("With β₁ = 0 there is no momentum: the move stops with the gradient, "
                 f"**{alpha_times(fixed(total[0]))}** in all with the corrections, **{alpha_times(fixed(total[1]))}** without. ")
    return text + ("If the zeros were real gradients, this is the right answer (the recent mean of g² really is "
                   "tiny); when they mean \"no data\", Adam cannot tell the difference. Set the zeros to 0 to "
                   "compare with a fresh start, where the corrected first step is α (ε → 0).")


QUIZ_BETAS = (0.9, 0.999)       # the question's own settings, with ε = QUIZ_EPS
QUIZ_EPS = 1e-8


def quiz_reveal(question_first, yours, beta1, beta2, eps, lr_text):
    """The reveal: the question's uncorrected first step, then the learner's, each with its own verdict.

    ``question_first``: (first step / α, m₁/g₁, √v₁/|g₁|) at QUIZ_BETAS, ε = QUIZ_EPS;
    ``yours``: the same at the sliders' β₁, β₂, ε.
    """
    step, m_ratio, v_ratio = question_first
    text = (f"At β₁ = {QUIZ_BETAS[0]:g}, β₂ = {QUIZ_BETAS[1]:g} (α = {lr_text}, ε = 10⁻⁸) the core took an "
            f"uncorrected first step of **{alpha_times(ratio_text(step))}**, {size_verdict(step)}. m₁ is "
            f"{fixed(m_ratio)}·g₁, so far the slow-start story is right; but √v₁ is only {fixed(v_ratio)}·|g₁|, and "
            f"the step divides one by the other: (1 − β₁)/√(1 − β₂) = {fixed(m_ratio / v_ratio)}. ")
    if size_verdict(step) == "too large":
        text += "At these settings bias correction keeps the first steps from being too **large**. "
    mine = yours[0]
    return text + (f"At your settings (β₁ = {beta1:g}, β₂ = {beta2:g}, ε = {fmt_number(eps)}) the uncorrected first step "
                   f"is **{alpha_times(ratio_text(mine))}**, {size_verdict(mine)}"
                   + ("." if size_verdict(mine) != "α itself" else ": the two biases cancel there."))
