"""The AdamW against Adam + L2 lesson in headless Chromium: it renders, a slider moved by keyboard redraws its plot,
the setting lands in the URL, the two-panel charts stack their panels in a narrow column, and a screenshot is kept
in tests/artifacts/adamw.png."""

import pytest

from browser_helpers import (JS_RERUN_DONE, JS_TRACE, assert_rendered_cleanly, assert_settings_in_page_above_chart,
                             open_lesson, screenshot, wait_until)

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
    assert_panels_stack_in_a_narrow_column(page)


# Whether each two-panel chart has its panels one above the other (x axes the chart's whole width).
JS_STACKED = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    gd._fullLayout.xaxis.domain[1] === 1 && gd._fullLayout.xaxis2.domain[0] === 0
    && gd._fullLayout.yaxis.domain[0] > gd._fullLayout.yaxis2.domain[1])"""


# Whether each chart's legend lies wholly under its x axis titles (it sat on "step k" at every width).
JS_LEGEND_UNDER_TITLES = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd =>
    Math.max(...[...gd.querySelectorAll('.xtitle, .x2title')].map(t => t.getBoundingClientRect().bottom))
    <= gd.querySelector('.legend').getBoundingClientRect().top)"""


def assert_panels_stack_in_a_narrow_column(page):
    """Side by side in a wide column; stacked once the column is narrower than ui/narrow.NARROW_PX (a phone's:
    side by side, the legend sat on the step titles), and side by side again when it widens.  Either way the
    legend lies under the x titles."""
    assert page.evaluate(JS_STACKED) == [False, False]
    assert page.evaluate(JS_LEGEND_UNDER_TITLES) == [True, True], "a legend sits on an x title"
    page.set_viewport_size({"width": 500, "height": 1000})
    wait_until(page, f"() => ({JS_STACKED})().every(Boolean)", what="both charts to stack their panels")
    assert page.evaluate(JS_LEGEND_UNDER_TITLES) == [True, True], "a legend sits on an x title of the stacked panels"
    page.set_viewport_size({"width": 1400, "height": 1000})
    wait_until(page, f"() => !({JS_STACKED})().some(Boolean)", what="both charts to put their panels side by side")


SETTINGS = ("adamw_lr", "adamw_wd")


def test_on_a_phone_the_settings_are_in_the_page_above_their_chart(browser, app_url, artifacts):
    assert_settings_in_page_above_chart(browser, app_url + URL, LAST_TEXT, 2, SETTINGS, "adamw_decay_chart",
                                        artifacts / "adamw_phone.png")
