"""The Momentum schedules lesson in headless Chromium: it renders, a slider moved by keyboard redraws its plot,
the setting lands in the URL, and a screenshot is kept in tests/artifacts/schedules.png."""

import pytest

from browser_helpers import (
    JS_RERUN_DONE, JS_TRACE, assert_play_advances, assert_rendered_cleanly, open_lesson, screenshot,
    wait_until)

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


PHONE = dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
SETTINGS = ("sched_lr", "sched_beta1", "sched_spe", "sched_steps", "sched_tol")
JS_IN_PAGE = "el => !el.closest('[data-testid=\"stSidebar\"]') && !!el.closest('[data-testid=\"stMain\"]')"


def test_on_a_phone_the_settings_are_in_the_page_above_their_chart(browser, app_url, artifacts):
    """Not in the sidebar drawer, which covered the chart on a phone and came after every lesson link."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    try:
        open_lesson(phone, app_url + URL, LAST_TEXT, 3)
        chart_top = phone.locator(".st-key-sched_schedule_chart .js-plotly-plot").bounding_box()["y"]
        for key in SETTINGS:
            control = phone.locator(f".st-key-{key}")
            assert control.evaluate(JS_IN_PAGE), f"{key} is in the sidebar drawer, not in the page"
            assert control.is_visible(), f"{key} is not shown in the page"
            box = control.bounding_box()
            assert box["y"] + box["height"] < chart_top, f"{key} is not above the chart it drives"
        phone.screenshot(path=artifacts / "schedules_phone.png")
    finally:
        context.close()
