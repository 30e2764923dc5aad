"""A lesson link opened as the very first visit to a freshly started server (an app woken from sleep).

Streamlit then starts in its old multipage mode and runs pages/momentum.py on its own, without
app.py's page config and navigation; ui/frame.py must bring the lesson back into the course's frame.
That mode looks a link's path up among the file names of pages/: a hyphenated path (/adam-vs-sgd)
must name a file too, or a bare ``streamlit run app.py`` shows a "Page not found" dialog first.
"""

import pytest

from browser_helpers import assert_rendered_cleanly, open_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url, title, slider, value", [
    ("/momentum?mom_beta=0.5", "Momentum", "μ (decay)", 0.5),
    ("/adam-vs-sgd?vs_parabola_steps=70", "Adam against SGD", "steps", 70)])
def test_a_lesson_link_as_the_first_visit_gets_the_course_frame(browser, fresh_app_url, url, title, slider,
                                                                 value):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        open_page(page, fresh_app_url + url)
        assert page.locator("h1").first.inner_text() == title
        sidebar = page.get_by_test_id("stSidebarNav")
        # app.py's sections and titles, not the old mode's list of file names ("app", "adam vs sgd", ...)
        for text in ("Start here", "The ideas inside Adam", "Course overview", "Adam against SGD"):
            assert sidebar.get_by_text(text, exact=True).count() == 1, text
        assert sidebar.get_by_text("adam vs sgd", exact=True).count() == 0
        # app.py's wide layout, and the link's setting kept through the rerun
        assert page.get_by_test_id("stMain").bounding_box()["width"] > 1000
        assert float(page.locator(f'input[type=range][aria-label="{slider}"]').input_value()) == value
        assert page.get_by_text("Page not found").count() == 0
        assert_rendered_cleanly(page)
    finally:
        context.close()
