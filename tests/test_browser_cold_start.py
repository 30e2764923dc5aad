"""A class arrives at once: eight lesson links opened in the same instant on a freshly started server.

On a fresh server each first visit imports what its lesson needs in a thread of its own; before
ui/preload.py, Plotly in one session found pandas half-imported by another (an AttributeError
about a "partially initialized module" on 15 of 24 first visits), and a first link to
``/adam-vs-sgd`` showed a "Page not found" dialog. Repeated on fresh servers, since a race shows
only sometimes; both ways of starting the app are tried (the course's entry point and a bare
``streamlit run app.py``).
"""

import re

import pytest

from browser_helpers import JS_IDLE, WAIT_MS, assert_rendered_cleanly
from conftest import served_app

pytestmark = pytest.mark.browser

FIRST_LINKS = ("/adam-vs-sgd?vs_surface=Ill-conditioned+bowl", "/momentum?mom_beta=0.5", "/bias-correction",
               "/inside-adam", "/amsgrad", "/optimizer-family", "/when-adam-struggles", "/train-a-model")
FRESH_SERVERS = 1     # the preload's deterministic half is tests/test_preload.py
# What a server prints when a script run or a request failed.
SERVER_ERROR = re.compile(r"Traceback|Error|Exception")


def open_all_at_once(browser, base_url, links):
    """One browser context (one learner) per link; every navigation starts before any has rendered."""
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in links]
    pages = [context.new_page() for context in contexts]
    for page, link in zip(pages, links):
        page.goto(base_url + link, wait_until="commit")
    return contexts, pages


def assert_lesson_landed(page, link):
    """The lesson's title, inside the course's frame, with no exception and no dialog."""
    page.locator("h1").first.wait_for(timeout=3 * WAIT_MS)
    page.wait_for_function(JS_IDLE, timeout=3 * WAIT_MS, polling=200)
    assert page.get_by_test_id("stSidebarNav").get_by_text("The ideas inside Adam", exact=True).count() == 1, \
        f"{link}: not in the course's frame"
    assert_rendered_cleanly(page)


# The course's entry point on a few fresh servers; a bare `streamlit run app.py` (Community Cloud) once: its first
# sessions run in Streamlit's old pages/ mode, where every first link must still find its lesson (pages/ files
# are named by their URL paths) and rerun into app.py's frame (ui/frame.py).
@pytest.mark.parametrize("entry, attempt", [("serve", attempt) for attempt in range(FRESH_SERVERS)]
                         + [("streamlit-run", 0)])
def test_eight_first_visits_at_once_all_land_cleanly(browser, tmp_path, entry, attempt):
    with served_app(tmp_path, entry) as base_url:
        contexts, pages = open_all_at_once(browser, base_url, FIRST_LINKS)
        try:
            for page, link in zip(pages, FIRST_LINKS):
                assert_lesson_landed(page, link)
        finally:
            for context in contexts:
                context.close()
    log = (tmp_path / "server.log").read_text()
    assert not SERVER_ERROR.search(log), f"the server logged an error:\n{log}"
