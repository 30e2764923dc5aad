"""Every live sentence of the momentum lesson is true, and the page calls the decay μ everywhere.

The builders (``lessons.momentum``) are pure; the grid feeds them runs made here (``optimizers.sgd``
on the bowl one setting at a time, the buffers read off the iterates, the moving average by a plain
loop), and checks every number and verdict they state.
"""

import itertools
import json
import re

import numpy as np
import pytest

import optimizers as opt
from optimizers import theory
from apptest_helpers import assert_clean, figures, markdown, open_page

PAGE = "pages/momentum.py"
BOWL = opt.surfaces.get("bowl")
EIGENVALUES = BOWL.hessian_eigenvalues
NUMBER = r"([0-9.]+(?:e[-+]?\d+)?)"


@pytest.mark.parametrize("mu", [0.0, 0.3, 0.5, 0.9, 0.95, 0.99])
def test_the_moving_average_sentence_is_true(mu):
    from lessons import momentum as lesson
    steps = 100
    # torch's sum: with lr = 1 and g = 1, θ_{t−1} − θ_t is the buffer b_t
    params = opt.run(opt.sgd(1.0, momentum=mu), lambda x: np.ones_like(x), np.zeros(1), steps).params[:, 0]
    b = -np.diff(params)
    m = 0.0
    for _ in range(steps):
        m = mu * m + (1 - mu) * 1.0
    window = 1 / (1 - mu)
    newest = max(1, round(window))
    share = 1 - mu ** newest
    text = lesson.moving_average_sentence(mu, window, newest, share, b[-1], m, steps)
    assert f"**1/(1−μ) = {window:.4g} step" in text
    (printed_share,) = re.search(r"carr(?:y|ies) \*\*([0-9.]+)%\*\*", text).groups()
    assert float(printed_share) / 100 == pytest.approx(share, abs=5e-4)
    assert ("gradients carry" in text) == (newest != 1)
    (printed_b,) = re.search(r"\*\*b = " + NUMBER + r"\*\*", text).groups()
    (printed_m,) = re.search(r"\*\*m = " + NUMBER + r"\*\*", text).groups()
    assert float(printed_b) == pytest.approx(b[-1], rel=1e-5) and float(printed_m) == pytest.approx(m, rel=1e-5)
    assert abs(share - (1 - np.exp(-1))) < 0.04 or mu < 0.9        # the limit the parenthesis names
    assert "β" not in text


def bowl_run(lr, mu, steps):
    traj = opt.run(opt.sgd(lr, momentum=mu), BOWL.grad, np.array(BOWL.start), steps)
    return BOWL.distance_to_minimum(traj.params)


GRID = list(itertools.product((0.005, 0.1, 0.18, 0.3, 0.45), (0.0, 0.5, 0.9, 0.99), (20, 100, 500)))


@pytest.mark.parametrize("lr, mu, steps", GRID)
def test_the_heavy_ball_sentence_is_true(lr, mu, steps):
    from lessons import momentum as lesson
    with np.errstate(all="ignore"):
        distances = [bowl_run(lr, 0.0, steps), bowl_run(lr, mu, steps)]
    measured = [theory.measured_rate(d) for d in distances]
    predicted = [theory.rate(lr, m, EIGENVALUES) for m in (0.0, mu)]
    regimes = [lesson.regime(lr, mu, lam) for lam in EIGENVALUES]
    text = lesson.heavy_ball_sentence(lr, mu, EIGENVALUES, regimes, predicted, measured, 2 + 2 * mu)
    shown = re.findall(r"in the \*\*([\w ]+)\*\* regime", text)
    assert shown == regimes
    inside = "this α is inside that bound" in text
    boundary = np.isclose(lr * max(EIGENVALUES), 2 + 2 * mu, rtol=1e-9)
    assert inside == (lr * max(EIGENVALUES) < 2 + 2 * mu and not boundary)
    assert ("constant amplitude" in text) == boundary
    if boundary:
        return
    d = distances[1]
    if inside:                                       # the run itself: it closes in on the minimum
        assert np.isfinite(d[-1]) and d[-1] < d[0]
    else:
        assert not np.isfinite(d[-1]) or d[-1] > d[0]
    for value in measured:
        if np.isfinite(value):
            assert f"{value:.4f}" in text
        else:
            assert "∞ (diverged)" in text or "not measurable" in text


@pytest.mark.parametrize("steps", [20, 50, 100, 200, 500])
def test_the_optimum_measured_clause_is_true(steps):
    from lessons import momentum as lesson
    lr, mu, rate = theory.optimal_heavy_ball(EIGENVALUES)
    measured = theory.measured_rate(bowl_run(lr, mu, steps))
    clause = lesson.optimum_measured_clause(measured, rate)
    assert f"{measured:.4f}" in clause
    assert ("a little above r" in clause) == (measured > rate)


def test_the_quiz_reveal_is_true():
    from lessons import momentum as lesson
    mus = (0.0, 0.3, 0.6, 0.9)
    distances = [bowl_run(0.1, m, 200) for m in mus]
    measured = [theory.measured_rate(d) for d in distances]
    predicted = [theory.rate(0.1, m, EIGENVALUES) for m in mus]
    regimes = [theory.regime(0.1, 0.9, lam) for lam in EIGENVALUES]
    text = lesson.quiz_reveal(BOWL.start, 200, mus, measured, predicted, [d[-1] for d in distances], regimes)
    for m, r in zip(mus, measured):
        assert f"μ = {m:g}: **{r:.4f}**" in text
    assert ("is *slower than no momentum*" in text) == (measured[3] > measured[0])
    assert ("both directions are then in the ripple regime" in text) == all(r == "ripples" for r in regimes)
    assert "whatever α" not in text
    assert "e-" not in text and "e+" not in text                 # review 14: one number style (5.3×10⁻⁹)


# ---- one name per quantity: the page calls the decay μ, in its sliders, prose and charts -----------------

@pytest.mark.parametrize("query", [{}, {"mom_beta": "0.5"}])
def test_the_page_calls_the_decay_mu_everywhere(query):
    at = open_page(PAGE, query)
    assert_clean(at)
    labels = [s.label for s in at.slider]
    assert "μ (decay)" in labels and not any("β" in label for label in labels)
    section_one = json.dumps(figures(at)[:2], ensure_ascii=False)
    assert "β" not in section_one and "μ" in section_one
    prose = markdown(at).replace("β₁", "")          # the one mention of Adam's own name for the decay
    assert "β" not in prose


@pytest.mark.parametrize("query, mu", [({}, 0.9), ({"mom_beta": "0"}, 0.0)])
def test_the_page_shows_exactly_the_builders_text(query, mu):
    from lessons import momentum as lesson
    at = open_page(PAGE, query)
    assert_clean(at)
    steps = 100
    b = -np.diff(opt.run(opt.sgd(1.0, momentum=mu), lambda x: np.ones_like(x), np.zeros(1), steps).params[:, 0])
    m = 0.0
    for _ in range(steps):
        m = mu * m + (1 - mu)
    window = 1 / (1 - mu)
    newest = max(1, round(window))
    expected = lesson.moving_average_sentence(mu, window, newest, 1 - mu ** newest, b[-1], m, steps)
    assert expected in [x.value for x in at.markdown]


def test_the_stability_boundary_is_a_constant_swing_not_divergence():
    """Review 14: α = 0.3, μ = 0.5 puts αλ = 3 = 2 + 2μ: roots −1 and −0.5, the ball swings for ever."""
    from lessons import momentum as lesson
    distances = bowl_run(0.3, 0.5, 500)
    assert np.isfinite(distances[-1]) and 0.5 < distances[-1] / distances[0] < 2
    regimes = [lesson.regime(0.3, 0.5, lam) for lam in EIGENVALUES]
    assert regimes[1] == lesson.BOUNDARY
    text = lesson.heavy_ball_sentence(0.3, 0.5, EIGENVALUES, regimes, [1.0, 1.0], [1.0, 1.0], 3.0)
    assert "beyond it" not in text and "constant amplitude" in text
    kind, note = lesson.stability_warning(0.3, 0.5, EIGENVALUES)
    assert "flies out" not in note and "neither converges nor diverges" in note
    at = open_page(PAGE, {"mom_lr": "0.3", "mom_mu": "0.5"})
    assert_clean(at)
    shown = " ".join(w.value for w in at.warning) + " ".join(i.value for i in at.info)
    assert "flies out of the bowl" not in shown and "constant amplitude" in shown
    table = at.dataframe[0].value
    assert "diverges" not in list(table.iloc[1]) and lesson.BOUNDARY in list(table.iloc[1])
