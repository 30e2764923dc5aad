"""ui.surface3d: the 3-D view of a 2-D surface (a pure figure), and its switch on the three lessons that have one."""

import json

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, chart_payloads, open_page, values
from lessons import family
from ui import plot, surface3d
from ui.family import FAMILY, default_settings
from ui.figures import frame_steps, stop_text
from ui.runs import Path

TWO_D = [key for key in opt.surfaces.SURFACES if opt.surfaces.get(key).dim == 2]
BUDGET = 300_000        # bytes: the payload limit for the 3-D view


@pytest.mark.parametrize("surface_key", TWO_D)
def test_the_3d_payload_stays_under_300_kb_on_every_surface_with_all_fifteen_at_1000_steps(surface_key):
    surface = opt.surfaces.get(surface_key)
    settings = {key: default_settings(key, surface_key) for key in FAMILY}
    paths = family.run_members(settings, surface_key, surface.start, 1000)
    size = len(plot.payload(surface3d.surface3d_figure(surface, paths, 1000), key="x"))
    print(f"{surface_key}: {size / 1000:.0f} KB")
    assert size <= BUDGET


def test_the_3d_payload_stays_under_300_kb_on_the_playgrounds_typed_surface():
    from lessons.playground import runs, widgets

    text = widgets.DEFAULT_FORMULA
    x_range, y_range = runs.auto_range(runs.formula(text))
    surface = runs.typed_surface(text, x_range, y_range)
    paths = [runs.run_typed(key, tuple(sorted(default_settings(key, widgets.TYPED_PRESET).items())), text, x_range,
                            y_range, surface.start, 1000).path for key in FAMILY]
    assert len(plot.payload(surface3d.surface3d_figure(surface, paths, 1000), key="x")) <= BUDGET


def _path(points, losses, diverged_at=-1):
    return Path("adam", "Adam", "#D55E00", "circle", np.asarray(points, float), np.asarray(losses, float),
                np.zeros(len(points)), diverged_at)


def _sent(figure):
    """The figure as the browser gets it (float32 arrays as base64), arrays decoded back to NumPy."""
    data = json.loads(plot.payload(figure))["figure"]["data"]
    return [{k: (values(v) if k in ("x", "y", "z") else v) for k, v in t.items()} for t in data]


def _traces(figure, name):
    return [t for t in _sent(figure) if t.get("name", "").startswith(name)]


def test_each_path_is_drawn_up_to_the_step_the_2d_view_shows_at_its_height_above_the_surface():
    surface = opt.surfaces.get("bowl")
    traj = opt.run(opt.adam(0.2), surface.grad, np.array(surface.start, float), 300, loss_fn=surface.loss)
    path = _path(traj.params, traj.losses)
    frames = frame_steps(300)
    step = next(s for s in range(100, 300) if s not in frames)     # 200 frames for 300 steps: one between two
    shown = int(frames[frames <= step].max())
    figure = surface3d.surface3d_figure(surface, [path], step)
    assert shown < step and figure.layout.meta["step"] == shown == surface3d.shown_step([path], step)
    line, head = _traces(figure, "Adam")
    x = np.asarray(line["x"], float)
    assert len(x) == shown + 1 and x == pytest.approx(traj.params[: shown + 1, 0], abs=1e-5)
    heights = np.asarray(_sent(figure)[0]["z"], float)
    f_star = min(surface.min_value, float(traj.losses.min()))
    lift = surface3d.LIFT * (np.nanmax(heights) - np.nanmin(heights))
    assert np.asarray(line["z"], float) == pytest.approx(np.log10(1 + traj.losses[: shown + 1] - f_star) + lift, abs=1e-5)
    assert head["x"][0] == pytest.approx(traj.params[shown, 0], abs=1e-5) and head["name"] == f"Adam at step {shown}"
    assert figure.layout.scene.zaxis.title.text == "log₁₀(1 + f − f*)"


def test_a_diverged_run_stops_at_its_last_finite_point_marked_and_named():
    surface = opt.surfaces.get("rosenbrock")
    points = [[0.0, 0.0], [1.0, 1.0], [2.0, 3.0], [np.inf, np.nan]]
    path = _path(points, [1.0, 0.0, 1.0, np.nan], diverged_at=3)
    figure = surface3d.surface3d_figure(surface, [path], 50)
    line, head = _traces(figure, "Adam")
    assert line["name"] == stop_text(path, surface.min_value) and len(line["x"]) == 3
    assert head["marker"]["symbol"] == "x" and np.isfinite(np.asarray(line["z"], float)).all()


def test_a_run_stopped_on_a_nan_and_the_typed_star_use_the_2d_views_words():
    """log(y) below 0 is a NaN out of normal-sized numbers: "NaN at step k" as in 2-D, never "diverged"; the
    typed function's star is "the lowest point found", as in 2-D (its f* is an estimate)."""
    from lessons.playground import runs
    surface = runs.typed_surface("x^2 + log(y)", (-2.0, 2.0), (0.5, 4.0))
    path = _path([[1.0, 1.0], [0.5, 0.8], [0.2, 0.6], [0.1, -0.1]], [1.0, 0.0, -0.4, np.nan], diverged_at=3)
    names = [t.get("name") for t in _sent(surface3d.surface3d_figure(surface, [path], 50))]
    assert "Adam: NaN at step 3" in names and not any("diverged" in (n or "") for n in names)
    assert "lowest point found" in names and "minimum" not in names


# ---- the switch on the pages ------------------------------------------------------------------

def _kinds(at):
    """Per chart: "3d" if it draws a surface trace, else "2d"."""
    return ["3d" if any(t["type"] == "surface" for t in json.loads(p)["figure"]["data"]) else "2d"
            for p in chart_payloads(at)]


@pytest.mark.parametrize("page, query, toggle", [
    ("pages/adam-vs-sgd.py", {"vs_surface": "Rosenbrock"}, "vs_3d"),
    ("pages/optimizer-family.py", {}, "fam_3d"),
    ("pages/playground.py", {"play_map_n": "5"}, "play_3d"),
])
def test_the_3d_switch_puts_the_landscape_in_the_paths_charts_place_at_the_linked_step(page, query, toggle):
    step_param = toggle.replace("_3d", "_paths_step")
    at = open_page(page, {**query, step_param: "40"})
    assert_clean(at)
    assert _kinds(at)[0] == "2d" and at.toggle(key=toggle).value is False
    at.toggle(key=toggle).set_value(True).run()
    assert_clean(at)
    kinds = _kinds(at)
    assert kinds[0] == "3d" and kinds.count("3d") == 1
    figure = json.loads(chart_payloads(at)[0])["figure"]
    assert figure["layout"]["meta"]["step"] == 40
    assert any(f"Step 40, the step the 2-D view showed" in c.value for c in at.caption)


def test_a_malformed_3d_link_value_shows_the_2d_map_with_a_notice():
    at = open_page("pages/adam-vs-sgd.py", {"vs_surface": "Rosenbrock", "vs_3d": "yes please"})
    assert_clean(at)
    assert _kinds(at)[0] == "2d"
    assert any("vs_3d" in i.value and "not true or false; the paths chart is shown in 2-D" in i.value
               for i in at.info)
    at = open_page("pages/adam-vs-sgd.py", {"vs_surface": "Rosenbrock", "vs_3d": "TRUE"})
    assert _kinds(at)[0] == "3d"


def test_a_bad_step_link_gets_its_notice_and_is_rewritten_when_the_3d_view_is_on():
    """With 3-D on, the 2-D chart (whose ``plot.show`` checks its step link) is not drawn: the 3-D view's
    reading of that link checks it the same way."""
    at = open_page("pages/playground.py", {"play_map_n": "5", "play_paths_step": "-3", "play_3d": "true"})
    assert_clean(at)
    assert _kinds(at)[0] == "3d"
    assert any("play_paths_step" in i.value for i in at.info)
    assert "play_paths_step" not in at.query_params


def test_a_1d_surface_has_no_3d_switch():
    at = open_page("pages/adam-vs-sgd.py", {"vs_3d": "true"})
    assert_clean(at)
    assert not [t for t in at.toggle if t.key == "vs_3d"] and "3d" not in _kinds(at)
