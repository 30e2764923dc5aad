r"""The online problem of Reddi, Kale & Kumar (2018), "On the convergence of Adam and beyond", §3.

On the feasible set :math:`\mathcal F = [-1, 1]` the loss at step t = 1, 2, ... is

.. math::
    f_t(x) = \begin{cases} C\,x & t \bmod 3 = 1 \\ -x & \text{otherwise} \end{cases},\qquad C > 2.

Over each period of three steps the losses add up to :math:`(C-2)\,x`, so the best fixed point is
x = −1 and x = +1 is the worst.  One large gradient C is followed by two small ones, −1 and −1.
Adam with :math:`\beta_1 = 0`, :math:`\beta_2 = 1/(1+C^2)` forgets the large gradient so fast that
the two small ones, each divided by a small :math:`\sqrt{v}`, push x up by as much as the large one
pushes it down: it drifts to +1 (Theorem 1).  AMSGrad divides by the largest v seen so far,
keeps the large gradient's memory, and reaches −1.  The paper's step size is :math:`\alpha/\sqrt t`
(:func:`optimizers.schedules.inverse_sqrt`); run with ``bounds=(-1, 1)`` and ``with_step=True``.
"""

import numpy as np
from numpy.typing import ArrayLike

BOUNDS = (-1.0, 1.0)
BEST = -1.0


def coefficient(t: ArrayLike, C: ArrayLike) -> ArrayLike:
    """The slope of f_t: C when t mod 3 = 1, −1 otherwise (t counts from 1). Broadcasts."""
    if isinstance(t, int):                  # run() asks one step at a time: no NumPy for a plain int
        return C if t % 3 == 1 else -1.0
    return np.where(np.asarray(t) % 3 == 1, C, -1.0)


def grad(x: ArrayLike, t: ArrayLike, C: ArrayLike) -> np.ndarray:
    """∇f_t(x) for ``run(..., with_step=True)``: the slope, one entry per coordinate of x."""
    return np.full(np.shape(x), coefficient(t, C), dtype=np.float64)


def average_regret(xs: ArrayLike, C: ArrayLike) -> np.ndarray:
    r"""R_T / T for T = 1 … len(xs), where ``xs[t-1]`` is the point played at step t.

    :math:`R_T = \sum_{t\le T} f_t(x_t) - \min_{x\in[-1,1]} \sum_{t\le T} f_t(x)`; the sum of the
    f_t is :math:`x\,S_T` with :math:`S_T = \sum_{t\le T} c_t`, so the minimum is :math:`-|S_T|`.
    ``xs`` has the step as its first axis; C broadcasts against the other axes.
    """
    xs = np.asarray(xs, dtype=np.float64)
    t = np.arange(1, xs.shape[0] + 1).reshape((-1,) + (1,) * (xs.ndim - 1))
    slopes = coefficient(t, C) * np.ones_like(xs)
    regret = np.cumsum(slopes * xs, axis=0) + np.abs(np.cumsum(slopes, axis=0))
    return regret / t
