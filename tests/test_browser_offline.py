"""A school network that lets nothing through but the app: no page of the navigation may fetch from another
host, and no chart offers to send itself anywhere (plotly.js 3's "Share chart..." uploads to Plotly's cloud).
plotly.js comes from the app too, and on these 2-D lessons never its full bundle (issue 18). Each page
renders cleanly, and a screenshot of each is kept in tests/artifacts."""

import re
from urllib.parse import urlsplit

import pytest

from browser_helpers import assert_rendered_cleanly, open_page, screenshot, settle
from ui import plot

pytestmark = pytest.mark.browser

LESSONS = ("/", "/adam-vs-sgd", "/momentum", "/rmsprop-scaling", "/bias-correction", "/inside-adam", "/adamw",
           "/amsgrad", "/momentum-schedules", "/optimizer-family", "/when-adam-struggles", "/train-a-model",
           "/playground")
# What a chart's toolbar may offer; each acts in the browser only.
LOCAL_BUTTONS = {"Download plot as a PNG", "Zoom", "Pan", "Box Select", "Lasso Select", "Zoom in", "Zoom out",
                 "Autoscale", "Reset axes"}


def test_every_page_of_the_navigation_renders_from_the_app_alone(page, app_url, artifacts):
    app_host = urlsplit(app_url).netloc
    elsewhere, bundles = [], []
    page.on("request", lambda request: elsewhere.append(request.url)
            if urlsplit(request.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(request.url).netloc != app_host else None)
    page.on("request", lambda request: bundles.append(request.url)
            if urlsplit(request.url).path.rsplit("/", 1)[-1].startswith("plotly") else None)
    for lesson in LESSONS:
        open_page(page, app_url + lesson)
        settle(page)
        if lesson == "/":
            navigation = [re.sub(r"^https?://[^/]+", "", href) or "/" for href in page.get_by_test_id(
                "stSidebarNavLink").evaluate_all("links => links.map(a => a.href)")]
            # The sidebar lists the first ten pages until "View more" is pressed: each is one of ours.
            assert len(navigation) >= 10 and set(navigation) <= set(LESSONS), f"the navigation lists {navigation}"
        assert_rendered_cleanly(page)
        screenshot(page, artifacts, "home" if lesson == "/" else lesson.strip("/"))
        assert elsewhere == [], f"{lesson} fetched from another host: {elsewhere}"
        offered = set(page.evaluate(
            "() => [...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))"))
        assert offered <= LOCAL_BUTTONS, f"{lesson}: a chart offers {offered - LOCAL_BUTTONS}"
    # plotly.js from the app, and on every lesson one of its partial bundles: never the full one.
    assert set(bundles) <= {f"{app_url}/app/static/{name}" for name in plot.PARTIAL_BUNDLES}, set(bundles)
