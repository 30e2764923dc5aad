"""plotly.js in the browser (issue 18): the frame starts loading the basic bundle before any chart
mounts, a lesson of scatter charts never asks for more, the browser keeps the file across pages and
visits, a heatmap gets the cartesian bundle and a 3-D figure the full one (from the app, like
everything), and the charts drawn before move to it."""

import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest

from browser_helpers import WAIT_MS, open_page, wait_until
from conftest import ROOT, SERVER_START_TIMEOUT, _answers, _free_port
from ui import plot

pytestmark = pytest.mark.browser

JS_CHARTS_DRAWN = """(count) => {
    const charts = [...document.querySelectorAll('.course-plot')];
    return charts.length === count && charts.every(gd => gd._fullData && gd._fullData.length);
}"""
JS_CHARTS_DRAWN_AT_LEAST = """(count) => {
    const charts = [...document.querySelectorAll('.course-plot')];
    return charts.length >= count && charts.every(gd => gd._fullData && gd._fullData.length);
}"""


# A plotly.js file fetched in full (its resource timing entry is complete).
JS_FETCHED = """(name) => performance.getEntriesByType('resource').some(e => e.name.endsWith(name) && e.responseEnd > 0)"""


def bundle_requests(page):
    """Every plotly.js file the page asks for, as a list that fills as it does."""
    asked = []
    page.on("request", lambda request: asked.append(request.url)
            if urlsplit(request.url).path.rsplit("/", 1)[-1].startswith("plotly") else None)
    return asked


BASIC, CARTESIAN = plot.PARTIAL_BUNDLES


def test_the_frame_loads_the_basic_bundle_once_and_the_browser_keeps_it(page, app_url):
    basic = f"{app_url}/app/static/{BASIC}"
    asked = bundle_requests(page)
    open_page(page, app_url + "/")                  # the overview: no chart on it
    wait_until(page, JS_FETCHED, BASIC, what="plotly.js to be fetched on a page without charts")
    assert page.locator(".course-plot").count() == 0 and asked == [basic]

    # To a lesson through the sidebar: the same page, the same Plotly, nothing fetched again.
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Adam against SGD").click()
    wait_until(page, "() => document.querySelectorAll('.course-plot').length >= 2 && [...document.querySelectorAll("
                     "'.course-plot')].every(gd => gd._fullData && gd.plotly === window.Plotly)",
               what="the flagship's charts to be drawn with the page's Plotly")
    assert asked == [basic], "a lesson of scatter charts asked for another plotly.js"

    # Another visit in the same browser: the file comes from its cache, with no request to the server.
    second = page.context.new_page()
    open_page(second, app_url + "/momentum")
    wait_until(second, JS_CHARTS_DRAWN_AT_LEAST, 1, what="a chart on the momentum lesson")
    cached = second.evaluate("""(name) => performance.getEntriesByType('resource')
        .filter(e => e.name.endsWith(name)).map(e => e.transferSize)""", BASIC)
    assert cached == [0], f"plotly.js was transferred again on the second visit ({cached} bytes)"


APP = '''
import plotly.graph_objects as go
import streamlit as st
from ui import plot

plot.preload_plotly()
st.title("Bundles")
plot.show(go.Figure(go.Scatter(x=[0, 1, 2], y=[2, 0, 1], name="line")), key="flat")
z = [[0, 1, 2], [1, 2, 3], [2, 3, 5]]
if st.checkbox("3-D view", value=st.query_params.get("view") == "3d", key="three_d"):
    plot.show(go.Figure(go.Surface(z=z, name="surface")), key="other")
else:
    plot.show(go.Figure(go.Heatmap(z=z, name="heatmap")), key="other")
'''


@pytest.fixture(scope="module")
def surface_app_url(tmp_path_factory):
    """A two-chart app: a line, and a heatmap that the '3-D view' box turns into a surface."""
    folder = tmp_path_factory.mktemp("bundle_app")
    (folder / "app.py").write_text(APP)
    (folder / "static").symlink_to(ROOT / "static")         # Streamlit serves static/ beside the script
    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT), STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    with open(folder / "server.log", "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(folder / "app.py"),
                                   "--server.port", str(port), "--server.headless", "true"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)   # ROOT's .streamlit
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _answers(url + "/_stcore/health"):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the bundle test app did not start:\n{(folder / 'server.log').read_text()}")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def assert_surface_and_line_drawn(page):
    wait_until(page, """() => {
        const [line, surface] = document.querySelectorAll('.course-plot');
        return line && surface && surface._fullData && surface._fullData[0].type === 'surface'
            && surface.querySelector('.gl-container canvas') && line._fullData[0].type === 'scatter'
            && line.querySelector('.scatterlayer .trace path.js-line')
            && line.plotly === window.Plotly && surface.plotly === window.Plotly;
    }""", what="the surface drawn in 3-D and the line drawn again with the full bundle")
    assert page.locator("text=could not be drawn").count() == 0


def test_a_3d_figure_gets_the_full_bundle_and_the_other_charts_follow_it(browser, surface_app_url):
    basic, cartesian, full = (f"{surface_app_url}/app/static/{name}" for name in (BASIC, CARTESIAN, plot.FULL_BUNDLE))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        asked = bundle_requests(page)
        page.goto(surface_app_url + "/")
        page.wait_for_function(JS_CHARTS_DRAWN, arg=2, timeout=WAIT_MS)
        wait_until(page, "() => [...document.querySelectorAll('.course-plot')].every(gd => gd.plotly === window.Plotly)",
                   what="the line drawn again with the heatmap's bundle")
        assert asked == [basic, cartesian]                         # the frame's preload, then the heatmap's

        page.get_by_text("3-D view").click()                       # as a 3-D toggle on a lesson would
        assert_surface_and_line_drawn(page)
        assert asked == [basic, cartesian, full]
    finally:
        context.close()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()                                  # a link that opens the 3-D view at once
        asked = bundle_requests(page)
        page.goto(surface_app_url + "/?view=3d")
        assert_surface_and_line_drawn(page)
        assert asked == [basic, full]                              # the frame's preload, then the surface's
    finally:
        context.close()


# Before the page's scripts: is plotly.js already run when the first chart's element mounts?
JS_WATCH_MOUNT = """(() => {
    const seen = window.__mount = {};
    new MutationObserver(() => {
        if (seen.plotlyRun === undefined && document.querySelector('.course-plot-box')) seen.plotlyRun = window.Plotly !== undefined;
    }).observe(document, {childList: true, subtree: true});
})();"""
JS_PLOTLY_FETCHES = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.split('/').pop().startsWith('plotly')).map(e => e.initiatorType)"""


def test_a_cold_browser_fetches_plotly_early_and_runs_it_when_the_first_chart_mounts(browser, app_url):
    """The frame fetches the basic bundle (a ``<link rel=preload>``, one request) but does not run it: running
    it while React is still showing a cold page's elements delayed the chart's element (issue 18,
    benchmarks/bench_first_chart.py); the first chart's loader runs it."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})     # empty cache, new session
    try:
        page = context.new_page()
        page.add_init_script(JS_WATCH_MOUNT)
        asked = bundle_requests(page)
        page.goto(app_url + "/adam-vs-sgd")
        wait_until(page, JS_CHARTS_DRAWN_AT_LEAST, 1, what="the flagship's first chart")
        assert asked == [f"{app_url}/app/static/{BASIC}"]
        assert page.evaluate(JS_PLOTLY_FETCHES) == ["link"], "plotly.js was not fetched by the frame's preload"
        assert page.evaluate("() => window.__mount.plotlyRun") is False, "plotly.js ran before the chart mounted"
    finally:
        context.close()
