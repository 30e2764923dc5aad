"""Links are untrusted input, in headless Chromium (issues 13 and 15): a Markdown link in a link's value
renders as literal text in the notice, with no <a> element; a value between steps is read as the nearest
step, and the drawn paths, the notice and the address bar all say it.  A server of its own on a port in
8800-8849."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import closing

import pytest

from browser_helpers import JS_TRACE, assert_rendered_cleanly, open_page, screenshot, wait_until
from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

pytestmark = pytest.mark.browser

PORTS = range(8800, 8850)
HOSTILE = "x%60%20%5Blog%20in%20again%5D(http%3A%2F%2Fevil.example%2Flogin)%20%60y"
NOTICE = "[data-testid='stAlert']"
JS_NOTICE_LINKS = """() => [...document.querySelectorAll("[data-testid='stAlert']")]
    .filter(alert => alert.innerText.includes('The link'))
    .map(alert => alert.querySelectorAll('a').length)"""


def _port_is_free(port):
    with closing(socket.socket()) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def links_url(tmp_path_factory):
    """The app on the first free port of 8800-8849; yields its base URL."""
    port = next((p for p in PORTS if _port_is_free(p)), None)
    if port is None:
        pytest.fail("no free port in 8800-8849")
    log_path = tmp_path_factory.mktemp("links") / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "scripts/serve.py", "--server.port", str(port), "--server.headless", "true",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env=dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while not _answers(f"{url}/_stcore/health"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server on port {port} did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def chromium(links_url):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            warm = browser.new_page()
            open_page(warm, links_url + "/")
            warm.close()
            yield browser
        finally:
            browser.close()


@pytest.fixture
def tab(chromium):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


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
