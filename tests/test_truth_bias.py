"""Every live sentence of the bias-correction lesson is true: a slider grid against independent core runs.

The sentence builders (``lessons.bias_correction``) are pure, so the grid calls them directly with
numbers from runs made here (``optimizers.run`` on the parabola, one run per correction, not the
page's batched helper), reads the numbers and verdicts back out of the text, and checks each against
the run.  A few AppTest runs check that the page shows exactly the builders' text.
"""

import itertools
import re

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, markdown, open_page

PAGE = "pages/bias-correction.py"
SWITCHES = ((True, True), (False, False), (True, False), (False, True))    # both, none, only m, only v
ALPHA = 1e-6            # within this relative distance a step "is α"

LRS = (1e-4, 0.1, 10.0)
BETA1S = (0.0, 0.5, 0.9, 0.99)
BETA2S = (0.0, 0.5, 0.9, 0.99, 0.999, 0.99999)
EPSS = (0.0, 1e-8, 1.0, 10.0)
STEPS = (1, 100)


def run(lr, beta1, beta2, eps, steps, correct):
    parabola = opt.surfaces.get("parabola")
    return opt.run(opt.adam(lr, beta1, beta2, eps, correct_m=correct[0], correct_v=correct[1]), parabola.grad,
                   [8.0], steps, keep_state=True)


def first_steps(lr, beta1, beta2, eps):
    """The first step over α of each of the four runs, each run on its own."""
    return np.array([abs(run(lr, beta1, beta2, eps, 1, c).params[1, 0] - 8.0) / lr for c in SWITCHES])


def verdict_holds(verdict, ratio):
    """The truth condition of each verdict word about a step of ratio·α."""
    return {"too large": ratio > 1 + ALPHA, "too small": ratio < 1 - ALPHA,
            "α itself": abs(ratio - 1) <= ALPHA}[verdict]


NUMBER = r"((?:[0-9.]+(?:e[-+]?\d+)?)?)"     # empty before "α": a step of exactly α is written "α"


def quoted(pattern, text):
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return match.groups()


def close(printed, value):
    return float(printed or 1) == pytest.approx(value, rel=5e-4, abs=1e-12)


def check_first_steps_text(text, first):
    """Every step and verdict the "why" paragraph (or the reveal) states for the four runs, against ``first``."""
    both, none, only_m, only_v = first
    for pattern, value in ((r"uncorrected first step is \*\*" + NUMBER + r"α\*\*,\s+(too large|too small|α itself)",
                            none),
                           (r"Correcting only m gives \*\*" + NUMBER + r"α\*\*, (too large|too small|α itself)", only_m),
                           (r"Correcting only v gives \*\*" + NUMBER + r"α\*\*, (too large|too small|α itself)", only_v)):
        printed, verdict = quoted(pattern, text)
        assert close(printed, value), (pattern, printed, value)
        assert verdict_holds(verdict, value), (verdict, value, text)
    assert ("wrong story" in text) == (none > 1 + ALPHA)
    assert ("the slow start the story describes" not in text) or only_v < 1 - ALPHA
    assert ("larger than with no correction" in text) == (only_m > none * (1 + ALPHA))
    (printed,) = quoted(r"\*\*" + NUMBER + r"α\*\* here", text)
    assert close(printed, both)
    assert ("below α because ε" in text) == (both < 1 - ALPHA)


GRID = list(itertools.product((0.1,), BETA1S, BETA2S, EPSS)) + [(lr, 0.9, 0.999, 1e-8) for lr in LRS]


@pytest.mark.parametrize("lr, beta1, beta2, eps", GRID)
def test_the_first_steps_story_is_true_on_the_grid(lr, beta1, beta2, eps):
    from lessons import bias_correction as lesson
    first = first_steps(lr, beta1, beta2, eps)
    check_first_steps_text(lesson.first_steps_story(first, beta1, beta2, eps, 12.0), first)


@pytest.mark.parametrize("beta1, beta2, eps", list(itertools.product(BETA1S, BETA2S, (1e-8, 10.0))))
def test_the_quiz_reveal_judges_the_learners_own_first_step(beta1, beta2, eps):
    from lessons import bias_correction as lesson
    question = run(0.1, 0.9, 0.999, 1e-8, 1, (False, False))
    mine = run(0.1, beta1, beta2, eps, 1, (False, False))
    step = lambda t: abs(t.params[1, 0] - 8.0) / 0.1                                       # noqa: E731
    ratios = lambda t: (step(t), t.states["m"][0, 0] / 12.0, np.sqrt(t.states["v"][0, 0]) / 12.0)  # noqa: E731
    text = lesson.quiz_reveal(ratios(question), ratios(mine), beta1, beta2, eps, "0.1")
    printed, verdict = quoted(r"uncorrected first step of \*\*" + NUMBER + r"α\*\*, (too large|too small|α itself)",
                              text)
    assert close(printed, step(question)) and verdict_holds(verdict, step(question))
    printed, verdict = quoted(r"At your settings .*? is \*\*" + NUMBER + r"α\*\*, (too large|too small|α itself)",
                              text)
    assert close(printed, step(mine)) and verdict_holds(verdict, step(mine))


@pytest.mark.parametrize("beta1, beta2", list(itertools.product(BETA1S, BETA2S)))
def test_the_half_weight_steps_are_the_first_t_with_one_minus_beta_t_at_least_half(beta1, beta2):
    from lessons import bias_correction as lesson
    first_half = lambda b: next(t for t in range(1, 10 ** 6) if 1 - b ** t >= 0.5)        # noqa: E731
    t_m, t_v = first_half(beta1), first_half(beta2)
    text = lesson.half_weight_sentence(beta1, beta2, (t_m, t_v), (1 - beta1 ** 10, 1 - beta2 ** 10))
    shown_m, shown_v = (int(x) for x in re.findall(r"\*\*t = (\d+)\*\*", text))
    assert (shown_m, shown_v) == (t_m, t_v)
    assert ("only after" in text) == (t_v > t_m)
    assert ("already after" in text) == (t_v < t_m)


@pytest.mark.parametrize("lr, beta1, beta2, eps, steps",
                         [(lr, b1, b2, eps, s) for lr, b1, b2, eps, s in
                          itertools.product(LRS, (0.0, 0.9), (0.0, 0.9, 0.999), (1e-8, 10.0), STEPS)])
def test_the_real_run_sentence_and_the_steps_above_alpha(lr, beta1, beta2, eps, steps):
    from lessons import bias_correction as lesson
    traj = run(lr, beta1, beta2, eps, steps, (True, True))
    s = {k: traj.states[k][:, 0] for k in ("m", "v", "m_hat", "v_hat")}
    g = traj.grads[:, 0]
    last_step = abs(traj.params[-1, 0] - traj.params[-2, 0]) / lr
    text = lesson.real_run_sentence(steps, (g[0], s["m"][0], s["v"][0], s["m_hat"][0], s["v_hat"][0]),
                                    (1 - beta1 ** steps, 1 - beta2 ** steps, s["v_hat"][-1], g[-1] ** 2, last_step))
    assert s["m_hat"][0] == pytest.approx(g[0]) and s["v_hat"][0] == pytest.approx(g[0] ** 2)
    v_hat, g2 = s["v_hat"][-1], g[-1] ** 2
    if steps == 1:
        assert "no earlier gradients" in text and v_hat == pytest.approx(g2)
    elif abs(v_hat - g2) <= 0.01 * max(v_hat, g2):
        assert "are the same to" in text
    elif v_hat < g2:
        assert "below g²" in text and "smaller gradients of earlier steps" in text
        assert ("far below" in text) == (10 * v_hat < g2)
    else:
        assert "above g²" in text and (("far above" in text) == (v_hat > 10 * g2))
    assert "no longer weigh" not in text
    printed, where = quoted(r"last step is \*\*" + NUMBER + r"α\*\*, (below α|above α|a step of α)", text)
    assert close(printed, last_step)
    assert {"below α": last_step < 1 - ALPHA, "above α": last_step > 1 + ALPHA,
            "a step of α": abs(last_step - 1) <= ALPHA}[where]
    # the steps above α, counted here from the uncorrected and only-m runs
    runs = [run(lr, beta1, beta2, eps, steps, c) for c in SWITCHES]
    over = np.stack([np.abs(np.diff(r.params[:, 0])) / lr for r in runs], axis=1)
    sentence = lesson.above_alpha_sentence(("both corrected", "none", "only m corrected", "only v corrected"), over)
    for name, k in (("uncorrected run", 1), ("only-m run", 2)):
        count = int(np.sum(over[:, k] > 1 + ALPHA))
        if "neither" in sentence:
            assert count == 0
        else:
            said = re.search(name + r"(?: steps above α)? (never|in its only step|in (\d+) of its)", sentence)
            assert said, sentence
            expected = {"never": 0, "in its only step": 1}.get(said.group(1))
            assert count == (expected if expected is not None else int(said.group(2))), sentence


class Spike:
    def __init__(self, zeros, g):
        self.zeros, self.g, self.calls = zeros, g, 0

    def __call__(self, params):
        self.calls += 1
        return np.full(np.shape(params), self.g if self.calls == self.zeros + 1 else 0.0)


@pytest.mark.parametrize("beta1, beta2, eps, zeros, spike",
                         list(itertools.product((0.0, 0.9), (0.5, 0.999), (1e-8, 1e-2), (0, 10, 1000), (1e-4, 1.0))))
def test_the_spike_story_is_true(beta1, beta2, eps, zeros, spike):
    from lessons import bias_correction as lesson
    lr, after, t = 0.1, 60, zeros + 1
    moves = []
    for on in (True, False):
        traj = opt.run(opt.adam(lr, beta1, beta2, eps, correct_m=on, correct_v=on), Spike(zeros, spike), [0.0],
                       t + after)
        moves.append(-np.diff(traj.params[:, 0]) / lr)
    at_spike = np.array([m[t - 1] for m in moves])
    total = np.array([m[t - 1:].sum() for m in moves])
    closed = np.array([(1 - beta1) / (1 - beta1 ** t) / np.sqrt((1 - beta2) / (1 - beta2 ** t)),
                       (1 - beta1) / np.sqrt(1 - beta2)])
    text = lesson.spike_story(zeros, t, 1 - beta2 ** t, at_spike, closed, total, beta1, eps)
    for label, value in zip(("with the corrections", "without"), at_spike):
        printed, where = quoted(r"\*\*" + NUMBER + r"α\*\* " + label + r" \((above α|below α|a step of α)\)", text)
        assert close(printed, value)
        assert {"above α": value > 1 + ALPHA, "below α": value < 1 - ALPHA,
                "a step of α": abs(value - 1) <= ALPHA}[where]
    assert ("Those are the closed forms" in text) == bool(np.allclose(at_spike, closed, rtol=1e-3))
    assert ("keeps moving after the gradient is gone" in text) == (total[0] > at_spike[0] * (1 + 1e-9))


# ---- the page shows the builders' text, and the old verdicts are gone ----------------------------------

@pytest.mark.parametrize("query, beta1, beta2, eps", [({}, 0.9, 0.999, 1e-8),
                                                      ({"bias_beta2": "0.9"}, 0.9, 0.9, 1e-8),
                                                      ({"bias_beta1": "0", "bias_beta2": "0", "bias_eps": "10"},
                                                       0.0, 0.0, 10.0)])
def test_the_page_states_true_first_step_verdicts(query, beta1, beta2, eps):
    """Read off the page itself: the uncorrected first step's verdict agrees with a run made here."""
    at = open_page(PAGE, query)
    assert_clean(at)
    first = first_steps(0.1, beta1, beta2, eps)
    text = markdown(at)
    printed, verdict = quoted(r"uncorrected first step is \*\*" + NUMBER + r"α\*\*,\s+(too large|too small|α itself)",
                              text)
    assert close(printed, first[1]) and verdict_holds(verdict, first[1]), (printed, verdict)
    check_first_steps_text(text, first)
    at.radio(key="bias_q1_pick").set_value("larger than α: about 3.2α").run()
    at.button(key="bias_q1_reveal").click().run()
    reveal = markdown(at)
    printed, verdict = quoted(r"At your settings .*? is \*\*" + NUMBER + r"α\*\*, (too large|too small|α itself)",
                              reveal)
    assert close(printed, first[1]) and verdict_holds(verdict, first[1])


def test_the_page_shows_exactly_the_builders_text_at_beta2_0_9():
    from lessons import bias_correction as lesson
    at = open_page(PAGE, {"bias_beta2": "0.9"})
    assert_clean(at)
    first = first_steps(0.1, 0.9, 0.9, 1e-8)
    assert lesson.first_steps_story(first, 0.9, 0.9, 1e-8, 12.0) in [m.value for m in at.markdown]
    assert "**0.3162α**, too small" in markdown(at)


@pytest.mark.parametrize("steps", [1, 1000])
def test_review14_v_hat_below_g_squared_gives_the_true_reason(steps):
    """α = 10, β₂ = 0.99: at 1000 steps v̂ = 0.3014 < g² = 0.7125 because the earlier, smaller g² still weigh on
    it; at 1 step there are no earlier gradients at all."""
    from lessons import bias_correction as lesson
    traj = run(10.0, 0.9, 0.99, 1e-8, steps, (True, True))
    v_hat, g = traj.states["v_hat"][:, 0], traj.grads[:, 0]
    last_step = abs(traj.params[-1, 0] - traj.params[-2, 0]) / 10.0
    text = lesson.real_run_sentence(steps, (g[0], traj.states["m"][0, 0], traj.states["v"][0, 0], traj.states["m_hat"][0, 0],
                                            v_hat[0]), (1 - 0.9 ** steps, 1 - 0.99 ** steps, v_hat[-1], g[-1] ** 2, last_step))
    assert "no longer weigh" not in text
    if steps == 1:
        assert "there are no earlier gradients" in text
    else:
        assert v_hat[-1] < g[-1] ** 2 and "below g²" in text and "smaller gradients of earlier steps" in text


def test_review14_a_step_of_alpha_reads_alpha_and_one_step_is_singular():
    from lessons import bias_correction as lesson
    text = lesson.real_run_sentence(1, (12.0, 1.2, 0.144, 12.0, 144.0), (0.1, 0.001, 144.0, 144.0, 1.0))
    assert "**α**, a step of α" in text and "1α" not in text
    sentence = lesson.above_alpha_sentence(("both corrected", "none", "only m corrected", "only v corrected"),
                                           np.array([[1.0, 3.16, 3.16, 0.3]]))
    assert "1 steps" not in sentence and "of its 1 step" not in sentence
