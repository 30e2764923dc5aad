"""Links are untrusted input, in headless Chromium (issues 13 and 15): a Markdown link in a link's value
renders as literal text in the notice, with no <a> element; a value between steps is read as the nearest
step, and the drawn paths, the notice and the address bar all say it."""

import pytest

from browser_helpers import JS_TRACE, assert_rendered_cleanly, open_page, screenshot, wait_until

pytestmark = pytest.mark.browser

HOSTILE = "x%60%20%5Blog%20in%20again%5D(http%3A%2F%2Fevil.example%2Flogin)%20%60y"
NOTICE = "[data-testid='stAlert']"
JS_NOTICE_LINKS = """() => [...document.querySelectorAll("[data-testid='stAlert']")]
    .filter(alert => alert.innerText.includes('The link'))
    .map(alert => alert.querySelectorAll('a').length)"""


@pytest.fixture
def links_url(app_url):
    """The suite's shared server (tests/conftest.py)."""
    return app_url


@pytest.fixture
def tab(page):
    """A fresh browser context (a fresh session, so the link is read anew)."""
    return page


def test_a_markdown_link_in_a_value_renders_as_text_with_no_link(tab, links_url, artifacts):
    open_page(tab, f"{links_url}/adam-vs-sgd?vs_parabola_steps={HOSTILE}")
    assert_rendered_cleanly(tab)
    notice = tab.locator(NOTICE, has_text="The link").first
    notice.wait_for()
    text = notice.inner_text().replace("\u2060", "")        # the word joiner that keeps "://" from linking
    assert "“x` [log in again](http://evil.example/lo…” (47 characters)" in text, text
    assert "using the default 50" in text
    assert tab.evaluate(JS_NOTICE_LINKS) == [0]
    assert tab.locator("a[href*='evil.example']").count() == 0
    assert "vs_parabola_steps" not in tab.evaluate("location.search")
    screenshot(tab, artifacts, "links_hostile_notice")


def test_a_value_between_steps_is_the_nearest_step_in_slider_notice_and_address(tab, links_url):
    open_page(tab, f"{links_url}/adam-vs-sgd?vs_parabola_steps=7.9999&vs_parabola_adam_lr=0.123")
    assert_rendered_cleanly(tab)
    wait_until(tab, "() => location.search.includes('vs_parabola_steps=8')", what="the address to say steps=8")
    assert "vs_parabola_adam_lr=0.15" in tab.evaluate("location.search")
    texts = tab.locator(NOTICE, has_text="The link").all_inner_texts()
    assert any("“7.9999”" in t and "using the nearest step, 8." in t for t in texts), texts
    assert any("“0.123”" in t and "using the nearest on its log scale, 0.15." in t for t in texts), texts
    wait_until(tab, f"() => {{ const x = ({JS_TRACE})([0, 'SGD', 'x']); return x && x.length === 9; }}",
               what="the SGD path to be drawn with 8 steps")


def test_switching_every_optimizer_off_writes_the_empty_link_the_page_reads_back(tab, links_url):
    """Streamlit writes ``fam_show=`` for "none chosen"; that link opens with none chosen and no notice."""
    open_page(tab, f"{links_url}/optimizer-family?fam_show=Adam")
    tab.get_by_role("button", name="Adam", exact=True).first.click()
    wait_until(tab, "() => /fam_show=(&|$)/.test(location.search)", what="the URL to say fam_show=")
    tab.goto(tab.url)
    tab.get_by_text("Choose at least one optimizer above.").first.wait_for()
    assert tab.locator(NOTICE, has_text="The link").count() == 0
