"""The "Inside an Adam step" lesson in headless Chromium: scrub by keyboard both ways, and Play.

Fixtures (server, browser, fresh page per test) are in conftest.py; the screenshot goes to
tests/artifacts/inspector.png for a human to look at.
"""

import numpy as np
import pytest

import optimizers as opt
from browser_helpers import assert_rendered_cleanly, open_lesson, screenshot, wait_until

pytestmark = pytest.mark.browser

URL = "/inside-adam"
LAST_TEXT = "Next: AdamW against L2"
PLOTS = 2                 # the surface with the arrows, the vital signs
SLIDER = "step t (use ← → on the slider to scrub)"

# Plot 0 is the surface: the step arrow's tail and tip as drawn, and its stated scale.
JS_STEP_ARROW = """() => {
    const gd = document.querySelectorAll('.js-plotly-plot')[0];
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => (t.name || '').startsWith('step '));
    return t ? {x: Array.from(t.x), y: Array.from(t.y), scale: t.meta.scale, name: t.name} : null;
}"""
JS_MARK = """() => {
    const gd = document.querySelectorAll('.js-plotly-plot')[1];
    return gd && gd._fullLayout ? gd._fullLayout.shapes.map(s => s.x0) : null;
}"""


def drawn_update(arrow):
    return np.array([arrow["x"][1] - arrow["x"][0], arrow["y"][1] - arrow["y"][0]]) / arrow["scale"]


def wait_for_step(page, t):
    sub = str(t).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    wait_until(page, f"""() => {{
        const a = ({JS_STEP_ARROW})(), marks = ({JS_MARK})();
        return a && a.name.startsWith('step θ{sub} ') && marks && marks.every(x => x === {t})
            && [...document.querySelectorAll('p')].some(p => p.textContent.includes('Step t = {t},'))
            && !document.querySelector('[data-stale="true"]');
    }}""", what=f"the arrows, the table heading and the vital-sign marks to show step {t}")


def test_keyboard_scrubs_the_step_both_ways(page, app_url, artifacts):
    open_lesson(page, app_url + URL, LAST_TEXT, PLOTS)
    assert_rendered_cleanly(page)
    bowl = opt.surfaces.get("bowl")
    traj = opt.run(opt.adam(0.1), bowl.grad, np.array(bowl.start), 100)
    updates = np.diff(traj.params, axis=0)
    wait_for_step(page, 10)
    np.testing.assert_allclose(drawn_update(page.evaluate(JS_STEP_ARROW)), updates[9], rtol=1e-6)

    thumb = page.get_by_role("slider", name=SLIDER)
    thumb.focus()
    seen = {}
    for key, t in (("ArrowRight", 11), ("ArrowRight", 12), ("ArrowLeft", 11), ("ArrowLeft", 10), ("ArrowLeft", 9)):
        thumb.press(key)
        wait_for_step(page, t)
        seen[t] = drawn_update(page.evaluate(JS_STEP_ARROW))
        np.testing.assert_allclose(seen[t], updates[t - 1], rtol=1e-6)
    assert not np.allclose(seen[12], seen[9])
    wait_until(page, "() => location.search.includes('insp_step=9')", what="the step to be written into the URL")
    assert_rendered_cleanly(page)
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    screenshot(page, artifacts, "inspector")


def test_play_moves_the_step_on_and_stops(page, app_url):
    open_lesson(page, app_url + URL + "?insp_steps=14", LAST_TEXT, PLOTS)
    wait_for_step(page, 10)
    # Record every step heading the page shows while it plays: on a loaded machine a step may be on screen
    # for less than one poll of wait_until, but it is still drawn.
    page.evaluate("""() => {
        window.stepsShown = new Set();
        const record = () => document.querySelectorAll('p').forEach(p => {
            const m = p.textContent.match(/Step t = (\\d+),/); if (m) window.stepsShown.add(Number(m[1])); });
        new MutationObserver(record).observe(document.body, {subtree: true, childList: true, characterData: true});
    }""")
    page.get_by_text("▶ Play the steps").click()
    wait_for_step(page, 14)                        # the last step: Play switches itself off there
    assert {11, 12, 13} <= set(page.evaluate("() => [...window.stepsShown]")), "Play skipped a step"
    wait_until(page, """() => !document.querySelector('[data-testid="stCheckbox"] input:checked')""",
               what="Play to switch itself off at the last step")
    assert_rendered_cleanly(page)


def test_stochastic_mode_draws_the_noisy_gradients(page, app_url, artifacts):
    open_lesson(page, app_url + URL + "?insp_noise=1&insp_step=60", LAST_TEXT, PLOTS + 1)
    assert_rendered_cleanly(page)
    bowl = opt.surfaces.get("bowl")
    traj = opt.run(opt.adam(0.1), bowl.grad, np.array(bowl.start), 100, keep_state=True, grad_noise=1.0, seed=0)
    drawn = page.evaluate("""() => {
        const gd = document.querySelectorAll('.js-plotly-plot')[2];
        const t = gd._fullData.find(t => t.name === 'gₜ (noisy)' && t.xaxis === 'x');
        return Array.from(t.y);
    }""")
    np.testing.assert_allclose(drawn, traj.grads[:, 0], rtol=1e-12)
    assert page.get_by_text("v grows with the noise, on average.").count() == 1
    page.locator(".js-plotly-plot").nth(2).scroll_into_view_if_needed()
    screenshot(page, artifacts, "inspector-noise")
