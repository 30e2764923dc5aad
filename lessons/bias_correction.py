"""The bias-correction lesson (pages/bias_correction.py): its core calls and its figures.

The runs: Adam with each combination of the two corrections in ONE batched call, and a gradient
spike after zeros.

Pure figure builders for the bias-correction lesson: plain data in, a figure spec out; no Streamlit.

Colours (Okabe–Ito) carry the meaning through the page: blue is everything about m and its
correction, reddish purple everything about v, vermillion is Adam as torch runs it (both
corrections, the same colour as Adam on every page), black is Adam with no correction at all.
Raw quantities are dashed, corrected ones solid, so the pairs stay apart in grey-scale too.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

import optimizers as opt
from ui.controls import fmt_number
from ui.figures import FONT, SpecFigure


# (label, correct m, correct v): the four runs of the bias-correction page, in one batch.
CORRECTIONS = (("both corrected", True, True), ("none", False, False), ("only m corrected", True, False),
               ("only v corrected", False, True))


BIAS_START = 8.0        # on the parabola (θ − 2)², where the gradient at the start is 12


@dataclass(frozen=True)
class BiasRuns:
    """Adam with each combination of the two corrections, from the same start, as plain arrays."""

    labels: tuple
    theta: np.ndarray         # (steps + 1, 4) the iterates
    step_over_lr: np.ndarray  # (steps, 4) |θ_t − θ_{t−1}| / α
    first: np.ndarray         # (4,) the first step over α, as the core took it
    closed: np.ndarray        # (4,) the same from the closed forms (ε → 0)
    grads: np.ndarray         # (steps, 4)
    states: dict              # "m", "v", "m_hat", "v_hat": (steps, 4)
    diverged_at: np.ndarray   # (4,)
    curve_t: np.ndarray       # t for the curves 1 − βᵗ
    curves: tuple             # (1 − β₁ᵗ, 1 − β₂ᵗ) at curve_t
    half: tuple               # the first t where 1 − β₁ᵗ, 1 − β₂ᵗ reach one half
    bc_at_10: tuple           # 1 − β₁¹⁰, 1 − β₂¹⁰
    bc_at_end: tuple          # 1 − β₁ᵗ, 1 − β₂ᵗ at the last step of the runs
    m1_over_g1: np.ndarray    # (4,) m₁ / g₁: the raw first moment after one step, relative to g₁
    root_v1_over_g1: np.ndarray  # (4,) √v₁ / |g₁|


def _first_half(beta):
    t = 1 if beta == 0 else int(np.ceil(np.log(0.5) / np.log(beta)))
    while opt.bias_correction(beta, t) < 0.5:
        t += 1
    return t


@st.cache_data(max_entries=256, show_spinner=False)
def bias_runs(lr: float, beta1: float, beta2: float, eps: float, steps: int) -> BiasRuns:
    """One batched Adam call: x0 of shape (4, 1), the switches of shape (4, 1). Raises ValueError."""
    surface = opt.surfaces.get("parabola")
    correct_m = np.array([[m] for _, m, _ in CORRECTIONS])
    correct_v = np.array([[v] for _, _, v in CORRECTIONS])
    traj = opt.run(opt.adam(lr, beta1, beta2, eps, correct_m=correct_m, correct_v=correct_v), surface.grad,
                   np.full((len(CORRECTIONS), 1), BIAS_START), int(steps), keep_state=True)
    theta = traj.params[..., 0]
    steps_taken = np.abs(np.diff(theta, axis=0)) / lr
    root = np.sqrt(1 - beta2)
    closed = np.array([1.0, (1 - beta1) / root, 1 / root, 1 - beta1])
    horizon = max(100.0, 10.0 ** np.ceil(np.log10(5 / (1 - max(beta1, beta2)))))
    curve_t = np.unique(np.round(np.geomspace(1, horizon, 400)))
    return BiasRuns(tuple(label for label, _, _ in CORRECTIONS), theta, steps_taken, steps_taken[0], closed,
                    traj.grads[..., 0], {k: traj.states[k][..., 0] for k in ("m", "v", "m_hat", "v_hat")},
                    traj.diverged_at, curve_t,
                    (opt.bias_correction(beta1, curve_t), opt.bias_correction(beta2, curve_t)),
                    (_first_half(beta1), _first_half(beta2)),
                    (opt.bias_correction(beta1, 10), opt.bias_correction(beta2, 10)),
                    (opt.bias_correction(beta1, int(steps)), opt.bias_correction(beta2, int(steps))),
                    traj.states["m"][0, :, 0] / traj.grads[0, :, 0],
                    np.sqrt(traj.states["v"][0, :, 0]) / np.abs(traj.grads[0, :, 0]))


class SpikeGradient:
    """A gradient of 0 for the first ``zeros`` calls, then ``spike`` once, then 0 again (a rare feature)."""

    def __init__(self, zeros, spike):
        self.zeros, self.spike, self.calls = zeros, spike, 0

    def __call__(self, params):
        self.calls += 1
        return np.full(np.shape(params), self.spike if self.calls == self.zeros + 1 else 0.0)


@dataclass(frozen=True)
class SpikeRuns:
    """Adam with and without both corrections on a gradient that is zero except at step zeros + 1."""

    t_spike: int              # the step at which the spike arrives
    bc2_at_spike: float       # 1 − β₂ᵗ there: the weight the correction assumes v has collected
    t: np.ndarray             # the step numbers shown, around the spike
    step_over_lr: np.ndarray  # (len(t), 2) −(θ_t − θ_{t−1}) / α: the move against the spike's sign
    at_spike: np.ndarray      # (2,) the step at the spike over α, as the core took it
    closed: np.ndarray        # (2,) the same from the closed forms (ε → 0)
    total: np.ndarray         # (2,) the whole move from the spike on, over α
    diverged_at: np.ndarray   # (2,)


@st.cache_data(max_entries=128, show_spinner=False)
def spike_runs(lr: float, beta1: float, beta2: float, eps: float, zeros: int, spike: float,
               after: int) -> SpikeRuns:
    switch = np.array([[True], [False]])
    traj = opt.run(opt.adam(lr, beta1, beta2, eps, correct_m=switch, correct_v=switch),
                   SpikeGradient(int(zeros), spike), np.zeros((2, 1)), int(zeros) + 1 + int(after))
    moves = -np.sign(spike) * np.diff(traj.params[..., 0], axis=0) / lr     # row k is step k + 1
    t_spike = int(zeros) + 1
    shown = np.arange(max(1, t_spike - 5), t_spike + int(after) + 1)
    corrected = ((1 - beta1) / opt.bias_correction(beta1, t_spike)
                 / np.sqrt((1 - beta2) / opt.bias_correction(beta2, t_spike)))
    return SpikeRuns(t_spike, float(opt.bias_correction(beta2, t_spike)), shown, moves[shown - 1], moves[t_spike - 1],
                     np.array([corrected, (1 - beta1) / np.sqrt(1 - beta2)]),
                     np.sum(moves[t_spike - 1:], axis=0), traj.diverged_at)


M_BLUE = "#0072B2"
V_PURPLE = "#CC79A7"
ADAM = "#D55E00"        # ui.catalog's Adam colour
NONE = "#000000"
GREY = "#999999"


# The four runs, in ui.runs.CORRECTIONS order: (colour, dash).
RUN_STYLES = ((ADAM, "solid"), (NONE, "dash"), (M_BLUE, "dot"), (V_PURPLE, "dashdot"))


SPIKE_STYLES = ((ADAM, "solid"), (NONE, "dash"))


def _line(x, y, name, color, dash="solid", width=2.5, group=None, xaxis="x", yaxis="y", show=True, hover=None):
    return dict(type="scatter", x=x, y=y, mode="lines", name=name, legendgroup=group or name, showlegend=show,
                line=dict(color=color, width=width, dash=dash), xaxis=xaxis, yaxis=yaxis,
                hovertemplate=hover or f"{name}<br>t = %{{x}}<br>%{{y:.6g}}<extra></extra>")


def _layout(height, **extra):
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=50), hovermode="x unified",
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    layout.update(extra)
    return layout


def _two_panels(left_title, right_title, x_title, right_log=False, left_log=False):
    """Axes for two side-by-side panels sharing nothing but the x title."""
    def axis_y(title, log, anchor):
        axis = dict(title=dict(text=title), anchor=anchor, exponentformat="power")
        if log:
            axis["type"] = "log"
        return axis

    return dict(
        xaxis=dict(domain=[0.0, 0.44], title=dict(text=x_title), anchor="y"),
        yaxis=axis_y(left_title, left_log, "x"),
        xaxis2=dict(domain=[0.56, 1.0], title=dict(text=x_title), anchor="y2"),
        yaxis2=axis_y(right_title, right_log, "x2"),
    )


def correction_curves(t, curves, betas, half, steps, height=360):
    """1 − β₁ᵗ and 1 − β₂ᵗ against t on a log axis, with where each reaches one half and the run length."""
    traces, annotations = [], []
    for curve, beta, t_half, color, index in zip(curves, betas, half, (M_BLUE, V_PURPLE), "₁₂"):
        name = f"1 − β{index}ᵗ  (β{index} = {beta:g})"
        traces.append(_line(t, curve, name, color, width=3,
                            hover=f"1 − β{index}ᵗ<br>t = %{{x}}<br>%{{y:.6g}}<extra></extra>"))
        traces.append(dict(type="scatter", x=[t_half], y=[0.5], mode="markers", showlegend=False,
                           marker=dict(color=color, size=11, line=dict(color="white", width=1.5)),
                           hovertemplate=f"1 − β{index}ᵗ reaches ½ at t = {t_half}<extra></extra>"))
        annotations.append(dict(x=float(np.log10(t_half)), y=0.5, xref="x", yref="y", showarrow=False,
                                text=f"½ at t = {t_half}", font=dict(color=color, size=13),
                                xanchor="left", yanchor="top", xshift=8, yshift=-4))
    shapes = [dict(type="line", xref="x", yref="paper", x0=steps, x1=steps, y0=0, y1=1,
                   line=dict(color=GREY, width=1.5, dash="dot"))]
    annotations.append(dict(x=float(np.log10(steps)), y=0.75, xref="x", yref="paper", showarrow=False,
                            text=f"the runs below:<br>{steps} steps", font=dict(color="#555555", size=12),
                            xanchor="right", align="right", xshift=-4, bgcolor="rgba(255,255,255,0.8)"))
    layout = _layout(height, shapes=shapes, annotations=annotations, hovermode="closest",
                     xaxis=dict(title=dict(text="step t  (log scale)"), type="log", exponentformat="power"),
                     yaxis=dict(title=dict(text="total weight 1 − βᵗ"), range=[-0.03, 1.05]))
    return SpecFigure(dict(data=traces, layout=layout))


def moments_figure(grads, states, height=380):
    """One run of Adam (both corrections): g, m, m̂ on the left; g², v, v̂ on the right (log scale)."""
    t = np.arange(1, len(grads) + 1)
    traces = [
        _line(t, grads, "gradient g", GREY, width=2),
        _line(t, states["m"], "m (raw)", M_BLUE, "dash"),
        _line(t, states["m_hat"], "m̂ = m / (1 − β₁ᵗ)", M_BLUE),
        _line(t, grads * grads, "g²", GREY, "dot", width=2, xaxis="x2", yaxis="y2"),
        _line(t, states["v"], "v (raw)", V_PURPLE, "dash", xaxis="x2", yaxis="y2"),
        _line(t, states["v_hat"], "v̂ = v / (1 − β₂ᵗ)", V_PURPLE, xaxis="x2", yaxis="y2"),
    ]
    layout = _layout(height, **_two_panels("first moment: g, m, m̂", "second moment: g², v, v̂  (log)",
                                           "step t", right_log=True))
    return SpecFigure(dict(data=traces, layout=layout))


def four_runs_figure(labels, theta, step_over_lr, minimum=2.0, height=420):
    """The four runs: θ_t against t on the left, the step size over α on a log axis on the right."""
    traces = []
    t_points = np.arange(theta.shape[0])
    t_steps = np.arange(1, step_over_lr.shape[0] + 1)
    for k, (label, (color, dash)) in enumerate(zip(labels, RUN_STYLES)):
        traces.append(_line(t_points, theta[:, k], label, color, dash, group=label,
                            hover=f"{label}<br>t = %{{x}}<br>θ = %{{y:.6g}}<extra></extra>"))
        traces.append(_line(t_steps, step_over_lr[:, k], label, color, dash, group=label, xaxis="x2",
                            yaxis="y2", show=False,
                            hover=f"{label}<br>step %{{x}}<br>|Δθ|/α = %{{y:.4g}}<extra></extra>"))
    shapes = [dict(type="line", xref="x domain", yref="y", x0=0, x1=1, y0=minimum, y1=minimum,
                   line=dict(color=GREY, width=1.5, dash="dot")),
              dict(type="line", xref="x2 domain", yref="y2", x0=0, x1=1, y0=1, y1=1,
                   line=dict(color=GREY, width=1.5, dash="dot"))]
    annotations = [dict(xref="x domain", yref="y", x=1, y=minimum, text="minimum θ = 2", showarrow=False,
                        xanchor="right", yanchor="top", yshift=-2, font=dict(color="#555555", size=12)),
                   dict(xref="x2 domain", yref="y2", x=0.02, y=0, text="a step of exactly α", showarrow=False,
                        xanchor="left", yanchor="bottom", font=dict(color="#555555", size=12))]
    layout = _layout(height, shapes=shapes, annotations=annotations, hovermode="closest",
                     **_two_panels("θₜ", "step size |θₜ − θₜ₋₁| / α  (log)", "step t", right_log=True))
    layout["xaxis2"].update(type="log", title=dict(text="step t  (log scale)"))
    return SpecFigure(dict(data=traces, layout=layout))


def spike_figure(t, step_over_lr, t_spike, labels=("both corrected", "none"), height=380):
    """The step over α around a lone gradient spike, with and without the corrections."""
    traces = [_line(t, step_over_lr[:, k], label, color, dash, group=label,
                    hover=f"{label}<br>step %{{x}}<br>step / α = %{{y:.4g}}<extra></extra>")
              for k, (label, (color, dash)) in enumerate(zip(labels, SPIKE_STYLES))]
    shapes = [dict(type="line", xref="x", yref="paper", x0=t_spike, x1=t_spike, y0=0, y1=1,
                   line=dict(color=GREY, width=1.5, dash="dot"))]
    annotations = [dict(x=t_spike, y=1, xref="x", yref="paper", showarrow=False, xanchor="left", yanchor="top",
                        xshift=4, text=f"the spike, step {t_spike}", font=dict(color="#555555", size=12))]
    layout = _layout(height, shapes=shapes, annotations=annotations, hovermode="closest",
                     xaxis=dict(title=dict(text="step t")),
                     yaxis=dict(title=dict(text="step against the spike's sign, in units of α")))
    return SpecFigure(dict(data=traces, layout=layout))


# ---- the live sentences: pure functions from the runs' numbers to Markdown ------------------------
#
# Each builder below quotes numbers of the run it is given and chooses its words from them
# ("too large" only where the step exceeds α).  Sentences true at every setting stay in the page.

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
    if v_hat > g_squared:
        text += (f"There v̂ = {fixed(v_hat)} is {'far ' if v_hat > 10 * g_squared else ''}above g² = "
                 f"{fixed(g_squared)}: v̂ is a weighted mean of g² over the past steps, and the larger gradients "
                 "of earlier steps still count in it. ")
    else:
        text += (f"There v̂ = {fixed(v_hat)} is not above g² = {fixed(g_squared)}: "
                 "the earlier gradients no longer weigh on it. ")
    return text + f"Adam's last step is **{ratio_text(step)}α**, {_against_alpha(step)}."


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
    parts.append(f"Correcting only m gives **{ratio_text(only_m)}α**, {size_verdict(only_m)}"
                 + (", larger than with no correction." if only_m > none * (1 + SAME_AS_ALPHA)
                    else ", the same as with no correction (β₁ = 0: m has nothing to correct)."))
    parts.append(f"Correcting only v gives **{ratio_text(only_v)}α**, {size_verdict(only_v)}"
                 + (": the slow start the story describes." if size_verdict(only_v) == "too small" and beta1 > 0
                    and size_verdict(m_factor) == "too small" else "."))
    parts.append("Both corrections together give m̂₁/√v̂₁ = g₁/|g₁|, a first step of α as ε → 0: "
                 f"**{ratio_text(both)}α** here"
                 + ("." if size_verdict(both) == "α itself"
                    else f", below α because ε = {fmt_number(eps)} is not small against |g₁| = {fixed(abs(g1))}."))
    return " ".join(parts)


def _why_none(none, closed_none, m_factor, v_factor, eps, g1):
    """The uncorrected first step with the reason for its verdict (the closed form's, or ε's)."""
    verdict = size_verdict(none)
    told = f"the uncorrected first step is **{ratio_text(none)}α**, {verdict}"
    if verdict != size_verdict(closed_none):
        return (f"As ε → 0 the uncorrected first step would be (1 − β₁)/√(1 − β₂) = {fixed(closed_none)}α; "
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
    said = lambda n: "never" if n == 0 else f"in {n} of its {total} steps"   # noqa: E731
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
    text += (f"The step at the spike is **{ratio_text(both)}α** with the corrections "
             f"({_against_alpha(both)}) and **{ratio_text(none)}α** without ({_against_alpha(none)}). ")
    if np.allclose(at_spike, closed, rtol=1e-3):
        text += "Those are the closed forms (ε → 0): the size of g does not matter while ε is small against it. "
    else:
        text += (f"As ε → 0 they would be {fixed(closed[0])}α and {fixed(closed[1])}α; ε = {fmt_number(eps)} is not small "
                 "against this spike, and shrinks them. ")
    if beta1 > 0:
        text += (f"The momentum then keeps moving after the gradient is gone: **{fixed(total[0])}α** in all "
                 f"with the corrections ({fixed(total[0] / both, 3)} times the step at the spike), "
                 f"**{fixed(total[1])}α** without. ")
    else:
        text += ("With β₁ = 0 there is no momentum: the move stops with the gradient, "
                 f"**{fixed(total[0])}α** in all with the corrections, **{fixed(total[1])}α** without. ")
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
            f"uncorrected first step of **{ratio_text(step)}α**, {size_verdict(step)}. m₁ is "
            f"{fixed(m_ratio)}·g₁, so far the slow-start story is right; but √v₁ is only {fixed(v_ratio)}·|g₁|, and "
            f"the step divides one by the other: (1 − β₁)/√(1 − β₂) = {fixed(m_ratio / v_ratio)}. ")
    if size_verdict(step) == "too large":
        text += "At these settings bias correction keeps the first steps from being too **large**. "
    mine = yours[0]
    return text + (f"At your settings (β₁ = {beta1:g}, β₂ = {beta2:g}, ε = {fmt_number(eps)}) the uncorrected first step "
                   f"is **{ratio_text(mine)}α**, {size_verdict(mine)}"
                   + ("." if size_verdict(mine) != "α itself" else ": the two biases cancel there."))
