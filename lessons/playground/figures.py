"""The playground's figures: touches to the shared paths figure for a typed surface, and the sensitivity maps.

Pure functions from data to figure dicts; no Streamlit.
"""

import numpy as np

from ui.figures import FONT, SpecFigure, star_label

from .maps import AXES, axis_position
from .text import value_text

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
DIVERGED_COLOR = "#000000"
NOT_FINITE_COLOR = "#CC79A7"      # Okabe–Ito reddish purple
NOT_REACHED_COLOR = "#D9D9D9"
CURRENT_COLOR = "#D55E00"         # Okabe–Ito vermillion: the current setting's ring
MARKED_COLOR = CURRENT_COLOR      # the clicked cell's square outline (the ring shows the sliders' nearest values)
TITLES = {"lr": "α (learning rate, log scale)", "beta1": "β₁", "beta2": "β₂ (spaced by its nines)",
          "eps": "ε (log scale)"}


def for_typed_surface(figure, surface):
    """The shared paths figure adjusted for a typed surface: the star is "the lowest point found" (not a
    proven minimum), and a 1-D plot's loss range comes from the finite values only (the shared builder
    takes min and max of the curve, which are NaN or ±∞ where the function is not finite)."""
    spec = figure.to_dict()
    for trace in spec["data"]:
        if trace.get("name") == "minimum":
            trace["name"] = star_label(surface)
            trace["hovertemplate"] = f"{star_label(surface)} (%{{x:.4g}}, %{{y:.4g}})<extra></extra>"
    if surface.dim == 1:
        xs = np.linspace(*surface.x_range, 400)
        values = surface.loss(xs[:, None])
        finite = values[np.isfinite(values)]
        if finite.size:
            low, high = float(finite.min()), float(np.percentile(finite, 98))
            span = max(high - low, 1e-9)
            spec["layout"]["yaxis"]["range"] = [low - 0.08 * span, high + 0.08 * span]
        else:
            spec["layout"]["yaxis"]["range"] = [-1.0, 1.0]
    return figure


def _ticks(param):
    """Tick positions and labels on the drawn axis: powers of ten for α and ε, β₂'s usual values."""
    low, high = AXES[param]
    if param in ("lr", "eps"):
        powers = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
        return [float(k) for k in powers], [f"10{str(k).translate(SUPERSCRIPT)}" if k else "1" for k in powers]
    if param == "beta2":
        values = (0.5, 0.9, 0.99, 0.999, 0.9999, 0.99999)
        return [axis_position(param, v) for v in values], [f"{v:g}" for v in values]
    values = (0.0, 0.2, 0.4, 0.6, 0.8, 0.9, 0.99)
    return list(values), [f"{v:g}" for v in values]


def _hover(one, metric):
    """Per cell: the setting and what happened, in words (the heatmaps' hover text)."""
    texts = np.empty(one.steps.shape, dtype=object)
    for r in range(one.steps.shape[0]):
        for c in range(one.steps.shape[1]):
            setting = (f"{one.x_param} = {value_text(one.x_param, one.x_values[c])}, "
                       f"{one.y_param} = {value_text(one.y_param, one.y_values[r])}")
            if one.diverged_at[r, c] >= 0:
                what = f"diverged from step {one.diverged_at[r, c]}"
            elif one.stopped_at[r, c] >= 0:
                what = f"stopped at step {one.stopped_at[r, c]}: not finite"
            elif metric == "steps" and one.steps[r, c] < 0:
                what = f"not within {one.tolerance:g} after {one.run_steps} steps"
            elif metric == "steps":
                what = f"within {one.tolerance:g} after {one.steps[r, c]} steps"
            else:
                what = f"final f − f* = {one.final_gap[r, c]:.4g}"
            texts[r, c] = f"{setting}<br>{what}"
    return texts


def _layer(x, y, mask, color, name, hover):
    """One flat-coloured heatmap over the cells of ``mask`` (the others transparent), with a legend entry."""
    z = np.where(mask, 1.0, np.nan)
    return [dict(type="heatmap", x=x, y=y, z=z, colorscale=[[0, color], [1, color]], showscale=False,
                 hoverinfo="text", text=hover, name=name, zmin=0, zmax=1),
            dict(type="scatter", x=[None], y=[None], mode="markers", name=name,
                 marker=dict(symbol="square", size=12, color=color, line=dict(color="#808080", width=1)))]


FLOOR = -16         # log₁₀ of the smallest gap drawn apart: float64 cannot tell smaller gaps from 0


def colour_values(one, metric):
    """The number each finite, non-diverged cell is coloured by (NaN for the others): the steps to the
    tolerance (NaN where not reached), or log₁₀ of the final f − f*, gaps ≤ 10⁻¹⁶ (0 or below the estimated
    f*) drawn at −16 and said so on the colour bar."""
    ok = ~one.diverged & ~one.not_finite
    if metric == "steps":
        return np.where(ok & (one.steps >= 0), one.steps.astype(float), np.nan)
    with np.errstate(all="ignore"):
        return np.where(ok, np.log10(np.maximum(one.final_gap, 10.0 ** FLOOR)), np.nan)


def _colour_bar(z, metric):
    """The colour bar's title and ticks; log₁₀ gaps as 10ⁿ, the lowest written ≤ 10⁻¹⁶ when cells reach it."""
    if metric == "steps":
        return dict(title=dict(text="steps to the tolerance", side="top"))
    finite = z[np.isfinite(z)]
    if not finite.size:
        return dict(title=dict(text="final f − f*", side="top"))
    low, high = int(np.floor(finite.min())), int(np.ceil(finite.max()))
    every = max(1, -(-(high - low) // 4))          # at most five labels: they fit a phone's width unrotated
    powers = list(range(low, high + 1, every))
    labels = [("≤ " if k == FLOOR else "") + (f"10{str(k).translate(SUPERSCRIPT)}" if k else "1") for k in powers]
    return dict(title=dict(text="final f − f*", side="top"), tickvals=powers, ticktext=labels)


def map_figure(one, current, metric, marked=None, height=520):
    """One sensitivity map: cells coloured by steps to the tolerance (``metric="steps"``) or by the final
    f − f* on a log scale (``"final"``); diverged, not-finite and (for steps) not-reached cells in flat colours
    of their own, never on the colour scale; the ``current`` setting (param -> value) ringed, the ``marked``
    cell (row, col), the one last clicked, outlined.  One map per figure, so that narrow screens stack them."""
    x = [axis_position(one.x_param, v) for v in one.x_values]
    y = [axis_position(one.y_param, v) for v in one.y_values]
    hover = _hover(one, metric)
    z = colour_values(one, metric)
    traces = [dict(type="heatmap", x=x, y=y, z=z, colorscale="Viridis", hoverinfo="text", text=hover,
                   name="colour", colorbar=dict(**_colour_bar(z, metric), orientation="h", thickness=12, len=1,
                                                x=0.5, xanchor="center", y=-0.3, yanchor="top"))]
    layers = [(one.diverged, DIVERGED_COLOR, "diverged"), (one.not_finite, NOT_FINITE_COLOR, "stopped: not finite")]
    if metric == "steps":
        layers.append((one.not_reached, NOT_REACHED_COLOR, f"not reached in {one.run_steps} steps"))
    for mask, color, name in layers:
        if mask.any():                 # a legend entry only for what the map shows
            traces += _layer(x, y, mask, color, name, hover)
    if marked is not None:
        row, col = marked
        traces.append(dict(type="scatter", x=[x[col]], y=[y[row]], mode="markers", name="clicked cell",
                           hoverinfo="name", marker=dict(symbol="square-open", size=16, color=MARKED_COLOR,
                                                         line=dict(color=MARKED_COLOR, width=3))))
    cx = axis_position(one.x_param, current.get(one.x_param, np.nan))
    cy = axis_position(one.y_param, current.get(one.y_param, np.nan))
    if np.isfinite(cx) and np.isfinite(cy):
        traces.append(dict(type="scatter", x=[cx], y=[cy], mode="markers", name="current setting",
                           hoverinfo="name", marker=dict(symbol="circle-open", size=18, color=CURRENT_COLOR,
                                                         line=dict(color=CURRENT_COLOR, width=4))))
    # The colour bar lies under the map and the legend above it, so that on a phone the map takes the width.
    layout = dict(height=height, font=FONT, margin=dict(l=64, r=16, t=36, b=150), plot_bgcolor="rgba(0,0,0,0)",
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"), showlegend=True, clickmode="none")
    for axis, param, values in (("xaxis", one.x_param, x), ("yaxis", one.y_param, y)):
        tickvals, ticktext = _ticks(param)
        step = (values[-1] - values[0]) / (len(values) - 1) / 2
        layout[axis] = dict(title=dict(text=TITLES[param]), tickvals=tickvals, ticktext=ticktext,
                            range=[values[0] - step, values[-1] + step], showgrid=False, zeroline=False)
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))
