"""The bias-correction lesson in headless Chromium: it renders, a slider moved by keyboard redraws its runs.

Fixtures (server, browser, fresh page per test) are in conftest.py; the screenshot goes to
tests/artifacts/bias_correction.png for a human to look at.
"""

import pytest

from browser_helpers import JS_RERUN_DONE, assert_rendered_cleanly, open_lesson, screenshot, wait_until

pytestmark = pytest.mark.browser

URL = "/bias-correction"
LAST_TEXT = "Back to the flagship: Adam against SGD"
PLOTS = 4                 # curves, moments, four runs, spike

# Plot 2 (0-based) is the four runs: θ_t of each run in the left panel.
JS_RUN_Y = """(name) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[2];
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name === name && t.xaxis === 'x');
    return t ? Array.from(t.y) : null;
}"""


def test_keyboard_on_beta1_recomputes_the_four_runs(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, PLOTS)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="Bias correction").first.is_visible()
    before = page.evaluate(JS_RUN_Y, "none")
    assert before is not None and before[0] == pytest.approx(8.0)
    assert before[1] == pytest.approx(8.0 - 0.1 * 0.1 / 0.001 ** 0.5, abs=1e-6)   # 3.16α at the defaults

    thumb = page.get_by_role("slider", name="β₁ (momentum decay)")
    thumb.focus()
    thumb.press("ArrowLeft")            # 0.90 -> 0.89
    # Without correction the first step is α(1 − β₁)/√(1 − β₂): it grows by 10 % at β₁ = 0.89.
    wait_until(page, f"""() => {{
        const y = ({JS_RUN_Y})('none');
        return y !== null && Math.abs(y[1] - (8 - 0.1 * 0.11 / Math.sqrt(0.001))) < 1e-6;
    }}""", what="the uncorrected run to be recomputed at β₁ = 0.89")
    after = page.evaluate(JS_RUN_Y, "none")
    assert after[2:] != pytest.approx(before[2:])
    wait_until(page, "() => location.search.includes('bias_beta1=0.89')",
               what="the slider to write bias_beta1=0.89 into the URL")
    wait_until(page, JS_RERUN_DONE, what="the rerun to finish")
    assert_rendered_cleanly(page)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    screenshot(page, artifacts, "bias_correction")
