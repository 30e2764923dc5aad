"""Click to start: a click on a 2-D paths chart moves the start sliders there (and so the link).

``ui.plot.show(..., on_click=start_setter(page, surface))`` calls the setter before the rerun the click
causes, like a widget callback, so it may still set the start sliders' values in ``st.session_state``;
the sliders (``ui.controls.start_and_steps``) then show the new start and, being bound to the link,
write it there.  Keyboard users keep the sliders.
"""

import streamlit as st

from ui import controls

START_STEP = 0.01       # the start sliders' step (ui.controls.start_and_steps)


def start_keys(page, surface):
    """The start sliders' widget keys, e.g. ``vs_rosenbrock_x0`` and ``vs_rosenbrock_y0``."""
    return [controls.key_of(page, controls.key_of(surface.key, axis + "0")) for axis in "xy"[:surface.dim]]


def snapped_start(click, surface):
    """The clicked point on the start sliders' grid: each coordinate clamped to the plot range and
    snapped to the nearest step of 0.01 from its low end (as a slider would hold it); None if the click
    was not on the paths' plot area (another subplot) or the surface is not 2-D."""
    if surface.dim != 2 or click.subplot != "xy":
        return None
    return tuple(controls.snap_to_step(value, float(low), float(high), START_STEP)
                 for value, (low, high) in zip((click.x, click.y), (surface.x_range, surface.y_range)))


def start_setter(page, surface):
    """The ``on_click`` for a 2-D paths chart: moves the start sliders to the clicked point (or None for 1-D)."""
    if surface.dim != 2:
        return None

    def move_start(click):
        start = snapped_start(click, surface)
        if start is not None:
            for key, value in zip(start_keys(page, surface), start):
                st.session_state[key] = value
    return move_start


HINT = "Click (or tap) the map to start every optimizer there; the start sliders follow."
