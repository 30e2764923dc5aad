"""The playground's live sentences: pure functions from the runs and maps to Markdown.

A learner's text only ever reaches the page through :func:`plain`, which shows it as literal text.
"""

import numpy as np

from ui.controls import escape_markdown, unlinkable, visible

from .maps import AXES

NAMES = {"lr": "α", "beta1": "β₁", "beta2": "β₂", "eps": "ε"}


def plain(sentence):
    """Any sentence that may quote a learner's text or a link, as Markdown that renders as exactly that text:
    control characters made visible, bare URLs broken, every ASCII punctuation mark backslash-escaped."""
    return escape_markdown(unlinkable(visible(sentence)))


def range_caption(surface, auto):
    """Where the plot range came from, and where the marked lowest point is."""
    low = ", ".join(f"{v:.4g}" for v in surface.minima[0])
    ranges = f"x from {surface.x_range[0]:g} to {surface.x_range[1]:g}" + (
        f", y from {surface.y_range[0]:g} to {surface.y_range[1]:g}" if surface.dim == 2 else "")
    how = ("Auto range: ±4 around the lowest point of a sample of [−10, 10] per axis" if auto
           else "Typed range")
    edge = _on_edge(surface)
    note = (" It lies on the edge of the range: f may keep falling outside it." if edge else "")
    return (f"{how} ({ranges}). The ★ marks the lowest point found in that range, ({low}), where "
            f"f = {surface.min_value:.6g}: a sample of 201 points per axis polished by 300 Adam steps, "
            f"an estimate rather than a proof: a run may find a lower point, and its f − f* is then below 0.{note}")


def _on_edge(surface):
    ranges = [surface.x_range] + ([surface.y_range] if surface.dim == 2 else [])
    return any(min(abs(v - low), abs(v - high)) <= (high - low) / 200 for v, (low, high) in zip(surface.minima[0], ranges))


def value_text(param, value):
    """A setting as text: β₂ (or any value just below 1) exact to its nines, the digits that give 1 − value to
    three significant figures (0.99999, 0.99785, never "1" for a β₂ < 1); the others to three figures."""
    gap = 1.0 - float(value)
    if (param == "beta2" or 0.9 < value < 1.0) and 0.0 < gap < 0.5:
        decimals = int(-np.floor(np.log10(gap))) + 2
        return f"{value:.{decimals}f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def _best(one, scores):
    """The lowest of ``scores``, how many cells tie at it, and where the tied cell with the smallest x lies."""
    best = scores.min()
    tied = np.argwhere(scores == best)
    r, c = min(tied, key=lambda rc: (one.x_values[rc[1]], one.y_values[rc[0]]))
    a, b = NAMES[one.x_param], NAMES[one.y_param]
    where = f"{a} = {value_text(one.x_param, one.x_values[c])} and {b} = {value_text(one.y_param, one.y_values[r])}"
    return best, len(tied), where


def _best_clause(ties, where, one, measure):
    """"the best, <measure>, at <where>" or, when cells tie, how many share it and which one is named."""
    if ties == 1:
        return f"the best is {measure}, at {where}"
    return (f"{ties} settings share the best, {measure}; the one with the smallest {NAMES[one.x_param]} is at "
            f"{where}")


def map_sentence(one, label, metric):
    """What one map shows: how many settings reached the tolerance (or the best final loss), diverged, stopped."""
    cells = one.steps.size
    a, b = NAMES[one.x_param], NAMES[one.y_param]
    diverged, not_finite = int(one.diverged.sum()), int(one.not_finite.sum())
    fates = f"{diverged} diverged" + (f" and {not_finite} stopped on a value that is not finite" if not_finite else "")
    ok = ~one.diverged & ~one.not_finite
    if metric == "steps":
        reached = ok & (one.steps >= 0)
        if not reached.any():
            return (f"**{label}, {a} × {b}:** none of the {cells} settings came within {one.tolerance:g} of f* in "
                    f"{one.run_steps} steps; {fates}.")
        fastest, ties, where = _best(one, np.where(reached, one.steps, np.iinfo(np.int64).max))
        return (f"**{label}, {a} × {b}:** {int(reached.sum())} of the {cells} settings came within "
                f"{one.tolerance:g} of f* in {one.run_steps} steps; "
                f"{_best_clause(ties, where, one, f'{int(fastest)} steps')}; {fates}.")
    if not ok.any():
        return f"**{label}, {a} × {b}:** no setting ended finite; {fates}."
    lowest, ties, where = _best(one, np.where(ok, one.final_gap, np.inf))
    below = (" A final f − f* below 0 means a run went lower than f*: f* is an estimate (the lowest point a "
             "sample found), and this run found a lower point." if lowest < 0 else "")
    return (f"**{label}, {a} × {b}:** after {one.run_steps} steps, "
            f"{_best_clause(ties, where, one, f'final f − f* = {lowest:.3g}')}; {fates}.{below}")


def axes_caption(current=None):
    """The maps' axes, fixed for every setting, and whether the ring can mark the current setting: a current
    value outside its axis's range is off the map, and said so."""
    axes = ("α runs from {:g} to {:g} on a log scale and β₁ from {:g} to {:g}; β₂ from {:g} to {:g}, spaced by "
            "its nines (1 − β₂ on a log scale), and ε from {:g} to {:g} on a log scale. The other settings are "
            "the member's current ones").format(*AXES["lr"], *AXES["beta1"], *AXES["beta2"], *AXES["eps"])
    off = [f"{NAMES[p]} = {value_text(p, current[p])}" for p in AXES
           if current is not None and p in current and not AXES[p][0] <= current[p] <= AXES[p][1]]
    if not off:
        return axes + "; the ring marks them."
    return (axes + f". The current setting is off the map ({', '.join(off)} lies outside its axis), so no ring "
            "marks it.")
