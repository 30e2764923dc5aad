"""The playground's controls, all bound to the link (``ui.controls``): the formula box, the plot range, the
members' settings on a typed surface, and the maps' settings."""

import numpy as np
import streamlit as st

from lessons.family import hyperparameter_slider
from ui import controls
from ui.family import FAMILY, default_settings

from .maps import AXES, axis_position
from .parse import MAX_CHARS

# One valley, ten times steeper across y than along x, whose gradient fades far from the minimum (|∇f| ≈ 2/|θ|):
# SGD crawls there, Adam's normalised steps do not, and every map setting ends somewhere the colours tell apart.
DEFAULT_FORMULA = "log(1 + x^2 + 10*y^2)"
TYPED_PRESET = "himmelblau"      # a typed surface's default rates: 0.01 for SGD-like, 0.1 for Adam-like steps
TYPED_STEPS = 150
MAP_MEMBERS = tuple(key for key, spec in FAMILY.items() if "beta1" in spec.defaults)
TOLERANCES = (1e-1, 1e-2, 1e-3, 1e-4, 1e-6, 1e-8)
RANGE_LIMIT = 100.0


def formula_box(page):
    """The text box for f, bound to the link as ``{page}_f``.

    A link's text longer than the box takes is not put in it: the page uses the default formula and says
    so, quoting the start of the link's text literally.  Any shorter text goes in the box as it is, and the
    parser (never Python) decides what it means.
    """
    key = controls.key_of(page, "f")
    raws = controls.link_values(key)
    if raws and len(raws[-1]) > MAX_CHARS:
        notice = (f"The link's formula (`{key}`), {controls.literal(raws[-1])}, is longer than the box takes "
                  f"({MAX_CHARS} characters); it was not read. Showing the default formula instead.")
        controls.settle_link(key, raws, [], notice)
    return st.text_input("f(x) or f(x, y) =", value=DEFAULT_FORMULA, key=key, bind="query-params",
                         max_chars=MAX_CHARS,
                         help="Numbers, x, y, + − * / and ** (or ^), parentheses, pi, e, sin, cos, tan, exp, "
                              "log, sqrt, abs, tanh, sinh, cosh, min(a, b), max(a, b). Press Enter to run.")


def plot_range(page, dim, auto_ranges):
    """The plot range: the auto one (``auto_ranges``), or one typed with sliders; (x_range, y_range, auto)."""
    mode = controls.choice(page, "range", "Plot range", ("auto", "typed"), "auto",
                           "Auto: around the lowest point of a sample of the function. Typed: choose it.",
                           format_func={"auto": "auto", "typed": "typed"}.get)
    if mode == "auto":
        return auto_ranges[0], auto_ranges[1], True
    ranges = []
    for axis in "xy"[:dim]:
        low_col, high_col = st.columns(2)
        with low_col:
            low = controls.number_slider(page, f"{axis}_from", f"{axis} from", -RANGE_LIMIT, RANGE_LIMIT, -5.0, 0.5,
                                         f"The left end of the plot's {axis} axis.")
        with high_col:
            high = controls.number_slider(page, f"{axis}_to", f"{axis} to", -RANGE_LIMIT, RANGE_LIMIT, 5.0, 0.5,
                                          f"The right end of the plot's {axis} axis.")
        if high <= low:
            st.warning(f"“{axis} from” ({low:g}) must be below “{axis} to” ({high:g}); using the auto range.",
                       icon=":material/warning:")
            return auto_ranges[0], auto_ranges[1], True
        ranges.append((float(low), float(high)))
    return ranges[0], (ranges[1] if dim == 2 else None), False


def member_params(key):
    """The sliders a member gets here: its main hyperparameters (the family lesson's), then those of the maps'
    axes it has but the family lesson leaves out (Adam's ε), so that a map's every cell can be loaded."""
    spec = FAMILY[key]
    extra = tuple(p for p in AXES if p in spec.defaults and p not in spec.main)
    return spec.main + extra


def member_settings(page, scope, key):
    """One family member's sliders on surface ``scope`` (a surface key, or ``typed``), keyed
    ``{page}_{scope}_{member}_{param}`` as on the family lesson; returns its full settings."""
    settings = default_settings(key, TYPED_PRESET if scope == "typed" else scope)
    for param in member_params(key):
        settings[param] = hyperparameter_slider(page, controls.key_of(scope, key, param), param, settings[param])
    return settings


# ---- a click on a map cell loads its setting --------------------------------------------------------------

SLIDER_OPTIONS = {"lr": controls.LR_OPTIONS, "beta2": controls.BETA2_OPTIONS, "eps": controls.EPS_OPTIONS}


def slider_value(param, value):
    """The value a slider can hold nearest to a map cell's ``value``: β₁ on its 0.01 steps; α, β₂ and ε the
    option nearest on the map's own axis (log₁₀ for α and ε, the nines −log₁₀(1 − β₂) for β₂)."""
    if param == "beta1":
        return controls.snap_to_step(value, 0.0, 0.99, 0.01)
    target = axis_position(param, value)
    drawable = [o for o in SLIDER_OPTIONS[param] if axis_position(param, o) == axis_position(param, o)]
    return min(drawable, key=lambda option: abs(axis_position(param, option) - target))


def marked_key(page):
    """Session-state key of the cell last clicked: (surface, member, x_param, y_param, x value, y value)."""
    return controls.key_of(page, "map_clicked")


def cell_loader(page, scope, member, one, shown):
    """The ``on_click`` of map ``one`` (of ``member`` on surface ``scope``): the clicked cell's two settings go
    into the member's sliders (snapped to what they hold), the member is switched on if it was off, and the
    cell is remembered so the map marks it."""
    def load(click):
        cell = one.cell_at(click.x, click.y) if click.subplot == "xy" else None
        if cell is None:
            return
        for param, value in one.setting(*cell).items():
            st.session_state[controls.key_of(page, scope, member, param)] = slider_value(param, value)
        if member not in shown:
            st.session_state[controls.key_of(page, "show")] = [k for k in FAMILY if k in shown or k == member]
        setting = one.setting(*cell)
        st.session_state[marked_key(page)] = (scope, member, one.x_param, one.y_param, setting[one.x_param],
                                              setting[one.y_param])
    return load


def marked_cell(page, scope, member, one):
    """(row, col) of the cell last clicked on this map (same surface, member and axes; a cell of this map's
    grid), or None."""
    mark = st.session_state.get(marked_key(page))
    if not mark or tuple(mark[:4]) != (scope, member, one.x_param, one.y_param):
        return None
    cols, rows = np.flatnonzero(one.x_values == mark[4]), np.flatnonzero(one.y_values == mark[5])
    return (int(rows[0]), int(cols[0])) if cols.size and rows.size else None


def map_settings(page):
    """Which member the maps are for, what colours them, the tolerance and the cells per side."""
    member = controls.choice(page, "map_member", "Maps of", MAP_MEMBERS, "adam",
                             "Any family member with β₁ (and, for the second map, β₂ and ε).",
                             format_func=lambda k: FAMILY[k].label)
    metric = controls.choice(page, "map_metric", "Colour by", ("final", "steps"), "final",
                             "Steps until f − f* ≤ the tolerance, or the final f − f* (log scale).",
                             format_func={"steps": "steps to the tolerance", "final": "final loss"}.get)
    tolerance = controls.option_slider(page, "map_tol", "tolerance on f − f*", TOLERANCES, 1e-2,
                                       "A run has arrived when its loss is within this of the minimum value f*.")
    cells = controls.number_slider(page, "map_n", "cells per side", 5, 50, 25, 1,
                                   "Each map has this many settings across and up; all run in one batched call.")
    return member, metric, tolerance, cells
