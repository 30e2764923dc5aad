"""'When Adam struggles' through app.py with AppTest, and its narrow-valley surface.

Every count of steps the page prints is recomputed here from an independent core call, with the
scene's settings written out by hand and each criterion re-derived from its definition."""

import numpy as np
import pytest

import optimizers as opt
from ui.divergence import short_number
from apptest_helpers import assert_clean, figures, markdown, open_page, trace, values

PAGE = "pages/when-adam-struggles.py"
LABELS = ("SGD", "SGD + momentum", "RMSprop", "Adam")
SADDLE, PLATEAU, VALLEY = (opt.surfaces.get(k) for k in ("saddle", "plateau", "narrow_valley"))


def saddle_runs(y0, steps=200):
    return [opt.run(o, SADDLE.grad, np.array([-2.0, y0]), steps, loss_fn=SADDLE.loss)
            for o in (opt.sgd(0.05), opt.sgd(0.05, momentum=0.9), opt.rmsprop(0.05), opt.adam(0.05))]


def plateau_runs(r, eps=1e-8, steps=200):
    return [opt.run(o, PLATEAU.grad, np.array([0.8 * r, 0.6 * r]), steps, loss_fn=PLATEAU.loss)
            for o in (opt.sgd(0.5), opt.sgd(0.5, momentum=0.9), opt.rmsprop(0.1, eps=eps), opt.adam(0.1, eps=eps))]


def valley_runs(adam_lr=0.05, beta2=0.999, steps=300):
    return [opt.run(o, VALLEY.grad, np.array([-4.0, -2.0]), steps, loss_fn=VALLEY.loss)
            for o in (opt.sgd(0.015), opt.sgd(0.005, momentum=0.9), opt.rmsprop(0.05),
                      opt.adam(adam_lr, beta2=beta2))]


def escaped(traj):
    """Steps until the path is past y = ±1, counted one step at a time."""
    for t, (_, y) in enumerate(traj.params):
        if abs(y) >= 1:
            return t
    return None


def crossed(traj):
    for t, loss in enumerate(traj.losses):
        if loss < 0.5:
            return t
    return None


def settled(traj):
    """Walk back from the end while the path stays within 0.05 of the line y = x."""
    across = np.abs(traj.params[:, 1] - traj.params[:, 0]) / np.sqrt(2)
    if across[-1] >= 0.05:
        return None
    t = len(across) - 1
    while t > 0 and across[t - 1] < 0.05:
        t -= 1
    return t


def shown(count):
    return "not within the run" if count is None else str(count)


def table(at, index):
    return at.dataframe[index].value


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


# ---- the surface ------------------------------------------------------------------------------

def test_the_narrow_valley_gradient_matches_finite_differences_and_its_curvatures_are_1_and_100():
    rng = np.random.default_rng(7)
    points = rng.uniform(-5, 5, (30, 2))
    h = 1e-6
    for i in range(2):
        step = np.zeros(2)
        step[i] = h
        numeric = (VALLEY.loss(points + step) - VALLEY.loss(points - step)) / (2 * h)
        np.testing.assert_allclose(VALLEY.grad(points)[:, i], numeric, rtol=1e-7, atol=1e-6)
    along, across = np.array([1.0, 1.0]) / np.sqrt(2), np.array([-1.0, 1.0]) / np.sqrt(2)
    assert VALLEY.loss(3 * along) == pytest.approx(0.5 * 1 * 9)
    assert VALLEY.loss(3 * across) == pytest.approx(0.5 * 100 * 9)


# ---- the page shows the core's numbers -----------------------------------------------------------

def test_opens_with_three_scenes_six_charts_and_a_link_to_the_next_lesson(page):
    assert page.title[0].value == "When Adam struggles"
    assert len(figures(page)) == 6 and len(page.dataframe) == 3
    assert any(link.proto.page == "train-a-model" for link in page.get("page_link"))


@pytest.mark.parametrize("index, runs, count, column", [
    (0, lambda: saddle_runs(1e-4), escaped, "escaped at step"),
    (1, lambda: plateau_runs(6.0), crossed, "crossed at step"),
    (2, lambda: valley_runs(), settled, "on the floor from step"),
])
def test_each_table_holds_the_core_numbers(page, index, runs, count, column):
    printed = table(page, index)
    assert list(printed["optimizer"]) == list(LABELS)
    for label, traj in zip(LABELS, runs()):
        row = printed[printed["optimizer"] == label].iloc[0]
        assert row[column] == shown(count(traj)), label
        assert row["final loss"] == traj.losses[-1]
    figure = figures(page)[2 * index]
    np.testing.assert_array_equal(values(trace(figure, "Adam")["x"]), runs()[3].params[:, 0])


def test_what_the_scenes_teach_holds_in_the_core():
    sgd, momentum, rmsprop, adam = (escaped(t) for t in saddle_runs(1e-4))
    assert rmsprop < adam < momentum < sgd
    # SGD near the saddle multiplies y by 1 + 2α = 1.1 a step: about ln(1/y₀)/ln 1.1 steps to reach 1.
    assert abs(sgd - np.log(1e4) / np.log(1.1)) < 10
    assert [escaped(t) for t in saddle_runs(0.0, 1000)] == [None] * 4
    sgd, momentum, rmsprop, adam = (crossed(t) for t in plateau_runs(6.0))
    assert sgd is None and momentum is None and adam is not None and rmsprop is not None
    assert crossed(plateau_runs(6.0, eps=1e-4)[3]) is None           # ε ≫ |g|: Adam is stuck too
    runs = valley_runs()
    assert runs[3].losses[-1] > 1e6 * runs[1].losses[-1]                # Adam far behind momentum
    assert valley_runs(beta2=0.9)[3].losses[-1] < 1e-2                  # forgetting the wall fixes it


def test_the_why_sentences_print_the_core_counts(page):
    text = markdown(page)
    sgd, momentum, rmsprop, adam = (escaped(t) for t in saddle_runs(1e-4))
    assert (f"escapes in {sgd} steps; momentum, whose steps build up, escapes in {momentum} steps" in text)
    assert f"and it escapes in {adam} steps" in text and f"and escapes in {rmsprop} steps." in text
    p_adam = crossed(plateau_runs(6.0)[3])
    assert "SGD does not cross within the run" in text and f"Adam crosses in {p_adam} steps" in text
    runs = valley_runs()
    assert f"settles on the floor in {settled(runs[3])} steps and ends at loss **{short_number(runs[3].losses[-1], 4)}**" in text
    assert f"**{short_number(runs[1].losses[-1], 4)}** of momentum, which settles in {settled(runs[1])} steps" in text


# ---- sliders, links and the quiz ----------------------------------------------------------------

def _sliders(at):
    return list(at.slider) + list(at.select_slider)


@pytest.mark.parametrize("end", [0, 1])
def test_every_slider_survives_its_extremes(end):
    at = open_page(PAGE)
    keys = [w.key for w in _sliders(at)]
    assert len(keys) == 8
    for key in keys:
        widget = next(w for w in _sliders(at) if w.key == key)
        if type(widget).__name__ == "SelectSlider":
            target = sorted(map(float, widget.options))[-end]     # -0 is the first: lowest; -1 highest
        else:
            target = (widget.min, widget.max)[end]
        widget.set_value(target).run()
        assert_clean(at)
        assert len(figures(at)) == 6, key


@pytest.mark.parametrize("key, value, index", [("bad_y0", 1e-2, 0), ("bad_saddle_steps", 50, 0), ("bad_r", 4.0, 1),
                                               ("bad_eps", 1e-4, 1), ("bad_plateau_steps", 60, 1),
                                               ("bad_adam_lr", 0.2, 2), ("bad_beta2", 0.9, 2),
                                               ("bad_valley_steps", 100, 2)])
def test_changing_a_slider_changes_its_scene(key, value, index):
    at = open_page(PAGE)
    before = [figures(at)[2 * index]["data"], table(at, index).to_dict()]
    next(w for w in _sliders(at) if w.key == key).set_value(value).run()
    assert_clean(at)
    assert [figures(at)[2 * index]["data"], table(at, index).to_dict()] != before


def test_beta2_at_0_9_lets_adam_reach_the_bottom_of_the_valley():
    at = open_page(PAGE, {"bad_beta2": "0.9"})
    assert_clean(at)
    adam = table(at, 2).set_index("optimizer").loc["Adam"]
    assert adam["final loss"] == valley_runs(beta2=0.9)[3].losses[-1] < 1e-2


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"bad_y0": "tiny", "bad_r": "-3"})
    assert_clean(at)
    notices = " ".join(i.value for i in at.info)
    assert "“tiny”" in notices and "“\\-3”" in notices     # quoted as literal text, "-" escaped
    assert at.select_slider(key="bad_y0").value == 1e-4 and at.slider(key="bad_r").value == 6.0


def test_the_quiz_reveals_the_escape_counts_from_the_core():
    at = open_page(PAGE)
    at.radio(key="bad_q1_pick").set_value("About 10,000 times as many").run()
    at.button(key="bad_q1_reveal").click().run()
    assert_clean(at)
    assert any("About the same" in w.value for w in at.warning)
    near, nearer = saddle_runs(1e-2, 1000), saddle_runs(1e-6, 1000)
    text = markdown(at)
    assert f"from y₀ = 10⁻² Adam escapes in {escaped(near[3])} steps" in text
    assert f"from 10⁻⁶ it escapes in {escaped(nearer[3])} steps" in text
    assert f"SGD escapes in {escaped(near[0])} steps and escapes in {escaped(nearer[0])} steps" in text
    assert abs(escaped(near[3]) - escaped(nearer[3])) <= 3 and escaped(nearer[0]) > 2.5 * escaped(near[0])
