"""Every live sentence of "Inside an Adam step" is true: a slider grid against independent core runs.

The builders (``lessons.inspector.text``) are pure; the grid feeds them numbers from runs made here
(``optimizers.run(optimizers.adam(...), grad_noise=σ, seed=s)``, the noise-free averages by a plain
loop along the same path) and checks every number and verdict they state.
"""

import itertools
import re

import numpy as np
import pytest

import optimizers as opt
from ui.divergence import short_number
from apptest_helpers import assert_clean, markdown, open_page

PAGE = "pages/inside-adam.py"
NUMBER = r"(-?[0-9.]+(?:e[-+]?\d+)?)"


def adam_run(surface_key, steps, lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8, noise=0.0, seed=0):
    s = opt.surfaces.get(surface_key)
    traj = opt.run(opt.adam(lr, beta1=beta1, beta2=beta2, eps=eps), s.grad, np.array(s.start, dtype=float), steps,
                   keep_state=True, grad_noise=noise, seed=seed)
    clean = s.grad(traj.params[:-1])
    return traj, clean


def clean_v_hat(clean, beta2):
    """Adam's bias-corrected average of ∇f² along the path, by a plain loop (row t − 1 for step t)."""
    v, out = np.zeros(2), []
    for t, g in enumerate(clean, start=1):
        v = beta2 * v + (1 - beta2) * g * g
        out.append(v / (1 - beta2 ** t))
    return np.array(out)


def clean_m_hat(clean, beta1):
    m, out = np.zeros(2), []
    for t, g in enumerate(clean, start=1):
        m = beta1 * m + (1 - beta1) * g
        out.append(m / (1 - beta1 ** t))
    return np.array(out)


@pytest.mark.parametrize("beta1", [0.0, 0.5, 0.9, 0.99])
def test_the_lag_is_beta_over_one_minus_beta_on_a_ramp(beta1):
    """An EMA of g_t = t, run long, trails it by β₁/(1 − β₁) steps: 9 at β₁ = 0.9, not 1/(1 − β₁) = 10."""
    from lessons.inspector import text
    m = 0.0
    for t in range(1, 5001):
        m = beta1 * m + (1 - beta1) * t
    assert 5000 - m == pytest.approx(text.ema_lag(beta1), abs=1e-6)


GRID = list(itertools.product(("bowl", "rosenbrock", "saddle"), (0.01, 1.0, 30.0), (0.0, 0.9, 0.99), (1, 2, 100)))


@pytest.mark.parametrize("surface_key, noise, beta1, steps", GRID)
def test_the_noise_sentences_are_true(surface_key, noise, beta1, steps):
    from lessons.inspector import text
    traj, clean = adam_run(surface_key, steps, beta1=beta1, noise=noise)
    g_sd = np.std(traj.grads - clean, axis=0)
    m_sd = np.std(traj.states["m_hat"] - clean_m_hat(clean, beta1), axis=0)
    factor = np.sqrt((1 - beta1) / (1 + beta1))
    smoothing = text.smoothing_sentence(noise, beta1, g_sd, m_sd, factor, steps)
    if steps >= 2:
        assert f"standard deviation {short_number(g_sd[0], 3)} in x and {short_number(g_sd[1], 3)} in y" in smoothing
        ratio = m_sd / g_sd
        if "above it" in smoothing:
            assert np.all(ratio > 1.1 * factor)
        if "close to it" in smoothing:
            assert np.all(np.abs(ratio / factor - 1) <= 0.1)
    else:
        assert "too few" in smoothing
    if beta1 > 0:
        (lag,) = re.search(r"β₁/\(1−β₁\) = " + NUMBER, smoothing).groups()
        assert float(lag) == pytest.approx(beta1 / (1 - beta1), rel=1e-3)
    else:
        assert "no lag" in smoothing
    v_clean = clean_v_hat(clean, 0.999)
    for t in sorted({1, (steps + 1) // 2, steps}):
        v_hat = traj.states["v_hat"][t - 1]
        sentence = text.variance_sentence(t, v_hat, v_clean[t - 1], noise ** 2)
        raised = re.search(r"raised v̂ in ([xy and]+),", sentence)
        lowered = re.search(r"In ([xy and]+) this draw of the noise has lowered", sentence)
        apart = np.abs(v_hat - v_clean[t - 1]) > 0.01 * np.maximum(np.abs(v_hat), np.abs(v_clean[t - 1]))
        for match, holds in ((raised, (v_hat > v_clean[t - 1]) & apart), (lowered, (v_hat < v_clean[t - 1]) & apart)):
            axes = match.group(1).split(" and ") if match else []
            assert [a for a, h in zip("xy", holds) if h] == axes, sentence
        wins = v_clean[t - 1] < noise ** 2
        if "in expectation the noise dominates v̂ here" in sentence:
            assert wins.all()
        elif "still dominates v̂ here" in sentence:
            assert not wins.any()
        else:
            assert wins.any() and not wins.all()


@pytest.mark.parametrize("surface_key, steps, beta1, seed",
                         list(itertools.product(("bowl", "rotated_bowl", "rosenbrock", "beale"), (2, 100, 300),
                                                (0.0, 0.9), (0, 7))))
def test_the_quiz_answer_and_reveal_are_true(surface_key, steps, beta1, seed):
    from lessons.inspector import text
    quiet, _ = adam_run(surface_key, steps, beta1=beta1, seed=seed)
    noisy, clean = adam_run(surface_key, steps, beta1=beta1, noise=1.0, seed=seed)
    late = slice(steps // 2, steps)
    calm = np.median(quiet.states["lr_eff"][late], axis=0)
    shaken = np.median(noisy.states["lr_eff"][late], axis=0)
    v_late = np.median(clean_v_hat(clean, 0.999)[late], axis=0)
    if not (np.all(np.isfinite(calm)) and np.all(np.isfinite(shaken))):
        pytest.skip("a run that does not stay finite has no quiz")
    answer = text.quiz_answer(calm, shaken)
    apart = np.abs(shaken - calm) > 0.01 * np.maximum(np.abs(shaken), np.abs(calm))
    if ((shaken < calm) & apart).all():
        assert answer == "it shrinks"
    elif ((shaken > calm) & apart).all():
        assert answer == "it grows"
    elif (~apart).all():
        assert answer == "it stays about the same (within 1 %)"
    else:
        assert answer == "it moves one way in x and another in y"
    reveal = text.quiz_reveal(seed, 1.0, calm, shaken, v_late)
    assert f"**{short_number(calm[0])}** in x and **{short_number(calm[1])}** in y without noise" in reveal
    assert "takes over" not in reveal
    if "σ² is the larger part of v̂ in both" in reveal:
        assert np.all(v_late < 1.0)
    if "still outweighs σ² in both" in reveal:
        assert np.all(v_late > 1.0)


# ---- the page itself -------------------------------------------------------------------------------------

def test_the_page_gives_the_lag_as_beta_over_one_minus_beta():
    at = open_page(PAGE, {"insp_noise": "1"})
    assert_clean(at)
    text = markdown(at)
    assert "1/(1−β₁) = 10 steps late" not in text
    assert "β₁/(1−β₁) = 9 steps" in text


def test_the_reveal_says_what_the_default_noisy_run_shows_about_sigma_squared():
    """Old text: "near the minimum the σ² term takes over"; in the default run the noise-free v̂ stays above σ²."""
    noisy, clean = adam_run("bowl", 100, noise=1.0)
    v_late = np.median(clean_v_hat(clean, 0.999)[50:], axis=0)
    assert np.all(v_late > 1.0)
    at = open_page(PAGE)
    at.radio(key="insp_q1_pick").set_value(at.radio(key="insp_q1_pick").options[2]).run()
    at.button(key="insp_q1_reveal").click().run()
    assert_clean(at)
    text = markdown(at)
    assert "takes over" not in text
    assert f"x: {short_number(v_late[0], 3)}, above σ² = 1; y: {short_number(v_late[1], 3)}, above σ² = 1" in text


def test_the_page_shows_exactly_the_builders_noise_text():
    from lessons.inspector import text
    at = open_page(PAGE, {"insp_noise": "1"})
    assert_clean(at)
    traj, clean = adam_run("bowl", 100, noise=1.0)
    t = 10
    expected = text.variance_sentence(t, traj.states["v_hat"][t - 1], clean_v_hat(clean, 0.999)[t - 1], 1.0)
    assert expected in markdown(at)


# ---- review 14 -------------------------------------------------------------------------------------------

def test_review14_numbers_that_print_alike_get_no_raised_or_lowered_verdict():
    """v̂ 249.4549 against 249.4605 'lowered', 3.947e+08 against 3.947e+08 'raised': within 1 % is the same."""
    from lessons.inspector import text
    sentence = text.variance_sentence(5, [249.4549, 3.9470001e8], [249.4605, 3.947e8], 1.0)
    assert "lowered" not in sentence and "raised" not in sentence and "e+" not in sentence
    assert "the same to within 1 %" in sentence
    assert text.quiz_answer(np.array([0.1, 0.2]), np.array([0.1001, 0.1999])) == "it stays about the same (within 1 %)"
    assert text.quiz_answer(np.array([0.1, 0.2]), np.array([0.1001, 0.1999])) in text.QUIZ_OPTIONS
    reveal = text.quiz_reveal(0, 1.0, np.array([0.1, 0.2]), np.array([0.1001, 0.1999]), np.array([2.0, 3.0]))
    assert "grew in x" not in reveal and "shrank in y" not in reveal and "stayed about the same in x" in reveal


def test_review14_the_saddle_noise_verdict_is_said_in_expectation():
    """Saddle, σ = 30, β₁ = 0, 1 step: σ² dominates only in expectation; this draw's v̂ in x (0.052) is far below
    the noise-free part (16)."""
    from lessons.inspector import text
    traj, clean = adam_run("saddle", 1, beta1=0.0, noise=30.0)
    v_hat, v_clean = traj.states["v_hat"][0], clean_v_hat(clean, 0.999)[0]
    sentence = text.variance_sentence(1, v_hat, v_clean, 900.0)
    assert "the noise dominates v̂ here." not in sentence and "in expectation" in sentence
    if v_hat[0] < v_clean[0]:
        assert "lowered v̂" in sentence
