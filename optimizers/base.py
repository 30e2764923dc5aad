"""The optimizer type and the checks that turn bad settings into plain sentences."""

from typing import Any, Callable, NamedTuple

import numpy as np


class Optimizer(NamedTuple):
    """A pair of pure functions, as in optax, plus what a page needs to describe it.

    ``init(params) -> state`` and ``update(grads, state, params) -> (updates, state)``;
    the new parameters are ``params + updates``.  ``inspect(state)`` returns the derived
    quantities a lesson shows (bias-corrected moments, the effective learning rate).
    """

    name: str
    init: Callable[[np.ndarray], Any]                          # params -> state
    update: Callable[[np.ndarray, Any, np.ndarray], tuple[np.ndarray, Any]]   # (grads, state, params) -> (updates, state)
    inspect: Callable[[Any], dict[str, np.ndarray]]            # state -> derived values by name
    hyperparams: dict[str, Any]


def no_inspection(state):
    """For optimizers without derived quantities worth showing."""
    return {}


def as_hyper(name, value):
    """A hyperparameter as a float64 scalar or array; refuses anything that is not a number."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}.") from None
    if array.ndim == 0:
        return float(array)
    return array


def as_switch(name, value):
    """A on/off setting as a Python bool or a boolean array."""
    if isinstance(value, bool):
        return value
    array = np.asarray(value)
    if array.dtype != np.bool_:
        raise ValueError(f"{name} must be True or False (or an array of them), got {value!r}.")
    return bool(array) if array.ndim == 0 else array


def any_true(value):
    """``bool(np.any(value))``, without NumPy's overhead for a plain Python scalar."""
    return bool(value) if isinstance(value, (bool, int, float)) else bool(np.any(value))


def check_range(name, value, low, high=np.inf, *, low_open=False, high_open=True, hint=""):
    """Raise ValueError naming ``name`` and its valid range unless ``value`` lies in it.

    ``value`` may be an array; every entry must lie in the range.  NaN never does.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):    # the common case, without NumPy
        value = float(value)
        if (value > low if low_open else value >= low) and (value < high if high_open else value <= high):
            return value
    value = as_hyper(name, value)
    array = np.asarray(value)
    above = array > low if low_open else array >= low
    below = array < high if high_open else array <= high
    if not np.all(above & below):
        bad = array[~(above & below)].flat[0] if array.ndim else float(array)
        left = "(" if low_open else "["
        right = ")" if high_open else "]"
        upper = "∞" if np.isinf(high) else f"{high:g}"
        message = f"{name} must lie in {left}{low:g}, {upper}{right}, got {bad:g}."
        raise ValueError(f"{message} {hint}".strip())
    return value


def check_beta(name, value):
    """A decay rate β must lie in [0, 1): β = 1 would never forget and never move."""
    return check_range(name, value, 0.0, 1.0, hint="It is a decay rate: 0 forgets at once, values near 1 remember long.")


def check_nonnegative(name, value):
    return check_range(name, value, 0.0)
