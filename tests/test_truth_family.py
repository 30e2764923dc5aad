"""The family lesson's fixed sentences about Adadelta, AMSGrad and AdaBound hold at every setting.

Each is checked against independent core runs over a grid of the hyperparameters its slider moves.
"""

import numpy as np
import pytest

import optimizers as opt
from lessons.family import GAMMA_HELP
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
