"""The AdamW lesson through app.py: the decay law (1 − αλ)^k and the rescaling claim, in the page's
figure data and printed numbers, checked against core runs made here."""

import numpy as np
import pytest

import optimizers as opt
from ui.divergence import short_number
from apptest_helpers import assert_clean, assert_setting_redraws, figures, markdown, open_page, trace, values, widget

PAGE = "pages/adamw.py"
DECAY, SCALE = range(2)
DEFAULTS = dict(lr=0.05, wd=0.1, steps=200, scale=0.1, run_steps=500)
WEIGHTS = np.array([4.0, 1.0, 0.25])
SCALES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)


def zero_gradient(decoupled, lr=DEFAULTS["lr"], wd=DEFAULTS["wd"], steps=DEFAULTS["steps"]):
    """One optimizer on ∇f = 0, run here (not through the page's batched call)."""
    o = opt.adamw(lr, weight_decay=wd) if decoupled else opt.adam(lr, weight_decay=wd)
    return opt.run(o, np.zeros_like, WEIGHTS, steps).params


def on_scaled_parabola(decoupled, c, lr=DEFAULTS["lr"], wd=DEFAULTS["wd"], steps=DEFAULTS["run_steps"]):
    o = opt.adamw(lr, weight_decay=wd) if decoupled else opt.adam(lr, weight_decay=wd)
    return opt.run(o, lambda x: c * 2 * (x - 2), np.array([8.0]), steps).params[:, 0]


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


def test_opens_with_two_charts_and_a_link_to_the_next_lesson(page):
    assert page.title[0].value == "AdamW against Adam + L2"
    assert len(figures(page)) == 2
    assert any(link.proto.page == "amsgrad" for link in page.get("page_link"))


def slider_keys(block):
    return {s.key for s in block.slider} | {s.key for s in block.select_slider}


def test_the_settings_are_in_the_page_not_in_the_sidebar_drawer(page):
    """On a phone the drawer covered the charts, and Tab reached it after every lesson link; keys unchanged."""
    settings = ("adamw_lr", "adamw_wd")
    assert not set(settings) & slider_keys(page.sidebar)
    assert set(settings) <= slider_keys(page.main)


# ---- the decay law ---------------------------------------------------------------------------

def test_adamw_follows_the_decay_law_exactly_and_adam_l2_does_not():
    """Independent derivation: with g = 0 AdamW's update is −αλθ, so θ_k = θ₀(1 − αλ)^k."""
    lr, wd, steps = DEFAULTS["lr"], DEFAULTS["wd"], DEFAULTS["steps"]
    law = WEIGHTS * (1 - lr * wd) ** np.arange(steps + 1)[:, None]
    np.testing.assert_allclose(zero_gradient(True), law, rtol=1e-12)
    l2 = zero_gradient(False)
    # Adam + L2: the first step is α·sign(θ) for every weight (a distance, not a fraction) ...
    np.testing.assert_allclose(WEIGHTS - l2[1], lr, rtol=1e-6)
    # ... and the weights do not keep their ratios.
    assert not np.allclose(l2[40] / WEIGHTS, (l2[40] / WEIGHTS)[0], rtol=1e-2)


@pytest.mark.parametrize("lr, wd", [(0.05, 0.1), (0.01, 1.0), (0.2, 0.03)])
def test_decay_law_holds_for_other_settings(lr, wd):
    law = WEIGHTS * (1 - lr * wd) ** np.arange(101)[:, None]
    np.testing.assert_allclose(zero_gradient(True, lr, wd, 100), law, rtol=1e-12)


def test_the_decay_chart_draws_the_core_numbers(page):
    figure = figures(page)[DECAY]
    for row, decoupled in ((0, False), (1, True)):
        label = ("Adam + L2", "AdamW")[row]
        core = zero_gradient(decoupled)
        for j, w in enumerate(WEIGHTS):
            np.testing.assert_array_equal(values(trace(figure, f"{label}: θ₀ = {w:g}")["y"]), core[:, j])


def test_printed_fractions_are_the_core_numbers(page):
    text = markdown(page)
    adamw, l2 = zero_gradient(True)[-1] / WEIGHTS, zero_gradient(False)[-1] / WEIGHTS
    assert ", ".join(short_number(r) for r in adamw) in text
    assert ", ".join(short_number(r) for r in l2) in text
    assert f"= **{(1 - 0.005) ** 200:.4g}**" in text


def test_lambda_hardly_moves_adam_l2_but_moves_adamw():
    """The page's claim 'change λ: the left panel hardly moves, the right one does', from the core."""
    l2 = [zero_gradient(False, wd=wd)[-1] for wd in (0.01, 1.0)]
    w = [zero_gradient(True, wd=wd)[-1] for wd in (0.01, 1.0)]
    assert np.max(np.abs(l2[0] - l2[1])) < 0.1
    assert np.min(np.abs(w[0] - w[1])) > 0.2
    at = open_page(PAGE, {"adamw_wd": "1"})
    assert_clean(at)
    np.testing.assert_array_equal(values(trace(figures(at)[DECAY], "AdamW: θ₀ = 4")["y"]),
                                  zero_gradient(True, wd=1.0)[:, 0])


# ---- the rescaling claim -------------------------------------------------------------------------

def test_rescaling_moves_adam_l2_and_not_adamw():
    """AdamW on c·f: the same end point for every c (up to ε); Adam + L2 settles at 4c/(2c + λ)."""
    adamw = np.array([on_scaled_parabola(True, c)[-1] for c in SCALES])
    l2 = np.array([on_scaled_parabola(False, c)[-1] for c in SCALES])
    assert np.ptp(adamw) < 1e-6
    assert np.ptp(l2) > 1.5
    expected = 4 * np.array(SCALES) / (2 * np.array(SCALES) + DEFAULTS["wd"])   # ∇(c·f + λθ²/2) = 0
    np.testing.assert_allclose(l2, expected, atol=0.01)


def test_the_scale_chart_and_printed_numbers_are_the_core_numbers(page):
    figure = figures(page)[SCALE]
    c = DEFAULTS["scale"]
    for label, decoupled in (("Adam + L2", False), ("AdamW", True)):
        np.testing.assert_array_equal(values(trace(figure, f"{label} on c·f")["y"]), on_scaled_parabola(decoupled, c))
        np.testing.assert_array_equal(values(trace(figure, f"{label} on f (c = 1)")["y"]),
                                      on_scaled_parabola(decoupled, 1.0))
        finals = values(trace(figure, f"{label}: final θ")["y"])
        np.testing.assert_array_equal(finals, [on_scaled_parabola(decoupled, s)[-1] for s in SCALES])
    text = markdown(page)
    assert f"Adam + L2 ends at **θ = {on_scaled_parabola(False, c)[-1]:.5g}**" in text
    assert f"AdamW at **θ = {on_scaled_parabola(True, c)[-1]:.5g}**" in text


def test_moving_c_moves_adam_l2s_line_and_not_adamws():
    at = open_page(PAGE)
    before = figures(at)[SCALE]
    at.select_slider(key="adamw_scale").set_value(100.0).run()
    assert_clean(at)
    after = figures(at)[SCALE]
    assert values(trace(after, "Adam + L2 on c·f")["y"]).tolist() != values(trace(before, "Adam + L2 on c·f")["y"]).tolist()
    np.testing.assert_allclose(values(trace(after, "AdamW on c·f")["y"]), values(trace(before, "AdamW on c·f")["y"]),
                               atol=1e-6)


# ---- controls ------------------------------------------------------------------------------------

def _every_slider(at):
    return [(s.key, s.min, s.max) for s in at.slider] + \
           [(s.key, min(map(float, s.options)), max(map(float, s.options))) for s in at.select_slider]


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    at = open_page(PAGE)
    sliders = _every_slider(at)
    assert {key for key, _, _ in sliders} == {"adamw_lr", "adamw_wd", "adamw_steps", "adamw_scale", "adamw_run_steps"}
    for key, low, high in sliders:
        widget(at, key).set_value(low if end == "min" else high).run()
        assert_clean(at)
        assert len(figures(at)) == 2, key


def test_huge_alpha_lambda_is_explained():
    at = open_page(PAGE, {"adamw_lr": "10", "adamw_wd": "1"})
    assert_clean(at)
    assert any("α·λ > 1" in w.value and "grow" in w.value for w in at.warning)


@pytest.mark.parametrize("key, value, chart", [("adamw_lr", 0.1, DECAY), ("adamw_wd", 0.3, DECAY),
                                               ("adamw_steps", 50, DECAY), ("adamw_scale", 10.0, SCALE),
                                               ("adamw_run_steps", 100, SCALE)])
def test_changing_a_slider_changes_the_figure_data(key, value, chart):
    assert_setting_redraws(open_page(PAGE), key, value, chart)


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"adamw_wd": "lots"})
    assert_clean(at)
    assert any("lots" in i.value for i in at.info)
    assert at.select_slider(key="adamw_wd").value == DEFAULTS["wd"]


def test_the_reveal_quotes_the_core():
    at = open_page(PAGE)
    at.radio(key="adamw_q1_pick").set_value("About 4 − 40α = 2: it moves about α per step").run()
    at.button(key="adamw_q1_reveal").click().run()
    assert_clean(at)
    assert any("Right" in s.value for s in at.success)
    l2 = opt.run(opt.adam(0.05, weight_decay=0.1), np.zeros_like, np.array([4.0]), 40).params[-1, 0]
    assert abs(l2 - 2.0) < 0.2                                   # about 4 − 40α
    assert f"Adam + L2 ends at **θ = {l2:.4g}**" in markdown(at)
