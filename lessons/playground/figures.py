"""The playground's figures: touches to the shared paths figure for a typed surface, and the sensitivity maps.

Pure functions from data to figure dicts; no Streamlit.
"""

import numpy as np

from ui.figures import FONT, SpecFigure

from .maps import AXES, axis_position

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
DIVERGED_COLOR = "#000000"
NOT_FINITE_COLOR = "#CC79A7"      # Okabe–Ito reddish purple
NOT_REACHED_COLOR = "#D9D9D9"
CURRENT_COLOR = "#D55E00"         # Okabe–Ito vermillion: the current setting's ring
TITLES = {"lr": "α (learning rate, log scale)", "beta1": "β₁", "beta2": "β₂ (spaced by its nines)",
          "eps": "ε (log scale)"}


def for_typed_surface(figure, surface):
    """The shared paths figure adjusted for a typed surface: the star is "the lowest point found" (not a
    proven minimum), and a 1-D plot's loss range comes from the finite values only (the shared builder
    takes min and max of the curve, which are NaN or ±∞ where the function is not finite)."""
    spec = figure.to_dict()
    for trace in spec["data"]:
        if trace.get("name") == "minimum":
            trace["name"] = "lowest point found"
            trace["hovertemplate"] = "lowest point found (%{x:.4g}, %{y:.4g})<extra></extra>"
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
            setting = f"{one.x_param} = {one.x_values[c]:.4g}, {one.y_param} = {one.y_values[r]:.6g}"
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


def _layer(x, y, mask, color, name, axes, hover):
    """One flat-coloured heatmap over the cells of ``mask`` (the others transparent), with a legend entry."""
    z = np.where(mask, 1.0, np.nan)
    return [dict(type="heatmap", x=x, y=y, z=z, colorscale=[[0, color], [1, color]], showscale=False,
                 xaxis=axes[0], yaxis=axes[1], hoverinfo="text", text=hover, name=name, zmin=0, zmax=1),
            dict(type="scatter", x=[None], y=[None], mode="markers", name=name, xaxis=axes[0], yaxis=axes[1],
                 marker=dict(symbol="square", size=12, color=color, line=dict(color="#666666", width=1)))]


def maps_figure(sensitivity, current, metric, height=460):
    """One panel per map: cells coloured by steps to the tolerance (``metric="steps"``) or by log₁₀ of the
    final gap (``"final"``); diverged, not-finite and (for steps) not-reached cells in flat colours of their
    own, never on the colour scale; the ``current`` setting (param -> value) ringed."""
    traces, layout = [], dict(height=height, font=FONT, margin=dict(l=70, r=30, t=40, b=60),
                              legend=dict(orientation="h", x=0, y=1.04, yanchor="bottom"), plot_bgcolor="rgba(0,0,0,0)")
    width = 0.42
    for i, one in enumerate(sensitivity):
        suffix = "" if i == 0 else str(i + 1)
        axes = (f"x{suffix}", f"y{suffix}")
        x = [axis_position(one.x_param, v) for v in one.x_values]
        y = [axis_position(one.y_param, v) for v in one.y_values]
        hover = _hover(one, metric)
        ok = ~one.diverged & ~one.not_finite
        if metric == "steps":
            z = np.where(ok & (one.steps >= 0), one.steps.astype(float), np.nan)
            bar = "steps to reach the tolerance"
        else:
            with np.errstate(all="ignore"):
                z = np.where(ok, np.log10(np.maximum(one.final_gap, 1e-16)), np.nan)
            bar = "log₁₀(final f − f*)"
        left = i * (width + 0.16)
        traces.append(dict(type="heatmap", x=x, y=y, z=z, colorscale="Viridis", xaxis=axes[0], yaxis=axes[1],
                           hoverinfo="text", text=hover, name=bar, showscale=i == 0,
                           colorbar=dict(title=dict(text=bar, side="right"), x=1.0, len=0.9)))
        layers = [(one.diverged, DIVERGED_COLOR, "diverged"), (one.not_finite, NOT_FINITE_COLOR, "stopped: not finite")]
        if metric == "steps":
            layers.append((one.not_reached, NOT_REACHED_COLOR, f"not reached in {one.run_steps} steps"))
        for mask, color, name in layers:
            new = _layer(x, y, mask, color, name, axes, hover)
            new[1]["showlegend"] = i == 0
            traces += new
        cx, cy = axis_position(one.x_param, current.get(one.x_param, np.nan)), axis_position(
            one.y_param, current.get(one.y_param, np.nan))
        if np.isfinite(cx) and np.isfinite(cy):
            traces.append(dict(type="scatter", x=[cx], y=[cy], mode="markers", name="current setting",
                               xaxis=axes[0], yaxis=axes[1], showlegend=i == 0, hoverinfo="name",
                               marker=dict(symbol="circle-open", size=18, color=CURRENT_COLOR,
                                           line=dict(color=CURRENT_COLOR, width=4))))
        for axis, param, values in ((f"xaxis{suffix}", one.x_param, x), (f"yaxis{suffix}", one.y_param, y)):
            tickvals, ticktext = _ticks(param)
            step = (values[-1] - values[0]) / (len(values) - 1) / 2
            layout[axis] = dict(title=dict(text=TITLES[param]), tickvals=tickvals, ticktext=ticktext,
                                range=[values[0] - step, values[-1] + step], showgrid=False, zeroline=False,
                                anchor=axes[1] if axis.startswith("x") else axes[0])
        layout[f"xaxis{suffix}"]["domain"] = [left, left + width]
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))
