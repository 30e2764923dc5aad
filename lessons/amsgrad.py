"""The AMSGrad lesson (pages/amsgrad.py): its core call and its figure.

The AMSGrad lesson's core call: Adam and AMSGrad on Reddi, Kale & Kumar's online problem, in ONE
batched run (the ``amsgrad`` switch is an array of shape (2, 1)).

As in the paper's Theorem 1: β₁ = 0, β₂ = 1/(1 + C²), step size α/√t, x projected onto [−1, 1]
after every step.  The core's Adam is torch's, so v̂ is bias-corrected (1 − β₂ᵗ, which is ≈ 1
after a few steps at β₂ ≈ 0.1) and ε = 10⁻⁸ sits outside the root; the paper's Adam has neither.

Pure figure builder for the AMSGrad lesson: data in, figure out; no Streamlit calls.

Adam keeps its catalogue colour (vermillion); AMSGrad is Okabe–Ito reddish purple.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

import optimizers as opt
from optimizers import online, schedules
from ui import palette
from ui.axes import log_ticks
from ui.catalog import CATALOG
from ui.divergence import short_number
from ui.words import plural
from ui.figures import FONT, SpecFigure
from ui.narrow import legend_under_panels, panel_heading, with_narrow


LABELS = ("Adam", "AMSGrad")
AMSGRAD = np.array([[False], [True]])
X0 = 0.0


@dataclass(frozen=True)
class Counterexample:
    beta2: float
    x: np.ndarray             # (steps + 1, 2): x_1 = X0 is the first point played
    v: np.ndarray             # (steps, 2): v_t after step t (raw)
    v_max: np.ndarray         # (steps, 2): max_{k≤t} v_k (what AMSGrad divides by)
    regret: np.ndarray        # (steps, 2): R_T / T for T = 1 … steps
    down: np.ndarray          # (2,): the proposed move at the last step with gradient C (≤ 0)
    up: np.ndarray            # (2,): the two proposed moves after it, summed (≥ 0)
    limit: float              # 2(C − 2)/3: R_T/T for a player that sits at x = +1


@st.cache_data(max_entries=64, show_spinner=False)
def counterexample(C: float, steps: int, alpha: float) -> Counterexample:
    """Raises ValueError (the core's sentence) for invalid settings."""
    steps = int(steps)
    beta2 = 1 / (1 + C * C)
    optimizer = schedules.scheduled(lambda lr: opt.adam(lr, beta1=0.0, beta2=beta2, amsgrad=AMSGRAD),
                                    lr=schedules.inverse_sqrt(alpha, steps))
    traj = opt.run(optimizer, lambda x, t: online.grad(x, t, C), np.full((2, 1), X0), steps,
                   bounds=online.BOUNDS, with_step=True, keep_state="raw")
    x = traj.params[..., 0]
    last = 3 * ((steps - 3) // 3) if steps >= 3 else 0     # index of the last step t ≡ 1 (mod 3) with two after it
    updates = traj.updates[..., 0]
    return Counterexample(beta2, x, traj.states["v"][..., 0], traj.states["v_max"][..., 0],
                          online.average_regret(x[:-1], C), updates[last], updates[last + 1:last + 3].sum(axis=0),
                          2 * (C - 2) / 3)


COLORS = {"Adam": CATALOG["adam"].color, "AMSGrad": palette.REDDISH_PURPLE}
# v_t is the same for both runs, so it takes neither run's colour: in Adam's vermillion its legend swatch was
# the twin of "Adam: x_t" (and on the dark theme the two read as one series). Okabe-Ito blue, 5.2:1 / 3.6:1.
V_COLOR = palette.BLUE
GREY = palette.GREY          # the limit line: reads on both themes (#555 was 2.4:1 on the dark one)


def _line(x, y, name, color, axis, dash="solid", width=2.2, legend=True, group=None, opacity=1.0):
    suffix = "" if axis == 1 else str(axis)
    return dict(type="scatter", x=x, y=y, mode="lines", name=name, legendgroup=group or name, showlegend=legend,
                line=dict(color=color, width=width, dash=dash), opacity=opacity, xaxis="x" + suffix,
                yaxis="y" + suffix, hovertemplate=f"{name}<br>t = %{{x}}: %{{y:.4g}}<extra></extra>")


ZOOM = 30        # the v panel shows the first steps only: the pattern repeats every 3 steps


def counterexample_figure(run, labels, height=300):
    """Three panels against t: the point x_t, the second moment (v and AMSGrad's v_max) over the
    first ZOOM steps, R_T/T.  The x_t and R_T/T panels have a log t axis, so both the drift in the
    first steps and the long run are visible.

    Side by side, ``height`` px tall, in a chart at least THREE_ABREAST_PX wide; stacked in a narrower one
    (:func:`_stacked`).  The headings sit in their panels' coordinates and follow them; the legend hangs a fixed
    LEGEND_GAP px under the (lowest) panel, clear of its x title."""
    steps = run.v.shape[0]
    t_points = np.arange(1, steps + 2)          # x_t is played at step t; x[steps] is after the last step
    t = np.arange(1, steps + 1)
    traces = []
    for row, label in enumerate(labels):
        color = COLORS[label]
        traces.append(_line(t_points, run.x[:, row], f"{label}: x_t", color, 1, group=label))
        traces.append(_line(t, run.regret[:, row], f"{label}: R_T/T", color, 3, group=label, legend=False))
    z = slice(0, min(ZOOM, steps))
    # The gradients do not depend on x, so v is the same sequence for both; Adam divides by it.
    traces.append(_line(t[z], run.v[z, 0], "v_t (the same for both; Adam divides by it)", V_COLOR, 2,
                        group="Adam", width=2))
    # Dashed: AMSGrad's colour, told apart from "AMSGrad: x_t" in the legend; v_t's peaks show between the dashes.
    traces.append(_line(t[z], run.v_max[z, 1], "AMSGrad: v_max (divides by)", COLORS["AMSGrad"], 2,
                        group="AMSGrad", width=3, dash="dash"))
    traces.append(_line([1, steps], [run.limit] * 2, "2(C − 2)/3: R_T/T at x = +1", GREY, 3, dash="dot", width=1.5))
    titles = ("<b>x_t</b> (best −1, worst +1)", f"<b>v_t and v_max</b>, first {ZOOM} steps",
              "<b>average regret R_T/T</b>")
    annotations = [{**panel_heading("", panel), "text": text} for panel, text in enumerate(titles, start=1)]
    regret = run.regret[np.isfinite(run.regret)]
    top = max(float(np.max(regret[len(regret) // 10:], initial=run.limit)), run.limit) * 1.3 + 0.05
    layout = dict(font=FONT, margin=dict(l=55, r=10), annotations=annotations,
                  xaxis=dict(domain=[0, 0.28], title=dict(text="step t (log)"), anchor="y", type="log",
                             **log_ticks(t_points)),
                  yaxis=dict(range=[-1.1, 1.1], anchor="x", title=dict(text="x")),
                  xaxis2=dict(domain=[0.36, 0.64], title=dict(text="step t"), anchor="y2"),
                  yaxis2=dict(type="log", anchor="x2", exponentformat="power",
                              **log_ticks(run.v[z, 0], run.v_max[z, 1])),
                  xaxis3=dict(domain=[0.72, 1.0], title=dict(text="T (log)"), anchor="y3", type="log",
                              **log_ticks(t)),
                  yaxis3=dict(anchor="x3", range=[min(0.0, float(np.min(regret, initial=0.0))) - 0.05, top]))
    layout.update(legend_under_panels(layout, 30, height, legend_rows=2))
    layout = with_narrow(layout, _stacked(layout, legend_rows=5), below=THREE_ABREAST_PX)
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


THREE_ABREAST_PX = 640     # three panels side by side need ~210 px each: narrower, the headings ran into each other


def _stacked(layout, legend_rows, panel_px=170, gap_px=100, top_px=34):
    """The narrow arrangement: the three panels one above the other, each the chart's full width and ``panel_px``
    tall, with ``gap_px`` between them for a panel's tick labels and x title and the next one's heading."""
    plot_px = 3 * panel_px + 2 * gap_px
    changes = legend_under_panels(layout, top_px, plot_px, legend_rows)
    for i, suffix in enumerate(("", "2", "3")):
        top = 1.0 - i * (panel_px + gap_px) / plot_px
        changes[f"xaxis{suffix}"] = {**layout[f"xaxis{suffix}"], "domain": [0.0, 1.0]}
        changes[f"yaxis{suffix}"] = {**layout[f"yaxis{suffix}"], "domain": [max(0.0, top - panel_px / plot_px), top]}
    return changes


@st.cache_data(max_entries=64, show_spinner=False)
def variants(C: float, steps: int, alpha: float) -> np.ndarray:
    """x_t of three more runs, in ONE batched core call: (steps + 1, 3).

    Rows: the paper's Adam and AMSGrad (no bias correction of v, ε = 0) and torch's Adam with the usual
    β₂ = 0.999, each at the same C, α/√t, projection and start.  Raises ValueError for invalid settings.
    """
    steps = int(steps)
    beta2 = np.array([[1 / (1 + C * C)], [1 / (1 + C * C)], [0.999]])
    switches = dict(amsgrad=np.array([[False], [True], [False]]), correct_v=np.array([[False], [False], [True]]),
                    eps=np.array([[0.0], [0.0], [1e-8]]))
    optimizer = schedules.scheduled(lambda lr: opt.adam(lr, beta1=0.0, beta2=beta2, **switches),
                                    lr=schedules.inverse_sqrt(alpha, steps))
    traj = opt.run(optimizer, lambda x, t: online.grad(x, t, C), np.full((3, 1), X0), steps,
                   bounds=online.BOUNDS, with_step=True)
    return traj.params[..., 0]


# ---- live sentences: pure functions of the runs (no Streamlit calls) ------------------------------
# The page's fixed text states the problem, its formulas and the paper's theorem, true at every setting.

NEAR = 0.9            # |x| ≥ 0.9: near an end of [−1, 1];  |x| ≤ 0.1: near the start 0
VISIBLE = 0.01        # a difference in x below this is not visible on the x_t panel


def where(x):
    """Where a point of [−1, 1] is, in words."""
    if x >= NEAR:
        return "near +1, the worst point"
    if x <= -NEAR:
        return "near −1, the best point"
    if abs(x) <= 1 - NEAR:
        return "near 0, where it started"
    return "between 0 and +1" if x > 0 else "between −1 and 0"


def paper_caption(run, paper_x):
    """The caption on torch's form against the paper's: the largest difference in x along the run, where it
    is largest (t, 1-based), and from which t on it stays below VISIBLE."""
    gap = np.max(np.abs(paper_x[:, :2] - run.x), axis=1)          # per t, the larger of Adam's and AMSGrad's
    most = np.max(np.abs(paper_x[:, :2] - run.x), axis=0)
    text = (f"As in torch, v̂ = v/(1 − β₂ᵗ) (≈ v after a few steps, since β₂ = {short_number(run.beta2)} here) and ε = 10⁻⁸ sits "
            "outside the root; the paper's version has neither. Run here too, it differs from the core's in x by at "
            f"most {short_number(most[0], 2)} for Adam and {short_number(most[1], 2)} for AMSGrad")
    if gap.max() < VISIBLE:
        return text + ", which changes nothing visible here."
    above = np.flatnonzero(gap >= VISIBLE)
    after = ("and stays that far apart to the end" if above[-1] == len(gap) - 1
             else f"and below {VISIBLE:g} from t = {above[-1] + 2} on")
    return text + f", largest at t = {int(np.argmax(gap)) + 1} {after}."


def core_sentence(run, C, alpha_text, steps):
    """Where each ended and its average regret; AMSGrad's regret falling or not, from the run."""
    end, regret = run.x[-1], run.regret[-1]
    half = run.regret[len(run.regret) // 2]
    trend = ("falling (it was " f"{short_number(half[1])} at T = {len(run.regret) // 2 + 1})" if regret[1] < half[1]
             else "not falling within these steps")
    return (f"**From the core**, with C = {C:g} (β₂ = 1/(1 + C²) = {short_number(run.beta2)}), α = {alpha_text} and "
            f"{plural(steps, 'step')}: Adam ends at **x = {short_number(end[0])}**, {where(end[0])}; AMSGrad at **x = {short_number(end[1])}**, "
            f"{where(end[1])}. The average regret R_T/T is **{short_number(regret[0])}** for Adam (a player stuck at +1 pays "
            f"2(C − 2)/3 = {short_number(run.limit)} per step) and **{short_number(regret[1])}** for AMSGrad, {trend}.")


def last_round(steps):
    """Index of the last step t ≡ 1 (mod 3) with two steps after it (0-based), as ``counterexample`` uses."""
    return 3 * ((steps - 3) // 3)


def why_sentence(run):
    """Why Adam drifts up, from the last full round: v at its three steps and the proposed moves."""
    k = last_round(run.v.shape[0])
    v = run.v[k:k + 3, 0]
    climbs = run.up[0] > -run.down[0]
    wins = run.up[1] < -run.down[1]
    return (
        f"**Why Adam {'drifts' if climbs else 'would drift'} up.** β₂ = 1/(1 + C²) = {short_number(run.beta2)} is small: each step v keeps only that fraction of "
        f"its old value. In the last full round (t = {k + 1}, {k + 2}, {k + 3}) Adam's v was **{short_number(v[0], 3)}** at the large "
        f"gradient (C² = {short_number(1 / run.beta2 - 1)}), then **{short_number(v[1], 3)}** and **{short_number(v[2], 3)}** at the two small ones: each small gradient is "
        f"divided by a small √v. The core proposed **{short_number(run.down[0])}** at the large gradient and "
        f"**+{short_number(run.up[0])}** at the two small ones together: "
        + ("two up beat one down, and x climbs. " if climbs else "this round the one down step is the larger. ")
        + f"AMSGrad divides by the largest v so far, **{short_number(run.v_max[k + 2, 1], 3)}**, which still remembers the large "
        f"gradient: its two small steps add up to only **+{short_number(run.up[1])}** against **{short_number(run.down[1])}**, "
        + ("and the large gradient wins, as it should." if wins else "and even so the small ones win this round."))


def usual_beta2_sentence(usual_x):
    """Adam with β₂ = 0.999 at the learner's C, α and steps: where it ends, in words."""
    return (f"With the usual β₂ = 0.999 and the same C, α and steps, Adam ends at x = {short_number(usual_x, 3)}, {where(usual_x)}"
            + (": this problem does not trap it." if usual_x <= -NEAR else
               ": at these settings it does not reach the best point either." if usual_x > 1 - NEAR else "."))


QUIZ_OPTIONS = ("Near −1: a gradient that large finally wins", "Between −1 and 0: heading for the best point",
                "Near 0, where it started", "Between 0 and +1: climbing, not there yet", "Near +1, the worst point")


def quiz_answer(x):
    """The option whose region of [−1, 1] holds Adam's final x."""
    if x <= -NEAR:
        return QUIZ_OPTIONS[0]
    if x >= NEAR:
        return QUIZ_OPTIONS[4]
    if abs(x) <= 1 - NEAR:
        return QUIZ_OPTIONS[2]
    return QUIZ_OPTIONS[3] if x > 0 else QUIZ_OPTIONS[1]


def quiz_question(C, quiz_C, alpha_text, steps, beta2):
    change = f"Set C to {quiz_C:g}" if C == quiz_C else f"Raise C from {C:g} to {quiz_C:g}"
    return (f"{change} (α = {alpha_text}, {plural(steps, 'step')}): the informative gradient is {quiz_C:g} times the two small "
            f"ones, and β₂ = 1/(1 + C²) = {short_number(beta2)}. Where does **Adam** end?")


def quiz_reveal(big, quiz_C):
    return (f"The core at C = {quiz_C:g}: Adam at **x = {short_number(big.x[-1, 0])}**, AMSGrad at **x = {short_number(big.x[-1, 1])}**; "
            f"Adam's average regret is **{short_number(big.regret[-1, 0])}** (2(C − 2)/3 = {short_number(big.limit)}). A larger C makes "
            "β₂ smaller, so v forgets the large gradient even faster, and the small gradients keep getting steps "
            "of nearly α/√t. With very few steps or a tiny α neither optimizer has gone far yet: move the sliders "
            "and see.")
