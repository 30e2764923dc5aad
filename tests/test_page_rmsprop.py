"""The RMSprop lesson through app.py with AppTest: it opens, survives every slider's extremes,
draws the core's numbers, shows scale invariance in its figure data, and prints what the core computed."""

import numpy as np
import pytest

import optimizers as opt
from ui.divergence import short_number

SUP = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def short_float(text):
    """'2.45×10⁻⁷' -> 2.45e-07 (the course's short style back to a float)."""
    mantissa, _, exponent = text.partition("×10")
    return float(mantissa) * (10.0 ** int(exponent.translate(SUP)) if exponent else 1.0)
from apptest_helpers import assert_clean, assert_setting_redraws, figures, open_page, trace, values, widget

PAGE = "pages/rmsprop-scaling.py"
PATHS, STATE, SCALE, EPS_PATHS, SWEEP = range(5)     # the page's charts, top to bottom
DEFAULTS = dict(lr=0.05, rho=0.99, eps=1e-8, steps=100, scale=0.1, big_lr=5.0, big_eps=100.0)



def core(optimizer, surface_key="bowl", scale=1.0, steps=DEFAULTS["steps"], keep_state=False):
    """The core's run, computed here independently of the page's cached calls."""
    surface = opt.surfaces.get(surface_key)
    return opt.run(optimizer, lambda x: scale * surface.grad(x), np.array(surface.start), steps,
                   loss_fn=lambda x: scale * surface.loss(x), keep_state=keep_state)


def xy(figure, name):
    drawn = trace(figure, name)
    return np.stack([values(drawn["x"]), values(drawn["y"])], axis=-1)


def rmsprop(lr=DEFAULTS["lr"], rho=DEFAULTS["rho"], eps=DEFAULTS["eps"]):
    return opt.rmsprop(lr, alpha=rho, eps=eps)


def printed_gaps(at):
    """The scale table: optimizer -> the text printed in its gap column."""
    table = at.table[0].value
    return dict(zip(table["optimizer"], table["largest distance from its path at c = 1"]))


def text(at):
    return " ".join(m.value for m in at.markdown)


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


# ---- it opens and draws the core's numbers ----------------------------------------------------

def test_opens_with_five_charts_and_a_link_to_the_next_lesson(page):
    assert page.title[0].value.startswith("RMSprop")
    assert len(figures(page)) == 5
    links = page.get("page_link")
    assert any(link.proto.page == "bias-correction" for link in links)


def test_paths_and_state_are_the_core_numbers(page):
    figs = figures(page)
    sgd = core(opt.sgd(DEFAULTS["lr"]))
    rms = core(rmsprop(), keep_state=True)
    np.testing.assert_array_equal(xy(figs[PATHS], "SGD"), sgd.params)
    np.testing.assert_array_equal(xy(figs[PATHS], "RMSprop"), rms.params)
    for i, axis in enumerate("xy"):
        np.testing.assert_array_equal(values(trace(figs[STATE], f"{axis}: v, the mean of g²")["y"]),
                                      rms.states["v"][:, i])
        np.testing.assert_array_equal(values(trace(figs[STATE], f"{axis}: step size α/(√v+ε)")["y"]),
                                      rms.states["lr_eff"][:, i])
        np.testing.assert_array_equal(values(trace(figs[STATE], f"{axis}: g²")["y"]), rms.grads[:, i] ** 2)
    assert values(trace(figs[STATE], "SGD: α for both")["y"]).tolist() == [DEFAULTS["lr"]] * 2
    # y, the steep coordinate, gets the smaller step size at every step.
    assert np.all(rms.states["lr_eff"][:, 1] < rms.states["lr_eff"][:, 0])


def _curvature_ratio(surface_key, lr_eff):
    """The median condition number of √P H √P, recomputed here from the Hessians written out by hand."""
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    rotation = np.array([[c, -s], [s, c]])
    hessian = {"bowl": np.diag([1.0, 10.0]), "rotated_bowl": rotation @ np.diag([1.0, 10.0]) @ rotation.T}
    ratios = []
    for p in lr_eff:
        root = np.sqrt(p)
        eig = np.linalg.eigvalsh(root[:, None] * hessian[surface_key] * root[None, :])
        ratios.append(eig[-1] / eig[0])
    return np.median(ratios)


def test_printed_first_step_and_curvature_ratios_are_the_core_numbers(page):
    printed = text(page)
    rms = core(rmsprop(), keep_state=True)
    first = np.abs(rms.params[1] - rms.params[0])
    assert first == pytest.approx([0.5, 0.5], rel=1e-6)          # α/√(1−ρ) = 10α, no bias correction
    assert f"**{short_number(first[0], 4)}** in x" in printed and f"**{short_number(first[1], 4)}** in y" in printed
    bowl = _curvature_ratio("bowl", rms.states["lr_eff"])
    rotated = _curvature_ratio("rotated_bowl", core(rmsprop(), "rotated_bowl", keep_state=True).states["lr_eff"])
    assert f"**{short_number(bowl, 3)}**" in printed and f"**{short_number(rotated, 3)}**" in printed
    assert bowl < 6 < 10 < rotated       # scaling helps on the bowl, not on the rotated bowl


# ---- every slider survives its extremes; a change changes the data ------------------------------

def _every_slider(at):
    """(key, lowest, highest) of every slider; a select-slider's options arrive as their labels."""
    return [(s.key, s.min, s.max) for s in at.slider] + \
           [(s.key, min(map(float, s.options)), max(map(float, s.options))) for s in at.select_slider]


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    at = open_page(PAGE)
    sliders = _every_slider(at)
    assert len(sliders) == 7
    for key, low, high in sliders:
        slider = widget(at, key)
        target = low if end == "min" else high
        slider.set_value(target).run()
        assert_clean(at)
        assert len(figures(at)) == 5, key
    # All at once, on the rotated bowl too.
    at.get("button_group")[0].set_value("rotated_bowl").run()
    assert_clean(at)
    assert len(figures(at)) == 5


def test_extreme_settings_speak_in_sentences():
    """α = 10 makes SGD blow up; the page says so in words, and the figure marks it."""
    at = open_page(PAGE, {"rms_lr": "10", "rms_scale": "1000"})
    assert_clean(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "SGD diverged at step" in warnings
    assert any("diverged at step" in a["text"] for a in figures(at)[PATHS]["layout"]["annotations"])


@pytest.mark.parametrize("key, value, chart", [("rms_lr", 0.1, PATHS), ("rms_rho", 0.9, STATE),
                                               ("rms_eps", 1e-2, STATE), ("rms_steps", 40, PATHS),
                                               ("rms_scale", 10.0, SCALE), ("rms_big_lr", 2.0, EPS_PATHS),
                                               ("rms_big_eps", 1000.0, SWEEP)])
def test_changing_a_slider_changes_the_figure_data(key, value, chart):
    assert_setting_redraws(open_page(PAGE), key, value, chart)


def test_the_surface_switch_redraws_on_the_rotated_bowl():
    at = open_page(PAGE)
    at.get("button_group")[0].set_value("rotated_bowl").run()
    assert_clean(at)
    np.testing.assert_array_equal(xy(figures(at)[PATHS], "RMSprop"), core(rmsprop(), "rotated_bowl").params)


def test_a_malformed_link_falls_back_with_a_notice():
    at = open_page(PAGE, {"rms_scale": "banana"})
    assert_clean(at)
    assert any("banana" in i.value for i in at.info)
    assert at.select_slider(key="rms_scale").value == DEFAULTS["scale"]


# ---- scale invariance, in the figure data -------------------------------------------------------

@pytest.mark.parametrize("surface_key", ["bowl", "rotated_bowl"])
def test_scale_invariance_holds_in_the_figure_data(surface_key):
    """With ε = 0, RMSprop's and Adam's paths on c·f equal their paths on f up to rounding; SGD's do not."""
    at = open_page(PAGE, {"rms_eps": "0", "rms_surface": {"bowl": "Bowl", "rotated_bowl": "Rotated bowl"}[surface_key]})
    assert_clean(at)
    assert not at.info, [i.value for i in at.info]
    start = opt.surfaces.get(surface_key).start
    assert xy(figures(at)[SCALE], "RMSprop at c = 1")[0].tolist() == list(start)
    for c in (1e-3, 0.1, 10.0, 1000.0):
        at.select_slider(key="rms_scale").set_value(c).run()
        assert_clean(at)
        figure = figures(at)[SCALE]
        for name in ("RMSprop", "Adam"):
            np.testing.assert_allclose(xy(figure, name), xy(figure, f"{name} at c = 1"), rtol=1e-9, atol=1e-12)
        sgd, sgd_ref = xy(figure, "SGD"), xy(figure, "SGD at c = 1")
        assert not np.allclose(sgd, sgd_ref, equal_nan=True), c
        gap = printed_gaps(at)
        assert short_float(gap["RMSprop"]) < 1e-12 and short_float(gap["Adam"]) < 1e-12
        assert gap["SGD"].startswith("diverged") or short_float(gap["SGD"]) > 1e-2


def test_scale_table_prints_the_core_gaps_at_the_default_eps(page):
    """ε = 10⁻⁸ and c = 0.1: RMSprop and Adam differ from their c = 1 paths by well under 10⁻⁵, SGD by a lot."""
    gap = printed_gaps(page)
    c = DEFAULTS["scale"]
    adam = opt.adam(DEFAULTS["lr"], beta1=0.9, beta2=0.999, eps=DEFAULTS["eps"])
    expected = {}
    for name, optimizer in (("SGD", opt.sgd(DEFAULTS["lr"])), ("RMSprop", rmsprop()), ("Adam", adam)):
        expected[name] = np.max(np.linalg.norm(core(optimizer, scale=c).params - core(optimizer).params, axis=-1))
        assert gap[name] == short_number(expected[name], 3), name
    assert expected["RMSprop"] < 1e-5 and expected["Adam"] < 1e-5 and expected["SGD"] > 1


def test_scale_table_names_the_step_where_sgd_diverged():
    at = open_page(PAGE, {"rms_scale": "1000"})
    assert_clean(at)
    sgd = core(opt.sgd(DEFAULTS["lr"]), scale=1000.0)
    assert sgd.diverged_at >= 0
    assert printed_gaps(at)["SGD"] == f"diverged at step {int(sgd.diverged_at)}"


# ---- ε large: RMSprop is SGD with learning rate α/ε ---------------------------------------------

def test_large_eps_turns_rmsprop_into_sgd_with_lr_over_eps(page):
    lr, eps = DEFAULTS["big_lr"], DEFAULTS["big_eps"]
    figure = figures(page)[EPS_PATHS]
    rms = core(rmsprop(lr=lr, eps=eps), keep_state=True)
    sgd = core(opt.sgd(lr / eps))
    np.testing.assert_array_equal(xy(figure, "RMSprop"), rms.params)
    np.testing.assert_array_equal(xy(figure, "SGD with α/ε"), sgd.params)
    start_distance = np.linalg.norm(opt.surfaces.get("bowl").start)
    gap = np.max(np.linalg.norm(rms.params - sgd.params, axis=-1)) / start_distance
    ratio = np.sqrt(np.max(rms.states["v"])) / eps
    box = page.success[0].value
    assert f"α/ε = **{short_number(lr / eps, 3)}**" in box
    assert f"run is **{short_number(ratio, 2)}**" in box and f"more than **{short_number(gap, 2)}**" in box
    assert gap < 0.01 and ratio < 0.05


def test_the_sweep_shows_the_gap_shrinking_with_eps(page):
    sweep = figures(page)[SWEEP]
    eps = values(trace(sweep, "measured: largest gap between the paths")["x"])
    gap = values(trace(sweep, "measured: largest gap between the paths")["y"])
    big = eps >= 100
    assert np.all(np.diff(gap[big]) < 0)                       # more ε, closer to SGD(α/ε)
    assert np.all(np.isnan(gap[eps <= 10]))                     # SGD at α/ε ≥ 0.5 runs away on curvature 10
    assert any("runs away" in a["text"] for a in sweep["layout"]["annotations"])
    now = trace(sweep, "now: ε = 100")
    assert values(now["x"])[0] == 100 and values(now["y"])[0] == pytest.approx(gap[eps == 100][0], rel=1e-12)


def test_small_eps_says_rmsprop_still_rescales():
    at = open_page(PAGE, {"rms_big_eps": "1"})
    assert_clean(at)
    box = " ".join(i.value for i in at.info)
    assert "ε is not large next to √v" in box and "diverges" in box


# ---- predict, then reveal -----------------------------------------------------------------------

def test_the_reveal_quotes_the_core_numbers():
    at = open_page(PAGE)
    at.radio(key="rms_q1_pick").set_value("Nothing visible: it is the same path").run()
    at.button(key="rms_q1_reveal").click().run()
    assert_clean(at)
    assert any("Right" in s.value for s in at.success)
    rms_gap = np.max(np.linalg.norm(core(rmsprop(), scale=1000.0).params - core(rmsprop()).params, axis=-1))
    sgd_big = core(opt.sgd(DEFAULTS["lr"]), scale=1000.0)
    assert rms_gap < 1e-6
    printed = text(at)
    assert f"on 1000·f and on f is **{short_number(rms_gap, 3)}**" in printed
    assert f"diverged at step **{int(sgd_big.diverged_at)}**" in printed
