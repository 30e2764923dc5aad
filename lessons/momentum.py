"""The momentum lesson (pages/momentum.py): its core calls (heavy ball in ONE batched call, the two
buffers fed a constant gradient) and its figures; no Streamlit calls in the figures.
"""

import numpy as np
import streamlit as st

import optimizers as opt
from optimizers import theory
from ui import palette
from ui.catalog import CATALOG
from ui.figures import FONT, SpecFigure, _base_2d, _divergence_marks, _path_trace, distance_chart, last_finite
from ui.divergence import short_number
from ui.runs import Path


@st.cache_data(max_entries=256, show_spinner=False)
def heavy_ball_paths(surface_key: str, start: tuple, steps: int, rows: tuple) -> list:
    """SGD with torch's momentum, many settings in ONE batched core call, all from ``start``.

    ``rows``: tuple of (key, label, color, symbol, lr, momentum); x0 is stacked to (N, D) and
    lr, momentum to (N, 1), which the core broadcasts.  Returns one ``Path`` per row.
    """
    surface = opt.surfaces.get(surface_key)
    lrs = np.array([[row[4]] for row in rows], dtype=float)
    momenta = np.array([[row[5]] for row in rows], dtype=float)
    x0 = np.tile(np.array(start, dtype=float), (len(rows), 1))
    traj = opt.run(opt.sgd(lrs, momentum=momenta), surface.grad, x0, steps, loss_fn=surface.loss)
    distances = surface.distance_to_minimum(traj.params)
    return [Path(key, label, color, symbol, traj.params[:, b], traj.losses[:, b], distances[:, b],
                 int(traj.diverged_at[b])) for b, (key, label, color, symbol, _, _) in enumerate(rows)]


@st.cache_data(max_entries=128, show_spinner=False)
def constant_gradient_buffers(decay: float, steps: int):
    """Both momentum buffers fed g = 1 for ``steps`` steps: torch's sum b_t and the moving average m_t."""
    ones = lambda point: np.ones_like(point)   # noqa: E731
    traj = opt.run(opt.sgd(1.0, momentum=decay), ones, np.zeros(1), steps, keep_state=True)
    average, averages = 0.0, []
    for _ in range(steps):
        average = opt.ema(average, 1.0, decay)
        averages.append(average)
    return traj.states["buf"][:, 0], np.array(averages)


SUM_COLOR = CATALOG["momentum"].color        # torch's SGD momentum: the sum form
EMA_COLOR = CATALOG["adam"].color            # Adam's m: the moving-average form
GD_COLOR = CATALOG["sgd"].color
# The optimum is a heavy ball too: a hue apart from the chosen heavy ball's sky blue (Okabe–Ito blue was its twin).
OPTIMUM_COLOR, OPTIMUM_COLOR_NAME = palette.REDDISH_PURPLE, "purple"
# Fixed colours read on both themes (ui/palette.py); text that is not colour-coded takes the theme's
# text colour (no colour of its own: the chart's template gives it, light or dark).
INK = palette.GREY                           # guides, limits, predicted slopes, the stability boundary (was #222)
OLD_BARS = palette.LIGHT_GREY                # gradients older than the window (was pale blue #BFE3F7, 1.35:1 on white)
GHOSTS = palette.SURFACE_INK                 # other μ's trails: always on the light surface picture, in either theme
GHOST_SWATCH = palette.GREY                  # their legend swatch, on the page's own background


# The regime map's bands: one translucent colour each, over white and over the dark theme's page alike. Each band
# stands out from the plot by at least 1.5:1 (luminance: what a washed-out projector and a colour-blind eye still
# see) and from the band beside it by a CIELAB distance ΔE of at least 20, in both themes, and the theme's text on
# every band keeps 3:1 (tests/test_browser_themes.py measures all three). Over white / over the dark page (23, 22, 20):
# monotone 1.83 / 2.20, ripples 1.68 / 1.99, zigzag 2.22 / 2.77, diverges 1.71 / 1.91; neighbours ΔE ≥ 24.9 / 27.6.
# The old pale fills (alpha 0.22-0.40) read on white by their hue alone (1.13-1.45:1), and on the dark page the
# monotone band was a dark teal at 1.33:1, zigzag and diverges ΔE 13.7 apart.
REGION_COLORS = {"monotone": "rgba(0,158,115,0.50)",       # Okabe–Ito bluish green
                 "ripples": "rgba(144,137,40,0.45)",        # its yellow, darkened (a pale yellow is near white)
                 "zigzag": "rgba(184,109,150,0.65)",        # its reddish purple, a little darker
                 "diverges": "rgba(128,128,128,0.45)"}      # grey


def _figure(traces, layout, frames):
    return SpecFigure(dict(data=traces, layout=layout, frames=frames))


def _legend():
    return dict(orientation="h", x=0, y=1.02, yanchor="bottom")


def weights_figure(weights, window, newest, share, height=330):
    """Bars of the weight (1−μ)μᵏ of a gradient k steps old, the window 1/(1−μ) marked.

    ``weights`` newest first; the ``newest`` bars (which carry ``share`` of the weight) are dark.
    """
    ages = np.arange(len(weights))
    inside = ages < newest
    bars = dict(type="bar", x=ages, y=weights, name="weight (1−μ)μᵏ", marker=dict(
        color=np.where(inside, SUM_COLOR, OLD_BARS).tolist(), line=dict(width=0)),
        hovertemplate="gradient %{x} steps old<br>weight %{y:.4g}<extra></extra>")
    top = float(weights[0]) * 1.15 if len(weights) else 1.0
    window_line = dict(type="scatter", x=[window, window], y=[0, top], mode="lines", name="window 1/(1−μ)",
                       line=dict(color=INK, width=2, dash="dash"), hoverinfo="skip")
    note = dict(x=window, y=top, xref="x", yref="y", xanchor="left", yanchor="top", showarrow=False,
                text=f" window 1/(1−μ) = {window:.4g} steps<br> the newest {newest} "
                     f"carry {share:.1%} of the weight", font=dict(size=13),   # the theme's text colour
                align="left")
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=45), bargap=0.1, annotations=[note],
                  xaxis=dict(title=dict(text="age of the gradient k (steps ago)"), range=[-1, len(weights)]),
                  # the y axis' "0" sat on the x axis' "0" in the corner: a label reaching past the plot is not drawn
                  yaxis=dict(title=dict(text="weight in the average"), range=[0, top],
                             ticklabeloverflow="hide past domain"), legend=_legend())
    return _figure([bars, window_line], layout, [])


def buffers_figure(sum_form, ema_form, decay, height=330):
    """Both buffers fed a constant gradient of 1: torch's sum tends to 1/(1−μ), the moving average to 1."""
    steps = np.arange(1, len(sum_form) + 1)
    limit = 1.0 / (1.0 - decay)
    traces = [
        dict(type="scatter", x=steps, y=sum_form, mode="lines", name="torch: b = μb + g",
             line=dict(color=SUM_COLOR, width=3), hovertemplate="step %{x}<br>b = %{y:.6g}<extra></extra>"),
        dict(type="scatter", x=steps, y=ema_form, mode="lines", name="moving average: m = μm + (1−μ)g",
             line=dict(color=EMA_COLOR, width=3), hovertemplate="step %{x}<br>m = %{y:.6g}<extra></extra>"),
        dict(type="scatter", x=[1, steps[-1], None, 1, steps[-1]], y=[limit, limit, None, 1, 1], mode="lines",
             name="limits", showlegend=False, line=dict(color=INK, width=1, dash="dot"), hoverinfo="skip"),
    ]
    notes = [dict(x=steps[-1], y=limit, xref="x", yref="y", xanchor="right", yanchor="bottom", showarrow=False,
                  text=f"1/(1−μ) = {limit:.4g}", font=dict(color=SUM_COLOR, size=13)),
             dict(x=steps[-1], y=1, xref="x", yref="y", xanchor="right", yanchor="top", showarrow=False,
                  text="1", font=dict(color=EMA_COLOR, size=13))]
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=45), annotations=notes,
                  xaxis=dict(title=dict(text="step t (gradient always 1)")),
                  yaxis=dict(title=dict(text="buffer value"), rangemode="tozero", range=[0, limit * 1.12]),
                  legend=_legend())
    return _figure(traces, layout, [])


def bowl_figure(surface, background, main, ghosts, height=520):
    """The bowl with plain GD, the chosen heavy ball and the optimum bright, other μ as faint trails.

    ``main``: Paths drawn bright, in order; ``ghosts``: (μ, Path) pairs drawn as ONE faint trace
    (NaN breaks the line between runs), so a dozen settings cost one trace.
    """
    traces, layout = _base_2d(surface, [], background)
    if ghosts:
        xs = np.concatenate([np.append(p.points[:, 0], np.nan) for _, p in ghosts])
        ys = np.concatenate([np.append(p.points[:, 1], np.nan) for _, p in ghosts])
        mus = np.concatenate([np.full(len(p.points) + 1, mu) for mu, p in ghosts])
        traces.append(dict(type="scatter", x=xs, y=ys, customdata=mus, mode="lines", showlegend=False,
                           name=f"other μ ({ghosts[0][0]:g} … {ghosts[-1][0]:g})", legendgroup="ghosts",
                           line=dict(color=GHOSTS, width=1), opacity=0.6,
                           hovertemplate="μ = %{customdata}<br>x = %{x:.4g}, y = %{y:.4g}<extra></extra>"))
        # Their legend entry, drawn on the page (not on the surface): the dark trails' grey as it looks on the light
        # surface, readable on both themes; one legend group, so a click on it still hides the trails.
        traces.append(dict(type="scatter", x=[None], y=[None], mode="lines", legendgroup="ghosts",
                           name=f"other μ ({ghosts[0][0]:g} … {ghosts[-1][0]:g})", line=dict(color=GHOST_SWATCH, width=2),
                           hoverinfo="skip"))
    annotations = []
    for path in main:
        # A white casing under each path and a white ring round its markers: every catalogue colour holds 3:1
        # against white (ui/palette.py), so each path reads on every band of the blue surface, in either theme.
        width = 3 if path.key == "chosen" else 2
        traces.append(dict(type="scatter", x=path.points[:, 0], y=path.points[:, 1], mode="lines",
                           name=f"{path.label} (casing)", showlegend=False, hoverinfo="skip",
                           line=dict(color=palette.CASING, width=width + 3)))
        trace = _path_trace(path, path.points[:, 0], path.points[:, 1], 2)
        trace.update(opacity=1, line=dict(color=path.color, width=width, dash="dash" if path.key == "optimum" else "solid"),
                     marker=dict(color=path.color, size=7 if path.key == "chosen" else 5, symbol=path.symbol,
                                 line=dict(color=palette.CASING, width=1.5)))
        traces.append(trace)
        if path.diverged_at >= 0:
            k = last_finite(path)
            mark, note = _divergence_marks(path, path.points[k, 0], path.points[k, 1])
            traces.append(mark)
            annotations.append(note)
    layout.update(height=height, font=FONT, margin=dict(l=60, r=20, t=30, b=50), annotations=annotations,
                  legend=_legend(), uirevision=surface.key)
    return _figure(traces, layout, [])


def rates_figure(paths, predicted, tail=0.5, height=360):
    """Distance to the minimum on a log axis (measured) with the predicted slope rᵗ dashed over the tail.

    ``predicted``: one rate per path.  Each dashed line passes through the path's last point, so
    on a log axis the two agree where the slopes agree.
    """
    figure = distance_chart(paths, height=height)
    spec = figure.to_dict()
    for path, rate in zip(paths, predicted):
        end = last_finite(path)
        start = int(np.floor(len(path.distances) * (1 - tail)))
        if path.diverged_at >= 0 or end <= start or not np.isfinite(rate) or rate <= 0 \
                or path.distances[end] <= 0:
            continue
        steps = np.arange(start, end + 1)
        line = path.distances[end] * np.exp((steps - end) * np.log(rate))
        spec["data"].append(dict(type="scatter", x=steps, y=line, mode="lines", showlegend=False,
                                 name=f"{path.label}: predicted", line=dict(color=INK, width=1.5, dash="dash"),
                                 hovertemplate=f"predicted rate {rate:.4f}<br>step %{{x}}<extra></extra>"))
    spec["data"].append(dict(type="scatter", x=[None], y=[None], mode="lines", name="predicted slope rᵗ",
                             line=dict(color=INK, width=1.5, dash="dash")))
    spec["layout"]["legend"] = _legend()
    return SpecFigure(spec)


def label_positions(xs, y, x_max, y_max=1.0, edge=0.12):
    """Where each marker's label goes so that it stays inside the plot [0, x_max] × [0, y_max]: above the
    marker (below it near the top), centred (to the right near the left edge, to the left near the right
    edge); a marker close to the one before it puts its label on the other side where there is room."""
    positions, last = [], None
    for x in xs:
        above = y <= (1 - edge) * y_max
        if last is not None and abs(x - last[0]) < edge * x_max and edge * y_max <= y <= (1 - edge) * y_max:
            above = not last[1]
        side = "right" if x < edge * x_max else "left" if x > (1 - edge) * x_max else "center"
        positions.append(f"{'top' if above else 'bottom'} {side}")
        last = (x, above)
    return positions


def regime_figure(lr, momentum, eigenvalues, optimum, h_max=4.6, height=360):
    """The (αλ, μ) plane split into the four regimes, with one marker per eigenvalue at the current α, μ.

    ``optimum``: (α*, μ*); its markers sit on the edges of the ripple band.
    """
    mus = 0.999 * np.linspace(0.0, 1.0, 60) ** 2      # denser near μ = 0, where √μ is steep
    low, high, limit = theory.regime_bounds(mus)
    edges = {"monotone": (np.zeros_like(mus), low), "ripples": (low, high), "zigzag": (high, limit),
             "diverges": (limit, np.full_like(mus, h_max))}
    traces = []
    for name, (left, right) in edges.items():
        traces.append(dict(type="scatter", x=np.concatenate([left, right[::-1]]),
                           y=np.concatenate([mus, mus[::-1]]), fill="toself", mode="lines",
                           fillcolor=REGION_COLORS[name], line=dict(width=0), name=name, showlegend=False,
                           hoverinfo="skip"))
    traces.append(dict(type="scatter", x=limit, y=mus, mode="lines", name="stability boundary αλ = 2 + 2μ",
                       line=dict(color=INK, width=2), hoverinfo="skip"))
    labels = [f"λ = {lam:g}" for lam in eigenvalues]
    h = [lr * lam for lam in eigenvalues]
    traces.append(dict(type="scatter", x=[optimum[0] * lam for lam in eigenvalues],
                       y=[optimum[1]] * len(eigenvalues), mode="markers", name="optimum α*, μ*",
                       # a filled cross in a white ring: on the translucent bands it reads in either theme
                       marker=dict(symbol="x", size=13, color=OPTIMUM_COLOR, line=dict(color=palette.CASING, width=1.5)),
                       hovertemplate="optimum: αλ = %{x:.4g}, μ = %{y:.4g}<extra></extra>"))
    shown = [min(v, h_max) for v in h]
    traces.append(dict(type="scatter", x=shown, y=[momentum] * len(h), mode="markers+text",
                       text=labels, textposition=label_positions(shown, momentum, h_max), name="your α, μ",
                       textfont=dict(size=13),
                       marker=dict(symbol="circle", size=12, color=SUM_COLOR, line=dict(color=palette.CASING, width=2)),
                       hovertemplate="αλ = %{x:.4g}, μ = %{y:.4g}<extra></extra>"))
    # Each name inside its band: "monotone" from the left edge (centred, it ran over the y axis's "0"), "ripples"
    # a little higher, where its band is wide enough for the word (at the foot it ran into "monotone" on a phone).
    notes = [dict(x=x, y=y, xref="x", yref="y", text=name, showarrow=False, font=dict(size=12), xanchor=anchor,
                  yanchor="bottom", xshift=3 if anchor == "left" else 0, yshift=2)
             for name, x, y, anchor in (("monotone", 0, 0, "left"), ("ripples", 1.1, 0.13, "center"),
                                        ("zigzag", 1.8, 0, "center"), ("diverges", 3.3, 0, "center"))]
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=45), annotations=notes,
                  xaxis=dict(title=dict(text="αλ (step × curvature)"), range=[0, h_max]),
                  yaxis=dict(title=dict(text="μ (momentum)"), range=[0, 1]),
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom", font=dict(size=12)))
    return _figure(traces, layout, [])


# ---- the live sentences: pure functions from the runs' numbers to Markdown ------------------------
#
# One name per quantity on this page: μ is the decay of the momentum buffer in both forms (torch's
# sum b = μb + g and the moving average m = μm + (1 − μ)g; Adam calls the latter's decay β₁).

def rate_text(rate, digits=4):
    """A per-step rate; ∞ for a run that left the finite world, "not measurable" if too few points remain."""
    if np.isnan(rate):
        return "not measurable"
    return "∞ (diverged)" if np.isinf(rate) else f"{rate:.{digits}f}"


def moving_average_sentence(mu, window, newest, share, sum_last, ema_last, steps):
    """The window 1/(1 − μ), the share of the newest ⌈window⌉ gradients, and both buffers fed g = 1.

    The newest n gradients carry 1 − μⁿ of a long average's weight; with n ≈ 1/(1 − μ) that tends
    to 1 − 1/e as μ → 1 (the limit, true at every μ, is what the parenthesis states).
    """
    return (f"A gradient k steps old gets weight (1−μ)μᵏ. At μ = {mu:g} the average looks back about "
            f"**1/(1−μ) = {window:.4g} step{'s' if window != 1 else ''}**, and the newest "
            f"{f'{newest} gradients carry' if newest != 1 else 'gradient carries'} **{share:.1%}** of the weight (as μ → 1 this share "
            f"tends to 1 − 1/e ≈ 63%). Fed a gradient of 1 for {steps} steps, the core's buffers reach "
            f"**b = {sum_last:.6g}** (torch's sum, heading for 1/(1−μ) = {window:.4g}) and "
            f"**m = {ema_last:.6g}** (the moving average, heading for 1).")


BOUNDARY = "constant swing"      # αλ = 2 + 2μ exactly: roots −1 and −μ, neither converging nor diverging


def on_boundary(lr, mu, eigenvalue):
    """αλ = 2 + 2μ (to rounding: 0.3·10 is 3.0000000000000004 in float64)."""
    return bool(np.isclose(lr * eigenvalue, 2 + 2 * mu, rtol=1e-9, atol=0.0))


def regime(lr, mu, eigenvalue):
    """The core's regime (optimizers.theory.regime), except on the stability boundary αλ = 2 + 2μ, where the
    roots are −1 and −μ and the iterate swings for ever with constant amplitude: ``BOUNDARY``."""
    return BOUNDARY if on_boundary(lr, mu, eigenvalue) else theory.regime(lr, mu, eigenvalue)


def stability_warning(lr, mu, eigenvalues):
    """("warning" | "info", Markdown) for the largest curvature beyond or on the boundary 2 + 2μ; None inside."""
    limit = 2 + 2 * mu
    lam = max(eigenvalues)
    if on_boundary(lr, mu, lam):
        return "info", (f"At α = {lr:g}, μ = {mu:g} the direction with curvature λ = {lam:g} sits on the stability "
                        f"boundary (αλ = {lr * lam:.4g} = 2 + 2μ): its roots are −1 and −μ = {-mu:g}, so along it "
                        "the heavy ball neither converges nor diverges: it swings from side to side for ever with "
                        "constant amplitude.")
    if lr * lam > limit:
        return "warning", (f"At α = {lr:g}, μ = {mu:g} the direction with curvature λ = {lam:g} is unstable "
                           f"(αλ = {lr * lam:.4g} > 2 + 2μ = {limit:.4g}): the heavy ball flies out of the bowl.")
    return None


def heavy_ball_sentence(lr, mu, eigenvalues, regimes, predicted, measured, limit):
    """Your heavy ball: its regime along each eigenvalue, predicted and measured rates, and whether α is stable.

    ``predicted``/``measured``: (plain GD at α, heavy ball at α, μ); ``limit`` = 2 + 2μ, the largest
    stable αλ.  Stability needs αλ < 2 + 2μ along the largest eigenvalue.
    """
    top = max(eigenvalues)
    stable = lr * top < limit and not on_boundary(lr, mu, top)
    verdict = ("this α is inside that bound." if stable else
               "this α is on it: along λ = {top:g} the ball swings with constant amplitude, neither converging "
               "nor diverging.".format(top=top) if on_boundary(lr, mu, top) else "this α is beyond it.")
    return (f"**Your heavy ball** (α = {lr:g}, μ = {mu:g}): along λ = {eigenvalues[0]:g} it is in the "
            f"**{regimes[0]}** regime, along λ = {eigenvalues[1]:g} in the **{regimes[1]}** regime. "
            f"Predicted rate **{rate_text(predicted[1])}** per step, measured **{rate_text(measured[1])}**; plain "
            f"gradient descent at the same α: predicted {rate_text(predicted[0])}, measured "
            f"{rate_text(measured[0])}. Stable while αλ < 2 + 2μ = {limit:.4g}, i.e. α < {limit / top:.4g} here: "
            + verdict)


def optimum_measured_clause(measured, rate):
    """The optimum's measured rate against its predicted r: at the band's edges the roots are double, so the
    distance falls like t·rᵗ and a finite run measures above r; the words follow the measurement."""
    if not np.isfinite(measured):
        return f"measured on the core's run: {rate_text(measured)}"
    if measured > rate:
        return (f"measured on the core's run: {measured:.4f}; at the edges the roots are double, so the distance "
                "falls like t·rᵗ and a finite run measures a little above r")
    return f"measured on the core's run: {measured:.4f}, not above r"


def quiz_reveal(start, steps, mus, measured, predicted, distances, last_regimes):
    """The reveal at the question's fixed α: measured and predicted rates, and which μ is slower than none.

    The μ = 0.9 claim is checked on the numbers: slower than plain GD when its measured rate is larger;
    ``last_regimes``: the regime of the largest μ along each eigenvalue.
    """
    text = (f"The core ran all four from ({start[0]:g}, {start[1]:g}) for {steps} steps in one batched call. "
            "Measured rates per step: " + ", ".join(f"μ = {m:g}: **{r:.4f}**" for m, r in zip(mus, measured))
            + " (theory: " + ", ".join(f"{r:.4f}" for r in predicted) + "). ")
    largest = len(mus) - 1
    if measured[largest] > measured[0]:
        text += f"μ = {mus[largest]:g} is *slower than no momentum*"
        text += (f": both directions are then in the ripple regime, where the rate is √μ = {predicted[largest]:.4f} "
                 "for every α inside that band. " if all(r == "ripples" for r in last_regimes) else ". ")
    else:
        text += f"μ = {mus[largest]:g} is not slower than no momentum here. "
    return text + (f"After {steps} steps the distances are " + ", ".join(short_number(d, 3) for d in distances) + ".")
