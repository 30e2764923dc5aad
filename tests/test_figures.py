"""The pure figure builders, called directly: what the browser is asked to draw."""

import numpy as np
import pytest

import optimizers as opt
from ui import figures
from ui.runs import Path


def _path(surface, optimizer, start, steps, key="adam"):
    traj = opt.run(optimizer, surface.grad, np.array(start, float), steps, loss_fn=surface.loss)
    return Path(key, key.upper(), "#000000", "circle", traj.params, traj.losses,
                surface.distance_to_minimum(traj.params), int(traj.diverged_at))


@pytest.mark.parametrize("frames", [1, 2, 50, 51, 52, 101, 201])
def test_slider_stops_span_every_frame_evenly_within_the_limit(frames):
    shown = figures.frame_steps(frames - 1)
    stops = figures.slider_stops(shown)
    assert stops[0] == shown[0] and stops[-1] == shown[-1]
    assert len(stops) <= figures.SLIDER_STOPS
    assert np.all(np.diff(stops) > 0) and set(stops) <= set(shown)
    if frames <= figures.SLIDER_STOPS:
        assert stops == list(shown)
    gaps = np.diff(stops)
    assert gaps.size == 0 or gaps.max() <= -(-(frames - 1) // (figures.SLIDER_STOPS - 1))


def test_a_long_run_keeps_every_frame_but_the_slider_stops_at_fewer():
    bowl = opt.surfaces.get("bowl")
    spec = figures.paths_figure(bowl, [_path(bowl, opt.adam(0.2), [-5.0, 2.0], 200)]).to_dict()
    frames = [f["name"] for f in spec["frames"]]
    assert frames == [str(k) for k in range(201)]
    targets = [step["args"][0][0] for step in spec["layout"]["sliders"][0]["steps"]]
    assert len(targets) == figures.SLIDER_STOPS and targets[0] == "0" and targets[-1] == "200"
    assert set(targets) <= set(frames)
    path = next(t for t in spec["data"] if t["name"] == "ADAM")
    assert path["mode"] == "lines"


def test_a_short_run_marks_every_step():
    parabola = opt.surfaces.get("parabola")
    spec = figures.paths_figure(parabola, [_path(parabola, opt.sgd(0.1), [8.0], 50, "sgd")]).to_dict()
    assert next(t for t in spec["data"] if t["name"] == "SGD")["mode"] == "lines+markers"
    assert len(spec["layout"]["sliders"][0]["steps"]) == 51


def test_progress_figure_marks_a_divergence_on_both_panels():
    parabola = opt.surfaces.get("parabola")
    path = _path(parabola, opt.sgd(10.0), [8.0], 400, "sgd")
    assert path.diverged_at > 0
    spec = figures.progress_figure([path], parabola).to_dict()
    crosses = [t for t in spec["data"] if t.get("mode") == "markers"]
    assert sorted(t["xaxis"] for t in crosses) == ["x", "x2"]
    assert all(t["x"] == [path.diverged_at - 1] for t in crosses)
    notes = spec["layout"]["annotations"]
    assert [n["xref"] for n in notes] == ["x", "x2"]
    assert all(f"diverged at step {path.diverged_at}" in n["text"] for n in notes)


@pytest.mark.parametrize("height", [400, 460, 600, 640])
def test_the_animation_controls_sit_the_same_pixels_under_the_plot_at_any_height(height):
    """Play and the step slider are placed in paper units; a short figure must not squeeze them together."""
    parabola = opt.surfaces.get("parabola")
    path = _path(parabola, opt.sgd(0.1), [8.0], 20, "sgd")
    spec = figures.paths_figure(parabola, [path], height=height).to_dict()
    margin = spec["layout"]["margin"]
    plot_height = height - margin["t"] - margin["b"]
    buttons, speed = spec["layout"]["updatemenus"]
    slider = spec["layout"]["sliders"][0]
    assert buttons["y"] * plot_height == pytest.approx(-figures.BUTTONS_BELOW_PX)
    assert speed["y"] == buttons["y"]
    assert slider["y"] * plot_height == pytest.approx(-figures.SLIDER_BELOW_PX)
    assert figures.SLIDER_BELOW_PX - figures.BUTTONS_BELOW_PX >= 40      # a button row is about 30 px tall
    assert figures.SLIDER_BELOW_PX + 60 <= margin["b"]                     # the slider and its labels fit
