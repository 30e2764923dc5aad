"""The RMSprop lesson in headless Chromium: it renders, its sliders drive its plots, a screenshot is kept.

Fixtures (server, browser, fresh page per test) are in conftest.py; the screenshot goes to
tests/artifacts/rmsprop_scaling.png for a human to look at.
"""

import pytest

from browser_helpers import (
    JS_RERUN_DONE, JS_TRACE, assert_play_advances, assert_rendered_cleanly, open_lesson, screenshot,
    wait_until)

pytestmark = pytest.mark.browser

URL = "/rmsprop-scaling"
LAST_TEXT = "Next: bias correction"

# The page's charts, top to bottom (JS_TRACE's index): paths, state, scaled paths, ε paths, ε sweep.


def test_keyboard_moves_sliders_and_the_plots_follow(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, 5)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="RMSprop: one step size per coordinate").first.is_visible()
    rms_x = page.evaluate(JS_TRACE, [0, "RMSprop", "x"])
    assert rms_x is not None and len(rms_x) == 101 and rms_x[0] == pytest.approx(-5.0)

    # steps 100 -> 99: one point fewer on RMSprop's path, and on its state chart.
    steps = page.get_by_role("slider", name="steps")
    steps.focus()
    steps.press("ArrowLeft")
    wait_until(page, f"() => {{ const x = ({JS_TRACE})([0, 'RMSprop', 'x']); return x && x.length === 100; }}",
               what="RMSprop's path to have 100 points after steps moved to 99")
    wait_until(page, f"() => {{ const v = ({JS_TRACE})([1, 'x: v, the mean of g²', 'y']); return v && v.length === 99; }}",
               what="the state chart to follow the steps slider")
    wait_until(page, "() => location.search.includes('rms_steps=99')", what="rms_steps=99 in the URL")

    # c: 0.1 -> 1: SGD's scaled path lands on its dashed c = 1 path; RMSprop's never moved.
    sgd_before = page.evaluate(JS_TRACE, [2, "SGD", "x"])
    scale = page.get_by_role("slider", name="c (the loss is multiplied by c)")
    scale.focus()
    scale.press("ArrowRight")
    wait_until(page, f"""() => {{
        const a = ({JS_TRACE})([2, 'SGD', 'x']), b = ({JS_TRACE})([2, 'SGD at c = 1', 'x']);
        return a && b && a.length === b.length && a.every((v, i) => v === b[i]);
    }}""", what="SGD's path at c = 1 to equal its reference path")
    assert page.evaluate(JS_TRACE, [2, "SGD", "x"]) != sgd_before
    rms_scaled = page.evaluate(JS_TRACE, [2, "RMSprop", "x"])
    rms_ref = page.evaluate(JS_TRACE, [2, "RMSprop at c = 1", "x"])
    assert rms_scaled == pytest.approx(rms_ref, abs=1e-9)
    assert_rendered_cleanly(page)

    scale.press("ArrowLeft")            # back to the default scene for the picture
    wait_until(page, f"(before) => JSON.stringify(({JS_TRACE})([2, 'SGD', 'x'])) === JSON.stringify(before)",
               arg=sgd_before, what="SGD's path at c = 0.1 to come back")
    wait_until(page, JS_RERUN_DONE, what="the rerun to finish")
    screenshot(page, artifacts, "rmsprop_scaling")
    assert_play_advances(page, 0)
