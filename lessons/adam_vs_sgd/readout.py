"""The flagship's read-out table and the notes under its chart for runs that blew up or stopped.
"""

from ui.divergence import diverging_from, stop_kind
from ui.words import plural
from .numbers import AXES, TOLERANCE, first_within, fmt, join, last_step, step_sizes, theta_word, zero_gradient_axes


# ---- the read-out table -------------------------------------------------------------------------

def status(path, surface, hyper):
    """The table's "diverging?" cell: from which step a run blew up, or why it stopped (see ui/divergence)."""
    blowup = diverging_from(path.losses, surface.min_value)
    kind = stop_kind(path.losses, surface.min_value, path.diverged_at)
    if kind == "nan":
        cause = "0/0" if zero_division(path, surface, hyper) else "not a number"
        return f"NaN ({cause}) at step {path.diverged_at}"
    if blowup >= 0:
        return f"from step {blowup}" + (f"; overflow at step {path.diverged_at}" if kind == "overflow" else "")
    return "no"


def readout_rows(paths, surface, settings, tolerance=TOLERANCE):
    """One row per run: α, the size of step 1, where it ended (its last finite point) and when it got close."""
    rows = []
    for path in paths:
        if path.error is not None:
            continue
        end, sizes = last_step(path), step_sizes(path)
        point = path.points[end]
        reached = first_within(path, tolerance)
        row = {"optimizer": path.label, "α": fmt(settings[path.key]["lr"]),
               "size of step 1 |θ₁ − θ₀|": fmt(sizes[0]) if sizes.size else "—"}
        if surface.dim == 1:
            row["final θ"] = fmt(point[0], 6)
        else:
            row["final x"], row["final y"] = fmt(point[0], 6), fmt(point[1], 6)
        row.update({
            "final loss": fmt(path.losses[end]),
            "distance to the nearest minimum": fmt(path.distances[end]),
            f"steps to reach within {tolerance:g} of a minimum":
                str(reached) if reached >= 0 else (f"not within {plural(end, 'step')}" if end >= 1
                                                   else "no finite step"),
            "diverging?": status(path, surface, settings[path.key]),
        })
        rows.append(row)
    return rows


# ---- the notes under the chart: runs that blew up or stopped -----------------------------------

def zero_division(path, surface, hyper):
    """True when the run's NaN is 0/0: RMSprop or Adam with ε = 0 and a coordinate whose gradient was
    exactly 0 all along, so its v (and m) stayed 0 and the update divided 0 by 0 + 0."""
    return (path.key in ("rmsprop", "adam") and hyper.get("eps", 1.0) == 0
            and bool(zero_gradient_axes(path, surface)))


def stop_note(path, surface, hyper):
    """("warning" | "error", Markdown) for a run that blew up or stopped, or None for a healthy run."""
    kind = stop_kind(path.losses, surface.min_value, path.diverged_at)
    blowup = diverging_from(path.losses, surface.min_value)
    end = last_step(path)
    if kind == "nan":
        return "warning", _nan_note(path, surface, hyper, end)
    if blowup < 0:
        return None
    gap0 = path.losses[0] - surface.min_value
    grown = (f"From step {blowup} on, its loss above the minimum stays over 10⁶ times the start's "
             f"({fmt(gap0)}) and over 10⁶")
    if kind == "overflow":
        return "warning", (f"**{path.label} diverged at step {path.diverged_at}**, where its numbers overflowed "
                           f"float64. {grown}. Its steps are too large for this surface's curvature; lower its α.")
    return "warning", (f"**{path.label} is diverging from step {blowup}.** {grown}: after {plural(end, 'step')} "
                       f"{theta_word(surface)} is at {_point(surface, path.points[end]).split(' = ')[1]} with loss "
                       f"{fmt(path.losses[end])}. The numbers are still finite, but its steps are too large for "
                       "this surface's curvature; lower its α.")


def _point(surface, point):
    """"θ = 2.5" on a 1-D surface, "(x, y) = (−5, 0)" on a 2-D one."""
    if surface.dim == 1:
        return f"θ = {fmt(point[0])}"
    return f"(x, y) = ({', '.join(fmt(v) for v in point)})"


def _nan_note(path, surface, hyper, end):
    where = _point(surface, path.points[end])
    if zero_division(path, surface, hyper):
        axes = zero_gradient_axes(path, surface)
        which = "" if surface.dim == 1 else f" in {join([AXES[a] for a in axes])}"
        held = "m̂ = 0 and v̂ = 0" if path.key == "adam" else "v = 0"
        return (f"**{path.label} stopped at step {path.diverged_at}: 0/0, not a too-large step.** At "
                f"{where} the gradient{which} has been exactly 0 at every point so far, so "
                f"{held} there, and with ε = 0 the update divides 0 by √0 + 0: NaN, not a number. The table "
                f"shows its last point, {where}. Any ε > 0 makes that update 0.")
    return (f"**{path.label} stopped at step {path.diverged_at}**: its update was not a number (NaN) although "
            f"its numbers had not blown up (its last point is {where}).")
