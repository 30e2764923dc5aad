"""Pure figure builders for the train lesson: per-epoch curves, misclassified digits, the RNN's forecast.

Each optimizer keeps its colour and dash from :data:`ui.family.FAMILY` (the flagship four their
catalog colours; AdamW Adam's colour, dashed).
"""

import math

import numpy as np

from ui import palette
from ui.family import FAMILY
from ui.figures import FONT, SpecFigure
from ui.narrow import stacked_panels, with_narrow

LEGEND = dict(orientation="h", x=0, y=1.02, yanchor="bottom")
LOG_TICKS = tuple(m * 10.0 ** k for k in range(-5, 4) for m in (1, 2, 5))


def _panel_axes(layout, panel, count, x_title, y_title, y_type, x_max, y_range=None):
    suffix = "" if panel == 0 else str(panel + 1)
    width = (1.0 - 0.1 * (count - 1)) / count
    left = panel * (width + 0.1)
    layout[f"xaxis{suffix}"] = dict(title=dict(text=x_title), domain=[left, left + width], anchor=f"y{suffix}",
                                    range=[0, max(x_max, 1)], dtick=None)
    layout[f"yaxis{suffix}"] = dict(title=dict(text=y_title), type=y_type, anchor=f"x{suffix}",
                                    exponentformat="power")
    if y_type == "log":                                  # ticks at 1, 2, 5 per decade, written out in full
        layout[f"yaxis{suffix}"].update(tickvals=LOG_TICKS, ticktext=[f"{v:g}" for v in LOG_TICKS])
    if y_range is not None:
        layout[f"yaxis{suffix}"]["range"] = y_range
    return f"x{suffix}", f"y{suffix}"


def curves_figure(progress, panels, epochs, height=380):
    """One panel per metric against the epoch, one line per optimizer; the x axis spans all ``epochs``
    from the start, so the curves visibly grow while training runs.

    ``progress``: optimizer key -> :class:`models.train.Progress`; ``panels``: (metric, title, scale,
    factor) tuples, the plotted value being factor × metric.  A diverged run gets an ✕ at its last
    finite epoch and a note.
    """
    traces, annotations = [], []
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=45), legend=LEGEND,
                  hovermode="x unified")
    for panel, (metric, title, scale, factor) in enumerate(panels):
        xaxis, yaxis = _panel_axes(layout, panel, len(panels), "epoch", title, scale, epochs)
        for key, run in progress.items():
            spec = FAMILY[key]
            values = factor * np.asarray(run.history[metric], dtype=float)
            traces.append(dict(type="scatter", x=np.arange(len(values)), y=values, mode="lines+markers",
                               name=spec.label, legendgroup=key, showlegend=panel == 0, xaxis=xaxis, yaxis=yaxis,
                               line=dict(color=spec.color, width=2.5, dash=spec.dash),
                               marker=dict(symbol=spec.symbol, size=6, color=spec.color),
                               hovertemplate=f"{spec.label}: %{{y:.4g}}<extra></extra>"))
            if run.diverged_at >= 1:
                last = run.diverged_at - 1
                traces.append(dict(type="scatter", x=[last], y=[values[last]], mode="markers", showlegend=False,
                                   xaxis=xaxis, yaxis=yaxis, legendgroup=key, hoverinfo="skip",
                                   marker=dict(symbol="x-thin", size=14, line=dict(color=spec.color, width=3))))
                if panel == 0:
                    annotations.append(dict(x=last, y=values[last] if scale == "linear" else
                                            float(np.log10(max(abs(values[last]), 1e-300))), xref=xaxis,
                                            yref=yaxis, text=f"{spec.label} diverged in epoch {run.diverged_at}",
                                            showarrow=False, yshift=14, font=dict(color=spec.color, size=12)))
    layout["annotations"] = annotations
    if len(panels) == 2:
        # On a phone the right panel's y title ran over the left panel's curves: the panels stack there.
        # Each y title on two lines there: "training loss (cross-entropy, log scale)" ran past a 230-px panel.
        stacked = stacked_panels(layout, legend_rows=math.ceil(len(progress) / 2))
        for axis in ("yaxis", "yaxis2"):
            title = stacked[axis]["title"]["text"]
            stacked[axis] = {**stacked[axis], "title": {"text": title.replace(" (", "<br>(", 1)}, "automargin": True}
        layout = with_narrow(layout, stacked)
    return SpecFigure(dict(data=traces, layout=layout))


MISTAKES_PER_ROW = 4          # in a narrow chart: eight digits in one row left ~40 px each, and their titles overlapped


def mistakes_figure(images, predicted, true, height=200):
    """Misclassified digits side by side, dark ink on white, each titled with what the net said and the truth.

    In a chart narrower than ui/narrow.NARROW_PX they stand in rows of MISTAKES_PER_ROW; each title sits in its
    digit's own coordinates, so it follows the digit."""
    count = len(images)
    traces, annotations, layout = [], [], dict(height=height, font=FONT, margin=dict(l=10, r=10, t=50, b=10),
                                               showlegend=False)
    for i, (image, said, truth) in enumerate(zip(images, predicted, true)):
        suffix = "" if i == 0 else str(i + 1)
        layout[f"xaxis{suffix}"] = dict(visible=False, anchor=f"y{suffix}", constrain="domain")
        layout[f"yaxis{suffix}"] = dict(visible=False, autorange="reversed", anchor=f"x{suffix}",
                                        scaleanchor=f"x{suffix}")
        traces.append(dict(type="heatmap", z=np.asarray(image, dtype=float), zmin=0, zmax=16,
                           colorscale=[[0, "#ffffff"], [1, "#000000"]], showscale=False,
                           xaxis=f"x{suffix}", yaxis=f"y{suffix}", name=f"said {said}, is {truth}",
                           hovertemplate="pixel %{z:.0f} of 16<extra></extra>"))
        annotations.append(dict(x=0.5, y=1.0, xref=f"x{suffix} domain", yref=f"y{suffix} domain", yanchor="bottom",
                                showarrow=False, text=f"said <b>{said}</b><br>is <b>{truth}</b>",
                                font=dict(size=13)))
    layout["annotations"] = annotations
    layout.update(_digit_grid(layout, count, max(count, 1)))
    rows = -(-count // MISTAKES_PER_ROW)
    if rows > 1:
        row_px, title_px = 80, 44            # a digit ~75 px wide in a 358-px chart; its two-line title above it
        plot_px = rows * row_px + (rows - 1) * title_px
        narrow = _digit_grid(layout, count, MISTAKES_PER_ROW, title_share=title_px / plot_px)
        layout = with_narrow(layout, {**narrow, "height": 60 + plot_px})      # 60: the margins (t=50, b=10)
    return SpecFigure(dict(data=traces, layout=layout))


def _digit_grid(layout, count, per_row, gap=0.02, title_share=0.0):
    """The digits' axes with domains placing them in rows of ``per_row`` (left to right, top to bottom), ``gap`` of
    the width between neighbours and ``title_share`` of the height between rows for the next row's titles."""
    rows = max(-(-count // per_row), 1)
    width = (1.0 - gap * (per_row - 1)) / per_row
    height = (1.0 - title_share * (rows - 1)) / rows
    axes = {}
    for i in range(count):
        suffix = "" if i == 0 else str(i + 1)
        row, column = divmod(i, per_row)
        left, top = column * (width + gap), 1.0 - row * (height + title_share)
        axes[f"xaxis{suffix}"] = {**layout[f"xaxis{suffix}"], "domain": [left, left + width]}
        axes[f"yaxis{suffix}"] = {**layout[f"yaxis{suffix}"], "domain": [max(0.0, top - height), top]}
    return axes


def forecast_figure(series, forecasts, start, height=380):
    """The test stretch (and a little before it, from index ``start``): the clean sine, the noisy
    observations and each optimizer's one-step-ahead forecast.  ``forecasts``: key -> (N−1,) forecasts
    of points 1..N−1."""
    t = np.arange(start, len(series.noisy))
    traces = [dict(type="scatter", x=t, y=series.clean[start:], mode="lines", name="true sine (no noise)",
                   line=dict(color=palette.GREY, width=1.5, dash="dot")),       # was black: gone on the dark theme
              dict(type="scatter", x=t, y=series.noisy[start:], mode="markers", name="observed (noisy)",
                   marker=dict(color=palette.LIGHT_GREY, size=5))]             # was #999: 2.85:1 on white
    for key, values in forecasts.items():
        spec = FAMILY[key]
        traces.append(dict(type="scatter", x=t, y=values[start - 1:], mode="lines", name=spec.label,
                           line=dict(color=spec.color, width=2, dash=spec.dash)))
    test = series.test_start
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=45), legend=LEGEND,
                  xaxis=dict(title=dict(text="time step t")), yaxis=dict(title=dict(text="value xₜ")),
                  shapes=[dict(type="rect", xref="x", yref="paper", x0=test - 0.5, x1=len(series.noisy) - 0.5,
                               y0=0, y1=1, fillcolor="rgba(128,128,128,0.12)", line=dict(width=0), layer="below")],   # shows on both themes
                  annotations=[dict(x=test, y=1, xref="x", yref="paper", yanchor="top", xanchor="left",
                                    showarrow=False, text=" test stretch (never trained on) →")])   # the theme's text colour
    return SpecFigure(dict(data=traces, layout=layout))
