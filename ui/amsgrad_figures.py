"""Pure figure builder for the AMSGrad lesson: data in, figure out; no Streamlit calls.

Adam keeps its catalogue colour (vermillion); AMSGrad is Okabe–Ito reddish purple.
"""

import numpy as np

from .catalog import CATALOG
from .figures import FONT, SpecFigure

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
