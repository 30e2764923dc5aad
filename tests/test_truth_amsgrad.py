"""Every live sentence of the AMSGrad lesson is true, over a grid of its sliders.

Each truth condition is checked against an independent core run made here (one ``opt.adam`` per
variant under α/√t, projected onto [−1, 1]) and a regret written out by hand, not against the
lesson's batched runs.  The page tests at the end read the page through AppTest and hold on the old
code too.
"""

import numpy as np
import pytest

import optimizers as opt
from ui.divergence import short_number
from optimizers import online, schedules
from apptest_helpers import assert_clean, markdown, open_page

from lessons import amsgrad as lesson

PAGE = "pages/amsgrad.py"
# (C, steps, α): the defaults, then each slider's ends and interior points.
GRID = [(3.0, 1500, 0.5), (2.1, 30, 10.0), (10.0, 3, 0.5), (6.0, 6000, 1e-4), (2.1, 1500, 0.01), (10.0, 1, 0.5),
        (3.0, 30, 10.0), (6.0, 300, 0.5)]


def run_x(C, steps, alpha, beta2=None, amsgrad=False, paper=False):
    """x_t, t = 1 … steps + 1, of one run: torch's Adam (or the paper's: no v correction, ε = 0)."""
    beta2 = 1 / (1 + C * C) if beta2 is None else beta2
    extra = dict(correct_v=False, eps=0.0) if paper else {}
    optimizer = schedules.scheduled(lambda lr: opt.adam(lr, beta1=0.0, beta2=beta2, amsgrad=amsgrad, **extra),
                                    lr=alpha / np.sqrt(np.arange(1, steps + 1)))
    traj = opt.run(optimizer, lambda x, t: online.grad(x, t, C), np.zeros(1), steps, bounds=(-1.0, 1.0),
                   with_step=True, keep_state="raw")
    return traj.params[:, 0], traj


def regret_by_hand(xs, C):
    """R_T/T, written out: Σ f_t(x_t) minus the best fixed point's Σ f_t, over T."""
    out, played, slopes = [], 0.0, 0.0
    for t, x in enumerate(xs, start=1):
        c = C if t % 3 == 1 else -1.0
        played += c * x
        slopes += c
        out.append((played + abs(slopes)) / t)
    return np.array(out)


def region(x):
    return ("near +1" if x >= 0.9 else "near −1" if x <= -0.9 else "near 0" if abs(x) <= 0.1
            else "between 0 and +1" if x > 0 else "between −1 and 0")


@pytest.fixture(scope="module", params=GRID, ids=lambda s: "C{}-T{}-a{}".format(*s))
def setting(request):
    C, steps, alpha = request.param
    adam, adam_traj = run_x(C, steps, alpha)
    ams, ams_traj = run_x(C, steps, alpha, amsgrad=True)
    return dict(C=C, steps=steps, alpha=alpha, adam=adam, ams=ams, adam_traj=adam_traj, ams_traj=ams_traj,
                run=lesson.counterexample(C, steps, alpha), variants=lesson.variants(C, steps, alpha))


def test_core_sentence(setting):
    C, run = setting["C"], setting["run"]
    text = lesson.core_sentence(run, C, "α", setting["steps"])
    adam, ams = setting["adam"][-1], setting["ams"][-1]
    assert f"Adam ends at **x = {short_number(adam)}**, {region(adam)}" in text
    assert f"AMSGrad at **x = {short_number(ams)}**, {region(ams)}" in text
    regret = {k: regret_by_hand(setting[k][:-1], C) for k in ("adam", "ams")}
    assert f"**{short_number(regret['adam'][-1])}** for Adam" in text and f"**{short_number(regret['ams'][-1])}** for AMSGrad" in text
    half = regret["ams"][len(regret["ams"]) // 2]
    assert ("falling" in text and "not falling" not in text) == bool(regret["ams"][-1] < half)
    assert f"2(C − 2)/3 = {short_number(2 * (C - 2) / 3)}" in text


def test_why_sentence(setting):
    if setting["steps"] < 3:
        return
    run, steps = setting["run"], setting["steps"]
    text = lesson.why_sentence(run)
    k = 3 * ((steps - 3) // 3)                               # the last t ≡ 1 (mod 3) with two steps after it
    assert (k + 1) % 3 == 1
    updates = {name: setting[f"{name}_traj"].updates[:, 0] for name in ("adam", "ams")}
    v = setting["adam_traj"].states["v"][:, 0]
    down = {n: u[k] for n, u in updates.items()}
    up = {n: u[k + 1] + u[k + 2] for n, u in updates.items()}
    assert f"v was **{short_number(v[k], 3)}** at the large gradient" in text
    assert f"then **{short_number(v[k + 1], 3)}** and **{short_number(v[k + 2], 3)}**" in text
    assert f"**{short_number(down['adam'])}** at the large gradient and **+{short_number(up['adam'])}**" in text
    assert ("x climbs" in text) == bool(up["adam"] > -down["adam"])
    assert ("the large gradient wins" in text) == bool(up["ams"] < -down["ams"])
    assert ("Why Adam drifts up" in text) == bool(up["adam"] > -down["adam"])


def test_paper_caption(setting):
    paper = np.stack([run_x(setting["C"], setting["steps"], setting["alpha"], paper=True)[0],
                      run_x(setting["C"], setting["steps"], setting["alpha"], paper=True, amsgrad=True)[0]], axis=1)
    gap = np.abs(paper - np.stack([setting["adam"], setting["ams"]], axis=1))
    text = lesson.paper_caption(setting["run"], setting["variants"])
    assert f"at most {short_number(gap[:, 0].max(), 2)} for Adam and {short_number(gap[:, 1].max(), 2)} for AMSGrad" in text
    assert ("changes nothing visible" in text) == bool(gap.max() < 0.01)


def test_usual_beta2_sentence(setting):
    usual = run_x(setting["C"], setting["steps"], setting["alpha"], beta2=0.999)[0][-1]
    text = lesson.usual_beta2_sentence(setting["variants"][-1, 2])
    assert f"x = {short_number(usual, 3)}, {region(usual)}" in text
    assert ("does not trap it" in text) == bool(usual <= -0.9)


def test_quiz(setting):
    big = run_x(10.0, setting["steps"], setting["alpha"])[0][-1]
    answer = lesson.quiz_answer(lesson.counterexample(10.0, setting["steps"], setting["alpha"]).x[-1, 0])
    assert answer in lesson.QUIZ_OPTIONS
    assert answer.lower().startswith(region(big).lower())
    question = lesson.quiz_question(setting["C"], 10.0, "α", setting["steps"], 1 / 101)
    assert ("Raise C from" in question) == (setting["C"] < 10.0)


# ---- the page shows the builders' text, and (these held on the old code too) its sentences are true ----

@pytest.mark.parametrize("query", [{}, {"ams_C": "2.1", "ams_lr": "10", "ams_steps": "30"}])
def test_page_shows_the_builders_sentences(query):
    at = open_page(PAGE, query)
    assert_clean(at)
    C, alpha, steps = float(query.get("ams_C", 3.0)), float(query.get("ams_lr", 0.5)), int(query.get("ams_steps", 1500))
    run, variants = lesson.counterexample(C, steps, alpha), lesson.variants(C, steps, alpha)
    text = markdown(at)
    assert lesson.core_sentence(run, C, f"{alpha:g}", steps) in text
    assert lesson.why_sentence(run) in text
    assert lesson.usual_beta2_sentence(variants[-1, 2]) in text
    assert any(c.value == lesson.paper_caption(run, variants) for c in at.caption)


def test_the_papers_form_is_not_said_to_change_nothing_visible_at_the_defaults():
    """Old: "the paper's version has neither, which changes nothing visible here"; at the defaults its x
    differs from torch's by 0.027 at t = 2."""
    gap = np.max(np.abs(run_x(3.0, 1500, 0.5, paper=True)[0] - run_x(3.0, 1500, 0.5)[0]))
    assert gap > 0.02
    at = open_page(PAGE)
    assert not any("changes nothing visible" in c.value for c in at.caption)


def test_usual_beta2_is_not_said_to_escape_where_it_is_trapped():
    """Old: "With the usual β₂ = 0.999 this exact problem does not trap Adam" at every setting; at C = 2.1,
    α = 10, 30 steps Adam with β₂ = 0.999 ends at +1."""
    assert run_x(2.1, 30, 10.0, beta2=0.999)[0][-1] >= 0.9
    text = markdown(open_page(PAGE, {"ams_C": "2.1", "ams_lr": "10", "ams_steps": "30"}))
    assert "does not trap Adam" not in text and "does not trap it" not in text


def test_the_quiz_answer_is_where_adam_ends():
    """Old: the answer was always "Still near +1, the worst point"; at α = 10⁻⁴ Adam ends near 0."""
    end = run_x(10.0, 1500, 1e-4)[0][-1]
    assert abs(end) <= 0.1
    at = open_page(PAGE, {"ams_lr": "0.0001"})
    at.radio(key="ams_q1_pick").set_value("Near −1: a gradient that large finally wins").run()
    at.button(key="ams_q1_reveal").click().run()
    assert_clean(at)
    shown = " ".join(box.value for box in [*at.warning, *at.success])
    assert "near 0" in shown.lower(), shown


def test_the_quiz_question_does_not_raise_c_to_itself():
    """Old: "Raise C from 10 to 10" with the slider at its top."""
    text = markdown(open_page(PAGE, {"ams_C": "10"}))
    assert "Raise C from 10 to 10" not in text


def test_review14_beta2_in_one_style_and_one_step_singular():
    """C = 2.1, 1 step: β₂ = 0.1848 written alike in every sentence (not 0.185 and 0.1848), '1 step'."""
    from lessons import amsgrad as lesson
    run = lesson.counterexample(2.1, 1, 0.5)
    core = lesson.core_sentence(run, 2.1, "0.5", 1)
    caption = lesson.paper_caption(run, run.x)
    assert "1 steps" not in core and "and 1 step:" in core
    shown = {m for text in (core, caption, lesson.why_sentence(lesson.counterexample(5.0, 30, 0.5)))
             for m in __import__("re").findall(r"β₂ = (?:1/\(1 \+ C²\) = )?([0-9.]+)", text)}
    assert "0.185" not in shown and "0.1848" in shown
    assert "1 steps" not in lesson.quiz_question(2.1, 10.0, "0.5", 1, 0.0099)
