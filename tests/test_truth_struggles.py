"""Every live sentence of "When Adam struggles" is true, over a grid of its sliders.

Each truth condition is checked against an independent core run made here (``opt.run`` with the
scene's optimizers built by hand), not against the lesson's cached ``runs.run_path``.  The page tests
at the end read the page through AppTest and hold on the old code too.
"""

import re

import numpy as np
import pytest

import optimizers as opt
from ui.divergence import short_number
from apptest_helpers import assert_clean, markdown, open_page

from lessons import struggles as lesson

PAGE = "pages/when-adam-struggles.py"
Y0S = (0.0, 1e-8, 1e-6, 1e-4, 0.1)
RADII = (1.5, 4.0, 6.0, 7.0, 8.0)
EPSILONS = (0.0, 1e-8, 1e-4, 10.0)
VALLEY = [(1e-4, 0.999), (0.05, 0.0), (0.05, 0.9), (0.05, 0.999), (1.0, 0.999), (10.0, 0.99999)]


def build(key, **hp):
    """The scene's optimizers, built from the core directly."""
    if key == "sgd":
        return opt.sgd(hp["lr"])
    if key == "momentum":
        return opt.sgd(hp["lr"], momentum=hp["momentum"])
    if key == "rmsprop":
        return opt.rmsprop(hp["lr"], alpha=hp["rho"], eps=hp["eps"])
    return opt.adam(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"])


def independent(scene, start, steps, overrides=None):
    """key -> params (steps + 1, 2) of each member, one core run each."""
    surface = opt.surfaces.get(lesson.SCENES[scene].surface)
    out = {}
    for key, hp in lesson.SCENES[scene].members:
        hp = dict(hp, **(overrides or {}).get(key, {}))
        out[key] = opt.run(build(key, **hp), surface.grad, np.array(start, dtype=float), steps, loss_fn=surface.loss)
    return out


def said(text, who, verb):
    """The count a sentence gives ``who`` for ``verb``: an int, or None for 'does not … within the run'."""
    match = re.search(rf"{who} (?:{verb}es in (\d+) steps?|does not {verb} within the run)", text)
    assert match, (who, verb, text)
    return int(match.group(1)) if match.group(1) else None


@pytest.mark.parametrize("y0", Y0S)
def test_saddle_sentence(y0):
    start = (-2.0, y0)
    runs = independent("saddle", start, 300)
    text = lesson.saddle_why(lesson.scene_paths("saddle", start, 300), y0)
    escapes = {}
    for key, traj in runs.items():
        hits = np.flatnonzero(np.abs(traj.params[:, 1]) >= 1.0)
        escapes[key] = int(hits[0]) if hits.size else None
    order = ("sgd", "momentum", "rmsprop", "adam") if y0 == 0 else ("sgd", "momentum", "adam", "rmsprop")
    quoted = [int(n) if n else None for n in re.findall(r"(?:escapes in (\d+) steps?|does not escape within the run)", text)]
    assert quoted == [escapes[key] for key in order]
    if y0 == 0:
        assert all(step is None for step in escapes.values())
        return
    rms_y = abs(runs["rmsprop"].params[1, 1] - y0) / 0.05
    adam_y = abs(runs["adam"].params[1, 1] - y0) / 0.05
    assert f"y-step of {lesson.times_alpha(rms_y)}" in text
    assert f"first step in y is {lesson.times_alpha(adam_y)}" in text
    assert ("α/√(1 − ρ) = 10α, since" in text) == (abs(rms_y - 10) < 0.5)
    assert 1.1 == pytest.approx(1 + 2 * 0.05)          # the fixed "1 + 2α = 1.1": the saddle's α is 0.05


@pytest.mark.parametrize("radius", RADII)
@pytest.mark.parametrize("eps", EPSILONS)
def test_plateau_sentence(radius, eps):
    start = lesson.start_of("plateau", radius)
    overrides = {"rmsprop": {"eps": eps}, "adam": {"eps": eps}}
    runs = independent("plateau", start, 200, overrides)
    text = lesson.plateau_why(lesson.scene_paths("plateau", start, 200, overrides), radius, eps)
    for key, who in (("sgd", "SGD"), ("momentum", "momentum"), ("adam", "Adam"), ("rmsprop", "RMSprop")):
        with np.errstate(invalid="ignore"):
            hits = np.flatnonzero(runs[key].losses < 0.5)
        assert said(text, who, "cross") == (int(hits[0]) if hits.size else None), key
    g = np.abs(opt.surfaces.get("plateau").grad(np.array(start)))
    assert np.allclose(np.linalg.norm(g), radius * np.exp(-radius ** 2 / 2), rtol=1e-12)
    size = float(np.linalg.norm(g))
    assert "Far from the well" not in text
    assert (", tiny:" in text) == (size < 1e-2) and ("not small" in text) == (size >= 0.1)
    step = np.abs(runs["adam"].params[1] - runs["adam"].params[0]) / 0.1
    np.testing.assert_allclose(step, g / (g + eps), rtol=1e-9, atol=1e-13)   # α·|gᵢ|/(|gᵢ| + ε), as said
    assert f"{lesson.times_alpha(step[0])} in x and {lesson.times_alpha(step[1])} in y" in text
    if eps > 0:
        size = "well above" if g.min() >= 10 * eps else "well below" if g.max() <= eps / 10 else "of the size of"
        assert f"is {size} ε" in text


@pytest.mark.parametrize("lr, beta2", VALLEY)
def test_valley_sentence(lr, beta2):
    start = lesson.start_of("valley", None)
    overrides = {"adam": {"lr": lr, "beta2": beta2}}
    runs = independent("valley", start, 300, overrides)
    at_09 = None if beta2 == 0.9 else lesson.scene_paths("valley", start, 300, {"adam": {"lr": lr, "beta2": 0.9}})[-1]
    text = lesson.valley_why(lesson.scene_paths("valley", start, 300, overrides), beta2, at_09)
    adam, momentum = float(runs["adam"].losses[-1]), float(runs["momentum"].losses[-1])
    assert f"loss **{short_number(adam, 4)}**" in text and f"**{short_number(momentum, 4)}** of momentum" in text
    assert ("above the" in text) == (adam > momentum) and ("below the" in text) == (adam < momentum)
    assert f"1/(1 − β₂) = {short_number(1 / (1 - beta2), 4)} step" in text
    if beta2 != 0.9:
        other = opt.run(build("adam", lr=lr, beta1=0.9, beta2=0.9, eps=1e-8), opt.surfaces.get("narrow_valley").grad,
                        np.array(start, dtype=float), 300, loss_fn=opt.surfaces.get("narrow_valley").loss)
        other_loss = float(other.losses[-1])
        apart = abs(other_loss - adam) > 0.01 * max(abs(other_loss), abs(adam))
        word = ('lower' if other_loss < adam else 'higher') if apart else 'the same within 1 %'
        assert f"loss **{short_number(other_loss)}** instead: {word}" in text
    else:
        assert "With β₂ = 0.9 and the same α" not in text


def test_quiz_answer_and_reveal():
    counts = []
    for y0 in lesson.QUIZ_Y0:
        runs = independent("saddle", (-2.0, y0), 1000)
        counts.append({key: (lambda hits: int(hits[0]) if hits.size else None)(
            np.flatnonzero(np.abs(traj.params[:, 1]) >= 1.0)) for key, traj in runs.items()})
    near, nearer = counts
    assert 0.67 < nearer["adam"] / near["adam"] < 1.5
    assert lesson.quiz_answer(near["adam"], nearer["adam"]) == "About the same"
    reveal = lesson.quiz_reveal(near, nearer)
    assert f"{nearer['sgd'] - near['sgd']} more" in reveal
    predicted = np.log(1e4) / np.log(1.1)
    assert f"= {predicted:.1f}" in reveal and abs((nearer["sgd"] - near["sgd"]) - predicted) < 3
    # the answer follows the counts, whatever they are
    assert lesson.quiz_answer(20, 60) == lesson.QUIZ_OPTIONS[1]
    assert lesson.quiz_answer(2, 20000) == lesson.QUIZ_OPTIONS[0]
    assert lesson.quiz_answer(20, None) == lesson.QUIZ_OPTIONS[3]


# ---- the page shows the builders' text, and (these held on the old code too) its sentences are true ----

@pytest.mark.parametrize("query", [{}, {"bad_y0": "1e-08", "bad_r": "7", "bad_eps": "0", "bad_adam_lr": "1"}])
def test_page_shows_the_builders_sentences(query):
    at = open_page(PAGE, query)
    assert_clean(at)
    y0, radius = float(query.get("bad_y0", 1e-4)), float(query.get("bad_r", 6.0))
    eps, lr = float(query.get("bad_eps", 1e-8)), float(query.get("bad_adam_lr", 0.05))
    text = markdown(at)
    assert lesson.saddle_why(lesson.scene_paths("saddle", (-2.0, y0), 200), y0) in text
    plateau = lesson.scene_paths("plateau", lesson.start_of("plateau", radius), 200,
                                 {"rmsprop": {"eps": eps}, "adam": {"eps": eps}})
    assert lesson.plateau_why(plateau, radius, eps) in text
    start = lesson.start_of("valley", None)
    at_09 = lesson.scene_paths("valley", start, 300, {"adam": {"lr": lr, "beta2": 0.9}})[-1]
    assert lesson.valley_why(lesson.scene_paths("valley", start, 300, {"adam": {"lr": lr, "beta2": 0.999}}),
                             0.999, at_09) in text


def test_the_introduction_has_no_garbled_word():
    """Old: "a sharp, narrow valley that runs diagonally, where it lesson"."""
    assert "where it lesson" not in markdown(open_page(PAGE))


def test_rmsprops_first_step_on_the_saddle_is_what_the_run_takes():
    """Old: "RMSprop … starts with steps of 10α" whatever y₀; at y₀ = 10⁻⁸ its y-gradient is near ε and the
    first y-step is 1.67α."""
    runs = independent("saddle", (-2.0, 1e-8), 5)
    rms_y = abs(runs["rmsprop"].params[1, 1] - 1e-8) / 0.05
    assert rms_y < 2
    text = markdown(open_page(PAGE, {"bad_y0": "1e-08"}))
    assert "steps of 10α" not in text
    assert f"y-step of {short_number(rms_y, 3)}α" in text


def test_lowering_beta2_is_not_promised_to_help_where_it_does_not():
    """Old: "Lower β₂ to 0.9 and Adam forgets the wall" at every α; at α = 1, β₂ = 0.9 ends far higher."""
    surface, start = opt.surfaces.get("narrow_valley"), np.array(lesson.start_of("valley", None), dtype=float)
    ends = {b2: float(opt.run(build("adam", lr=1.0, beta1=0.9, beta2=b2, eps=1e-8), surface.grad, start, 300,
                              loss_fn=surface.loss).losses[-1]) for b2 in (0.9, 0.999)}
    assert ends[0.9] > 100 * ends[0.999]
    text = markdown(open_page(PAGE, {"bad_adam_lr": "1"}))
    assert "Lower β₂ to 0.9 and Adam forgets the wall" not in text
    assert f"loss **{short_number(ends[0.9], 4)}** instead: higher" in text


def test_review14_the_plateau_gradient_is_computed_from_r():
    """r = 1.5: the start's gradient is 1.5·e^(−1.125) = 0.487, not tiny; SGD crosses in 2 steps."""
    text = lesson.plateau_why(lesson.scene_paths("plateau", lesson.start_of("plateau", 1.5), 200, {}), 1.5, 1e-8)
    assert ", tiny" not in text and "0.487" in text and "not small" in text


def test_review14_the_valley_memory_is_written_short():
    """β₂ = 0.99999: 1/(1 − β₂) is written 1×10⁵, not 1e+05."""
    paths = lesson.scene_paths("valley", lesson.start_of("valley", None), 200, {"adam": {"beta2": 0.99999}})
    text = lesson.valley_why(paths, 0.99999)
    assert "e+" not in text and "e-" not in text and "1/(1 − β₂) = 1×10⁵ steps" in text
