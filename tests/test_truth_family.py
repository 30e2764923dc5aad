"""The family lesson's fixed sentences about Adadelta, AMSGrad and AdaBound hold at every setting.

Each is checked against independent core runs over a grid of the hyperparameters its slider moves.
"""

import numpy as np
import pytest

import optimizers as opt
from lessons.family import GAMMA_HELP, run_note, table_rows
from ui.runs import Path
from ui.family import FAMILY


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9, 0.99, 0.999])
@pytest.mark.parametrize("eps", [1e-8, 1e-6, 1e-4])
def test_adadeltas_first_step_is_alpha_root_eps_over_root_one_minus_rho(rho, eps):
    g = 100.0                                   # (1 − ρ)g² ≫ ε on the whole grid
    traj = opt.run(opt.adadelta(1.0, rho=rho, eps=eps), lambda x: np.array([g]), [0.0], 1)
    assert abs(traj.params[1, 0]) == pytest.approx(np.sqrt(eps) / np.sqrt(1 - rho), rel=1e-3)


def test_adadeltas_quoted_first_step_at_torchs_defaults():
    assert "3.2·10⁻³ at torch's ρ = 0.9, ε = 10⁻⁶" in FAMILY["adadelta"].when
    assert np.sqrt(1e-6) / np.sqrt(1 - 0.9) == pytest.approx(3.2e-3, rel=0.02)


def spike_then_small(x, t):
    return np.array([10.0 if t == 1 else 0.01])


@pytest.mark.parametrize("beta2", [0.9, 0.99, 0.999])
def test_torchs_amsgrad_step_sizes_can_grow_back_and_the_papers_cannot(beta2):
    """After a spike v_max holds still; torch's α/√(v_max/(1−β₂ᵗ)) grows, the paper's α/√v_max does not."""
    traj = opt.run(opt.adam(0.1, beta2=beta2, amsgrad=True), spike_then_small, [0.0], 40, keep_state=True,
                   with_step=True)
    torch_form = traj.states["lr_eff"][:, 0]
    papers_form = 0.1 / np.sqrt(traj.states["v_max"][:, 0])
    assert torch_form[-1] > 1.5 * torch_form[0]
    assert np.all(np.diff(papers_form) <= 0)
    assert "never grow back" in FAMILY["amsgrad"].when and "torch's divides the max by 1 − β₂ᵗ" in FAMILY["amsgrad"].when


@pytest.mark.parametrize("gamma", [1e-3, 1e-2, 0.1])
def test_adabounds_band_at_one_over_gamma_and_within_ten_percent_from_ten_over_gamma(gamma):
    final_lr = 0.1
    steps = int(round(12 / gamma))
    traj = opt.run(opt.adabound(0.1, final_lr=final_lr, gamma=gamma), lambda x: np.array([1.0]), [0.0], steps,
                   keep_state=True)
    lower, upper = traj.states["lower"][:, 0], traj.states["upper"][:, 0]   # row t − 1 is step t
    t = int(round(1 / gamma))
    assert lower[t - 1] == pytest.approx(final_lr / 2) and upper[t - 1] == pytest.approx(2 * final_lr)
    within = (lower >= 0.9 * final_lr) & (upper <= 1.1 * final_lr)
    first = int(np.argmax(within)) + 1
    assert first == pytest.approx(10 / gamma, abs=1)


def test_the_gamma_help_says_what_the_band_is():
    assert "still [α*/2, 2α*]" in GAMMA_HELP and "within 10 % of α*" in GAMMA_HELP and "10/γ" in GAMMA_HELP


# ---- the read-out table and the run notes: the cause named by the numbers ------------------------------

def member_path(key, build, surface_key, start, steps):
    """A family member's run made here with the core, as the page's Path."""
    surface = opt.surfaces.get(surface_key)
    traj = opt.run(build, surface.grad, np.array(start, dtype=float), steps, loss_fn=surface.loss)
    return Path(key, FAMILY[key].label, "#000", "circle", traj.params, traj.losses,
                surface.distance_to_minimum(traj.params), int(traj.diverged_at)), surface


def blowup_step(losses, min_value):
    """Independent of ui/divergence: the first k ≥ 1 with every finite gap from k on above 10⁶·max(gap₀, 1)."""
    gaps = [loss - min_value for loss in losses if np.isfinite(loss)]
    limit = 1e6 * max(gaps[0], 1.0)
    for k in range(1, len(gaps)):
        if all(gap > limit for gap in gaps[k:]):
            return k
    return -1


@pytest.mark.parametrize("lr, steps", [(10.0, 50), (10.0, 300), (1.2, 60), (0.1, 50), (0.9, 40)])
def test_the_table_marks_a_run_that_is_blowing_up_and_writes_its_numbers_short(lr, steps):
    path, surface = member_path("sgd", opt.sgd(lr), "parabola", [8.0], steps)
    row = table_rows([path], surface)[0]
    expected = blowup_step(path.losses, surface.min_value)
    assert row["diverging from step"] == (str(expected) if expected >= 0 else "—")
    assert not any("e+" in cell or "e-" in cell for cell in row.values())
    note = run_note(path, surface, {"lr": lr})
    if path.diverged_at >= 0:
        assert note.startswith(f"**SGD diverged at step {path.diverged_at}**") and "overflowed" in note
    elif expected >= 0:
        assert note.startswith("**SGD is diverging**") and f"from step {expected} on" in note
    else:
        assert note is None


@pytest.mark.parametrize("key, build", [("adam", opt.adam(0.1, eps=0.0)), ("rmsprop", opt.rmsprop(0.1, eps=0.0))])
def test_a_nan_from_zero_over_zero_is_not_called_a_too_large_step(key, build):
    path, surface = member_path(key, build, "parabola", [2.0], 20)          # on the minimum: g = 0 at every step
    assert path.diverged_at == 1
    note = run_note(path, surface, {"eps": 0.0})
    assert "not a too-large step" in note and "divides 0 by 0" in note and "lower its α" not in note
    assert table_rows([path], surface)[0]["diverging from step"] == "—"


def test_the_page_shows_the_notes_and_the_table():
    from apptest_helpers import open_page
    at = open_page("pages/optimizer-family.py", {"fam_surface": "Parabola (x−2)²", "fam_parabola_sgd_lr": "10"})
    assert not at.exception
    path, surface = member_path("sgd", opt.sgd(10.0), "parabola", [8.0], 100)
    assert run_note(path, surface, {"lr": 10.0}) in [w.value for w in at.warning]
    table = at.dataframe[0].value
    sgd = table[table["optimizer"] == "SGD"].iloc[0]
    assert sgd["diverging from step"] == str(blowup_step(path.losses, surface.min_value))


def test_review14_lions_reveal_says_what_its_run_does_near_the_minimum():
    """Parabola defaults, Lion α = 0.1: it overshoots to 35α past the minimum through its momentum and ends 30α
    away; it does not 'hop around it at distance about α'."""
    from apptest_helpers import assert_clean, open_page
    at = open_page("pages/optimizer-family.py")
    at.button_group(key="fam_surface").set_value("parabola").run()
    at.radio(key="fam_q1_pick").set_value("Exactly α").run()
    at.button(key="fam_q1_reveal").click().run()
    assert_clean(at)
    text = " ".join(m.value for m in at.markdown)
    assert "hops around it at distance about α" not in text
    surface = opt.surfaces.get("parabola")
    start = at.slider(key="fam_parabola_x0").value
    steps = at.slider(key="fam_parabola_steps").value
    theta = opt.run(opt.lion(0.1), surface.grad, np.array([start]), steps).params[:, 0]
    far = np.abs(theta - 2.0) / 0.1
    k = int(np.flatnonzero(far <= 1)[0])
    assert f"within one step of the minimum at step {k}" in text
    assert f"= {far[k:].max():.3g}α from the minimum (step {k + int(np.argmax(far[k:]))})" in text
    assert f"{far[-1]:.3g}α from it" in text


def test_review14_memory_at_one_by_one_is_the_same():
    from lessons import family as lesson
    sentence = lesson.memory_sentence(1, 1, lesson.state_memory(1, 1))
    assert "1.0×" not in sentence and "(1 number)" in sentence and "the same number" in sentence
