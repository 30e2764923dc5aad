"""The playground in headless Chromium: type a function, see its formula typeset and the chart redrawn on it,
and the link follow; a screenshot goes to tests/artifacts/playground.png."""

import math

import pytest

from browser_helpers import JS_RERUN_DONE, assert_rendered_cleanly, open_lesson, screenshot, wait_until

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
