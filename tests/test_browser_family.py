"""The family lesson in headless Chromium: it renders, a pill switches an optimizer on, a slider moved
by keyboard redraws the paths, and a screenshot goes to tests/artifacts/family.png."""

import pytest

from browser_helpers import (
    JS_RERUN_DONE, assert_play_advances, assert_rendered_cleanly, open_lesson, screenshot, wait_until)

pytestmark = pytest.mark.browser

URL = "/optimizer-family"
LAST_TEXT = "Next: when Adam struggles"
PLOTS = 2                 # paths, progress

JS_TRACE = """([chart, name, axis]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name === name && t.mode && t.mode.startsWith('lines'));
    return t ? Array.from(t[axis]) : null;
}"""
IDLE = JS_RERUN_DONE


def test_a_pill_adds_an_optimizer_and_the_steps_slider_redraws(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, PLOTS)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="The whole family").first.is_visible()
    adam_x = page.evaluate(JS_TRACE, [0, "Adam", "x"])
    assert adam_x is not None and len(adam_x) == 501 and adam_x[0] == pytest.approx(-1.2)
    assert page.evaluate(JS_TRACE, [0, "Nesterov", "x"]) is None
    dash = page.evaluate("""() => document.querySelectorAll('.js-plotly-plot')[0]._fullData
                                   .find(t => t.name === 'AdaBound' && t.mode.startsWith('lines')).line.dash""")
    assert dash == "dashdot"

    page.get_by_role("button", name="Nesterov", exact=True).first.click()
    wait_until(page, f"() => {{ const x = ({JS_TRACE})([0, 'Nesterov', 'x']); return x && x.length === 501; }}",
               what="Nesterov's path to appear after its pill was clicked")
    wait_until(page, "() => location.search.includes('fam_show=')", what="the choice to be written into the URL")
    assert page.get_by_text("Nesterov settings").first.is_visible()

    steps = page.get_by_role("slider", name="steps")
    steps.focus()
    steps.press("ArrowLeft")
    wait_until(page, f"() => {{ const x = ({JS_TRACE})([0, 'Adam', 'x']); return x && x.length === 500; }}",
               what="Adam's path to have 500 points after steps moved to 499")
    wait_until(page, "() => location.search.includes('fam_rosenbrock_steps=499')", what="the steps in the URL")
    steps.press("ArrowRight")
    wait_until(page, f"() => {{ const x = ({JS_TRACE})([0, 'Adam', 'x']); return x && x.length === 501; }}",
               what="the default 500 steps to come back")
    wait_until(page, IDLE, what="the rerun to finish")
    assert_rendered_cleanly(page)
    screenshot(page, artifacts, "family")
    assert_play_advances(page, 0)
