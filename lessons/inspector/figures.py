"""Pure figure builders for "Inside an Adam step": data in, figure out; no Streamlit calls.

The arrows are line traces from θ_{t−1} with an arrow-head marker at the tip.  Each arrow's
data is exactly its vector times the scale printed in its legend entry (and kept in ``meta``):
g and m̂ share one scale (both are gradients, so their lengths compare), the step θ_t − θ_{t−1}
has its own.  Scales are 1-2-5 numbers chosen per step so the longest arrow of each kind fills
about a third of the view.
"""

import math

import numpy as np

from ui import palette
from ui.axes import log_ticks
from ui.figures import FONT, SpecFigure, _base_2d, _path_trace

# Fixed colours that read on both themes (ui/palette.py); over the surface picture each line gets a white
# casing and each marker a white ring, which every one of them holds 3:1 against.
ARROW_COLORS = {"g": palette.GREY, "m_hat": palette.BLUE, "step": palette.VERMILLION}   # step in Adam's colour
COORD_COLORS = {"x": palette.BLUE, "y": palette.REDDISH_PURPLE}     # as on the RMSprop page
ARROW_SHARE = 0.3          # the longest arrow of a kind spans this fraction of the shorter plot side
LABEL_BOX = "rgba(255,255,255,0.85)"   # under the arrows' labels: the light of the surface picture, on or off it
MARK_COLOR = palette.GREY               # the step's marks and α's line (was #555: 2.4:1 on the dark theme)
GRADIENT_COLOR = palette.GREY           # ‖g‖ and the noisy gradients (was black)


def nice_scale(target):
    """The largest 1-2-5 number (…, 0.1, 0.2, 0.5, 1, 2, 5, …) not above ``target``; 1 if undefined."""
    if not np.isfinite(target) or target <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(target))
    return next(c * power for c in (5, 2, 1) if c * power <= target * (1 + 1e-12))


def view_ranges(surface, points, pad=0.15, least=0.3, aspect=0.8):
    """The part of the surface the run covers: the finite path and the global minimum, padded.

    Each side spans at least ``least`` of the surface's range and ``aspect`` of the other side
    (x and y share one scale, so a long thin view would leave a flat sliver of a plot).  Fixed
    for the whole run, so the view does not jump while scrubbing.
    """
    finite = points[np.all(np.isfinite(points), axis=-1)]
    corners = np.vstack([finite, np.array(surface.minima[:1])])
    low, high = corners.min(axis=0), corners.max(axis=0)
    surface_span = np.array([surface.x_range[1] - surface.x_range[0], surface.y_range[1] - surface.y_range[0]])
    span = np.maximum((high - low) * (1 + 2 * pad), least * surface_span)
    span = np.maximum(span, aspect * span.max())
    middle = (low + high) / 2
    return [[float(middle[i] - span[i] / 2), float(middle[i] + span[i] / 2)] for i in range(2)]


def arrow_scales(ranges, numbers):
    """(scale for g and m̂, scale for the step) at this step, for a view of ``ranges``."""
    span = min(ranges[0][1] - ranges[0][0], ranges[1][1] - ranges[1][0])
    with np.errstate(all="ignore"):
        gradient = max(np.linalg.norm(numbers.g), np.linalg.norm(numbers.m_hat))
        step = np.linalg.norm(numbers.update)
        return nice_scale(ARROW_SHARE * span / gradient), nice_scale(ARROW_SHARE * span / step)


def _sub_digits(n):
    """An integer as Unicode subscript digits: 12 -> ₁₂ (legend names are plain text)."""
    return str(n).translate(str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋"))


def _fmt_scale(scale):
    return f"{scale:g}"


def _casing(x, y, width):
    """A white line under a line of ``width`` along the same points: its outline on the surface picture."""
    return dict(type="scatter", x=x, y=y, mode="lines", showlegend=False, hoverinfo="skip",
                line=dict(color=palette.CASING, width=width + 3))


def _arrow(name, vector, scale, tail, color, label, dash="solid"):
    """A line from ``tail`` to ``tail + scale·vector`` with an arrow head at the tip; its label (in ``meta``) is
    drawn by :func:`_arrow_label`."""
    tip = tail + scale * vector
    return dict(type="scatter", x=[float(tail[0]), float(tip[0])], y=[float(tail[1]), float(tip[1])],
                mode="lines+markers", name=name, line=dict(color=color, width=3.5, dash=dash),
                # opacity 1: sizes given per point make Plotly draw a "bubble" marker at 0.7 by default
                marker=dict(symbol="arrow", angleref="previous", size=[0, 17], color=color, opacity=1,
                            line=dict(color=palette.CASING, width=1.5)),
                meta=dict(vector=[float(v) for v in vector], scale=scale, label=label),
                hovertemplate=f"{name}<br>vector ({vector[0]:.6g}, {vector[1]:.6g})<extra></extra>")


# Where a label sits beside its arrow's tip: (xanchor, yanchor, xshift, yshift) in pixels.
LABEL_PLACES = {"above": ("center", "bottom", 0, 6), "below": ("center", "top", 0, -6), "right": ("left", "middle", 8, 0)}


def _arrow_label(arrow, where):
    """The arrow's name at its tip, in the surface's ink on a light box: a tip near the edge of the view puts the
    label off the light surface picture, onto the page (dark in the dark theme), where bare dark ink vanished."""
    xanchor, yanchor, xshift, yshift = LABEL_PLACES[where]
    return dict(x=arrow["x"][1], y=arrow["y"][1], xref="x", yref="y", text=arrow["meta"]["label"], showarrow=False,
                xanchor=xanchor, yanchor=yanchor, xshift=xshift, yshift=yshift, borderpad=1,
                font=dict(color=palette.SURFACE_INK, size=15), bgcolor=LABEL_BOX)


def step_figure(surface, run, numbers, background, height=640):
    """The surface, Adam's path, and at step t the arrows g_t, m̂_t and θ_t − θ_{t−1} from θ_{t−1}."""
    traces, layout = _base_2d(surface, [], background)
    t = numbers.t
    points = run.path.points
    # The whole path dotted, the part up to θ_{t−1} solid, both on white casings (readable on every band).
    whole = _path_trace(run.path, points[:, 0], points[:, 1], 2)
    whole.update(opacity=1, name="Adam's whole path", showlegend=False,
                 line=dict(color=run.path.color, width=1.5, dash="dot"),
                 marker=dict(color=run.path.color, size=5, symbol=run.path.symbol, line=dict(color=palette.CASING, width=1.5)))
    traces += [_casing(points[:, 0], points[:, 1], 1.5), whole, _casing(points[:t, 0], points[:t, 1], 2.5)]
    traces.append(dict(type="scatter", x=points[:t, 0], y=points[:t, 1], mode="lines", name=f"path up to θ_{t - 1}",
                       line=dict(color=run.path.color, width=2.5), hoverinfo="skip", showlegend=False))
    ranges = view_ranges(surface, points)
    layout["xaxis"]["range"], layout["yaxis"]["range"] = ranges
    finite = np.all(np.isfinite([numbers.g, numbers.m_hat, numbers.update, numbers.theta_prev]))
    annotations = []
    if finite:
        grad_scale, step_scale = arrow_scales(ranges, numbers)
        tail = numbers.theta_prev
        for vector, scale in ((numbers.g, grad_scale), (numbers.m_hat, grad_scale), (numbers.update, step_scale)):
            tip = tail + scale * vector
            traces.append(_casing([float(tail[0]), float(tip[0])], [float(tail[1]), float(tip[1])], 3.5))
        arrows = [(_arrow(f"g{_sub_digits(t)}, the gradient × {_fmt_scale(grad_scale)}", numbers.g, grad_scale,
                          tail, ARROW_COLORS["g"], "g", dash="dot"), "below"),
                  (_arrow(f"m̂{_sub_digits(t)}, the corrected momentum × {_fmt_scale(grad_scale)}", numbers.m_hat,
                          grad_scale, tail, ARROW_COLORS["m_hat"], "m̂"), "above"),
                  (_arrow(f"step θ{_sub_digits(t)} − θ{_sub_digits(t - 1)} × {_fmt_scale(step_scale)}",
                          numbers.update, step_scale, tail, ARROW_COLORS["step"], "step"), "right")]
        traces += [arrow for arrow, _ in arrows]
        annotations += [_arrow_label(arrow, where) for arrow, where in arrows]
        annotations.append(dict(
            # Short lines: the chart shares its row with the table, so the note has about 330 px at 1280 px.
            text=(f"Arrows from θ<sub>{t - 1}</sub>, to scale: g and m̂ × {_fmt_scale(grad_scale)},<br>"
                  f"the step × {_fmt_scale(step_scale)}. g points uphill; Adam steps against m̂,<br>"
                  "each coordinate divided by its own √v̂ + ε."),
            # From the chart's left edge (a phone's 326 px hold the lines), below the x title in any type size.
            x=0, xshift=-50, y=0, yshift=-48, xref="paper", yref="paper", xanchor="left", yanchor="top",
            showarrow=False, align="left", font=dict(size=13)))
    traces.append(dict(type="scatter", x=[float(numbers.theta_prev[0])], y=[float(numbers.theta_prev[1])],
                       mode="markers", name=f"θ_{t - 1}", showlegend=False,
                       marker=dict(color=run.path.color, size=13, symbol=run.path.symbol,
                                   line=dict(color="white", width=2)),
                       hovertemplate=f"θ<sub>{t - 1}</sub> = (%{{x:.6g}}, %{{y:.6g}})<extra></extra>"))
    # The legend at the chart's foot, under the note (both fixed in pixels, not in fractions of the plot), with room
    # between them for the note in presenter view's larger type (ui/presenter.py).
    layout.update(height=height, font=FONT, margin=dict(l=55, r=10, t=10, b=220), uirevision=f"{surface.key} {ranges}",
                  annotations=annotations, showlegend=True,
                  legend=dict(orientation="h", x=0, y=0, yref="container", yanchor="bottom", font=dict(size=13)))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


def _step_marks(t, axes, label=True):
    """A vertical line at step t on each (xaxis, yaxis) pair, and one "step t" label on the first."""
    shapes = [dict(type="line", x0=t, x1=t, xref=x, y0=0, y1=1, yref=f"{y} domain",
                   line=dict(color=MARK_COLOR, width=1.5, dash="dash")) for x, y in axes]
    # The label in the theme's text colour (the template's): grey 12-px text read faint on the dark theme.
    notes = [dict(text=f" step {t}", x=t, xref=axes[0][0], y=0, yref=f"{axes[0][1]} domain", xanchor="left",
                  yanchor="bottom", showarrow=False, font=dict(size=12))] if label else []
    return shapes, notes


def _grid_axes(rows, cols, gap_x=0.1, gap_y=0.2):
    """Axis layout for a rows × cols grid: ({layout entries}, [(xref, yref)] row by row)."""
    width, height = (1 - gap_x * (cols - 1)) / cols, (1 - gap_y * (rows - 1)) / rows
    layout, refs = {}, []
    for r in range(rows):
        for c in range(cols):
            n = r * cols + c + 1
            suffix = "" if n == 1 else str(n)
            left, top = c * (width + gap_x), 1 - r * (height + gap_y)
            # Rows share the step axis (zoomed together): only the bottom row labels and names it, so the gap
            # between rows holds just the next panel's heading.
            bottom = r == rows - 1
            layout[f"xaxis{suffix}"] = dict(domain=[left, left + width], anchor=f"y{suffix}",
                                            title=dict(text="step t" if bottom else ""), showticklabels=bottom,
                                            **({"matches": "x"} if suffix else {}))
            layout[f"yaxis{suffix}"] = dict(domain=[top - height, top], anchor=f"x{suffix}")
            refs.append((f"x{suffix}", f"y{suffix}"))
    return layout, refs


def vitals_figure(vitals, lr, t, height=700):
    """Four panels against the step, one above the other as on a monitor: α/(√v̂+ε) per coordinate, ‖g_t‖,
    ‖θ_t − θ_{t−1}‖, |Δθ|/α per coordinate.

    Stacked, each panel has the chart's whole width for its heading: in a 2 × 2 grid a 358-px phone gave each
    heading 120 px, and the left headings ran into the right ones.
    """
    layout, refs = _grid_axes(4, 1, gap_y=0.07)
    traces = []
    steps = vitals.t
    for i, axis in enumerate("xy"):
        color = COORD_COLORS[axis]
        traces.append(dict(type="scatter", x=steps, y=vitals.lr_eff[:, i], mode="lines", name=f"coordinate {axis}",
                           legendgroup=axis, line=dict(color=color, width=2.5), xaxis=refs[0][0], yaxis=refs[0][1],
                           hovertemplate=f"step %{{x}}<br>{axis}: α/(√v̂+ε) = %{{y:.6g}}<extra></extra>"))
        traces.append(dict(type="scatter", x=steps, y=vitals.update_over_lr[:, i], mode="lines",
                           name=f"coordinate {axis}", legendgroup=axis, showlegend=False,
                           line=dict(color=color, width=2.5), xaxis=refs[3][0], yaxis=refs[3][1],
                           hovertemplate=f"step %{{x}}<br>{axis}: |Δθ|/α = %{{y:.6g}}<extra></extra>"))
    ends = [int(steps[0]), int(steps[-1])] if len(steps) else [1, 1]
    traces.append(dict(type="scatter", x=ends, y=[lr, lr], mode="lines", name="α (the setting)",
                       line=dict(color=MARK_COLOR, width=1.5, dash="dot"), xaxis=refs[0][0], yaxis=refs[0][1],
                       hovertemplate=f"α = {lr:g}<extra></extra>"))
    traces.append(dict(type="scatter", x=ends, y=[1, 1], mode="lines", name="|Δθ| = α", showlegend=False,
                       line=dict(color=MARK_COLOR, width=1.5, dash="dot"), xaxis=refs[3][0], yaxis=refs[3][1],
                       hoverinfo="skip"))
    traces.append(dict(type="scatter", x=steps, y=vitals.grad_norm, mode="lines", name="‖gₜ‖", showlegend=False,
                       line=dict(color=GRADIENT_COLOR, width=2.5), xaxis=refs[1][0], yaxis=refs[1][1],
                       hovertemplate="step %{x}<br>‖g‖ = %{y:.6g}<extra></extra>"))
    traces.append(dict(type="scatter", x=steps, y=vitals.update_norm, mode="lines", name="‖θₜ − θₜ₋₁‖",
                       showlegend=False, line=dict(color=ARROW_COLORS["step"], width=2.5), xaxis=refs[2][0], yaxis=refs[2][1],
                       hovertemplate="step %{x}<br>‖Δθ‖ = %{y:.6g}<extra></extra>"))
    # Short enough for a 358-px phone's 250-px panel; "per coordinate" is the legend's (coordinate x, y).
    titles = ("<b>effective learning rate</b> α/(√v̂<sub>t</sub>+ε)",
              "<b>gradient norm</b> ‖g<sub>t</sub>‖", "<b>update size</b> ‖θ<sub>t</sub> − θ<sub>t−1</sub>‖",
              "<b>|update| / α</b>")
    logged = ((vitals.lr_eff, lr), (vitals.grad_norm,), (vitals.update_norm,))
    for (x, y), values in zip(refs[:3], logged):
        layout[f"yaxis{y[1:]}"].update(type="log", exponentformat="power", **log_ticks(*values))
    shapes, notes = _step_marks(t, refs)
    for (x, y), title in zip(refs, titles):
        # A fixed 6 px above the panel (a fraction of the panel's height drifted onto the row above's tick labels).
        notes.append(dict(text=title, x=0, xref=f"{x} domain", y=1, yshift=6, yref=f"{y} domain", xanchor="left",
                          yanchor="bottom", showarrow=False, font=dict(size=13)))
    # The legend at the top of the chart, above the first heading, with room for two rows on a phone.
    layout.update(height=height, font=FONT, margin=dict(l=60, r=15, t=85, b=50), shapes=shapes, annotations=notes,
                  legend=dict(orientation="h", x=0, y=1, yref="container", yanchor="top"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


def noise_figure(run, noise, t, height=380):
    """Per coordinate against the step: the noise-free gradient, the noisy g_t, and m̂_t that smooths it."""
    layout, refs = _grid_axes(1, 2, gap_x=0.08)
    steps = np.arange(1, run.steps + 1)
    traces = []
    for i, (axis, (x, y)) in enumerate(zip("xy", refs)):
        first = i == 0
        traces.append(dict(type="scatter", x=steps, y=run.grads[:, i], mode="markers", name="gₜ (noisy)",
                           legendgroup="g", showlegend=first, marker=dict(color=GRADIENT_COLOR, size=4),
                           xaxis=x, yaxis=y, hovertemplate=f"step %{{x}}<br>g{axis} = %{{y:.6g}}<extra></extra>"))
        traces.append(dict(type="scatter", x=steps, y=run.clean_grads[:, i], mode="lines",
                           name="∇f(θₜ₋₁) without the noise", legendgroup="clean", showlegend=first,
                           line=dict(color=MARK_COLOR, width=1.5, dash="dot"), xaxis=x, yaxis=y,
                           hovertemplate=f"step %{{x}}<br>∇f{axis} = %{{y:.6g}}<extra></extra>"))
        traces.append(dict(type="scatter", x=steps, y=run.states["m_hat"][:, i], mode="lines",
                           name="m̂ₜ (Adam's average)", legendgroup="m", showlegend=first,
                           line=dict(color=ARROW_COLORS["m_hat"], width=2.5), xaxis=x, yaxis=y,
                           hovertemplate=f"step %{{x}}<br>m̂{axis} = %{{y:.6g}}<extra></extra>"))
    shapes, notes = _step_marks(t, refs, label=False)
    for axis, (x, y) in zip("xy", refs):
        notes.append(dict(text=f"<b>coordinate {axis}</b>", x=0, xref=f"{x} domain", y=1.02, yref=f"{y} domain",
                          xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=13)))
    layout.update(height=height, font=FONT, margin=dict(l=60, r=15, t=30, b=50), shapes=shapes, annotations=notes,
                  legend=dict(orientation="h", x=1, xanchor="right", y=1.1, yanchor="bottom"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


# ---- the update with the run's numbers in it -------------------------------------------------

DIGITS = 6          # significant digits of every number the formula and the table print


def tex_number(value, digits=DIGITS):
    """``value`` to ``digits`` significant digits in LaTeX: 0.0123457, 1.5\\times 10^{-5}."""
    if not np.isfinite(value):
        return r"\text{NaN}" if np.isnan(value) else (r"\infty" if value > 0 else r"-\infty")
    text = f"{value:.{digits}g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"{mantissa}\\times 10^{{{int(exponent)}}}"


def _sub(value):
    """A substituted number; negative ones in parentheses so the signs read unambiguously."""
    text = tex_number(value)
    return f"({text})" if text.startswith("-") else text


def step_latex(numbers, i, lr, beta1, beta2, eps):
    r"""Adam's step t for coordinate ``i``, each line the formula then the run's numbers substituted.

    The lines follow the code: m and v as :func:`ema`, the divisions by :func:`bias_correction`,
    then θ_t = θ_{t−1} − α·m̂_t/(√v̂_t + ε); every number is printed to :data:`DIGITS` digits.
    """
    t, n = numbers.t, numbers
    prev = t - 1
    pick = {name: float(getattr(n, name)[i]) for name in
            ("theta_prev", "theta", "g", "m_prev", "v_prev", "m", "v", "bc1", "bc2", "m_hat", "v_hat",
             "root_v_hat", "step")}
    s = {name: _sub(value) for name, value in pick.items()}
    r = {name: tex_number(value) for name, value in pick.items()}     # results: no parentheses
    lines = [
        rf"m_{{{t}}} &= \beta_1 m_{{{prev}}} + (1-\beta_1)\,g_{{{t}}} = {_sub(beta1)}\cdot {s['m_prev']} + "
        rf"{_sub(1 - beta1)}\cdot {s['g']} = {r['m']}",
        rf"v_{{{t}}} &= \beta_2 v_{{{prev}}} + (1-\beta_2)\,g_{{{t}}}^2 = {_sub(beta2)}\cdot {s['v_prev']} + "
        rf"{_sub(1 - beta2)}\cdot {s['g']}^2 = {r['v']}",
        rf"\hat m_{{{t}}} &= \frac{{m_{{{t}}}}}{{1-\beta_1^{{{t}}}}} = \frac{{{s['m']}}}{{{s['bc1']}}} = {r['m_hat']}",
        rf"\hat v_{{{t}}} &= \frac{{v_{{{t}}}}}{{1-\beta_2^{{{t}}}}} = \frac{{{s['v']}}}{{{s['bc2']}}} = {r['v_hat']}",
        rf"\theta_{{{t}}} &= \theta_{{{prev}}} - \alpha\,\frac{{\hat m_{{{t}}}}}{{\sqrt{{\hat v_{{{t}}}}}+\varepsilon}} "
        rf"= {s['theta_prev']} - {_sub(lr)}\cdot\frac{{{s['m_hat']}}}{{\sqrt{{{s['v_hat']}}} + {_sub(eps)}}}",
        rf"&= {s['theta_prev']} - {_sub(lr)}\cdot\frac{{{s['m_hat']}}}{{{s['root_v_hat']} + {_sub(eps)}}} "
        rf"= {s['theta_prev']} - {s['step']} = {r['theta']}",
    ]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"
