"""The playground through app.py with AppTest: a typed function redraws and its paths are the core's runs on
it, a hostile link is refused as literal text, every widget survives its extremes, the maps' cells are lone
core runs, and the live sentences are true."""

import base64

import numpy as np
import pytest

import optimizers as opt
from lessons.playground import figures as play_figures, maps, text
from lessons.playground.parse import read_formula
from lessons.playground.widgets import DEFAULT_FORMULA
from apptest_helpers import assert_clean, figures, open_page, trace, values

PAGE = "pages/playground.py"
PATHS, MAPS = range(2)          # the paths chart, then one chart per map (MAPS, MAPS + 1)


def xy(figure, name):
    drawn = trace(figure, name)
    return np.stack([values(drawn["x"]), values(drawn["y"])], axis=-1)


def grid(array):
    """A heatmap's z as a 2-D float array, whether nested lists or Plotly's base64 ``bdata`` with a shape."""
    if isinstance(array, dict):
        flat = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).astype(float)
        return flat.reshape([int(k) for k in str(array["shape"]).split(",")])
    return np.array(array, dtype=float)


def core_run(optimizer, formula, start, steps):
    return opt.run(optimizer, formula.grad, np.array(start, dtype=float), steps, loss_fn=formula.loss)


def typeset(at):
    """The page's st.latex blocks without Streamlit's $$ … $$ wrapping."""
    return [element.value.strip().removeprefix("$$").removesuffix("$$").strip() for element in at.latex]


def start_of(at, dim):
    return tuple(at.slider(key=f"play_typed_{axis}0").value for axis in "xy"[:dim])


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


def test_opens_with_the_default_function_typeset_with_its_gradient(page):
    formula = read_formula(DEFAULT_FORMULA)
    assert typeset(page)[:2] == [formula.latex, formula.gradient_latex]
    assert len(figures(page)) == 3


def test_the_paths_are_the_core_runs_on_the_typed_function(page):
    formula = read_formula(DEFAULT_FORMULA)
    start, steps = start_of(page, 2), page.slider(key="play_typed_steps").value
    drawn = figures(page)[PATHS]
    np.testing.assert_array_equal(xy(drawn, "Adam"), core_run(opt.adam(0.1), formula, start, steps).params)
    np.testing.assert_array_equal(xy(drawn, "SGD"), core_run(opt.sgd(0.01), formula, start, steps).params)
    assert trace(drawn, "lowest point found")["marker"]["symbol"] == "star"


def test_typing_a_function_redraws_with_the_core_runs_on_it():
    at = open_page(PAGE)
    at.text_input(key="play_f").input("(x - 2)^2").run()
    assert_clean(at)
    formula = read_formula("(x - 2)^2")
    assert typeset(at)[:2] == [formula.latex, "f'(x) = 2 x - 4"]
    assert formula.latex == "f(x) = \\left(x - 2\\right)^{2}"
    assert at.slider(key="play_typed_x0").min == -2.0 and at.slider(key="play_typed_x0").max == 6.0   # auto: 2 ± 4
    adam = trace(figures(at)[PATHS], "Adam")
    start = (values(adam["x"])[0],)
    assert start == (4.4,)           # the new range's start slider, at its default: four fifths along [−2, 6]
    expected = core_run(opt.adam(0.1), formula, start, 150)
    np.testing.assert_array_equal(values(adam["x"]), expected.params[:, 0])
    np.testing.assert_array_equal(values(adam["y"]), expected.losses)


HOSTILE_LINK = "__import__('os').system('id')"


def test_a_hostile_link_is_refused_as_literal_text_and_nothing_is_drawn():
    at = open_page(PAGE, {"play_f": HOSTILE_LINK})
    assert_clean(at)
    shown = at.error[0].value
    assert shown.startswith(r"Attribute access \(a dot after a name\, as in “\_\_import\_\_\(\'os\'\)\.system”\)")
    with pytest.raises(Exception) as refusal:
        read_formula(HOSTILE_LINK)
    assert shown == text.plain(str(refusal.value))
    assert figures(at) == [] and not at.latex
    assert at.text_input(key="play_f").value == HOSTILE_LINK       # the box shows what the link said


def test_a_link_with_markdown_and_a_url_is_quoted_never_rendered():
    link = "'[click](http://evil.example)' + x"
    at = open_page(PAGE, {"play_f": link})
    assert_clean(at)
    shown = at.error[0].value
    assert shown.startswith("Text in quotes") and "\\[click\\]" in shown and "http\\:\u2060\\/\\/evil\\.example" in shown


def test_a_link_longer_than_the_box_is_not_read_and_says_so():
    at = open_page(PAGE, {"play_f": "x+" * 5000 + "x"})
    assert_clean(at)
    notices = " ".join(i.value for i in at.info)
    assert "longer than the box takes (300 characters)" in notices and "10,001 characters" in notices
    assert at.text_input(key="play_f").value == DEFAULT_FORMULA


def test_a_run_that_leaves_the_functions_domain_stops_there_and_says_why():
    at = open_page(PAGE, {"play_f": "log(x)", "play_typed_x0": "0.5"})
    assert_clean(at)
    formula = read_formula("log(x)")
    expected = core_run(opt.sgd(0.01), formula, (0.5,), 150)
    s = int(expected.diverged_at)
    assert s > 0
    raw = opt.run(opt.sgd(0.01), formula.grad, np.array([0.5]), 150).params
    warnings = " ".join(w.value for w in at.warning)
    assert f"**SGD stopped at step {s}**, at (x = {raw[s, 0]:.4g}), where f is not finite: the log of a negative " \
           "number" in warnings
    assert any(a["text"].startswith("SGD") for a in figures(at)[PATHS]["layout"]["annotations"])


def test_a_named_surface_runs_the_family_on_it():
    at = open_page(PAGE, {"play_surface": "Rosenbrock"})
    assert_clean(at)
    rosenbrock = opt.surfaces.get("rosenbrock")
    expected = opt.run(opt.adam(0.02), rosenbrock.grad, np.array(rosenbrock.start), 500, loss_fn=rosenbrock.loss)
    np.testing.assert_array_equal(xy(figures(at)[PATHS], "Adam"), expected.params)
    assert typeset(at)[0] == rosenbrock.latex


def _sliders(at):
    return list(at.slider) + list(at.select_slider)


def _ends(widget):
    if type(widget).__name__ == "SelectSlider":
        return [min(map(float, widget.options)), max(map(float, widget.options))]
    return [widget.min, widget.max]


@pytest.mark.parametrize("query", [{}, {"play_range": "typed", "play_f": "(x-1)^2 + log(2 + y)"}])
def test_every_slider_survives_its_extremes(query):
    at = open_page(PAGE, {"play_map_n": "5", **query})
    assert_clean(at)
    assert len(_sliders(at)) >= 12
    # Four runs cover every end twice: all low, all high, and the two alternations (not a run per slider and end).
    for ends in ((0, 0), (1, 1), (0, 1), (1, 0)):
        for i, widget in enumerate(_sliders(at)):
            widget.set_value(_ends(widget)[ends[i % 2]])
        at.run()
        assert_clean(at)
        assert len(figures(at)) >= 2, ends


@pytest.mark.parametrize("member", ["adam", "lion", "adabound", "nadam"])
@pytest.mark.parametrize("metric", ["steps", "final"])
def test_every_map_member_and_metric_draws(member, metric):
    at = open_page(PAGE, {"play_map_n": "5"})
    at.button_group(key="play_map_member").set_value(member).run()
    at.button_group(key="play_map_metric").set_value(metric).run()
    assert_clean(at)
    charts = figures(at)[MAPS:]
    assert len(charts) == (1 if member == "lion" else 2)          # Lion has no β₂ or ε: one map
    assert all(any(t["type"] == "heatmap" for t in chart["data"]) for chart in charts)


def test_the_typed_range_with_its_ends_swapped_falls_back_to_auto_with_a_warning():
    at = open_page(PAGE, {"play_range": "typed", "play_x_from": "3", "play_x_to": "-3"})
    assert_clean(at)
    assert any("must be below" in w.value for w in at.warning)
    assert "Auto range" in at.caption[0].value


@pytest.fixture(scope="module")
def small_maps():
    at = open_page(PAGE, {"play_map_n": "5", "play_map_tol": "0.1", "play_map_metric": "steps to the tolerance"})
    assert_clean(at)
    return at


def _lone(at, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    formula = read_formula(DEFAULT_FORMULA)
    start, steps = start_of(at, 2), at.slider(key="play_typed_steps").value
    return core_run(opt.adam(lr, beta1=beta1, beta2=beta2, eps=eps), formula, start, steps)


def _minimum_value(at):
    caption = at.caption[0].value
    return float(caption.split("where f = ")[1].split(":")[0])


def test_the_maps_cells_are_lone_core_runs(small_maps):
    at = small_maps
    first, second = (grid(chart["data"][0]["z"]) for chart in figures(at)[MAPS:])
    lrs, beta1s = maps.axis_values("lr", 5), maps.axis_values("beta1", 5)
    beta2s, epss = maps.axis_values("beta2", 5), maps.axis_values("eps", 5)
    f_star = _minimum_value(at)
    for (r, c) in [(0, 0), (4, 4), (2, 3), (3, 1)]:
        for z, run in ((first, _lone(at, lrs[c], beta1=beta1s[r])), (second, _lone(at, 0.1, beta2=beta2s[c], eps=epss[r]))):
            gaps = run.losses - f_star
            close = np.flatnonzero(gaps <= 0.1)
            if run.diverged_at >= 0 or not close.size:
                assert np.isnan(z[r, c])
            else:
                assert abs(z[r, c] - close[0]) == 0, (r, c)


def test_the_map_sentences_are_true(small_maps):
    at = small_maps
    sentences = [m.value for m in at.markdown if m.value.startswith("**Adam, ")]
    assert len(sentences) == 2
    f_star = _minimum_value(at)
    lrs, beta1s = maps.axis_values("lr", 5), maps.axis_values("beta1", 5)
    reached = []
    for r in range(5):
        for c in range(5):
            run = _lone(at, lrs[c], beta1=beta1s[r])
            close = np.flatnonzero(run.losses - f_star <= 0.1)
            if run.diverged_at < 0 and close.size:
                reached.append((close[0], r, c))
    if reached:
        steps, r, c = min(reached)
        assert f"{len(reached)} of the 25 settings came within 0.1 of f*" in sentences[0]
        ties = sum(1 for s, _, _ in reached if s == steps)
        assert (f"the best is {steps} steps" if ties == 1 else f"{ties} settings share the best, {steps} steps") \
            in sentences[0]
    else:
        assert "none of the 25 settings" in sentences[0]


def test_the_current_setting_is_ringed_on_both_maps(small_maps):
    rings = [t for chart in figures(small_maps)[MAPS:] for t in chart["data"] if t.get("name") == "current setting"]
    assert [(r["x"][0], r["y"][0]) for r in rings] == [pytest.approx((-1.0, 0.9)), pytest.approx((3.0, -8.0))]


# ---- the default maps teach; a click on a cell loads it ------------------------------------------------

def test_the_default_maps_colour_most_cells_with_a_visible_spread(page):
    """At the page's defaults (a review saw 1 of 625 cells coloured and a colour bar a hair wide): most cells of
    each map are on the colour scale, their colours span more than two decades of final f − f*, and no
    diverged cell is among them."""
    charts = figures(page)[MAPS:]
    assert len(charts) == 2
    for chart in charts:
        z = grid(chart["data"][0]["z"])
        coloured = np.isfinite(z)
        assert coloured.mean() > 0.5, coloured.mean()
        assert np.nanmax(z) - np.nanmin(z) > 2
        for layer in (t for t in chart["data"] if t["type"] == "heatmap" and t is not chart["data"][0]):
            assert not (coloured & np.isfinite(grid(layer["z"]))).any(), layer["name"]


def test_diverged_cells_are_drawn_as_diverged_never_on_the_colour_scale():
    one = maps.SensitivityMap("lr", "beta1", maps.axis_values("lr", 2), maps.axis_values("beta1", 2),
                              np.array([[3, -1], [-1, -1]]), np.array([[1e-3, 1e300], [np.nan, 0.5]]),
                              np.array([[-1, 4], [-1, -1]]), np.array([[-1, 9], [2, -1]]), 0.01, 10)
    from lessons.playground.figures import map_figure
    for metric in ("final", "steps"):
        spec = map_figure(one, {"lr": 0.01, "beta1": 0.5}, metric).to_dict()
        z = grid(spec["data"][0]["z"])
        layers = {t["name"]: grid(t["z"]) for t in spec["data"] if t["type"] == "heatmap" and t is not spec["data"][0]}
        assert np.isfinite(layers["diverged"]).tolist() == [[False, True], [False, False]]
        assert np.isfinite(layers["stopped: not finite"]).tolist() == [[False, False], [True, False]]
        assert not np.isfinite(z[0, 1]) and not np.isfinite(z[1, 0])
        if metric == "final":
            assert z[0, 0] == pytest.approx(-3) and z[1, 1] == pytest.approx(np.log10(0.5))
        else:
            assert z[0, 0] == 3 and np.isfinite(layers["not reached in 10 steps"]).tolist() == [[False, False], [False, True]]


def test_a_cells_setting_snaps_to_what_the_sliders_hold():
    from lessons.playground.widgets import slider_value

    assert slider_value("lr", 0.0123) == 0.01 and slider_value("lr", 0.0787) == 0.1     # nearest on log₁₀
    assert slider_value("eps", 3.2e-9) == 1e-8 and slider_value("beta1", 0.4567) == 0.46
    assert slider_value("beta2", 0.75) == 0.5           # nearest in nines (0.60: 0.30 from 0.5's), not 0.9 (linear)


def test_a_click_on_a_map_cell_loads_its_setting_into_the_race_and_marks_it(monkeypatch):
    """The map's click handler (what ui.plot.show calls back) sets the member's sliders to the cell's setting;
    a run with those widget values races that setting and outlines the cell.  (The browser's click itself is
    tests/test_browser_playground.py.)"""
    from lessons.playground import widgets
    from ui.plot import Click

    at = open_page(PAGE, {"play_map_n": "5"})
    assert_clean(at)
    state = {}
    monkeypatch.setattr(widgets.st, "session_state", state)
    first = figures(at)[MAPS]
    xs, ys = values(first["data"][0]["x"]), values(first["data"][0]["y"])
    grid_map = maps.SensitivityMap("lr", "beta1", maps.axis_values("lr", 5), maps.axis_values("beta1", 5),
                                   *(np.zeros((5, 5)),) * 4, 0.01, 150)
    assert list(xs) == pytest.approx([maps.axis_position("lr", v) for v in grid_map.x_values])
    loader = widgets.cell_loader("play", "typed", "adam", grid_map, ["sgd", "adam"])
    loader(Click(xs[3] + 0.1, ys[1] - 0.05, "xy"))               # near cell (row 1, col 3)
    assert state["play_typed_adam_lr"] == widgets.slider_value("lr", grid_map.x_values[3]) == 0.1
    assert state["play_typed_adam_beta1"] == widgets.slider_value("beta1", grid_map.y_values[1]) == 0.25
    mark = state["play_map_clicked"]
    assert mark == ("typed", "adam", "lr", "beta1", grid_map.x_values[3], grid_map.y_values[1])
    loader(Click(xs[-1] + 5, ys[0], "xy"))                        # beside the map: nothing changes
    assert state["play_typed_adam_lr"] == 0.1
    widgets.cell_loader("play", "typed", "lion", grid_map, ["sgd"])(Click(xs[0], ys[0], "xy"))
    assert state["play_show"] == ["sgd", "lion"]                   # a member that was off is switched on

    monkeypatch.undo()
    at.session_state["play_typed_adam_beta1"] = 0.25
    at.session_state["play_map_clicked"] = mark
    at.run()
    assert_clean(at)
    assert at.slider(key="play_typed_adam_beta1").value == 0.25
    charts = figures(at)[MAPS:]
    square = [t for t in charts[0]["data"] if t.get("name") == "clicked cell"]
    assert [(s["x"][0], s["y"][0]) for s in square] == [pytest.approx((xs[3], ys[1]))]
    assert not [t for t in charts[1]["data"] if t.get("name") == "clicked cell"]
    ring = next(t for t in charts[0]["data"] if t.get("name") == "current setting")
    assert ring["y"][0] == pytest.approx(0.25)


# ---- the map sentences name values exactly and say when cells tie (pure text, no page) -----------------

def _map(x_param, y_param, final_gap, steps=None):
    """A synthetic 3 × 3 (or n × n) map: every cell finite and not diverged."""
    n = final_gap.shape[0]
    none = np.full((n, n), -1)
    return maps.SensitivityMap(x_param, y_param, maps.axis_values(x_param, n), maps.axis_values(y_param, n),
                               none if steps is None else steps, final_gap, none, none, 0.1, 150)


def test_beta2_is_printed_exact_to_its_nines_never_as_1():
    assert [text.value_text("beta2", v) for v in (0.99999, 0.99785, 0.999, 0.5)] == ["0.99999", "0.99785", "0.999",
                                                                                     "0.5"]
    gaps = np.ones((3, 3))
    gaps[1, 2] = 0.5                     # the best cell: β₂ = 0.99999 (x, last column), ε in the middle row
    sentence = text.map_sentence(_map("beta2", "eps", gaps), "Adam", "final")
    assert "β₂ = 0.99999 " in sentence and "β₂ = 1 " not in sentence
    assert "beta2 = 0.99999," in play_figures._hover(_map("beta2", "eps", gaps), "final")[1, 2]


def test_tied_best_cells_are_counted_not_one_named_as_the_best():
    gaps = np.zeros((3, 3))
    gaps[0, :] = 1.0                     # six cells tie at exactly 0
    sentence = text.map_sentence(_map("lr", "beta1", gaps), "Adam", "final")
    assert "6 settings share the best, final f − f* = 0; the one with the smallest α is at α = 0.0001" in sentence
    steps = np.full((3, 3), 40)
    steps[2, 1] = 12
    sentence = text.map_sentence(_map("lr", "beta1", np.zeros((3, 3)), steps), "Adam", "steps")
    assert "the best is 12 steps, at α = 0.01 and β₁ = 0.99" in sentence


def test_a_negative_best_gap_is_explained_and_the_star_caption_allows_it():
    gaps = np.ones((3, 3))
    gaps[1, 1] = -0.25
    sentence = text.map_sentence(_map("lr", "beta1", gaps), "Adam", "final")
    assert "final f − f* = -0.25" in sentence and "this run found a lower point" in sentence
    assert "lower point" not in text.map_sentence(_map("lr", "beta1", np.ones((3, 3))), "Adam", "final")
    from lessons.playground import runs
    star = text.range_caption(runs.typed_surface("x^2 + y^2", (-4.0, 4.0), (-4.0, 4.0)), True)
    assert "an estimate rather than a proof: a run may find a lower point, and its f − f* is then below 0" in star


def test_the_axes_caption_says_when_the_current_setting_is_off_the_map():
    assert text.axes_caption({"lr": 0.01, "beta1": 0.9}).endswith("the ring marks them.")
    off = text.axes_caption({"lr": 10.0, "beta1": 0.9})
    assert "ring marks them" not in off and "off the map (α = 10" in off


# ---- a typed run that blows up is called diverging or diverged, by ui.divergence's rule ----------------

def test_a_typed_run_that_blows_up_is_warned_about_whether_finite_or_overflowed():
    """AdaBound with final α 10 on x² + 10y² ends finite at a loss near 10²⁰³: "is diverging", as on a named
    surface; SGD at α = 10 overflows after growing: "diverged" with the advice, as its ✕ on the chart says."""
    at = open_page(PAGE, {"play_f": "x^2 + 10*y^2", "play_typed_adabound_final_lr": "10",
                          "play_typed_sgd_lr": "10"})
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "**AdaBound is diverging**" in warnings and "still finite" in warnings
    assert "**SGD diverged at step" in warnings and "Lower its α." in warnings
    assert "SGD stopped at" not in warnings
    assert any(a["text"].startswith("SGD diverged at step") for a in figures(at)[PATHS]["layout"]["annotations"])
