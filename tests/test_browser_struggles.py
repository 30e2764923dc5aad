"""'When Adam struggles' in headless Chromium: it renders its three scenes, Adam's β₂ moved by keyboard
redraws the valley, and a screenshot goes to tests/artifacts/struggles.png."""

import pytest

from browser_helpers import (
    JS_RERUN_DONE, assert_play_advances, assert_rendered_cleanly, open_lesson, screenshot, wait_until)

pytestmark = pytest.mark.browser

URL = "/when-adam-struggles"
LAST_TEXT = "Next: train a real model"
PLOTS = 6                 # paths and progress for the saddle, the plateau and the valley
VALLEY_PATHS = 4

JS_TRACE = """([chart, name, axis]) => {
    const gd = document.querySelectorAll('.js-plotly-plot')[chart];
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name === name && t.mode && t.mode.startsWith('lines'));
    return t ? Array.from(t[axis]) : null;
}"""


def test_three_scenes_render_and_beta2_redraws_the_valley(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, PLOTS)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="When Adam struggles").first.is_visible()
    for chart, start_x in ((0, -2.0), (2, 4.8), (4, -4.0)):
        x = page.evaluate(JS_TRACE, [chart, "Adam", "x"])
        assert x is not None and x[0] == pytest.approx(start_x)
    before = page.evaluate(JS_TRACE, [VALLEY_PATHS, "Adam", "x"])

    beta2 = page.get_by_role("slider", name="Adam's β₂")
    beta2.focus()
    beta2.press("ArrowLeft")            # 0.999 -> 0.995
    wait_until(page, "() => location.search.includes('bad_beta2=0.995')", what="bad_beta2=0.995 in the URL")
    wait_until(page, f"""(before) => {{
        const x = ({JS_TRACE})([{VALLEY_PATHS}, 'Adam', 'x']);
        return x && JSON.stringify(x) !== JSON.stringify(before);
    }}""", arg=before, what="Adam's valley path to be recomputed at β₂ = 0.995")
    beta2.press("ArrowRight")
    wait_until(page, f"""(before) => JSON.stringify(({JS_TRACE})([{VALLEY_PATHS}, 'Adam', 'x'])) === JSON.stringify(before)""",
               arg=before, what="the default β₂ = 0.999 path to come back")
    wait_until(page, JS_RERUN_DONE, what="the rerun to finish")
    assert_rendered_cleanly(page)
    screenshot(page, artifacts, "struggles")
    assert_play_advances(page, 0)
