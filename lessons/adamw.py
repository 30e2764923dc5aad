"""The AdamW lesson (pages/adamw.py): its core calls and its figures.

The AdamW lesson's core calls: Adam with L2 against AdamW, each pair in ONE batched run.

Row 0 of every batch is Adam + L2 (λθ added to the gradient, ``weight_decay``), row 1 is AdamW
(θ shrunk by 1 − αλ before the step, ``decoupled_weight_decay=True``); the switch is an array
of shape (2, 1) that the core broadcasts.

Pure figure builders for the AdamW lesson: data in, figure out; no Streamlit calls.

Adam + L2 keeps Adam's catalogue colour (vermillion); AdamW is Okabe–Ito blue.  The three
weights of the zero-gradient run are told apart by dash, the same in both panels.
"""

from dataclasses import dataclass

import numpy as np
import streamlit as st

import optimizers as opt
from ui.catalog import CATALOG
from ui.figures import FONT, SpecFigure


LABELS = ("Adam + L2", "AdamW")
DECOUPLED = np.array([[False], [True]])
WEIGHTS = (4.0, 1.0, 0.25)               # the zero-gradient run's starting weights
SCALES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)   # the gradient scales c, 10⁻² … 10²
SURFACE = "parabola"                     # f(θ) = (θ − 2)²: the minimum is away from 0, where decay pulls


def _pair(lr, weight_decay, batch_ndim=1):
    """Adam + L2 and AdamW as one optimizer; the switch gets one axis per batch axis after the pair."""
    switch = DECOUPLED.reshape((2,) + (1,) * batch_ndim)
    return opt.adam(lr, weight_decay=weight_decay, decoupled_weight_decay=switch)


@dataclass(frozen=True)
class ZeroGradient:
    """Both optimizers on a loss whose gradient is zero everywhere: only the decay acts."""

    theta: np.ndarray         # (steps + 1, 2, len(WEIGHTS)): row 0 Adam + L2, row 1 AdamW
    law: np.ndarray           # (steps + 1, len(WEIGHTS)): θ₀(1 − αλ)^k, the decoupled decay law
    ratio: np.ndarray         # (steps + 1, 2, len(WEIGHTS)): θ_k / θ₀
    law_ratio: float          # (1 − αλ)^steps
    alpha_steps: float        # steps·α: how far steps of exactly α would go


@st.cache_data(max_entries=64, show_spinner=False)
def zero_gradient(lr: float, weight_decay: float, steps: int) -> ZeroGradient:
    """Raises ValueError (the core's sentence) for invalid settings."""
    x0 = np.tile(np.array(WEIGHTS), (2, 1))
    traj = opt.run(_pair(lr, weight_decay), np.zeros_like, x0, int(steps))
    k = np.arange(int(steps) + 1)[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        law = np.array(WEIGHTS) * np.float64(decay_factor(lr, weight_decay)) ** k
    law[~np.isfinite(law)] = np.nan          # |1 − αλ| > 1 grows without bound: nothing to draw there
    return ZeroGradient(traj.params, law, traj.params / np.array(WEIGHTS), float(law[-1, 0] / WEIGHTS[0]),
                        int(steps) * lr)


def decay_factor(lr, weight_decay):
    """AdamW's per-step factor 1 − αλ."""
    return 1 - lr * weight_decay


@dataclass(frozen=True)
class Rescaled:
    """Both optimizers on c·f for every c in SCALES, from θ₀ = 8, in one call."""

    scales: np.ndarray        # (len(SCALES),)
    theta: np.ndarray         # (steps + 1, 2, len(SCALES))
    final: np.ndarray         # (2, len(SCALES)): θ after the last step
    l2_minimum: np.ndarray    # (len(SCALES),): the minimiser of c·f + λθ²/2, 4c/(2c + λ)
    diverged_at: np.ndarray   # (2, len(SCALES))

    def at(self, c):
        """θ after the last step at gradient scale c: (Adam + L2, AdamW)."""
        return self.final[:, int(np.flatnonzero(np.isclose(self.scales, c))[0])]

    @property
    def spread(self):
        """(Adam + L2, AdamW): the largest minus the smallest end point over all c (NaN if any diverged)."""
        return self.final.max(axis=1) - self.final.min(axis=1)


@st.cache_data(max_entries=64, show_spinner=False)
def rescaled(lr: float, weight_decay: float, steps: int, scales: tuple = SCALES) -> Rescaled:
    surface = opt.surfaces.get(SURFACE)
    c = np.array(scales, dtype=float)
    x0 = np.full((2, len(c), 1), surface.start[0])
    traj = opt.run(_pair(lr, weight_decay, 2), lambda x: c[:, None] * surface.grad(x), x0, int(steps))
    theta = traj.params[..., 0]
    # c·2(θ − 2) + λθ = 0: where Adam + L2 (which minimises c·f + λθ²/2) settles.
    return Rescaled(c, theta, theta[-1], 4 * c / (2 * c + weight_decay), traj.diverged_at)


COLORS = {"Adam + L2": CATALOG["adam"].color, "AdamW": "#0072B2"}
DASHES = ("solid", "dash", "dot")
GREY = "#555555"


def _line(x, y, name, color, xaxis="x", yaxis="y", dash="solid", width=2.5, group=None, legend=True, hover=""):
    return dict(type="scatter", x=x, y=y, mode="lines", name=name, legendgroup=group or name, showlegend=legend,
                line=dict(color=color, width=width, dash=dash), xaxis=xaxis, yaxis=yaxis,
                hovertemplate=hover or f"{name}<br>step %{{x}}: %{{y:.4g}}<extra></extra>")


def decay_figure(zero, weights, labels, height=420):
    """Two panels against the step: each weight under Adam + L2 (left) and AdamW (right), zero gradient.

    The right panel also draws θ₀(1 − αλ)^k as black dots: AdamW's weights lie on it.
    """
    steps = np.arange(zero.theta.shape[0])
    traces = []
    for row, (label, axis) in enumerate(zip(labels, ("", "2"))):
        for j, (w, dash) in enumerate(zip(weights, DASHES)):
            traces.append(_line(steps, zero.theta[:, row, j], f"{label}: θ₀ = {w:g}", COLORS[label],
                                "x" + axis, "y" + axis, dash=dash, group=label))
    every = max(1, len(steps) // 25)
    for j, w in enumerate(weights):
        traces.append(dict(type="scatter", x=steps[::every], y=zero.law[::every, j], mode="markers",
                           name="θ₀(1 − αλ)ᵏ", legendgroup="law", showlegend=j == 0, xaxis="x2", yaxis="y2",
                           marker=dict(color="#000000", size=5, symbol="circle-open"),
                           hovertemplate=f"θ₀ = {w:g}: θ₀(1 − αλ)^%{{x}} = %{{y:.4g}}<extra></extra>"))
    low = min(0.0, float(np.nanmin(zero.theta)))
    high = float(max(weights)) * 1.05
    annotations = [dict(text=f"<b>{label}</b>", x=x, y=1.0, xref="paper", yref="paper", xanchor="center",
                        yanchor="bottom", showarrow=False, font=dict(size=14, color=COLORS[label]))
                   for label, x in zip(labels, (0.225, 0.775))]
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=10, t=30, b=110), annotations=annotations,
                  xaxis=dict(domain=[0, 0.45], title=dict(text="step k"), anchor="y"),
                  yaxis=dict(title=dict(text="weight θₖ"), range=[low - 0.1, high], anchor="x"),
                  xaxis2=dict(domain=[0.55, 1.0], title=dict(text="step k"), anchor="y2"),
                  yaxis2=dict(range=[low - 0.1, high], anchor="x2", matches="y"),
                  legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


def rescale_figure(res, c, labels, minimum=2.0, height=440):
    """Left: θ_t on c·f (solid) and on f (dashed) for both.  Right: where each ends, for every c.

    ``res`` is an ``Rescaled``; ``c`` one of ``res.scales``.
    """
    k = int(np.flatnonzero(np.isclose(res.scales, c))[0])
    one = int(np.flatnonzero(np.isclose(res.scales, 1.0))[0])
    steps = np.arange(res.theta.shape[0])
    traces = []
    for row, label in enumerate(labels):
        color = COLORS[label]
        traces.append(_line(steps, res.theta[:, row, k], f"{label} on c·f", color, group=label))
        traces.append(_line(steps, res.theta[:, row, one], f"{label} on f (c = 1)", color, dash="dash", width=1.5,
                            group=label))
        traces.append(dict(type="scatter", x=res.scales, y=res.final[row], mode="lines+markers",
                           name=f"{label}: final θ", legendgroup=label, showlegend=False, xaxis="x2", yaxis="y2",
                           line=dict(color=color, width=2.5), marker=dict(color=color, size=7),
                           hovertemplate=f"{label}<br>c = %{{x:.3g}}: final θ = %{{y:.5g}}<extra></extra>"))
    traces.append(dict(type="scatter", x=res.scales, y=res.l2_minimum, mode="lines", name="minimum of c·f + λθ²/2",
                       xaxis="x2", yaxis="y2", line=dict(color=GREY, width=1.5, dash="dot"),
                       hovertemplate="4c/(2c + λ) = %{y:.5g}<extra></extra>"))
    traces.append(dict(type="scatter", x=[c, c], y=[float(res.final[0, k]), float(res.final[1, k])], mode="markers",
                       name=f"now: c = {c:g}", xaxis="x2", yaxis="y2",
                       marker=dict(color="rgba(0,0,0,0)", size=15, line=dict(color="#000000", width=2)),
                       hovertemplate="the current c<extra></extra>"))
    finite = res.theta[np.isfinite(res.theta)]
    span = [min(0.0, float(finite.min())) - 0.2, float(finite.max()) + 0.3] if finite.size else [-1, 9]
    annotations = [dict(text="<b>θ over the run</b>", x=0.0, y=1.0, xref="paper", yref="paper", xanchor="left",
                        yanchor="bottom", showarrow=False),
                   dict(text="<b>final θ for every c</b>", x=0.56, y=1.0, xref="paper", yref="paper",
                        xanchor="left", yanchor="bottom", showarrow=False)]
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=10, t=30, b=110), annotations=annotations,
                  xaxis=dict(domain=[0, 0.46], title=dict(text="step t"), anchor="y"),
                  yaxis=dict(title=dict(text="θ"), range=span, anchor="x"),
                  xaxis2=dict(domain=[0.56, 1.0], type="log", title=dict(text="gradient scale c"), anchor="y2",
                              exponentformat="power"),
                  yaxis2=dict(anchor="x2", title=dict(text="final θ"),
                              range=[min(0.0, float(np.nanmin(res.final))) - 0.1, minimum * 1.2]),
                  shapes=[dict(type="line", xref="x2 domain", yref="y2", x0=0, x1=1, y0=minimum, y1=minimum,
                               line=dict(color=GREY, width=1))],
                  legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


# ---- the live sentences: pure functions from the runs' numbers to Markdown ------------------------
#
# Each builder quotes numbers of the runs it is given and chooses its words from them.  The
# page's fixed prose holds at every setting (it says "ε aside" and "λ > 0" where it must).

SETTLED = 0.01           # an end point within this distance of 4c/(2c + λ) has settled on it
SAME_DIGITS = 1e-6       # end points within this fraction of their size are "the same"
QUIZ = dict(lr=0.05, weight_decay=0.1, steps=40, start=4.0)    # the question's own settings
QUIZ_DECAYS = (0.01, 0.1, 1.0, 10.0)                            # the λ the reveal runs to show λ cancels


def fixed(value, digits=4):
    return f"{value:.{digits}g}"


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
            reached.append(f"θ₀ = {w:g} at step {k} (θ₀/α = {fixed(w / lr, 3)})")
        else:
            mean = abs(w - theta_l2[-1, j]) / (steps * lr)
            moving.append(f"θ₀ = {w:g} is at {fixed(theta_l2[-1, j])}, having moved {fixed(mean, 3)}α per step "
                          "on average")
            slowed.append(abs(theta_l2[-1, j] - theta_l2[-2, j]) < abs(theta_l2[1, j] - theta_l2[0, j]))
    firsts = sorted({fixed(abs(w - theta_l2[1, j]) / lr) for j, w in enumerate(weights)})
    text = (f"The first step of each is {firsts[0]}α. " if len(firsts) == 1 else
            f"The first steps are {_listing([f'{x}α' for x in firsts])}: ε is not small against every λθ₀. ")
    if reached:
        text += f"Reached zero: {_listing(reached)}. "
    if moving:
        text += f"Not yet at zero after {steps} steps: {_listing(moving)}. "
    if slowed and all(slowed):
        text += ("Those weights slowed down: v̂ still remembers the larger λθ of the start, "
                 "while m̂ follows the smaller λθ of now. ")
    return text


def zero_gradient_sentence(zero, steps, lr, weight_decay, lr_text, wd_text):
    """After ``steps`` steps on ∇f = 0: AdamW's fractions (one number, (1 − αλ)^steps) and Adam + L2's."""
    head = f"After **{steps}** steps (α = {lr_text}, λ = {wd_text}), from the core:\n\n"
    if weight_decay == 0:
        return head + ("- With λ = 0 there is no decay and no gradient at all: both optimizers leave every weight "
                       "where it started (fractions "
                       f"**{', '.join(fixed(r) for r in zero.ratio[-1, 0])}** and "
                       f"**{', '.join(fixed(r) for r in zero.ratio[-1, 1])}**).")
    l2 = zero.theta[:, 0, :]
    return head + (
        f"- **AdamW** kept the fractions **{', '.join(fixed(r) for r in zero.ratio[-1, 1])}** of the three weights; "
        f"(1 − αλ)^{steps} = **{fixed(zero.law_ratio)}**. One number for all three: the decay is proportional.\n"
        f"- **Adam + L2** kept **{', '.join(fixed(r) for r in zero.ratio[-1, 0])}**. "
        + l2_weights_sentence(l2, lr)
        + "Change λ: the left panel hardly moves (λ > 0 multiplies every gradient, which Adam divides out), "
        "the right one does.")


def rescale_sentence(res, c, steps, c_text):
    """Where both end on c·f at the current c, against c = 1, the L2 minimum and the spread over every c."""
    now, one, spread = res.at(c), res.at(1.0), res.spread
    k = int(np.flatnonzero(np.isclose(res.scales, c))[0])
    target = float(res.l2_minimum[k])
    end = lambda x: fixed(x, 5) if np.isfinite(x) else "a non-finite value (diverged)"   # noqa: E731
    text = (f"From the core, after {steps} steps at c = {c_text}: Adam + L2 ends at **θ = {end(now[0])}** "
            f"(at c = 1: {end(one[0])}), AdamW at **θ = {end(now[1])}** (at c = 1: {end(one[1])}). ")
    if np.isfinite(now[0]):
        gap = abs(now[0] - target)
        text += (f"The minimum of c·f + λθ²/2 is 4c/(2c + λ) = {fixed(target, 5)}: Adam + L2 "
                 + ("has settled on it. " if gap <= SETTLED else f"is still {fixed(gap, 3)} away from it. "))
    if not np.all(np.isfinite(spread)):
        return text + "Some runs did not stay finite, so their end points cannot be compared."
    size = max(1.0, float(np.max(np.abs(res.final[1]))))
    same = spread[1] <= SAME_DIGITS * size
    text += (f"Over all nine c from 10⁻² to 10², AdamW's end points differ by at most **{spread[1]:.2g}**"
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
            + f"The steps start at {fixed(first)}α and ")
    if last < first:
        text += (f"shrink to {fixed(last)}α by step {steps}: m̂ is a mean of the shrinking λθ, while √v̂, a root mean "
                 "square with the longer memory β₂ = 0.999, still remembers the larger start.")
    else:
        text += f"are {fixed(last)}α at step {steps}."
    return text
