"""Property-based tests of the optimizer core: shapes, broadcasting, and Adam's defining laws."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import optimizers as opt
import reference_loops as ref

FAST = settings(max_examples=50, deadline=None)

FACTORIES = ("sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamw", "nadam", "radam", "adamax",
             "adafactor", "lion")
DEFAULT_LR = dict(sgd=0.05, rmsprop=0.01, adagrad=0.1, adadelta=1.0)


def make(name, **kwargs):
    """An optimizer with a learning rate even for the factories that have no default."""
    if name in DEFAULT_LR and "lr" not in kwargs:
        kwargs["lr"] = DEFAULT_LR[name]
    return getattr(opt, name)(**kwargs)


def coupled_grad(x):
    """A gradient that couples the coordinates of one row (last axis) but never two rows."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return 1.5 * x + 0.3 * np.sin(3.0 * x) - 0.2
    weights = 1.0 + np.arange(x.shape[-1])
    return weights * x + 0.3 * np.sin(3.0 * x) + 0.5 * np.mean(x, axis=-1, keepdims=True) - 0.2


finite = st.floats(-3.0, 3.0, allow_nan=False, allow_infinity=False)


# ---- shapes ----------------------------------------------------------------------------------

SHAPES = [(), (1,), (2,), (7, 3), (4, 2), (3, 2, 5)]


@FAST
@given(name=st.sampled_from(FACTORIES), shape=st.sampled_from(SHAPES), data=st.data())
def test_update_and_run_preserve_shapes(name, shape, data):
    x = data.draw(hnp.arrays(np.float64, shape, elements=finite), label="x")
    g = data.draw(hnp.arrays(np.float64, shape, elements=finite), label="g")
    kwargs = dict(param_ndim=min(1, len(shape))) if name == "adafactor" else {}
    o = make(name, **kwargs)

    state = o.init(x)
    for _ in range(3):
        updates, state = o.update(g, state, x)
        assert np.shape(updates) == shape and np.asarray(updates).dtype == np.float64
        x = x + updates
    for value in state._asdict().values():
        if isinstance(value, np.ndarray) and name != "adafactor":
            assert value.shape == shape

    loss_fn = (lambda p: np.sum(p**2, axis=-1)) if shape else (lambda p: p**2)
    traj = opt.run(o, coupled_grad, x, 4, loss_fn=loss_fn, keep_state=True)
    assert traj.params.shape == (5,) + shape
    assert traj.grads.shape == traj.updates.shape == (4,) + shape
    assert traj.diverged_at.shape == traj.losses.shape[1:] == shape[:-1]
    assert traj.losses.shape == (5,) + shape[:-1]


@FAST
@given(batch=st.integers(1, 3), n=st.integers(1, 4), m=st.integers(1, 4), data=st.data())
def test_factored_adafactor_keeps_shapes_and_treats_batch_entries_separately(batch, n, m, data):
    x0 = data.draw(hnp.arrays(np.float64, (batch, n, m), elements=finite.filter(lambda v: abs(v) > 1e-3)))
    o = opt.adafactor(lr=0.1, param_ndim=2)
    state = o.init(x0)
    assert state.row_var.shape == (batch, n, 1) and state.col_var.shape == (batch, 1, m)

    together = opt.run(o, coupled_grad, x0, 6, param_ndim=2).params
    assert together.shape == (7, batch, n, m)
    for b in range(batch):
        alone = opt.run(o, coupled_grad, x0[b], 6, param_ndim=2).params
        np.testing.assert_allclose(together[:, b], alone, rtol=1e-12, atol=1e-15)


TENSOR_SHAPES = [(2, 3, 4), (1, 3, 2), (3, 1, 5), (2, 2, 3, 2)]


@FAST
@given(batch=st.integers(1, 3), shape=st.sampled_from(TENSOR_SHAPES), data=st.data())
def test_adafactor_batch_of_tensors_equals_lone_runs_bit_for_bit(batch, shape, data):
    """param_ndim = k ≥ 3: the last two axes are factored, RMS is over all k axes of one tensor, and
    a leading batch axis (with per-entry hyperparameters) is B independent runs, to the last bit."""
    k = len(shape)
    x0 = data.draw(hnp.arrays(np.float64, (batch,) + shape, elements=finite), label="x0")
    lrs = data.draw(st.lists(st.floats(1e-3, 0.5), min_size=batch, max_size=batch), label="lr")
    decays = data.draw(st.lists(st.floats(0.0, 0.5), min_size=batch, max_size=batch), label="weight_decay")
    column = (batch,) + (1,) * k

    def grad(x):  # couples every entry of one tensor, never two tensors of the batch
        axes = tuple(range(-k, 0))
        return coupled_grad(x) + 0.4 * np.mean(np.sin(x), axis=axes, keepdims=True)

    o = opt.adafactor(lr=np.reshape(lrs, column), weight_decay=np.reshape(decays, column), param_ndim=k)
    state = o.init(x0)
    assert state.row_var.shape == (batch,) + shape[:-1] + (1,)
    assert state.col_var.shape == (batch,) + shape[:-2] + (1,) + shape[-1:]
    together = opt.run(o, grad, x0, 6, param_ndim=k).params
    assert together.shape == (7, batch) + shape
    for b in range(batch):
        alone = opt.adafactor(lr=lrs[b], weight_decay=decays[b], param_ndim=k)
        np.testing.assert_array_equal(together[:, b], opt.run(alone, grad, x0[b], 6, param_ndim=k).params)


def test_adafactor_param_ndim_is_checked():
    for bad in (-1, 1.5, "2", True):
        with pytest.raises(ValueError, match="param_ndim"):
            opt.adafactor(param_ndim=bad)
    with pytest.raises(ValueError, match="param_ndim = 3 needs parameters with at least 3 axes"):
        opt.adafactor(param_ndim=3).init(np.zeros((4, 2)))


# ---- broadcasting: a (B, 1) hyperparameter is B runs side by side -----------------------------

unit = st.floats(0.0, 0.95)
HYPER_SPACE = {
    "sgd": dict(lr=st.floats(1e-3, 0.05), momentum=unit, dampening=st.floats(0.0, 0.5),
                nesterov=st.booleans(), weight_decay=st.floats(0.0, 0.5)),
    "rmsprop": dict(lr=st.floats(1e-3, 0.05), alpha=st.floats(0.5, 0.999), eps=st.floats(1e-8, 1e-2),
                    momentum=st.floats(0.0, 0.9), centered=st.booleans(), weight_decay=st.floats(0.0, 0.5)),
    "adagrad": dict(lr=st.floats(1e-3, 0.5), lr_decay=st.floats(0.0, 0.2),
                    initial_accumulator_value=st.floats(0.0, 1.0), eps=st.floats(1e-10, 1e-3)),
    "adadelta": dict(lr=st.floats(0.1, 1.0), rho=st.floats(0.5, 0.99), eps=st.floats(1e-6, 1e-3),
                     weight_decay=st.floats(0.0, 0.5)),
    "adam": dict(lr=st.floats(1e-3, 0.1), beta1=unit, beta2=st.floats(0.5, 0.999), eps=st.floats(1e-8, 1e-2),
                 weight_decay=st.floats(0.0, 0.5), amsgrad=st.booleans(), decoupled_weight_decay=st.booleans(),
                 correct_m=st.booleans(), correct_v=st.booleans()),
    "nadam": dict(lr=st.floats(1e-3, 0.1), beta1=unit, beta2=st.floats(0.5, 0.999),
                  momentum_decay=st.floats(0.0, 0.05), weight_decay=st.floats(0.0, 0.5),
                  decoupled_weight_decay=st.booleans()),
    "radam": dict(lr=st.floats(1e-3, 0.05), beta1=unit, beta2=st.floats(0.5, 0.999),
                  weight_decay=st.floats(0.0, 0.5), decoupled_weight_decay=st.booleans()),
    "adamax": dict(lr=st.floats(1e-3, 0.1), beta1=unit, beta2=st.floats(0.5, 0.999),
                   eps=st.floats(1e-8, 1e-2), weight_decay=st.floats(0.0, 0.5)),
    "lion": dict(lr=st.floats(1e-3, 0.1), beta1=unit, beta2=unit, weight_decay=st.floats(0.0, 0.5)),
    "adafactor": dict(lr=st.floats(1e-3, 0.5), beta2_decay=st.floats(-1.0, -0.2), d=st.floats(0.1, 2.0),
                      weight_decay=st.floats(0.0, 0.5)),
}


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(sorted(HYPER_SPACE)), batch=st.integers(2, 4), dim=st.integers(1, 3),
       data=st.data())
def test_hyperparameter_column_equals_separate_scalar_runs(name, batch, dim, data):
    space = HYPER_SPACE[name]
    varied = data.draw(st.lists(st.sampled_from(sorted(space)), min_size=1, max_size=4, unique=True),
                       label="varied")
    rows = [{key: data.draw(space[key], label=f"{key}[{b}]") for key in varied} for b in range(batch)]
    x0 = data.draw(hnp.arrays(np.float64, (batch, dim), elements=finite), label="x0")
    columns = {key: np.array([row[key] for row in rows]).reshape(batch, 1) for key in varied}

    together = opt.run(make(name, **columns), coupled_grad, x0, 12)
    assert together.params.shape == (13, batch, dim)
    assert np.all(np.isfinite(together.params)), "settings are chosen to stay finite"
    for b, row in enumerate(rows):
        alone = opt.run(make(name, **row), coupled_grad, x0[b], 12).params
        np.testing.assert_allclose(together.params[:, b], alone, rtol=1e-12, atol=1e-14,
                                   err_msg=f"{name} row {b}: {row}")


def test_switch_arrays_really_switch():
    """A bool column must run both settings: the rows differ where the switch differs."""
    x0 = np.tile([[1.5, -0.7]], (2, 1))
    for name, switch in [("sgd", "nesterov"), ("rmsprop", "centered"), ("adam", "amsgrad"),
                         ("adam", "correct_m"), ("adam", "correct_v"), ("adam", "decoupled_weight_decay")]:
        kwargs = dict(momentum=0.9) if name == "sgd" else dict(momentum=0.5) if name == "rmsprop" else dict(lr=0.1)
        if switch == "decoupled_weight_decay":
            kwargs["weight_decay"] = 0.5
        o = make(name, **kwargs, **{switch: np.array([[True], [False]])})
        params = opt.run(o, coupled_grad, x0, 30).params
        assert np.max(np.abs(params[:, 0] - params[:, 1])) > 1e-6, (name, switch)


# ---- Adam's laws -------------------------------------------------------------------------------

@FAST
@given(log_c=st.floats(-3.0, 3.0), surface_key=st.sampled_from(["bowl", "rosenbrock", "beale", "rotated_bowl"]),
       lr=st.floats(1e-3, 0.05))
def test_adam_is_invariant_to_scaling_the_loss(log_c, surface_key, lr):
    """f → c·f multiplies g by c, m by c and √v by c: with ε ≪ |g| the path does not change."""
    c = 10.0**log_c
    surface = opt.surfaces.get(surface_key)
    o = opt.adam(lr, eps=1e-300)
    plain = opt.run(o, surface.grad, surface.start, 30).params
    scaled = opt.run(o, lambda x: c * surface.grad(x), surface.start, 30).params
    np.testing.assert_allclose(scaled, plain, rtol=1e-8, atol=1e-10)


def test_sgd_and_a_large_eps_break_the_scale_invariance():
    """The contrast: plain gradient descent and Adam with ε ~ |g| both feel the loss scale."""
    surface = opt.surfaces.get("bowl")
    for o in (opt.sgd(0.01), opt.adam(0.05, eps=1.0)):
        plain = opt.run(o, surface.grad, surface.start, 30).params
        scaled = opt.run(o, lambda x: 0.01 * surface.grad(x), surface.start, 30).params
        assert np.max(np.abs(scaled - plain)) > 0.1, o.name


gradients = hnp.arrays(np.float64, st.integers(1, 6),
                       elements=st.floats(1e-2, 1e6).flatmap(lambda a: st.sampled_from([a, -a])))


@FAST
@given(g=gradients, lr=st.floats(1e-4, 1.0), beta1=st.floats(0.0, 0.99), beta2=st.floats(0.0, 0.9999))
def test_first_corrected_adam_step_is_minus_lr_sign_g(g, lr, beta1, beta2):
    o = opt.adam(lr, beta1, beta2)
    x = np.zeros_like(g)
    updates, _ = o.update(g, o.init(x), x)
    np.testing.assert_allclose(updates, -lr * np.sign(g), rtol=1e-5)


@FAST
@given(g=gradients, lr=st.floats(1e-4, 1.0), beta1=st.floats(0.0, 0.99), beta2=st.floats(0.0, 0.999))
def test_first_step_without_corrections(g, lr, beta1, beta2):
    """m₁ = (1−β₁)g and √v₁ = √(1−β₂)|g|: each switched-off correction leaves its factor in the step."""
    x = np.zeros_like(g)
    expected = {  # (correct_m, correct_v) -> |first step| / lr
        (True, True): 1.0,
        (False, False): (1 - beta1) / math.sqrt(1 - beta2),
        (True, False): 1 / math.sqrt(1 - beta2),
        (False, True): 1 - beta1,
    }
    for (cm, cv), factor in expected.items():
        o = opt.adam(lr, beta1, beta2, eps=1e-12, correct_m=cm, correct_v=cv)   # ε ≪ √(1−β₂)|g|
        updates, _ = o.update(g, o.init(x), x)
        np.testing.assert_allclose(updates, -lr * factor * np.sign(g), rtol=1e-7, err_msg=str((cm, cv)))


def test_first_step_sizes_at_default_betas():
    """The numbers the bias-correction lesson quotes: ≈ 3.16·lr with no correction, ≈ 31.6·lr with m only."""
    g, x, lr = np.array([0.37, -5.0]), np.zeros(2), 1e-3
    sizes = {}
    for cm, cv in [(False, False), (True, False), (True, True)]:
        o = opt.adam(lr, correct_m=cm, correct_v=cv)
        updates, _ = o.update(g, o.init(x), x)
        assert np.all(np.sign(updates) == -np.sign(g))
        sizes[cm, cv] = np.abs(updates) / lr
    np.testing.assert_allclose(sizes[False, False], math.sqrt(10), rtol=1e-5)   # 0.1 / √0.001 ≈ 3.162
    np.testing.assert_allclose(sizes[True, False], math.sqrt(1000), rtol=1e-5)  # 1 / √0.001 ≈ 31.62
    np.testing.assert_allclose(sizes[True, True], 1.0, rtol=1e-5)


def _chained_momentum_then_rms(grad, x0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """The tempting wrong Adam: a momentum transform whose output feeds an RMSprop-style scaler.

    Stage 1 turns g into m̂ (bias-corrected EMA of g); stage 2 keeps an EMA of *its input
    squared*, i.e. of m̂², and divides by its root.  Real Adam keeps the EMA of g².
    """
    x = np.array(x0, dtype=np.float64)
    path = [x.copy()]
    m = np.zeros_like(x)
    s = np.zeros_like(x)
    for t in range(1, steps + 1):
        g = grad(x)
        m = beta1 * m + (1 - beta1) * g           # momentum transform
        direction = m / (1 - beta1**t)
        s = beta2 * s + (1 - beta2) * direction**2  # RMS transform of what it receives
        x = x - lr * direction / (np.sqrt(s / (1 - beta2**t)) + eps)
        path.append(x.copy())
    return np.array(path)


@pytest.mark.parametrize("surface_key", ["bowl", "rosenbrock", "two_wells", "saddle"])
def test_adam_averages_g_squared_not_m_squared(surface_key):
    surface = opt.surfaces.get(surface_key)
    lr, steps = 0.05, 40
    ours = opt.run(opt.adam(lr), surface.grad, surface.start, steps).params
    g_squared = np.array(ref.adam(lambda p: list(surface.grad(np.array(p))), list(surface.start), steps, lr=lr))
    m_squared = _chained_momentum_then_rms(surface.grad, surface.start, steps, lr=lr)

    np.testing.assert_allclose(ours, g_squared, rtol=1e-10, atol=1e-12)
    # Step 1 agrees (m̂₁ = g₁); from then on the two averages differ and so do the paths.
    np.testing.assert_allclose(m_squared[1], ours[1], rtol=1e-12)
    assert np.max(np.abs(m_squared - ours)) > 1e-3


@FAST
@given(lr=st.floats(1e-4, 0.5), wd=st.floats(0.0, 1.0), amsgrad=st.booleans(),
       x0=hnp.arrays(np.float64, st.integers(1, 4), elements=finite))
def test_adamw_decay_law_with_zero_gradient(lr, wd, amsgrad, x0):
    """No gradient, only decoupled decay: θ_k = θ₀ (1 − lr·λ)^k, one factor per step."""
    steps = 20
    for o in (opt.adamw(lr, weight_decay=wd, amsgrad=amsgrad),
              opt.adam(lr, weight_decay=wd, amsgrad=amsgrad, decoupled_weight_decay=True)):
        params = opt.run(o, np.zeros_like, x0, steps).params
        expected = x0 * (1 - lr * wd) ** np.arange(steps + 1)[:, None]
        np.testing.assert_allclose(params, expected, rtol=1e-12, atol=1e-300)


def test_l2_decay_through_adam_is_not_a_shrink():
    """The contrast AdamW was invented for: with L2, λθ is normalised like a gradient, so the
    first step is lr·sign(θ) in every coordinate however small λ is."""
    x0 = np.array([3.0, -0.5, 0.02])
    params = opt.run(opt.adam(0.01, weight_decay=1e-3), np.zeros_like, x0, 1).params
    np.testing.assert_allclose(params[1] - x0, -0.01 * np.sign(x0), rtol=1e-3)
    assert np.all(np.abs(params[1] - x0) > 100 * 0.01 * 1e-3 * np.abs(x0))  # ≫ the AdamW shrink lr·λ·|θ|
