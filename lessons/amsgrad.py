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
from ui.catalog import CATALOG
from ui.figures import FONT, SpecFigure


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


COLORS = {"Adam": CATALOG["adam"].color, "AMSGrad": "#CC79A7"}
GREY = "#555555"


def _line(x, y, name, color, axis, dash="solid", width=2.2, legend=True, group=None, opacity=1.0):
    suffix = "" if axis == 1 else str(axis)
    return dict(type="scatter", x=x, y=y, mode="lines", name=name, legendgroup=group or name, showlegend=legend,
                line=dict(color=color, width=width, dash=dash), opacity=opacity, xaxis="x" + suffix,
                yaxis="y" + suffix, hovertemplate=f"{name}<br>t = %{{x}}: %{{y:.4g}}<extra></extra>")


ZOOM = 30        # the v panel shows the first steps only: the pattern repeats every 3 steps


def counterexample_figure(run, labels, height=440):
    """Three panels against t: the point x_t, the second moment (v and AMSGrad's v_max) over the
    first ZOOM steps, R_T/T.  The x_t and R_T/T panels have a log t axis, so both the drift in the
    first steps and the long run are visible."""
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
    traces.append(_line(t[z], run.v[z, 0], "v_t (the same for both; Adam divides by it)", COLORS["Adam"], 2,
                        group="Adam", width=2))
    traces.append(_line(t[z], run.v_max[z, 1], "AMSGrad: v_max (divides by)", COLORS["AMSGrad"], 2,
                        group="AMSGrad", width=3))
    traces.append(_line([1, steps], [run.limit] * 2, "2(C − 2)/3: R_T/T at x = +1", GREY, 3, dash="dot", width=1.5))
    titles = ("<b>x_t</b> (best −1, worst +1)", f"<b>v_t and v_max</b>, first {ZOOM} steps",
              "<b>average regret R_T/T</b>")
    annotations = [dict(text=text, x=x, y=1.0, xref="paper", yref="paper", xanchor="left", yanchor="bottom",
                        showarrow=False) for text, x in zip(titles, (0.0, 0.36, 0.72))]
    regret = run.regret[np.isfinite(run.regret)]
    top = max(float(np.max(regret[len(regret) // 10:], initial=run.limit)), run.limit) * 1.3 + 0.05
    layout = dict(height=height, font=FONT, margin=dict(l=55, r=10, t=30, b=110), annotations=annotations,
                  xaxis=dict(domain=[0, 0.28], title=dict(text="step t (log)"), anchor="y", type="log"),
                  yaxis=dict(range=[-1.1, 1.1], anchor="x", title=dict(text="x")),
                  xaxis2=dict(domain=[0.36, 0.64], title=dict(text="step t"), anchor="y2"),
                  yaxis2=dict(type="log", anchor="x2", exponentformat="power"),
                  xaxis3=dict(domain=[0.72, 1.0], title=dict(text="T (log)"), anchor="y3", type="log"),
                  yaxis3=dict(anchor="x3", range=[min(0.0, float(np.min(regret, initial=0.0))) - 0.05, top]),
                  legend=dict(orientation="h", x=0, y=-0.2, yanchor="top"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))
