"""A second arrangement of a figure for a narrow chart (a phone), chosen in the browser (pure helpers).

A figure whose ``layout.meta.narrow`` is ``{"below": px, "layout": {...}}`` is drawn by ``ui.plot`` with the
layout's top-level keys replaced whole by those of ``narrow["layout"]`` while the chart's own width (its
column's, not the window's) is under ``below`` px, and drawn again when its column crosses that width (the
sidebar opening, a phone turned).  The choice is the browser's because only the browser knows the width:
two panels side by side need about 260 px each, and a 390-px phone gives the whole chart 358.
"""

from ui.figures import LEGEND_GAP, LEGEND_ROW

NARROW_PX = 560        # a chart narrower than this stacks its side-by-side panels


def narrow_meta(changes, below=NARROW_PX):
    """The ``layout.meta["narrow"]`` entry that makes ``changes`` the arrangement on a chart narrower than ``below``."""
    return {"below": below, "layout": changes}


def with_narrow(layout, changes, below=NARROW_PX):
    """``layout`` (a dict) with ``changes`` as its arrangement on a chart narrower than ``below`` px."""
    return {**layout, "meta": {**(layout.get("meta") or {}), "narrow": narrow_meta(changes, below)}}


def stacked_panels(layout, legend_rows, panel_px=230, gap_px=112, top_px=34):
    """The narrow arrangement of two side-by-side panels (axes x, y and x2, y2): one above the other, each the
    chart's full width and ``panel_px`` tall.

    Between them ``gap_px`` holds the upper panel's tick labels and x title and the lower panel's heading (the
    headings are annotations in their panel's domain coordinates, so they follow it).  The legend hangs
    LEGEND_GAP px under the lower panel in a bottom margin with room for ``legend_rows`` rows, so its place is
    fixed in pixels: the chart is ``top_px + 2·panel_px + gap_px + bottom`` px tall.
    """
    plot_px = 2 * panel_px + gap_px
    share = panel_px / plot_px                     # of the plot area (both panels and the gap) each panel takes
    under = legend_under_panels(layout, top_px, plot_px, legend_rows)
    return {
        **under,
        "xaxis": {**layout["xaxis"], "domain": [0.0, 1.0]},
        "yaxis": {**layout["yaxis"], "domain": [1.0 - share, 1.0]},
        "xaxis2": {**layout["xaxis2"], "domain": [0.0, 1.0]},
        "yaxis2": {**layout["yaxis2"], "domain": [0.0, share]},
    }


def legend_under_panels(layout, top_px, plot_px, legend_rows):
    """Height, margin and legend of a figure whose legend hangs LEGEND_GAP px under its panels (room for their tick
    labels and x titles), in a bottom margin with room for ``legend_rows`` rows, and whose panels take ``plot_px``.

    The legend's place is fixed in pixels: placed as a fraction of the plot, it rode up onto the x titles when
    Plotly widened the margin for it (AdamW's "step k" at any width).
    """
    bottom_px = LEGEND_GAP + 8 + LEGEND_ROW * legend_rows
    return {"height": top_px + plot_px + bottom_px,
            "margin": {**layout.get("margin", {}), "t": top_px, "b": bottom_px},
            "legend": {**layout.get("legend", {}), "orientation": "h", "x": 0, "xref": "paper",
                       "y": -LEGEND_GAP / plot_px, "yref": "paper", "yanchor": "top"}}


def panel_heading(text, panel, centred=False, **font):
    """A bold heading just above panel ``panel`` (1 or 2), from its left edge (or over its centre), in the panel's
    own coordinates: it follows the panel wherever the arrangement puts it."""
    suffix = "" if panel == 1 else str(panel)
    return dict(text=f"<b>{text}</b>", x=0.5 if centred else 0, xref=f"x{suffix} domain", y=1,
                yref=f"y{suffix} domain", yshift=4, xanchor="center" if centred else "left", yanchor="bottom",
                showarrow=False, **({"font": font} if font else {}))
