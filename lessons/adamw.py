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
