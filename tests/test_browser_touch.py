"""Charts on a phone, in full screen and in a column that changes width (issue 15).

A swipe over a chart on a touch screen scrolls the page (no drag-zoom, no mode bar); a chart's
"Full screen" button gives it the whole window (where zooming is deliberate) and Escape brings
it back; a chart follows its column when the sidebar closes and opens.
"""

import pytest

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


def test_a_chart_follows_its_column_when_the_sidebar_closes_and_opens(page, app_url):
    open_page(page, app_url + LESSON)
    settle(page)
    width = "() => document.querySelector('.js-plotly-plot').getBoundingClientRect().width"
    column = "() => document.querySelector('.course-plot-box').getBoundingClientRect().width"
    narrow = page.evaluate(width)
    page.get_by_test_id("stSidebar").hover()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    wait_until(page, f"() => ({width})() > {narrow} + 150", what="the chart to widen with its column")
    assert abs(page.evaluate(width) - page.evaluate(column)) <= 2
    page.get_by_test_id("stExpandSidebarButton").click()
    wait_until(page, f"() => Math.abs(({width})() - {narrow}) <= 2", what="the chart to narrow back to its column")
    assert page.evaluate(width) <= page.evaluate(column) + 2


def test_on_a_phone_a_tables_toolbar_does_not_float_over_the_chart_controls(phone, app_url):
    """The table's search/download/full-screen row floated over the step slider's end and took its taps."""
    context, page = phone
    open_page(page, app_url + "/adam-vs-sgd")
    settle(page)
    table = page.get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    table.tap()
    page.wait_for_timeout(500)
    shown = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stElementToolbar"]')]
        .filter(e => getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0).length""")
    assert shown == 0
