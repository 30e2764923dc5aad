"""The momentum lesson in headless Chromium: it renders, a keyboard-moved slider redraws the bowl."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_helpers import assert_rendered_cleanly, open_lesson, screenshot, wait_until

pytestmark = pytest.mark.browser

URL = "/momentum"
LAST_TEXT = "Next: RMSprop scaling"
# The third plot on the page is the bowl with the paths.
JS_HEAVY_X = """() => {
    const plots = document.querySelectorAll('.js-plotly-plot');
    const gd = plots.length > 2 ? plots[2] : null;
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name && t.name.startsWith('heavy ball') && !t.name.endsWith('(casing)'));
    return t ? {name: t.name, x: Array.from(t.x)} : null;
}"""


def test_momentum_slider_by_keyboard_redraws_the_bowl(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT)
    wait_until(page, f"() => ({JS_HEAVY_X})() !== null", what="the bowl figure to be drawn")
    assert_rendered_cleanly(page)
    assert page.locator(".js-plotly-plot").count() == 5
    before = page.evaluate(JS_HEAVY_X)
    assert before["name"] == "heavy ball, μ = 0.5" and before["x"][0] == pytest.approx(-5.0)

    thumb = page.get_by_role("slider", name="μ (momentum)")
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowRight")       # 0.50 -> 0.53 in steps of 0.01
    wait_until(page, f"() => {{ const t = ({JS_HEAVY_X})(); return t && t.name === 'heavy ball, μ = 0.53'; }}",
               what="the heavy-ball path to be recomputed with μ = 0.53 after three ArrowRight presses")
    after = page.evaluate(JS_HEAVY_X)
    assert after["x"][0] == pytest.approx(-5.0)
    assert after["x"][2:] != pytest.approx(before["x"][2:])
    wait_until(page, "() => location.search.includes('mom_mu=0.53')", what="mom_mu=0.53 in the URL")
    assert_rendered_cleanly(page)
    try:
        page.get_by_text("Your heavy ball").first.wait_for(timeout=5_000)
    except PlaywrightTimeout:
        pytest.fail("the sentence with the predicted and measured rates is missing")
    assert "μ = 0.53" in page.locator("p", has_text="Your heavy ball").first.inner_text()
    screenshot(page, artifacts, "momentum")
