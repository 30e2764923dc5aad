"""Our optimizers against trajectories recorded from ``torch.optim`` (float64, single-tensor code).

The fixtures come from ``tests/fixtures/make_torch_fixtures.py`` (run with a Python that has torch;
torch is not needed here).  Each case replays the gradients torch was fed, one per step, through our
optimizer and compares every point of the trajectory.  Grid cases run our optimizer once on a
stacked batch with array hyperparameters; torch ran once per row.
"""

import json
from pathlib import Path

import numpy as np
import pytest

import optimizers as opt

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "torch_optim.json").read_text())
CASES = MANIFEST["cases"]
RTOL, ATOL = 1e-13, 1e-14


@pytest.fixture(scope="module")
def recorded():
    with np.load(FIXTURES / "torch_optim.npz") as data:
        return {key: data[key] for key in data.files}


def replay(grads):
    """A grad_fn that returns the k-th recorded gradient on its k-th call, whatever the point."""
    calls = iter(grads)
    return lambda point: next(calls)


def build(case):
    """Our optimizer for a case; grid values become arrays broadcasting over the batch axis."""
    kwargs = dict(case["kwargs"])
    if isinstance(kwargs.get("eps"), list):
        kwargs["eps"] = tuple(kwargs["eps"])
    if case["grid"] is not None:
        column = (case["batch"],) + (1,) * len(case["shape"])
        kwargs.update({key: np.reshape(values, column) for key, values in case["grid"].items()})
    return getattr(opt, case["optimizer"])(**kwargs)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_matches_torch(case, recorded):
    grads = recorded[f"{case['name']}.grads"]
    expected = recorded[f"{case['name']}.params"]
    assert grads.shape[0] == case["steps"] == expected.shape[0] - 1

    param_ndim = len(case["shape"]) if case["optimizer"] == "adafactor" else None
    traj = opt.run(build(case), replay(grads), expected[0], case["steps"], param_ndim=param_ndim)

    assert traj.params.shape == expected.shape
    np.testing.assert_allclose(traj.params, expected, rtol=RTOL, atol=ATOL,
                               err_msg=f"{case['name']}: {case['torch_class']}({case['torch_kwargs']})")


@pytest.mark.parametrize("case", [c for c in CASES if c["grid"] is not None], ids=lambda c: c["name"])
def test_grid_rows_are_independent_torch_runs(case, recorded):
    """Each row of a grid case is its own torch run with its own settings, and the rows differ."""
    expected = recorded[f"{case['name']}.params"]
    assert expected.shape[1] == case["batch"] == len(next(iter(case["grid"].values())))
    finals = expected[-1].reshape(case["batch"], -1)
    assert len({row.tobytes() for row in finals}) == case["batch"]


def test_fixtures_cover_every_torch_optimizer():
    covered = {c["optimizer"] for c in CASES}
    assert covered == {"sgd", "rmsprop", "adagrad", "adadelta", "adam", "adamw", "nadam", "radam",
                       "adamax", "adafactor"}
    factored = [c for c in CASES if c["optimizer"] == "adafactor" and c["kwargs"].get("param_ndim", 1) >= 2]
    assert all(c["kwargs"]["param_ndim"] == len(c["shape"]) for c in factored)
    assert {len(c["shape"]) for c in factored} == {2, 3, 4}   # torch's meaning: one tensor of that rank
    assert any(c["grid"] for c in factored if len(c["shape"]) == 3)   # a batch of 3-D tensors too


TENSOR_CASES = [c for c in CASES
                if c["optimizer"] == "adafactor" and len(c["shape"]) >= 3 and c["grid"] is None]


@pytest.mark.parametrize("case", TENSOR_CASES, ids=lambda c: c["name"])
def test_tensor_slices_are_not_separate_matrices(case, recorded):
    """torch takes RMS(θ) and RMS(U) over the whole tensor: reading its matrix slices as a batch of
    independent matrices (param_ndim=2) leaves torch's path, so the fixtures pin the whole-tensor RMS."""
    grads = recorded[f"{case['name']}.grads"]
    expected = recorded[f"{case['name']}.params"]
    per_slice = opt.run(build(dict(case, kwargs=dict(case["kwargs"], param_ndim=2))), replay(grads),
                        expected[0], case["steps"], param_ndim=2).params
    assert np.max(np.abs(per_slice - expected)) > 1e-3


def test_fixtures_are_finite_and_move(recorded):
    for case in CASES:
        params = recorded[f"{case['name']}.params"]
        assert np.all(np.isfinite(params)), case["name"]
        assert not np.array_equal(params[0], params[-1]), case["name"]
