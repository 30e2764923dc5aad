"""run(): the history it records, divergence as data, noise, bounds, input checks; and the surfaces."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import optimizers as opt

PARABOLA = opt.surfaces.get("parabola")
ROSENBROCK = opt.surfaces.get("rosenbrock")


class Recorder:
    """A grad_fn that remembers a copy of every point it was asked about."""

    def __init__(self, grad):
        self.grad = grad
        self.points = []

    def __call__(self, x):
        self.points.append(np.array(x, copy=True))
        return self.grad(x)


# ---- the recorded history -----------------------------------------------------------------------

def test_first_point_is_x0_and_a_copy_of_it():
    x0 = np.array([[-1.2, 1.0], [0.5, 0.5]])
    traj = opt.run(opt.adam(0.01), ROSENBROCK.grad, x0, 5)
    np.testing.assert_array_equal(traj.params[0], [[-1.2, 1.0], [0.5, 0.5]])
    x0[0, 0] = 99.0
    assert traj.params[0, 0, 0] == -1.2
    assert traj.steps == 5


@pytest.mark.parametrize("steps", [0, 1, 7])
def test_grad_fn_is_called_once_per_step_in_order(steps):
    recorder = Recorder(ROSENBROCK.grad)
    traj = opt.run(opt.sgd(1e-3, momentum=0.9), recorder, ROSENBROCK.start, steps)
    assert len(recorder.points) == steps
    assert traj.params.shape == (steps + 1, 2)
    # Call k saw the point after k steps: the calls came in order, one per point but the last.
    for k, point in enumerate(recorder.points):
        np.testing.assert_array_equal(point, traj.params[k])


def test_keep_state_records_grads_updates_and_states():
    steps, x0 = 6, np.array([[-1.2, 1.0], [0.0, 2.0], [1.5, 1.5]])
    traj = opt.run(opt.adam(0.02, amsgrad=True), ROSENBROCK.grad, x0, steps, keep_state=True)
    assert traj.grads.shape == traj.updates.shape == (steps, 3, 2)
    for k in range(steps):
        np.testing.assert_array_equal(traj.grads[k], ROSENBROCK.grad(traj.params[k]))
        np.testing.assert_allclose(traj.params[k + 1], traj.params[k] + traj.updates[k], rtol=1e-15)
    assert {"m", "v", "v_max", "m_hat", "v_hat", "lr_eff"} <= set(traj.states)
    for name, values in traj.states.items():
        assert values.shape == (steps, 3, 2), name

    # The recorded moments are the moments: replay the updates by hand and compare.
    o = opt.adam(0.02, amsgrad=True)
    state = o.init(x0)
    for k in range(steps):
        _, state = o.update(traj.grads[k], state, traj.params[k])
        np.testing.assert_array_equal(traj.states["m"][k], state.m)
        np.testing.assert_array_equal(traj.states["v_max"][k], state.v_max)
    # m̂ = m / (1 − β₁ᵗ), checked against the bias correction directly.
    t = np.arange(1, steps + 1)[:, None, None]
    np.testing.assert_allclose(traj.states["m_hat"], traj.states["m"] / (1 - 0.9**t), rtol=1e-14)


def test_raw_keep_state_is_the_same_history_without_the_derived_values():
    x0 = np.array([[-1.2, 1.0], [0.0, 2.0]])
    full = opt.run(opt.adam(0.02, amsgrad=True), ROSENBROCK.grad, x0, 6, keep_state=True)
    raw = opt.run(opt.adam(0.02, amsgrad=True), ROSENBROCK.grad, x0, 6, keep_state="raw")
    assert set(raw.states) == {"m", "v", "v_max"}
    assert set(full.states) - set(raw.states) == {"bc1", "bc2", "m_hat", "v_hat", "lr_eff"}
    for name in ("params", "grads", "updates"):
        np.testing.assert_array_equal(getattr(raw, name), getattr(full, name))
    for name, values in raw.states.items():
        np.testing.assert_array_equal(values, full.states[name])


@pytest.mark.parametrize("keep_state", ["all", "yes", None, 2])
def test_keep_state_refuses_anything_but_false_true_or_raw(keep_state):
    with pytest.raises(ValueError, match="keep_state"):
        opt.run(opt.adam(0.1), PARABOLA.grad, PARABOLA.start, 3, keep_state=keep_state)


def test_without_keep_state_only_params_and_losses_are_kept():
    traj = opt.run(opt.adam(0.1), PARABOLA.grad, PARABOLA.start, 3, loss_fn=PARABOLA.loss)
    assert traj.grads is None and traj.updates is None and traj.states is None
    assert traj.losses.shape == (4,)


def test_losses_are_the_loss_at_each_point():
    x0 = np.array([[-1.2, 1.0], [2.0, -1.0]])
    traj = opt.run(opt.rmsprop(0.01), ROSENBROCK.grad, x0, 10, loss_fn=ROSENBROCK.loss)
    assert traj.losses.shape == (11, 2)
    for k in range(11):
        for b in range(2):
            a, c = traj.params[k, b]
            assert traj.losses[k, b] == pytest.approx((1 - a) ** 2 + 100 * (c - a * a) ** 2, rel=1e-13)


class ReusedBuffer:
    """A grad_fn that writes into one output array and returns it every time (NumPy's ``out=`` idiom)."""

    def __init__(self, grad, shape):
        self.grad = grad
        self.out = np.empty(shape)

    def __call__(self, x):
        self.out[...] = self.grad(x)
        return self.out


def test_recorded_grads_survive_a_grad_fn_that_reuses_its_output():
    traj = opt.run(opt.adam(0.1), ReusedBuffer(PARABOLA.grad, (1,)), PARABOLA.start, 5, keep_state=True)
    for k in range(5):
        np.testing.assert_array_equal(traj.grads[k], PARABOLA.grad(traj.params[k]))


def test_sgd_momentum_does_not_alias_the_gradient_array():
    o = opt.sgd(0.1, momentum=0.9)
    x, g = np.array([1.0]), np.array([2.0])
    _, state = o.update(g, o.init(x), x)
    g[...] = 100.0                      # the caller reuses its gradient array
    np.testing.assert_array_equal(state.buf, [2.0])
    updates, _ = o.update(np.array([2.0]), state, x)
    np.testing.assert_allclose(updates, -0.1 * (0.9 * 2.0 + 2.0), rtol=1e-15)


# ---- divergence is data ------------------------------------------------------------------------

def _first_overflow(x0, lr, with_loss):
    """Plain-float SGD on (x − 2)²: the index of the first point (or loss) that is not finite."""
    x = x0
    for k in range(10_000):
        loss = (x - 2.0) * (x - 2.0)
        if not math.isfinite(x) or (with_loss and not math.isfinite(loss)):
            return k
        x = x - lr * 2.0 * (x - 2.0)
    raise AssertionError("never diverged")


@pytest.mark.parametrize("with_loss", [False, True])
def test_divergence_is_recorded_and_blanked(with_loss):
    lr, steps = 1e3, 200
    expected = _first_overflow(8.0, lr, with_loss)
    traj = opt.run(opt.sgd(lr), PARABOLA.grad, [8.0], steps, keep_state=True,
                   loss_fn=PARABOLA.loss if with_loss else None)
    d = int(traj.diverged_at)
    assert d == expected and 0 < d < steps
    assert bool(traj.diverged)
    assert np.all(np.isfinite(traj.params[:d])) and np.all(np.isnan(traj.params[d:]))
    assert np.all(np.isfinite(traj.grads[:d])) and np.all(np.isnan(traj.grads[d:]))
    if with_loss:
        assert np.all(np.isfinite(traj.losses[:d])) and np.all(np.isnan(traj.losses[d:]))
    # Before the blow-up it is ordinary SGD: x_k − 2 = 6·(1 − 2·lr)^k.
    k = np.arange(min(d, 20))
    np.testing.assert_allclose(traj.params[k, 0] - 2.0, 6.0 * (1 - 2 * lr) ** k, rtol=1e-12)


def test_divergence_is_per_run_in_a_batch():
    lrs = np.array([[1e3], [0.1]])
    traj = opt.run(opt.sgd(lrs), PARABOLA.grad, [[8.0], [8.0]], 150, loss_fn=PARABOLA.loss)
    assert traj.diverged_at[0] == _first_overflow(8.0, 1e3, True)
    assert traj.diverged_at[1] == -1
    assert list(traj.diverged) == [True, False]
    calm = opt.run(opt.sgd(0.1), PARABOLA.grad, [8.0], 150).params
    np.testing.assert_array_equal(traj.params[:, 1], calm)


def test_a_calm_run_has_not_diverged():
    traj = opt.run(opt.adam(0.1), PARABOLA.grad, PARABOLA.start, 300, loss_fn=PARABOLA.loss)
    assert int(traj.diverged_at) == -1 and not bool(traj.diverged)
    assert abs(traj.params[-1, 0] - 2.0) < 0.1


# ---- gradient noise ---------------------------------------------------------------------------

def test_noise_is_reproducible_with_a_seed_and_differs_across_seeds():
    def go(seed, noise=0.5):
        return opt.run(opt.adam(0.05), ROSENBROCK.grad, ROSENBROCK.start, 30, grad_noise=noise, seed=seed).params

    np.testing.assert_array_equal(go(1), go(1))
    assert not np.allclose(go(1), go(2))
    assert not np.allclose(go(1), go(None, noise=0.0))
    np.testing.assert_array_equal(go(1, noise=0.0), go(None, noise=0.0))
    plain = opt.run(opt.adam(0.05), ROSENBROCK.grad, ROSENBROCK.start, 30).params
    np.testing.assert_array_equal(go(7, noise=0.0), plain)


def test_noise_has_the_requested_standard_deviation():
    """With lr = 0 the point stays put, so grads − true gradient is the noise alone."""
    sigma, steps = 0.3, 4000
    traj = opt.run(opt.sgd(0.0), ROSENBROCK.grad, ROSENBROCK.start, steps, grad_noise=sigma, seed=0,
                   keep_state=True)
    noise = traj.grads - ROSENBROCK.grad(np.array(ROSENBROCK.start))
    assert noise.std() == pytest.approx(sigma, rel=0.05)
    assert abs(noise.mean()) < 5 * sigma / math.sqrt(noise.size)


def test_noise_level_broadcasts_per_run():
    x0 = np.tile(ROSENBROCK.start, (2, 1))
    traj = opt.run(opt.adam(0.05), ROSENBROCK.grad, x0, 20, grad_noise=np.array([[0.0], [1.0]]), seed=3)
    plain = opt.run(opt.adam(0.05), ROSENBROCK.grad, ROSENBROCK.start, 20).params
    np.testing.assert_array_equal(traj.params[:, 0], plain)
    assert not np.allclose(traj.params[:, 1], plain)


# ---- bounds -------------------------------------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(low=st.floats(-2.0, 0.5), width=st.floats(0.1, 3.0), lr=st.floats(0.01, 0.5))
def test_bounds_project_every_point_onto_the_box(low, width, lr):
    high = low + width
    x0 = np.clip(np.array(ROSENBROCK.start), low, high)
    traj = opt.run(opt.adam(lr), ROSENBROCK.grad, x0, 25, bounds=(low, high), keep_state=True)
    assert np.all(traj.params >= low) and np.all(traj.params <= high)
    for k in range(25):
        np.testing.assert_array_equal(traj.params[k + 1], np.clip(traj.params[k] + traj.updates[k], low, high))


def test_bounds_per_coordinate_and_an_optimum_on_the_wall():
    low, high = np.array([-3.0, -3.0]), np.array([0.5, 0.0])
    traj = opt.run(opt.sgd(0.15), opt.surfaces.get("bowl").grad, [-2.0, -1.0], 200, bounds=(low, high))
    assert np.all(traj.params >= low) and np.all(traj.params <= high)
    # The bowl's minimum (0, 0) lies inside this box: the projected descent still reaches it.
    np.testing.assert_allclose(traj.params[-1], [0.0, 0.0], atol=1e-3)
    shifted = opt.run(opt.sgd(0.15), lambda x: opt.surfaces.get("bowl").grad(x - 1.0), [-2.0, -1.0], 200,
                      bounds=(low, high)).params
    np.testing.assert_allclose(shifted[-1], [0.5, 0.0], atol=1e-6)   # minimum (1, 1) is outside: corner


# ---- bad input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [1.0, -0.1, float("nan"), 1.5, np.array([0.9, 1.0])])
@pytest.mark.parametrize("factory,name", [("adam", "beta1"), ("adam", "beta2"), ("adamw", "beta1"),
                                          ("nadam", "beta2"), ("radam", "beta1"), ("adamax", "beta2")])
def test_beta_outside_0_1_is_refused(factory, name, value):
    with pytest.raises(ValueError, match=name):
        getattr(opt, factory)(**{name: value})


@pytest.mark.parametrize("value", [0.0, 0.5, 0.999, np.array([0.0, 0.9])])
def test_beta_inside_0_1_is_accepted(value):
    assert opt.adam(beta1=value, beta2=value).hyperparams["beta1"] is not None


@pytest.mark.parametrize("factory,kwargs,name", [
    ("adam", dict(lr=-1e-3), "lr"), ("sgd", dict(lr=-0.1), "lr"), ("rmsprop", dict(lr=-0.1), "lr"),
    ("adam", dict(eps=-1e-8), "eps"), ("rmsprop", dict(lr=0.1, eps=-1.0), "eps"),
    ("adagrad", dict(lr=0.1, eps=-1.0), "eps"), ("lion", dict(lr=float("nan")), "lr"),
    ("adam", dict(lr=float("inf")), "lr"), ("adam", dict(lr="fast"), "lr"),
    ("rmsprop", dict(lr=0.1, alpha=1.0), "alpha"), ("sgd", dict(lr=0.1, momentum=-0.5), "momentum"),
    ("adam", dict(weight_decay=-0.1), "weight_decay"), ("adam", dict(amsgrad=1), "amsgrad"),
])
def test_bad_hyperparameters_are_refused_by_name(factory, kwargs, name):
    with pytest.raises(ValueError, match=name):
        getattr(opt, factory)(**kwargs)


def test_grad_fn_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="grad_fn"):
        opt.run(opt.adam(), lambda x: np.zeros(3), [1.0, 2.0], 5)
    with pytest.raises(ValueError, match="grad_fn"):
        opt.run(opt.adam(), lambda x: np.sum(x), [[1.0, 2.0]], 5)


@pytest.mark.parametrize("x0", [[float("nan"), 1.0], [1.0, float("inf")], "start"])
def test_bad_start_point_is_refused(x0):
    with pytest.raises(ValueError, match="x0"):
        opt.run(opt.adam(), ROSENBROCK.grad, x0, 5)


@pytest.mark.parametrize("steps", [-1, 2.5, 3.0, "10", True, None])
def test_bad_step_count_is_refused(steps):
    with pytest.raises(ValueError, match="steps"):
        opt.run(opt.adam(), ROSENBROCK.grad, ROSENBROCK.start, steps)


def test_numpy_integer_steps_are_accepted():
    assert opt.run(opt.adam(), ROSENBROCK.grad, ROSENBROCK.start, np.int64(3)).params.shape == (4, 2)


def test_negative_noise_is_refused():
    with pytest.raises(ValueError, match="grad_noise"):
        opt.run(opt.adam(), ROSENBROCK.grad, ROSENBROCK.start, 3, grad_noise=-0.1)


# ---- surfaces -------------------------------------------------------------------------------------

SURFACE_KEYS = sorted(opt.surfaces.SURFACES)


def _sample_points(surface, n, seed):
    rng = np.random.default_rng(seed)
    ranges = [surface.x_range] + ([surface.y_range] if surface.dim == 2 else [])
    return np.stack([rng.uniform(lo, hi, n) for lo, hi in ranges], axis=-1)


@pytest.mark.parametrize("key", SURFACE_KEYS)
def test_gradient_matches_central_differences(key):
    surface = opt.surfaces.get(key)
    points = np.concatenate([_sample_points(surface, 40, seed=1), np.array([surface.start]),
                             np.array(surface.minima) + 0.1])
    analytic = surface.grad(points)
    numeric = np.empty_like(points)
    for i in range(surface.dim):
        h = 1e-6 * np.maximum(1.0, np.abs(points[:, i]))
        up, down = points.copy(), points.copy()
        up[:, i] += h
        down[:, i] -= h
        numeric[:, i] = (surface.loss(up) - surface.loss(down)) / (up[:, i] - down[:, i])
    scale = 1.0 + np.abs(surface.loss(points))[:, None] + np.abs(analytic)
    np.testing.assert_array_less(np.abs(analytic - numeric), 1e-6 * scale)


@pytest.mark.parametrize("key", SURFACE_KEYS)
def test_loss_and_grad_are_vectorised_over_batch_axes(key):
    surface = opt.surfaces.get(key)
    points = _sample_points(surface, 12, seed=2).reshape(3, 4, surface.dim)
    losses, grads = surface.loss(points), surface.grad(points)
    assert losses.shape == (3, 4) and grads.shape == (3, 4, surface.dim)
    assert surface.loss(points[0, 0]).shape == () and surface.grad(points[0, 0]).shape == (surface.dim,)
    for i in range(3):
        for j in range(4):
            assert losses[i, j] == pytest.approx(float(surface.loss(points[i, j])), rel=1e-14, abs=1e-14)
            np.testing.assert_allclose(grads[i, j], surface.grad(points[i, j]), rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("key", SURFACE_KEYS)
def test_listed_minima_are_minima(key):
    surface = opt.surfaces.get(key)
    assert len(surface.start) == surface.dim and all(len(m) == surface.dim for m in surface.minima)
    values = []
    for minimum in surface.minima:
        point = np.array(minimum, dtype=np.float64)
        assert np.max(np.abs(surface.grad(point))) < 1e-8, minimum
        # A local minimum: every nearby point is at least as high.
        around = point + 1e-3 * _sample_points(surface, 50, seed=3) / np.ptp(surface.x_range)
        assert np.all(surface.loss(around) >= surface.loss(point) - 1e-15), minimum
        values.append(float(surface.loss(point)))
    assert values[0] == pytest.approx(min(values), abs=1e-12), "the first minimum is the global one"
    assert surface.min_value == values[0]
    assert surface.distance_to_minimum(np.array(surface.minima[-1])) == pytest.approx(0.0, abs=1e-15)


def test_unknown_surface_names_the_choices():
    with pytest.raises(ValueError, match="rosenbrock"):
        opt.surfaces.get("no-such-surface")
