"""The AMSGrad lesson through app.py: Adam ends near +1 and AMSGrad near −1 in the page's figure and
printed numbers, checked against per-scalar loops written here from the paper's setting."""

import math

import numpy as np
import pytest

from ui.divergence import short_number
from apptest_helpers import assert_clean, assert_setting_redraws, figures, markdown, open_page, trace, values, widget

PAGE = "pages/amsgrad.py"
DEFAULTS = dict(C=3.0, steps=1500, lr=0.5)


def paper_loop(C, steps, alpha, amsgrad):
    """Theorem 1's setting, one float at a time: β₁ = 0, β₂ = 1/(1+C²), α/√t, projection on [−1, 1].

    With torch's numerics (v̂ = v/(1 − β₂ᵗ), ε = 1e-8 outside the root), as the page says.
    Returns the points x_1 … x_{steps+1} and v_t, v_max_t.
    """
    beta2 = 1 / (1 + C * C)
    x, v, v_max = 0.0, 0.0, 0.0
    xs, vs, maxes = [x], [], []
    for t in range(1, steps + 1):
        g = C if t % 3 == 1 else -1.0
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        second = v_max if amsgrad else v
        x = min(1.0, max(-1.0, x - alpha / math.sqrt(t) * g / (math.sqrt(second / (1 - beta2**t)) + 1e-8)))
        xs.append(x)
        vs.append(v)
        maxes.append(v_max)
    return np.array(xs), np.array(vs), np.array(maxes)


def regret_over_t(xs, C):
    """R_T/T, by plain summation: Σ f_t(x_t) − min over x ∈ {−1, +1} of Σ f_t(x) (f is linear)."""
    out, played, total_slope = [], 0.0, 0.0
    for t, x in enumerate(xs, start=1):
        slope = C if t % 3 == 1 else -1.0
        played += slope * x
        total_slope += slope
        out.append((played - min(total_slope, -total_slope)) / t)
    return np.array(out)


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


def test_opens_with_one_chart_and_a_link_to_the_next_lesson(page):
    assert page.title[0].value == "AMSGrad's counterexample"
    assert len(figures(page)) == 1
    assert any(link.proto.page in ("schedules", "momentum-schedules") for link in page.get("page_link"))


THEMES = {"light": "#FFFFFF", "dark": "#0E1117"}      # Streamlit's two page backgrounds


def luminance(hex_colour):
    """WCAG relative luminance of ``#RRGGBB``."""
    channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_legend_swatch_is_its_own_and_reads_on_both_themes(page):
    """No two legend entries drawn alike (v_t in Adam's vermillion was the twin of "Adam: x_t"); each
    line holds 3:1 against the light and the dark page."""
    entries = [t for t in figures(page)[0]["data"] if t.get("showlegend", True)]
    styles = [(t["line"]["color"].upper(), t["line"].get("dash", "solid")) for t in entries]
    assert len(set(styles)) == len(styles), styles
    for colour, _ in styles:
        for theme, background in THEMES.items():
            assert contrast(colour, background) >= 3, f"{colour} on the {theme} theme"


def test_the_figure_draws_the_papers_runs(page):
    figure = figures(page)[0]
    C, steps, alpha = DEFAULTS["C"], DEFAULTS["steps"], DEFAULTS["lr"]
    adam_x, adam_v, _ = paper_loop(C, steps, alpha, False)
    ams_x, ams_v, ams_max = paper_loop(C, steps, alpha, True)
    np.testing.assert_allclose(values(trace(figure, "Adam: x_t")["y"]), adam_x, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(values(trace(figure, "AMSGrad: x_t")["y"]), ams_x, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(ams_v, adam_v, rtol=0)        # the gradients do not depend on x
    np.testing.assert_allclose(values(trace(figure, "v_t (the same for both; Adam divides by it)")["y"]), adam_v[:30],
                               rtol=1e-12)   # zoomed to the first 30 steps
    np.testing.assert_allclose(values(trace(figure, "AMSGrad: v_max (divides by)")["y"]), ams_max[:30], rtol=1e-12)
    np.testing.assert_allclose(values(trace(figure, "Adam: R_T/T")["y"]), regret_over_t(adam_x[:-1], C), rtol=1e-10)
    np.testing.assert_allclose(values(trace(figure, "AMSGrad: R_T/T")["y"]), regret_over_t(ams_x[:-1], C),
                               rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("C", [3.0, 5.0])
def test_adam_ends_near_plus_one_and_amsgrad_near_minus_one(C):
    """The paper's outcome (C > 2), on the page and in the loop."""
    at = open_page(PAGE, {"ams_C": str(C)})
    assert_clean(at)
    figure = figures(at)[0]
    assert values(trace(figure, "Adam: x_t")["y"])[-1] == pytest.approx(1.0)
    assert values(trace(figure, "AMSGrad: x_t")["y"])[-1] < -0.98
    adam_x, _, _ = paper_loop(C, DEFAULTS["steps"], DEFAULTS["lr"], False)
    ams_x, _, _ = paper_loop(C, DEFAULTS["steps"], DEFAULTS["lr"], True)
    # R_T/T stays near 2(C − 2)/3 > 0 for Adam and falls toward 0 for AMSGrad.
    adam_r, ams_r = regret_over_t(adam_x[:-1], C), regret_over_t(ams_x[:-1], C)
    assert adam_r[-1] == pytest.approx(2 * (C - 2) / 3, rel=0.05)
    assert ams_r[-1] < 0.05 and ams_r[-1] < ams_r[299] < ams_r[29]
    text = markdown(at)
    assert f"Adam ends at **x = {short_number(adam_x[-1])}**, near +1" in text and f"AMSGrad at **x = {short_number(ams_x[-1])}**" in text
    assert f"**{short_number(adam_r[-1])}** for Adam" in text and f"**{short_number(ams_r[-1])}** for AMSGrad" in text


def test_printed_round_moves_are_the_loops_moves(page):
    """In the last full round: Adam's two up-moves outweigh its down-move; AMSGrad's do not."""
    C, steps, alpha = DEFAULTS["C"], DEFAULTS["steps"], DEFAULTS["lr"]
    beta2 = 1 / (1 + C * C)
    moves = {}
    for amsgrad in (False, True):
        _, v, v_max = paper_loop(C, steps, alpha, amsgrad)
        second = v_max if amsgrad else v
        t = np.arange(1, steps + 1)
        g = np.where(t % 3 == 1, C, -1.0)
        proposed = -alpha / np.sqrt(t) * g / (np.sqrt(second / (1 - beta2**t)) + 1e-8)
        last = 3 * ((steps - 3) // 3)          # t = last + 1 ≡ 1 (mod 3)
        assert (last + 1) % 3 == 1
        moves[amsgrad] = (proposed[last], proposed[last + 1] + proposed[last + 2])
    assert moves[False][1] > -moves[False][0] and moves[True][1] < -moves[True][0]
    text = markdown(page)
    assert f"proposed **{short_number(moves[False][0])}** at the large gradient and **+{short_number(moves[False][1])}**" in text
    assert f"add up to only **+{short_number(moves[True][1])}** against **{short_number(moves[True][0])}**" in text


def _every_slider(at):
    return [(s.key, s.min, s.max) for s in at.slider] + \
           [(s.key, min(map(float, s.options)), max(map(float, s.options))) for s in at.select_slider]


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    at = open_page(PAGE)
    sliders = _every_slider(at)
    assert {key for key, _, _ in sliders} == {"ams_C", "ams_steps", "ams_lr"}
    for key, low, high in sliders:
        widget(at, key).set_value(low if end == "min" else high).run()
        assert_clean(at)
        assert len(figures(at)) == 1, key


@pytest.mark.parametrize("key, value", [("ams_C", 5.0), ("ams_steps", 300), ("ams_lr", 0.1)])
def test_changing_a_slider_changes_the_figure_data(key, value):
    assert_setting_redraws(open_page(PAGE), key, value, 0)


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"ams_C": "1.5"})       # outside [2.1, 10]: the counterexample needs C > 2
    assert_clean(at)
    assert any("“1\\.5”" in i.value for i in at.info)      # quoted as literal text, "." escaped
    assert at.slider(key="ams_C").value == DEFAULTS["C"]


def test_the_reveal_quotes_the_core():
    """The question raises C to 10; the reveal quotes that run, and Adam still ends near +1."""
    at = open_page(PAGE)
    at.radio(key="ams_q1_pick").set_value("Near −1: a gradient that large finally wins").run()
    at.button(key="ams_q1_reveal").click().run()
    assert_clean(at)
    assert any("Near +1, the worst point" in w.value for w in at.warning)
    adam_x, _, _ = paper_loop(10.0, DEFAULTS["steps"], DEFAULTS["lr"], False)
    assert adam_x[-1] > 0.99
    assert f"The core at C = 10: Adam at **x = {short_number(adam_x[-1])}**" in markdown(at)
