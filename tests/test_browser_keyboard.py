"""Issue 15: an animated chart's controls from the keyboard alone, and its step across reruns and in the link.

The flagship's paths figure (chart 0) has Play/Pause, a speed menu and a step range under it (ui/plot's
HTML controls). Tab from the top of the page reaches them in that order, each with a visible focus ring in
the theme's primary colour, without walking through Plotly's mode bar; Space and Enter play and pause; the
arrow keys move one step. A setting change keeps the step, a link names it (``vs_paths_step``), and a
hostile value in the link is refused with a notice (a number past the end is clamped to the frames).
Every control the keyboard reaches shows a ring of at least 2 px and 3:1, on both themes (ui/style.py).
"""

import pytest

from browser_helpers import (
    JS_ANIMATION, JS_RERUN_DONE, assert_rendered_cleanly, open_page, wait_for_step, wait_until)

pytestmark = pytest.mark.browser

FLAGSHIP = "/adam-vs-sgd"
PARAM = "vs_paths_step"
CONTROLS = ("course-anim-play", "course-anim-speed", "course-anim-range")

# What has the keyboard focus: its class, accessible name, and the outline the browser draws around it,
# next to the theme's primary colour as the browser computes it.
JS_FOCUSED = """() => {
    const e = document.activeElement, css = getComputedStyle(e);
    const probe = document.createElement('span');
    probe.style.color = 'var(--st-primary-color)';
    (e.closest('.course-plot-box') || document.body).appendChild(probe);
    const primary = getComputedStyle(probe).color;
    probe.remove();
    return {cls: String(e.className), name: e.getAttribute('aria-label') || e.textContent.trim().slice(0, 40),
            modebar: !!e.closest('.modebar'), outline: [css.outlineStyle, parseFloat(css.outlineWidth),
            css.outlineColor], primary};
}"""


def open_flagship(page, url, controls=True):
    open_page(page, url, "Back to the course overview")
    wait_until(page, """() => { const gd = document.querySelector('.js-plotly-plot');
        return gd && gd._fullData && gd._transitionData._frames.length > 0; }""", what="the paths figure")
    if controls:
        wait_until(page, """() => { const bar = document.querySelector('.js-plotly-plot').parentElement
            .querySelector('.course-anim'); return bar && !bar.hidden; }""",
                   what="the animation's HTML controls (Play, speed, step) under the paths figure")


def tab_to(page, cls, limit=120):
    """Press Tab until the element of class ``cls`` has the focus; returns what was focused on the way."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(JS_FOCUSED)
        seen.append(focused)
        if cls in focused["cls"].split():
            return seen
    pytest.fail(f"{limit} Tabs never reached .{cls}; focus went through {[f['name'] for f in seen]}")


def state(page):
    return page.evaluate(JS_ANIMATION, 0)


def step_in_link(page):
    return page.evaluate(f"() => new URLSearchParams(location.search).get('{PARAM}')")


def test_tab_from_the_top_reaches_play_speed_and_step_in_order_with_a_focus_ring(page, app_url):
    open_flagship(page, app_url + FLAGSHIP, controls=False)      # whatever controls there are: Tab must find them
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen = tab_to(page, CONTROLS[0])
    assert not any(f["modebar"] for f in seen), "Tab walked through Plotly's mode bar"
    assert seen[-2]["name"] == "Full screen"             # the chart's own button, then straight to Play
    controls = [seen[-1]]
    for _ in CONTROLS[1:]:
        page.keyboard.press("Tab")
        controls.append(page.evaluate(JS_FOCUSED))
    assert [c["cls"].split()[0] for c in controls] == list(CONTROLS)
    assert [c["name"] for c in controls] == ["Play animation", "Animation speed", "Animation step"]
    for control in controls:
        style, width, colour = control["outline"]
        assert style == "solid" and width >= 2 and colour == control["primary"], control
    # Shift+Tab walks back the same way.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(JS_FOCUSED)["cls"].startswith(CONTROLS[1])


def test_space_and_enter_play_and_pause_and_the_arrows_move_one_step(page, app_url):
    open_flagship(page, app_url + FLAGSHIP)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    tab_to(page, CONTROLS[0])
    start = state(page)
    assert start["step"] == 0 and not start["playing"]

    page.keyboard.press("Space")                          # Play
    wait_until(page, """(start) => { const now = (%s)(0);
        return now.playing && now.step >= 3 && now.heads.every((h, i) => h.join() !== start.heads[i].join()); }"""
               % JS_ANIMATION, start, what="Space on Play to start the animation and move every head")
    page.keyboard.press("Space")                          # Pause
    page.wait_for_timeout(200)
    paused = state(page)
    assert not paused["playing"]
    page.wait_for_timeout(500)
    assert state(page) == paused, "the animation went on after Space paused it"
    wait_until(page, "(step) => new URLSearchParams(location.search).get('%s') === String(step)" % PARAM,
               paused["step"], what="the paused step to be written into the link")

    page.keyboard.press("Enter")                          # Enter plays and pauses too
    wait_until(page, "(step) => { const now = (%s)(0); return now.playing && now.step > step; }" % JS_ANIMATION,
               paused["step"], what="Enter on Play to go on from the paused step")
    page.keyboard.press("Enter")
    wait_until(page, "() => !(%s)(0).playing" % JS_ANIMATION, what="Enter to pause again")

    page.keyboard.press("Tab")                            # the speed menu: the arrow keys pick a speed
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.value") == "fast"
    page.keyboard.press("Tab")                            # the step range
    page.keyboard.press("Home")
    wait_for_step(page, 0, 0, "Home on the step range to show step 0")
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 0, 1, "ArrowRight to show step 1")
    page.keyboard.press("ArrowRight")
    wait_for_step(page, 0, 2, "a second ArrowRight to show step 2")
    page.keyboard.press("ArrowLeft")
    wait_for_step(page, 0, 1, "ArrowLeft to go back to step 1")
    assert page.locator(".course-anim-step-text").first.inner_text() == "step 1"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-valuetext')") == "step 1 of 50"
    page.keyboard.press("End")
    wait_for_step(page, 0, 50, "End to show the last step")
    assert_rendered_cleanly(page)


def _sgd_path_x(page):
    return page.evaluate("""() => Array.from(document.querySelector('.js-plotly-plot')._fullData
        .find(t => t.name === 'SGD' && t.mode === 'lines+markers').x)""")


def test_a_setting_change_keeps_the_step_and_a_shorter_path_shows_its_last(page, app_url):
    open_flagship(page, app_url + FLAGSHIP)
    page.locator(".course-anim-range").first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_for_step(page, 0, 5)

    x0 = page.get_by_role("slider", name="start x₀")
    x0.focus()
    x0.press("ArrowLeft")                                 # 8.00 -> 7.99: every path is recomputed
    wait_until(page, """() => { const t = document.querySelector('.js-plotly-plot')._fullData
        .find(t => t.name === 'SGD' && t.mode === 'lines+markers'); return t && Math.abs(t.x[0] - 7.99) < 1e-9; }""",
               what="the paths to be recomputed from x₀ = 7.99")
    wait_until(page, JS_RERUN_DONE, what="the rerun to end")
    wait_for_step(page, 0, 5, "the new paths to be shown at step 5, not 0")
    sgd_head = state(page)["heads"][0]
    assert sgd_head[0] == pytest.approx(_sgd_path_x(page)[5], abs=1e-6)     # at the new path's step 5
    wait_until(page, f"() => location.search.includes('vs_parabola_x0=7.99') && location.search.includes('{PARAM}=5')",
               what="the link to keep both the new x₀ and the step")

    steps = page.get_by_role("slider", name="steps")
    steps.focus()
    steps.press("Home")                                   # the shortest run: fewer steps than the one shown
    wait_until(page, "() => document.querySelector('.js-plotly-plot')._transitionData._frames.length < 6",
               what="a shorter run's frames")
    wait_until(page, JS_RERUN_DONE, what="the rerun to end")
    last = int(page.evaluate("() => document.querySelector('.js-plotly-plot')._transitionData._frames.at(-1).name"))
    wait_for_step(page, 0, last, f"the shorter path to be shown at its last step, {last}")
    assert not state(page)["playing"]
    assert_rendered_cleanly(page)


@pytest.mark.parametrize("query, step", [("?vs_paths_step=30", 30),
                                         ("?vs_surface=Ill-conditioned+bowl&vs_paths_step=120", 120)])
def test_a_link_with_the_step_opens_at_that_step(page, app_url, query, step):
    open_flagship(page, app_url + FLAGSHIP + query)
    wait_for_step(page, 0, step, f"the link's step {step}")
    assert not state(page)["playing"]
    assert step_in_link(page) == str(step)
    # The next setting change (one step fewer: the path still has this step) keeps it, in chart and link.
    frames = page.evaluate("() => document.querySelector('.js-plotly-plot')._transitionData._frames.length")
    steps = page.get_by_role("slider", name="steps")
    steps.focus()
    steps.press("ArrowLeft")
    wait_until(page, "(n) => document.querySelector('.js-plotly-plot')._transitionData._frames.length === n - 1",
               frames, what="the run one step shorter")
    wait_until(page, JS_RERUN_DONE, what="the rerun to end")
    wait_for_step(page, 0, step, f"step {step} to stay after a setting change")
    assert step_in_link(page) == str(step)


@pytest.mark.parametrize("value, step", [("banana", 0), ("-3", 0), ("1e2", 0), ("2.5", 0), ("", 0),
                                         ("<img src=x onerror=alert(1)>", 0), ("99999999999999", 50),
                                         ("9" * 400, 0)])
def test_a_hostile_step_in_the_link_is_harmless(page, app_url, value, step):
    from urllib.parse import quote
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_flagship(page, app_url + FLAGSHIP + f"?{PARAM}={quote(value)}")
    wait_for_step(page, 0, step, f"step {step} for the link's {value[:20]!r}")
    assert_rendered_cleanly(page)
    assert not dialogs and page.locator("img[src=x]").count() == 0
    # Like every bad link value, one that is not a step number gets a notice (ui/controls.settle_step_link).
    notice = page.get_by_test_id("stAlert").filter(has_text="The link set the animation's step")
    expected = 0 if value.isdigit() and len(value) <= 15 else 1
    if expected:
        notice.first.wait_for()         # drawn at the end of the run, after the chart
    wait_until(page, JS_RERUN_DONE, what="the run to end")
    assert notice.count() == expected
    # The link is rewritten to what the chart shows: no parameter at step 0, the clamped step otherwise.
    wait_until(page, "(step) => new URLSearchParams(location.search).get('%s') === step" % PARAM,
               None if step == 0 else str(step), what="the link to say the step the chart shows")


# ---- a visible focus ring on everything the keyboard reaches (ui/style.py) ------------------------------

# The focused element, what draws its focus (a radio's or checkbox's label, a slider's thumb: their <input> is
# clipped to 1 px), that ring (outline, or else a box-shadow), and the opaque background the ring lies on.
JS_RING = r"""() => {
    const e = document.activeElement;
    const drawn = e.tagName === 'INPUT' && e.type === 'range' && e.closest('[data-testid="stSlider"]')
        ? e.parentElement.parentElement
        : (e.tagName === 'INPUT' && e.closest('label')) || e;
    const css = getComputedStyle(drawn);
    const shadow = css.boxShadow.match(/(rgba?\([^)]*\))\s+0px\s+0px\s+0px\s+([\d.]+)px/);
    let behind = drawn.parentElement, background = 'rgb(255, 255, 255)';
    for (; behind; behind = behind.parentElement) {
        const colour = getComputedStyle(behind).backgroundColor;
        if (!/rgba\(.*, 0\)$|transparent/.test(colour)) { background = colour; break; }
    }
    const where = e.closest('[data-testid="stSidebar"]') ? 'sidebar'
        : e.closest('[data-testid="stElementToolbar"]') ? 'table toolbar'
        : e.type === 'range' ? 'slider' : e.type === 'radio' ? 'radio' : e.tagName.toLowerCase();
    const box = drawn.getBoundingClientRect();
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    const visible = drawn.checkVisibility({opacityProperty: true, visibilityProperty: true})
        && !!hit && (drawn.contains(hit) || hit.contains(drawn));      // drawn, and not under something else
    const ring = css.outlineStyle !== 'none' && parseFloat(css.outlineWidth) > 0
        ? [css.outlineColor, parseFloat(css.outlineWidth)]
        : shadow ? [shadow[1], parseFloat(shadow[2])] : [null, 0];
    return {where, name: e.getAttribute('aria-label') || (e.innerText || '').trim().slice(0, 30),
            testid: e.getAttribute('data-testid'), colour: ring[0], width: ring[1], background, visible};
}"""
RING_PAGE = "/momentum-schedules"        # sidebar links, sliders, a table with its toolbar and a quiz's radio


def rgb(css_colour):
    """'rgb(r, g, b)' or 'rgba(r, g, b, a)' as (r, g, b, a)."""
    parts = [float(v) for v in css_colour[css_colour.index("(") + 1:-1].split(",")]
    return (*parts[:3], parts[3] if len(parts) == 4 else 1.0)


def relative_luminance(r, g, b):
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(colour, background):
    """WCAG contrast of ``colour`` (alpha-blended onto ``background``) against ``background``."""
    *fg, alpha = rgb(colour)
    bg = rgb(background)[:3]
    shown = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg)]
    high, low = sorted((relative_luminance(*shown), relative_luminance(*bg)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_control_the_keyboard_reaches_shows_a_ring_of_3_to_1(browser, app_url, scheme):
    """A sidebar link, a slider's thumb, a table's toolbar buttons and a radio button, on both themes: the
    ring is at least 2 px wide and 3:1 against what it is drawn on (Streamlit's own were a faint glow,
    a 1 px browser default or nothing)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme=scheme)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        open_page(page, app_url + RING_PAGE, "Next: the whole family")
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
        reached = {}
        for _ in range(150):
            page.keyboard.press("Tab")
            focused = page.evaluate(JS_RING)
            if focused["where"] in ("sidebar", "slider", "table toolbar", "radio"):
                reached.setdefault(focused["where"], []).append(focused)
            if focused["where"] == "radio":
                break
        assert set(reached) == {"sidebar", "slider", "table toolbar", "radio"}, sorted(reached)
        for where, all_focused in reached.items():
            for focused in all_focused:
                assert focused["visible"], f"{scheme}: Tab reached an invisible {where} control: {focused}"
                assert focused["colour"] and focused["width"] >= 2, f"{scheme}: no ring on a {where} control: {focused}"
                ratio = contrast(focused["colour"], focused["background"])
                assert ratio >= 3, f"{scheme}: a {where} control's ring is {ratio:.2f}:1 on its background: {focused}"
    finally:
        context.close()

