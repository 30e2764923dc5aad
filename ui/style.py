"""Page-wide CSS for small screens: app.py adds ``page_css()`` to every page.

- A formula (``st.latex``) wider than its column scrolls inside its own box, as KaTeX lets it; on a
  phone its scrollbar is hidden, so the box says so: a shadow on each edge with more to see and a
  "scroll sideways" line under the formula.  A table (``st.dataframe``, ``st.table``) that scrolls gets the
  same shadows.  Both come from a scroll-driven animation on the box's own horizontal scroll timeline,
  which is inactive (so nothing is drawn) while the content fits.  Browsers without scroll-driven
  animations still scroll the box, without the hint.
- Page links (the overview's lesson list, the "Next:" links) wrap instead of being cut at the edge, and so do
  the options of a segmented control (a surface's five names scrolled, unhinted, past a phone's edge).
- Keyboard focus: everything that takes focus shows a solid ring (``FOCUS_RING`` wide, in
  ``palette.FOCUS_RING``, 3:1 or more against the page and the sidebar on both themes) when focused from the
  keyboard (``:focus-visible``). Streamlit's own are a half-transparent glow, a 1 px browser default or
  nothing (the sidebar's lesson links). Radio buttons, checkboxes and slider thumbs hide their real
  ``<input>`` in a 1 px clip, so the ring goes on what is drawn: the option's label, the thumb. A table's
  toolbar (search, download, full screen) shows only on hover: Tab landed on invisible buttons (hidden
  behind the table's header), so it also shows, above the table as on hover, while the focus is inside it. The charts' own controls (ui/plot.py) keep their ring in the
  theme's primary colour.
- On a touch screen a table's floating toolbar (search, download, full screen) is not drawn: it floated
  over the chart controls above the table and took the taps meant for the step slider's end.
"""

from ui import palette

FOCUS_RING = "3px"
# Where Streamlit 1.67 puts a shown element toolbar (its own :hover rule): above the element, not over it.
TOOLBAR_SHOWN_TOP = "calc(-1 * (1.25rem + max(1.5rem, 24px)))"          # WCAG 2.4.13 asks for at least 2 CSS pixels around the control
EDGE = "color-mix(in srgb, currentColor 45%, transparent)"     # readable on the light and the dark theme
NO_EDGE = "inset 0 0 0 0 transparent"
RIGHT_EDGE = f"inset -16px 0 12px -12px {EDGE}"
LEFT_EDGE = f"inset 16px 0 12px -12px {EDGE}"
SCROLL_LABEL = "⇠ scroll sideways for the whole formula ⇢"


def page_css():
    """The CSS every page gets (pure)."""
    return f"""
@keyframes course-scroll-edges {{
  0% {{ box-shadow: {RIGHT_EDGE}, {NO_EDGE}; }}
  4%, 96% {{ box-shadow: {RIGHT_EDGE}, {LEFT_EDGE}; }}
  100% {{ box-shadow: {NO_EDGE}, {LEFT_EDGE}; }}
}}
@keyframes course-scroll-label {{ from, to {{ height: auto; padding-top: 0.25rem; }} }}
.katex-display {{
  display: block; width: 100%; box-sizing: border-box; padding: 0 0.25rem;
  overflow-x: auto; overflow-y: hidden; scroll-timeline: --course-formula x;
  animation: course-scroll-edges linear both; animation-timeline: --course-formula;
}}
.katex-display::after {{
  content: "{SCROLL_LABEL}"; display: block; position: sticky; left: 0; height: 0; overflow: hidden;
  font-size: 0.75rem; opacity: 0.75; text-align: left; white-space: nowrap;
  animation: course-scroll-label linear both; animation-timeline: --course-formula;
}}
[data-testid="stDataFrameResizable"] {{ timeline-scope: --course-table; }}
[data-testid="stDataFrameResizable"] .dvn-scroller {{ scroll-timeline: --course-table x; }}
[data-testid="stDataFrameResizable"]::after {{
  content: ""; position: absolute; inset: 0; pointer-events: none; z-index: 2; border-radius: inherit;
  animation: course-scroll-edges linear both; animation-timeline: --course-table;
}}
[data-testid="stTable"] div:has(> table) {{
  scroll-timeline: --course-plain-table x;
  animation: course-scroll-edges linear both; animation-timeline: --course-plain-table;
}}
@media (pointer: coarse) {{
  [data-testid="stMain"] [data-testid="stElementToolbar"] {{ display: none; }}
}}
:focus-visible:not(.course-plot-box *),
label:has(> * > input:focus-visible),
[data-testid="stSlider"] div:has(> div > input[type="range"]:focus-visible) {{
  outline: {FOCUS_RING} solid {palette.FOCUS_RING} !important; outline-offset: 2px !important;
}}
[data-testid="stMain"]:focus-visible, [data-testid="stSidebarContent"]:focus-visible {{ outline-offset: -{FOCUS_RING} !important; }}
[data-testid="stElementToolbar"]:focus-within {{
  opacity: 1 !important; z-index: 1 !important; top: {TOOLBAR_SHOWN_TOP} !important;
}}
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] span,
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] [data-testid="stMarkdownContainer"],
[data-testid="stMain"] [data-testid="stPageLink-NavLink"] p {{
  white-space: normal; overflow: visible; text-overflow: clip;
}}
[data-testid="stButtonGroup"] > div:has(> button) {{ flex-wrap: wrap; row-gap: 4px; }}
"""
