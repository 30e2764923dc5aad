"""Every live sentence of the AdamW lesson is true: a slider grid against independent core runs.

The builders (``lessons.adamw``) are pure; the grid feeds them runs made here with
``optimizers.adam(weight_decay=λ)`` and ``optimizers.adamw`` one at a time (not the page's batched
pair) and checks each number and verdict the text states against those runs.
"""

import itertools
import re
from types import SimpleNamespace

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, markdown, open_page

PAGE = "pages/adamw.py"
WEIGHTS = np.array([4.0, 1.0, 0.25])
SCALES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
NUMBER = r"(-?[0-9.]+(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)"
ALPHAS = r"((?:-?[0-9.]+(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?)?)"      # a multiple of α: "0.4" in 0.4α, "" in α
SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def num(text):
    """A number in the course's short style: '2.845×10⁻⁵' -> 2.845e-05, '0.4' -> 0.4, '' (a bare α) -> 1."""
    if text == "":
        return 1.0
    mantissa, _, exponent = text.partition("×10")
    return float(mantissa) * (10.0 ** int(exponent.translate(SUP)) if exponent else 1.0)


def on_zero_gradient(decoupled, lr, wd, steps):
    o = opt.adamw(lr, weight_decay=wd) if decoupled else opt.adam(lr, weight_decay=wd)
    return opt.run(o, np.zeros_like, WEIGHTS, steps).params


def zero_run(lr, wd, steps):
    """The builder's input, made here: θ (steps + 1, 2, 3), the ratios, (1 − αλ)^steps."""
    theta = np.stack([on_zero_gradient(False, lr, wd, steps), on_zero_gradient(True, lr, wd, steps)], axis=1)
    with np.errstate(over="ignore"):
        law = float(np.float64(1 - lr * wd) ** steps)
    return SimpleNamespace(theta=theta, ratio=theta / WEIGHTS, law_ratio=law)


def first_crossing(path):
    k = np.flatnonzero(path[1:] * path[0] <= 0)
    return int(k[0]) + 1 if k.size else None


ZERO_GRID = list(itertools.product((1e-4, 0.05, 1.0, 10.0), (0.0, 1e-3, 0.1, 1.0), (1, 200)))


@pytest.mark.parametrize("lr, wd, steps", ZERO_GRID)
def test_the_zero_gradient_sentence_is_true(lr, wd, steps):
    from lessons import adamw as lesson
    zero = zero_run(lr, wd, steps)
    text = lesson.zero_gradient_sentence(zero, steps, lr, wd, f"{lr:g}", f"{wd:g}")
    if wd == 0:
        assert "no decay and no gradient" in text
        np.testing.assert_array_equal(zero.theta[-1, 0], WEIGHTS)
        np.testing.assert_array_equal(zero.theta[-1, 1], WEIGHTS)
        return
    l2 = zero.theta[:, 0, :]
    for w, k in re.findall(r"θ₀ = ([0-9.]+) at step (\d+)", text):
        j = list(WEIGHTS).index(float(w))
        assert first_crossing(l2[:, j]) == int(k)
    for w, at, mean in re.findall(r"θ₀ = ([0-9.]+) is at " + NUMBER + r", having moved " + ALPHAS + "α", text):
        j = list(WEIGHTS).index(float(w))
        assert first_crossing(l2[:, j]) is None
        assert num(at) == pytest.approx(l2[-1, j], rel=5e-4)
        assert num(mean) == pytest.approx(abs(WEIGHTS[j] - l2[-1, j]) / (steps * lr), rel=5e-3)
        if "Those weights slowed down" in text:
            assert abs(l2[-1, j] - l2[-2, j]) < abs(l2[1, j] - l2[0, j])
    said = len(re.findall(r"θ₀ = [0-9.]+ at step", text)) + len(re.findall(r"θ₀ = [0-9.]+ is at", text))
    assert said == 3
    if "The first step of each is" in text:
        (first,) = re.search(r"The first step of each is " + ALPHAS + "α", text).groups()
        np.testing.assert_allclose(np.abs(l2[1] - WEIGHTS) / lr, num(first), rtol=5e-4)
    if not np.all(np.isfinite(zero.theta[-1, 1])):
        assert "did not stay finite" in text and "One number for all three" not in text
        return
    if 1 - lr * wd == 0:
        assert "sets every weight to exactly 0" in text and np.all(zero.theta[1:, 1] == 0)
    fractions = [num(x) for x in re.search(r"kept the fractions \*\*([^*]+)\*\*", text)
                 .group(1).split(", ")]
    np.testing.assert_allclose(fractions, zero.theta[-1, 1] / WEIGHTS, rtol=5e-4)


def test_adam_l2_on_a_zero_gradient_does_not_depend_on_lambda():
    """The fixed sentence "its run is the same for every λ > 0" (ε aside), at the page's decays."""
    runs = [on_zero_gradient(False, 0.05, wd, 200) for wd in (1e-3, 0.01, 0.03, 0.1, 0.3, 1.0)]
    for other in runs[1:]:
        np.testing.assert_allclose(other, runs[0], atol=1e-4)


def scaled_runs(lr, wd, steps):
    """Both optimizers on c·f from θ₀ = 8 for every c, one run each: θ (steps + 1, 2, 9)."""
    theta = np.empty((steps + 1, 2, len(SCALES)))
    for k, c in enumerate(SCALES):
        for row, decoupled in enumerate((False, True)):
            o = opt.adamw(lr, weight_decay=wd) if decoupled else opt.adam(lr, weight_decay=wd)
            theta[:, row, k] = opt.run(o, lambda x, c=c: c * 2 * (x - 2), np.array([8.0]), steps).params[:, 0]
    return theta


RESCALE_GRID = list(itertools.product((1e-4, 0.05, 1.0, 10.0), (0.0, 0.01, 1.0), (1, 500)))


@pytest.mark.parametrize("lr, wd, steps", RESCALE_GRID)
def test_the_rescale_sentence_and_caption_are_true(lr, wd, steps):
    from lessons import adamw as lesson
    theta = scaled_runs(lr, wd, steps)
    c_all = np.array(SCALES)
    minimum = 4 * c_all / (2 * c_all + wd)
    res = lesson.Rescaled(c_all, theta, theta[-1], minimum, np.full((2, len(SCALES)), -1))
    for c in (0.01, 1.0, 100.0):
        k = SCALES.index(c)
        text = lesson.rescale_sentence(res, c, steps, f"{c:g}")
        end = theta[-1, 0, k]
        if "has settled on it" in text:
            assert abs(end - minimum[k]) <= 0.01
        elif "still" in text:
            (gap,) = re.search(r"is still " + NUMBER + " away", text).groups()
            assert abs(end - minimum[k]) > 0.01 and num(gap) == pytest.approx(abs(end - minimum[k]), rel=5e-3)
        if "the same to six digits" in text:
            assert np.ptp(theta[-1, 1]) <= 1e-6 * max(1.0, np.max(np.abs(theta[-1, 1])))
    caption = lesson.rescale_caption(res)
    if "lies under its solid one" in caption:
        assert np.max(np.abs(theta[:, 1, :] - theta[:, 1, [4]])) <= 1e-3 * max(1.0, np.max(np.abs(theta[:, 1, :])))
    settled = int(np.sum(np.abs(theta[-1, 0] - minimum) <= 0.01))
    if "all nine" in caption:
        assert settled == 9
    elif "none of" in caption:
        assert settled == 0
    else:
        assert f"{settled} of Adam + L2's nine" in caption


def test_the_quiz_reveal_says_lambda_cancels_and_the_core_agrees():
    from lessons import adamw as lesson
    decays = lesson.QUIZ_DECAYS
    sweep = np.stack([opt.run(opt.adam(0.05, weight_decay=wd), np.zeros_like, np.array([4.0]), 40).params[:, 0]
                      for wd in decays], axis=1)
    w = opt.run(opt.adamw(0.05, weight_decay=0.1), np.zeros_like, np.array([4.0]), 40).params[-1, 0]
    text = lesson.quiz_reveal(sweep[-1, 1], w, 4 * (1 - 0.005) ** 40, sweep)
    assert "how close to 1" not in text
    ends = [num(x) for x in re.findall(r"θ_40 = " + NUMBER + r" at λ", text)]
    assert len(ends) == len(decays)
    np.testing.assert_allclose(ends, sweep[-1], rtol=1e-5)
    assert "λ does not matter at all" in text and np.ptp(sweep[-1]) < 1e-5
    first, last = abs(sweep[1, 1] - 4.0) / 0.05, abs(sweep[-1, 1] - sweep[-2, 1]) / 0.05
    if "shrink to" in text:
        assert last < first


# ---- the page itself ----------------------------------------------------------------------------

def test_the_quiz_reveal_on_the_page_does_not_say_lambda_sets_the_ratio():
    """Old text: "λ only decides how close to 1 the ratio is"; θ₄₀ is the same for λ = 0.01 … 10."""
    at = open_page(PAGE)
    at.radio(key="adamw_q1_pick").set_value("About 4 − 40α = 2: it moves about α per step").run()
    at.button(key="adamw_q1_reveal").click().run()
    assert_clean(at)
    text = markdown(at)
    ends = [opt.run(opt.adam(0.05, weight_decay=wd), np.zeros_like, np.array([4.0]), 40).params[-1, 0]
            for wd in (0.01, 10.0)]
    assert ends[0] == pytest.approx(ends[1], abs=1e-5)
    assert "decides how close to 1" not in text
    assert "λ does not matter at all" in text


def test_the_page_does_not_say_every_weight_moves_alpha_per_step_until_zero():
    """At the defaults θ₀ = 4 never reaches zero in 200 steps and moves 0.4α per step on average."""
    at = open_page(PAGE)
    assert_clean(at)
    l2 = on_zero_gradient(False, 0.05, 0.1, 200)
    text = markdown(at)
    if "moved by about α per step" in text:
        for j in range(3):
            k = first_crossing(l2[:, j]) or 200
            assert abs(WEIGHTS[j] - l2[k, j]) / (k * 0.05) == pytest.approx(1.0, abs=0.2), WEIGHTS[j]
    assert first_crossing(l2[:, 0]) is None
    assert "θ₀ = 4 is at" in text


def test_the_page_says_torchs_decay_couples_alpha_and_lambda():
    at = open_page(PAGE)
    text = markdown(at)
    assert "its decay per step is αλ" in text and "ηₜλ" in text
    assert "lets α and λ be tuned separately" not in text


@pytest.mark.parametrize("query, lr, wd", [({}, 0.05, 0.1), ({"adamw_lr": "0.0001", "adamw_wd": "1"}, 1e-4, 1.0)])
def test_the_page_shows_exactly_the_builders_text(query, lr, wd):
    from lessons import adamw as lesson
    at = open_page(PAGE, query)
    assert_clean(at)
    expected = lesson.zero_gradient_sentence(zero_run(lr, wd, 200), 200, lr, wd, f"{lr:g}".replace("0.0001", "1e-4"),
                                             f"{wd:g}")
    assert expected in [m.value for m in at.markdown]


def test_review14_factor_zero_sets_every_weight_to_zero():
    """α = 1, λ = 1: 1 − αλ = 0 sets every weight to 0 in one step; it flips no sign."""
    at = open_page(PAGE, {"adamw_lr": "1", "adamw_wd": "1"})
    assert_clean(at)
    warning = " ".join(w.value for w in at.warning)
    assert "flips the sign" not in warning and "sets every weight to exactly 0 in one step" in warning
    assert np.all(zero_run(1.0, 1.0, 1).theta[1, 1] == 0)


def test_review14_an_overflowing_adamw_has_no_fractions():
    """α = 10, λ = 1, 1000 steps: |1 − αλ| = 9 > 1, AdamW overflows: no 'nan, nan, nan … proportional'."""
    from lessons import adamw as lesson
    zero = zero_run(10.0, 1.0, 1000)
    assert not np.all(np.isfinite(zero.theta[-1, 1]))
    text = lesson.zero_gradient_sentence(zero, 1000, 10.0, 1.0, "10", "1")
    assert "nan" not in text and "One number for all three" not in text and "did not stay finite" in text
    at = open_page(PAGE, {"adamw_lr": "10", "adamw_wd": "1", "adamw_steps": "1000"})
    assert_clean(at)
    shown = " ".join(m.value for m in at.markdown) + " ".join(w.value for w in at.warning)
    assert "nan" not in shown and "flips the sign of every weight at every step and makes it grow" in shown


def test_review14_numbers_in_one_style_and_no_1_alpha():
    from lessons import adamw as lesson
    text = lesson.zero_gradient_sentence(zero_run(0.05, 0.1, 200), 200, 0.05, 0.1, "0.05", "0.1")
    assert "e-0" not in text and "1α" not in text
    assert "1 steps" not in lesson.zero_gradient_sentence(zero_run(0.05, 0.1, 1), 1, 0.05, 0.1, "0.05", "0.1")
