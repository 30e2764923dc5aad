"""The RMSprop lesson (pages/rmsprop_scaling.py): its core calls and its figures.

Pure figure builders for the RMSprop lesson: data in, figure out; no Streamlit calls.

The two coordinates get the two Okabe–Ito colours no optimizer uses (blue for x, reddish
purple for y), so an optimizer's colour always means the optimizer and these always mean an axis.
"""


import numpy as np
import streamlit as st

import optimizers as opt
from ui.catalog import CATALOG
from ui.figures import FONT, SpecFigure, paths_figure
from ui.runs import Path


def path_gap(a: Path, b: Path) -> float:
    """The largest distance between two paths, step by step; inf if either left the finite world."""
    if a.error or b.error or a.diverged_at >= 0 or b.diverged_at >= 0:
        return float("inf")
    with np.errstate(over="ignore"):
        return float(np.max(np.linalg.norm(a.points - b.points, axis=-1)))


def scaled_curvature_ratio(surface_key: str, lr_eff: np.ndarray) -> float:
    """Median over the steps of the curvature ratio the per-coordinate steps see.

    RMSprop's step is P·g with P = diag(lr_eff); on a quadratic with Hessian H that is gradient
    descent on a surface of Hessian √P H √P.  Its largest/smallest eigenvalue is 10 for plain SGD
    on both bowls; a good per-coordinate scaling brings it toward 1.
    """
    surface = opt.surfaces.get(surface_key)
    hessian = surface.grad(np.eye(surface.dim)) - surface.grad(np.zeros(surface.dim))   # exact: a quadratic
    root = np.sqrt(lr_eff[np.all(np.isfinite(lr_eff), axis=-1)])
    if root.size == 0:
        return float("nan")
    eigenvalues = np.linalg.eigvalsh(root[:, :, None] * hessian * root[:, None, :])
    return float(np.median(eigenvalues[:, -1] / eigenvalues[:, 0]))


@st.cache_data(max_entries=64, show_spinner=False)
def eps_sweep(lr: float, rho: float, eps_values: tuple, surface_key: str, start: tuple, steps: int) -> dict:
    """RMSprop(α, ρ, ε) against SGD with learning rate α/ε, for every ε at once (one batched run each).

    Returns arrays over ε: ``gap``, the largest distance between the two paths over the distance
    from the start to the minimum (NaN where either diverged), ``sgd_diverged``, and ``sqrt_v_over_eps``,
    the largest √v/ε along RMSprop's run: the relative size of what tells RMSprop from SGD(α/ε).
    """
    surface = opt.surfaces.get(surface_key)
    eps = np.array(eps_values, dtype=float)[:, None]
    x0 = np.broadcast_to(np.array(start, dtype=float), (len(eps_values), surface.dim)).copy()
    rms = opt.run(opt.rmsprop(lr, alpha=rho, eps=eps), surface.grad, x0, int(steps), keep_state=True)
    with np.errstate(divide="ignore"):
        sgd = opt.run(opt.sgd(lr / eps), surface.grad, x0, int(steps))
    failed = (rms.diverged_at >= 0) | (sgd.diverged_at >= 0)
    with np.errstate(invalid="ignore", over="ignore"):
        gaps = np.linalg.norm(rms.params - sgd.params, axis=-1).max(axis=0, initial=0.0)
        gaps = np.where(failed, np.nan, gaps) / surface.distance_to_minimum(np.array(start, dtype=float))
        ratio = np.sqrt(np.where(np.isfinite(rms.states["v"]), rms.states["v"], 0.0)).max(axis=(0, 2), initial=0.0)
    return dict(eps=eps[:, 0], gap=gaps, sgd_diverged=sgd.diverged_at >= 0, sqrt_v_over_eps=ratio / eps[:, 0])


COORD_COLORS = {"x": "#0072B2", "y": "#CC79A7"}
SGD_COLOR = CATALOG["sgd"].color
RMS_COLOR = CATALOG["rmsprop"].color


def state_figure(traced, lr, eps, height=460):
    """Two panels against the step, one line per coordinate (log axes).

    Top: g² (faint) and its running mean v.  Bottom: the step size RMSprop gives each coordinate,
    α/(√v + ε), beside SGD's single α (dashed).  ``traced`` is a ``runs.TracedPath`` of RMSprop.
    """
    traces = []
    steps = np.arange(1, len(traced.grads) + 1)
    v, lr_eff = traced.states.get("v"), traced.states.get("lr_eff")
    for i, axis in enumerate("xy"[: traced.grads.shape[-1]]):
        color = COORD_COLORS[axis]
        traces.append(dict(type="scatter", x=steps, y=traced.grads[:, i] ** 2, mode="lines", name=f"{axis}: g²",
                           legendgroup=axis, line=dict(color=color, width=1, dash="dot"), opacity=0.6,
                           xaxis="x", yaxis="y", hovertemplate=f"step %{{x}}<br>g{axis}² = %{{y:.4g}}<extra></extra>"))
        traces.append(dict(type="scatter", x=steps, y=v[:, i], mode="lines", name=f"{axis}: v, the mean of g²",
                           legendgroup=axis, line=dict(color=color, width=3), xaxis="x", yaxis="y",
                           hovertemplate=f"step %{{x}}<br>v{axis} = %{{y:.4g}}<extra></extra>"))
        traces.append(dict(type="scatter", x=steps, y=lr_eff[:, i], mode="lines",
                           name=f"{axis}: step size α/(√v+ε)", legendgroup=axis,
                           line=dict(color=color, width=3), xaxis="x2", yaxis="y2",
                           hovertemplate=f"step %{{x}}<br>{axis}: α/(√v+ε) = %{{y:.4g}}<extra></extra>"))
    ends = [steps[0], steps[-1]] if len(steps) else [1, 1]
    traces.append(dict(type="scatter", x=ends, y=[lr, lr], mode="lines", name="SGD: α for both",
                       line=dict(color=SGD_COLOR, width=2.5, dash="dash"), xaxis="x2", yaxis="y2",
                       hovertemplate=f"SGD's step size α = {lr:g}<extra></extra>"))
    annotations = [
        dict(text="<b>running mean of g²</b> (dotted: g² itself)", x=0, y=1.0, xref="paper", yref="paper",
             xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=13)),
        dict(text="<b>step size per coordinate</b> α/(√v + ε)", x=0, y=0.45, xref="paper", yref="paper",
             xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=13)),
    ]
    if eps > 0 and lr_eff is not None and np.any(np.isfinite(lr_eff)) and lr / eps < 30 * np.nanmax(lr_eff):
        traces.append(dict(type="scatter", x=ends, y=[lr / eps] * 2, mode="lines", name="ceiling α/ε",
                           line=dict(color="#555555", width=1.5, dash="dot"), xaxis="x2", yaxis="y2",
                           hovertemplate=f"α/ε = {lr / eps:.4g}: no coordinate's step size can exceed it"
                                         "<extra></extra>"))
    top = dict(domain=[0.58, 1.0], type="log", exponentformat="power", title=dict(text="g², v"))
    finite_v = v[np.isfinite(v) & (v > 0)] if v is not None else np.empty(0)
    if finite_v.size:       # the axis follows v; g², which falls much faster near the minimum, may leave it
        top["range"] = [np.log10(finite_v.min()) - 1.0, np.log10(finite_v.max()) + 0.5]
        annotations[0]["text"] = "<b>running mean of g²</b> (dotted: g² itself, cut off below)"
    layout = dict(
        height=height, font=FONT, margin=dict(l=70, r=10, t=30, b=110), annotations=annotations,
        xaxis=dict(anchor="y", domain=[0, 1], matches="x2", showticklabels=False),
        yaxis=top,
        xaxis2=dict(anchor="y2", domain=[0, 1], title=dict(text="step t")),
        yaxis2=dict(domain=[0.0, 0.44], type="log", exponentformat="power", title=dict(text="step size")),
        legend=dict(orientation="h", x=0, y=-0.18, yanchor="top"),
    )
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


def scale_figure(surface, scaled_paths, reference_paths, background, height=520):
    """The paths on c·f (animated, as on the flagship) with the same optimizers' paths on f dashed."""
    figure = paths_figure(surface, scaled_paths, background, height=height)
    spec = figure.to_dict()
    for path in reference_paths:
        if path.error is None:
            spec["data"].append(dict(type="scatter", x=path.points[:, 0], y=path.points[:, 1], mode="lines",
                                     name=f"{path.label} at c = 1", legendgroup=path.key,
                                     line=dict(color=path.color, width=1.5, dash="dash"), opacity=0.9,
                                     hovertemplate=f"{path.label} on f (c = 1)<br>step %{{pointNumber}}"
                                                   "<extra></extra>"))
    return figure


def eps_sweep_figure(sweep, eps, gap_now, height=460, ceiling=10.0):
    """How far RMSprop(α, ε) strays from SGD with learning rate α/ε, as ε grows (log–log).

    Where SGD at α/ε diverges or strays by more than ``ceiling`` start distances the curve is
    not drawn; a shaded band says so instead of clipping in silence.
    """
    eps_values, gap = sweep["eps"], sweep["gap"]
    lost = ~np.isfinite(gap) | (gap > ceiling)
    shown = np.where(lost, np.nan, gap)
    traces = [
        dict(type="scatter", x=eps_values, y=shown, mode="lines+markers", name="measured: largest gap between the paths",
             line=dict(color=RMS_COLOR, width=3), marker=dict(size=6),
             hovertemplate="ε = %{x:.3g}<br>gap / start distance = %{y:.3g}<extra></extra>"),
        dict(type="scatter", x=eps_values, y=sweep["sqrt_v_over_eps"], mode="lines",
             name="largest √v/ε along RMSprop's run", line=dict(color="#555555", width=2, dash="dash"),
             hovertemplate="ε = %{x:.3g}<br>max √v/ε = %{y:.3g}<extra></extra>"),
    ]
    if np.isfinite(gap_now) and gap_now <= ceiling:
        traces.append(dict(type="scatter", x=[eps], y=[gap_now], mode="markers", name=f"now: ε = {eps:g}",
                           marker=dict(color=RMS_COLOR, size=16, symbol="diamond", line=dict(color="white", width=2)),
                           hovertemplate="ε = %{x:.3g}<br>gap / start distance = %{y:.3g}<extra></extra>"))
    shapes, annotations = [], []
    if lost.any():
        edge = eps_values[np.flatnonzero(lost)[-1]]
        shapes.append(dict(type="rect", xref="x", yref="paper", x0=eps_values[0], x1=edge, y0=0, y1=1,
                           fillcolor=SGD_COLOR, opacity=0.12, line=dict(width=0), layer="below"))
        annotations.append(dict(text=f"SGD at α/ε<br>runs away<br>(gap > {ceiling:g})", x=np.log10(edge), y=0.03,
                                xref="x", yref="paper", xanchor="right", yanchor="bottom", showarrow=False,
                                font=dict(size=12, color="#8a5a00")))
    shapes.append(dict(type="line", xref="x", yref="paper", x0=eps, x1=eps, y0=0, y1=1,
                       line=dict(color=RMS_COLOR, width=1.5, dash="dot")))
    layout = dict(height=height, font=FONT, margin=dict(l=70, r=10, t=30, b=60), shapes=shapes,
                  annotations=annotations,
                  xaxis=dict(type="log", exponentformat="power", title=dict(text="ε  (log scale)")),
                  yaxis=dict(type="log", exponentformat="power", range=[-5, np.log10(ceiling) + 0.3],
                             title=dict(text="largest gap / start distance")),
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))
