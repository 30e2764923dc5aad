"""The momentum lesson through AppTest: opens, survives every slider's extremes, reacts, prints the core's numbers."""

import re

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, figures, markdown, open_page, trace, values
from optimizers import theory

PAGE = "pages/momentum.py"
BOWL = opt.surfaces.get("bowl")
EIGENVALUES = BOWL.hessian_eigenvalues
SLIDERS = ("mom_beta", "mom_lr", "mom_mu", "mom_steps")




def core_distances(lr, mu, steps):
    traj = opt.run(opt.sgd(lr, momentum=mu), BOWL.grad, np.array(BOWL.start), steps)
    return traj.params, BOWL.distance_to_minimum(traj.params)


@pytest.fixture(scope="module")
def lesson():
    at = open_page(PAGE)
    assert_clean(at)
    return at


def test_opens_with_five_figures_and_every_slider(lesson):
    assert lesson.title[0].value == "Momentum"
    assert len(figures(lesson)) == 5
    assert {s.key for s in lesson.slider} == set(SLIDERS)
    assert "torch's form" in markdown(lesson)


def test_the_paths_are_the_core_numbers(lesson):
    """Defaults α = 0.18, μ = 0.5, 100 steps; GD, heavy ball and the optimum as the core runs them."""
    paths = figures(lesson)[2]
    lr_opt, mu_opt, _ = theory.optimal_heavy_ball(EIGENVALUES)
    for name, (lr, mu) in {"SGD, μ = 0": (0.18, 0.0), "heavy ball, μ = 0.5": (0.18, 0.5),
                           "optimal α*, μ*": (lr_opt, mu_opt)}.items():
        params, _ = core_distances(lr, mu, 100)
        drawn = trace(paths, name)
        np.testing.assert_array_equal(values(drawn["x"]), params[:, 0])
        np.testing.assert_array_equal(values(drawn["y"]), params[:, 1])
    ghosts = values(trace(paths, "other μ (0.1 … 0.99)")["x"])
    assert ghosts.size == 11 * 102          # 11 settings of μ, 101 points and a NaN break each
    params, _ = core_distances(0.18, 0.9, 100)
    np.testing.assert_array_equal(ghosts[8 * 102: 9 * 102 - 1], params[:, 0])


def test_printed_numbers_equal_the_core(lesson):
    text = markdown(lesson)
    # section 1: window, weight share, the two buffers after 100 steps of g = 1
    assert "**1/(1−μ) = 10 steps**" in text
    assert f"**{theory.weight_share(0.9, 10):.1%}**" in text
    buf = opt.run(opt.sgd(1.0, momentum=0.9), lambda p: np.ones_like(p), np.zeros(1), 100,
                  keep_state=True).states["buf"][-1, 0]
    m = 0.0
    for _ in range(100):
        m = opt.ema(m, 1.0, 0.9)
    assert f"**b = {buf:.6g}**" in text and f"**m = {m:.6g}**" in text
    # section 2: predicted and measured rates, the regimes, the optimum
    _, heavy = core_distances(0.18, 0.5, 100)
    _, plain = core_distances(0.18, 0.0, 100)
    assert f"Predicted rate **{theory.rate(0.18, 0.5, EIGENVALUES):.4f}**" in text
    assert f"measured **{theory.measured_rate(heavy):.4f}**" in text
    assert f"measured {theory.measured_rate(plain):.4f}" in text
    assert "**ripples** regime" in text
    lr_opt, mu_opt, rate_opt = theory.optimal_heavy_ball(EIGENVALUES)
    assert f"√0.9 = {np.sqrt(0.9):.4f}" in text
    assert f"**{lr_opt:.4f}**" in text and f"**{mu_opt:.4f}**" in text and f"**{rate_opt:.4f}**" in text
    table = lesson.dataframe[0].value
    assert list(table["predicted rate max|z|"]) == pytest.approx(
        [theory.rate(0.18, 0.0, EIGENVALUES), theory.rate(0.18, 0.5, EIGENVALUES),
         theory.rate(lr_opt, mu_opt, EIGENVALUES)], rel=1e-12)
    assert table["measured rate (last half)"][1] == theory.measured_rate(heavy)
    assert list(table["regime along λ = 10"][:2]) == ["zigzag", "ripples"]


def test_predicted_and_measured_rates_agree_at_the_default(lesson):
    table = lesson.dataframe[0].value
    for predicted, measured in zip(table["predicted rate max|z|"][:2], table["measured rate (last half)"][:2]):
        assert measured == pytest.approx(predicted, rel=0.01)


@pytest.mark.parametrize("key, value, figure", [("mom_beta", 0.5, 0), ("mom_mu", 0.8, 2), ("mom_lr", 0.1, 2),
                                                ("mom_steps", 200, 3)])
def test_changing_a_slider_changes_the_figure_data(key, value, figure):
    at = open_page(PAGE)
    before = figures(at)[figure]["data"]
    at.slider(key=key).set_value(value).run()
    assert_clean(at)
    after = figures(at)[figure]["data"]
    assert after != before


def test_the_beta_slider_moves_the_window_and_the_weights():
    at = open_page(PAGE)
    at.slider(key="mom_beta").set_value(0.5).run()
    weights = figures(at)[0]
    np.testing.assert_allclose(values(weights["data"][0]["y"]), theory.ema_weights(0.5, 150), rtol=1e-12)
    assert values(weights["data"][1]["x"])[0] == pytest.approx(2.0)
    assert "**1/(1−μ) = 2 steps**" in markdown(at)


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    at = open_page(PAGE)
    for key in SLIDERS:
        slider = at.slider(key=key)
        slider.set_value(slider.min if end == "min" else slider.max).run()
        assert_clean(at)
        assert len(figures(at)) == 5


def test_all_extremes_at_once_show_sentences_not_tracebacks():
    """α = 0.45 with μ = 0: αλ = 4.5 ≥ 2 along λ = 10, so GD overflows; the page says so in words."""
    at = open_page(PAGE)
    at.slider(key="mom_lr").set_value(0.45)
    at.slider(key="mom_mu").set_value(0.0)
    at.slider(key="mom_steps").set_value(500)
    at.run()
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "diverged at step" in warnings and "unstable" in warnings
    table = at.dataframe[0].value
    assert table["regime along λ = 10"][1] == "diverges"
    assert table["measured rate (last half)"][1] == np.inf


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"mom_mu": "banana", "mom_lr": "0.2"})
    assert_clean(at)
    assert "banana" in " ".join(i.value for i in at.info)
    assert at.slider(key="mom_mu").value == 0.5 and at.slider(key="mom_lr").value == 0.2


def test_the_reveal_quotes_the_core_rates_and_mu_06_wins(lesson):
    lesson.radio(key="mom_q1_pick").set_value("μ = 0.6").run()
    lesson.button(key="mom_q1_reveal").click().run()
    assert_clean(lesson)
    assert any("Right" in s.value for s in lesson.success)
    mus = (0.0, 0.3, 0.6, 0.9)
    traj = opt.run(opt.sgd(0.1, momentum=np.array(mus)[:, None]), BOWL.grad, np.tile(BOWL.start, (4, 1)), 200)
    distances = BOWL.distance_to_minimum(traj.params)
    text = markdown(lesson)
    for b, mu in enumerate(mus):
        assert f"μ = {mu:g}: **{theory.measured_rate(distances[:, b]):.4f}**" in text
    quoted = [float(r) for r in re.findall(r"μ = [\d.]+: \*\*([\d.]+)\*\*", text)]
    assert min(quoted) == quoted[2]


def cie_lab(colour):
    """CIE L*a*b* (D65) of a "#rrggbb" colour."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ linear
    f = np.cbrt(xyz / [0.95047, 1.0, 1.08883])
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def legend_colours(figure):
    """{legend name: colour} of a figure's legend entries (a line's colour, else its marker's)."""
    entries = {}
    for t in figure["data"]:
        if t.get("showlegend", True) and t.get("name") and t.get("type", "scatter") == "scatter":
            line, marker = t.get("line", {}), t.get("marker", {})
            colour = line.get("color") if "lines" in t.get("mode", "lines") else marker.get("color")
            if isinstance(colour, str):
                entries[t["name"]] = colour.upper()
    return entries


def test_every_legend_entry_has_a_colour_of_its_own(lesson):
    """Two series in one legend differ in colour by ΔE*ab ≥ 20 (sky blue and Okabe–Ito blue, 10, read as one)."""
    for figure in figures(lesson):
        entries = legend_colours(figure)
        close = [(a, b, round(float(np.linalg.norm(cie_lab(entries[a]) - cie_lab(entries[b]))), 1))
                 for i, a in enumerate(entries) for b in list(entries)[i + 1:]
                 if np.linalg.norm(cie_lab(entries[a]) - cie_lab(entries[b])) < 20]
        assert close == [], f"legend entries drawn in near-identical colours: {close}"
