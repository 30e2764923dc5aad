"""The RMSprop lesson (pages/rmsprop-scaling.py): its core calls and its figures.

Pure figure builders for the RMSprop lesson: data in, figure out; no Streamlit calls.

The two coordinates get the two Okabe–Ito colours no optimizer uses (blue for x, reddish
purple for y), so an optimizer's colour always means the optimizer and these always mean an axis.
"""

import numpy as np
import streamlit as st

import optimizers as opt
from ui import palette
from ui.axes import log_ticks
from ui.catalog import CATALOG
from ui.figures import FONT, SpecFigure, paths_figure
from ui.narrow import with_narrow
from ui.divergence import short_number
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


COORD_COLORS = {"x": palette.BLUE, "y": palette.REDDISH_PURPLE}   # fixed colours that read on both themes
GUIDE = palette.GREY            # the ceiling α/ε and √v/ε (was #555: 2.4:1 on the dark theme)
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
                           legendgroup=axis, line=dict(color=color, width=1, dash="dot"),
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
    heading, note = "<b>running mean of g²</b>", "(dotted: g² itself)"
    annotations = [
        dict(text=f"{heading} {note}", x=0, y=1.0, xref="paper", yref="paper",
             xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=13)),
        dict(text="<b>step size per coordinate</b> α/(√v + ε)", x=0, y=0.45, xref="paper", yref="paper",
             xanchor="left", yanchor="bottom", showarrow=False, font=dict(size=13)),
    ]
    if eps > 0 and lr_eff is not None and np.any(np.isfinite(lr_eff)) and lr / eps < 30 * np.nanmax(lr_eff):
        traces.append(dict(type="scatter", x=ends, y=[lr / eps] * 2, mode="lines", name="ceiling α/ε",
                           line=dict(color=GUIDE, width=1.5, dash="dot"), xaxis="x2", yaxis="y2",
                           hovertemplate=f"α/ε = {lr / eps:.4g}: no coordinate's step size can exceed it"
                                         "<extra></extra>"))
    top = dict(domain=[0.58, 1.0], type="log", exponentformat="power", title=dict(text="g², v"))
    finite_v = v[np.isfinite(v) & (v > 0)] if v is not None else np.empty(0)
    if finite_v.size:       # the axis follows v; g², which falls much faster near the minimum, may leave it
        top["range"] = [np.log10(finite_v.min()) - 1.0, np.log10(finite_v.max()) + 0.5]
        note = "(dotted: g² itself, cut off below)"
        annotations[0]["text"] = f"{heading} {note}"
        top.update(log_ticks(*(10.0 ** np.array(top["range"]))))
    else:
        top.update(log_ticks(traced.grads ** 2))
    ceiling = [lr / eps] if any(t.get("name") == "ceiling α/ε" for t in traces) else []
    layout = dict(
        height=height, font=FONT, margin=dict(l=70, r=10, t=30, b=110), annotations=annotations,
        xaxis=dict(anchor="y", domain=[0, 1], matches="x2", showticklabels=False),
        yaxis=top,
        xaxis2=dict(anchor="y2", domain=[0, 1], title=dict(text="step t")),
        yaxis2=dict(domain=[0.0, 0.44], type="log", exponentformat="power", title=dict(text="step size"),
                    **log_ticks(lr_eff if lr_eff is not None else [], lr, *ceiling)),
        legend=dict(orientation="h", x=0, y=-0.18, yanchor="top"),
    )
    # In a narrow chart (a phone, the page's right column) the top heading's note takes a line of its own: on one
    # line it ran past the chart's right edge.
    two_lines = [{**annotations[0], "text": f"{heading}<br>{note}", "align": "left"}, annotations[1]]
    layout = with_narrow(layout, {"annotations": two_lines, "margin": {**layout["margin"], "t": 48}})
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


def scale_figure(surface, scaled_paths, reference_paths, background, height=520):
    """The paths on c·f (animated, as on the flagship) with the same optimizers' paths on f dashed."""
    figure = paths_figure(surface, scaled_paths, background, height=height)
    spec = figure.to_dict()
    for path in reference_paths:
        if path.error is None:
            # On a white casing: every catalogue colour holds 3:1 against white, so it reads on every band.
            spec["data"].append(dict(type="scatter", x=path.points[:, 0], y=path.points[:, 1], mode="lines",
                                     name=f"{path.label} at c = 1 (casing)", legendgroup=path.key, showlegend=False,
                                     hoverinfo="skip", line=dict(color=palette.CASING, width=4.5)))
            spec["data"].append(dict(type="scatter", x=path.points[:, 0], y=path.points[:, 1], mode="lines",
                                     name=f"{path.label} at c = 1", legendgroup=path.key,
                                     line=dict(color=path.color, width=1.5, dash="dash"),
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
             name="largest √v/ε along RMSprop's run", line=dict(color=GUIDE, width=2, dash="dash"),
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
                                font=dict(size=12, color=SGD_COLOR)))
    shapes.append(dict(type="line", xref="x", yref="paper", x0=eps, x1=eps, y0=0, y1=1,
                       line=dict(color=RMS_COLOR, width=1.5, dash="dot")))
    layout = dict(height=height, font=FONT, margin=dict(l=70, r=10, t=30, b=60), shapes=shapes,
                  annotations=annotations,
                  xaxis=dict(type="log", exponentformat="power", title=dict(text="ε  (log scale)"),
                             **log_ticks(eps_values)),
                  yaxis=dict(type="log", exponentformat="power", range=[-5, np.log10(ceiling) + 0.3],
                             **log_ticks(1e-5, ceiling * 2),
                             title=dict(text="largest gap / start distance")),
                  legend=dict(orientation="h", x=0, y=1.02, yanchor="bottom"))
    return SpecFigure(dict(data=traces, layout=layout, frames=[]))


# ---- live sentences: pure functions of the runs (no Streamlit calls) ------------------------------
# Fixed text elsewhere on the page states formulas (c·f scales g by c, v by c², ε ≫ √v gives SGD(α/ε),
# SGD on these bowls needs α/ε < 2/10) that hold at every setting.

BOWL_START_GRADIENT = "(−5, 20)"      # ∇f at the bowl's start (−5, 2): |g_y| > |g_x| at step 1


def _times(n, total):
    return "at every step" if n == total else "at no step" if n == 0 else f"at {n} of the {total} steps"


def step_size_sentence(lr_eff_bowl):
    """Bullet 1: at how many steps of the bowl's run y's step size α/(√v_y + ε) is below x's."""
    rows = lr_eff_bowl[np.all(np.isfinite(lr_eff_bowl), axis=-1)]
    below = int(np.sum(rows[:, 1] < rows[:, 0]))
    text = (f"On the bowl the gradient across the valley (y, curvature 10) starts larger than along it (x, "
            f"curvature 1), {BOWL_START_GRADIENT} at the start, so v<sub>y</sub> > v<sub>x</sub> at first and y gets "
            f"the smaller step size. In this run it stays smaller {_times(below, len(rows))}")
    if below == len(rows):
        return text + " (on the bowl, the pink line stays under the blue one). SGD gives both coordinates the same α (dashed)."
    return (text + ": as y's distance to the floor shrinks, its gradient can fall below x's and the two lines "
            "cross. SGD gives both coordinates the same α (dashed).")


def first_step_sentence(first_step, lr, rho, eps, rel=0.01):
    """Bullet 2: the core's first step per coordinate against α/√(1 − ρ), which it equals only while ε is
    negligible next to √(1 − ρ)·|g| (step α·|g|/(√(1 − ρ)·|g| + ε))."""
    ideal = lr / np.sqrt(1 - rho)
    core = f"the core's first step: **{short_number(first_step[0], 4)}** in x and **{short_number(first_step[1], 4)}** in y, with α = {lr:g}, ρ = {rho:g}"
    if np.all(np.abs(first_step - ideal) <= rel * ideal):
        return (f"v starts at 0, so at first √v is only √(1−ρ)·|g|: the first step is α/√(1−ρ) = {short_number(ideal, 4)} in each "
                f"coordinate, whatever the gradient ({core}); the step sizes fall as v fills up.")
    return (f"v starts at 0, so at first √v is only √(1−ρ)·|g|, and the first step, α·|g|/(√(1−ρ)·|g| + ε), would "
            f"be α/√(1−ρ) = {short_number(ideal, 4)} in each coordinate if ε were negligible. Here ε = {eps:g} is not ({core}).")


def ratio_sentence(ratios):
    """Bullet 3: the median curvature ratio RMSprop's step sizes leave on each bowl, against SGD's 10."""
    bowl, rotated = ratios["bowl"], ratios["rotated_bowl"]
    bowl_words = ("turn the bowl's curvature ratio of 10 into" if bowl < 10 else
                  "do not lower the bowl's curvature ratio of 10 here: it is")
    rotated_words = "no better than plain SGD's 10" if rotated >= 10 else "barely below plain SGD's 10"
    return (f"RMSprop's step sizes {bowl_words} **{short_number(bowl, 3)}** (median over the run; 1 would be perfect). On the "
            "rotated bowl the steep direction is diagonal: x and y may get different step sizes, but stretching "
            f"along x and y cannot straighten a diagonal valley, and the ratio is **{short_number(rotated, 3)}**, {rotated_words}.")


ROUNDING = 1e-9         # a gap below this fraction of the start's distance is rounding error


def scale_gap_sentence(scale, rms_gap, eps=None, start_distance=1.0):
    """Section 2's 'why': RMSprop's gap on c·f, and what makes it non-zero (ε acts like ε/c); with ε = 0 the
    c cancels exactly and only rounding is left."""
    law = ("on c·f its step is α·c·g/(c·√v + ε) = α·g/(√v + ε/c): scaling the loss by c acts like dividing ε by c")
    gap = short_number(rms_gap, 3)
    if scale == 1:
        return f"**At c = 1 nothing is scaled**, and RMSprop's gap is {gap}. In general {law}."
    if not np.isfinite(rms_gap):
        return f"**RMSprop's run left the finite numbers here.** In general {law}."
    if eps == 0:
        if rms_gap <= ROUNDING * start_distance:
            return (f"**RMSprop's gap here is {gap}: rounding error.** In general {law}; with ε = 0, as here, the "
                    "c cancels exactly, α·c·g/(c·√v) = α·g/√v, and only floating-point rounding tells the two "
                    "paths apart.")
        return (f"**RMSprop's gap here is {gap}.** In general {law}; with ε = 0, as here, the c cancels in exact "
                "arithmetic, so the gap is floating-point rounding that the run amplified along the way.")
    return (f"**RMSprop's gap here is {gap}, and it is not exactly zero because** {law}. With c < 1 and a "
            "path near the minimum (tiny g), √v shrinks toward ε/c and the paths part. Set **ε = 0** above and the "
            "gap falls to rounding error.")


def eps_verdict(sgd_lr, ratio, gap, sgd_diverged, close=0.1):
    """Section 3's box: ("success" | "info", text), from the run's largest √v/ε and path gap."""
    if gap <= close:
        return "success", (f"α/ε = **{short_number(sgd_lr, 3)}**. The largest √v/ε along the run is **{short_number(ratio, 2)}**, and RMSprop's "
                           f"path never strays more than **{short_number(gap, 2)}** of the start distance from SGD with learning "
                           f"rate {short_number(sgd_lr, 3)}.")
    if sgd_diverged:
        outcome = "SGD with that learning rate diverges"
    else:
        outcome = f"the paths part by **{short_number(gap, 3)}** start distances" + (
            ": SGD with that learning rate runs away" if gap > 10 else "")
    if ratio < 1:
        return "info", (f"α/ε = **{short_number(sgd_lr, 3)}** and √v/ε reaches only **{short_number(ratio, 3)}**: ε is larger than √v, yet "
                        f"{outcome}. Each of RMSprop's steps is shorter than SGD's by about √v/ε of its length, and "
                        "with this α/ε the steps are long.")
    return "info", (f"α/ε = **{short_number(sgd_lr, 3)}**, but √v/ε reaches **{short_number(ratio, 3)}**: ε is not large next to √v all along, "
                    f"RMSprop still rescales, and {outcome}.")


QUIZ_SCALE = 1000.0
QUIZ_SAME = "Nothing visible: it is the same path"
QUIZ_OPTIONS = ("Its steps get 1000 times longer and it flies off", "Its steps get √1000 ≈ 32 times longer",
                QUIZ_SAME, "Its steps get 1000 times shorter",
                "It changes: ε is not small next to √v on f, and on 1000·f it is")
VISIBLE = 0.01        # a gap below 1 % of the start's distance to the minimum is not visible on the chart


def quiz_answer(gap, start_distance):
    """The same path when RMSprop's paths on 1000·f and f stay within 1 % of the start distance, else ε's option."""
    return QUIZ_SAME if gap <= VISIBLE * start_distance else QUIZ_OPTIONS[-1]


def quiz_reveal(gap, start_distance, sgd_fate):
    """The reveal: the measured gap, SGD's fate, and why (g/√v is scale-free; only ε tells the two apart)."""
    seen = ("too small to see" if gap <= VISIBLE * start_distance else
            f"{short_number(gap / start_distance, 2)} of the start's distance to the minimum: ε mattered on f")
    return (f"The core ran it: the largest distance between RMSprop's path on 1000·f and on f is **{short_number(gap, 3)}**, "
            f"{seen}, while {sgd_fate}. The gradient is 1000 times larger, v is 10⁶ times larger, √v is 1000 times "
            "larger, and the ratio g/√v is unchanged; only ε, added to √v, tells the two apart.")
