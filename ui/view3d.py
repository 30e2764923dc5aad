"""The 3-D view's switch and the step it shows (the figure itself is ``ui.surface3d``, pure).

The switch is a toggle bound to the link as ``{page}_3d`` (``true``/``false``, as Streamlit writes a bound
toggle), read like every link value (``ui.controls.decide``).  When it is on, the 3-D chart takes the 2-D
paths chart's place and shows the step the 2-D view showed last: its ``<key>_step`` link parameter, which
the browser keeps up to date while the learner plays or scrubs.
"""

import streamlit as st

from ui import clicks, controls, plot
from ui.surface3d import HEIGHT_TITLE, surface3d_figure

LABEL = "3-D view"


def read_switch(raw):
    """A link's value for the switch: ``true`` or ``false`` in any case, else off with a reason."""
    if raw.lower() in ("true", "false"):
        return controls.Reading(raw.lower() == "true")
    return controls.Reading(False, "is not true or false; the paths chart is shown in 2-D")


def toggle(page):
    """The 3-D switch for ``page`` (key ``{page}_3d``); returns whether it is on."""
    key = controls.key_of(page, "3d")
    raws = controls.link_values(key)
    value, notice = controls.decide(raws, read_switch, False, lambda on: "on" if on else "off",
                                    f"**{LABEL}** (`{key}`)")
    controls.settle_one(key, raws, value, False, lambda on: "true" if on else "false", notice)
    return st.toggle(LABEL, key=key, bind="query-params",
                     help="The surface as a landscape with the paths on it, at the step the 2-D view shows. "
                          "Drag to turn it (on a phone: in full screen).")


def linked_step(chart_key):
    """The step the 2-D chart ``chart_key`` shows, from its link parameter (digits only; else 0).  The parameter
    is checked as ``ui.plot.show`` checks it for the 2-D chart (``controls.settle_step_link``): a hand-edited
    one gets the same notice and is rewritten, though the 2-D chart is not drawn."""
    controls.settle_step_link(plot.step_param(chart_key))
    raw = st.query_params.get(plot.step_param(chart_key))
    return controls.read_step(raw).value if raw else 0


def show_paths(page, surface, figure, paths, three_d, height=600):
    """The paths chart of ``page`` (key ``{page}_paths``), click to start included; with ``three_d`` on a 2-D
    surface, the 3-D view in its place (key ``{page}_paths_3d``) at the step the 2-D view showed."""
    key = f"{page}_paths"
    if three_d and surface.dim == 2:
        figure3d = surface3d_figure(surface, paths, linked_step(key), height)
        plot.show(figure3d, key=f"{key}_3d")
        st.caption(f"Step {figure3d.layout.meta['step']}, the step the 2-D view showed: play or scrub there, then "
                   "switch the 3-D view on again to see another. Drag to turn the landscape (on a phone: in full "
                   f"screen). The height is {HEIGHT_TITLE}, so that steep walls do not hide the valley floor.")
        return
    plot.show(figure, key=key, on_click=clicks.start_setter(page, surface))
    if surface.dim == 2:
        st.caption(clicks.HINT)
