"""Exports of an animated chart (ui/export.py): each file decoded and checked against the core.

The CSV's numbers are compared with runs made here straight from ``optimizers`` (not through the page's
cached runs); the GIF and PNG are opened with Pillow, the MP4 with imageio-ffmpeg, and their frames,
sizes and colours checked.
"""

import csv
import io
import json
import tomllib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageSequence
from streamlit.testing.v1 import AppTest

import optimizers as opt
from ui import export, runs
from ui.catalog import CATALOG
from ui.family import FAMILY
from ui.figures import frame_steps

ROOT = Path(__file__).resolve().parents[1]
SCENES = tomllib.loads((ROOT / "assets" / "scenes.toml").read_text())


def flagship(surface_key):
    """The flagship's default scene on a surface: its paths (as the page runs them) and settings."""
    surface = opt.surfaces.get(surface_key)
    preset = SCENES[surface_key]
    settings = {key: dict(preset[key]) for key in CATALOG}
    start, steps = tuple(preset["start"]), preset["steps"]
    paths = tuple(runs.spec_path(CATALOG[key], surface, settings[key], start, steps) for key in CATALOG)
    return export.Scene(surface, paths, surface.dim == 1), settings


def read_csv(text):
    """(header lines, rows as dicts) of an exported CSV."""
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("#")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    return header, rows


def column(rows, label, name):
    return np.array([float(r[name]) if r[name] else np.nan for r in rows if r["optimizer"] == label])


# ---- CSV --------------------------------------------------------------------------------------------

# The state each flagship optimizer's rows carry (plain SGD and RMSprop without momentum: no buffer).
KEPT = {"SGD": (), "SGD + momentum": ("buf",), "RMSprop": ("v", "lr_eff"),
        "Adam": ("m", "v", "m_hat", "v_hat", "lr_eff")}


@pytest.mark.parametrize("surface_key", ["bowl", "parabola"])
def test_csv_numbers_equal_a_core_run_to_the_last_bit(surface_key):
    scene, settings = flagship(surface_key)
    text = export._csv_for(scene, settings, CATALOG)
    header, rows = read_csv(text)
    surface, preset = scene.surface, SCENES[surface_key]
    adam = preset["adam"]
    core = {
        "SGD": opt.sgd(preset["sgd"]["lr"]),
        "SGD + momentum": opt.sgd(preset["momentum"]["lr"], momentum=preset["momentum"]["momentum"]),
        "RMSprop": opt.rmsprop(preset["rmsprop"]["lr"], alpha=preset["rmsprop"]["rho"],
                               eps=preset["rmsprop"]["eps"]),
        "Adam": opt.adam(adam["lr"], beta1=adam["beta1"], beta2=adam["beta2"], eps=adam["eps"]),
    }
    coords = ("theta",) if surface.dim == 1 else ("x", "y")
    for label, optimizer in core.items():
        traj = opt.run(optimizer, surface.grad, preset["start"], preset["steps"], loss_fn=surface.loss,
                       keep_state=True)
        assert np.array_equal(column(rows, label, "step"), np.arange(preset["steps"] + 1))
        for i, c in enumerate(coords):
            assert np.array_equal(column(rows, label, c), traj.params[:, i])
            assert np.array_equal(column(rows, label, f"update_{c}")[1:], traj.updates[:, i])
        assert np.array_equal(column(rows, label, "loss"), traj.losses)
        for i, c in enumerate(coords):
            assert np.array_equal(column(rows, label, f"grad_{c}")[1:], traj.grads[:, i])
        for name in KEPT[label]:
            for i, c in enumerate(coords):
                got = column(rows, label, f"{name}_{c}")
                assert np.isnan(got[0])                       # the start has no state
                assert np.array_equal(got[1:], traj.states[name][:, i]), (label, name)
        for name in {"m", "v", "m_hat", "v_hat", "lr_eff", "buf"} - set(KEPT[label]):
            assert np.isnan(column(rows, label, f"{name}_{coords[0]}")).all(), (label, name)
    assert any("Adam: beta1=0.9, beta2=0.999, eps=1e-08, lr=" in line for line in header)
    assert header[0].startswith(f"# Adam, from the inside: {surface.title}")


def test_csv_adams_first_bias_corrected_step_is_alpha_sign_g():
    """m̂₁ = g₁ and v̂₁ = g₁², so the first update is −α·sign(g₁) (ε aside), read from the file."""
    scene, settings = flagship("parabola")
    _, rows = read_csv(export._csv_for(scene, settings, CATALOG))
    first = next(r for r in rows if r["optimizer"] == "Adam" and r["step"] == "1")
    g = float(first["m_hat_theta"])
    assert float(first["v_hat_theta"]) == pytest.approx(g * g)
    assert float(first["update_theta"]) == pytest.approx(-settings["adam"]["lr"] * np.sign(g), rel=1e-6)


def test_csv_leaves_the_state_out_when_the_settings_given_did_not_make_the_path():
    scene, settings = flagship("bowl")
    wrong = {**settings, "adam": {**settings["adam"], "lr": settings["adam"]["lr"] * 2}}
    header, rows = read_csv(export._csv_for(scene, wrong, CATALOG))
    assert all(r.get("m_x", "") == r["v_x"] == "" for r in rows if r["optimizer"] == "Adam")
    assert any(r["v_x"] != "" for r in rows if r["optimizer"] == "RMSprop")
    assert "# Adam: settings as on the page" in header
    assert not any("lr=0.4" in line for line in header)


def test_csv_of_a_diverged_path_is_empty_after_it_left_the_finite_numbers():
    surface = opt.surfaces.get("parabola")
    path = runs.spec_path(CATALOG["sgd"], surface, {"lr": 1.5}, (8.0,), 1200)
    assert path.diverged_at > 0
    header, rows = read_csv(export.csv_text(surface, [path], {"sgd": {"lr": 1.5}}))
    assert rows[path.diverged_at]["theta"] == "" and rows[path.diverged_at - 1]["theta"] != ""
    assert any(f"left the finite numbers at step {path.diverged_at}" in line for line in header)


def family_csv(keys, surface_key="rosenbrock"):
    """(header, rows) of the CSV of family members ``keys`` on a surface, with their default settings."""
    from ui.family import default_settings
    surface = opt.surfaces.get(surface_key)
    settings = {key: default_settings(key, surface_key) for key in keys}
    paths = tuple(runs.spec_path(FAMILY[key], surface, settings[key], surface.start, 60) for key in keys)
    return read_csv(export._csv_for(export.Scene(surface, paths), settings, FAMILY))


def test_csv_says_what_amsgrads_v_hat_and_adabounds_lr_eff_are_and_gives_amsgrads_running_max():
    """AMSGrad's v_hat is max(v)/(1−β₂ᵗ), recomputed here from its v_max column; AdaBound's lr_eff is the
    clipped step size that multiplies the raw m. Each says so in the header; Adam keeps the general line."""
    from ui.family import default_settings
    header, rows = family_csv(("adam", "amsgrad", "adabound"))
    beta2 = default_settings("amsgrad", "rosenbrock")["beta2"]
    for c in ("x", "y"):
        v, v_max, v_hat = (column(rows, "AMSGrad", f"{name}_{c}")[1:] for name in ("v", "v_max", "v_hat"))
        assert np.array_equal(v_max, np.maximum.accumulate(v))
        t = np.arange(1, len(v) + 1)
        np.testing.assert_allclose(v_hat, v_max / (1 - beta2 ** t), rtol=1e-12)
        assert not np.allclose(v_hat, v / (1 - beta2 ** t))            # the running max is not v here
        m, lr_eff, update = (column(rows, "AdaBound", f"{name}_{c}")[1:] for name in ("m", "lr_eff", "update"))
        np.testing.assert_allclose(update, -lr_eff * m, rtol=1e-12)
        assert np.isnan(column(rows, "Adam", f"v_max_{c}")).all()       # plain Adam has no running max
    notes = {line.split(":")[0][2:]: line for line in header if "v_max" in line or "clipped" in line}
    assert set(notes) == {"AMSGrad", "AdaBound"}
    assert "v_hat = v_max/(1-beta2^t), the bias-corrected running max" in notes["AMSGrad"]
    assert "lr_eff = the clipped step size" in notes["AdaBound"] and "multiplies the raw m" in notes["AdaBound"]


# ---- GIF --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def bowl_gifs():
    scene, _ = flagship("bowl")
    return scene, {theme: export.gif_bytes(scene, theme) for theme in ("light", "dark")}


def test_gif_has_one_frame_per_shown_step_loops_and_holds_the_last(bowl_gifs):
    scene, gifs = bowl_gifs
    image = Image.open(io.BytesIO(gifs["light"]))
    expected = len(frame_steps(export.scene_steps(scene), export.GIF_FRAMES))
    assert image.n_frames == expected == 61
    assert image.size[0] == export.GIF_WIDTH and image.info["loop"] == 0
    image.seek(image.n_frames - 1)
    assert image.info["duration"] == export.HOLD_MS
    assert len(gifs["light"]) < 3_000_000


def test_gif_frames_move_first_and_last_differ_and_each_head_is_where_its_path_is(bowl_gifs):
    scene, gifs = bowl_gifs
    gif = Image.open(io.BytesIO(gifs["light"]))
    frames = [np.asarray(f.convert("RGB")).copy() for f in ImageSequence.Iterator(gif)]
    assert not np.array_equal(frames[0], frames[-1])
    assert sum(not np.array_equal(a, b) for a, b in zip(frames, frames[1:])) == len(frames) - 1
    lay = export.layout(scene.surface, scene.paths, export.GIF_WIDTH, False)
    frame = 3                                       # the heads are still apart here
    step = int(frame_steps(export.scene_steps(scene), export.GIF_FRAMES)[frame])
    for path in scene.paths:                        # the head's centre pixels have the path's colour
        x, y = (int(round(float(v))) for v in lay.main.to_pixels(*path.points[step]))
        near = frames[frame][y - 1:y + 2, x - 1:x + 2].astype(int)
        assert (np.abs(near - export.rgb(path.color)).sum(axis=-1) < 30).any(), path.label


def test_gif_takes_the_pages_theme(bowl_gifs):
    _, gifs = bowl_gifs
    for theme, gif in gifs.items():
        corner = np.asarray(Image.open(io.BytesIO(gif)).convert("RGB"))[2, 2]
        assert tuple(corner) == export.THEMES[theme].background


def test_a_1d_gif_draws_the_step_panel_below_the_curve():
    scene, _ = flagship("parabola")
    with_panel = Image.open(io.BytesIO(export.gif_bytes(scene, max_frames=5)))
    flat = export.Scene(scene.surface, scene.paths, False)
    without = Image.open(io.BytesIO(export.gif_bytes(flat, max_frames=5)))
    assert with_panel.n_frames == without.n_frames == 6
    assert with_panel.size[1] > without.size[1] + 150


def test_a_long_legend_wraps_above_the_plot_and_the_counter_sits_on_the_page_colour():
    """The family's fifteen optimizers: three legend rows, all above the plot; the step counter's patch
    has exactly the page's colour around its text in every frame."""
    from ui.family import default_settings
    surface = opt.surfaces.get("rosenbrock")
    paths = tuple(runs.spec_path(spec, surface, default_settings(key, "rosenbrock"), surface.start, 30)
                  for key, spec in FAMILY.items())
    lay = export.layout(surface, paths, export.GIF_WIDTH, False)
    labels = export.legend_labels(surface, paths)
    rows = sorted({y for _, y in export.legend_places(labels, export.GIF_WIDTH, 1.0)})
    assert len(rows) >= 2 and lay.main.box[1] > rows[-1] + 20
    gif = Image.open(io.BytesIO(export.gif_bytes(export.Scene(surface, paths), "dark", max_frames=4)))
    left, top, right, bottom = lay.counter_box
    for frame in ImageSequence.Iterator(gif):
        pixels = np.asarray(frame.convert("RGB"))
        page = export.THEMES["dark"].background
        assert tuple(pixels[top + 1, left + 1]) == tuple(pixels[bottom - 1, left + 1]) == page


def test_the_minimum_star_is_white_with_a_dark_edge_in_both_themes_as_on_the_page():
    """In the dark theme's legend a dark star showed only its white ring; the star's centre is white and its
    tip the dark edge, in the legend on either page colour."""
    surface = opt.surfaces.get("rosenbrock")
    paths = (runs.spec_path(CATALOG["adam"], surface, SCENES["rosenbrock"]["adam"], surface.start, 20),)
    x, y = export.legend_places(export.legend_labels(surface, paths), export.GIF_WIDTH, 1.0)[0]
    centre, tip = (round(x + 11), round(y + 9)), (round(x + 11), round(y + 9 - 7))    # radius 8, pointing up
    for theme in ("light", "dark"):
        picture = export.render_frame(export.Scene(surface, paths, False), 20, theme, width=export.GIF_WIDTH)
        assert picture.getpixel(centre)[:3] == export.WHITE, theme
        assert max(picture.getpixel(tip)[:3]) < 120, theme


def test_a_dashed_path_is_drawn_with_gaps_and_offer_takes_each_members_dash():
    surface = opt.surfaces.get("bowl")
    path = runs.spec_path(CATALOG["adam"], surface, SCENES["bowl"]["adam"], (-5.0, 2.0), 200)   # no markers
    colour = export.rgb(path.color)
    counts = {}
    for dash in ("solid", "dot"):
        scene = export.Scene(surface, (path,), False, (dash,))
        picture = np.asarray(export.render_frame(scene, 200, width=720))
        counts[dash] = int((np.abs(picture.astype(int) - colour).sum(axis=-1) < 30).sum())
    assert counts["dot"] < 0.8 * counts["solid"]
    assert FAMILY["adadelta"].dash != "solid"          # the family page's dashes come from FAMILY by key


# ---- MP4 --------------------------------------------------------------------------------------------

def decoded_mp4(data, tmp_path):
    """(metadata, frames as (height, width, 3) arrays) of an MP4, decoded by imageio-ffmpeg's ffmpeg."""
    import imageio_ffmpeg
    target = tmp_path / "export.mp4"
    target.write_bytes(data)
    reader = imageio_ffmpeg.read_frames(str(target))
    meta = next(reader)
    width, height = meta["size"]
    return meta, [np.frombuffer(f, np.uint8).reshape(height, width, 3) for f in reader]


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_mp4_has_the_gifs_frames_size_and_the_pages_colours(bowl_gifs, theme, tmp_path):
    scene, gifs = bowl_gifs
    data = export.mp4_bytes(scene, theme)
    assert b"ftyp" in data[:16] and len(data) < 3_000_000
    meta, frames = decoded_mp4(data, tmp_path)
    gif = Image.open(io.BytesIO(gifs[theme]))
    assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p")
    assert meta["fps"] == 1000 / export.FRAME_MS
    assert len(frames) == gif.n_frames == 61
    width, height = meta["size"]
    assert width == gif.size[0] and height in (gif.size[1], gif.size[1] + 1) and height % 2 == width % 2 == 0
    assert np.abs(frames[0].astype(int) - frames[-1]).max() > 100        # the paths have moved
    corner = frames[0][2, 2].astype(int)
    assert (np.abs(corner - export.THEMES[theme].background) <= 8).all(), corner      # codec tolerance
    first_gif = np.asarray(gif.convert("RGB")).astype(int)           # the same picture as the GIF's frame
    assert np.median(np.abs(frames[0][:gif.size[1]].astype(int) - first_gif)) <= 2


@pytest.mark.parametrize("width", [718, 721])          # an odd height (435), an odd width
def test_an_odd_side_is_padded_to_an_even_one_in_the_pages_colour(width, tmp_path):
    scene, _ = flagship("parabola")
    flat = export.Scene(scene.surface, scene.paths, False)
    w, h = export.layout(flat.surface, flat.paths, width, False).size
    assert (w % 2, h % 2) in ((0, 1), (1, 0))
    meta, frames = decoded_mp4(export.mp4_bytes(flat, "dark", width=width, max_frames=3), tmp_path)
    assert len(frames) == 4 and meta["size"] == (w + w % 2, h + h % 2)
    padding = frames[-1][h:, :].reshape(-1, 3) if h % 2 else frames[-1][:, w:].reshape(-1, 3)
    assert (np.abs(padding.astype(int) - export.THEMES["dark"].background) <= 8).all()


# ---- PNG --------------------------------------------------------------------------------------------

def test_png_is_2560_wide_and_shows_the_step_asked_for():
    scene, _ = flagship("rosenbrock")
    start, later = (Image.open(io.BytesIO(export.png_bytes(scene, step))) for step in (0, 200))
    assert start.format == "PNG" and start.size[0] == export.PNG_WIDTH == 2560
    assert start.size == later.size
    assert not np.array_equal(np.asarray(start), np.asarray(later))


# ---- pieces -----------------------------------------------------------------------------------------

def test_every_symbol_the_course_uses_has_a_shape():
    symbols = {spec.symbol for spec in CATALOG.values()} | {spec.symbol for spec in FAMILY.values()}
    for symbol in symbols - {"circle"}:
        assert export.marker_shape(symbol, 0, 0, 5) is not None, symbol


@pytest.mark.parametrize("low, high", [(-2.0, 2.0), (-5.12, 5.12), (0.0, 1e-3), (-1.0, 3.0), (-0.02, 51.0)])
def test_ticks_are_round_and_inside_the_range(low, high):
    ticks = export.nice_ticks(low, high)
    assert 2 <= len(ticks) <= 12
    assert ticks[0] >= low - 1e-12 and ticks[-1] <= high + 1e-12
    steps = np.diff(ticks) / 10 ** np.floor(np.log10(np.diff(ticks)))
    assert np.allclose(steps, steps[0]) and round(steps[0], 6) in (1.0, 2.0, 5.0)


# ---- the buttons ------------------------------------------------------------------------------------

def _page():
    import tomllib as toml
    from pathlib import Path as P

    import optimizers as o
    import streamlit as st
    from ui import export as ex, runs as r
    from ui.catalog import CATALOG as C
    preset = toml.loads((P.cwd() / "assets" / "scenes.toml").read_text())["bowl"]
    surface = o.surfaces.get("bowl")
    settings = {k: dict(preset[k]) for k in C}
    paths = [r.spec_path(C[k], surface, settings[k], tuple(preset["start"]), 40) for k in C]
    ex.offer("t_paths", surface, paths, settings)
    st.write("end")


def test_offer_puts_csv_gif_and_mp4_downloads_and_a_button_that_reads_the_shown_step(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception
    keys = [b.proto.id for b in at.get("download_button")]
    assert len(keys) == 3
    assert [b.proto.label for b in at.get("download_button")] == ["CSV of every step", "Animated GIF",
                                                                  "Video (MP4)"]
    for kind in ("csv", "gif", "mp4"):
        assert any(f"t_paths_export_{kind}" in k for k in keys), kind
    (step_button,) = [c for c in at.get("bidi_component") if c.proto.component_name == "course_export_step"]
    assert json.loads(step_button.proto.json) == {"chart": "t_paths", "param": "t_paths_step",
                                                  "label": "PNG of the shown step"}


def test_the_step_the_browser_reports_is_read_as_untrusted_input():
    assert export.read_step("17", 40) == 17
    assert export.read_step("4000", 40) == 40                      # clamped to the run
    for bad in (None, "", "-3", "1e3", "3.5", "<b>1</b>", 17, "9" * 40):
        assert export.read_step(bad, 40) is None, bad


def test_a_typed_runs_nan_stop_and_star_are_labelled_as_on_the_page(monkeypatch):
    """A log(y) run that stopped on a NaN says "NaN at step k" (as the 2-D chart does, ui.figures.stop_text),
    never "diverged"; a typed surface's star is "lowest point found", never "minimum"."""
    from PIL import ImageDraw
    from lessons.playground import runs as play_runs
    surface = play_runs.typed_surface("x^2 + log(y)", (-2.0, 2.0), (0.5, 4.0))
    points = np.array([[1.0, 1.0], [0.5, 0.8], [0.2, 0.6], [0.1, -0.1]])
    path = runs.Path("adam", "Adam", "#D55E00", "circle", points, np.array([1.0, 0.0, -0.4, np.nan]),
                     np.zeros(4), 3)
    drawn = []
    original = ImageDraw.ImageDraw.text
    monkeypatch.setattr(ImageDraw.ImageDraw, "text",
                        lambda self, xy, text, *a, **k: (drawn.append(text), original(self, xy, text, *a, **k))[1])
    export.png_bytes(export.Scene(surface, (path,)), 3, width=800)
    assert "Adam: NaN at step 3" in drawn and not any("diverged" in t for t in drawn)
    assert "lowest point found" in drawn and "minimum" not in drawn
    assert export.legend_labels(surface, (path,))[0] == "lowest point found"
