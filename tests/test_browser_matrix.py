"""Issue 15's matrix on every lesson: keyboard, a closing sidebar, a touch phone and presenter view.

Each lesson is opened as a learner opens it; what a class hits in its first minute must hold on all:
Tab reaches each chart's own button and every animated chart's Play control without entering Plotly's
mode bar; a chart follows its column when the sidebar closes; on a 390×844 touch phone a swipe over
the first chart scrolls the page and leaves the chart's axes alone. (Themes: test_browser_themes;
sideways overflow and presenter view on every lesson: test_browser_layout; requests to other hosts:
test_browser_offline.)
"""

import pytest

from browser_helpers import open_page, settle, wait_until

pytestmark = pytest.mark.browser

# Every lesson with a chart, as a link; the training lesson with short runs so it is drawn quickly.
# (The overview has no chart.)
LESSONS = ("/adam-vs-sgd", "/momentum", "/rmsprop-scaling", "/bias-correction", "/inside-adam", "/adamw",
           "/amsgrad", "/momentum-schedules", "/optimizer-family", "/when-adam-struggles", "/playground",
           "/train-a-model?train_epochs=2&train_rnn_epochs=2")
MAX_TABS = 400

JS_FOCUS = """() => { const e = document.activeElement;
    return {cls: String(e.className), name: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40),
            modebar: !!e.closest('.modebar'), chart: [...document.querySelectorAll('.course-plot-box')]
                .indexOf(e.closest('.course-plot-box'))}; }"""
JS_SCROLL = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY"
JS_RANGES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    Object.keys(gd._fullLayout).filter(k => /^[xy]axis\\d*$/.test(k)).map(k => String(gd._fullLayout[k].range)))"""


def ids(lesson):
    return lesson.split("?")[0].strip("/")


def tab_through(page):
    """Every element Tab focuses, from the top of the page to the end (bounded)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focus = page.evaluate(JS_FOCUS)
        if seen and focus == seen[0]:
            break
        seen.append(focus)
    return seen


@pytest.mark.parametrize("lesson", LESSONS, ids=ids)
def test_the_keyboard_reaches_every_charts_controls_and_a_chart_follows_its_column(page, app_url, lesson):
    open_page(page, app_url + lesson)
    settle(page)
    charts = page.locator(".course-plot-box").count()
    animated = page.evaluate("() => [...document.querySelectorAll('.course-plot-box')]"
                             ".map((box, i) => box.querySelector('.course-anim-play')?.offsetParent ? i : -1).filter(i => i >= 0)")
    assert charts > 0
    seen = tab_through(page)
    assert not any(focus["modebar"] for focus in seen), "Tab walked into Plotly's mode bar"
    reached = {(focus["chart"], focus["name"]) for focus in seen}
    for chart in range(charts):
        assert (chart, "Full screen") in reached, f"Tab never reached chart {chart}'s Full screen button"
    for chart in animated:
        assert (chart, "Play animation") in reached, f"Tab never reached chart {chart}'s Play control"

    width = "() => document.querySelector('.js-plotly-plot').getBoundingClientRect().width"
    column = "() => document.querySelector('.course-plot-box').getBoundingClientRect().width"
    before = page.evaluate(width)
    page.get_by_test_id("stSidebar").hover()
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    wait_until(page, f"() => ({width})() > {before} + 100 && ({width})() >= ({column})() - 20",
               what="the first chart to widen to its column's width")


@pytest.mark.parametrize("lesson", LESSONS, ids=ids)
def test_on_a_touch_phone_a_swipe_over_the_first_chart_scrolls_the_page(browser, app_url, lesson):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        open_page(page, app_url + lesson)
        settle(page)
        plot_area = page.locator(".js-plotly-plot .nsewdrag").first
        plot_area.scroll_into_view_if_needed()
        box = plot_area.bounding_box()
        scrolled, ranges = page.evaluate(JS_SCROLL), page.evaluate(JS_RANGES)
        distance = min(200, box["height"] * 0.6)
        cdp = context.new_cdp_session(page)
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for i in range(1, 11):
            cdp.send("Input.dispatchTouchEvent",
                     {"type": "touchMove", "touchPoints": [{"x": x, "y": y - distance * i / 10}]})
            page.wait_for_timeout(16)
        cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(600)
        assert page.evaluate(JS_SCROLL) > scrolled + distance / 3, "the swipe did not scroll the page"
        assert page.evaluate(JS_RANGES) == ranges, "the swipe zoomed or panned a chart"
        assert page.locator(".modebar").count() == 0
    finally:
        context.close()
