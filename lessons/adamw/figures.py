"""Pure figure builders for the AdamW lesson: data in, figure out; no Streamlit calls.

Adam + L2 keeps Adam's catalogue colour (vermillion); AdamW is Okabe–Ito blue.  The three
weights of the zero-gradient run are told apart by dash, the same in both panels.
"""

import numpy as np

from ui import palette
from ui.catalog import CATALOG
from ui.figures import FONT, SpecFigure
from ui.narrow import legend_under_panels, panel_heading, stacked_panels, with_narrow


COLORS = {"Adam + L2": CATALOG["adam"].color, "AdamW": palette.BLUE}
DASHES = ("solid", "dash", "dot")
GREY = palette.GREY          # guides, the law's dots and the current-c ring: read on both themes (was #555, black)


def _line(x, y, name, color, xaxis="x", yaxis="y", dash="solid", width=2.5, group=None, legend=True, hover=""):
    return dict(type="scatter", x=x, y=y, mode="lines", name=name, legendgroup=group or name, showlegend=legend,
                line=dict(color=color, width=width, dash=dash), xaxis=xaxis, yaxis=yaxis,
                hovertemplate=hover or f"{name}<br>step %{{x}}: %{{y:.4g}}<extra></extra>")


def decay_figure(zero, weights, labels, height=280):
    """Two panels against the step: each weight under Adam + L2 (left) and AdamW (right), zero gradient.

    The right panel also draws θ₀(1 − αλ)^k as grey rings: AdamW's weights lie on it.  ``height`` is the panels'
    (the legend's rows under them come on top).
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
                           marker=dict(color=GREY, size=5, symbol="circle-open"),
                           hovertemplate=f"θ₀ = {w:g}: θ₀(1 − αλ)^%{{x}} = %{{y:.4g}}<extra></extra>"))
    low = min(0.0, float(np.nanmin(zero.theta)))
    high = float(max(weights)) * 1.05
    annotations = [panel_heading(label, panel, centred=True, size=14, color=COLORS[label])
                   for panel, label in enumerate(labels, start=1)]
    layout = dict(font=FONT, margin=dict(l=60, r=10), annotations=annotations,
                  xaxis=dict(domain=[0, 0.45], title=dict(text="step k"), anchor="y"),
                  yaxis=dict(title=dict(text="weight θₖ"), range=[low - 0.1, high], anchor="x"),
                  xaxis2=dict(domain=[0.55, 1.0], title=dict(text="step k"), anchor="y2"),
                  yaxis2=dict(range=[low - 0.1, high], anchor="x2", matches="y"))
    layout.update(legend_under_panels(layout, 30, height, legend_rows=len(weights)))
    # On a phone the panels stack, each the chart's width (side by side, the legend sat on the "step k" titles).
    layout = with_narrow(layout, stacked_panels(layout, legend_rows=len(weights) + 2))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


def rescale_figure(res, c, labels, minimum=2.0, height=300):
    """Left: θ_t on c·f (solid) and on f (dashed) for both.  Right: where each ends, for every c.

    ``res`` is an ``Rescaled``; ``c`` one of ``res.scales``; ``height`` the panels' (the legend comes on top).
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
                       # An open circle in GREY (not a transparent fill with a grey outline): its legend swatch
                       # is the ring itself, readable on both themes.
                       marker=dict(symbol="circle-open", color=GREY, size=15, line=dict(color=GREY, width=2)),
                       hovertemplate="the current c<extra></extra>"))
    finite = res.theta[np.isfinite(res.theta)]
    span = [min(0.0, float(finite.min())) - 0.2, float(finite.max()) + 0.3] if finite.size else [-1, 9]
    annotations = [panel_heading("θ over the run", 1), panel_heading("final θ for every c", 2)]
    layout = dict(font=FONT, margin=dict(l=60, r=10), annotations=annotations,
                  xaxis=dict(domain=[0, 0.46], title=dict(text="step t"), anchor="y"),
                  yaxis=dict(title=dict(text="θ"), range=span, anchor="x"),
                  xaxis2=dict(domain=[0.56, 1.0], type="log", title=dict(text="gradient scale c"), anchor="y2",
                              exponentformat="power"),
                  yaxis2=dict(anchor="x2", title=dict(text="final θ"),
                              range=[min(0.0, float(np.nanmin(res.final))) - 0.1, minimum * 1.2]),
                  shapes=[dict(type="line", xref="x2 domain", yref="y2", x0=0, x1=1, y0=minimum, y1=minimum,
                               line=dict(color=GREY, width=1))])
    layout.update(legend_under_panels(layout, 30, height, legend_rows=2))
    # On a phone the panels stack, each the chart's width (side by side, the right panel's y title sat on its
    # tick labels, its log ticks turned on end and the legend sat on the "step t" title).
    layout = with_narrow(layout, stacked_panels(layout, legend_rows=6))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))
