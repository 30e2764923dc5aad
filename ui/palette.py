"""Fixed colours that read on both themes: the course's light one (white) and dark one (#0e1117).

A mark drawn in a fixed colour must keep WCAG's 3:1 contrast (1.4.11, graphical objects) against
both backgrounds. That holds for a colour whose relative luminance L lies between 0.117 and 0.300:
(1.05)/(L + 0.05) ≥ 3 on white and (L + 0.05)/(0.0555) ≥ 3 on the dark theme. Black, #222, #444, #555
fail on dark; #999, Okabe–Ito's orange, sky blue and yellow fail on white.

Every colour here is in that band; the numbers are contrast on white / on #0e1117, computed with
tests/test_browser_themes.py's contrast_ratio (tests/test_browser_themes.py measures the drawn charts).
Okabe–Ito's mid-tones are kept as they are; its orange and sky blue are darkened, keeping their hue
apart from the others; its black becomes a mid grey.

Every one is also at least 3:1 against white, so a white casing (a wider white line under a path) or
ring keeps it readable on any surface picture, whatever the surface's colours.

Backgrounds of areas (fills, shaded bands) are not marks: they may be light and translucent.
"""

# Okabe–Ito mid-tones, unchanged.
VERMILLION = "#D55E00"       # 3.87 / 4.89   Adam
BLUISH_GREEN = "#009E73"     # 3.42 / 5.52   RMSprop
BLUE = "#0072B2"             # 5.19 / 3.64
REDDISH_PURPLE = "#CC79A7"   # 3.06 / 6.17

# Okabe–Ito's light ones, darkened to the band (same hue).
AMBER = "#A16F00"            # 4.38 / 4.31   SGD (Okabe–Ito orange #E69F00: 2.25 on white)
SKY = "#2E8BC9"              # 3.72 / 5.09   SGD + momentum (Okabe–Ito sky blue #56B4E9: 2.31 on white)

# Greys for guides, limits, labels: fixed lines that used to be black, #222, #444, #555 or #999.
GREY = "#808080"             # 3.95 / 4.79   reference lines and curves (was black or #222)
LABEL_GREY = "#777777"       # 4.48 / 4.22   text: the most contrast on the worse of the two themes
LIGHT_GREY = "#888888"       # 3.54 / 5.33   secondary marks beside GREY (dots of noisy data, the f(θ) curve)

# The eight, as ui/family draws the family from them (black's place taken by GREY).
SAFE_ON_BOTH = (AMBER, SKY, BLUISH_GREEN, BLUE, VERMILLION, REDDISH_PURPLE, GREY)

# The keyboard focus ring on every focusable thing (ui/style.py): Adam's vermillion, the light theme's primary
# colour, holds 3:1 against both pages and both sidebars (white 3.87, Streamlit's light sidebar ≈ 3.4,
# the dark pages and sidebars ≥ 4), where Streamlit's own rings are a half-transparent glow or nothing.
FOCUS_RING = VERMILLION

# What paths over a 2-D surface picture are drawn on: a casing every colour above holds 3:1 against.
CASING = "#FFFFFF"
# Ink for text and thin trails drawn on the surface picture (ui/figures.surface_background), which is light
# in both themes: 15.9:1 on white, 3.4:1 on the ramp's darkest level line (rgb 90, 119, 151).
SURFACE_INK = "#222222"
