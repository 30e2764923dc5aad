"""Presenter view on a 1920×1080 projector, and the page tools: copy the link, reset the page."""

import pytest

from browser_helpers import open_page, settle, wait_until

pytestmark = pytest.mark.browser

LESSON = "/adam-vs-sgd"
JS_LEGEND_FONT = """() => parseFloat(getComputedStyle(
    document.querySelector('.js-plotly-plot .legendtext')).fontSize)"""
JS_VISIBLE_PROSE = """() => [...document.querySelectorAll('[data-testid="stMainBlockContainer"] .stMarkdown p')]
    .filter(p => p.offsetParent !== null && !p.closest('[data-testid="stAlert"]')
                 && !p.closest('[class*="st-key-course_quiz_"]')).map(p => p.textContent)"""
JS_QUIZ_QUESTION = """() => [...document.querySelectorAll('[class*="st-key-course_quiz_"] .stMarkdown p')]
    .filter(p => p.offsetParent !== null).map(p => p.textContent)"""


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context.new_page()
    context.close()


def test_presenter_view_puts_large_charts_first_and_folds_the_prose(projector, app_url):
    open_page(projector, app_url + LESSON)
    settle(projector)
    normal_font = projector.evaluate(JS_LEGEND_FONT)
    assert projector.evaluate(JS_VISIBLE_PROSE), "the plain lesson shows its prose"
    open_page(projector, app_url + LESSON + "?present=1&hide=vs_parabola_adam_lr")
    settle(projector)
    assert projector.evaluate(JS_VISIBLE_PROSE) == []
    assert any(q.startswith("Predict, then reveal.") for q in projector.evaluate(JS_QUIZ_QUESTION)), \
        "presenter view hid the quiz's question (a class predicts together)"
    assert projector.evaluate(JS_LEGEND_FONT) >= 1.3 * normal_font
    chart_top = projector.locator(".course-plot-box").first.bounding_box()["y"]
    assert chart_top < 300, "the first chart is not at the top of the projected page"
    projector.get_by_text("Adam settings").click()        # the teacher opens Adam's settings: β₁, not α
    projector.locator(".st-key-vs_parabola_adam_beta1").wait_for(state="visible")
    hidden = projector.locator(".st-key-vs_parabola_adam_lr")
    assert hidden.locator("[role=slider]").is_hidden(), "the hidden α slider is still there to move"
    label = hidden.locator('[data-testid="stWidgetLabel"] p')
    value = hidden.locator('[data-testid="stSliderThumbValue"]').text_content()     # what the slider would show
    assert label.is_visible() and label.evaluate("p => p.textContent + getComputedStyle(p, '::after').content") \
        == f'α (learning rate)" = {value} (fixed for this class)"', "the class does not see the α the link fixed"
    assert projector.get_by_test_id("stExpandSidebarButton").is_visible(), "the sidebar is open on the projector"


# Every text drawn inside the momentum page's regime map (band names, the λ labels of "your α, μ") by its words.
JS_MAP_TEXT = """() => Object.fromEntries([...document.querySelectorAll('.st-key-mom_regimes .js-plotly-plot text')]
    .filter(t => /^(monotone|ripples|zigzag|diverges|λ = [\\d.]+)$/.test(t.textContent.trim()))
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)]))"""


def test_presenter_view_enlarges_the_text_drawn_inside_a_chart(projector, app_url):
    """The regime map's band names (annotations at Plotly's default size) and λ labels (a trace's own text)
    stayed small on the projector while its axes grew (seen in review)."""
    sizes = {}
    for query in ("", "?present=1"):
        open_page(projector, app_url + "/momentum" + query)
        settle(projector)
        projector.locator(".st-key-mom_regimes").scroll_into_view_if_needed()
        wait_until(projector, "() => document.querySelectorAll('.st-key-mom_regimes .js-plotly-plot text').length > 5",
                   what="the regime map")
        sizes[query] = projector.evaluate(JS_MAP_TEXT)
    assert {"monotone", "λ = 1"} <= set(sizes[""]), sizes
    for text, normal in sizes[""].items():
        assert sizes["?present=1"][text] >= 1.3 * normal, f"{text!r}: {normal} px, presented {sizes['?present=1'][text]} px"


def test_copy_link_puts_this_views_link_on_the_clipboard(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    page = context.new_page()
    try:
        open_page(page, app_url + LESSON + "?vs_parabola_steps=120")
        page.get_by_role("button", name="Copy link to this view").click()
        wait_until(page, "() => [...document.querySelectorAll('button')].some(b => b.textContent === 'Link copied')",
                   what="the copy to be confirmed")
        assert page.evaluate("() => navigator.clipboard.readText()") == page.url
        assert "vs_parabola_steps=120" in page.url
    finally:
        context.close()


def test_reset_brings_every_setting_back_and_keeps_the_presenter_flags(page, app_url):
    open_page(page, app_url + LESSON + "?vs_parabola_steps=120&hide=vs_parabola_adam_lr")
    steps = page.locator('.st-key-vs_parabola_steps input[type=range]')
    assert steps.input_value() == "120"
    page.get_by_role("button", name="Reset this page").click()
    page.wait_for_url(lambda url: "vs_parabola_steps" not in url)
    # The keyboard is back on the Reset button, not sent to the top of the page.
    wait_until(page, "() => document.activeElement && document.activeElement.textContent === 'Reset this page'",
               what="the focus to come back to Reset")
    open_page(page, page.url)
    assert page.url.endswith(LESSON + "?hide=vs_parabola_adam_lr")
    assert page.locator('.st-key-vs_parabola_steps input[type=range]').input_value() == "50"


# Each group: a chart and the controls a class watches with it, as CSS selectors; all must fit one projector
# screen at once (the union of their boxes, scrolled to its top), with nothing scrolling inside them.
JS_GROUP_ON_SCREEN = """(selectors) => {
    const elements = selectors.map(selector => document.querySelector(selector));
    const missing = selectors.filter((selector, i) => !elements[i] || !elements[i].checkVisibility());
    if (missing.length) return {missing};
    const topmost = elements.reduce((a, b) => a.getBoundingClientRect().top <= b.getBoundingClientRect().top ? a : b);
    topmost.scrollIntoView({block: 'start'});
    const boxes = elements.map(el => el.getBoundingClientRect());
    return {missing, top: Math.min(...boxes.map(b => b.top)), bottom: Math.max(...boxes.map(b => b.bottom)),
            screen: window.innerHeight};
}"""
# Every table on the page shows every row: the grid's own scroller has nothing more to scroll to.
JS_TABLES_CUT = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"] .dvn-scroller')]
    .filter(el => el.checkVisibility() && el.scrollHeight > el.clientHeight + 1).map(el => [el.scrollHeight, el.clientHeight])"""
JS_TITLES_OUTSIDE = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(gd => {
    const box = gd.getBoundingClientRect();
    return [...gd.querySelectorAll('text[class$="title"]')].filter(el => el.textContent.trim()).filter(el => {
        const r = el.getBoundingClientRect();
        return r.top < box.top - 1 || r.bottom > box.bottom + 1 || r.left < box.left - 1 || r.right > box.right + 1;
    }).map(el => el.textContent);
})"""
SCREEN_GROUPS = {
    "/inside-adam": {"Play, the step row, the arrows chart and the per-coordinate table": (
        ".st-key-insp_play", ".st-key-insp_back", ".st-key-insp_step", ".st-key-insp_forward",
        ".st-key-insp_surface_chart .course-plot-box",
        '[data-testid="stDataFrame"]')},      # the page's only table (a table's element carries no key class)
    "/momentum": {"section 2's heading, its sliders and the heavy-ball chart": (
        "[id=\"2-heavy-ball-on-an-ill-conditioned-bowl\"]", ".st-key-mom_lr", ".st-key-mom_mu", ".st-key-mom_steps",
        ".st-key-mom_paths .course-plot-box")},
}


def test_presenter_view_fits_each_chart_with_its_controls_on_one_screen(projector, app_url):
    for path, groups in SCREEN_GROUPS.items():
        open_page(projector, app_url + path + "?present=1")
        settle(projector)
        for what, selectors in groups.items():
            wait_until(projector, "(selectors) => selectors.every(s => document.querySelector(s))", list(selectors),
                       what=f"{path}: {what}")
            found = projector.evaluate(JS_GROUP_ON_SCREEN, list(selectors))
            assert not found["missing"], f"{path}: not shown in presenter view: {found['missing']}"
            assert found["top"] >= -1 and found["bottom"] <= found["screen"] + 1, \
                f"{path}: {what} span {found['top']:.0f}..{found['bottom']:.0f} px of a {found['screen']} px screen"
        # Every chart box (its Play/step controls included) fits the screen; every table shows all its rows.
        heights = projector.locator(".course-plot-box").evaluate_all("els => els.map(el => el.offsetHeight)")
        assert heights and max(heights) <= 1080, f"{path}: a chart with its controls is {max(heights)} px tall"
        assert projector.evaluate(JS_TABLES_CUT) == [], f"{path}: a table hides rows behind its own scrollbar"
        # In the larger type every axis title still lies inside its chart (a long y title ran past the top).
        cut = projector.evaluate(JS_TITLES_OUTSIDE)
        assert cut == [], f"{path}: axis titles cut at the chart's edge: {cut}"
