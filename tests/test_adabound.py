"""AdaBound: properties the paper states, beyond the match with the reference loop."""

import numpy as np
import pytest

import optimizers as opt
import reference_loops as ref


def _quadratic_grad(x):
    """f(x) = ½ Σ c_i (x_i - 1)² with very different curvatures."""
    return np.array([1.0, 30.0]) * (np.asarray(x) - 1.0)


@pytest.mark.parametrize("beta1", [0.0, 0.5, 0.9])
def test_huge_gamma_collapses_the_band_to_sgd_with_final_lr(beta1):
    """γt → ∞ squeezes [η_l, η_u] onto final_lr, so θ_t = θ_{t-1} − α* m_t, m the EMA of g.

    torch's SGD with momentum μ (no dampening, first buffer g) keeps b_t = Σ μ^k g_{t-k};
    with μ = β₁ and lr = α*(1 − β₁) its step α*(1 − β₁) b_t is exactly α* m_t.
    """
    final_lr = 0.02
    x0 = np.array([4.0, -2.0])
    bound = opt.run(opt.adabound(lr=0.3, beta1=beta1, final_lr=final_lr, gamma=1e12), _quadratic_grad, x0, 60)
    sgd = opt.run(opt.sgd(final_lr * (1 - beta1), momentum=beta1), _quadratic_grad, x0, 60)
    np.testing.assert_allclose(bound.params, sgd.params, rtol=1e-9, atol=1e-12)


def test_small_gamma_starts_like_adam():
    """At t = 1 the band is [α*γ/(1+γ), α*(1+1/γ)], so the first step is Adam's, α·sign(g).

    (Up to ε: AdaBound adds ε to the raw √v₁ = √(1-β₂)|g|, so for |g| = 0.3 the relative gap is
    ε/(0.0316·0.3) ≈ 1e-6, about 32 times Adam's.)
    """
    x0 = np.array([3.0, -0.5, 0.2])
    g = np.array([12.0, -0.3, 0.7])
    for name, o in [("adabound", opt.adabound(lr=0.01)), ("adam", opt.adam(lr=0.01))]:
        updates, _ = o.update(g, o.init(x0), x0)
        np.testing.assert_allclose(updates, -0.01 * np.sign(g), rtol=1e-5, err_msg=name)


def test_band_binds_and_inspect_reports_it():
    """With a tight band the step size sits on a bound; inspect() shows the band and η_t."""
    s = opt.surfaces.get("himmelblau")
    traj = opt.run(opt.adabound(lr=0.05, final_lr=0.002, gamma=0.5), s.grad, np.array(s.start, float), 40,
                   keep_state=True)
    t = np.arange(1, 41)[:, None]
    np.testing.assert_allclose(traj.states["lower"], 0.002 * (1 - 1 / (0.5 * t + 1)) * np.ones((1, 2)))
    np.testing.assert_allclose(traj.states["upper"], 0.002 * (1 + 1 / (0.5 * t)) * np.ones((1, 2)))
    eta = traj.states["lr_eff"]
    assert np.all(eta >= traj.states["lower"]) and np.all(eta <= traj.states["upper"])
    assert np.any(np.isclose(eta, traj.states["lower"])) and np.any(np.isclose(eta, traj.states["upper"]))
    # The update is -η_t m_t (the raw m, not m̂).
    np.testing.assert_allclose(traj.updates, -eta * traj.states["m"], rtol=1e-12)


def test_batched_settings_match_separate_runs():
    """One call with a column of final_lr, γ and an AMSBound switch equals three separate runs."""
    s = opt.surfaces.get("rosenbrock")
    final_lr = np.array([[0.001], [0.01], [0.003]])
    gamma = np.array([[1e-3], [0.1], [0.5]])
    ams = np.array([[False], [True], [False]])
    x0 = np.tile(np.array(s.start, float), (3, 1))
    batched = opt.run(opt.adabound(0.02, final_lr=final_lr, gamma=gamma, amsbound=ams), s.grad, x0, 50).params
    for b in range(3):
        expected = ref.adabound(lambda x: list(s.grad(np.array(x))), list(x0[b]), 50, lr=0.02,
                                final_lr=float(final_lr[b, 0]), gamma=float(gamma[b, 0]), amsbound=bool(ams[b, 0]))
        np.testing.assert_allclose(batched[:, b], expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("kwargs, word", [(dict(gamma=0.0), "gamma"), (dict(final_lr=-0.1), "final_lr"),
                                          (dict(beta1=1.0), "beta1"), (dict(amsbound=1), "amsbound")])
def test_bad_settings_are_sentences(kwargs, word):
    with pytest.raises(ValueError, match=word):
        opt.adabound(**kwargs)
