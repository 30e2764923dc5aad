"""The AMSGrad's counterexample lesson in headless Chromium: it renders, a slider moved by keyboard redraws its plot,
the setting lands in the URL, and a screenshot is kept in tests/artifacts/amsgrad.png."""

import pytest

from browser_helpers import JS_RERUN_DONE, JS_TRACE, assert_rendered_cleanly, open_lesson, screenshot, wait_until

pytestmark = pytest.mark.browser

URL = "/amsgrad"
LAST_TEXT = "Next: momentum schedules"


def test_renders_and_a_slider_redraws_the_plot(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, 1)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="AMSGrad's counterexample").first.is_visible()
    before = page.evaluate(JS_TRACE, [0, "Adam: x_t", "y"])
    other = page.evaluate(JS_TRACE, [0, "AMSGrad: x_t", "y"])
    assert before and other

    slider = page.get_by_role("slider", name="C (the large gradient)")
    slider.focus()
    slider.press("ArrowRight")
    wait_until(page, f"(before) => {{ const y = ({JS_TRACE})([0, 'Adam: x_t', 'y']);"
                     "return y && JSON.stringify(y) !== JSON.stringify(before); }",
               arg=before, what="the plot to follow the slider")
    wait_until(page, "() => location.search.includes('ams_C=')", what="ams_C in the URL")
    assert_rendered_cleanly(page)

    slider.press("ArrowLeft")   # back to the default scene
    wait_until(page, f"(before) => JSON.stringify(({JS_TRACE})([0, 'Adam: x_t', 'y'])) === JSON.stringify(before)",
               arg=before, what="the default plot to come back")
    wait_until(page, JS_RERUN_DONE, what="the rerun to finish")
    screenshot(page, artifacts, "amsgrad")
