"""The playground's controls, all bound to the link (``ui.controls``): the formula box, the plot range, the
members' settings on a typed surface, and the maps' settings."""

import streamlit as st

from lessons.family import hyperparameter_slider
from ui import controls
from ui.family import FAMILY, default_settings

from .parse import MAX_CHARS

DEFAULT_FORMULA = "x^2/4 + y^2 + sin(2*x) + cos(3*y)"
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


def typed_member_settings(page, key):
    """One family member's sliders on the typed surface (the family lesson's sliders, keyed ``typed``)."""
    settings = default_settings(key, TYPED_PRESET)
    for param in FAMILY[key].main:
        settings[param] = hyperparameter_slider(page, controls.key_of("typed", key, param), param, settings[param])
    return settings


def map_settings(page):
    """Which member the maps are for, what colours them, the tolerance and the cells per side."""
    member = controls.choice(page, "map_member", "Maps of", MAP_MEMBERS, "adam",
                             "Any family member with β₁ (and, for the second map, β₂ and ε).",
                             format_func=lambda k: FAMILY[k].label)
    metric = controls.choice(page, "map_metric", "Colour by", ("steps", "final"), "steps",
                             "Steps until f − f* ≤ the tolerance, or the final f − f* (log scale).",
                             format_func={"steps": "steps to the tolerance", "final": "final loss"}.get)
    tolerance = controls.option_slider(page, "map_tol", "tolerance on f − f*", TOLERANCES, 1e-2,
                                       "A run has arrived when its loss is within this of the minimum value f*.")
    cells = controls.number_slider(page, "map_n", "cells per side", 5, 50, 25, 1,
                                   "Each map has this many settings across and up; all run in one batched call.")
    return member, metric, tolerance, cells
