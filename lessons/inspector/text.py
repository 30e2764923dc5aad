"""The live sentences of "Inside an Adam step": pure functions from the run's numbers to Markdown.

Each builder quotes the numbers it is given and chooses its words from them (a verdict such as
"the noise dominates v̂" only where σ² is the larger part); no Streamlit calls.  Sentences true at
every setting (what an EMA does to white noise in the long run, what (∇f + noise)² averages to)
stay fixed inside them.
"""

import numpy as np

from ui.divergence import short_number
from ui.words import compare

AXES = ("x", "y")
CLOSE = 0.1              # a measured ratio within 10% of the theory's is "close to" it
QUIZ_OPTIONS = ("it grows", "it stays about the same (within 1 %)", "it shrinks",
                "it moves one way in x and another in y")
QUIZ_CLASSES = ("grows", "same", "shrinks")


def ema_lag(beta1):
    r"""How many steps an EMA with decay β₁ trails a ramp g_t = a·t once it has run for long:
    :math:`m_t = (1-\beta)\sum_k \beta^k a(t-k) = a\,(t - \beta/(1-\beta))`, a lag of β₁/(1 − β₁)."""
    return beta1 / (1 - beta1)


def _axes_where(flags):
    """"x and y", "x" or "y": the axes whose flag is set."""
    chosen = [a for a, f in zip(AXES, flags) if f]
    return " and ".join(chosen)


def smoothing_sentence(noise, beta1, g_sd, m_sd, ema_factor, measured_steps):
    """How much of the noise m̂ keeps, measured against √((1−β₁)/(1+β₁)), and m̂'s lag β₁/(1 − β₁).

    ``g_sd``/``m_sd``: the standard deviation over the run of the noise in g and of what is left of it
    in m̂ (2,); ``measured_steps``: how many steps they were measured over.
    """
    if measured_steps < 2:
        text = "**m smooths the noise.** One step is too few to measure the noise's spread; give the run more steps. "
    else:
        text = (f"**m smooths the noise.** The noise the run added to g has standard deviation "
                f"{short_number(g_sd[0], 3)} in x and {short_number(g_sd[1], 3)} in y (σ = {noise:g}); what is left of it in m̂ has "
                f"{short_number(m_sd[0], 3)} and {short_number(m_sd[1], 3)}. ")
    if beta1 == 0:
        return text + "With β₁ = 0, m̂ is g itself: no smoothing, and no lag."
    text += (f"A moving average with β₁ = {beta1:g} keeps about √((1−β₁)/(1+β₁)) = {short_number(ema_factor, 3)} of white noise "
             "once it has run for a while")
    if measured_steps >= 2:
        ratio = np.asarray(m_sd) / np.asarray(g_sd)
        text += f"; measured here: {short_number(ratio[0], 3)} in x and {short_number(ratio[1], 3)} in y, "
        above, below = ratio > ema_factor * (1 + CLOSE), ratio < ema_factor * (1 - CLOSE)
        if above.all():
            text += "above it, because the first steps, averaged over fewer gradients, keep more"
        elif not above.any() and not below.any():
            text += "close to it"
        else:
            text += "the first steps (averaged over fewer gradients, they keep more) and the luck of the draw " \
                    "move it either way"
    lag = ema_lag(beta1)
    return text + (f". The price is lag: on a gradient that changes steadily, m̂ trails by β₁/(1−β₁) = {short_number(lag, 3)} "
                   f"step{'s' if lag != 1 else ''} once the average has run for a while, visible wherever the "
                   "dotted noise-free gradient changes fast.")


def variance_sentence(t, v_hat, v_hat_clean, sigma_squared):
    """At step t: v̂ against the same average of the noise-free gradients, and which part of v̂ dominates.

    v averages g², and E[(∇f + n)²] = (∇f)² + σ² for zero-mean noise n of variance σ²: in expectation the
    noise adds σ² to v̂; a single run can fall either side.  α/(√v̂ + ε) falls as v̂ rises.
    """
    v_hat, v_hat_clean = np.asarray(v_hat, float), np.asarray(v_hat_clean, float)
    text = (f"**v grows with the noise, on average.** v averages g², and the mean of (∇f + noise)² is (∇f)² + σ². "
            f"At step {t}, v̂ = {short_number(v_hat[0], 4)} in x and {short_number(v_hat[1], 4)} in y; the same average of the noise-free "
            f"gradients along this path is {short_number(v_hat_clean[0], 4)} and {short_number(v_hat_clean[1], 4)}, and "
            f"σ² = {short_number(sigma_squared, 4)}. ")
    if not (np.all(np.isfinite(v_hat)) and np.all(np.isfinite(v_hat_clean))):
        return text + "The run is not finite here, so there is nothing to compare."
    change = [compare(new, old) for new, old in zip(v_hat, v_hat_clean)]
    raised, lowered = np.array([c == "higher" for c in change]), np.array([c == "lower" for c in change])
    same = ~raised & ~lowered
    if raised.any():
        text += (f"The noise has raised v̂ in {_axes_where(raised)}, so the effective learning rate α/(√v̂+ε) "
                 "is smaller there: noise makes Adam take shorter steps. ")
    if lowered.any():
        text += (f"In {_axes_where(lowered)} this draw of the noise has lowered v̂ below the noise-free average "
                 "(a single run can fall either side of the mean). ")
    if same.any():
        text += (f"In {_axes_where(same)} v̂ and the noise-free average are the same to within 1 %: this draw of "
                 "the noise has not moved it noticeably. ")
    noise_wins = v_hat_clean < sigma_squared
    if noise_wins.all():
        text += ("In both coordinates σ² is larger than the noise-free part: in expectation the noise dominates "
                 "v̂ here")
    elif not noise_wins.any():
        text += ("In both coordinates the noise-free part is larger than σ²: the gradient's own size still "
                 "dominates v̂ here.")
        return text
    else:
        text += (f"σ² is larger than the noise-free part in {_axes_where(noise_wins)} (in expectation the noise "
                 f"dominates v̂ there) and smaller in {_axes_where(~noise_wins)}")
    short = noise_wins & (v_hat < sigma_squared) & lowered
    if short.any():
        text += (f"; this draw's v̂ in {_axes_where(short)} has fallen below the noise-free part all the same, "
                 "one draw can fall far from the mean, most of all after few steps")
    return text + "."


def diverged_warning(diverged_at, last, eps, v_hat_there):
    """Where the run left the finite world and, where it is the cause, that it was 0/0 (ε = 0 and v̂ = 0)."""
    zero_over_zero = eps == 0 and np.any(np.asarray(v_hat_there) == 0)
    return (f"**The run left the finite world at step {diverged_at}**: θ became infinite or not a number"
            + (", because ε = 0 and v̂ = 0 there make m̂/(√v̂+ε) a 0/0" if zero_over_zero else "")
            + f". Step {last} shows how it happened; nothing after it is drawn.")


def lr_eff_change(calm, shaken):
    """Per coordinate, "grows", "same" or "shrinks": the noisy run's late α/(√v̂+ε) against the quiet run's,
    "same" unless they are more than 1 % apart (ui.words.compare)."""
    words = {"same": "same", "higher": "grows", "lower": "shrinks"}
    return tuple(words[compare(s, c)] for c, s in zip(calm, shaken))


def quiz_answer(calm, shaken):
    """The option that is true of these runs: one class for both coordinates, or the last option."""
    change = lr_eff_change(calm, shaken)
    return QUIZ_OPTIONS[QUIZ_CLASSES.index(change[0])] if change[0] == change[1] else QUIZ_OPTIONS[-1]


def quiz_reveal(seed, noise, calm, shaken, v_clean_late):
    """The reveal: both runs' median α/(√v̂+ε) over the second half, and which part of v̂ dominates late.

    ``v_clean_late``: the noisy run's median noise-free v̂ over the same half, per coordinate.
    """
    change = lr_eff_change(calm, shaken)
    said = {"grows": "grew", "same": "stayed about the same", "shrinks": "shrank"}
    text = (f"Over the second half of the run (current settings, seed {seed}) the median α/(√v̂+ε) is "
            f"**{short_number(calm[0], 4)}** in x and **{short_number(calm[1], 4)}** in y without noise, and **{short_number(shaken[0], 4)}** and "
            f"**{short_number(shaken[1], 4)}** with σ = {noise:g}: it {said[change[0]]} in x (×{short_number(shaken[0] / calm[0], 3)}) and "
            f"{said[change[1]]} in y (×{short_number(shaken[1] / calm[1], 3)}). "
            "m is an average of g, so zero-mean noise mostly cancels in it; v is an average of g², and squares do "
            "not cancel: (∇f + noise)² has mean (∇f)² + σ². ")
    grew = np.array([c != "shrinks" for c in change])
    if grew.any():
        text += (f"In {_axes_where(grew)} this run did not shrink it: the noisy run takes its own path, and one "
                 "draw of the noise can fall either side of the mean. ")
    noise_wins = np.asarray(v_clean_late) < noise ** 2
    parts = [f"{a}: {short_number(v, 3)}, {'below' if w else 'above'} σ² = {noise ** 2:g}"
             for a, v, w in zip(AXES, v_clean_late, noise_wins)]
    text += f"Late in the noisy run the noise-free part of v̂ is ({'; '.join(parts)}), so "
    if noise_wins.all():
        return text + "σ² is the larger part of v̂ in both coordinates, and α/(√v̂+ε) is close to α/σ."
    if not noise_wins.any():
        return text + ("the gradient's own square still outweighs σ² in both coordinates: the noise adds to v̂ but "
                       "does not dominate it.")
    return text + (f"σ² dominates v̂ in {_axes_where(noise_wins)} only; in {_axes_where(~noise_wins)} the gradient's "
                   "own square still outweighs it.")
