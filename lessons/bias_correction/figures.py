"""Pure figure builders for the bias-correction lesson: plain data in, a figure spec out; no Streamlit.

Colours (Okabe–Ito) carry the meaning through the page: blue is everything about m and its
correction, reddish purple everything about v, vermillion is Adam as torch runs it (both
corrections, the same colour as Adam on every page), grey is Adam with no correction at all.
Fixed greys and colours are ui/palette's, readable on the light and the dark theme.
Raw quantities are dashed, corrected ones solid, so the pairs stay apart in grey-scale too.
"""

import numpy as np

from ui import palette
from ui.axes import log_ticks
from ui.figures import FONT, LEGEND_GAP, SpecFigure


M_BLUE = palette.BLUE
V_PURPLE = palette.REDDISH_PURPLE
ADAM = palette.VERMILLION        # ui.catalog's Adam colour
NONE = palette.GREY              # was black: it vanished on the dark theme
GREY = palette.LIGHT_GREY        # the raw gradient and the guides (was #999: 2.85:1 on white)
LABEL = palette.LABEL_GREY       # the guides' notes (was #555: 2.4:1 on the dark theme)


# The four runs, in ui.runs.CORRECTIONS order: (colour, dash).
RUN_STYLES = ((ADAM, "solid"), (NONE, "dash"), (M_BLUE, "dot"), (V_PURPLE, "dashdot"))


SPIKE_STYLES = ((ADAM, "solid"), (NONE, "dash"))


def _line(x, y, name, color, dash="solid", width=2.5, group=None, xaxis="x", yaxis="y", show=True, hover=None):
    return dict(type="scatter", x=x, y=y, mode="lines", name=name, legendgroup=group or name, showlegend=show,
                line=dict(color=color, width=width, dash=dash), xaxis=xaxis, yaxis=yaxis,
                hovertemplate=hover or f"{name}<br>t = %{{x}}<br>%{{y:.6g}}<extra></extra>")


LEGEND_ROW = 31     # px a row of legend takes; a 358-px phone wraps these figures' legends into 3 rows


def _layout(height, **extra):
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=50), hovermode="x unified",
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    layout.update(extra)
    return layout


def _two_panels(height, left_title, right_title, x_title, right_log=False, left_log=False, legend_rows=3):
    """Axes for two side-by-side panels sharing nothing but the x title, each headed by its title.

    The titles are headings above the panels, not y-axis titles: on a 358-px phone a panel is about 100 px
    wide and the gap between them holds only the right panel's tick labels, so the right y title sat on them
    (and on the left panel). The left heading starts at its panel's left edge, the right one ends at its
    panel's right edge, so both may reach over the gap. The legend hangs a fixed LEGEND_GAP px under the
    panels (ui/figures), in a bottom margin with room for ``legend_rows`` rows, a phone's: were Plotly to widen
    the margin for it, the plot would shrink and the legend, placed as a fraction of it, ride up onto the x titles.
    """
    def axis_y(log, anchor):
        axis = dict(anchor=anchor, exponentformat="power")
        if log:
            axis["type"] = "log"
        return axis

    headings = [dict(text=text, x=side, xref=f"{x} domain", y=1, yshift=6, yref=f"{y} domain",
                     xanchor="right" if side else "left", yanchor="bottom", align="right" if side else "left",
                     showarrow=False, font=dict(size=13))
                for text, side, x, y in ((left_title, 0, "x", "y"), (right_title, 1, "x2", "y2"))]
    lines = max(text.count("<br>") for text in (left_title, right_title)) + 1
    top, bottom = 12 + 18 * lines, LEGEND_GAP + 8 + LEGEND_ROW * legend_rows
    return dict(
        # At most 4 step ticks: a phone's 100-px panel keeps them level (5 were turned on end, pushing the x title
        # down onto the legend).
        xaxis=dict(domain=[0.0, 0.42], title=dict(text=x_title), anchor="y", nticks=4),
        yaxis=axis_y(left_log, "x"),
        xaxis2=dict(domain=[0.6, 1.0], title=dict(text=x_title), anchor="y2", nticks=4),
        yaxis2=axis_y(right_log, "x2"),
        annotations=headings,
        margin=dict(l=60, r=20, t=top, b=bottom),
        legend=dict(orientation="h", x=0, y=-LEGEND_GAP / (height - top - bottom), yanchor="top"),
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
                            text=f"the runs below:<br>{steps} steps", font=dict(color=LABEL, size=12),
                            xanchor="right", align="right", xshift=-4))
    layout = _layout(height, shapes=shapes, annotations=annotations, hovermode="closest",
                     xaxis=dict(title=dict(text="step t  (log scale)"), type="log", exponentformat="power",
                                **log_ticks(t)),
                     yaxis=dict(title=dict(text="total weight 1 − βᵗ"), range=[-0.03, 1.05]))
    return SpecFigure(dict(data=traces, layout=layout))


def moments_figure(grads, states, height=500):
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
    layout = _layout(height, **_two_panels(height, "<b>first moment</b><br>g, m, m̂", "<b>second moment</b><br>g², v, v̂  (log)",
                                           "step t", right_log=True))
    return SpecFigure(dict(data=traces, layout=layout))


def four_runs_figure(labels, theta, step_over_lr, minimum=2.0, height=500):
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
                        xanchor="right", yanchor="top", yshift=-2, font=dict(color=LABEL, size=12)),
                   dict(xref="x2 domain", yref="y2", x=0.02, y=0, text="a step of exactly α", showarrow=False,
                        xanchor="left", yanchor="bottom", font=dict(color=LABEL, size=12))]
    panels = _two_panels(height, "<b>θₜ</b>", "<b>step size</b> |θₜ − θₜ₋₁| / α  (log)", "step t", right_log=True)
    panels["annotations"] += annotations
    layout = _layout(height, shapes=shapes, hovermode="closest", **panels)
    layout["xaxis2"].update(type="log", title=dict(text="step t  (log scale)"), **log_ticks(t_steps))
    layout["yaxis2"].update(log_ticks(step_over_lr, 1.0))
    return SpecFigure(dict(data=traces, layout=layout))


def spike_figure(t, step_over_lr, t_spike, labels=("both corrected", "none"), height=380):
    """The step over α around a lone gradient spike, with and without the corrections."""
    traces = [_line(t, step_over_lr[:, k], label, color, dash, group=label,
                    hover=f"{label}<br>step %{{x}}<br>step / α = %{{y:.4g}}<extra></extra>")
              for k, (label, (color, dash)) in enumerate(zip(labels, SPIKE_STYLES))]
    shapes = [dict(type="line", xref="x", yref="paper", x0=t_spike, x1=t_spike, y0=0, y1=1,
                   line=dict(color=GREY, width=1.5, dash="dot"))]
    annotations = [dict(x=t_spike, y=1, xref="x", yref="paper", showarrow=False, xanchor="left", yanchor="top",
                        xshift=4, text=f"the spike, step {t_spike}", font=dict(color=LABEL, size=12))]
    layout = _layout(height, shapes=shapes, annotations=annotations, hovermode="closest",
                     xaxis=dict(title=dict(text="step t")),
                     yaxis=dict(title=dict(text="step against the spike's sign, in units of α")))
    return SpecFigure(dict(data=traces, layout=layout))
