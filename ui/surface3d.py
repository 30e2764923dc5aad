"""The 3-D view of a 2-D surface: the loss as a height field with every path on it (a pure figure builder).

The height drawn is h = log₁₀(1 + f − f*), f* the lowest value known (the surface's minimum, or lower if the
grid or a path found lower): monotone in f, equal to (f − f*)/ln 10 near the minimum, so a bowl stays a bowl,
while the walls of Rosenbrock's valley (f up to 2 500) no longer hide its floor.  The axis says so.

Each path is drawn up to the step the 2-D view shows (its ``<key>_step`` link parameter; the last animation
frame at or before it, as the 2-D chart picks), its head marked there; a run that diverged stops at its last
finite point, marked ✕ and named so in the legend.  The paths are drawn a hair (LIFT) above the surface, which
would hide them otherwise.  Arrays go out as float32 and each path as at most
``MAX_POINTS`` points, which keeps the payload well under 300 KB at 1 000 steps.
"""

import numpy as np
import plotly.graph_objects as go

from ui.figures import FONT, frame_steps, last_finite, star_label, stop_text
from ui.narrow import narrow_meta

GRID = 80               # surface samples per axis
MAX_POINTS = 400        # points drawn per path (an even subsample that keeps the step shown and the first)
SURFACE_COLOURS = [[0.0, "#E8F0FA"], [0.35, "#A5C4E4"], [1.0, "#3F6FA3"]]     # the 2-D background's light blues
HEIGHT_TITLE = "log₁₀(1 + f − f*)"
LIFT = 0.012            # of the height range: how far above the surface the paths are drawn
# On a narrow chart (a phone) the chart is this tall: the scene's scale follows the height, so a 600-px-tall
# chart 358 px wide cut the scene at its sides and left a blank band under it.
NARROW_HEIGHT = 420
# Scene units (about 20 px there) the landscape moves right (its height title is on its left) and up.
NARROW_SHIFT = dict(right=0.16, up=0.08)


def shown_step(paths, step):
    """The step the 2-D chart shows for a linked ``step``: the last of its frames at or before it (0 if none)."""
    steps = max((len(p.points) - 1 for p in paths), default=0)
    frames = frame_steps(steps)
    return int(frames[frames <= max(int(step), 0)].max())


def _grid(surface):
    xs = np.linspace(*surface.x_range, GRID)
    ys = np.linspace(*surface.y_range, GRID)
    with np.errstate(all="ignore"):
        return xs, ys, surface.loss(np.stack(np.meshgrid(xs, ys), axis=-1))


def _kept(indices):
    """At most MAX_POINTS of ``indices`` (sorted), evenly, always with the first and the last."""
    if len(indices) <= MAX_POINTS:
        return indices
    return indices[np.unique(np.round(np.linspace(0, len(indices) - 1, MAX_POINTS)).astype(int))]


def _shifted_camera(eye, right, up):
    """A camera looking from ``eye`` at the scene's centre, moved so the scene is drawn ``right`` scene units to
    the right and about ``up`` units higher on the screen: eye and centre move together (a translation, no turn),
    along the screen's left (eye × z, normalised) and down the z axis."""
    x, y = eye["y"], -eye["x"]                     # eye × (0, 0, 1): the screen's left, seen from the eye
    norm = (x * x + y * y) ** 0.5
    dx, dy, dz = right * x / norm, right * y / norm, -up
    return dict(eye=dict(x=eye["x"] + dx, y=eye["y"] + dy, z=eye["z"] + dz), center=dict(x=dx, y=dy, z=dz))


def surface3d_figure(surface, paths, step, height=600):
    """The surface in 3-D with each path (``ui.runs.Path``) drawn up to ``step``; pure, no Streamlit."""
    paths = [p for p in paths if p.error is None]
    xs, ys, losses = _grid(surface)
    known = [surface.min_value, np.nanmin(np.where(np.isfinite(losses), losses, np.nan))]
    known += [np.min(p.losses[: last_finite(p) + 1]) for p in paths if last_finite(p) >= 0]
    f_star = float(np.nanmin(known))

    def height_of(f):
        with np.errstate(all="ignore"):
            return np.log10(1.0 + (np.asarray(f, dtype=float) - f_star))

    shown = shown_step(paths, step)
    heights = height_of(losses)
    # Paths ride LIFT of the height range above the surface: drawn exactly on it, the surface hides them.
    lift = LIFT * float(np.nanmax(heights) - np.nanmin(heights)) if np.isfinite(heights).any() else 0.0
    traces = [go.Surface(x=xs.astype(np.float32), y=ys.astype(np.float32), z=heights.astype(np.float32),
                         colorscale=SURFACE_COLOURS, showscale=False, opacity=0.9, name="f", hoverinfo="skip",
                         contours=dict(z=dict(show=True, usecolormap=False, color="#808080", width=1)))]
    for path in paths:
        end = min(shown, last_finite(path))
        if end < 0:
            continue
        index = _kept(np.arange(end + 1))
        points, z = path.points[index], height_of(path.losses[index]) + lift
        diverged = path.diverged_at >= 0 and end == last_finite(path)
        name = stop_text(path, surface.min_value) if diverged else path.label
        traces.append(go.Scatter3d(
            x=points[:, 0].astype(np.float32), y=points[:, 1].astype(np.float32), z=z.astype(np.float32),
            mode="lines", name=name, legendgroup=path.key, line=dict(color=path.color, width=6),
            hovertemplate=f"{path.label}<br>x = %{{x:.4g}}, y = %{{y:.4g}}<extra></extra>"))
        traces.append(go.Scatter3d(
            x=[float(points[-1, 0])], y=[float(points[-1, 1])], z=[float(z[-1])], mode="markers",
            name=f"{path.label} at step {end}", legendgroup=path.key, showlegend=False,
            marker=dict(color=path.color, size=7, symbol="x" if diverged else "circle",
                        line=dict(color="#FFFFFF", width=2)),
            hovertemplate=f"{path.label}, step {end}<extra></extra>"))
    low = surface.minima[0]
    traces.append(go.Scatter3d(x=[low[0]], y=[low[1]], z=[float(height_of(surface.min_value))], mode="markers",
                               name=star_label(surface), marker=dict(symbol="diamond", size=6, color="#808080"),
                               hovertemplate=f"{star_label(surface)} (%{{x:.4g}}, %{{y:.4g}})<extra></extra>"))
    span_x = surface.x_range[1] - surface.x_range[0]
    span_y = surface.y_range[1] - surface.y_range[0]
    scale = max(span_x, span_y)
    eye = dict(x=1.2, y=-1.3, z=1.5)
    scene = dict(xaxis=dict(title=dict(text="x"), range=list(surface.x_range)),
                 yaxis=dict(title=dict(text="y"), range=list(surface.y_range)),
                 zaxis=dict(title=dict(text=HEIGHT_TITLE)),
                 aspectmode="manual", aspectratio=dict(x=span_x / scale, y=span_y / scale, z=0.6),
                 camera=dict(eye=eye))
    # On a phone: a shorter chart, the camera further off and fewer ticks.  The scene's scale follows its height,
    # so the 600-px-tall chart, 358 px wide, cut the landscape and its height title at the sides and left blank
    # bands above and under it.
    narrow_scene = {**scene, "camera": _shifted_camera(eye, **NARROW_SHIFT),
                    **{axis: {**scene[axis], "nticks": 5} for axis in ("xaxis", "yaxis", "zaxis")}}
    layout = go.Layout(
        height=height, font=FONT, margin=dict(l=0, r=0, t=30, b=0), uirevision=surface.key,
        legend=dict(orientation="h", x=0, y=1.0, yanchor="bottom"), scene=scene,
        meta=dict(step=shown, narrow=narrow_meta(dict(height=min(height, NARROW_HEIGHT), scene=narrow_scene))))
    return go.Figure(traces, layout)
