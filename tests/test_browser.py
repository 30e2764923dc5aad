"""The running app in headless Chromium: the flagship's controls drive its plot (every page renders:
test_browser_offline).

Fixtures (server, browser, a fresh page per test) are in conftest.py. Screenshots go to
tests/artifacts/ (gitignored) for a human to look at.
"""

import pytest

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from browser_helpers import (
    JS_ANIMATION, JS_IDLE, WAIT_MS, animation_controls, assert_rendered_cleanly, chart_point, open_page, screenshot,
    wait_until)

pytestmark = pytest.mark.browser

FLAGSHIP = "/adam-vs-sgd"

# The first .js-plotly-plot on the flagship is the animated paths figure.
GD = "document.querySelector('.js-plotly-plot')"
JS_TRACE_X = f"""(name) => {{
    const gd = {GD};
    if (!gd || !gd._fullData) return null;
    const t = gd._fullData.find(t => t.name === name && t.mode === 'lines+markers');
    return t ? Array.from(t.x) : null;
}}"""
JS_HEAD_X = f"""(name) => {{
    const t = {GD}._fullData.find(t => t.name === name && t.mode === 'markers');
    return t ? t.x[0] : null;
}}"""
JS_ACTIVE_STEP = f"() => ({JS_ANIMATION})(0).step"
def open_flagship(page, url):
    open_page(page, url, "Back to the course overview")      # the page's last element
    wait_for_paths_figure(page)


def wait_for_paths_figure(page):
    """Plotly charts appear after the run has ended (a lazily loaded component): wait for the first one."""
    wait_until(page, f"() => {{ const gd = {GD}; return gd && gd._fullData && gd._transitionData._frames.length > 0 "
                     "&& !gd.parentElement.querySelector('.course-anim').hidden; }",
               what="the paths figure and its animation controls to be drawn")


def test_home_links_to_a_flagship_with_four_animated_paths(page, app_url):
    open_page(page, app_url + "/", "1. Adam against SGD")
    assert page.get_by_role("heading", name="Adam, from the inside").is_visible()
    page.get_by_text("1. Adam against SGD").click()
    page.get_by_text("Back to the course overview").wait_for(timeout=WAIT_MS)
    assert page.url.endswith(FLAGSHIP)
    wait_until(page, JS_IDLE, what="the flagship to finish rendering after the link was clicked")
    wait_for_paths_figure(page)
    assert_rendered_cleanly(page)
    assert page.get_by_role("heading", name="Adam against SGD").first.is_visible()
    names = page.evaluate(f"() => {GD}._fullData.filter(t => t.mode === 'lines+markers').map(t => t.name)")
    assert names == ["SGD", "SGD + momentum", "RMSprop", "Adam"]
    assert len(page.evaluate(JS_TRACE_X, "SGD")) == 51                 # x0 and 50 steps
    frames = page.evaluate(f"() => {GD}._transitionData._frames.map(f => f.name)")
    assert frames[:3] == ["0", "1", "2"] and frames[-1] == "50"
    wait_until(page, "() => document.querySelectorAll('.js-plotly-plot').length === 2",
               what="the paths figure and the progress figure (loss and distance panels)")


# ---- the flagship's controls -----------------------------------------------------------------

def test_keyboard_on_a_slider_recomputes_the_paths(page, app_url):
    open_flagship(page, app_url + FLAGSHIP)
    before = page.evaluate(JS_TRACE_X, "SGD")
    assert before is not None and before[0] == pytest.approx(8.0)

    thumb = page.get_by_role("slider", name="start x₀")
    thumb.focus()
    for _ in range(3):
        thumb.press("ArrowLeft")        # 8.00 -> 7.97 in steps of 0.01
    # Streamlit may rerun on an intermediate value (7.98) first; wait for the last one.
    wait_until(page, f"""() => {{
        const x = ({JS_TRACE_X})('SGD');
        return x !== null && Math.abs(x[0] - 7.97) < 1e-9;
    }}""", what="the SGD path to be recomputed from x₀ = 7.97 after three ArrowLeft presses")
    after = page.evaluate(JS_TRACE_X, "SGD")
    assert after[0] == pytest.approx(7.97)
    assert after[1:] != pytest.approx(before[1:])
    wait_until(page, "() => location.search.includes('vs_parabola_x0=7.97')",
               what="the slider to write vs_parabola_x0=7.97 into the URL")
    assert_rendered_cleanly(page)

    # A longer run through the steps slider: one more point on every path.
    steps = page.get_by_role("slider", name="steps")
    steps.focus()
    steps.press("ArrowRight")           # 50 -> 51
    wait_until(page, f"() => ({JS_TRACE_X})('SGD').length === 52",
               what="the SGD path to get 52 points after the steps slider moved to 51")
    assert_rendered_cleanly(page)


def test_play_advances_and_the_step_slider_scrubs_back(page, app_url):
    open_flagship(page, app_url + FLAGSHIP)
    controls = animation_controls(page, 0)
    assert page.evaluate(JS_ACTIVE_STEP) == 0
    start = page.evaluate(JS_HEAD_X, "SGD")
    assert start == pytest.approx(8.0)

    controls["play"].click()
    wait_until(page, f"() => ({JS_ACTIVE_STEP})() >= 5",
               what="the animation's step slider to reach step 5 after pressing Play")
    wait_until(page, f"(start) => ({JS_HEAD_X})('SGD') < start - 1", arg=start,
               what="the SGD head to move down the parabola")
    controls["play"].click()                   # the same button pauses
    assert page.evaluate(JS_ACTIVE_STEP) >= 5

    # Scrub back: click the step range at its left end.
    rail = controls["step"].bounding_box()
    assert rail is not None, "the step range is not on screen"
    page.mouse.click(rail["x"] + 2, rail["y"] + rail["height"] / 2)
    wait_until(page, f"() => ({JS_ACTIVE_STEP})() === 0", what="the step slider to go back to step 0")
    wait_until(page, f"(start) => ({JS_HEAD_X})('SGD') === start", arg=start,
               what="the SGD head to go back to the start point")
    assert page.evaluate(JS_HEAD_X, "Adam") == pytest.approx(8.0)


# ---- shared links ----------------------------------------------------------------------------

def test_a_malformed_link_shows_a_notice_not_a_traceback(page, app_url, artifacts):
    open_flagship(page, app_url + FLAGSHIP + "?vs_parabola_adam_lr=banana")
    notice = page.get_by_test_id("stAlert").filter(has_text="banana")
    try:
        notice.first.wait_for(timeout=WAIT_MS)
    except PlaywrightTimeout:
        pytest.fail("no notice mentions the unusable value 'banana'; alerts on the page: "
                    f"{page.get_by_test_id('stAlert').all_inner_texts()}")
    assert notice.first.is_visible()
    assert "vs_parabola_adam_lr" in notice.first.inner_text()
    assert_rendered_cleanly(page)
    adam = page.evaluate(JS_TRACE_X, "Adam")                            # still drawn, with the default α:
    assert adam[0] - adam[1] == pytest.approx(0.1, rel=1e-6)            # Adam's first step is α
    screenshot(page, artifacts, "adam-vs-sgd-bad-link")


# ---- the θ-against-step panel (issue 14) ---------------------------------------------------------

JS_STEP_HEAD = f"""(name) => {{
    const t = {GD}._fullData.find(t => t.name === name && t.mode === 'markers' && t.xaxis === 'x2');
    return t ? [t.x[0], t.y[0]] : null;
}}"""


def test_the_step_panel_heads_follow_play_and_the_step_slider(page, app_url):
    """The heads on the θ-against-step panel sit at (step, θ_step) of the frame Play or the slider shows."""
    open_flagship(page, app_url + FLAGSHIP)
    controls = animation_controls(page, 0)
    assert page.evaluate(JS_STEP_HEAD, "Adam") == pytest.approx([0, 8.0])
    controls["play"].click()
    wait_until(page, f"() => ({JS_STEP_HEAD})('Adam')[0] >= 5",
               what="Play to move Adam's head along the step axis of the θ-against-step panel")
    controls["play"].click()
    page.wait_for_timeout(200)
    step = page.evaluate(JS_ACTIVE_STEP)
    head = page.evaluate(JS_STEP_HEAD, "Adam")
    assert head[0] == step and head[1] < 8.0, (step, head)
    rail = controls["step"].bounding_box()
    page.mouse.click(rail["x"] + rail["width"] - 2, rail["y"] + rail["height"] / 2)
    wait_until(page, f"() => ({JS_STEP_HEAD})('Adam')[0] === 50",
               what="the step range's right end to put the step-panel heads at step 50")
    sgd, adam = page.evaluate(JS_STEP_HEAD, "SGD"), page.evaluate(JS_STEP_HEAD, "Adam")
    assert sgd[1] == pytest.approx(2.0, abs=1e-3) and adam[1] == pytest.approx(3.704, abs=1e-3)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [(1400, 1000), (390, 844)], ids=["laptop", "phone"])
def test_flagship_screenshots(browser, app_url, artifacts, scheme, viewport):
    """Screenshots for a human to look at: the default scene, and SGD at α = 10 with ε = 0 from θ₀ = 2."""
    width, height = viewport
    for name, query in (("default", ""), ("broken", "?vs_parabola_sgd_lr=10&vs_parabola_x0=2&vs_parabola_adam_eps=0"
                                                     "&vs_parabola_rmsprop_eps=0")):
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        tab = context.new_page()
        try:
            open_flagship(tab, app_url + FLAGSHIP + query)
            assert_rendered_cleanly(tab)
            tab.wait_for_timeout(800)
            tab.screenshot(path=artifacts / f"flagship-{name}-{width}-{scheme}.png", full_page=False)
            tab.locator(".js-plotly-plot").first.screenshot(path=artifacts / f"flagship-{name}-{width}-{scheme}-chart.png")
            tab.get_by_text("What to look for").scroll_into_view_if_needed()
            tab.wait_for_timeout(300)
            tab.screenshot(path=artifacts / f"flagship-{name}-{width}-{scheme}-prose.png")
        finally:
            context.close()


# ---- click to start ------------------------------------------------------------------------------

JS_PATH_START = f"""(name) => {{
    const t = {GD}._fullData.find(t => t.name === name && t.mode === 'lines');
    return t ? [t.x[0], t.y[0]] : null;
}}"""


def click_chart(page, chart, x, y, subplot="xy"):
    """A mouse click on chart number ``chart`` at data point (x, y) of ``subplot``."""
    page.mouse.click(*chart_point(page, chart, x, y, subplot))


def test_a_click_on_the_2d_map_starts_every_path_there(page, app_url, artifacts):
    open_flagship(page, app_url + FLAGSHIP + "?vs_surface=Rosenbrock")
    assert page.evaluate(JS_PATH_START, "Adam") == pytest.approx([-1.2, 1.0])
    click_chart(page, 0, 1.234, 2.0)           # snapped to the sliders' 0.01 grid: (1.23, 2.00)
    wait_until(page, f"() => {{ const s = ({JS_PATH_START})('Adam'); return Math.abs(s[0] - 1.23) < 1e-9 && Math.abs(s[1] - 2) < 1e-9; }}",
               what="the paths to start again from the clicked x₀ = 1.23")
    wait_until(page, "() => location.search.includes('vs_rosenbrock_x0=1.23') && location.search.includes('vs_rosenbrock_y0=2')",
               what="the link to say the clicked start")
    sliders = page.get_by_test_id("stSlider")
    assert "1.23" in sliders.filter(has_text="start x₀").inner_text()          # the sliders follow
    assert "2.00" in sliders.filter(has_text="start y₀").inner_text()
    assert_rendered_cleanly(page)
    screenshot(page, artifacts, "flagship-click-to-start")

    # The 3-D switch: the landscape takes the paths chart's place, drawn by WebGL, at the 2-D view's step.
    page.set_viewport_size({"width": 1400, "height": 1000})
    step_range = page.locator(".course-anim-range").first
    step_range.focus()
    for _ in range(5):
        step_range.press("PageUp")          # a few frames on; the browser writes the step into the link
    wait_until(page, "() => /vs_paths_step=\\d+/.test(location.search)", what="the 2-D step to reach the link")
    step = page.evaluate(f"() => ({JS_ANIMATION})(0).step")
    assert step > 0
    page.get_by_text("3-D view").first.click()
    wait_until(page, "() => { const gd = document.querySelector('.js-plotly-plot');"
                     " return gd && gd._fullLayout && gd._fullLayout.scene && gd.querySelector('.gl-container canvas')"
                     " && gd._fullData.some(t => t.type === 'surface'); }",
               what="a 3-D scene with the surface drawn in place of the 2-D paths chart")
    wait_until(page, "() => location.search.includes('vs_3d=true')", what="the switch to be written into the link")
    starts = page.evaluate("() => document.querySelector('.js-plotly-plot')._fullData"
                           ".filter(t => t.type === 'scatter3d' && t.mode === 'lines').map(t => [t.x[0], t.y[0]])")
    assert starts and all(s == pytest.approx([1.23, 2.0], abs=1e-5) for s in starts)     # the clicked start
    assert page.evaluate("() => document.querySelector('.js-plotly-plot').layout.meta.step") == step   # the same step
    assert_rendered_cleanly(page)
    screenshot(page, artifacts, "flagship-3d")
