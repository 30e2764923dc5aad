"""The momentum-schedules lesson through app.py: its paths, tables and verdict are the numbers of the
tutorial's own loop (AdaptiveAdam, one scalar at a time), recomputed here."""

import math

import numpy as np
import pytest

import optimizers as opt
import reference_loops as ref
from apptest_helpers import assert_clean, assert_setting_redraws, figures, markdown, open_page, trace, values, widget

PAGE = "pages/momentum-schedules.py"
SCHEDULE, PATHS, PROGRESS = range(3)
DEFAULTS = dict(lr=0.05, beta1=0.9, spe=1, steps=500, tol=1e-3)
SURFACES = ("bowl", "rotated_bowl", "rosenbrock", "beale", "himmelblau", "two_wells")
LABELS = ("constant β₁", "decaying β₁", "cyclic β₁")


def beta1_by_hand(kind, beta1, steps, spe):
    """The tutorial's adjust_momentum, written out: epoch e = (t − 1) // spe."""
    out = []
    for t in range(1, steps + 1):
        e = (t - 1) // spe
        out.append({"constant": beta1, "decay": beta1 / (1 + e * 0.1),
                    "cyclic": beta1 * (1 + math.sin(e * math.pi / 10)) / 2}[kind])
    return out


def loop(surface_key, kind, lr=DEFAULTS["lr"], beta1=DEFAULTS["beta1"], steps=DEFAULTS["steps"], spe=DEFAULTS["spe"]):
    surface = opt.surfaces.get(surface_key)
    grad = lambda p: [float(v) for v in surface.grad(np.array(p))]   # noqa: E731
    return np.array(ref.adam_scheduled(grad, list(surface.start), steps, [lr] * steps,
                                       beta1_by_hand(kind, beta1, steps, spe)))


def first_within(surface_key, path, tol):
    surface = opt.surfaces.get(surface_key)
    d = np.min([np.linalg.norm(path - np.array(m), axis=-1) for m in surface.minima], axis=0)
    hits = np.flatnonzero(d <= tol)
    return int(hits[0]) if hits.size else None


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


def test_opens_with_three_charts_and_a_link_to_the_next_lesson(page):
    assert page.title[0].value == "Momentum schedules"
    assert len(figures(page)) == 3
    assert any(link.proto.page in ("family", "optimizer-family") for link in page.get("page_link"))


def slider_keys(block):
    return {s.key for s in block.slider} | {s.key for s in block.select_slider}


def test_the_settings_are_in_the_page_not_in_the_sidebar_drawer(page):
    """On a phone the drawer covered the charts, and Tab reached it after every lesson link; keys unchanged."""
    settings = ("sched_lr", "sched_beta1", "sched_spe", "sched_steps", "sched_tol")
    assert not set(settings) & slider_keys(page.sidebar)
    assert set(settings) <= slider_keys(page.main)


def test_schedule_chart_is_the_tutorials_formula(page):
    figure = figures(page)[SCHEDULE]
    for kind, label in zip(("constant", "decay", "cyclic"), LABELS):
        np.testing.assert_allclose(values(trace(figure, label)["y"]), beta1_by_hand(kind, 0.9, 500, 1), rtol=1e-14)
    decay = np.array(beta1_by_hand("decay", 0.9, 500, 1))
    t = np.arange(1, 501)
    np.testing.assert_allclose(values(trace(figure, "decay: divisor used, 1 − β₁(t)ᵗ")["y"]), 1 - decay**t)
    np.testing.assert_allclose(values(trace(figure, "decay: weight m holds, 1 − Π β₁(k)")["y"]), 1 - np.cumprod(decay))


def test_paths_are_the_tutorials_loop(page):
    figure = figures(page)[PATHS]
    for kind, label in zip(("constant", "decay", "cyclic"), LABELS):
        drawn = np.stack([values(trace(figure, label)["x"]), values(trace(figure, label)["y"])], axis=-1)
        np.testing.assert_allclose(drawn, loop("bowl", kind), rtol=1e-10, atol=1e-12)


def test_the_tables_and_the_verdict_count_are_the_loops_numbers(page):
    tol = DEFAULTS["tol"]
    firsts = {key: [first_within(key, loop(key, kind), tol) for kind in ("constant", "decay", "cyclic")]
              for key in SURFACES}
    one = page.dataframe[0].value
    assert list(one[f"first step within {tol:g}"]) == [str(s) if s is not None else "not reached"
                                                      for s in firsts["bowl"]]
    verdict = page.dataframe[1].value
    for label, column in zip(LABELS, range(3)):
        assert list(verdict[f"{label.split()[0]}: step"]) == [
            str(firsts[key][column]) if firsts[key][column] is not None else "not reached" for key in SURFACES]
    counts = [0, 0, 0]
    for steps in firsts.values():
        done = [s for s in steps if s is not None]
        for i, s in enumerate(steps):
            counts[i] += s is not None and s == min(done)
    text = markdown(page)
    for label, n in zip(LABELS, counts):
        assert f"**{label}** on {'none of the 6' if n == 0 else 'all 6' if n == 6 else f'{n} of the 6'} surface" in text
    # The verdict is honest: at the defaults the constant β₁ wins most often, on the bowls among others.
    assert counts[0] >= max(counts[1:]) and firsts["bowl"][0] < min(firsts["bowl"][1:])


def test_a_decaying_beta1_can_help_where_momentum_overshoots():
    """The verdict's other half, checked: at α = 0.1 on Himmelblau the decaying β₁ arrives first."""
    firsts = [first_within("himmelblau", loop("himmelblau", kind, lr=0.1), 1e-3) for kind in ("constant", "decay")]
    assert firsts[1] < firsts[0]
    at = open_page(PAGE, {"sched_lr": "0.1", "sched_surface": "Himmelblau"})
    assert_clean(at)
    assert list(at.dataframe[0].value["first step within 0.001"])[:2] == [str(s) for s in firsts]


def _every_slider(at):
    return [(s.key, s.min, s.max) for s in at.slider] + \
           [(s.key, min(map(float, s.options)), max(map(float, s.options))) for s in at.select_slider]


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    at = open_page(PAGE)
    sliders = _every_slider(at)
    assert {key for key, _, _ in sliders} == {"sched_lr", "sched_beta1", "sched_spe", "sched_steps", "sched_tol"}
    for key, low, high in sliders:
        widget(at, key).set_value(low if end == "min" else high).run()
        assert_clean(at)
        assert len(figures(at)) == 3, key
    at.get("button_group")[0].set_value("rosenbrock").run()
    assert_clean(at)
    assert len(figures(at)) == 3


def test_huge_alpha_is_drawn_not_hidden():
    """Adam's steps are about α, so α = 10 on Rosenbrock does not overflow: the page draws the loop's path."""
    at = open_page(PAGE, {"sched_lr": "10", "sched_surface": "Rosenbrock"})
    assert_clean(at)
    assert not at.warning
    drawn = figures(at)[PATHS]
    xs = values(trace(drawn, "decaying β₁")["x"])
    # The run is chaotic (it leaps across the plane), so rounding differences grow after ~330 steps.
    np.testing.assert_allclose(xs[:300], loop("rosenbrock", "decay", lr=10.0)[:300, 0], rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("key, value, chart", [("sched_lr", 0.1, PATHS), ("sched_beta1", 0.5, SCHEDULE),
                                               ("sched_spe", 10, SCHEDULE), ("sched_steps", 100, PATHS)])
def test_changing_a_slider_changes_the_figure_data(key, value, chart):
    assert_setting_redraws(open_page(PAGE), key, value, chart)


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"sched_spe": "many"})
    assert_clean(at)
    assert any("many" in i.value for i in at.info)
    assert at.slider(key="sched_spe").value == DEFAULTS["spe"]


def test_the_reveal_names_the_loops_winner():
    at = open_page(PAGE)
    at.radio(key="sched_q1_pick").set_value("constant β₁").run()
    at.button(key="sched_q1_reveal").click().run()
    assert_clean(at)
    assert any("Right" in s.value for s in at.success)
    steps = [first_within("bowl", loop("bowl", kind), 1e-3) for kind in ("constant", "decay", "cyclic")]
    assert f"constant β₁ at step **{steps[0]}**" in markdown(at)


@pytest.mark.parametrize("lr", [0.05, 1e60])     # 1e60: some losses overflow, and the blanking must match too
def test_surfaces_raced_together_are_bit_for_bit_the_runs_alone(lr):
    from lessons import schedules

    two_d = [key for key in SURFACES if opt.surfaces.get(key).dim == 2]
    together = schedules.race(two_d, lr, 0.9, 300, 1)
    for key, paths in zip(two_d, together):
        alone = schedules.race([key], lr, 0.9, 300, 1)[0]
        for joint, single in zip(paths, alone):
            np.testing.assert_array_equal(joint.points, single.points, err_msg=f"{key}, {joint.label}")
            np.testing.assert_array_equal(joint.losses, single.losses)
            assert joint.diverged_at == single.diverged_at
    if lr == 1e60:
        assert any(p.diverged_at >= 0 for paths in together for p in paths), "no run diverged at α = 1e60"
