"""optimizers.theory against the core: predicted heavy-ball rates, regimes, the optimum, the EMA window."""

import numpy as np
import pytest

import optimizers as opt
from optimizers import theory

BOWL = opt.surfaces.get("bowl")
EIGENVALUES = BOWL.hessian_eigenvalues


def bowl_distances(lr, momentum, steps=200):
    traj = opt.run(opt.sgd(lr, momentum=momentum), BOWL.grad, np.array(BOWL.start), steps)
    return BOWL.distance_to_minimum(traj.params)


# ---- the moving average ------------------------------------------------------------------

@pytest.mark.parametrize("beta, window", [(0.0, 1.0), (0.5, 2.0), (0.9, 10.0), (0.99, 100.0)])
def test_window_is_one_over_one_minus_beta(beta, window):
    assert theory.ema_window(beta) == pytest.approx(window, rel=1e-12)


@pytest.mark.parametrize("beta", [0.0, 0.3, 0.9, 0.99])
def test_window_is_the_mean_age_plus_one_and_the_weights_sum_to_one(beta):
    weights = theory.ema_weights(beta, 20_000)
    assert weights.sum() == pytest.approx(1.0, rel=1e-9)
    assert np.sum(weights * (np.arange(weights.size) + 1)) == pytest.approx(theory.ema_window(beta), rel=1e-9)


def test_weights_are_what_the_core_ema_gives_each_past_gradient():
    """Feed the core's ema a single 1 followed by zeros: k steps later it holds (1-β)β^k."""
    beta, average, seen = 0.8, 0.0, []
    for value in [1.0] + [0.0] * 9:
        average = opt.ema(average, value, beta)
        seen.append(average)
    np.testing.assert_allclose(seen, theory.ema_weights(beta, 10), rtol=1e-12)
    assert theory.weight_share(beta, 10) == pytest.approx(theory.ema_weights(beta, 10).sum(), rel=1e-12)


def test_newest_window_carries_about_one_minus_one_over_e():
    assert theory.weight_share(0.99, 100) == pytest.approx(1 - np.exp(-1), abs=0.003)


@pytest.mark.parametrize("mu", [0.0, 0.5, 0.9])
def test_torch_sum_buffer_is_the_ema_over_one_minus_mu(mu):
    """On g = 1 torch's buffer tends to 1/(1-μ), the moving average to 1: b_t = m_t / (1-μ)."""
    traj = opt.run(opt.sgd(1.0, momentum=mu), lambda p: np.ones_like(p), np.zeros(1), 300, keep_state=True)
    buf = traj.states["buf"][:, 0]
    m, averages = 0.0, []
    for _ in range(300):
        m = opt.ema(m, 1.0, mu)
        averages.append(m)
    np.testing.assert_allclose(buf, np.array(averages) / (1 - mu), rtol=1e-12)
    assert buf[-1] == pytest.approx(1 / (1 - mu), rel=1e-9)


# ---- heavy ball: rates -------------------------------------------------------------------

def test_torch_momentum_is_polyak_heavy_ball():
    """θ_{t+1} = θ_t − α∇f(θ_t) + μ(θ_t − θ_{t−1}), with θ_{−1} = θ_0, reproduces the core's SGD."""
    lr, mu, steps = 0.15, 0.6, 60
    core = opt.run(opt.sgd(lr, momentum=mu), BOWL.grad, np.array(BOWL.start), steps).params
    previous = current = np.array(BOWL.start, dtype=float)
    points = [current]
    for _ in range(steps):
        previous, current = current, current - lr * BOWL.grad(current) + mu * (current - previous)
        points.append(current)
    np.testing.assert_allclose(core, np.array(points), rtol=1e-10, atol=1e-300)


@pytest.mark.parametrize("lr, mu", [
    (0.1, 0.0), (0.18, 0.0), (0.18, 0.5), (0.1, 0.3), (0.1, 0.6), (0.1, 0.9), (0.3, 0.2), (0.05, 0.1),
    (0.35, 0.8), (0.25, 0.0)])
def test_predicted_rate_matches_the_rate_measured_on_the_core_within_one_percent(lr, mu):
    predicted = theory.rate(lr, mu, EIGENVALUES)
    measured = theory.measured_rate(bowl_distances(lr, mu))
    assert measured == pytest.approx(predicted, rel=0.01)


def test_the_optimum_beats_every_other_setting_and_its_measured_rate_agrees():
    lr, mu, rate = theory.optimal_heavy_ball(EIGENVALUES)
    assert lr == pytest.approx((2 / (np.sqrt(10) + 1)) ** 2, rel=1e-12)
    assert mu == pytest.approx(((np.sqrt(10) - 1) / (np.sqrt(10) + 1)) ** 2, rel=1e-12)
    assert rate == pytest.approx(np.sqrt(mu), rel=1e-12)
    assert theory.rate(lr, mu, EIGENVALUES) == pytest.approx(rate, rel=1e-6)
    assert theory.measured_rate(bowl_distances(lr, mu)) == pytest.approx(rate, rel=0.01)
    grid_lr, grid_mu = np.meshgrid(np.linspace(0.005, 0.4, 80), np.linspace(0, 0.98, 50))
    grid = np.maximum(theory.rates(grid_lr, grid_mu, 1.0), theory.rates(grid_lr, grid_mu, 10.0))
    assert grid.min() >= rate - 1e-9
    # and beats the best plain gradient descent, (κ−1)/(κ+1)
    gd_lr, gd_rate = theory.optimal_gradient_descent(EIGENVALUES)
    assert gd_lr == pytest.approx(2 / 11) and gd_rate == pytest.approx(9 / 11)
    assert theory.measured_rate(bowl_distances(gd_lr, 0.0)) == pytest.approx(gd_rate, rel=0.01)


@pytest.mark.parametrize("mu", [0.1, 0.5, 0.9, 0.99])
def test_complex_regime_rate_is_sqrt_mu_not_two_sqrt_mu(mu):
    """Distill says 2√β; the root modulus of z² − (1+μ−h)z + μ with complex roots is √μ."""
    h = 1 + mu      # the middle of the ripple band (1 − √μ)² < h < (1 + √μ)²
    assert theory.regime(h, mu, 1.0) == "ripples"
    assert theory.rates(h, mu, 1.0) == pytest.approx(np.sqrt(mu), rel=1e-12)


def test_roots_solve_the_characteristic_polynomial():
    for lr, mu, lam in [(0.1, 0.5, 10.0), (0.01, 0.9, 1.0), (0.3, 0.0, 10.0), (0.35, 0.2, 10.0)]:
        for z in theory.roots(lr, mu, lam):
            assert abs(z * z - (1 + mu - lr * lam) * z + mu) < 1e-12


# ---- heavy ball: regimes -----------------------------------------------------------------

@pytest.mark.parametrize("mu", [0.0, 0.09, 0.25, 0.5, 0.81, 0.95])
def test_regime_boundaries(mu):
    s = np.sqrt(mu)
    low, high, limit = (1 - s) ** 2, (1 + s) ** 2, 2 + 2 * mu
    assert theory.regime_bounds(mu) == pytest.approx((low, high, limit))
    assert theory.stability_limit(mu) == pytest.approx(limit)
    below, above = 1 - 1e-6, 1 + 1e-6
    assert theory.regime(low * below, mu, 1.0) == "monotone"
    if mu > 0:
        assert theory.regime(low * above, mu, 1.0) == "ripples"
        assert theory.regime(high * below, mu, 1.0) == "ripples"
    assert theory.regime(high * above, mu, 1.0) == "zigzag"
    assert theory.regime(limit * below, mu, 1.0) == "zigzag"
    assert theory.regime(limit * above, mu, 1.0) == "diverges"
    assert theory.regime(limit, mu, 1.0) == "diverges"          # a root at −1: no convergence
    assert theory.rates(limit * below, mu, 1.0) < 1 < theory.rates(limit * above, mu, 1.0)


def test_regimes_are_what_the_core_iterates_do():
    """Along λ = 10 (the y axis): monotone never changes sign, zigzag flips every step, diverges grows."""
    def y_path(lr, mu):
        return opt.run(opt.sgd(lr, momentum=mu), BOWL.grad, np.array([0.0, 1.0]), 40).params[:, 1]

    monotone = y_path(0.005, 0.5)      # h = 0.05 ≤ (1 − √0.5)² = 0.0858
    assert theory.regime(0.005, 0.5, 10.0) == "monotone" and np.all(monotone > 0)
    zigzag = y_path(0.19, 0.0)         # h = 1.9: plain GD flips side every step
    assert theory.regime(0.19, 0.0, 10.0) == "zigzag" and np.all(zigzag[1:] * zigzag[:-1] < 0)
    ripples = y_path(0.1, 0.5)         # complex roots: sign changes, but not every step
    flips = np.sum(ripples[1:] * ripples[:-1] < 0)
    assert theory.regime(0.1, 0.5, 10.0) == "ripples" and 0 < flips < 39
    diverging = y_path(0.31, 0.5)      # h = 3.1 > 2 + 2·0.5
    assert theory.regime(0.31, 0.5, 10.0) == "diverges" and abs(diverging[-1]) > 1e3


def test_batched_core_call_matches_the_rate_of_each_setting():
    """One call, x0 stacked to (N, 2) and momentum (N, 1): each row has its own predicted rate."""
    mus = np.array([0.0, 0.3, 0.6, 0.9])
    traj = opt.run(opt.sgd(0.1, momentum=mus[:, None]), BOWL.grad, np.tile(BOWL.start, (4, 1)), 200)
    distances = BOWL.distance_to_minimum(traj.params)
    for b, mu in enumerate(mus):
        assert theory.measured_rate(distances[:, b]) == pytest.approx(theory.rate(0.1, mu, EIGENVALUES), rel=0.01)


def test_measured_rate_edge_cases():
    assert theory.measured_rate([1.0, np.inf]) == np.inf
    assert np.isnan(theory.measured_rate([1.0, 0.0, 0.0]))
    assert theory.measured_rate(0.5 ** np.arange(30)) == pytest.approx(0.5)


@pytest.mark.parametrize("call", [lambda: theory.rate(0.1, 1.0, EIGENVALUES), lambda: theory.rate(-1, 0.5, [1]),
                                  lambda: theory.regime(0.1, 0.5, 0.0), lambda: theory.ema_window(1.0)])
def test_bad_settings_raise_a_sentence(call):
    with pytest.raises(ValueError, match=r"must"):
        call()
