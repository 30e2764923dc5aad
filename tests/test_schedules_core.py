"""Scheduled hyperparameters and the AMSGrad counterexample in the core, against per-scalar loops."""

import math

import numpy as np
import pytest

import optimizers as opt
import reference_loops as ref
from optimizers import online, schedules


def _ref_grad(surface):
    return lambda point: [float(v) for v in surface.grad(np.array(point, dtype=np.float64))]


# ---- the tutorial's β₁ schedules, written out by hand -------------------------------------------

def test_tutorial_schedules_by_hand():
    decay = schedules.tutorial_beta1("decay", 0.9, 25)
    assert decay[0] == 0.9 and decay[10] == pytest.approx(0.9 / 2) and decay[20] == pytest.approx(0.3)
    cyclic = schedules.tutorial_beta1("cyclic", 0.9, 41)
    assert cyclic[0] == pytest.approx(0.45) and cyclic[5] == pytest.approx(0.9) and cyclic[15] == pytest.approx(0.0)
    assert cyclic[20] == pytest.approx(0.45) and cyclic[40] == pytest.approx(0.45)
    assert np.all(schedules.tutorial_beta1("constant", 0.8, 7) == 0.8)
    # Once per epoch: with 4 steps an epoch, steps 1-4 share epoch 0, steps 5-8 epoch 1.
    per_epoch = schedules.tutorial_beta1("decay", 0.9, 8, steps_per_epoch=4)
    assert per_epoch.tolist() == [0.9] * 4 + [pytest.approx(0.9 / 1.1)] * 4


@pytest.mark.parametrize("kind", ["decay", "cyclic", "constant"])
@pytest.mark.parametrize("surface_key", ["bowl", "rosenbrock", "two_wells"])
def test_scheduled_adam_matches_the_tutorials_loop(kind, surface_key):
    surface = opt.surfaces.get(surface_key)
    x0 = np.array(surface.start, dtype=float)
    steps = 60
    beta1s = schedules.tutorial_beta1(kind, 0.9, steps, steps_per_epoch=3)
    lrs = np.full(steps, 0.05)
    core = opt.run(schedules.scheduled(lambda beta1: opt.adam(0.05, beta1=beta1), beta1=beta1s),
                   surface.grad, x0, steps).params
    expected = ref.adam_scheduled(_ref_grad(surface), list(x0), steps, lrs, beta1s)
    np.testing.assert_allclose(core, expected, rtol=1e-10, atol=1e-12)


def test_constant_schedule_is_plain_adam():
    surface = opt.surfaces.get("beale")
    x0 = np.array(surface.start, dtype=float)
    plain = opt.run(opt.adam(0.02, beta1=0.8), surface.grad, x0, 50, keep_state=True)
    wrapped = opt.run(schedules.scheduled(lambda beta1: opt.adam(0.02, beta1=beta1),
                                          beta1=np.full(50, 0.8)), surface.grad, x0, 50, keep_state=True)
    np.testing.assert_array_equal(plain.params, wrapped.params)
    np.testing.assert_array_equal(plain.states["m_hat"], wrapped.states["m_hat"])


def test_batched_schedules_match_separate_runs():
    """A schedule of shape (steps, 3, 1) runs three schedules at once."""
    surface = opt.surfaces.get("rosenbrock")
    steps = 40
    rows = np.stack([schedules.tutorial_beta1(k, 0.9, steps) for k in schedules.KINDS], axis=1)[:, :, None]
    x0 = np.tile(np.array(surface.start, dtype=float), (3, 1))
    batched = opt.run(schedules.scheduled(lambda beta1: opt.adam(0.01, beta1=beta1), beta1=rows),
                      surface.grad, x0, steps).params
    for b in range(3):
        alone = ref.adam_scheduled(_ref_grad(surface), list(x0[b]), steps, [0.01] * steps, rows[:, b, 0])
        np.testing.assert_allclose(batched[:, b], alone, rtol=1e-10, atol=1e-12)


def test_running_past_the_schedule_is_a_sentence():
    o = schedules.scheduled(lambda beta1: opt.adam(0.1, beta1=beta1), beta1=[0.9, 0.5])
    with pytest.raises(ValueError, match="schedule has 2 steps"):
        opt.run(o, lambda x: 2 * x, np.ones(1), 3)
    with pytest.raises(ValueError, match="one of"):
        schedules.tutorial_beta1("linear", 0.9, 3)


def test_ema_weight_is_the_bias_correction_for_a_constant_beta_and_not_otherwise():
    t = np.arange(1, 11)
    np.testing.assert_allclose(schedules.ema_weight(np.full(10, 0.9)), 1 - 0.9**t)
    decay = schedules.tutorial_beta1("decay", 0.9, 10)
    # Epochs 0 and 1: β₁ = 0.9 then 0.9/1.1.  The weights collected are 1 − 0.9·(0.9/1.1) = 0.2636...,
    # while the tutorial's correction divides by 1 − (0.9/1.1)² = 0.3306...: not the same number.
    assert schedules.ema_weight(decay)[1] == pytest.approx(1 - 0.9 * 0.9 / 1.1)
    assert opt.bias_correction(decay[1], 2) == pytest.approx(1 - (0.9 / 1.1) ** 2)
    assert abs(schedules.ema_weight(decay)[1] - opt.bias_correction(decay[1], 2)) > 0.05


# ---- the counterexample of Reddi, Kale & Kumar (2018) -------------------------------------------

def _counterexample(C, steps, amsgrad, alpha=0.1):
    beta2 = 1 / (1 + C * C)
    o = schedules.scheduled(lambda lr: opt.adam(lr, beta1=0.0, beta2=beta2, amsgrad=amsgrad),
                            lr=schedules.inverse_sqrt(alpha, steps))
    return opt.run(o, lambda x, t: online.grad(x, t, C), np.zeros(1), steps, bounds=online.BOUNDS,
                   with_step=True, keep_state=True)


def test_the_losses_follow_the_papers_indexing():
    """t counts from 1: f_1 = Cx, f_2 = f_3 = −x, f_4 = Cx, ..."""
    assert online.coefficient(np.arange(1, 8), 3.0).tolist() == [3, -1, -1, 3, -1, -1, 3]


@pytest.mark.parametrize("amsgrad", [False, True])
def test_counterexample_matches_a_per_scalar_loop_with_projection(amsgrad):
    C, steps = 3.0, 300
    core = _counterexample(C, steps, amsgrad).params

    def projected(point, t):
        return [C if t % 3 == 1 else -1.0]

    # The reference has no projection; replay it step by step, clipping after each step.
    x, path = [0.0], [[0.0]]
    lrs = schedules.inverse_sqrt(0.1, steps)
    m = v = v_max = 0.0
    beta2 = 1 / (1 + C * C)
    for t in range(1, steps + 1):
        g = projected(x, t)[0]
        m = g
        v = beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        second = v_max if amsgrad else v
        step = lrs[t - 1] * m / (math.sqrt(second / (1 - beta2**t)) + 1e-8)
        x = [min(1.0, max(-1.0, x[0] - step))]
        path.append(x)
    np.testing.assert_allclose(core, path, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("C", [3.0, 5.0, 10.0])
def test_adam_drifts_to_the_worst_point_and_amsgrad_to_the_best(C):
    adam, ams = _counterexample(C, 3000, False), _counterexample(C, 3000, True)
    assert adam.params[-1, 0] == 1.0                       # pinned at the worst point
    assert ams.params[-1, 0] < -0.99
    # AMSGrad's denominator never shrinks; Adam's does, right after each large gradient.
    assert np.all(np.diff(ams.states["v_max"][:, 0]) >= 0)
    assert np.any(np.diff(adam.states["v"][:, 0]) < 0)


def test_average_regret_stays_positive_for_adam_and_falls_to_zero_for_amsgrad():
    C, steps = 3.0, 3000
    adam = online.average_regret(_counterexample(C, steps, False).params[:-1], C)[:, 0]
    ams = online.average_regret(_counterexample(C, steps, True).params[:-1], C)[:, 0]
    # At x = +1 every period of three steps costs (C − 2)·1 − (−(C − 2)) = 2(C − 2): R_T/T → 2(C − 2)/3.
    assert adam[-1] == pytest.approx(2 * (C - 2) / 3, rel=0.05)
    assert ams[-1] < 0.1 and ams[-1] < ams[299] < ams[29]


def test_average_regret_by_hand():
    """x = +1 always, C = 3: f = 3, −1, −1 → Σ f_t(x_t) = 1 after three steps, min_x Σ f_t = −1."""
    regret = online.average_regret(np.ones((3, 1)), 3.0)[:, 0]
    # T = 1: 3 − (−3) = 6;  T = 2: 2 − (−2) = 4, /2;  T = 3: 1 − (−1) = 2, /3.
    np.testing.assert_allclose(regret, [6.0, 2.0, 2 / 3])
