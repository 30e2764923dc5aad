"""Every live sentence of the RMSprop lesson is true, over a grid of its sliders.

Each truth condition is checked against an independent core run made here (``opt.rmsprop`` and
``opt.sgd`` through ``opt.run``), not against the page's cached ``runs.run_traced`` or the lesson's
``eps_sweep``.  The page tests at the end read the page through AppTest and hold on the old code too.
"""

import itertools

import numpy as np
import pytest

import optimizers as opt
from ui.divergence import short_number
from apptest_helpers import assert_clean, markdown, open_page

from lessons import rmsprop_scaling as lesson

PAGE = "pages/rmsprop-scaling.py"
# (α, ρ, ε, steps): the defaults, then each slider's ends and a few interior points.
GRID = [(0.05, 0.99, 1e-8, 100), (0.05, 0.0, 1e-8, 100), (0.05, 0.99999, 1e-2, 100), (1.0, 0.9, 1e-2, 500),
        (1e-4, 0.9, 10.0, 100), (10.0, 0.99, 0.0, 1), (0.05, 0.9, 10.0, 500)]
SCALES = (1e-3, 0.1, 1.0, 1000.0)
BIG = [(5.0, 100.0), (5.0, 1e-8), (10.0, 1.0), (1e-4, 1e4), (2.0, 10.0)]
SWEEP = tuple(10.0 ** (k / 4) for k in range(-8, 17))
HESSIANS = {"bowl": np.diag([1.0, 10.0])}
_R = np.array([[np.cos(np.pi / 4), -np.sin(np.pi / 4)], [np.sin(np.pi / 4), np.cos(np.pi / 4)]])
HESSIANS["rotated_bowl"] = _R @ HESSIANS["bowl"] @ _R.T


def rms_run(surface_key, lr, rho, eps, steps, scale=1.0):
    surface = opt.surfaces.get(surface_key)
    with np.errstate(all="ignore"):
        return opt.run(opt.rmsprop(lr, alpha=rho, eps=eps), lambda x: scale * surface.grad(x),
                       np.array(surface.start, dtype=float), steps, keep_state=True)


def step_sizes(traj, lr, eps):
    """α/(√v + ε) per step and coordinate, from the run's v."""
    with np.errstate(all="ignore"):
        return lr / (np.sqrt(traj.states["v"]) + eps)


def median_ratio(surface_key, sizes):
    """Median over the steps of the condition number of √P H √P, P = diag(step sizes)."""
    sizes = sizes[np.all(np.isfinite(sizes), axis=-1)]
    root = np.sqrt(sizes)
    eig = np.linalg.eigvalsh(root[:, :, None] * HESSIANS[surface_key] * root[:, None, :])
    return float(np.median(eig[:, -1] / eig[:, 0]))


def largest_gap(a, b):
    return float(np.max(np.linalg.norm(a - b, axis=-1)))


def start_distance(surface_key):
    surface = opt.surfaces.get(surface_key)
    return float(surface.distance_to_minimum(np.array(surface.start, dtype=float)))


@pytest.mark.parametrize("lr, rho, eps, steps", GRID)
def test_section_one_sentences(lr, rho, eps, steps):
    bowl = rms_run("bowl", lr, rho, eps, steps)
    sizes = step_sizes(bowl, lr, eps)
    finite = sizes[np.all(np.isfinite(sizes), axis=-1)]
    below = int(np.sum(finite[:, 1] < finite[:, 0]))
    assert finite[0, 1] < finite[0, 0]                          # fixed: y's step size is the smaller at step 1
    text = lesson.step_size_sentence(bowl.states["lr_eff"])
    assert ("stays under the blue one" in text) == (below == len(finite))
    if 0 < below < len(finite):
        assert f"at {below} of the {len(finite)} steps" in text

    first = np.abs(bowl.params[1] - bowl.params[0])
    text = lesson.first_step_sentence(first, lr, rho, eps)
    ideal = lr / np.sqrt(1 - rho)
    assert ("whatever the gradient" in text) == bool(np.all(np.abs(first - ideal) <= 0.01 * ideal))
    assert f"**{short_number(first[0], 4)}** in x and **{short_number(first[1], 4)}** in y" in text

    ratios = {key: median_ratio(key, step_sizes(rms_run(key, lr, rho, eps, steps), lr, eps)) for key in HESSIANS}
    assert ratios["rotated_bowl"] >= 10 * (1 - 1e-9)             # fixed: no diagonal scaling straightens it
    text = lesson.ratio_sentence(ratios)
    assert ("turn the bowl's curvature ratio of 10 into" in text) == (ratios["bowl"] < 10)
    assert f"**{short_number(ratios['bowl'], 3)}**" in text and f"**{short_number(ratios['rotated_bowl'], 3)}**" in text


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("eps", (0.0, 1e-8, 1e-2))
def test_scale_gap_sentence(scale, eps):
    gap = largest_gap(rms_run("bowl", 0.05, 0.99, eps, 100, scale).params, rms_run("bowl", 0.05, 0.99, eps, 100).params)
    text = lesson.scale_gap_sentence(scale, gap, eps, start_distance("bowl"))
    assert short_number(gap, 3) in text
    assert ("Set **ε = 0** above" in text) == (eps != 0 and scale != 1)
    if eps == 0 and scale != 1:
        assert "rounding error" in text
    assert ("nothing is scaled" in text) == (scale == 1)
    if scale == 1:
        assert gap == 0
    if eps == 0:
        assert gap <= 1e-12 * start_distance("bowl")            # the "ε = 0: rounding error" claim


@pytest.mark.parametrize("surface_key", ("bowl", "rotated_bowl"))
@pytest.mark.parametrize("big_lr, big_eps", BIG)
@pytest.mark.parametrize("rho, steps", [(0.99, 100), (0.99999, 1), (0.0, 500)])
def test_eps_verdict(surface_key, big_lr, big_eps, rho, steps):
    surface = opt.surfaces.get(surface_key)
    rms = rms_run(surface_key, big_lr, rho, big_eps, steps)
    with np.errstate(all="ignore"):
        sgd = opt.run(opt.sgd(big_lr / big_eps), surface.grad, np.array(surface.start, dtype=float), steps)
        ratio = float(np.max(np.sqrt(rms.states["v"])) / big_eps)
        gap = (np.nan if sgd.diverged_at >= 0 or rms.diverged_at >= 0
               else largest_gap(rms.params, sgd.params) / start_distance(surface_key))
    kind, text = lesson.eps_verdict(big_lr / big_eps, ratio, gap, bool(sgd.diverged_at >= 0))
    assert kind == ("success" if gap <= 0.1 else "info")
    if kind == "info":
        assert ("ε is larger than √v" in text) == (ratio < 1)
        assert ("ε is not large next to √v" in text) == (ratio >= 1)
        assert ("diverges" in text) == bool(sgd.diverged_at >= 0)


@pytest.mark.parametrize("big_lr, rho, steps", [(5.0, 0.99, 100), (0.05, 0.0, 500), (10.0, 0.99999, 1)])
def test_the_sweep_gap_shrinks_with_sqrt_v_over_eps_and_rmsprop_stays_finite(big_lr, rho, steps):
    """'the gap … shrinks with √v/ε once ε is large … while RMSprop stays stable'."""
    surface = opt.surfaces.get("bowl")
    gaps, ratios = [], []
    for eps in SWEEP:
        rms = rms_run("bowl", big_lr, rho, eps, steps)
        assert rms.diverged_at < 0
        with np.errstate(all="ignore"):
            sgd = opt.run(opt.sgd(big_lr / eps), surface.grad, np.array(surface.start, dtype=float), steps)
        ratios.append(float(np.max(np.sqrt(rms.states["v"])) / eps))
        gaps.append(largest_gap(rms.params, sgd.params) if sgd.diverged_at < 0 else np.nan)
    large = [g for g, r in zip(gaps, ratios) if r < 0.01 and np.isfinite(g)]
    assert all(b <= a * (1 + 1e-9) for a, b in zip(large, large[1:]))


@pytest.mark.parametrize("lr, rho, eps, steps", GRID)
def test_quiz_answer(lr, rho, eps, steps):
    gap = largest_gap(rms_run("bowl", lr, rho, eps, steps, 1000.0).params, rms_run("bowl", lr, rho, eps, steps).params)
    answer = lesson.quiz_answer(gap, start_distance("bowl"))
    assert answer in lesson.QUIZ_OPTIONS
    assert (answer == lesson.QUIZ_SAME) == (gap <= 0.01 * start_distance("bowl"))


# ---- the page shows the builders' text, and (these held on the old code too) its sentences are true ----

@pytest.mark.parametrize("query", [{}, {"rms_rho": "0", "rms_eps": "10"}])
def test_page_shows_the_builders_sentences(query):
    at = open_page(PAGE, query)
    assert_clean(at)
    rho, eps = float(query.get("rms_rho", 0.99)), float(query.get("rms_eps", 1e-8))
    bowl = rms_run("bowl", 0.05, rho, eps, 100)
    text = markdown(at)
    assert lesson.step_size_sentence(bowl.states["lr_eff"]) in text
    assert lesson.first_step_sentence(np.abs(bowl.params[1] - bowl.params[0]), 0.05, rho, eps) in text


def test_the_pink_line_is_not_said_to_stay_under_where_it_crosses():
    """Old: "y gets the smaller step size: the pink line sits under the blue one" at every setting; at ρ = 0
    y's step size is the larger at most steps."""
    sizes = step_sizes(rms_run("bowl", 0.05, 0.0, 1e-8, 100), 0.05, 1e-8)
    assert np.sum(sizes[:, 1] >= sizes[:, 0]) > 0
    text = " ".join(markdown(open_page(PAGE, {"rms_rho": "0"})).split())
    assert "pink line sits under the blue one" not in text and "stays under the blue one" not in text


def test_the_first_step_is_not_alpha_over_sqrt_one_minus_rho_when_eps_is_large():
    """Old: "the first step is α/√(1−ρ) in each coordinate, whatever the gradient" at ε = 10, where it is
    α·|g|/(√(1−ρ)|g| + ε), far smaller."""
    first = np.abs(np.diff(rms_run("bowl", 0.05, 0.99, 10.0, 1).params, axis=0))[0]
    assert np.all(first < 0.5 * 0.05 / np.sqrt(0.01))
    text = " ".join(markdown(open_page(PAGE, {"rms_eps": "10"})).split())
    assert "in each coordinate, whatever the gradient" not in text


def test_a_ratio_above_ten_is_not_called_an_improvement():
    """Old: "RMSprop's step sizes turn the bowl's curvature ratio of 10 into **24**" at ρ = 0."""
    ratio = median_ratio("bowl", step_sizes(rms_run("bowl", 0.05, 0.0, 1e-8, 100), 0.05, 1e-8))
    assert ratio > 10
    text = " ".join(markdown(open_page(PAGE, {"rms_rho": "0"})).split())
    assert "turn the bowl's curvature ratio of 10 into" not in text


def test_the_quiz_does_not_call_a_visible_change_nothing():
    """Old: the answer was always "Nothing visible"; at ε = 10, RMSprop on 1000·f leaves its path on f."""
    gap = largest_gap(rms_run("bowl", 0.05, 0.99, 10.0, 100, 1000.0).params, rms_run("bowl", 0.05, 0.99, 10.0, 100).params)
    assert gap > 0.1 * start_distance("bowl")
    at = open_page(PAGE, {"rms_eps": "10"})
    at.radio(key="rms_q1_pick").set_value("Nothing visible: it is the same path").run()
    at.button(key="rms_q1_reveal").click().run()
    assert_clean(at)
    assert not any(box.value.startswith("Right") for box in at.success)


def test_the_info_box_does_not_call_eps_small_when_it_is_large():
    """Old: "√v/ε reaches 0.0632: ε is not large next to √v" (ρ = 0.99999, one step, α = 10, ε = 1)."""
    rms = rms_run("bowl", 10.0, 0.99999, 1.0, 1)
    ratio = float(np.max(np.sqrt(rms.states["v"])))
    assert ratio < 0.1
    at = open_page(PAGE, {"rms_rho": "0.99999", "rms_steps": "1", "rms_big_lr": "10", "rms_big_eps": "1"})
    assert_clean(at)
    assert not any("ε is not large next to √v" in box.value for box in at.info)


def test_review14_eps_zero_is_not_told_to_set_eps_to_zero():
    """rms_lr = 1, ε = 0, c = 1000: the gap is rounding error; the sentence does not ask to set ε = 0."""
    gap = largest_gap(rms_run("bowl", 1.0, 0.99, 0.0, 100, 1000.0).params, rms_run("bowl", 1.0, 0.99, 0.0, 100).params)
    text = lesson.scale_gap_sentence(1000.0, gap, 0.0, start_distance("bowl"))
    assert "Set **ε = 0**" not in text and "not exactly zero because" not in text
    assert "rounding error" in text and "e-" not in text
    at = open_page("pages/rmsprop-scaling.py", {"rms_lr": "1", "rms_eps": "0", "rms_scale": "1000"})
    assert_clean(at)
    shown = " ".join(m.value for m in at.markdown)
    assert "Set **ε = 0** above" not in shown and "rounding error" in shown


def test_review14_one_step_is_singular_in_the_quiz_question():
    at = open_page("pages/rmsprop-scaling.py", {"rms_steps": "1"})
    assert_clean(at)
    assert "1 steps" not in " ".join(m.value for m in at.markdown)
