"""Helpers for page tests: open a page through app.py and read its Plotly figures as data."""

import base64
import json

import numpy as np
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"


def _in_app_frame(init):
    """AppTest starts every run in Streamlit's old ``pages/`` mode, where a page found by its file name runs on
    its own, without app.py (page links, link flags, page tools).  A served course leaves that mode for good
    (scripts/serve.py before its first session; ui/frame.py on a bare ``streamlit run``), so every test run
    starts where a served session does: in app.py's ``st.navigation``."""
    def start_in_app_frame(self, *args, **kwargs):
        init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False
    return start_in_app_frame


PagesManager.__init__ = _in_app_frame(PagesManager.__init__)


def open_page(page, query=None):
    """Run app.py, switch to ``page`` (a path like "pages/adam-vs-sgd.py") and return the AppTest."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(page).run()


def chart_payloads(at):
    """The bytes each chart on the page (``ui.plot.show``) sends the browser, top to bottom."""
    return [chart.proto.bytes for chart in at.get("bidi_component") if chart.proto.component_name == "course_plot"]


def figures(at):
    """Every chart on the page, as the Plotly JSON dict the browser receives."""
    return [json.loads(payload)["figure"] for payload in chart_payloads(at)]


def values(array):
    """A trace's x/y as a float array, whether plain JSON or Plotly's base64 ``bdata``."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).astype(float)
    return np.array(array, dtype=float)


def trace(figure, name):
    """The first trace called ``name``."""
    return next(t for t in figure["data"] if t.get("name") == name)


def widget(at, key):
    """The widget with ``key``, whatever its kind."""
    for kind in ("slider", "select_slider", "radio", "button_group"):
        for element in at.get(kind) if kind == "button_group" else getattr(at, kind):
            if getattr(element, "key", None) == key:
                return element
    raise KeyError(key)


def assert_setting_redraws(at, key, value, chart):
    """Set the widget ``key`` to ``value`` and rerun: no exception, and chart ``chart``'s data changed."""
    before = figures(at)[chart]["data"]
    widget(at, key).set_value(value).run()
    assert_clean(at)
    assert figures(at)[chart]["data"] != before


def assert_clean(at):
    """The run raised nothing: no exception element on the page."""
    assert not at.exception, [e.value for e in at.exception]


def markdown(at):
    """All Markdown the page wrote, one block a line."""
    return "\n".join(m.value for m in at.markdown)
