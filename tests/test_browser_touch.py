"""Charts on a phone, in full screen and in a column that changes width (issue 15).

A swipe over a chart on a touch screen scrolls the page (no drag-zoom, no mode bar); a chart's
"Full screen" button gives it the whole window (where zooming is deliberate), with the mode bar in
a band of its own off the legend, and Escape brings it back at exactly its size before; a chart
follows its column when the sidebar closes and opens; the 3-D view fits a phone's width and a swipe over
it scrolls the page too. On a laptop full screen is the window's width, over the sidebar, and keeps
the keyboard inside it.
"""

import io

import numpy as np
import pytest
from PIL import Image

from browser_helpers import open_page, settle, wait_until

pytestmark = pytest.mark.browser

LESSON = "/adam-vs-sgd?vs_surface=Ill-conditioned+bowl"
PHONE = dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2)
JS_SCROLL = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY"
JS_RANGES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    Object.keys(gd._fullLayout).filter(k => /^[xy]axis\\d*$/.test(k)).map(k => gd._fullLayout[k].range.join()))"""


def swipe_up(context, page, x, y, distance=220):
    """A finger drawn upward over (x, y): touch events as a phone sends them."""
    cdp = context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * i / 10}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(600)


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    yield context, context.new_page()
    context.close()


def test_a_swipe_over_a_chart_scrolls_the_page_and_leaves_the_chart_alone(phone, app_url):
    context, page = phone
    open_page(page, app_url + LESSON)
    settle(page)
    plot_area = page.locator(".js-plotly-plot .nsewdrag").first      # where a drag would zoom
    plot_area.scroll_into_view_if_needed()
    box = plot_area.bounding_box()
    scrolled, ranges = page.evaluate(JS_SCROLL), page.evaluate(JS_RANGES)
    distance = min(220, box["height"] * 0.6)
    swipe_up(context, page, box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8, distance=distance)
    assert page.evaluate(JS_SCROLL) > scrolled + distance / 3, "the swipe did not scroll the page"
    assert page.evaluate(JS_RANGES) == ranges, "the swipe zoomed or panned a chart"
    assert page.locator(".modebar").count() == 0, "a mode bar is drawn over the chart on a touch screen"


def test_full_screen_gives_the_chart_the_window_and_escape_brings_it_back(phone, app_url):
    context, page = phone
    open_page(page, app_url + LESSON)
    settle(page)
    button = page.get_by_role("button", name="Full screen").first
    button.click()
    wait_until(page, "() => document.querySelector('.course-plot-expanded .js-plotly-plot')"
                     "?.getBoundingClientRect().height > 700", what="the chart to fill the phone's height")
    assert page.evaluate("() => document.querySelector('.course-plot-expanded').getBoundingClientRect().width") == 390
    page.keyboard.press("Escape")
    wait_until(page, "() => !document.querySelector('.course-plot-expanded')", what="full screen to close")
    assert page.evaluate("() => document.activeElement.textContent") == "Full screen"


def test_a_swipe_over_the_middle_of_a_3d_view_scrolls_the_page_and_leaves_the_camera(phone, app_url):
    """The 3-D scene's camera took every touch on its canvas and the page did not move (seen in review: swipes at
    30, 50 and 70 % of its height scrolled 0 px); outside full screen it turns only in full screen."""
    context, page = phone
    open_page(page, app_url + LESSON + "&vs_3d=true")
    settle(page)
    chart = page.locator(".st-key-vs_paths_3d .js-plotly-plot")
    wait_until(page, "() => document.querySelector('.st-key-vs_paths_3d .gl-container canvas')", what="the 3-D scene")
    chart.scroll_into_view_if_needed()
    camera = "gd => JSON.stringify(gd._fullLayout.scene._scene.getCamera())"
    before = chart.evaluate(camera)
    box = chart.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.5
    assert page.evaluate(f"() => document.elementFromPoint({x}, {y}).tagName") == "CANVAS"
    scrolled = page.evaluate(JS_SCROLL)
    swipe_up(context, page, x, y, distance=150)
    assert page.evaluate(JS_SCROLL) > scrolled + 50, "a swipe over the 3-D scene did not scroll the page"
    assert chart.evaluate(camera) == before, "the swipe turned the 3-D scene"


def test_on_a_laptop_full_screen_is_the_windows_width_over_the_sidebar_and_keeps_the_keyboard(page, app_url):
    """Seen in review at 1280 px: the chart stayed at its column's 599 px in the full-screen layer, the open
    sidebar lay over its left 300 px (Play and the speed menu under it), and Tab went on to the page's hidden
    controls behind it, where Escape no longer closed it."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_url + LESSON)
    settle(page)
    chart = page.locator(".js-plotly-plot").first
    column = chart.evaluate("gd => gd._fullLayout.width")
    page.get_by_role("button", name="Full screen").first.click()
    wait_until(page, "() => document.querySelector('.course-plot-expanded .js-plotly-plot')?._fullLayout.width > 1200",
               what="the chart to take the window's width")
    play = page.locator(".course-plot-expanded .course-anim-play")
    x, y = play.evaluate("b => { const r = b.getBoundingClientRect(); return [r.left + 5, r.top + r.height / 2]; }")
    assert page.evaluate(f"() => !!document.elementFromPoint({x}, {y}).closest('.course-plot-expanded')"), \
        "something (the sidebar) lies over the full-screen chart's Play button"
    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate("() => !!document.activeElement.closest('.course-plot-expanded')"), \
            "Tab left the full-screen chart for the page behind it"
    page.keyboard.press("Escape")
    wait_until(page, "() => !document.querySelector('.course-plot-expanded')", what="Escape to close full screen")
    wait_until(page, f"() => document.querySelector('.js-plotly-plot')._fullLayout.width === {column}",
               what=f"the chart back at its column's {column} px")


def test_in_full_screen_tab_stays_on_a_chart_without_animation_controls(page, app_url):
    """A chart with no Play bar has one stop of its own, Close full screen; Tab went on to the next chart's button
    behind the full-screen layer (the mode bar's buttons, out of the tab order, counted as its last stops)."""
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, app_url + "/momentum")
    settle(page)
    page.get_by_role("button", name="Full screen").first.click()
    wait_until(page, "() => document.querySelector('.course-plot-expanded')", what="full screen")
    for _ in range(4):
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.textContent") == "Close full screen"
    page.keyboard.press("Escape")
    wait_until(page, "() => !document.querySelector('.course-plot-expanded')", what="Escape to close full screen")


# A chart's size and its (first) plot area's, in px.
JS_PLOT_SIZE = "gd => [gd._fullLayout.width, gd._fullLayout.height, gd._fullLayout.xaxis._length, gd._fullLayout.yaxis._length]"
JS_BOX = "el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; }"


def _overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_full_screen_keeps_the_mode_bar_off_the_legend_and_closing_restores_the_plot(phone, app_url):
    """In full screen on a phone the mode bar (shown there, for deliberate zooming) covered the legend's first row;
    after closing full screen the paths plot was drawn 205 px wide instead of 278, as Plotly had written the
    full-screen plot's shrunken domain into the figure's layout."""
    context, page = phone
    open_page(page, app_url + LESSON)
    settle(page)
    chart = page.locator(".js-plotly-plot").first
    before = chart.evaluate(JS_PLOT_SIZE)
    page.get_by_role("button", name="Full screen").first.click()
    wait_until(page, "() => document.querySelector('.course-plot-expanded .modebar')"
                     "&& document.querySelector('.course-plot-expanded .js-plotly-plot')._fullLayout.height > 600",
               what="the chart in full screen with its mode bar")
    settle(page)
    expanded = page.locator(".course-plot-expanded")
    modebar = expanded.locator(".modebar").evaluate(JS_BOX)
    legend = expanded.locator(".legend g.traces, g.annotation, .gtitle").evaluate_all(
        f"els => els.map(el => [el.textContent, ({JS_BOX})(el)])")
    assert legend and [text for text, box in legend if _overlap(modebar, box)] == [], \
        f"the mode bar {modebar} covers legend entries or notes: {legend}"
    page.get_by_role("button", name="Close full screen").click()
    wait_until(page, "() => !document.querySelector('.course-plot-expanded')", what="full screen to close")
    wait_until(page, f"(before) => JSON.stringify(({JS_PLOT_SIZE})(document.querySelector('.js-plotly-plot')))"
                     " === JSON.stringify(before)", arg=before,
               what=f"the chart and its plot area back at their size before full screen, {before}")


def _drawn(png, background, tolerance=24):
    """Which pixels of a screenshot differ from the ``background`` colour (r, g, b) by more than ``tolerance``."""
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    return np.abs(image - np.array(background)).max(axis=2) > tolerance


def _scene_drawn(page, chart):
    """Which rows and columns of ``chart``'s screenshot under its legend hold anything but the page's background
    (in device pixels), and the area's size: WebGL draws the scene, so it is read from the pixels."""
    shot = chart.screenshot(animations="disabled")
    for _ in range(20):                              # until WebGL has drawn: two screenshots alike
        again = chart.screenshot(animations="disabled")
        if again == shot:
            break
        shot = again
    background = page.evaluate("""() => getComputedStyle(document.querySelector('[data-testid="stApp"]'))
        .backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)""")
    top, legend_bottom = chart.evaluate(JS_BOX)[1], chart.locator(".legend").evaluate(JS_BOX)[3]
    scene = _drawn(shot, background)[int((legend_bottom - top + 2) * PHONE["device_scale_factor"]):]
    return np.flatnonzero(scene.any(axis=1)), np.flatnonzero(scene.any(axis=0)), scene.shape


@pytest.mark.parametrize("path, key", [(LESSON + "&vs_3d=true", "vs_paths_3d"),
                                       ("/optimizer-family?fam_3d=true", "fam_paths_3d")])
def test_on_a_phone_the_3d_view_fits_the_chart_without_blank_bands(phone, app_url, path, key):
    """The 3-D view drawn 600 px tall in a 358-px chart cut the landscape and its height title at the left edge and
    left bands of 100 px and more blank above and under it; in full screen (760 px tall) it ran past both sides."""
    context, page = phone
    open_page(page, app_url + path)
    settle(page)
    chart = page.locator(f".st-key-{key} .js-plotly-plot")
    chart.scroll_into_view_if_needed()
    scale = PHONE["device_scale_factor"]
    rows, columns, (height, width) = _scene_drawn(page, chart)
    assert rows.size, "nothing drawn under the legend"
    assert columns[0] >= 2 * scale and columns[-1] <= width - 1 - 2 * scale, \
        f"the scene is cut at the chart's side: drawn from column {columns[0]} to {columns[-1]} of {width}"
    above, below = rows[0] / scale, (height - 1 - rows[-1]) / scale
    assert above < 100 and below < 100, f"blank bands of {above:.0f} px above and {below:.0f} px under the scene"
    page.locator(f".st-key-{key}").get_by_role("button", name="Full screen").click()
    wait_until(page, "() => document.querySelector('.course-plot-expanded .js-plotly-plot')?._fullLayout.height > 600",
               what="the 3-D view in full screen")
    rows, columns, (height, width) = _scene_drawn(page, page.locator(".course-plot-expanded .js-plotly-plot"))
    assert columns[0] >= 2 * scale and columns[-1] <= width - 1 - 2 * scale, \
        f"in full screen the scene is cut at a side: drawn from column {columns[0]} to {columns[-1]} of {width}"


def test_a_chart_follows_its_column_when_the_sidebar_closes_and_opens(page, app_url):
    open_page(page, app_url + LESSON)
    settle(page)
    width = "() => document.querySelector('.js-plotly-plot').getBoundingClientRect().width"
    column = "() => document.querySelector('.course-plot-box').getBoundingClientRect().width"
    narrow = page.evaluate(width)
    page.get_by_test_id("stSidebar").hover()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    wait_until(page, f"() => ({width})() > {narrow} + 150", what="the chart to widen with its column")
    # The sidebar slides out: chart and column are measured together, and again until the chart has caught up.
    wait_until(page, f"() => Math.abs(({width})() - ({column})()) <= 2", what="the chart to fill its column")
    page.get_by_test_id("stExpandSidebarButton").click()
    wait_until(page, f"() => Math.abs(({width})() - {narrow}) <= 2", what="the chart to narrow back to its column")
    assert page.evaluate(width) <= page.evaluate(column) + 2


def test_on_a_phone_a_tables_toolbar_does_not_float_over_the_chart_controls(phone, app_url):
    """The table's search/download/full-screen row floated over the step slider's end and took its taps (the
    family's table sits under its paths chart, as the flagship's did before it became a plain st.table)."""
    context, page = phone
    open_page(page, app_url + "/optimizer-family")
    settle(page)
    table = page.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    table.tap()
    page.wait_for_timeout(500)
    shown = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementToolbar"]')]
        .filter(e => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0).length""")
    assert shown == 0
