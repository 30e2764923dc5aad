"""Every live sentence of the momentum-schedules lesson is true, over a grid of its sliders.

The truth of each sentence is checked against an independent core run made here (Adam under the
tutorial's β₁ schedules, one surface at a time, through ``optimizers.schedules.scheduled``), not
against the lesson's batched race.  The page tests at the end read the page through AppTest and
hold on the old code too, which is how the fixed sentences were seen to be false there.
"""

import math
import re

import numpy as np
import pytest

import optimizers as opt
from optimizers import schedules
from apptest_helpers import assert_clean, markdown, open_page

from lessons import schedules as lesson

PAGE = "pages/momentum-schedules.py"
KINDS = ("constant", "decay", "cyclic")
LABELS = {"constant": "constant β₁", "decay": "decaying β₁", "cyclic": "cyclic β₁"}
SURFACES = ("bowl", "rotated_bowl", "rosenbrock", "beale", "himmelblau", "two_wells")
NAMES = {"bowl": "Bowl", "rotated_bowl": "Rotated bowl", "rosenbrock": "Rosenbrock", "beale": "Beale",
         "himmelblau": "Himmelblau", "two_wells": "Two wells"}
TOL = 1e-3
# (α, β₁, steps per epoch, steps): the defaults, the page's suggested α = 0.1, both ends of each slider.
GRID = [(0.05, 0.9, 1, 500), (0.1, 0.9, 1, 500), (0.5, 0.9, 1, 300), (10.0, 0.9, 1, 200), (1e-4, 0.9, 1, 40),
        (0.05, 0.0, 1, 200), (0.05, 0.99, 50, 300), (0.1, 0.5, 10, 1)]


def beta1_by_formula(kind, beta1, steps, spe):
    """The tutorial's schedules, written out: epoch e = (t − 1) // spe."""
    e = np.arange(steps) // spe
    return {"constant": np.full(steps, beta1), "decay": beta1 / (1 + 0.1 * e),
            "cyclic": beta1 * (1 + np.sin(e * math.pi / 10)) / 2}[kind]


def independent(surface_key, lr, beta1, spe, steps):
    """kind -> (params (steps + 1, D), first step within TOL or None), one core run per schedule."""
    surface = opt.surfaces.get(surface_key)
    out = {}
    for kind in KINDS:
        optimizer = schedules.scheduled(lambda beta1: opt.adam(lr, beta1=beta1), beta1=beta1_by_formula(kind, beta1, steps, spe))
        traj = opt.run(optimizer, surface.grad, np.array(surface.start, dtype=float), steps)
        hits = np.flatnonzero(surface.distance_to_minimum(traj.params) <= TOL)
        out[kind] = (traj.params, int(hits[0]) if hits.size else None)
    return out


@pytest.fixture(scope="module", params=GRID, ids=lambda s: "lr{}-b{}-spe{}-T{}".format(*s))
def setting(request):
    lr, beta1, spe, steps = request.param
    truth = {key: independent(key, lr, beta1, spe, steps) for key in SURFACES}
    table = lesson.verdict(lr, beta1, steps, spe, TOL)
    return dict(lr=lr, beta1=beta1, spe=spe, steps=steps, truth=truth, table=table)


def true_firsts(truth):
    """kind -> surfaces on which it arrived first (alone or tied)."""
    wins = {kind: [] for kind in KINDS}
    for key, runs in truth.items():
        done = [step for _, step in runs.values() if step is not None]
        for kind, (_, step) in runs.items():
            if done and step == min(done):
                wins[kind].append(key)
    return wins


def earlier(a, b):
    return a is not None and (b is None or a < b)


def test_start_caption(setting):
    paths = lesson.schedule_paths("bowl", setting["lr"], setting["beta1"], setting["steps"], setting["spe"])
    text = lesson.start_caption(paths, setting["beta1"], setting["spe"])
    runs = setting["truth"]["bowl"]
    points = {kind: runs[kind][0] for kind in KINDS}
    if setting["beta1"] == 0:
        assert "one and the same run" in text
        assert all(np.array_equal(points[k], points["constant"]) for k in KINDS)
        return
    assert "same β₁" not in text
    same_first = all(np.allclose(points[k][1], points["constant"][1], rtol=1e-12, atol=1e-12) for k in KINDS)
    assert ("same first step" in text) == same_first and same_first        # m̂₁ = g₁ whatever β₁
    assert f"β₁/2 = {setting['beta1'] / 2:g}" in text                        # the cyclic β₁'s start
    for kind, said in zip(("decay", "cyclic"), re.findall(r"(at step \d+|not within the \d+ steps?)", text)):
        apart = np.flatnonzero(np.any(np.abs(points[kind] - points["constant"])
                                      > 1e-12 * (1 + np.abs(points["constant"])), axis=-1))
        assert said == (f"at step {apart[0]}" if apart.size else f"not within the {setting['steps']} step"
                        + ("s" if setting["steps"] != 1 else "")), kind


def test_correction_sentence(setting):
    beta1, steps, spe = setting["beta1"], setting["steps"], setting["spe"]
    decay = beta1_by_formula("decay", beta1, steps, spe)
    t = np.arange(1, steps + 1)
    apart = np.flatnonzero(np.abs((1 - decay ** t) - (1 - np.cumprod(decay))) > 0.01)
    text = lesson.correction_sentence(lesson.corrections(beta1, steps, spe))
    if apart.size == 0:
        assert "never differ" in text
    elif apart[-1] == steps - 1:
        assert f"at the last step, {steps}" in text
    else:
        assert f"up to step {apart[-1] + 1} and agree" in text


def test_halving_sentence(setting):
    beta1, steps, spe = setting["beta1"], setting["steps"], setting["spe"]
    text = lesson.halving_sentence(beta1, steps, spe)
    if beta1 == 0:
        assert "nothing for the decay" in text
        return
    long = beta1_by_formula("decay", beta1, 100 * spe, spe)
    halved = int(np.flatnonzero(long <= beta1 / 2 + 1e-15)[0]) + 1
    assert f"step {halved}" in text
    assert ("already halved" in text) == (halved <= steps)


def test_count_and_verdict_sentences(setting):
    truth, table = setting["truth"], setting["table"]
    wins = true_firsts(truth)
    assert lesson.firsts(table, TOL) == wins                     # the page's table agrees with the core here
    text = lesson.count_sentence(table, TOL, NAMES)
    for kind in KINDS:
        n = len(wins[kind])
        phrase = "none of the 6" if n == 0 else "all 6" if n == 6 else f"{n} of the 6"
        assert f"**{LABELS[kind]}** on {phrase} surfaces" in text
    nobody = [key for key, runs in truth.items() if all(step is None for _, step in runs.values())]
    assert (f"on {len(nobody)} surface" in text) == bool(nobody)
    verdict = lesson.verdict_sentence(table, TOL, NAMES)
    for kind in ("decay", "cyclic"):
        won = [k for k, r in truth.items() if earlier(r[kind][1], r["constant"][1])]
        lost = [k for k, r in truth.items() if earlier(r["constant"][1], r[kind][1])]
        own = next(s for s in re.split(r"(?<=\.) (?=The |Neither )", verdict) if s.startswith(f"The {LABELS[kind]} is n")
                   or s.startswith(f"The {LABELS[kind]} is a") or s.startswith(f"The {LABELS[kind]} never")
                   or s.startswith(f"Neither the {LABELS[kind]}"))
        nobody_pair = all(r[kind][1] is None and r["constant"][1] is None for r in truth.values())
        assert own.startswith("Neither") == nobody_pair
        if nobody_pair:
            continue
        if won:
            assert f"ahead on {len(won)} surface" in own or f"ahead of the constant one on {len(won)} surface" in own
        else:
            assert "never ahead" in own or "never beats" in own
        if lost:
            assert f"behind on {len(lost)} surface" in own
        else:
            assert "never behind" in own or "never loses" in own
        assert ("not a free improvement" in own) == bool(won and lost)
        assert ("it is an improvement" in own) == bool(won and not lost)
    n = len(wins["cyclic"])
    expected = ("none of the 6" if n == 0 else "all 6" if n == 6 else f"on {n} of the 6")
    assert expected in lesson.cyclic_sentence(table, TOL)


def test_quiz_answer_and_reveal(setting):
    runs = setting["truth"]["bowl"]
    steps = {kind: runs[kind][1] for kind in KINDS}
    done = [s for s in steps.values() if s is not None]
    first = [k for k, s in steps.items() if done and s == min(done)]
    answer = lesson.quiz_answer(setting["table"]["bowl"], TOL)
    assert answer in lesson.quiz_options()
    assert answer == (lesson.QUIZ_NONE if not first else LABELS[first[0]] if len(first) == 1 else lesson.QUIZ_TIE)
    reveal = lesson.quiz_reveal(setting["table"]["bowl"], TOL)
    for kind, step in steps.items():
        assert (f"{LABELS[kind]} at step **{step}**" if step is not None else f"{LABELS[kind]} **not within") in reveal
    for kind in ("decay", "cyclic"):
        if earlier(steps["constant"], steps[kind]):
            assert f"cost the {LABELS[kind]}" in reveal
        elif earlier(steps[kind], steps["constant"]):
            assert f"the {LABELS[kind]} arrived" in reveal
        else:
            assert f"the {LABELS[kind]} did no better and no worse" in reveal


# ---- the page shows the builders' text, and (these held on the old code too) its sentences are true ----

def _caption_under_table(at):
    return next(c.value for c in at.caption if "first step" in c.value or "one and the same" in c.value
                or "start together" in c.value)


@pytest.mark.parametrize("query", [{}, {"sched_lr": "0.1"}, {"sched_beta1": "0"}])
def test_page_shows_the_builders_sentences(query):
    at = open_page(PAGE, query)
    assert_clean(at)
    lr, beta1 = float(query.get("sched_lr", 0.05)), float(query.get("sched_beta1", 0.9))
    paths = lesson.schedule_paths("bowl", lr, beta1, 500, 1)
    table = lesson.verdict(lr, beta1, 500, 1, TOL)
    assert _caption_under_table(at) == lesson.start_caption(paths, beta1, 1)
    text = markdown(at)
    assert lesson.count_sentence(table, TOL, NAMES) in text
    assert lesson.verdict_sentence(table, TOL, NAMES) in text
    assert lesson.halving_sentence(beta1, 500, 1) in text
    assert any(c.value == "Right panel: " + lesson.correction_sentence(lesson.corrections(beta1, 500, 1))
               for c in at.caption)


def test_the_caption_does_not_say_the_three_start_with_the_same_beta1():
    """Old: "All three start together with the same β₁" while the cyclic β₁ starts at β₁/2."""
    at = open_page(PAGE)
    caption = _caption_under_table(at)
    cyclic_start = beta1_by_formula("cyclic", 0.9, 1, 1)[0]
    assert not ("same β₁" in caption and cyclic_start != 0.9), caption
    runs = independent("bowl", 0.05, 0.9, 1, 3)
    assert "same first step" in caption and all(np.allclose(runs[k][0][1], runs["constant"][0][1]) for k in KINDS)


def test_the_cyclic_verdict_is_counted_at_alpha_0_1():
    """Old: "The cyclic β₁ … is not better than the best of them in any systematic way", while at α = 0.1 it is
    first on Himmelblau and the two wells, as often as the constant β₁."""
    truth = {key: independent(key, 0.1, 0.9, 1, 500) for key in SURFACES}
    wins = true_firsts(truth)
    assert set(wins["cyclic"]) >= {"himmelblau", "two_wells"}
    at = open_page(PAGE, {"sched_lr": "0.1"})
    text = markdown(at)
    n = len(wins["cyclic"])
    if n >= max(len(wins["constant"]), len(wins["decay"])):
        assert "not better than the best of them" not in text
    assert f"cyclic β₁ is first (alone or tied) on {n} of the 6 surfaces" in text


def test_a_tie_on_the_bowl_is_not_called_a_win():
    """Old: at β₁ = 0 the three runs are one run, yet the quiz's answer was "constant β₁" (the first listed)."""
    at = open_page(PAGE, {"sched_beta1": "0"})
    at.radio(key="sched_q1_pick").set_value("constant β₁").run()
    at.button(key="sched_q1_reveal").click().run()
    assert_clean(at)
    assert not at.success, "a three-way tie was revealed as a win for the constant β₁"


def test_review14_nobody_within_the_tolerance_is_said():
    """α = 1, 50 steps per epoch, 30 steps, tolerance 10⁻⁶: no run reaches it, so 'never beats … never loses'
    is not the verdict."""
    table = lesson.verdict(1.0, 0.9, 30, 50, 1e-6)
    assert all(lesson.first_reached(row, 1e-6) is None for rows in table.values() for row in rows)
    verdict = lesson.verdict_sentence(table, 1e-6, NAMES)
    assert "never beats the constant one and never loses" not in verdict
    assert "Neither the cyclic β₁ nor the constant one comes within 1e-06" in verdict
    assert "step(s)" not in lesson.halving_sentence(0.9, 30, 1) and "1 step per epoch" in lesson.halving_sentence(0.9, 30, 1)
