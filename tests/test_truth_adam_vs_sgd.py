"""Every live sentence of the flagship (/adam-vs-sgd) is true: issue 14, "Every sentence true".

The sentence builders of lessons/adam_vs_sgd.py are pure, so the grid tests call them directly on
runs this file makes with ``optimizers.run`` and check each sentence's numbers and verdict words
against truth conditions computed here, independently of the lesson's own helpers.  A few AppTest
runs check that the page shows exactly what the builders say, and pin the wrong statements the
issue found (Adam "about 60 steps", "overflowed" for 0/0, SGD at α = 10 "diverged at step —").
"""

import itertools
import re

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, figures, open_page, values
from lessons import adam_vs_sgd as lesson
from ui.runs import Path, TracedPath

FLAGSHIP = "pages/adam-vs-sgd.py"
DEFAULTS = dict(sgd=dict(lr=0.1), momentum=dict(lr=0.1, momentum=0.9), rmsprop=dict(lr=0.1, rho=0.99, eps=1e-8),
                adam=dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8))
STYLE = dict(sgd=("SGD", "#A16F00", "circle"), momentum=("SGD + momentum", "#2E8BC9", "square"),
             rmsprop=("RMSprop", "#009E73", "diamond"), adam=("Adam", "#D55E00", "triangle-up"))
BUILD = dict(sgd=lambda h: opt.sgd(h["lr"]), momentum=lambda h: opt.sgd(h["lr"], momentum=h["momentum"]),
             rmsprop=lambda h: opt.rmsprop(h["lr"], alpha=h["rho"], eps=h["eps"]),
             adam=lambda h: opt.adam(h["lr"], beta1=h["beta1"], beta2=h["beta2"], eps=h["eps"]))
SCENE_START = dict(parabola=(8.0,), two_wells=(2.0,), bowl=(-5.0, 2.0), rosenbrock=(-1.2, 1.0),
                   saddle=(-2.0, 0.01), beale=(1.0, 1.75))


# ---- independent runs and readings ------------------------------------------------------------

def core(key, hyper, surface, start, steps, keep_state=False):
    return opt.run(BUILD[key](hyper), surface.grad, np.array(start, dtype=float), steps,
                   loss_fn=surface.loss, keep_state=keep_state)


def as_path(key, traj, surface):
    label, color, symbol = STYLE[key]
    return Path(key, label, color, symbol, traj.params, traj.losses, surface.distance_to_minimum(traj.params),
                int(traj.diverged_at))


def scene(surface_key, start, steps, overrides):
    """The four runs (and Adam's traced and 1000-step runs) for one point of the grid."""
    surface = opt.surfaces.get(surface_key)
    settings = {key: dict(hp, **overrides.get(key, {})) for key, hp in DEFAULTS.items()}
    trajs = {key: core(key, hp, surface, start, steps, keep_state=key == "adam") for key, hp in settings.items()}
    paths = [as_path(key, traj, surface) for key, traj in trajs.items()]
    adam = trajs["adam"]
    traced = TracedPath(paths[3], adam.grads, dict(adam.states))
    longer = core("adam", settings["adam"], surface, start, lesson.MAX_STEPS) if surface.dim == 1 else None
    longer_path = as_path("adam", longer, surface) if longer is not None else None
    return surface, settings, trajs, paths, traced, longer, longer_path


def finite_end(traj):
    d = int(traj.diverged_at)
    return len(traj.params) - 1 if d < 0 else d - 1


SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")
NUMBER = r"-?\d+(?:\.\d+)?(?:×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"


def number(text):
    """'1.41×10⁻⁴' -> 1.41e-4; '0.61' -> 0.61."""
    mantissa, _, exponent = text.partition("×10")
    return float(mantissa) * (10.0 ** int(exponent.translate(SUP)) if exponent else 1.0)


def close(shown, exact, digits=4):
    """A number printed with ``digits`` significant digits (or 2 decimals) stands for ``exact``."""
    return shown == pytest.approx(exact, rel=10.0 ** (1 - digits), abs=0.006)


def bullet(text, head):
    found = [line for line in text.splitlines() if line.startswith(f"- **{head}")]
    return found[0] if found else None


# The documented divergence rule, written again from its statement in ui/divergence.py.
def diverging_step(losses, min_value):
    gaps = np.asarray(losses) - min_value
    limit = 1e6 * max(gaps[0], 1.0)
    last = len(gaps) - 1
    while last >= 0 and not np.isfinite(gaps[last]):
        last -= 1
    k = None
    for t in range(last, 0, -1):
        if gaps[t] > limit:
            k = t
        else:
            break
    return k


def crossings_of(theta, target):
    signs = [s for s in np.sign(theta - target) if s != 0]
    return sum(1 for a, b in zip(signs, signs[1:]) if a != b)


def first_reach_of(theta, target):
    s0 = np.sign(theta[0] - target)
    for t in range(1, len(theta)):
        if (theta[t] - target) * s0 <= 0:
            return t
    return None


# ---- the truth conditions, one per sentence --------------------------------------------------------

def check_sgd(text, surface, hyper, traj):
    end = finite_end(traj)
    dist = surface.distance_to_minimum(traj.params)
    found = re.search(rf"went from ({NUMBER}) to ({NUMBER}) in (\d+) steps?", text)
    if surface.key == "parabola" and dist[0] == 0:
        assert "does not move" in text and np.all(traj.params[:end + 1] == traj.params[0])
        return
    if surface.key == "parabola" and hyper["lr"] == 0.5:
        assert "lands on the minimum in one step" in text and traj.params[1, 0] == 2.0
        return
    assert found, text
    assert close(number(found[1]), dist[0]) and close(number(found[2]), dist[end]) and int(found[3]) == end
    if surface.key == "parabola":
        factor = abs(1 - 2 * hyper["lr"])
        assert close(number(re.search(rf"\|1 − 2α\| = ({NUMBER})", text)[1]), factor)
        ok = (dist[:end] > 1e-9) & np.isfinite(dist[1:end + 1]) & (dist[1:end + 1] > 0)
        np.testing.assert_allclose(dist[1:end + 1][ok] / dist[:end][ok], factor, rtol=1e-6)
        assert ("shrink with the slope" in text) == (factor < 1)
        assert ("SGD diverges" in text) == (factor > 1)


def check_adam(text, surface, hyper, traj, longer):
    end = finite_end(traj)
    if end < 1:
        assert "made no finite step" in text
        return
    steps = np.linalg.norm(np.diff(traj.params[:end + 1], axis=0), axis=-1) / hyper["lr"]
    quoted = re.findall(rf"({NUMBER}) at t = (\d+)", text.split("step/α")[1].split(". ")[0])
    assert quoted and int(quoted[0][1]) == 1 and int(quoted[-1][1]) == end
    for shown, t in quoted:
        assert close(number(shown), steps[int(t) - 1], 3), (shown, t, steps[int(t) - 1])
    first, last = steps[0], steps[int(quoted[-1][1]) - 1]
    if len(quoted) > 1:
        assert ("and shrink" in text) == (last < 0.9 * first)
        assert ("and grow" in text) == (last > 1.1 * first)
    m_hat, v_hat = traj.states["m_hat"], traj.states["v_hat"]
    said = re.search(rf"At t = (\d+), \|m̂\| = ({NUMBER}) and √v̂ = ({NUMBER})", text)
    if said:
        t = int(said[1])
        assert any(close(number(said[2]), abs(m_hat[t - 1, a])) and close(number(said[3]), np.sqrt(v_hat[t - 1, a]))
                   for a in range(surface.dim))
    if "still remembers the steep start" in text:
        t = int(said[1])
        assert hyper["beta2"] > hyper["beta1"] and steps[t - 1] < 0.9 * steps[0]
        assert np.all(traj.grads[:t] * traj.grads[0] > 0, axis=0).any()
    if surface.dim == 2:
        close_steps = np.flatnonzero(surface.distance_to_minimum(traj.params[:end + 1]) <= 1e-3)
        if close_steps.size:
            assert f"within 0.001 of a minimum at step {close_steps[0]}." in text
        else:
            assert f"does not come within 0.001 of a minimum within {end} steps" in text
        return
    theta = traj.params[:end + 1, 0]
    minima = np.array(surface.minima)[:, 0]
    target = minima[np.argmin(np.abs(minima - theta[0]))]
    if theta[0] == target:
        assert "starts on the minimum" in text
        return
    cross = first_reach_of(theta, target)
    near = np.flatnonzero(np.abs(theta - target) <= 1e-3)
    arrive = min([t for t in (cross, near[0] if near.size else None) if t is not None], default=None)
    if arrive is None:
        assert f"has not reached the minimum θ* = " in text and f"within {end} step" in text
        longer_theta = longer.params[:finite_end(longer) + 1, 0]
        later = [t for t in (first_reach_of(longer_theta, target),
                             next(iter(np.flatnonzero(np.abs(longer_theta - target) <= 1e-3)), None)) if t is not None]
        if later and min(later) > end:
            assert f"With {min(later)} steps or more it gets there" in text
        else:
            assert "gets there" not in text
        return
    if arrive == 0:
        assert "starts within 0.001 of the minimum" in text
    elif arrive == cross:
        assert f"(or past it) at step {cross}." in text
    else:
        assert f"within 0.001 of the minimum θ* = " in text and f"at step {arrive}" in text
    nearest = minima[np.argmin(np.abs(theta[:, None] - minima[None, :]), axis=1)]
    if nearest[-1] != target:
        assert "leaves for the other well" in text and "oscillates" not in text
        return
    beyond = -(theta - target) * np.sign(theta[0] - target)
    if beyond.max() <= 0:
        assert ("past it." in text or "passing it." in text) and "goes at most" not in text
        return
    past = re.search(rf"goes at most ({NUMBER}) past it \(θ = ({NUMBER}) at step (\d+)\)", text)
    t = int(np.argmax(beyond))
    assert close(number(past[1]), beyond[t]) and int(past[3]) == t
    count = crossings_of(theta, target)
    assert ("it oscillates around the minimum" in text) == (count >= 2)
    assert ("crosses θ* once" in text) == (count == 1)


def check_momentum(text, surface, traj):
    end = finite_end(traj)
    if surface.dim != 1 or end < 1:
        return
    theta = traj.params[:end + 1, 0]
    minima = np.array(surface.minima)[:, 0]
    target = minima[np.argmin(np.abs(minima - theta[0]))]
    if theta[0] == target:
        assert "starts on the minimum" in text
        return
    count = crossings_of(theta, target)
    if count == 0:
        assert "does not pass θ*" in text
        return
    nearest = minima[np.argmin(np.abs(theta[:, None] - minima[None, :]), axis=1)]
    if nearest[-1] != target and diverging_step(traj.losses, surface.min_value) is None:
        assert "for the other one at step" in text and "rings" not in text
        return
    word = {1: "once", 2: "twice"}.get(count, f"{count} times")
    assert f") {word}" in text
    assert ("rings around the minimum" in text) == (count >= 2 and diverging_step(traj.losses, surface.min_value) is None)


def check_rmsprop(text, hyper, traj):
    if finite_end(traj) < 1:
        assert "not a number" in text
        return
    ratio = np.max(np.abs(traj.params[1] - traj.params[0])) / hyper["lr"]
    shown = re.search(rf"In this run it is ({NUMBER})?α", text)[1]
    assert close(number(shown) if shown else 1.0, ratio, 3)
    assert ("so it starts big" in text) == (ratio > 1.1)
    big = re.search(rf"α/√\(1−ρ\) = ({NUMBER})?α", text)[1]
    assert close(number(big) if big else 1.0, 1 / np.sqrt(1 - hyper["rho"]), 3)
    assert "= 1α" not in text


def check_notes(paths, surface, settings, trajs):
    for path in paths:
        key = path.key
        traj = trajs[key]
        note = lesson.stop_note(path, surface, settings[key])
        blowup = diverging_step(traj.losses, surface.min_value)
        d = int(traj.diverged_at)
        if d >= 0 and blowup is None:
            grads = surface.grad(traj.params[:d])
            zero = np.all(grads ** 2 == 0, axis=0).any()
            assert note and "NaN" in note[1] and "overflow" not in note[1]
            assert ("0/0" in note[1]) == bool(zero and key in ("rmsprop", "adam") and settings[key]["eps"] == 0)
        elif blowup is not None:
            assert note and f"{blowup}" in note[1]
            if d >= 0:
                assert f"diverged at step {d}**" in note[1] and f"From step {blowup} on" in note[1]
            else:
                assert f"is diverging from step {blowup}." in note[1]
        else:
            assert note is None


def check_table(rows, paths, surface, settings, trajs):
    assert len(rows) == 4
    for row, path in zip(rows, paths):
        traj, end = trajs[path.key], finite_end(trajs[path.key])
        assert close(number(row["α"]), settings[path.key]["lr"])
        if end >= 1:
            assert close(number(row["size of step 1 |θ₁ − θ₀|"]), np.linalg.norm(traj.params[1] - traj.params[0]))
        reached = np.flatnonzero(surface.distance_to_minimum(traj.params[:end + 1]) <= 1e-3)
        assert row["steps to reach within 0.001 of a minimum"] == (
            str(reached[0]) if reached.size else "no finite step" if end == 0
            else f"not within {end} step" + ("s" if end != 1 else ""))
        blowup = diverging_step(traj.losses, surface.min_value)
        assert row["diverging?"].startswith("no") == (blowup is None and traj.diverged_at < 0)
        if blowup is not None:
            assert row["diverging?"].startswith(f"from step {blowup}")
        for name in ("final θ", "final x", "final y", "final loss", "distance to the nearest minimum"):
            if name in row:
                assert "e+" not in row[name] and "e-" not in row[name] and len(row[name]) <= 16, row


def check_everything(surface_key, start, steps, overrides):
    surface, settings, trajs, paths, traced, longer, longer_path = scene(surface_key, start, steps, overrides)
    text = lesson.what_to_look_for(paths, surface, settings, traced, longer_path)
    check_sgd(bullet(text, "SGD's"), surface, settings["sgd"], trajs["sgd"])
    check_adam(bullet(text, "Adam"), surface, settings["adam"], trajs["adam"], longer)
    check_momentum(bullet(text, "Momentum"), surface, trajs["momentum"])
    check_rmsprop(bullet(text, "RMSprop"), settings["rmsprop"], trajs["rmsprop"])
    if surface_key == "bowl":
        lr = settings["sgd"]["lr"]
        line = bullet(text, "On the ill-conditioned bowl")
        assert ("zigzags across the valley" in line) == (-1 < 1 - 10 * lr < 0)
    check_notes(paths, surface, settings, trajs)
    check_table(lesson.readout_rows(paths, surface, settings), paths, surface, settings, trajs)


# ---- the grid ---------------------------------------------------------------------------------------

ONE_AT_A_TIME = (
    [("parabola", (8.0,), 50, {})]
    + [("parabola", (8.0,), 50, {"sgd": {"lr": a}, "momentum": {"lr": a}, "rmsprop": {"lr": a}, "adam": {"lr": a}})
       for a in (1e-4, 0.01, 0.5, 1.0, 2.0, 10.0)]
    + [("parabola", (8.0,), 150, {"adam": {"beta1": b}}) for b in (0.0, 0.5, 0.99)]
    + [("parabola", (8.0,), 150, {"adam": {"beta2": b}}) for b in (0.0, 0.5, 0.9, 0.99999)]
    + [("parabola", (8.0,), 50, {"adam": {"eps": e}, "rmsprop": {"eps": e}}) for e in (0.0, 1e-2, 1.0, 10.0)]
    + [("parabola", (8.0,), 50, {"rmsprop": {"rho": r}}) for r in (0.0, 0.5, 0.9, 0.99999)]
    + [("parabola", (8.0,), 50, {"momentum": {"momentum": m}}) for m in (0.0, 0.5, 0.99)]
    + [("parabola", (8.0,), s, {}) for s in (1, 2, 122, 150, 1000)]
    + [("parabola", (x,), 50, {}) for x in (-3.0, 2.0, 2.01, 9.0)]
    + [("parabola", (2.0,), 50, {"adam": {"eps": 0.0}, "rmsprop": {"eps": 0.0}})]
    + [(key, SCENE_START[key], 120, {}) for key in ("two_wells", "bowl", "rosenbrock", "saddle", "beale")]
    + [("bowl", (-5.0, 0.0), 60, {"adam": {"eps": 0.0}, "rmsprop": {"eps": 0.0}}),
       ("bowl", (-5.0, 2.0), 60, {"sgd": {"lr": 0.5}}), ("bowl", (-5.0, 2.0), 60, {"sgd": {"lr": 0.02}}),
       ("rosenbrock", (-1.2, 1.0), 60, {"sgd": {"lr": 0.1}, "momentum": {"lr": 0.1}}),
       ("two_wells", (-2.2,), 200, {"adam": {"lr": 1.0}, "momentum": {"momentum": 0.99}})]
)


def _random_grid(count, seed=14):
    """Combinations of the sliders' extremes and interior points on the 1-D scenes (seeded)."""
    rng = np.random.default_rng(seed)
    choices = dict(lr=(1e-4, 0.01, 0.1, 0.3, 1.0, 10.0), beta1=(0.0, 0.5, 0.9, 0.99), beta2=(0.0, 0.9, 0.999, 0.99999),
                   eps=(0.0, 1e-8, 1e-2, 10.0), rho=(0.0, 0.9, 0.99, 0.99999), momentum=(0.0, 0.5, 0.9, 0.99),
                   steps=(1, 7, 50, 150), start=(-3.0, 1.0, 2.0, 5.5, 9.0))
    grid = []
    for _ in range(count):
        pick = {name: options[rng.integers(len(options))] for name, options in choices.items()}
        surface_key = ("parabola", "two_wells")[rng.integers(2)]
        start = (float(np.clip(pick["start"], -2.2, 2.2)),) if surface_key == "two_wells" else (pick["start"],)
        grid.append((surface_key, start, pick["steps"], {
            "sgd": {"lr": pick["lr"]}, "momentum": {"lr": pick["lr"], "momentum": pick["momentum"]},
            "rmsprop": {"lr": pick["lr"], "rho": pick["rho"], "eps": pick["eps"]},
            "adam": {"lr": pick["lr"], "beta1": pick["beta1"], "beta2": pick["beta2"], "eps": pick["eps"]}}))
    return grid


@pytest.mark.parametrize("surface_key, start, steps, overrides", ONE_AT_A_TIME)
def test_every_sentence_is_true_one_slider_at_a_time(surface_key, start, steps, overrides):
    check_everything(surface_key, start, steps, overrides)


@pytest.mark.parametrize("surface_key, start, steps, overrides", _random_grid(60))
def test_every_sentence_is_true_on_a_random_grid(surface_key, start, steps, overrides):
    check_everything(surface_key, start, steps, overrides)


# ---- the page shows what the builders say, and the wrong statements are gone ------------------------

def page_text(at):
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("query", [{}, {"vs_parabola_steps": "150"},
                                   {"vs_parabola_adam_beta1": "0.5", "vs_parabola_adam_lr": "0.3"}])
def test_the_page_shows_the_builders_sentences(query):
    at = open_page(FLAGSHIP, query)
    assert_clean(at)
    steps = int(query.get("vs_parabola_steps", 50))
    overrides = {"adam": {"beta1": float(query.get("vs_parabola_adam_beta1", 0.9)),
                          "lr": float(query.get("vs_parabola_adam_lr", 0.1))}}
    surface, settings, trajs, paths, traced, longer, longer_path = scene("parabola", (8.0,), steps, overrides)
    assert lesson.what_to_look_for(paths, surface, settings, traced, longer_path) in page_text(at)


def test_adam_no_longer_walks_at_alpha_whatever_the_slope():
    """Defaults: step/α falls 1.00 → 0.61 by t = 50 and θ* = 2 is not reached in 50 steps (first at 122)."""
    at = open_page(FLAGSHIP)
    text = page_text(at)
    assert "about 60 steps" not in text and "whatever the slope" not in text
    assert "1.00 at t = 1" in text and "0.61 at t = 50" in text
    assert "has not reached the minimum θ* = 2 within 50 steps" in text and "With 122 steps or more" in text


def test_at_150_steps_adam_overshoots_a_little_without_oscillating():
    at = open_page(FLAGSHIP, {"vs_parabola_steps": "150"})
    text = page_text(at)
    assert "oscillate" not in text.split("**Adam")[1].split("\n")[0].replace("no oscillation yet", "")
    assert "(or past it) at step 122" in text and "θ = 1.987 at step 138" in text and "crosses θ* once" in text


def test_eps_zero_on_the_minimum_is_named_zero_over_zero():
    """ε = 0 from θ₀ = 2: the notes say 0/0 (not overflow), the chart labels do not overlap, the quiz says why it hides."""
    at = open_page(FLAGSHIP, {"vs_parabola_x0": "2", "vs_parabola_adam_eps": "0", "vs_parabola_rmsprop_eps": "0"})
    assert_clean(at)
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 2 and all("0/0" in w and "overflow" not in w and "lower its α" not in w for w in warnings)
    notes = [n for n in figures(at)[0]["layout"]["annotations"] if "step 1" in n["text"]]
    assert len(notes) == 2 and len({(n["x"], n["y"], n.get("ax", 0), n.get("ay", 0)) for n in notes}) == 2
    assert all("NaN" in n["text"] and "diverged" not in n["text"] for n in notes)
    assert "question about scaling the loss is hidden" in page_text(at)
    table = at.table[0].value
    assert list(table["diverging?"])[2:] == ["NaN (0/0) at step 1"] * 2


def test_sgd_at_alpha_10_is_marked_diverging_with_readable_numbers():
    at = open_page(FLAGSHIP, {"vs_parabola_sgd_lr": "10"})
    assert_clean(at)
    table = at.table[0].value
    sgd = table[table["optimizer"] == "SGD"].iloc[0]
    assert sgd["diverging?"] == "from step 3"
    assert sgd["final θ"].endswith("×10⁶⁴") and "e+" not in " ".join(map(str, sgd.values))
    assert any("SGD is diverging from step 3" in w.value for w in at.warning)
    progress_notes = [n["text"] for n in figures(at)[1]["layout"]["annotations"]]
    assert "diverging from step 3" in progress_notes


def test_table_headers_do_not_read_alike_and_2d_points_are_short():
    at = open_page(FLAGSHIP)
    at.button_group(key="vs_surface").set_value("rosenbrock").run()
    assert_clean(at)
    columns = list(at.table[0].value.columns)
    assert "size of step 1 |θ₁ − θ₀|" in columns and "steps to reach within 0.001 of a minimum" in columns
    assert "α" in columns and "final x" in columns and "final y" in columns
    assert not any(c.startswith("first step") for c in columns)
    assert all(len(v) <= 12 for v in at.table[0].value["final x"])


def test_the_step_panel_moves_with_the_animation_and_follows_beta1():
    at = open_page(FLAGSHIP)
    figure = figures(at)[0]
    assert figure["layout"]["yaxis2"]["title"]["text"] == "θ"
    assert any(n["text"].startswith("θ against step t") for n in figure["layout"]["annotations"])
    heads = figure["frames"][0]["traces"]
    on_panel = [i for i in heads if figure["data"][i].get("xaxis") == "x2"]
    assert len(on_panel) == 4
    adam_head = next(i for i in on_panel if figure["data"][i]["name"] == "Adam")
    frame = next(f for f in figure["frames"] if f["name"] == "30")
    adam = opt.run(opt.adam(0.1), opt.surfaces.get("parabola").grad, [8.0], 50)
    assert frame["data"][frame["traces"].index(adam_head)] == dict(x=[30.0], y=[float(f"{adam.params[30, 0]:.7g}")])
    panel = lambda f: next(values(t["y"]) for t in f["data"] if t.get("xaxis") == "x2" and t["name"] == "Adam"
                           and t["mode"] == "lines")
    before = panel(figure)
    at.slider(key="vs_parabola_adam_beta1").set_value(0.5).run()
    assert not np.array_equal(panel(figures(at)[0]), before)


# ---- review 14: the reviewer's settings ------------------------------------------------------------

def _adam_line(text):
    return text.split("**Adam")[1].split("\n")[0]


def test_quiz_answer_and_explanation_agree_when_eps_is_not_small():
    """ε = 10, β₁ = 0, 1 step: Adam's first step grows 1.692 times; the answer is not "the same size"."""
    surface, settings, trajs, paths, traced, longer, longer_path = scene(
        "parabola", (8.0,), 1, {"adam": {"eps": 10.0, "beta1": 0.0}})
    scaled = opt.run(BUILD["adam"](settings["adam"]), lambda p: 10 * surface.grad(p), np.array([8.0]), 1)
    first = {"adam": abs(trajs["adam"].params[1, 0] - 8), "sgd": abs(trajs["sgd"].params[1, 0] - 8)}
    first_scaled = {"adam": abs(scaled.params[1, 0] - 8), "sgd": 10 * first["sgd"]}
    ratio = first_scaled["adam"] / first["adam"]
    assert 1.6 < ratio < 1.8
    answer = lesson.quiz_answer(first["adam"], first_scaled["adam"])
    assert answer in lesson.QUIZ_OPTIONS and "less than √10" in answer and "same" not in answer
    reveal = lesson.quiz_explanation(first, first_scaled, 10.0, surface.grad(np.array([8.0])))
    assert "grows 1.692 times" in reveal and "less than √10" in reveal
    at = open_page(FLAGSHIP, {"vs_parabola_adam_eps": "10", "vs_parabola_adam_beta1": "0", "vs_parabola_steps": "1"})
    assert_clean(at)
    assert answer in at.radio(key="vs_q1_pick").options


def test_quiz_answers_follow_the_ratio_at_every_eps():
    """Across ε the option names the interval the measured ratio falls in, and the reveal says the same."""
    surface = opt.surfaces.get("parabola")
    g1 = surface.grad(np.array([8.0]))
    for eps in (0.0, 1e-8, 1e-2, 1.0, 3.0, 10.0, 100.0, 1e6):
        step = lambda s: abs(opt.run(opt.adam(0.1, eps=eps), lambda p: s * surface.grad(p), np.array([8.0]), 1).params[1, 0] - 8)
        ratio = step(10.0) / step(1.0)
        answer = lesson.quiz_answer(step(1.0), step(10.0))
        if abs(ratio - 1) <= 0.01:
            assert answer == "It stays the same size"
        elif abs(ratio - 10) <= 0.1:
            assert answer == "It is 10 times larger"
        else:
            assert ("less than √10" in answer) == (ratio < np.sqrt(10))
        reveal = lesson.quiz_explanation({"adam": step(1.0), "sgd": 1.2}, {"adam": step(10.0), "sgd": 12.0}, eps, g1)
        assert ("the two steps are" in reveal) == (answer == "It stays the same size")


def test_two_wells_adam_leaving_for_the_other_well_is_not_called_oscillating():
    """Two wells, Adam α = 1 from −1.3: it ends at 1.137 near the other minimum 1.131."""
    surface, settings, trajs, paths, traced, longer, longer_path = scene(
        "two_wells", (-1.3,), 100, {"adam": {"lr": 1.0}})
    line = _adam_line(lesson.what_to_look_for(paths, surface, settings, traced, longer_path))
    assert "oscillates around the minimum" not in line
    assert "leaves for the other well at step" in line and "other minimum 1.131" in line, line
    end = trajs["adam"].params[-1, 0]
    assert abs(end - 1.1309) < 0.05


def test_coming_within_the_tolerance_counts_as_getting_there():
    """ε = 10, β₁ = 0, 1 step: the 1000-step run ends 3·10⁻⁶ from θ* (first within 0.001 at step 648)."""
    surface, settings, trajs, paths, traced, longer, longer_path = scene(
        "parabola", (8.0,), 1, {"adam": {"eps": 10.0, "beta1": 0.0}})
    line = _adam_line(lesson.what_to_look_for(paths, surface, settings, traced, longer_path))
    near = np.flatnonzero(np.abs(longer.params[:, 0] - 2) <= 1e-3)[0]
    assert "does not get there within 1000 steps" not in line
    assert f"With {near} steps or more it gets there" in line, line
    assert "1 steps" not in line


def test_momentum_weights_and_the_bowl_with_y0_on_the_valley_floor():
    surface, settings, trajs, paths, traced, longer, longer_path = scene(
        "bowl", (-5.0, 0.0), 120, {"adam": {"eps": 0.0}})
    text = lesson.what_to_look_for(paths, surface, settings, traced, longer_path)
    assert "keeps a fraction μ of every past gradient" not in text and "weight μᵏ" in text
    bowl = bullet(text, "On the ill-conditioned bowl")
    assert "does not settle" not in bowl and "y starts at 0" in bowl
    assert np.all(trajs["sgd"].params[:, 1] == 0)
    rows = lesson.readout_rows(paths, surface, settings)
    assert all("within 0 steps" not in row["steps to reach within 0.001 of a minimum"] for row in rows)
    note = lesson.stop_note(paths[3], surface, settings["adam"])[1]
    assert "the point = " not in note and "(x, y) = (−5, 0)" in note.replace("-", "−")


def test_adam_single_step_reads_as_one_step():
    surface, settings, trajs, paths, traced, longer, longer_path = scene(
        "parabola", (8.0,), 1, {"adam": {"eps": 10.0}})
    line = _adam_line(lesson.what_to_look_for(paths, surface, settings, traced, longer_path))
    assert line.startswith("'s step is 0.55α.**") and "steps is" not in line and "1α" not in line


def test_adams_summary_puts_the_eps_caveat_on_the_first_step():
    """At ε = 10 Adam's first step is 0.55α: "α per coordinate" holds only while ε is small next to |g|."""
    from ui.catalog import CATALOG
    summary = CATALOG["adam"].summary
    assert "(ε aside)" not in summary and "while ε is small next to |g|, its first step is α per coordinate" in summary


def test_a_start_where_the_gradient_is_zero_hides_the_quiz_with_a_reason():
    """Found by the load benchmark: x₀ = 2 on the parabola divided Adam's two first steps, 0 by 0."""
    at = open_page("pages/adam-vs-sgd.py", {"vs_parabola_x0": "2"})
    assert not at.exception, [e.value for e in at.exception]
    assert any("the gradient is 0, so Adam's first step is 0" in m.value for m in at.markdown)


@pytest.mark.parametrize("surface_key, start, lr, beta2, steps", [
    ("parabola", 8.0, 0.1, 0.999, 50), ("parabola", 8.0, 0.01, 0.999, 50), ("parabola", 8.0, 1e-4, 0.999, 20),
    ("parabola", -3.0, 0.1, 0.9, 10), ("two_wells", -1.3, 1.0, 0.999, 3), ("parabola", 8.0, 10.0, 0.999, 5)])
def test_the_short_horizon_tells_the_same_story_as_the_slider_maximum(surface_key, start, lr, beta2, steps):
    """lesson.longer_run stops at 4 × steps (at least 200) when Adam gets there by then: the sentence must be
    the one a run to the slider's maximum gives."""
    surface = opt.surfaces.get(surface_key)
    hyper = {"lr": lr, "beta1": 0.9, "beta2": beta2, "eps": 1e-8}
    path = as_path("adam", core("adam", hyper, surface, [start], steps), surface)
    full = as_path("adam", core("adam", hyper, surface, [start], lesson.MAX_STEPS), surface)
    short = lesson.longer_run(lambda n: as_path("adam", core("adam", hyper, surface, [start], n), surface), steps,
                              surface, (start,))
    assert lesson.text._adam_reach_1d(path, surface, short) == lesson.text._adam_reach_1d(path, surface, full)
