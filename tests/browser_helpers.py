"""Shared helpers for the browser tests: bounded waits, page loading, clean-render checks, screenshots."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

WAIT_MS = 30_000          # every bounded wait below: generous, as two test workers share two cores with two browsers
# Streamlit marks its root with the script and connection state (its own e2e tests wait on these).
JS_IDLE = """() => document.querySelector('[data-testid="stApp"][data-test-script-state="notRunning"]'
                                          + '[data-test-connection-state="CONNECTED"]')
                  && !document.querySelector('[data-stale="true"]')
                  && [...document.querySelectorAll('.js-plotly-plot')].every(gd => gd._fullLayout)"""
# One trace of one chart (charts counted top to bottom): JS_TRACE with [chart index, trace name, "x"|"y"].
JS_TRACE = """([chart, name, axis]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name === name);
    return t ? Array.from(t[axis]) : null;
}"""
# The rerun a widget started has ended and nothing on the page is stale.
JS_RERUN_DONE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
                       && !document.querySelector('[data-stale="true"]')"""
JS_HEIGHT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    return Math.max(document.documentElement.scrollHeight, main ? main.scrollHeight : 0);
}"""



def wait_until(page, js, arg=None, what="condition"):
    """Poll a JS predicate (bounded); fail with ``what`` instead of a bare timeout."""
    try:
        page.wait_for_function(js, arg=arg, timeout=WAIT_MS, polling=100)
    except PlaywrightTimeout:
        pytest.fail(f"timed out after {WAIT_MS / 1000:.0f} s waiting for {what}")



def open_page(page, url, ready_text=None):
    """Load ``url``; wait for its title (or ``ready_text``, drawn late in the script) and an idle page."""
    page.goto(url)
    ready = page.get_by_text(ready_text).first if ready_text else page.locator("h1").first
    try:
        ready.wait_for(timeout=WAIT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"{url} did not render {ready_text or 'a title'} within {WAIT_MS / 1000:.0f} s; "
                    f"exceptions shown: {page.get_by_test_id('stException').all_inner_texts()}")
    wait_until(page, JS_IDLE, what=f"the script run of {url} to finish and its plots to be drawn")



def settle(page, quiet_ms=600, limit_ms=6000):
    """Charts load lazily after the run ends: wait (bounded) until the page stops growing."""
    last, still = None, 0
    for _ in range(limit_ms // 150):
        height = page.evaluate(JS_HEIGHT)
        still = still + 150 if height == last else 0
        if still >= quiet_ms and page.evaluate(JS_IDLE):
            return
        last = height
        page.wait_for_timeout(150)



# An animated paths figure (ui/figures.paths_figure), by its index among the page's charts: the step its
# controls show (ui/plot's HTML step range; its value indexes the frames, which are named by their step),
# whether it is playing, and where each head (the traces the frames move) is drawn.
JS_ANIMATION = """(chart) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    const box = gd.closest('.course-plot-box');
    const frames = gd._transitionData._frames;
    const heads = frames[0].traces;
    return {step: Number(frames[Number(box.querySelector('.course-anim-range').value)].name),
            playing: box.querySelector('.course-anim-play').getAttribute('aria-pressed') === 'true',
            heads: heads.map(i => [gd._fullData[i].x[0], gd._fullData[i].y[0]])};
}"""
# The heads where frame ``step`` puts them (the frames carry the heads' positions, in the order of JS_ANIMATION).
JS_FRAME_HEADS = """([chart, step]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    const frame = gd._transitionData._frames.find(f => f.name === String(step));
    return frame ? frame.data.map(d => [d.x[0], d.y[0]]) : null;
}"""


def animation_controls(page, chart):
    """The HTML controls under chart ``chart`` (ui/plot): a dict of Playwright locators play, speed, step."""
    box = page.locator(".js-plotly-plot").nth(chart).locator("xpath=..")
    return {"play": box.locator(".course-anim-play"), "speed": box.locator(".course-anim-speed"),
            "step": box.locator(".course-anim-range")}


def wait_for_step(page, chart, step, what=None):
    """Chart ``chart`` shows frame ``step``: its step control says so and every head sits where the frame puts it."""
    wait_until(page, f"""([chart, step]) => {{
        const now = ({JS_ANIMATION})(chart), frame = ({JS_FRAME_HEADS})([chart, step]);
        return now.step === step && frame && now.heads.every((head, i) => head.join() === frame[i].join());
    }}""", [chart, step], what=what or f"chart {chart} to show step {step}")


def assert_play_advances(page, chart):
    """Play on chart ``chart`` moves the step on and every head off the start; Pause stops it."""
    play = animation_controls(page, chart)["play"]
    start = page.evaluate(JS_ANIMATION, chart)
    assert start["step"] == 0 and start["heads"] and not start["playing"], start
    play.click()
    wait_until(page, f"""([chart, start]) => {{
        const now = ({JS_ANIMATION})(chart);
        return now.step >= 2 && now.heads.every((head, i) => head.join() !== start.heads[i].join());
    }}""", [chart, start], what=f"Play on chart {chart} to move its step and every head")
    assert play.get_attribute("aria-pressed") == "true" and "Pause" in play.inner_text()
    play.click()
    page.wait_for_timeout(200)          # a frame already under way may still land
    paused = page.evaluate(JS_ANIMATION, chart)
    assert not paused["playing"] and "Play" in play.inner_text()
    page.wait_for_timeout(500)
    assert page.evaluate(JS_ANIMATION, chart)["step"] == paused["step"], "the animation went on after Pause"


def assert_rendered_cleanly(page):
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, \
        "the page shows a Python exception:\n" + "\n".join(exceptions.all_inner_texts())
    assert page.get_by_text("Traceback (most recent call last)").count() == 0
    assert page.get_by_text("Page not found").count() == 0, "Streamlit shows a 'Page not found' dialog"



def screenshot(page, artifacts, name):
    """The whole page: Streamlit scrolls inside stMain, so grow the viewport to its content first."""
    settle(page)
    height = page.evaluate(JS_HEIGHT)
    page.set_viewport_size({"width": 1400, "height": min(max(height, 1000), 8000)})
    page.wait_for_timeout(400)          # plotly relayouts on resize
    path = artifacts / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert path.stat().st_size > 10_000, f"{path} looks empty"


def open_lesson(page, url, last_text, plots=0):
    """Load a lesson; wait for ``last_text`` (the end of its script), the run to end and ``plots`` charts drawn."""
    page.goto(url)
    try:
        page.get_by_text(last_text).first.wait_for(timeout=WAIT_MS)
    except PlaywrightTimeout:
        pytest.fail(f"{url} did not render {last_text!r} within {WAIT_MS / 1000:.0f} s; exceptions shown: "
                    f"{page.get_by_test_id('stException').all_inner_texts()}")
    wait_until(page, f"""() => {{
        const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
        return !document.querySelector('[data-testid="stStatusWidget"]')
            && !document.querySelector('[data-stale="true"]')
            && charts.length >= {plots} && charts.every(gd => gd._fullData);
    }}""", what=f"the script run of {url} to finish and {plots} charts to be drawn")


# The page position of the data point (x, y) on a chart's subplot (its drag layer, through Plotly's d2p).
JS_DATA_TO_PAGE = """([chart, subplot, x, y]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    const info = gd._fullLayout._plots[subplot];
    const box = info.draglayer.node().querySelector('.nsewdrag').getBoundingClientRect();
    return [box.left + info.xaxis.d2p(x), box.top + info.yaxis.d2p(y)];
}"""


def chart_point(page, chart, x, y, subplot="xy"):
    """The page position of data point (x, y) on ``subplot`` of chart number ``chart``, scrolled into view."""
    page.locator(".js-plotly-plot").nth(chart).scroll_into_view_if_needed()
    return page.evaluate(JS_DATA_TO_PAGE, [chart, subplot, x, y])


PHONE = dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
JS_IN_PAGE = "el => !el.closest('[data-testid=\"stSidebar\"]') && !!el.closest('[data-testid=\"stMain\"]')"


def assert_settings_in_page_above_chart(browser, url, last_text, plots, settings, chart_key, shot):
    """On a phone, each of ``settings`` (widget keys) is in the page, not the sidebar drawer (which covers the
    chart there and comes after every lesson link), and above the chart ``chart_key`` it drives."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    try:
        open_lesson(phone, url, last_text, plots)
        chart_top = phone.locator(f".st-key-{chart_key} .js-plotly-plot").bounding_box()["y"]
        for key in settings:
            control = phone.locator(f".st-key-{key}")
            assert control.evaluate(JS_IN_PAGE), f"{key} is in the sidebar drawer, not in the page"
            assert control.is_visible(), f"{key} is not shown in the page"
            box = control.bounding_box()
            assert box["y"] + box["height"] < chart_top, f"{key} is not above the chart it drives"
        phone.screenshot(path=shot)
    finally:
        context.close()

