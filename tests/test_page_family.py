"""The family lesson through app.py with AppTest: it draws the core's numbers for every optimizer
switched on, survives every slider's extremes, follows its settings and its link, and prints the
Adafactor memory numbers and the Lion quiz numbers the core gives."""

import numpy as np
import pytest

import optimizers as opt
from lessons import family
from ui.divergence import short_number
from apptest_helpers import assert_clean, figures, markdown, open_page, trace, values

PAGE = "pages/optimizer-family.py"
PATHS, PROGRESS = range(2)
ROSENBROCK = opt.surfaces.get("rosenbrock")
ALL_LABELS = ["SGD", "SGD + momentum", "Nesterov", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "AMSGrad",
              "NAdam", "RAdam", "Adamax", "Adafactor", "Lion", "AdaBound"]

# The default scene, written out by hand: Rosenbrock from (−1.2, 1), 500 steps; SGD-type rates 1e-3,
# steps-of-about-α rates 0.02 (AdaBound ends as SGD with rate 1e-3, its band closing at γ = 0.01).
DEFAULT_RUNS = {
    "SGD": opt.sgd(1e-3),
    "SGD + momentum": opt.sgd(1e-3, momentum=0.9),
    "RMSprop": opt.rmsprop(0.02, alpha=0.99),
    "Adam": opt.adam(0.02),
    "NAdam": opt.nadam(0.02, momentum_decay=4e-3),
    "AdaBound": opt.adabound(0.02, final_lr=1e-3, gamma=0.01),
}


def core(optimizer, surface=ROSENBROCK, steps=500, start=None):
    return opt.run(optimizer, surface.grad, np.array(start or surface.start, dtype=float), steps, loss_fn=surface.loss)


def xy(figure, name):
    drawn = trace(figure, name)
    return np.stack([values(drawn["x"]), values(drawn["y"])], axis=-1)


def path_names(figure):
    return [t["name"] for t in figure["data"] if t.get("mode", "").startswith("lines") and t["name"] != "minimum"
            and not t["name"].endswith("(casing)")]


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


def test_opens_with_two_charts_the_default_six_and_a_link_to_the_next_lesson(page):
    assert page.title[0].value == "The whole family"
    figs = figures(page)
    assert len(figs) == 2
    assert path_names(figs[PATHS]) == list(DEFAULT_RUNS)
    assert any(link.proto.page == "when-adam-struggles" for link in page.get("page_link"))


def test_paths_table_and_progress_are_the_core_numbers(page):
    figs = figures(page)
    table = page.dataframe[0].value
    for label, optimizer in DEFAULT_RUNS.items():
        traj = core(optimizer)
        np.testing.assert_array_equal(xy(figs[PATHS], label), traj.params)
        row = table[table["optimizer"] == label].iloc[0]
        assert row["final loss"] == short_number(traj.losses[-1])        # the core's number, written short
        progress = values(trace(figs[PROGRESS], label)["y"])
        np.testing.assert_array_equal(progress, traj.losses - ROSENBROCK.min_value)


def test_lines_carry_each_members_dash_and_the_flagship_keeps_its_style(page):
    figure = figures(page)[PATHS]
    assert trace(figure, "NAdam")["marker"]["symbol"] == "star"
    assert trace(figure, "AdaBound")["line"]["dash"] == "dashdot"
    adam = trace(figure, "Adam")
    assert (adam["line"]["color"], adam["line"]["dash"], adam["marker"]["symbol"]) == ("#D55E00", "solid", "triangle-up")


def test_the_rules_of_the_chosen_are_shown_with_their_one_line(page):
    text = markdown(page)
    for label in DEFAULT_RUNS:
        assert f"**{label}** — " in text
    assert "**Nesterov** — " not in text
    latex = " ".join(element.value for element in page.latex)
    assert r"0.96^{t\psi}" in latex and r"\eta_t = \mathrm{clip}" in latex


def test_all_fifteen_switched_on_through_the_link_run_the_core():
    at = open_page(PAGE, {"fam_show": ALL_LABELS})
    assert_clean(at)
    figure = figures(at)[PATHS]
    assert path_names(figure) == ALL_LABELS
    assert len([e for e in at.expander if not e.label.startswith("Download")]) == 15     # one per member
    np.testing.assert_array_equal(xy(figure, "Adafactor"), core(opt.adafactor(0.02)).params)
    np.testing.assert_array_equal(xy(figure, "Adadelta"), core(opt.adadelta(1.0, rho=0.9, eps=1e-6)).params)
    np.testing.assert_array_equal(xy(figure, "NAdam"), core(opt.nadam(0.02)).params)
    np.testing.assert_array_equal(xy(figure, "RAdam"), core(opt.radam(5e-3)).params)   # its Rosenbrock rate


def test_switching_all_off_says_so_without_a_traceback():
    at = open_page(PAGE)
    at.button_group(key="fam_show").set_value([]).run()
    assert_clean(at)
    assert any("Choose at least one optimizer" in i.value for i in at.info)
    assert path_names(figures(at)[PATHS]) == []


def _sliders(at):
    return list(at.slider) + list(at.select_slider)


def _is_select(widget):
    return type(widget).__name__ == "SelectSlider"


def _ends(widget):
    """Lowest and highest value; a select-slider's options arrive as their labels."""
    if _is_select(widget):
        return [min(map(float, widget.options)), max(map(float, widget.options))]
    return [widget.min, widget.max]


@pytest.mark.parametrize("surface_key", ["parabola", "rosenbrock"])
def test_every_slider_of_all_fifteen_survives_its_extremes(surface_key):
    """Each slider at its lowest and at its highest value, with everyone shown: no traceback, both charts stay.

    Four runs cover every end twice: all sliders low, all high, and the two alternations of low and high
    (a rerun per slider and end took 130 runs of the whole page)."""
    at = open_page(PAGE, {"fam_show": ALL_LABELS, "fam_surface": opt.surfaces.get(surface_key).title})
    assert_clean(at)
    assert len(_sliders(at)) > 30
    for ends in ((0, 0), (1, 1), (0, 1), (1, 0)):
        for i, widget in enumerate(_sliders(at)):
            widget.set_value(_ends(widget)[ends[i % 2]])
        at.run()
        assert_clean(at)
        assert len(figures(at)) == 2, ends


@pytest.mark.parametrize("key, value, chart, name", [
    ("fam_rosenbrock_adam_lr", 0.1, PATHS, "Adam"),
    ("fam_rosenbrock_nadam_momentum_decay", 0.1, PATHS, "NAdam"),
    ("fam_rosenbrock_adabound_gamma", 1.0, PATHS, "AdaBound"),
    ("fam_rosenbrock_steps", 100, PROGRESS, "SGD"),
    ("fam_rosenbrock_x0", 0.5, PATHS, "SGD + momentum"),
])
def test_changing_a_setting_changes_that_members_data(key, value, chart, name):
    at = open_page(PAGE)
    before = values(trace(figures(at)[chart], name)["y"])
    next(w for w in _sliders(at) if w.key == key).set_value(value).run()
    assert_clean(at)
    after = values(trace(figures(at)[chart], name)["y"])
    assert before.shape != after.shape or not np.array_equal(before, after)


def test_the_adam_slider_reaches_the_core():
    at = open_page(PAGE)
    at.select_slider(key="fam_rosenbrock_adam_beta2").set_value(0.99).run()
    assert_clean(at)
    np.testing.assert_array_equal(xy(figures(at)[PATHS], "Adam"), core(opt.adam(0.02, beta2=0.99)).params)


def test_another_surface_redraws_with_its_own_defaults():
    at = open_page(PAGE)
    at.button_group(key="fam_surface").set_value("parabola").run()
    assert_clean(at)
    parabola = opt.surfaces.get("parabola")
    drawn = values(trace(figures(at)[PATHS], "SGD")["x"])
    np.testing.assert_array_equal(drawn, core(opt.sgd(0.1), parabola, 100).params[:, 0])


def test_divergence_is_a_sentence_and_a_mark():
    at = open_page(PAGE, {"fam_rosenbrock_sgd_lr": "0.1"})
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "SGD diverged at step" in warnings
    assert any("SGD diverged at step" in a["text"] for a in figures(at)[PATHS]["layout"]["annotations"])


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"fam_show": ["Adam", "banana"], "fam_n": "lots", "fam_rosenbrock_adam_lr": "fast"})
    assert_clean(at)
    notices = " ".join(i.value for i in at.info)
    assert "banana" in notices and "lots" in notices and "fast" in notices
    assert path_names(figures(at)[PATHS]) == ["Adam"]
    assert at.slider(key="fam_n").value == 1024
    assert at.select_slider(key="fam_rosenbrock_adam_lr").value == 0.02


def _memory_sentence(at):
    return next(m.value for m in at.markdown if m.value.startswith("For a "))


def test_adafactor_memory_is_read_from_the_state_shapes(page):
    table = page.table[0].value
    n, m = 1024, 4096
    assert list(table["numbers kept"]) == [f"{2 * n * m:,}", f"{n + m:,}"]
    assert table["state arrays"].iloc[1] == f"row_var {n}×1, col_var 1×{m}"
    sentence = _memory_sentence(page)
    assert f"**{2 * n * m:,}**" in sentence and f"**{n + m:,}**" in sentence
    assert f"**{2 * n * m / (n + m):,.1f}×** fewer" in sentence


@pytest.mark.parametrize("n, m", [(1, 1), (4096, 4096), (300, 7)])
def test_adafactor_memory_follows_the_sliders(n, m):
    at = open_page(PAGE)
    at.slider(key="fam_n").set_value(n).run()
    at.slider(key="fam_m").set_value(m).run()
    assert_clean(at)
    # an independent count: the core's Adafactor state after one step on an n×m weight, read by field
    adafactor = opt.adafactor(param_ndim=2)
    _, state = adafactor.update(np.ones((n, m)), adafactor.init(np.zeros((n, m))), np.zeros((n, m)))
    assert state.row_var.size + state.col_var.size == n + m
    assert list(at.table[0].value["numbers kept"]) == [f"{2 * n * m:,}", f"{n + m:,}"]


def test_the_quiz_reveals_lions_step_lengths_from_the_core(monkeypatch):
    """Lion is switched off by default: the page runs it for the quiz's answer only on reveal."""
    run, optimizers_run = [], opt.run

    def counted_run(optimizer, *args, **kwargs):
        run.append(optimizer.name)
        return optimizers_run(optimizer, *args, **kwargs)

    monkeypatch.setattr(opt, "run", counted_run)
    family.run_member.clear()                                  # every member's run is made afresh
    at = open_page(PAGE, {"fam_rosenbrock_steps": "499"})
    assert run and "Lion" not in run
    at.radio(key="fam_q1_pick").set_value("Exactly α").run()
    at.button(key="fam_q1_reveal").click().run()
    assert_clean(at)
    assert any("Right" in s.value for s in at.success)
    assert run.count("Lion") == 1
    steps = np.abs(np.diff(core(opt.lion(0.02), steps=499).params, axis=0))
    assert np.all((steps == 0) | np.isclose(steps, 0.02, rtol=1e-9))
    text = markdown(at)
    assert f"**{steps.min():.6g}**" in text and f"**{steps.max():.6g}**" in text
