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


@pytest.mark.parametrize("steps", [0, 1, 50, 199, 200, 201, 450])
def test_frames_are_named_by_their_step_and_end_at_the_last_one(steps):
    """The component's step control indexes the frames and shows their names; a link names a step."""
    shown = figures.frame_steps(steps)
    assert shown[0] == 0 and shown[-1] == steps and len(shown) == min(steps + 1, figures.MAX_FRAMES + 1)
    assert np.all(np.diff(shown) > 0)


def test_a_long_run_keeps_every_frame_and_draws_its_path_as_a_line():
    bowl = opt.surfaces.get("bowl")
    spec = figures.paths_figure(bowl, [_path(bowl, opt.adam(0.2), [-5.0, 2.0], 200)]).to_dict()
    frames = [f["name"] for f in spec["frames"]]
    assert frames == [str(k) for k in range(201)]
    path = next(t for t in spec["data"] if t["name"] == "ADAM")
    assert path["mode"] == "lines"


def test_a_short_run_marks_every_step():
    parabola = opt.surfaces.get("parabola")
    spec = figures.paths_figure(parabola, [_path(parabola, opt.sgd(0.1), [8.0], 50, "sgd")]).to_dict()
    assert next(t for t in spec["data"] if t["name"] == "SGD")["mode"] == "lines+markers"
    assert [f["name"] for f in spec["frames"]] == [str(k) for k in range(51)]


def test_progress_figure_marks_a_divergence_on_both_panels():
    parabola = opt.surfaces.get("parabola")
    path = _path(parabola, opt.sgd(10.0), [8.0], 400, "sgd")
    assert path.diverged_at > 0
    spec = figures.progress_figure([path], parabola).to_dict()
    crosses = [t for t in spec["data"] if t.get("mode") == "markers"]
    assert sorted(t["xaxis"] for t in crosses) == ["x", "x2"]
    assert all(t["x"] == [path.diverged_at - 1] for t in crosses)
    notes = [n for n in spec["layout"]["annotations"] if not n["xref"].endswith("domain")]    # not the headings
    assert [n["xref"] for n in notes] == ["x", "x2"]
    assert all(f"diverged at step {path.diverged_at}" in n["text"] for n in notes)


def test_progress_panels_are_titled_above_and_ticked_on_decades_or_1_2_5():
    parabola = opt.surfaces.get("parabola")
    spec = figures.progress_figure([_path(parabola, opt.sgd(0.1), [8.0], 100, "sgd")], parabola).to_dict()
    headings = [n["text"] for n in spec["layout"]["annotations"] if n["xref"].endswith("domain")]
    assert headings == ["<b>f(θₜ) − f*</b>", "<b>distance to the minimum</b>"]     # short: a phone's panel is ~100 px
    for axis in ("yaxis", "yaxis2"):
        assert "title" not in spec["layout"][axis] or not spec["layout"][axis]["title"].get("text")
        assert spec["layout"][axis]["dtick"] >= 1           # 100 steps at rate 0.8: many decades, labelled on them


@pytest.mark.parametrize("height", [400, 460, 600, 640])
def test_the_animation_is_described_as_data_and_its_controls_fit_the_height_asked_for(height):
    """No Plotly menus or slider (the keyboard cannot reach them): ``layout.meta.animation`` tells ui/plot's
    HTML controls the speeds, which take CONTROLS_PX of the height under a plot with room for its x axis."""
    parabola = opt.surfaces.get("parabola")
    path = _path(parabola, opt.sgd(0.1), [8.0], 20, "sgd")
    spec = figures.paths_figure(parabola, [path], height=height).to_dict()
    layout = spec["layout"]
    assert "updatemenus" not in layout and "sliders" not in layout
    assert layout["meta"]["animation"] == {"speeds": figures.SPEEDS, "speed": "normal"}
    assert layout["meta"]["animation"]["speed"] in figures.SPEEDS
    assert layout["height"] + figures.CONTROLS_PX == height
    assert 40 <= layout["margin"]["b"] <= 60                               # tick labels and the axis title
    heads = spec["frames"][0]["traces"]
    assert all(spec["data"][i]["marker"]["size"] == 16 for i in heads)     # the frames move the heads only
    assert all(len(f["data"]) == len(heads) for f in spec["frames"])


def test_where_the_loss_is_not_finite_the_surface_picture_is_hatched_grey_not_its_lowest_band():
    """log(2 + y) is undefined below y = -2: those pixels are data ("no value"), not the minimum's white."""
    import base64
    import io
    from types import SimpleNamespace

    from PIL import Image

    with np.errstate(all="ignore"):
        surface = SimpleNamespace(x_range=(-3.0, 3.0), y_range=(-4.0, 4.0),
                                  loss=lambda p: p[..., 0] ** 2 + np.log(2 + p[..., 1]))
        uri = figures.surface_background(surface, width=60, height=80)
    picture = np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))
    undefined, defined = picture[-15:], picture[:30]          # rows run top to bottom: y from 4 down to -4
    assert {tuple(c) for c in undefined.reshape(-1, 3)} == {figures.UNDEFINED_GREY, figures.UNDEFINED_HATCH}
    assert not {tuple(c) for c in defined.reshape(-1, 3)} & {figures.UNDEFINED_GREY, figures.UNDEFINED_HATCH}


def test_the_minimum_star_has_one_look_that_reads_on_both_themes():
    """The star shows its whole shape on white (the light page, the light surface picture) and on the dark page: its
    edge holds 3:1 on white, its fill on the dark pages, and fill and edge 3:1 against each other. A dark star in a
    white ring showed only its ring in the dark theme's legend (a hollow white star there, a dark one elsewhere)."""
    from test_browser_themes import contrast_ratio

    def rgb(colour):
        return [255, 255, 255] if colour.lower() == "white" else [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    star = figures._base_2d(opt.surfaces.get("bowl"), [], None)[0][0]
    assert star["name"] == "minimum" and star["marker"]["symbol"] == "star"
    fill, edge = rgb(star["marker"]["color"]), rgb(star["marker"]["line"]["color"])
    assert star["marker"]["line"]["width"] >= 1.5
    assert contrast_ratio(edge, [255, 255, 255]) >= 3 and contrast_ratio(fill, edge) >= 3
    for dark_page in ([14, 17, 23], [23, 22, 20]):      # Streamlit's dark pages
        assert contrast_ratio(fill, dark_page) >= 3
