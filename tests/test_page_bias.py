"""The bias-correction lesson through app.py with AppTest: every number it prints is the core's."""

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, figures, markdown, open_page, trace, values, widget

PAGE = "pages/bias-correction.py"
RUNS = ("both corrected", "none", "only m corrected", "only v corrected")
SWITCHES = ((True, True), (False, False), (True, False), (False, True))
CURVES, MOMENTS, FOUR_RUNS, SPIKE = range(4)




def column(at, index, name):
    table = at.dataframe[index].value
    return dict(zip(table["corrections"], table[name]))


def own_run(lr, beta1, beta2, eps, steps, correct_m, correct_v):
    """One run of the four, on its own (scalar switches), to check the page's batched call."""
    surface = opt.surfaces.get("parabola")
    return opt.run(opt.adam(lr, beta1, beta2, eps, correct_m=correct_m, correct_v=correct_v), surface.grad,
                   [8.0], steps, keep_state=True)


class Spike:
    def __init__(self, zeros, g):
        self.zeros, self.g, self.calls = zeros, g, 0

    def __call__(self, params):
        self.calls += 1
        return np.full(np.shape(params), self.g if self.calls == self.zeros + 1 else 0.0)


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


def test_opens_with_four_charts_and_links_on_and_back_to_the_flagship(page):
    assert page.title[0].value == "Bias correction"
    assert len(figures(page)) == 4
    targets = {link.proto.page for link in page.get("page_link")}
    assert {"inside-adam", "adam-vs-sgd"} <= targets


def test_shows_the_source_of_the_correction_the_runs_used(page):
    code = "\n".join(c.value for c in page.code)
    assert "def bias_correction(beta" in code      # type hints may follow the names
    assert "def adam(" in code and "correct_m" in code and "bias_correction(" in code


def test_printed_first_steps_are_the_core_and_the_closed_forms(page):
    """1, 3.16, 31.6 and 0.1 times α at α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8."""
    core = column(page, 0, "first step / α (core)")
    closed = column(page, 0, "closed form / α (ε → 0)")
    for label, (cm, cv) in zip(RUNS, SWITCHES):
        traj = own_run(0.1, 0.9, 0.999, 1e-8, 1, cm, cv)
        assert core[label] == pytest.approx(abs(traj.params[1, 0] - 8.0) / 0.1, rel=1e-12)
    expected = {"both corrected": 1.0, "none": 0.1 / np.sqrt(0.001), "only m corrected": 1 / np.sqrt(0.001),
                "only v corrected": 0.1}
    for label, value in expected.items():
        assert closed[label] == pytest.approx(value, rel=1e-12)
        assert core[label] == pytest.approx(value, rel=1e-6)      # ε = 1e-8 against |g₁| = 12
    assert core["none"] == pytest.approx(3.16, abs=0.005) and core["only m corrected"] == pytest.approx(31.6, abs=0.05)
    text = markdown(page)
    assert "**3.162α**" in text and "**31.62α**" in text and "**0.1α**" in text and "**α**" in text and "**1α**" not in text


def test_the_four_paths_are_the_core_runs(page):
    figure = figures(page)[FOUR_RUNS]
    for label, (cm, cv) in zip(RUNS, SWITCHES):
        traj = own_run(0.1, 0.9, 0.999, 1e-8, 100, cm, cv)
        np.testing.assert_allclose(values(trace(figure, label)["x"]), np.arange(101))
        np.testing.assert_allclose(values(trace(figure, label)["y"]), traj.params[:, 0], rtol=1e-12)


def test_the_curves_are_one_minus_beta_to_the_t(page):
    figure = figures(page)[CURVES]
    for name, beta in (("1 − β₁ᵗ  (β₁ = 0.9)", 0.9), ("1 − β₂ᵗ  (β₂ = 0.999)", 0.999)):
        drawn = trace(figure, name)
        t = values(drawn["x"])
        np.testing.assert_allclose(values(drawn["y"]), opt.bias_correction(beta, t), rtol=1e-12)
        assert t[0] == 1 and t[-1] >= 5 / (1 - 0.999)
    text = markdown(page)
    assert "**t = 7**" in text and "**t = 693**" in text          # first t with 1 − βᵗ ≥ ½
    assert 1 - 0.9**7 >= 0.5 > 1 - 0.9**6 and 1 - 0.999**693 >= 0.5 > 1 - 0.999**692
    assert f"**{opt.bias_correction(0.999, 10):.4g}**" in text


def test_the_moments_are_the_core_state_and_the_first_corrected_ones_equal_g(page):
    figure = figures(page)[MOMENTS]
    traj = own_run(0.1, 0.9, 0.999, 1e-8, 100, True, True)
    for name, key in (("m (raw)", "m"), ("m̂ = m / (1 − β₁ᵗ)", "m_hat"), ("v (raw)", "v"),
                      ("v̂ = v / (1 − β₂ᵗ)", "v_hat")):
        np.testing.assert_allclose(values(trace(figure, name)["y"]), traj.states[key][:, 0], rtol=1e-12)
    assert traj.states["m_hat"][0, 0] == pytest.approx(12.0) and traj.states["v_hat"][0, 0] == pytest.approx(144.0)
    text = markdown(page)
    assert "g₁ = **12**" in text and "m₁ = 1.2" in text and "v₁ = 0.144" in text
    assert "m̂₁ = **12**" in text and "v̂₁ = **144**" in text
    assert f"1 − β₂ᵗ = **{1 - 0.999**100:.4g}**" in text and f"1 − β₁ᵗ = **{1 - 0.9**100:.4g}**" in text
    np.testing.assert_allclose(traj.states["v"][-1, 0] / traj.states["v_hat"][-1, 0], 1 - 0.999**100)


def test_the_spike_step_is_the_core_and_the_closed_form(page):
    steps = column(page, 1, "step at the spike / α (core)")
    closed = column(page, 1, "closed form / α (ε → 0)")
    total = column(page, 1, "whole move from the spike on (61 steps) / α")
    t = 1001
    for label, on in (("both corrected", True), ("none", False)):
        traj = opt.run(opt.adam(0.1, correct_m=on, correct_v=on), Spike(1000, 1.0), [0.0], t + 60)
        assert steps[label] == pytest.approx((traj.params[t - 1, 0] - traj.params[t, 0]) / 0.1, rel=1e-12)
        assert total[label] == pytest.approx((traj.params[t - 1, 0] - traj.params[-1, 0]) / 0.1, rel=1e-12)
    assert closed["both corrected"] == pytest.approx(0.1 / (1 - 0.9**t) / np.sqrt(0.001 / (1 - 0.999**t)))
    assert closed["none"] == pytest.approx(0.1 / np.sqrt(0.001))
    assert steps["both corrected"] == pytest.approx(closed["both corrected"], rel=1e-6)
    assert steps["both corrected"] == pytest.approx(2.515, abs=0.001)
    text = markdown(page)
    assert f"**{steps['both corrected']:.4g}α**" in text and f"**{total['none']:.4g}α**" in text
    figure = figures(page)[SPIKE]
    drawn = trace(figure, "both corrected")
    spike_index = list(values(drawn["x"])).index(t)
    assert values(drawn["y"])[spike_index] == pytest.approx(steps["both corrected"], rel=1e-12)


def test_a_changed_slider_changes_the_figures_and_the_numbers():
    at = open_page(PAGE)
    before = [values(trace(figures(at)[FOUR_RUNS], label)["y"]) for label in RUNS]
    at.select_slider(key="bias_beta2").set_value(0.9999).run()
    assert_clean(at)
    after = [values(trace(figures(at)[FOUR_RUNS], label)["y"]) for label in RUNS]
    assert not np.array_equal(before[1], after[1])
    core = column(at, 0, "first step / α (core)")
    assert core["none"] == pytest.approx(0.1 / np.sqrt(1e-4), rel=1e-6)           # 10α
    assert core["only m corrected"] == pytest.approx(1 / np.sqrt(1e-4), rel=1e-6)  # 100α
    assert core["both corrected"] == pytest.approx(1.0, rel=1e-6)
    assert "(β₂ = 0.9999)" in str(figures(at)[CURVES]["data"])

    spike_before = values(trace(figures(at)[SPIKE], "none")["x"])
    at.select_slider(key="bias_zeros").set_value(100).run()
    assert_clean(at)
    assert not np.array_equal(spike_before, values(trace(figures(at)[SPIKE], "none")["x"]))


def _every_slider(at):
    """(key, low, high) for every slider; a select slider's ends are its first and last option values."""
    ends = [(s.key, s.min, s.max) for s in at.slider]
    for s in at.select_slider:
        options = [float(o) for o in s.options]
        ends.append((s.key, min(options), max(options)))
    return ends


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    """Each slider alone at its minimum or maximum: no traceback, all four figures still drawn."""
    at = open_page(PAGE)
    sliders = _every_slider(at)
    assert {key for key, _, _ in sliders} == {"bias_lr", "bias_beta1", "bias_beta2", "bias_eps", "bias_steps",
                                              "bias_zeros", "bias_spike"}
    for key, low, high in sliders:
        widget(at, key).set_value(low if end == "min" else high).run()
        assert_clean(at)
        assert len(figures(at)) == 4, key


def test_eps_zero_on_the_zero_gradients_is_a_sentence_not_a_traceback():
    at = open_page(PAGE)
    at.select_slider(key="bias_eps").set_value(0.0).run()
    assert_clean(at)
    assert any("0/0" in w.value for w in at.warning)


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"bias_lr": "banana"})
    assert_clean(at)
    assert any("banana" in i.value for i in at.info)
    assert at.select_slider(key="bias_lr").value == 0.1


def test_the_reveal_quotes_the_core_numbers(page):
    page.radio(key="bias_q1_pick").set_value("larger than α: about 3.2α").run()
    page.button(key="bias_q1_reveal").click().run()
    assert_clean(page)
    assert any("Right" in s.value for s in page.success)
    text = markdown(page)
    assert "uncorrected first step of **3.162α**" in text
    assert "m₁ is 0.1·g₁" in text and "√v₁ is only 0.03162·|g₁|" in text
    assert "(1 − β₁)/√(1 − β₂) = 3.162" in text
