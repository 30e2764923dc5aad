"""The "Inside an Adam step" lesson through app.py with AppTest.

Every number the page prints (table, typeset formula, arrows, vital signs, noise text, quiz) is
compared with an independent ``opt.run`` of the same Adam, row t − 1 of its records for step t.
"""

import re

import numpy as np
import pytest

import optimizers as opt
from apptest_helpers import assert_clean, figures, markdown, open_page, values, widget

PAGE = "pages/inside-adam.py"
STEP = "insp_step"
SURFACE_CHART, VITALS, NOISE = 0, 1, 2
DEFAULTS = dict(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
BOWL_START, STEPS = (-5.0, 2.0), 100
DIGITS_REL = 5.0001e-6            # 6 significant digits: |printed − true| ≤ 5e-6·|true|


def own_run(surface="bowl", start=BOWL_START, steps=STEPS, noise=0.0, seed=0, **hyper):
    settings = dict(DEFAULTS, **hyper)
    s = opt.surfaces.get(surface)
    return opt.run(opt.adam(settings["lr"], beta1=settings["beta1"], beta2=settings["beta2"], eps=settings["eps"]),
                   s.grad, np.array(start), steps, loss_fn=s.loss, keep_state=True, grad_noise=noise, seed=seed)


def expected_step(traj, t, lr=0.1):
    """What step t is, read off the independent run: row t − 1 of the records, params[t − 1] → params[t]."""
    k = t - 1
    s = traj.states
    zeros = np.zeros(2)
    return dict(theta_prev=traj.params[k], theta=traj.params[t], g=traj.grads[k],
                m_prev=s["m"][k - 1] if k else zeros, v_prev=s["v"][k - 1] if k else zeros,
                m=s["m"][k], v=s["v"][k], bc1=s["bc1"][k], bc2=s["bc2"][k], m_hat=s["m_hat"][k],
                v_hat=s["v_hat"][k], lr_eff=s["lr_eff"][k], update=traj.updates[k], step=-traj.updates[k])


def table(at):
    frame = at.dataframe[0].value
    return {q: np.array([x, y]) for q, x, y in zip(frame["quantity"], frame["x"], frame["y"])}


def arrows(figure):
    """arrow label ("g", "m̂", "step") -> (tail, tip, scale, legend name) of the three arrow traces."""
    found = {}
    for trace in figure["data"]:
        if "meta" in trace:
            x, y = values(trace["x"]), values(trace["y"])
            found[trace["meta"]["label"]] = (np.array([x[0], y[0]]), np.array([x[1], y[1]]), trace["meta"]["scale"],
                                       trace["name"])
    return found


def set_step(at, t):
    at.slider(key=STEP).set_value(t).run()
    assert_clean(at)
    return at


@pytest.fixture(scope="module")
def page():
    at = open_page(PAGE)
    assert_clean(at)
    return at


@pytest.fixture(scope="module")
def bowl():
    return own_run()


def test_opens_with_the_step_view_and_links_on(page):
    assert page.title[0].value == "Inside an Adam step"
    assert len(figures(page)) == 2                      # no noise: the surface and the vital signs
    assert widget(page, STEP).value == 10
    links = {link.proto.page: link.proto.label for link in page.get("page_link")}
    assert links.get("adamw") == "Next: AdamW against L2"
    code = "\n".join(c.value for c in page.code)
    assert "def adam(" in code and "def update(grads, state, params):" in code
    assert "def ema(average" in code and "def bias_correction(beta" in code   # type hints may follow


@pytest.mark.parametrize("t", [1, 10, 57, 100])
def test_the_table_is_the_core_state_at_step_t(page, bowl, t):
    set_step(page, t)
    shown = table(page)
    want = expected_step(bowl, t)
    rows = {"θₜ₋₁": "theta_prev", "gₜ": "g", "mₜ": "m", "vₜ": "v", "1−β₁ᵗ": "bc1", "1−β₂ᵗ": "bc2", "m̂ₜ": "m_hat",
            "v̂ₜ": "v_hat", "α/(√v̂ₜ+ε)": "lr_eff", "update": "update", "θₜ": "theta"}
    assert list(shown) == list(rows)
    for label, name in rows.items():
        np.testing.assert_allclose(shown[label], want[name], rtol=1e-13, err_msg=label)
    # Independently of the core's bookkeeping: the bowl's gradient, the corrections and the update rule.
    np.testing.assert_allclose(shown["gₜ"], shown["θₜ₋₁"] * [1.0, 10.0], rtol=1e-13)
    np.testing.assert_allclose(shown["1−β₁ᵗ"], 1 - 0.9**t, rtol=1e-13)
    np.testing.assert_allclose(shown["1−β₂ᵗ"], 1 - 0.999**t, rtol=1e-12)
    np.testing.assert_allclose(shown["m̂ₜ"], shown["mₜ"] / (1 - 0.9**t), rtol=1e-12)
    np.testing.assert_allclose(shown["update"], -0.1 * shown["m̂ₜ"] / (np.sqrt(shown["v̂ₜ"]) + 1e-8), rtol=1e-12)
    np.testing.assert_allclose(shown["θₜ"], shown["θₜ₋₁"] + shown["update"], rtol=1e-13)
    if t == 1:                                           # both corrections on: the first step is α·sign(g)
        np.testing.assert_allclose(shown["update"], -0.1 * np.sign(shown["gₜ"]), rtol=1e-6)
    assert f"**Step t = {t}**" in markdown(page)


def latex_numbers(line):
    """The numbers substituted into one typeset line (the symbolic formula before them is skipped)."""
    pieces = line.split("=")
    body = "=".join(pieces[1:] if line.lstrip().startswith("&=") else pieces[2:]).replace("^2", "")
    return [float(m) * 10.0 ** int(e or 0)
            for m, e in re.findall(r"(-?\d+(?:\.\d*)?)(?:\\times 10\^\{(-?\d+)\})?", body)]


def formula_lines(at, coordinate):
    tex = at.latex[1 + coordinate].value       # latex[0] is Adam's rule at the top of the page
    body = tex.split(r"\begin{aligned}")[1].split(r"\end{aligned}")[0]
    return body.split(r" \\ ")


@pytest.mark.parametrize("t", [1, 23, 100])
def test_the_typeset_numbers_are_the_core_state_and_add_up(page, bowl, t):
    set_step(page, t)
    want = expected_step(bowl, t)
    b1, b2, lr, eps = 0.9, 0.999, 0.1, 1e-8
    for i in range(2):
        w = {name: value[i] for name, value in want.items()}
        lines = [latex_numbers(line) for line in formula_lines(page, i)]
        expected = [
            [b1, w["m_prev"], 1 - b1, w["g"], w["m"]],
            [b2, w["v_prev"], 1 - b2, w["g"], w["v"]],
            [w["m"], w["bc1"], w["m_hat"]],
            [w["v"], w["bc2"], w["v_hat"]],
            [w["theta_prev"], lr, w["m_hat"], w["v_hat"], eps],
            [w["theta_prev"], lr, w["m_hat"], np.sqrt(w["v_hat"]), eps, w["theta_prev"], w["step"], w["theta"]],
        ]
        assert [len(line) for line in lines] == [len(e) for e in expected]
        for printed, true in zip(lines, expected):
            np.testing.assert_allclose(printed, true, rtol=DIGITS_REL, atol=0)
        # A learner with a calculator: the printed numbers reproduce each printed result.
        (p_b1, m0, p_1b1, g, m), (p_b2, v0, p_1b2, _, v), (_, bc1, m_hat), (_, bc2, v_hat), _, \
            (theta_prev, p_lr, _, root, p_eps, _, step, theta) = lines
        slack = 1.5e-5
        assert abs(p_b1 * m0 + p_1b1 * g - m) <= slack * (abs(m0) + abs(g) + abs(m))
        assert abs(p_b2 * v0 + p_1b2 * g * g - v) <= slack * (abs(v0) + g * g + abs(v))
        assert abs(m / bc1 - m_hat) <= slack * abs(m_hat)
        assert abs(v / bc2 - v_hat) <= slack * abs(v_hat)
        assert abs(np.sqrt(v_hat) - root) <= slack * root
        assert abs(p_lr * m_hat / (root + p_eps) - step) <= 2 * slack * abs(step)
        assert abs(theta_prev - step - theta) <= slack * (abs(theta_prev) + abs(theta)) + 2 * slack * abs(step)


@pytest.mark.parametrize("t", [1, 10, 64])
def test_the_arrows_are_g_m_hat_and_the_step_to_their_stated_scale(page, bowl, t):
    set_step(page, t)
    want = expected_step(bowl, t)
    found = arrows(figures(page)[SURFACE_CHART])
    assert set(found) == {"g", "m̂", "step"}
    for label, vector in (("g", want["g"]), ("m̂", want["m_hat"]), ("step", want["update"])):
        tail, tip, scale, name = found[label]
        np.testing.assert_allclose(tail, want["theta_prev"], rtol=1e-13)
        np.testing.assert_allclose(tip - tail, scale * vector, rtol=1e-9, atol=1e-12)
        assert name.endswith(f"× {scale:g}")                        # the scale is stated in the legend
        mantissa = scale / 10 ** np.floor(np.log10(scale))
        assert min(abs(mantissa - c) for c in (1, 2, 5)) < 1e-9    # a 1-2-5 number
    assert found["g"][2] == found["m̂"][2]                          # g and m̂ share one scale
    sub = str(t).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
    assert found["g"][3].startswith(f"g{sub},") and found["step"][3].startswith(f"step θ{sub} − ")
    note = " ".join(a["text"] for a in figures(page)[SURFACE_CHART]["layout"]["annotations"])
    assert f"g and m̂ × {found['g'][2]:g}" in note and f"the step × {found['step'][2]:g}" in note


def test_scrubbing_back_and_forth_changes_arrows_and_table_without_rerunning_adam(monkeypatch):
    at = open_page(PAGE)
    calls = []
    real_run = opt.run
    monkeypatch.setattr(opt, "run", lambda *a, **k: calls.append(1) or real_run(*a, **k))
    bowl = own_run()
    calls.clear()

    def seen():
        tail, tip, scale, _ = arrows(figures(at)[SURFACE_CHART])["step"]
        return table(at)["update"], (tip - tail) / scale

    set_step(at, 30)
    views = {30: seen()}
    at.button(key="insp_back").click().run()
    assert_clean(at)
    assert widget(at, STEP).value == 29
    views[29] = seen()
    at.button(key="insp_forward").click().run()
    at.button(key="insp_forward").click().run()
    assert widget(at, STEP).value == 31
    views[31] = seen()
    set_step(at, 5)
    views[5] = seen()
    set_step(at, 30)
    for t, (row, arrow) in views.items():
        np.testing.assert_allclose(row, bowl.updates[t - 1], rtol=1e-13)
        np.testing.assert_allclose(arrow, bowl.updates[t - 1], rtol=1e-9)
    assert len({tuple(row) for row, _ in views.values()}) == 4          # each step shows its own numbers
    np.testing.assert_array_equal(seen()[0], views[30][0])               # and back again
    shapes = figures(at)[VITALS]["layout"]["shapes"]
    assert len(shapes) == 4 and all(s["x0"] == 30 == s["x1"] for s in shapes)
    assert calls == [], "scrubbing re-ran the optimizer instead of reading the cached run"


def test_the_vital_signs_are_the_run_with_the_step_marked(page, bowl):
    set_step(page, 42)
    figure = figures(page)[VITALS]
    lines = {(t["name"], t["yaxis"]): values(t["y"]) for t in figure["data"]}
    norm = np.sqrt(np.sum(bowl.grads**2, axis=-1))
    np.testing.assert_allclose(lines[("coordinate x", "y")], bowl.states["lr_eff"][:, 0], rtol=1e-13)
    np.testing.assert_allclose(lines[("coordinate y", "y")], bowl.states["lr_eff"][:, 1], rtol=1e-13)
    np.testing.assert_allclose(lines[("‖gₜ‖", "y2")], norm, rtol=1e-13)
    np.testing.assert_allclose(lines[("‖θₜ − θₜ₋₁‖", "y3")],
                               np.linalg.norm(np.diff(bowl.params, axis=0), axis=-1), rtol=1e-9)
    np.testing.assert_allclose(lines[("coordinate y", "y4")], np.abs(np.diff(bowl.params[:, 1])) / 0.1, rtol=1e-9)
    assert {s["x0"] for s in figure["layout"]["shapes"]} == {42}
    assert {s["xref"] for s in figure["layout"]["shapes"]} == {"x", "x2", "x3", "x4"}


def test_stochastic_mode_shows_the_noise_and_its_effect_on_m_and_v():
    at = open_page(PAGE, {"insp_noise": "1"})
    assert_clean(at)
    set_step(at, 80)
    noisy = own_run(noise=1.0, seed=0)
    figure = figures(at)[NOISE]
    by_name = {(t["name"], t["xaxis"]): values(t["y"]) for t in figure["data"]}
    np.testing.assert_allclose(by_name[("gₜ (noisy)", "x")], noisy.grads[:, 0], rtol=1e-13)
    np.testing.assert_allclose(by_name[("m̂ₜ (Adam's average)", "x2")], noisy.states["m_hat"][:, 1], rtol=1e-13)
    clean = noisy.params[:-1] * [1.0, 10.0]                             # the bowl's own gradient
    np.testing.assert_allclose(by_name[("∇f(θₜ₋₁) without the noise", "x")], clean[:, 0], rtol=1e-13)
    # The noise-free averages along the same path, by a plain loop.
    m = v = np.zeros(2)
    for k, g in enumerate(clean[:80]):
        m, v = 0.9 * m + 0.1 * g, 0.999 * v + 0.001 * g * g
    v_hat_clean = v / (1 - 0.999**80)
    text = markdown(at)
    v_hat = noisy.states["v_hat"][79]
    assert f"v̂ = {v_hat[0]:.4g} in x and {v_hat[1]:.4g} in y" in text
    assert f"is {v_hat_clean[0]:.4g} and {v_hat_clean[1]:.4g}" in text
    assert np.all(v_hat > v_hat_clean)                                  # v grows with the noise (σ² = 1)
    noise_sd = np.std(noisy.grads - clean, axis=0)
    assert f"standard deviation {noise_sd[0]:.3g} in x and {noise_sd[1]:.3g} in y" in text
    assert f"√((1−β₁)/(1+β₁)) = {np.sqrt(0.1 / 1.9):.3g}" in text
    assert table(at)["gₜ"] == pytest.approx(noisy.grads[79], rel=1e-13)


def _every_slider(at):
    ends = [(s.key, s.min, s.max) for s in at.slider]
    ends += [(s.key, s.options[0], s.options[-1]) for s in at.select_slider]
    return ends


@pytest.mark.parametrize("end", ["min", "max"])
def test_every_slider_survives_its_extremes(end):
    at = open_page(PAGE, {"insp_noise": "1"})
    sliders = _every_slider(at)
    assert {key for key, _, _ in sliders} == {STEP, "insp_bowl_x0", "insp_bowl_y0", "insp_steps", "insp_lr",
                                              "insp_beta1", "insp_beta2", "insp_eps", "insp_noise", "insp_seed"}
    for key, low, high in sliders:
        widgets = [w for w in list(at.slider) + list(at.select_slider) if w.key == key]
        if not widgets:                      # the step slider is gone once the run has a single step
            assert key == STEP and widget(at, "insp_steps").value == 1
            continue
        value = low if end == "min" else high
        widgets[0].set_value(float(value) if key in ("insp_lr", "insp_beta2", "insp_eps", "insp_noise")
                             else value).run()
        assert_clean(at)
        assert len(figures(at)) >= 2, key


@pytest.mark.parametrize("surface", ["Rotated bowl", "Rosenbrock", "Beale", "Saddle"])
def test_every_surface_inspects_its_own_run(surface):
    at = open_page(PAGE, {"insp_surface": surface, "insp_step": "7"})
    assert_clean(at)
    key = {"Rotated bowl": "rotated_bowl", "Rosenbrock": "rosenbrock", "Beale": "beale", "Saddle": "saddle"}[surface]
    traj = own_run(key, opt.surfaces.get(key).start)
    np.testing.assert_allclose(table(at)["update"], traj.updates[6], rtol=1e-13)
    np.testing.assert_allclose(table(at)["gₜ"], opt.surfaces.get(key).grad(traj.params[6]), rtol=1e-13)


def test_eps_zero_at_the_minimum_is_a_sentence_not_a_traceback():
    at = open_page(PAGE, {"insp_eps": "0", "insp_bowl_x0": "0", "insp_bowl_y0": "0"})
    assert_clean(at)
    assert any("left the finite world at step 1" in w.value for w in at.warning)
    assert STEP not in [s.key for s in at.slider]          # a single step to inspect: no scrubber
    assert np.all(np.isnan(table(at)["θₜ"]))


@pytest.mark.parametrize("query, key, default", [({"insp_lr": "banana"}, "insp_lr", 0.1),
                                                 ({"insp_step": "abc"}, STEP, 10),
                                                 ({"insp_step": "5000"}, STEP, 10)])
def test_a_malformed_link_falls_back_with_a_notice(query, key, default):
    at = open_page(PAGE, query)
    assert_clean(at)
    raw = next(iter(query.values()))
    assert any(raw in i.value and key in i.value for i in at.info)
    assert widget(at, key).value == default


def test_the_reveal_quotes_the_runs_with_and_without_noise(page):
    page.radio(key="insp_q1_pick").set_value("it shrinks").run()
    page.button(key="insp_q1_reveal").click().run()
    assert_clean(page)
    assert any("Right" in s.value for s in page.success)
    calm = np.median(own_run().states["lr_eff"][50:], axis=0)
    shaken = np.median(own_run(noise=1.0).states["lr_eff"][50:], axis=0)
    text = markdown(page)
    assert f"**{calm[0]:.4g}** in x and **{calm[1]:.4g}** in y without noise" in text
    assert f"**{shaken[0]:.4g}** and **{shaken[1]:.4g}** with σ = 1" in text
    assert np.all(shaken < calm)
