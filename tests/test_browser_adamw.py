"""The AdamW against Adam + L2 lesson in headless Chromium: it renders, a slider moved by keyboard redraws its plot,
the setting lands in the URL, and a screenshot is kept in tests/artifacts/adamw.png."""

import pytest

from browser_helpers import JS_RERUN_DONE, JS_TRACE, assert_rendered_cleanly, open_lesson, screenshot, wait_until

pytestmark = pytest.mark.browser

URL = "/adamw"
LAST_TEXT = "Next: AMSGrad"


def test_renders_and_a_slider_redraws_the_plot(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, 2)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="AdamW against Adam + L2").first.is_visible()
    before = page.evaluate(JS_TRACE, [1, "Adam + L2 on c·f", "y"])
    other = page.evaluate(JS_TRACE, [1, "AdamW on c·f", "y"])
    assert before and other

    slider = page.get_by_role("slider", name="c (gradients multiplied by c)")
    slider.focus()
    slider.press("ArrowRight")
    wait_until(page, f"(before) => {{ const y = ({JS_TRACE})([1, 'Adam + L2 on c·f', 'y']);"
                     "return y && JSON.stringify(y) !== JSON.stringify(before); }",
               arg=before, what="the plot to follow the slider")
    wait_until(page, "() => location.search.includes('adamw_scale=')", what="adamw_scale in the URL")
    # c moved 0.1 -> 0.3: Adam + L2's line moved; AdamW's is the same path (up to ε's tiny effect).
    assert page.evaluate(JS_TRACE, [1, "AdamW on c·f", "y"]) == pytest.approx(other, abs=1e-6)
    assert_rendered_cleanly(page)

    slider.press("ArrowLeft")   # back to the default scene
    wait_until(page, f"(before) => JSON.stringify(({JS_TRACE})([1, 'Adam + L2 on c·f', 'y'])) === JSON.stringify(before)",
               arg=before, what="the default plot to come back")
    wait_until(page, JS_RERUN_DONE, what="the rerun to finish")
    screenshot(page, artifacts, "adamw")


PHONE = dict(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True)
SETTINGS = ("adamw_lr", "adamw_wd")
JS_IN_PAGE = "el => !el.closest('[data-testid=\"stSidebar\"]') && !!el.closest('[data-testid=\"stMain\"]')"


def test_on_a_phone_the_settings_are_in_the_page_above_their_chart(browser, app_url, artifacts):
    """Not in the sidebar drawer, which covered the chart on a phone and came after every lesson link."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(20_000)
    phone = context.new_page()
    try:
        open_lesson(phone, app_url + URL, LAST_TEXT, 2)
        chart_top = phone.locator(".st-key-adamw_decay_chart .js-plotly-plot").bounding_box()["y"]
        for key in SETTINGS:
            control = phone.locator(f".st-key-{key}")
            assert control.evaluate(JS_IN_PAGE), f"{key} is in the sidebar drawer, not in the page"
            assert control.is_visible(), f"{key} is not shown in the page"
            box = control.bounding_box()
            assert box["y"] + box["height"] < chart_top, f"{key} is not above the chart it drives"
        phone.screenshot(path=artifacts / "adamw_phone.png")
    finally:
        context.close()
