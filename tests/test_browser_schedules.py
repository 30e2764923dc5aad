"""The Momentum schedules lesson in headless Chromium: it renders, a slider moved by keyboard redraws its plot,
the setting lands in the URL, and a screenshot is kept in tests/artifacts/schedules.png."""

import pytest

from browser_helpers import (
    JS_RERUN_DONE, JS_TRACE, assert_play_advances, assert_rendered_cleanly, assert_settings_in_page_above_chart,
    open_lesson, screenshot, wait_until)

pytestmark = pytest.mark.browser

URL = "/momentum-schedules"
LAST_TEXT = "Next: the whole family"


def test_renders_and_a_slider_redraws_the_plot(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, 3)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="Momentum schedules").first.is_visible()
    before = page.evaluate(JS_TRACE, [1, "decaying β₁", "y"])
    other = page.evaluate(JS_TRACE, [1, "constant β₁", "y"])
    assert before and other

    slider = page.get_by_role("slider", name="β₁ at the start (β₁ of the constant run)")
    slider.focus()
    slider.press("ArrowRight")
    wait_until(page, f"(before) => {{ const y = ({JS_TRACE})([1, 'decaying β₁', 'y']);"
                     "return y && JSON.stringify(y) !== JSON.stringify(before); }",
               arg=before, what="the plot to follow the slider")
    wait_until(page, "() => location.search.includes('sched_beta1=')", what="sched_beta1 in the URL")
    assert_rendered_cleanly(page)

    slider.press("ArrowLeft")   # back to the default scene
    wait_until(page, f"(before) => JSON.stringify(({JS_TRACE})([1, 'decaying β₁', 'y'])) === JSON.stringify(before)",
               arg=before, what="the default plot to come back")
    wait_until(page, JS_RERUN_DONE, what="the rerun to finish")
    screenshot(page, artifacts, "schedules")
    assert_play_advances(page, 1)


SETTINGS = ("sched_lr", "sched_beta1", "sched_spe", "sched_steps", "sched_tol")


def test_on_a_phone_the_settings_are_in_the_page_above_their_chart(browser, app_url, artifacts):
    assert_settings_in_page_above_chart(browser, app_url + URL, LAST_TEXT, 3, SETTINGS, "sched_schedule_chart",
                                        artifacts / "schedules_phone.png")
