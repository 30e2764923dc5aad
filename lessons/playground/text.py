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
            f"an estimate rather than a proof.{note}")


def _on_edge(surface):
    ranges = [surface.x_range] + ([surface.y_range] if surface.dim == 2 else [])
    return any(min(abs(v - low), abs(v - high)) <= (high - low) / 200 for v, (low, high) in zip(surface.minima[0], ranges))


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
        r, c = np.unravel_index(np.argmin(np.where(reached, one.steps, np.iinfo(np.int64).max)), one.steps.shape)
        return (f"**{label}, {a} × {b}:** {int(reached.sum())} of the {cells} settings came within "
                f"{one.tolerance:g} of f* in {one.run_steps} steps; the fastest, {a} = {one.x_values[c]:.3g} and "
                f"{b} = {one.y_values[r]:.6g}, took {int(one.steps[r, c])} steps; {fates}.")
    if not ok.any():
        return f"**{label}, {a} × {b}:** no setting ended finite; {fates}."
    gaps = np.where(ok, one.final_gap, np.inf)
    r, c = np.unravel_index(np.argmin(gaps), gaps.shape)
    return (f"**{label}, {a} × {b}:** the lowest final f − f* after {one.run_steps} steps is {gaps[r, c]:.3g}, at "
            f"{a} = {one.x_values[c]:.3g} and {b} = {one.y_values[r]:.6g}; {fates}.")


def axes_caption():
    """The maps' axes, fixed for every setting."""
    return ("α runs from {:g} to {:g} on a log scale and β₁ from {:g} to {:g}; β₂ from {:g} to {:g}, spaced by "
            "its nines (1 − β₂ on a log scale), and ε from {:g} to {:g} on a log scale. The other settings are "
            "the member's current ones; the ring marks them.").format(*AXES["lr"], *AXES["beta1"], *AXES["beta2"],
                                                                     *AXES["eps"])
