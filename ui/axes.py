"""Tick settings shared by the lessons' figures (pure: no Streamlit, no Plotly objects)."""

import numpy as np

MAX_DECADE_LABELS = 6     # a wide log axis labels at most about this many decades
STEPS_125 = (1, 2, 5)


def tick_label(value):
    """A 1-2-5 tick's label: 0.05, 20, 2·10⁻⁵ (as Plotly's power format writes the decades)."""
    if 1e-3 <= value < 1e4:
        return f"{value:g}"
    mantissa, exponent = f"{value:.0e}".split("e")
    power = f"10<sup>{int(exponent)}</sup>".replace("-", "−")
    return power if mantissa == "1" else f"{mantissa}·{power}"


def log_ticks(*values, max_labels=MAX_DECADE_LABELS):
    """Ticks for a log axis over ``values`` (arrays, or a range's two ends, e.g. 1e-5 and 20).

    Plotly labels 2…9 between the decades when an axis spans a decade or two, in small type.
    Here a span of two decades or more is labelled on the decades only (every k-th decade, at most
    about ``max_labels`` labels); a shorter one at 1, 2 and 5 times each power of ten, as full-size
    labels.  Non-finite and non-positive values are ignored; with none left, Plotly decides.
    """
    data = np.concatenate([np.ravel(np.asarray(v, dtype=float)) for v in values]) if values else np.empty(0)
    data = data[np.isfinite(data) & (data > 0)]
    if data.size == 0:
        return {}
    low, high = float(data.min()), float(data.max())
    span = np.log10(high) - np.log10(low)
    if span >= 2:
        return dict(dtick=int(np.ceil(span / max_labels)), tick0=0)
    ticks = [m * 10.0 ** k for k in range(int(np.floor(np.log10(low))) - 1, int(np.ceil(np.log10(high))) + 2)
             for m in STEPS_125]
    ticks = [float(f"{v:.1g}") for v in ticks if low / 2.5 <= v <= high * 2.5]
    return dict(tickmode="array", tickvals=ticks, ticktext=[tick_label(v) for v in ticks])
