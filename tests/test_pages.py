"""Every page through app.py with AppTest: it opens, survives extreme settings, and reacts to them."""

import re

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, figures, open_page, trace, values
from conftest import ROOT

FLAGSHIP = "pages/adam-vs-sgd.py"
LABELS = ("SGD", "SGD + momentum", "RMSprop", "Adam")



def test_every_page_file_is_named_by_its_url_path():
    """Before any run has called st.navigation, a fresh server under a bare `streamlit run app.py` finds a link's
    page among pages/ by file name; a path that names no file (``/adam-vs-sgd`` was ``adam_vs_sgd.py``) showed
    a "Page not found" dialog (tests/test_browser_fresh_server.py opens it)."""
    app = (ROOT / "app.py").read_text()
    registered = re.findall(r'st\.Page\("pages/([^"]+)\.py"(.*?)\)', app, flags=re.S)
    assert sorted(name + ".py" for name, _ in registered) == sorted(p.name for p in (ROOT / "pages").glob("*.py"))
    for name, arguments in registered:
        url_path = re.search(r'url_path="([^"]*)"', arguments)
        if "default=True" in arguments:
            continue                    # the overview is the app's root, /
        assert url_path and url_path.group(1) == name, f"pages/{name}.py is served at {url_path and url_path.group(1)}"


def test_home_opens_and_links_to_the_first_lesson():
    at = open_page("pages/home.py")
    assert_clean(at)
    assert "Adam" in at.title[0].value


@pytest.fixture(scope="module")
def flagship():
    at = open_page(FLAGSHIP)
    assert_clean(at)
    return at


def test_flagship_default_scene_is_the_classic_lesson(flagship):
    """x0 = 8, α = 0.1, 50 steps on (x-2)²; the paths are the core's numbers."""
    paths = figures(flagship)[0]
    surface = opt.surfaces.get("parabola")
    for label, optimizer in zip(LABELS, (opt.sgd(0.1), opt.sgd(0.1, momentum=0.9), opt.rmsprop(0.1),
                                         opt.adam(0.1))):
        expected = opt.run(optimizer, surface.grad, [8.0], 50, loss_fn=surface.loss)
        drawn = trace(paths, label)
        np.testing.assert_array_equal(values(drawn["x"]), expected.params[:, 0])
        np.testing.assert_array_equal(values(drawn["y"]), expected.losses)
    assert len(paths["frames"]) == 51


def test_flagship_progress_panels_are_the_core_losses_and_distances(flagship):
    """Left panel f(θₜ) − f*, right panel |θₜ − 2|: the same runs that draw the paths."""
    progress = figures(flagship)[1]
    surface = opt.surfaces.get("parabola")
    expected = opt.run(opt.adam(0.1), surface.grad, [8.0], 50, loss_fn=surface.loss)
    adam = [t for t in progress["data"] if t["name"] == "Adam"]
    assert [(t["xaxis"], t["yaxis"]) for t in adam] == [("x", "y"), ("x2", "y2")]
    np.testing.assert_array_equal(values(adam[0]["y"]), expected.losses - surface.min_value)
    np.testing.assert_array_equal(values(adam[1]["y"]), np.abs(expected.params[:, 0] - 2.0))
    assert progress["layout"]["yaxis"]["type"] == progress["layout"]["yaxis2"]["type"] == "log"


def test_flagship_links_on_to_the_first_idea_and_home(flagship):
    assert [link.proto.page for link in flagship.get("page_link")][-2:] == ["momentum", ""]


def test_flagship_prints_the_first_steps_the_core_computed(flagship):
    table = flagship.table[0].value
    first = dict(zip(table["optimizer"], table["size of step 1 |θ₁ − θ₀|"]))
    assert first["SGD"] == "1.2"           # α·|g| = 0.1·12
    assert first["Adam"] == "0.1"          # α·sign(g)
    assert first["RMSprop"] == "1"         # α/√(1−ρ) · sign(g), no correction


def test_changing_a_slider_changes_the_figure_data(flagship):
    before = values(trace(figures(flagship)[0], "SGD")["x"])
    flagship.select_slider(key="vs_parabola_sgd_lr").set_value(0.2).run()
    assert_clean(flagship)
    after = values(trace(figures(flagship)[0], "SGD")["x"])
    assert after[1] == pytest.approx(8.0 - 0.2 * 12.0)
    assert not np.array_equal(before, after)


@pytest.mark.parametrize("surface", ["Two wells", "Ill-conditioned bowl", "Rosenbrock", "Saddle", "Beale"])
def test_one_click_switches_to_another_surface(surface):
    at = open_page(FLAGSHIP)
    at.get("button_group")[0].set_value(next(k for k in opt.surfaces.SURFACES
                                             if opt.surfaces.get(k).title == surface)).run()
    assert_clean(at)
    figure = figures(at)[0]
    dim = opt.surfaces.get(next(k for k in opt.surfaces.SURFACES if opt.surfaces.get(k).title == surface)).dim
    if dim == 2:
        assert figure["layout"]["images"][0]["source"].startswith("data:image/png;base64,")
        assert "frames" in figure and all(len(f["data"]) == 4 for f in figure["frames"])
    assert {t["name"] for t in figure["data"]} >= set(LABELS)


def _every_slider(at):
    return [(s, s.min, s.max) for s in at.slider] + [(s, s.options[0], s.options[-1]) for s in at.select_slider]


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    """Each slider alone at its minimum or maximum: no traceback, the figure still renders."""
    at = open_page(FLAGSHIP)
    keys = [s.key for s, _, _ in _every_slider(at)]
    assert len(keys) >= 10
    for key in keys:
        slider = next(s for s, _, _ in _every_slider(at) if s.key == key)
        low, high = (slider.min, slider.max) if hasattr(slider, "min") else (None, None)
        if low is None:
            options = [float(o) for o in slider.options]
            low, high = min(options), max(options)
        slider.set_value(low if end == "min" else high).run()
        assert_clean(at)
        assert len(figures(at)) == 2


def test_all_sliders_at_their_extremes_at_once_show_messages_not_tracebacks():
    """α = 10, ε = 0, β₂ = 0.99999, momentum 0.99, 1000 steps: divergence is reported in words."""
    at = open_page(FLAGSHIP)
    for slider in at.select_slider:
        if slider.key.endswith("_lr"):
            slider.set_value(10.0)
        elif slider.key.endswith("_eps"):
            slider.set_value(0.0)
        else:
            slider.set_value(0.99999)
    at.slider(key="vs_parabola_steps").set_value(1000)
    at.slider(key="vs_parabola_momentum_mu").set_value(0.99)
    at.run()
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "SGD diverged at step" in warnings
    figure = figures(at)[0]
    assert any("diverged at step" in a["text"] for a in figure["layout"]["annotations"])


def test_a_malformed_link_falls_back_to_the_default_with_a_notice():
    at = open_page(FLAGSHIP, {"vs_parabola_adam_lr": "banana", "vs_parabola_steps": "-7"})
    assert_clean(at)
    notices = " ".join(i.value for i in at.info)
    assert "banana" in notices and "vs_parabola_steps" in notices
    assert "**steps**" in notices           # the setting's own label, not only its URL key
    assert at.select_slider(key="vs_parabola_adam_lr").value == 0.1
    assert at.slider(key="vs_parabola_steps").value == 50


def test_a_link_sets_the_scene():
    at = open_page(FLAGSHIP, {"vs_parabola_adam_lr": "0.5", "vs_parabola_steps": "20"})
    assert_clean(at)
    adam = values(trace(figures(at)[0], "Adam")["x"])
    assert len(adam) == 21 and adam[1] == pytest.approx(8.0 - 0.5, rel=1e-6)


def test_the_reveal_quotes_the_core_first_steps_on_the_scaled_loss(flagship):
    """Adam's first step on 10·f is the core's number, and the same size as on f; SGD's is 10× larger."""
    flagship.radio(key="vs_q1_pick").set_value("It stays the same size").run()
    flagship.button(key="vs_q1_reveal").click().run()
    assert_clean(flagship)
    assert any("Right" in s.value for s in flagship.success)
    surface = opt.surfaces.get("parabola")
    lr = flagship.select_slider(key="vs_parabola_adam_lr").value
    scaled = opt.run(opt.adam(lr), lambda x: 10 * surface.grad(x), [8.0], 1)
    adam_step = abs(scaled.params[1, 0] - scaled.params[0, 0])
    sgd_lr = flagship.select_slider(key="vs_parabola_sgd_lr").value
    text = " ".join(m.value for m in flagship.markdown)
    assert f"**{adam_step:.6g}** on 10·f" in text
    assert f"**{sgd_lr * 120:.6g}**" in text
