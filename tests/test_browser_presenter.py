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
    assert projector.locator(".st-key-vs_parabola_adam_lr").is_hidden()
    assert projector.get_by_test_id("stExpandSidebarButton").is_visible(), "the sidebar is open on the projector"


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
    open_page(page, page.url)
    assert page.url.endswith(LESSON + "?hide=vs_parabola_adam_lr")
    assert page.locator('.st-key-vs_parabola_steps input[type=range]').input_value() == "50"
