"""Pure figure builder for the momentum-schedules lesson: β₁(t) and what the bias correction divides by.
"""

from ui import palette
from ui.axes import log_ticks
from ui.figures import FONT, SpecFigure
from ui.narrow import panel_heading, stacked_panels, with_narrow


def schedule_figure(corr, kinds, labels, colors, height=380):
    """Left: β₁ at every step for each schedule.  Right, for the decaying one: the divisor the code
    uses, 1 − β₁(t)ᵗ, against the weight m has actually collected, 1 − Π β₁(k)."""
    t = corr["t"]
    traces = [dict(type="scatter", x=t, y=corr["table"][:, i], mode="lines", name=labels[kind],
                   line=dict(color=colors[kind], width=2.5), xaxis="x", yaxis="y",
                   hovertemplate=f"{labels[kind]}<br>t = %{{x}}: β₁ = %{{y:.4g}}<extra></extra>")
              for i, kind in enumerate(kinds)]
    traces.append(dict(type="scatter", x=t, y=corr["used"], mode="lines", name="decay: divisor used, 1 − β₁(t)ᵗ",
                       line=dict(color=colors["decay"], width=2.5), xaxis="x2", yaxis="y2",
                       hovertemplate="t = %{x}: 1 − β₁(t)^t = %{y:.4g}<extra></extra>"))
    traces.append(dict(type="scatter", x=t, y=corr["weight"], mode="lines",
                       name="decay: weight m holds, 1 − Π β₁(k)", line=dict(color=palette.GREY, width=1.5, dash="dash"),
                       xaxis="x2", yaxis="y2", hovertemplate="t = %{x}: 1 − Π β₁(k) = %{y:.4g}<extra></extra>"))
    annotations = [panel_heading("β₁ at step t", 1), panel_heading("bias correction of m, decaying β₁", 2)]
    layout = dict(height=height, font=FONT, margin=dict(l=55, r=10, t=30, b=110), annotations=annotations,
                  xaxis=dict(domain=[0, 0.46], title=dict(text="step t"), anchor="y"),
                  yaxis=dict(range=[0, 1], anchor="x", title=dict(text="β₁")),
                  xaxis2=dict(domain=[0.54, 1.0], title=dict(text="step t"), anchor="y2", type="log",
                              **log_ticks(t)),
                  # from a little under 0: at exactly 0 its "0" sat on the x axis's first label, "1", in the corner
                  yaxis2=dict(range=[-0.04, 1.04], anchor="x2"),
                  # at the figure's bottom edge, under both axis titles
                  legend=dict(orientation="h", x=0, y=0, yref="container", yanchor="bottom"))
    # On a phone the panels stack, each the chart's width: side by side, the left one's step labels ran into the
    # right one, the x titles sat on the legend and the right heading was cut at the chart's edge.
    layout = with_narrow(layout, stacked_panels(layout, legend_rows=len(traces)))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))
