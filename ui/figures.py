"""Pure figure builders: data in, ``go.Figure`` out; no Streamlit calls.

The animated views draw each full path once (on a white casing over a surface) and let the frames
move only the heads (one point per optimizer), so 4 paths × 200 frames stay well under 150 KB.
The 2-D surface is a shaded PNG under the axes, not a filled ``go.Contour``: a filled
contour vanishes when a Plotly animation starts (plotly.js #4491).
"""

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from . import palette
from .axes import log_ticks
from .divergence import diverging_from, stop_kind

MAX_FRAMES = 200
LEGEND_GAP = 66          # px from a panel's x axis to a legend under it: the tick labels and the x title fit between
LEGEND_ROW = 31          # px a row of a horizontal legend takes
MARKER_STEPS = 60        # paths longer than this are drawn as lines: per-point markers cost Plotly ~40 ms
SPEEDS = {"slow": 250, "normal": 80, "fast": 25}   # milliseconds per frame
FONT = dict(family="Source Sans Pro, sans-serif", size=14)


# ---- the surface as a picture ------------------------------------------------------------

UNDEFINED_GREY, UNDEFINED_HATCH = (200, 200, 200), (150, 150, 150)     # where f is not finite
_LIGHT_RAMP = np.array([[255, 255, 255], [232, 240, 250], [203, 221, 240], [165, 196, 228], [126, 166, 211]])


def surface_background(surface, width=360, height=300, levels=16):
    """A data-URI PNG of a 2-D surface: log-scaled loss in light bands with darker level lines.

    Banding the log of f - min f gives the look of a contour plot in a static image.  Where f is not finite
    (a typed log(y) below 0, say) the picture is hatched grey: no value, so no band, and not the lowest one.
    """
    xs = np.linspace(*surface.x_range, width)
    ys = np.linspace(*surface.y_range, height)[::-1]          # image rows run top to bottom
    grid = np.stack(np.meshgrid(xs, ys), axis=-1)
    with np.errstate(all="ignore"):
        gap = surface.loss(grid) - np.nanmin(surface.loss(grid))
        shade = np.log10(gap + 1e-3 * (np.nanpercentile(gap, 50) + 1e-12))
    finite = np.isfinite(shade)
    low, high = np.percentile(shade[finite], [0.5, 99.5]) if finite.any() else (0.0, 1.0)
    scaled = np.where(finite, (shade - low) / (high - low + 1e-12) * levels, 0.0)
    band = np.where(finite, np.clip(scaled, 0, levels - 1).astype(int), -1)
    colours = _ramp(np.clip(band, 0, None) / (levels - 1))
    edge = np.zeros(band.shape, bool)
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    colours[edge] = (colours[edge] * 0.72).astype(np.uint8)
    rows, columns = np.indices(band.shape)
    hatch = (rows + columns) % 8 < 2
    colours[~finite] = np.where(hatch[~finite, None], UNDEFINED_HATCH, UNDEFINED_GREY)
    buffer = io.BytesIO()
    Image.fromarray(colours, "RGB").save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _ramp(t):
    """Interpolate the light blue ramp at t in [0, 1] -> uint8 RGB."""
    position = t * (len(_LIGHT_RAMP) - 1)
    lower = np.floor(position).astype(int).clip(0, len(_LIGHT_RAMP) - 2)
    frac = (position - lower)[..., None]
    return (_LIGHT_RAMP[lower] * (1 - frac) + _LIGHT_RAMP[lower + 1] * frac).astype(np.uint8)


# ---- shared pieces -----------------------------------------------------------------------

def frame_steps(steps, max_frames=MAX_FRAMES):
    """Which steps get an animation frame: all of them, or an even subsample ending at ``steps``."""
    count = min(steps + 1, max_frames + 1)
    return np.unique(np.round(np.linspace(0, steps, count)).astype(int))


def last_finite(path):
    """Index of the last point that was drawn (the step before divergence)."""
    return path.diverged_at - 1 if path.diverged_at >= 0 else len(path.points) - 1


# The animation's controls (Play/Pause, speed, step) are HTML under the plot, drawn by ui/plot's component
# from ``layout.meta.animation``: Plotly's own SVG menus and slider cannot take keyboard focus.  They take
# CONTROLS_PX of the height a page asks for, so a chart with its controls is as tall as before.
CONTROLS_PX, PATHS_MARGIN = 44, dict(l=60, r=20, t=30, b=50)


def animation_meta(speed="normal"):
    """What the component needs to play the frames: milliseconds per frame for each speed, and the default."""
    return dict(speeds=dict(SPEEDS), speed=speed)


def _path_trace(path, x, y, dim):
    """The whole path, faint; one marker per step while the steps are few enough to tell apart."""
    hover = (f"{path.label}<br>step %{{pointNumber}}<br>"
             + ("θ = %{x:.6g}<br>f = %{y:.6g}" if dim == 1 else "x = %{x:.6g}<br>y = %{y:.6g}")
             + "<extra></extra>")
    mode = "lines+markers" if len(x) - 1 <= MARKER_STEPS else "lines"
    return dict(type="scatter", x=x, y=y, mode=mode, name=path.label, legendgroup=path.key,
                line=dict(color=path.color, width=2), opacity=1,
                marker=dict(color=path.color, size=5, symbol=path.symbol,
                            line=dict(color="white", width=1.5 if dim == 2 else 0)), hovertemplate=hover)


def _casing_trace(path, x, y, width=2):
    """A white line under a 2-D path: the path reads on every band of the surface picture, in either theme
    (every catalogue colour holds 3:1 against white, ui/palette.py)."""
    return dict(type="scatter", x=x, y=y, mode="lines", name=f"{path.label} (casing)", legendgroup=path.key,
                showlegend=False, hoverinfo="skip", line=dict(color="white", width=width + 3))


def _head_trace(path, x, y, xref="x", yref="y"):
    return dict(type="scatter", x=[x], y=[y], mode="markers", name=path.label, legendgroup=path.key,
                showlegend=False, hoverinfo="skip", xaxis=xref, yaxis=yref,
                marker=dict(color=path.color, size=16, symbol=path.symbol, line=dict(color="white", width=2)))


def star_label(surface):
    """The star's name: "minimum" on a named surface, whose minima are known; "lowest point found" on a typed
    one (key ``"typed"``), whose f* is the lowest point a sample found, an estimate."""
    return "lowest point found" if surface.key == "typed" else "minimum"


def stop_text(path, min_value=None):
    """What a path's ✕ says: "diverged" if its numbers blew up before they left the finite world
    (:func:`ui.divergence.stop_kind`), "NaN" if a value became not-a-number out of normal-sized ones."""
    if min_value is not None and stop_kind(path.losses, min_value, path.diverged_at) == "nan":
        return f"{path.label}: NaN at step {path.diverged_at}"
    return f"{path.label} diverged at step {path.diverged_at}"


def _divergence_marks(path, x, y, min_value=None, xref="x", yref="y"):
    """An ✕ where the path left the finite world and a note naming the step (and NaN when it was not a blow-up)."""
    trace = dict(type="scatter", x=[x], y=[y], mode="markers", name=f"{path.label} diverged",
                 legendgroup=path.key, showlegend=False, hoverinfo="skip", xaxis=xref, yaxis=yref,
                 marker=dict(color=path.color, size=18, symbol="x", line=dict(color="white", width=1.5)))
    note = dict(x=x, y=y, text=stop_text(path, min_value), showarrow=True,
                arrowcolor=path.color, font=dict(color=path.color, size=13), bgcolor="rgba(255,255,255,0.85)",
                ax=30, ay=-30, xref=xref, yref=yref)
    return trace, note


NOTE_GAP_PX = 22         # notes that would print on the same spot are moved this far apart


def _unstack(notes, key="ay", sign=-1):
    """Notes at the same spot (same axes, x and y to 6 digits) get successive offsets, so none hides another."""
    seen = {}
    for note in notes:
        spot = (note.get("xref"), note.get("yref"), f"{note['x']:.6g}", f"{note['y']:.6g}")
        count = seen.get(spot, 0)
        seen[spot] = count + 1
        if count:
            note[key] = note.get(key, 0) + sign * NOTE_GAP_PX * count
    return notes


class SpecFigure(go.Figure):
    """A ``go.Figure`` that hands Streamlit its spec as built, instead of rebuilding it.

    Constructing 200 animation frames as Plotly objects costs ~45 ms and converting them back
    ~15 ms; the builders here already produce valid plain data, so the spec is kept as is.
    ``to_dict`` is what ``st.plotly_chart`` and ``plotly.io.to_json`` read.  The empty template
    skips deep-copying Plotly's default one (~3 ms), which never reaches the browser anyway.
    """

    def __init__(self, spec):
        super().__init__(layout=dict(template={}))
        self._spec = spec

    def to_dict(self):
        return self._spec


def _figure(traces, layout, frames):
    return SpecFigure(dict(data=traces, layout=layout, frames=frames))


def _short(value):
    """A head position for an animation frame: 7 significant digits are plenty on screen."""
    return float(f"{value:.7g}")


# ---- the animated views ------------------------------------------------------------------

def paths_figure(surface, paths, background=None, height=600, step_panel=False):
    """The surface with every optimizer's path and an animated head per path.

    1-D surfaces: the loss curve with each iterate on it; with ``step_panel``, a second panel under
    it draws θ against the step, its heads moved by the same frames (so runs that walk the same
    curve at different speeds come apart on screen).  2-D: the shaded surface (``background``, a
    data URI from :func:`surface_background`) with the paths over it.  ``height`` is the chart's with
    its animation controls (``CONTROLS_PX`` of it, under the plot; ``layout.meta.animation`` describes them).
    """
    paths = [p for p in paths if p.error is None]
    steps = max((len(p.points) - 1 for p in paths), default=0)
    shown = frame_steps(steps)
    step_panel = step_panel and surface.dim == 1
    if surface.dim == 1:
        traces, layout = _base_1d(surface, paths, step_panel)
        coords = [(p.points[:, 0], p.losses) for p in paths]
    else:
        traces, layout = _base_2d(surface, paths, background)
        coords = [(p.points[:, 0], p.points[:, 1]) for p in paths]
    panels = [("x", "y", coords)]
    if step_panel:
        traces += _step_panel_traces(surface, paths)
        panels.append(("x2", "y2", [(np.arange(len(p.points)), p.points[:, 0]) for p in paths]))

    annotations = []
    for xref, yref, panel_coords in panels:
        for path, (x, y) in zip(paths, panel_coords):
            if path.diverged_at >= 0:
                k = last_finite(path)
                trace, note = _divergence_marks(path, x[k], y[k], surface.min_value, xref, yref)
                traces.append(trace)
                if xref == "x":
                    annotations.append(note)
    if step_panel:
        annotations += _blowup_notes(surface, paths) + [dict(STEP_PANEL_TITLE)]
    heads = []
    for xref, yref, panel_coords in panels:
        heads += [len(traces) + i for i in range(len(paths))]
        traces += [_head_trace(p, x[0], y[0], xref, yref) for p, (x, y) in zip(paths, panel_coords)]

    frames = []
    for k in shown:
        data = []
        for _, _, panel_coords in panels:
            for path, (x, y) in zip(paths, panel_coords):
                i = min(k, last_finite(path))
                data.append(dict(x=[_short(x[i])], y=[_short(y[i])]))
        frames.append(dict(name=str(k), data=data, traces=heads))

    layout.update(meta=dict(animation=animation_meta()), annotations=_unstack(annotations), height=height - CONTROLS_PX,
                  margin=PATHS_MARGIN, font=FONT, uirevision=surface.key,
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    return _figure(traces, layout, frames)


STEP_PANEL_TOP = 0.30    # the θ-against-step panel fills the plot area's bottom third; the curve starts at 0.5
STEP_PANEL_TITLE = dict(xref="paper", yref="paper", x=0, y=STEP_PANEL_TOP, xanchor="left", yanchor="bottom",
                        showarrow=False, text="θ against step t  (dashed: the minimum)", font=dict(size=13))


def _step_panel_traces(surface, paths):
    """θ against the step for each path (no legend entry: the curve's paths carry it) and θ* as a dashed line."""
    steps = max(len(p.points) - 1 for p in paths) if paths else 1
    traces = [dict(type="scatter", x=[0, steps], y=[m[0], m[0]], mode="lines", name=f"minimum θ = {m[0]:.4g}",
                   xaxis="x2", yaxis="y2", showlegend=False, hoverinfo="skip",
                   line=dict(color="#888888", width=1.5, dash="dash")) for m in surface.minima]
    for path in paths:
        traces.append(dict(type="scatter", x=np.arange(len(path.points)), y=path.points[:, 0], mode="lines",
                           name=path.label, legendgroup=path.key, showlegend=False, xaxis="x2", yaxis="y2",
                           line=dict(color=path.color, width=2), opacity=1,
                           hovertemplate=f"{path.label}<br>step %{{x}}<br>θ = %{{y:.6g}}<extra></extra>"))
    return traces


def _blowup_notes(surface, paths):
    """On the step panel: "X diverging from step k" for each path whose loss blew up while still finite."""
    low, high = surface.x_range
    notes = []
    for path in paths:
        k = diverging_from(path.losses, surface.min_value)
        if k >= 0 and path.diverged_at < 0:
            notes.append(dict(x=k, y=float(np.clip(path.points[k, 0], low, high)), xref="x2", yref="y2",
                              text=f"{path.label} diverging from step {k}", showarrow=True, ax=40, ay=-24,
                              arrowcolor=path.color, font=dict(color=path.color, size=13),
                              bgcolor="rgba(255,255,255,0.85)"))
    return notes


def _base_1d(surface, paths, step_panel=False):
    xs = np.linspace(*surface.x_range, 400)
    fs = surface.loss(xs[:, None])
    curve = dict(type="scatter", x=xs, y=fs, mode="lines", name="f(θ)", hoverinfo="skip",
                 line=dict(color="#888888", width=3), showlegend=False)
    traces = [curve] + [_path_trace(p, p.points[:, 0], p.losses, 1) for p in paths]
    span = fs.max() - fs.min()
    layout = dict(xaxis=dict(title=dict(text="θ"), range=list(surface.x_range)),
                  yaxis=dict(title=dict(text="loss f(θ)"), range=[fs.min() - 0.08 * span, fs.max() + 0.08 * span]))
    if step_panel:
        steps = max((len(p.points) - 1 for p in paths), default=1)
        layout["yaxis"]["domain"] = [0.5, 1.0]
        # No x title: the panel's title above it names the axes.
        layout["xaxis2"] = dict(anchor="y2", range=[-0.02 * steps, 1.02 * steps])
        layout["yaxis2"] = dict(title=dict(text="θ"), anchor="x2", domain=[0.0, STEP_PANEL_TOP],
                                range=list(surface.x_range))
    return traces, layout


def _base_2d(surface, paths, background):
    minima = np.array(surface.minima)
    traces = [dict(type="scatter", x=minima[:, 0], y=minima[:, 1], mode="markers", name="minimum",
                   # one look everywhere, a white star with a dark edge: the edge draws it on white (the light page, the
                   # light surface picture), the fill on the dark page. A dark star in a white ring vanished in the dark
                   # theme's legend but for its ring. White is no optimizer's colour; every grey is (Lion's), or near one.
                   marker=dict(symbol="star", size=15, color=palette.CASING,
                               line=dict(color=palette.SURFACE_INK, width=1.5)),
                   hovertemplate="minimum (%{x:.4g}, %{y:.4g})<extra></extra>")]
    for p in paths:   # each path on a white casing, so it reads on every band of the surface picture
        traces += [_casing_trace(p, p.points[:, 0], p.points[:, 1]), _path_trace(p, p.points[:, 0], p.points[:, 1], 2)]
    (x0, x1), (y0, y1) = surface.x_range, surface.y_range
    layout = dict(xaxis=dict(title=dict(text="x"), range=[x0, x1], showgrid=False, zeroline=False, constrain="domain"),
                  yaxis=dict(title=dict(text="y"), range=[y0, y1], showgrid=False, zeroline=False,
                             scaleanchor="x", scaleratio=1, constrain="domain",
                             # a y label reaching past the plot's edge is not drawn: one at the lower corner sat on
                             # the x axis' first label (the labels inside the plot cannot reach the x axis' labels)
                             ticklabeloverflow="hide past domain"),
                  plot_bgcolor="rgba(0,0,0,0)")
    if background:
        layout["images"] = [dict(source=background, xref="x", yref="y", x=x0, y=y1, sizex=x1 - x0,
                                 sizey=y1 - y0, xanchor="left", yanchor="top", sizing="stretch",
                                 layer="below")]
    return traces, layout


# ---- the static charts -------------------------------------------------------------------

def progress_figure(paths, surface, height=340):
    """Two panels on log axes: f(θₜ) − f* (left) and the distance to the nearest minimum (right).

    A straight line on either means geometric convergence.  One figure, not two, because each
    Plotly chart costs the browser a full layout pass on every slider move.  Each panel's title is a
    heading above it, not a y-axis title: on a phone the gap between the panels has no room for one,
    and the right panel's would run over the left one.  On a 358-px phone a panel is about 100 px wide: the
    headings are short (the axes' powers of ten say "log scale"), the right one ends at its panel's right edge
    so it may reach over the gap, and the legend hangs LEGEND_GAP px under the panels, in a bottom margin with
    room for the rows a phone wraps it into (about two entries a row).
    """
    best = surface.min_value
    panels = [(lambda p: p.losses - best, "f(θₜ) − f*"), (lambda p: p.distances, "distance to the minimum")]
    shown = [p for p in paths if p.error is None]
    traces, annotations = [], []
    # Room under the panels for the legend as a phone wraps it (about two entries a row): were Plotly to widen
    # the margin itself, the plot would shrink and the legend, placed as a fraction of it, ride up onto the x titles.
    # ``height`` is the chart's with one row of legend; each further row the phone needs adds its own height.
    rows = max(1, -(-len(shown) // 2))
    margin = dict(l=60, r=20, t=40, b=LEGEND_GAP + 8 + LEGEND_ROW * rows)
    height += LEGEND_ROW * (rows - 1)
    below_titles = LEGEND_GAP / (height - margin["t"] - margin["b"])
    layout = dict(height=height, font=FONT, margin=margin,
                  legend=dict(orientation="h", x=0, y=-below_titles, yanchor="top"))
    for panel, (values_of, title) in enumerate(panels):
        suffix = "" if panel == 0 else str(panel + 1)
        left = panel * 0.58
        layout[f"xaxis{suffix}"] = dict(title=dict(text="step t", standoff=6), automargin=True,
                                        domain=[left, left + 0.42], anchor=f"y{suffix}")
        layout[f"yaxis{suffix}"] = dict(type="log", exponentformat="power", anchor=f"x{suffix}",
                                        **log_ticks(*[values_of(p) for p in shown]))
        annotations.append(dict(text=f"<b>{title}</b>", x=panel, xref=f"x{suffix} domain", y=1, yshift=6,
                                yref=f"y{suffix} domain", xanchor="right" if panel else "left", yanchor="bottom",
                                showarrow=False, font=dict(size=13)))
        new_traces, new_notes = _step_traces(paths, values_of, f"x{suffix}", f"y{suffix}", legend=panel == 0,
                                             min_value=best)
        traces += new_traces
        annotations += new_notes
    layout["annotations"] = annotations
    return _figure(traces, layout, [])


def distance_chart(paths, height=320):
    """Distance to the nearest known minimum against the step, on a log axis (its powers of ten say so: with
    "(log scale)" the y title ran past the plot's top in presenter view's larger type)."""
    traces, annotations = _step_traces(paths, lambda p: p.distances, "x", "y")
    layout = dict(height=height, font=FONT, margin=dict(l=60, r=20, t=40, b=45), annotations=annotations,
                  xaxis=dict(title=dict(text="step t")),
                  yaxis=dict(title=dict(text="distance to the minimum"), type="log", exponentformat="power",
                             **log_ticks(*[p.distances for p in paths if p.error is None])),
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    return _figure(traces, layout, [])


def _step_traces(paths, values_of, xaxis, yaxis, legend=True, min_value=None):
    """One line per path against the step on the given axes, with an ✕ and a note where it diverged,
    and (given ``min_value``) a note where a still-finite run started diverging (:mod:`ui.divergence`)."""
    traces, annotations = [], []
    for path in (p for p in paths if p.error is None):
        values = values_of(path)
        steps = np.arange(len(values))
        traces.append(dict(type="scatter", x=steps, y=values, mode="lines", name=path.label, xaxis=xaxis, yaxis=yaxis,
                           legendgroup=path.key, showlegend=legend, line=dict(color=path.color, width=2.5),
                           hovertemplate=f"{path.label}<br>step %{{x}}<br>%{{y:.6g}}<extra></extra>"))
        if path.diverged_at >= 0:
            k = last_finite(path)
            traces.append(dict(type="scatter", x=[k], y=[values[k]], mode="markers", showlegend=False,
                               xaxis=xaxis, yaxis=yaxis, legendgroup=path.key,
                               marker=dict(symbol="x-thin", size=14, color=path.color,
                                           line=dict(color=path.color, width=3)), hoverinfo="skip"))
            text = stop_text(path, min_value).replace(f"{path.label} ", "").replace(f"{path.label}: ", "")
            annotations.append(dict(x=k, y=float(np.log10(max(abs(values[k]), 1e-300))), xref=xaxis, yref=yaxis,
                                    text=text, showarrow=False,
                                    yshift=14, font=dict(color=path.color, size=12)))
        elif min_value is not None and (k := diverging_from(path.losses, min_value)) >= 0:
            annotations.append(dict(x=k, y=float(np.log10(max(abs(values[k]), 1e-300))), xref=xaxis, yref=yaxis,
                                    text=f"diverging from step {k}", showarrow=False, xanchor="left",
                                    yshift=14, font=dict(color=path.color, size=12)))
    return traces, _unstack(annotations, "yshift", 1)
