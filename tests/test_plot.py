"""ui.plot: what a chart sends the browser, and the plotly.js copy it is drawn with."""

import json

import plotly
import plotly.graph_objects as go
import plotly.io as pio

from apptest_helpers import chart_payloads, open_page
from ui import plot


def test_the_payload_is_the_figures_plotly_json_with_the_default_config():
    figure = go.Figure(go.Scatter(x=[1, 2, 3], y=[4, 5, 6], name="a"), layout=dict(height=321))
    sent = json.loads(plot.payload(figure))
    assert sent["figure"] == json.loads(pio.to_json(figure, validate=False))
    assert sent["config"] == plot.DEFAULT_CONFIG
    # nothing a chart offers sends it off the app (plotly.js 3's "Share chart..." would)
    assert sent["config"]["showSendToCloud"] is False and sent["config"]["plotlyServerURL"] == ""


def test_a_chart_with_a_key_names_the_link_parameter_that_keeps_its_step():
    figure = go.Figure(go.Scatter(x=[1, 2], y=[3, 4]))
    sent = json.loads(plot.payload(figure, key="vs_paths"))
    assert sent["step_param"] == plot.step_param("vs_paths") == "vs_paths_step"
    assert sent["figure"] == json.loads(pio.to_json(figure, validate=False))


def test_the_flagships_animated_chart_sends_its_frames_and_step_parameter():
    at = open_page("pages/adam-vs-sgd.py")
    paths, progress = (json.loads(p) for p in chart_payloads(at))
    assert paths["step_param"] == "vs_paths_step" and paths["figure"]["frames"]
    assert paths["figure"]["layout"]["meta"]["animation"]["speeds"]
    assert not progress["figure"].get("frames")          # a static chart: the component draws no controls


def test_a_config_given_to_a_chart_overrides_the_defaults_key_by_key():
    sent = json.loads(plot.payload(go.Figure(), config={"responsive": False, "scrollZoom": True}))
    assert sent["config"] == {**plot.DEFAULT_CONFIG, "responsive": False, "scrollZoom": True}


def test_the_plotly_js_copy_is_made_once_and_replaced_when_it_differs(tmp_path, monkeypatch):
    monkeypatch.setattr(plot, "STATIC_DIR", tmp_path / "static")
    copy = tmp_path / "static" / plot.FULL_BUNDLE                        # plotly-<version>.min.js
    plot.ensure_plotly_js()
    assert copy.read_bytes() == plot.PLOTLY_JS.read_bytes()
    assert plot.PLOTLY_JS.is_relative_to(plotly.__path__[0])            # the installed package's own copy

    copy.write_text("truncated")                                          # e.g. an interrupted copy
    plot.ensure_plotly_js()
    assert copy.stat().st_size == plot.PLOTLY_JS.stat().st_size
    assert list(copy.parent.iterdir()) == [copy]                          # no partial file left behind


def chart_ids(at):
    return [c.proto.id for c in at.get("bidi_component") if c.proto.component_name == "course_plot"]


def test_a_chart_keeps_its_element_id_when_its_figure_changes():
    """The browser redraws a chart in place only if its element id survives the rerun."""
    at = open_page("pages/adam-vs-sgd.py")
    ids = chart_ids(at)
    before = chart_payloads(at)
    at.slider(key="vs_parabola_x0").set_value(5.0).run()
    assert all(now != then for now, then in zip(chart_payloads(at), before))     # both figures changed
    assert chart_ids(at) == ids
    assert [i.rsplit("-", 1)[-1] for i in ids] == ["vs_paths", "vs_progress"]


# ---- clicks on a chart (click to start) ---------------------------------------------------------

def test_only_a_chart_that_asks_for_clicks_has_the_browser_send_them():
    figure = go.Figure()
    assert "clicks" not in json.loads(plot.payload(figure, key="vs_paths"))
    assert json.loads(plot.payload(figure, key="vs_paths", clicks=True))["clicks"] is True


def test_a_click_from_the_browser_is_read_as_untrusted_input():
    assert plot.read_click({"x": 1, "y": -2.5, "subplot": "xy"}) == plot.Click(1.0, -2.5, "xy")
    assert plot.read_click({"x": 0.1, "y": 0.2, "subplot": "x2y2"}).subplot == "x2y2"
    for bad in (None, "1,2", [1, 2], {"x": 1, "y": 2}, {"x": "1", "y": 2, "subplot": "xy"},
                {"x": float("nan"), "y": 2, "subplot": "xy"}, {"x": True, "y": 2, "subplot": "xy"},
                {"x": 1, "y": float("inf"), "subplot": "xy"}, {"x": 1, "y": 2, "subplot": "<b>xy</b>"}):
        assert plot.read_click(bad) is None, bad


def test_a_click_on_a_2d_paths_chart_becomes_a_start_on_the_sliders_grid():
    import optimizers as opt
    from ui import clicks

    rosenbrock = opt.surfaces.get("rosenbrock")           # x in [−2, 2], y in [−1, 3]
    assert clicks.start_keys("vs", rosenbrock) == ["vs_rosenbrock_x0", "vs_rosenbrock_y0"]
    assert clicks.snapped_start(plot.Click(0.123456, 1.98765, "xy"), rosenbrock) == (0.12, 1.99)
    assert clicks.snapped_start(plot.Click(-7.0, 9.0, "xy"), rosenbrock) == (-2.0, 3.0)    # clamped to the range
    assert clicks.snapped_start(plot.Click(0.5, 0.5, "x2y2"), rosenbrock) is None         # another panel
    parabola = opt.surfaces.get("parabola")
    assert clicks.start_setter("vs", parabola) is None                                    # 1-D: no clicks


def test_the_2d_paths_charts_ask_for_clicks_and_the_others_do_not():
    at = open_page("pages/adam-vs-sgd.py", {"vs_surface": "Rosenbrock"})
    paths, progress = (json.loads(p) for p in chart_payloads(at))
    assert paths.get("clicks") is True and "clicks" not in progress
