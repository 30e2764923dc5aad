"""The vectorised core against the slow per-scalar reference loops written from the papers."""

import math

import numpy as np
import pytest

import optimizers as opt
import reference_loops as ref

STEPS = 40
RTOL = 1e-10
SURFACES = ("bowl", "rosenbrock", "two_wells", "himmelblau", "beale")

# (id, core factory name, core kwargs, reference function, reference kwargs)
CASES = [
    ("sgd", "sgd", dict(lr=0.01), ref.sgd, dict(lr=0.01)),
    ("sgd-momentum", "sgd", dict(lr=0.005, momentum=0.9), ref.sgd, dict(lr=0.005, momentum=0.9)),
    ("sgd-dampening", "sgd", dict(lr=0.005, momentum=0.8, dampening=0.3),
     ref.sgd, dict(lr=0.005, momentum=0.8, dampening=0.3)),
    ("sgd-nesterov-l2", "sgd", dict(lr=0.005, momentum=0.9, nesterov=True, weight_decay=0.1),
     ref.sgd, dict(lr=0.005, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("rmsprop", "rmsprop", dict(lr=0.01), ref.rmsprop, dict(lr=0.01)),
    ("rmsprop-centered", "rmsprop", dict(lr=0.01, alpha=0.9, centered=True),
     ref.rmsprop, dict(lr=0.01, alpha=0.9, centered=True)),
    ("rmsprop-momentum", "rmsprop", dict(lr=0.002, momentum=0.8, weight_decay=0.05),
     ref.rmsprop, dict(lr=0.002, momentum=0.8, weight_decay=0.05)),
    ("rmsprop-centered-momentum", "rmsprop", dict(lr=0.002, alpha=0.95, momentum=0.5, centered=True),
     ref.rmsprop, dict(lr=0.002, alpha=0.95, momentum=0.5, centered=True)),
    ("adagrad", "adagrad", dict(lr=0.1), ref.adagrad, dict(lr=0.1)),
    ("adagrad-decay-init", "adagrad", dict(lr=0.2, lr_decay=0.05, initial_accumulator_value=0.5, weight_decay=0.1),
     ref.adagrad, dict(lr=0.2, lr_decay=0.05, initial_accumulator_value=0.5, weight_decay=0.1)),
    ("adadelta", "adadelta", dict(lr=1.0), ref.adadelta, dict(lr=1.0)),
    ("adadelta-rho-l2", "adadelta", dict(lr=5.0, rho=0.8, eps=1e-4, weight_decay=0.1),
     ref.adadelta, dict(lr=5.0, rho=0.8, eps=1e-4, weight_decay=0.1)),
    ("adam", "adam", dict(lr=0.05), ref.adam, dict(lr=0.05)),
    ("adam-betas", "adam", dict(lr=0.05, beta1=0.5, beta2=0.9, eps=1e-3),
     ref.adam, dict(lr=0.05, beta1=0.5, beta2=0.9, eps=1e-3)),
    ("adam-amsgrad", "adam", dict(lr=0.05, amsgrad=True), ref.adam, dict(lr=0.05, amsgrad=True)),
    ("adam-l2", "adam", dict(lr=0.05, weight_decay=0.3), ref.adam, dict(lr=0.05, weight_decay=0.3)),
    ("adam-decoupled", "adam", dict(lr=0.05, weight_decay=0.3, decoupled_weight_decay=True),
     ref.adam, dict(lr=0.05, weight_decay=0.3, decoupled_weight_decay=True)),
    ("adamw-amsgrad", "adamw", dict(lr=0.05, weight_decay=0.3, amsgrad=True),
     ref.adam, dict(lr=0.05, weight_decay=0.3, amsgrad=True, decoupled_weight_decay=True)),
    ("adam-no-m-correction", "adam", dict(lr=0.05, correct_m=False), ref.adam, dict(lr=0.05, correct_m=False)),
    ("adam-no-v-correction", "adam", dict(lr=0.005, correct_v=False), ref.adam, dict(lr=0.005, correct_v=False)),
    ("adam-no-corrections", "adam", dict(lr=0.01, correct_m=False, correct_v=False),
     ref.adam, dict(lr=0.01, correct_m=False, correct_v=False)),
    ("nadam", "nadam", dict(lr=0.05), ref.nadam, dict(lr=0.05)),
    ("nadam-l2", "nadam", dict(lr=0.05, weight_decay=0.2, momentum_decay=0.02),
     ref.nadam, dict(lr=0.05, weight_decay=0.2, momentum_decay=0.02)),
    ("nadam-decoupled", "nadam", dict(lr=0.05, weight_decay=0.2, decoupled_weight_decay=True),
     ref.nadam, dict(lr=0.05, weight_decay=0.2, decoupled_weight_decay=True)),
    ("radam", "radam", dict(lr=0.05), ref.radam, dict(lr=0.05)),
    ("radam-beta2", "radam", dict(lr=0.05, beta1=0.8, beta2=0.9, weight_decay=0.1),
     ref.radam, dict(lr=0.05, beta1=0.8, beta2=0.9, weight_decay=0.1)),
    ("radam-decoupled", "radam", dict(lr=0.05, weight_decay=0.2, decoupled_weight_decay=True),
     ref.radam, dict(lr=0.05, weight_decay=0.2, decoupled_weight_decay=True)),
    ("adamax", "adamax", dict(lr=0.05), ref.adamax, dict(lr=0.05)),
    ("adamax-l2", "adamax", dict(lr=0.05, beta1=0.7, beta2=0.95, weight_decay=0.1),
     ref.adamax, dict(lr=0.05, beta1=0.7, beta2=0.95, weight_decay=0.1)),
    ("lion", "lion", dict(lr=0.02), ref.lion, dict(lr=0.02)),
    ("lion-decay", "lion", dict(lr=0.02, beta1=0.8, beta2=0.95, weight_decay=0.5),
     ref.lion, dict(lr=0.02, beta1=0.8, beta2=0.95, weight_decay=0.5)),
    ("adafactor", "adafactor", dict(lr=0.1), ref.adafactor, dict(lr=0.1)),
    ("adafactor-settings", "adafactor", dict(lr=0.3, beta2_decay=-0.5, eps=(1e-20, 1e-2), d=0.5, weight_decay=0.1),
     ref.adafactor, dict(lr=0.3, beta2_decay=-0.5, eps1=1e-20, eps2=1e-2, d=0.5, weight_decay=0.1)),
    ("adabound", "adabound", dict(lr=0.05), ref.adabound, dict(lr=0.05)),
    ("adabound-tight-band", "adabound", dict(lr=0.05, final_lr=0.002, gamma=0.5),
     ref.adabound, dict(lr=0.05, final_lr=0.002, gamma=0.5)),
    ("amsbound-l2", "adabound", dict(lr=0.05, beta1=0.8, beta2=0.9, final_lr=0.01, gamma=0.05, eps=1e-3,
                                     weight_decay=0.1, amsbound=True),
     ref.adabound, dict(lr=0.05, beta1=0.8, beta2=0.9, final_lr=0.01, gamma=0.05, eps=1e-3,
                        weight_decay=0.1, amsbound=True)),
]


# Steps proportional to the raw gradient (SGD; RAdam's first, unrectified steps) need a smaller
# learning rate on the steep surfaces to stay finite.
GRADIENT_SCALED = ("sgd", "radam")
LR_SCALE = {"rosenbrock": 0.02, "beale": 0.05}


def _scaled(kwargs, factor):
    return dict(kwargs, lr=kwargs["lr"] * factor)


def _reference_grad(surface):
    """The surface gradient as the reference loops want it: a list of floats in, a list out."""
    return lambda point: [float(v) for v in surface.grad(np.array(point, dtype=np.float64))]


@pytest.mark.parametrize("surface_key", SURFACES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_core_matches_reference_loop(case, surface_key):
    _, factory, core_kwargs, reference, ref_kwargs = case
    surface = opt.surfaces.get(surface_key)
    x0 = np.array(surface.start, dtype=np.float64)
    if factory in GRADIENT_SCALED:
        factor = LR_SCALE.get(surface_key, 1.0)
        core_kwargs, ref_kwargs = _scaled(core_kwargs, factor), _scaled(ref_kwargs, factor)

    core_path = opt.run(getattr(opt, factory)(**core_kwargs), surface.grad, x0, STEPS).params
    ref_path = np.array(reference(_reference_grad(surface), list(x0), STEPS, **ref_kwargs))

    assert ref_path.shape == core_path.shape == (STEPS + 1,) + x0.shape
    assert np.all(np.isfinite(ref_path)), "pick settings that stay finite, or the comparison says little"
    assert not np.allclose(ref_path[-1], ref_path[0]), "the optimizer should move"
    np.testing.assert_allclose(core_path, ref_path, rtol=RTOL, atol=1e-12)


@pytest.mark.parametrize("x0", [[0.3, -1.7, 2.5], [4.0, 1e-3, -0.02]])
def test_adafactor_vector_case_in_higher_dimension(x0):
    """The RMS and the update clip act over the whole vector, not per coordinate."""
    def grad(x):
        return np.asarray(x) * np.array([1.0, 10.0, 100.0]) + np.array([0.5, -0.1, 0.0])

    core = opt.run(opt.adafactor(lr=0.2, d=0.7), grad, np.array(x0), 30).params
    expected = np.array(ref.adafactor(lambda x: list(grad(x)), x0, 30, lr=0.2, d=0.7))
    np.testing.assert_allclose(core, expected, rtol=RTOL, atol=1e-12)


def _tensor_grad(x):
    """A gradient that couples every entry of a tensor and scales its matrix slices differently."""
    x = np.asarray(x, dtype=np.float64)
    flat = x.reshape(-1)
    weights = 0.5 + 4.0 * np.arange(flat.size) / max(flat.size - 1, 1)
    g = weights * flat + 0.3 * np.sin(3.0 * flat + np.arange(flat.size)) + 0.5 * np.mean(flat) - 0.2
    return g.reshape(x.shape)


@pytest.mark.parametrize("shape", [(2, 3, 4), (2, 2, 3, 2), (3, 1, 5), (4, 3), (5,), ()],
                         ids=lambda s: "x".join(map(str, s)) or "scalar")
@pytest.mark.parametrize("settings", [dict(lr=0.1), dict(lr=0.3, beta2_decay=-0.5, eps=(1e-20, 1e-2), d=0.5,
                                                          weight_decay=0.1)], ids=["lr=0.1", "settings"])
def test_adafactor_tensor_of_any_rank_matches_reference_loop(shape, settings):
    """param_ndim = the tensor's ndim: the last two axes factored, RMS over the whole tensor."""
    x0 = np.cos(np.arange(math.prod(shape)) * 1.3).reshape(shape) * 1.5
    core = opt.run(opt.adafactor(**settings, param_ndim=len(shape)), _tensor_grad, x0, 30,
                   param_ndim=len(shape)).params
    ref_kwargs = {key: value for key, value in settings.items() if key != "eps"}
    if "eps" in settings:
        ref_kwargs.update(eps1=settings["eps"][0], eps2=settings["eps"][1])
    expected = ref.adafactor(lambda flat: list(_tensor_grad(np.reshape(flat, shape)).reshape(-1)),
                             list(x0.reshape(-1)), 30, shape=shape, **ref_kwargs)
    expected = np.array(expected).reshape((31,) + shape)
    assert not np.allclose(expected[-1], expected[0])
    np.testing.assert_allclose(core, expected, rtol=RTOL, atol=1e-12)


def test_reference_loops_against_hand_computation():
    """Sanity of the references themselves, on steps worked out by hand."""
    # f(x) = x²: g = 2x.  x0 = 1, lr = 0.1, μ = 0.5.
    # step 1: b = 2, x = 1 - 0.2 = 0.8.  step 2: g = 1.6, b = 0.5·2 + 1.6 = 2.6, x = 0.8 - 0.26 = 0.54.
    path = ref.sgd(lambda x: [2 * x[0]], [1.0], 2, lr=0.1, momentum=0.5)
    np.testing.assert_allclose(path, [[1.0], [0.8], [0.54]], rtol=1e-15)
    # Adam's first step is -lr·sign(g) (for |g| ≫ ε), whatever the gradient's size.
    path = ref.adam(lambda x: [1e3 * x[0], -1e-2], [1.0, 0.0], 1, lr=0.1)
    np.testing.assert_allclose(path[1], [0.9, 0.1], rtol=1e-5)
    # Lion moves every coordinate by exactly lr (no decay), here against the sign of c = 0.1·g.
    path = ref.lion(lambda x: [3.0, -1e-9], [0.0, 0.0], 1, lr=0.25)
    assert path[1] == [-0.25, 0.25]
