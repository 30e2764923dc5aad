"""The playground in headless Chromium: type a function, see its formula typeset and the chart redrawn on it,
and the link follow; a screenshot goes to tests/artifacts/playground.png."""

import math

import pytest

from browser_helpers import (JS_RERUN_DONE, assert_rendered_cleanly, chart_point, open_lesson, screenshot,
                             wait_until)

pytestmark = pytest.mark.browser

URL = "/playground"
LAST_TEXT = "Back to the course overview"
PLOTS = 2                 # paths, maps

JS_TRACE = """([chart, name, axis]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name === name && t.mode && t.mode.startsWith('lines'));
    return t ? Array.from(t[axis]) : null;
}"""


def test_typing_a_function_redraws_the_race_on_it(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, PLOTS)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="Playground: your own loss").first.is_visible()
    assert page.locator(".katex").first.is_visible()
    two_d = page.evaluate(JS_TRACE, [0, "Adam", "y"])
    assert two_d is not None and len(two_d) == 151

    box = page.get_by_role("textbox", name="f(x) or f(x, y) =")
    box.fill("(x - 2)^2 + 0.5*sin(3*x)")
    box.press("Enter")
    # 1-D now: the paths chart draws the curve f(θ) and each path on it, over the auto range [−2.5, 5.5] (±4 around the lowest sample, x ≈ 1.7, rounded to 1.5)
    wait_until(page, """() => { const gd = document.querySelectorAll('.js-plotly-plot')[0];
                               return gd && gd._fullData && gd._fullData.some(t => t.name === 'f(θ)')
                                      && gd._fullLayout.xaxis.range[0] === -2.5 && gd._fullLayout.xaxis.range[1] === 5.5; }""",
               what="the chart to draw the typed 1-D function over [−2.5, 5.5]")
    x = page.evaluate(JS_TRACE, [0, "Adam", "x"])
    y = page.evaluate(JS_TRACE, [0, "Adam", "y"])
    assert len(x) == 151 and y[0] == pytest.approx((x[0] - 2) ** 2 + 0.5 * math.sin(3 * x[0]), abs=1e-9)
    wait_until(page, "() => location.search.includes('play_f=')", what="the formula to be written into the URL")
    wait_until(page, JS_RERUN_DONE, what="the rerun to finish")
    katex = page.locator(".katex").first.inner_text()
    assert "sin" in katex and "f(x)" in katex.replace(" ", "").replace("\n", "")
    assert page.get_by_text("Auto range").first.is_visible()
    assert_rendered_cleanly(page)
    screenshot(page, artifacts, "playground")


def test_a_hostile_link_shows_its_refusal_as_text(page, app_url):
    page.goto(app_url + URL + "?play_f=__import__%28%27os%27%29.system%28%27id%27%29")
    page.get_by_text("Back to the course overview").first.wait_for(timeout=60_000)
    wait_until(page, JS_RERUN_DONE, what="the run to finish")
    alert = page.get_by_text("Attribute access (a dot after a name, as in “__import__('os').system”)")
    assert alert.first.is_visible()
    assert_rendered_cleanly(page)


# ---- click (tap) to start --------------------------------------------------------------------


JS_SCROLL = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop + window.scrollY"


def swipe_scrolls(page, context, selector):
    """Swipe up 150 px over the first ``selector`` (a finger, through CDP) and check that the page scrolled."""
    area = page.locator(selector).first
    area.scroll_into_view_if_needed()
    box = area.bounding_box()
    before = page.evaluate(JS_SCROLL)
    cdp = context.new_cdp_session(page)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.8
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y - 15 * i}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(800)
    assert page.evaluate(JS_SCROLL) > before + 50, f"a swipe over {selector} did not scroll the page"
    wait_until(page, JS_RERUN_DONE, what="no rerun to be left running after the swipe")


def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2)
    context.set_default_timeout(20_000)
    return context, context.new_page()


def test_a_tap_on_the_map_starts_the_race_there_on_a_phone(browser, app_url, artifacts):
    context, page = phone(browser)
    try:
        open_lesson(page, app_url + URL, LAST_TEXT, PLOTS)
        x_range = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range")
        y_range = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullLayout.yaxis.range")
        # a point a quarter of the way in, off the sliders' grid: it lands on the nearest 0.01 step
        x = x_range[0] + 0.25 * (x_range[1] - x_range[0]) + 0.004
        y = y_range[0] + 0.25 * (y_range[1] - y_range[0]) + 0.004
        page.touchscreen.tap(*chart_point(page, 0, x, y))
        want = [round(x, 2), round(y, 2)]
        wait_until(page, """(want) => { const s = ([...document.querySelector('.js-plotly-plot')._fullData]
                                 .find(t => t.name === 'Adam' && t.mode === 'lines'));
                                 return s && Math.abs(s.x[0] - want[0]) < 1e-9 && Math.abs(s.y[0] - want[1]) < 1e-9; }""",
                   want, what=f"the race to start again from the tapped point {want}")
        wait_until(page, f"() => location.search.includes('play_typed_x0={want[0]:g}')",
                   what="the link to say the tapped start")
        assert f"{want[0]:.2f}" in page.get_by_test_id("stSlider").filter(has_text="start x₀").inner_text()
        assert_rendered_cleanly(page)
        page.screenshot(path=artifacts / "playground-tap-to-start-phone.png")
        # the two sensitivity maps stack one per row, each the column's width (a review saw two 40-px panels)
        boxes = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].slice(1).map(gd => {"
                              " const r = gd.querySelector('.nsewdrag').getBoundingClientRect(); return [r.top, r.bottom, r.width]; })")
        assert len(boxes) == 2 and boxes[1][0] > boxes[0][1] and min(b[2] for b in boxes) > 200, boxes
        page.locator(".js-plotly-plot").nth(1).scroll_into_view_if_needed()
        page.screenshot(path=artifacts / "playground-maps-phone.png")

        # A swipe over the 2-D chart scrolls the page and starts nothing; in 3-D too (the scene turns in full screen only).
        swipe_scrolls(page, context, ".js-plotly-plot .nsewdrag")
        assert f"play_typed_x0={want[0]:g}" in page.url
        page.get_by_text("3-D view").first.click()
        wait_until(page, "() => { const gd = document.querySelector('.js-plotly-plot');"
                         " return gd && gd._fullLayout && gd._fullLayout.scene && gd.querySelector('.gl-container canvas'); }",
                   what="the 3-D scene on the phone")
        camera = "() => JSON.stringify(document.querySelector('.js-plotly-plot')._fullLayout.scene._scene.getCamera())"
        before = page.evaluate(camera)
        swipe_scrolls(page, context, ".js-plotly-plot .gl-container")
        assert page.evaluate(camera) == before, "the swipe turned the 3-D scene"
        page.screenshot(path=artifacts / "playground-3d-phone.png")
    finally:
        context.close()


def test_a_click_on_a_map_cell_loads_its_setting_and_marks_it(page, app_url, artifacts):
    open_lesson(page, app_url + URL + "?play_map_n=5", LAST_TEXT, PLOTS + 1)
    # Each map is drawn as a heatmap: plotly.js's basic bundle has no heatmap and would draw only the markers.
    wait_until(page, "() => [1, 2].every(i => document.querySelectorAll('.js-plotly-plot')[i]._fullData"
                     ".some(t => t.type === 'heatmap' && t.visible !== false))"
                     " && document.querySelectorAll('.js-plotly-plot')[1].querySelector('.heatmaplayer image')",
               what="both sensitivity maps drawn as heatmaps")
    assert page.evaluate("() => document.querySelectorAll('.js-plotly-plot')[1]._fullData"
                         ".some(t => t.name === 'clicked cell')") is False
    # the α × β₁ map's cell α = 10⁻³ (drawn at log₁₀ α = −3), β₁ = 0.99
    page.mouse.click(*chart_point(page, 1, -3.1, 0.97))
    wait_until(page, "() => location.search.includes('play_typed_adam_lr=1e-3') "
                     "&& location.search.includes('play_typed_adam_beta1=0.99')",
               what="Adam's α and β₁ sliders to take the clicked cell's setting, and the link to say it")
    wait_until(page, """() => { const gd = document.querySelectorAll('.js-plotly-plot')[1];
                               const cell = gd._fullData.find(t => t.name === 'clicked cell');
                               const ring = gd._fullData.find(t => t.name === 'current setting');
                               return cell && Math.abs(cell.x[0] + 3) < 1e-9 && Math.abs(cell.y[0] - 0.99) < 1e-9
                                      && Math.abs(ring.x[0] + 3) < 1e-9; }""",
               what="the map to outline the clicked cell and ring the new setting")
    sliders = page.get_by_test_id("stSlider")
    assert "0.99" in sliders.filter(has_text="β₁").first.text_content()       # in the closed Adam expander
    assert_rendered_cleanly(page)
    screenshot(page, artifacts, "playground-map-click")

    # The 3-D switch: the typed landscape in the paths chart's place, drawn by WebGL, the maps still below it.
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.get_by_text("3-D view").first.click()
    wait_until(page, "() => { const gd = document.querySelector('.js-plotly-plot');"
                     " return gd && gd._fullLayout && gd._fullLayout.scene && gd.querySelector('.gl-container canvas')"
                     " && gd._fullData.some(t => t.type === 'surface')"
                     " && gd._fullData.some(t => t.type === 'scatter3d' && t.name === 'Adam'); }",
               what="a 3-D scene with the typed surface and Adam's path in place of the 2-D paths chart")
    wait_until(page, "() => location.search.includes('play_3d=true')", what="the switch to be written into the link")
    assert page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length") == PLOTS + 1
    assert_rendered_cleanly(page)
    screenshot(page, artifacts, "playground-3d")
