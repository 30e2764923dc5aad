r"""The maths of the momentum lesson: moving-average weights and heavy ball on a quadratic.

Two forms of momentum
---------------------
torch's SGD keeps a *sum* of past gradients,

.. math:: b_t = \mu\,b_{t-1} + g_t \;(b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \alpha\,b_t,

so on a constant gradient :math:`g` the buffer grows to :math:`g/(1-\mu)` and the step to
:math:`\alpha g/(1-\mu)`.  Adam's first moment is a *moving average* (:func:`optimizers.moments.ema`),

.. math:: m_t = \beta\,m_{t-1} + (1-\beta)\,g_t,

whose weights :math:`(1-\beta)\beta^k` sum to one: on a constant gradient it tends to :math:`g`.
Same shape of weights, different total: :math:`b_t = m_t / (1-\mu)` when both start at zero.

Heavy ball
----------
Substituting :math:`b_t = (\theta_{t-1} - \theta_t)/\alpha` into torch's rule gives Polyak's heavy ball
exactly (same α, :math:`\beta = \mu`):

.. math:: \theta_{t+1} = \theta_t - \alpha\,\nabla f(\theta_t) + \mu\,(\theta_t - \theta_{t-1}).

On a quadratic with Hessian eigenvalue λ the coordinate along that eigenvector obeys
:math:`x_{t+1} = (1 + \mu - \alpha\lambda)\,x_t - \mu\,x_{t-1}`, a linear recurrence whose
characteristic polynomial is :math:`z^2 - (1 + \mu - \alpha\lambda)\,z + \mu`.  The distance to the
minimum shrinks by the larger root modulus :math:`\max|z|` per step (:func:`rates`).  Because the
product of the roots is μ, the rate is never below :math:`\sqrt\mu`; it equals :math:`\sqrt\mu` in the
complex-root regime (Distill's "Why Momentum Really Works" writes :math:`2\sqrt\beta` there: a slip).

Nothing here imports anything but NumPy.
"""

import numpy as np
from numpy.typing import ArrayLike

REGIMES = ("monotone", "ripples", "zigzag", "diverges")
_TOUCH = 1e-12   # |discriminant| below this counts as a double root


def _check(lr, momentum, eigenvalue):
    lr, momentum, eigenvalue = (np.asarray(v, dtype=np.float64) for v in (lr, momentum, eigenvalue))
    if np.any(~np.isfinite(lr)) or np.any(lr < 0):
        raise ValueError("α (the learning rate) must be a finite number ≥ 0.")
    if np.any(~np.isfinite(momentum)) or np.any(momentum < 0) or np.any(momentum >= 1):
        raise ValueError("μ (momentum) must lie in [0, 1): at μ = 1 the ball never loses speed.")
    if np.any(~np.isfinite(eigenvalue)) or np.any(eigenvalue <= 0):
        raise ValueError("A curvature λ (Hessian eigenvalue) must be a positive number.")
    return lr, momentum, eigenvalue


# ---- the moving average ------------------------------------------------------------------

def ema_weights(beta: float, count: int) -> np.ndarray:
    r"""The weight an :func:`~optimizers.moments.ema` gives a value ``k`` steps old: :math:`(1-\beta)\beta^k`.

    Returns the weights for :math:`k = 0, 1, \dots, \text{count}-1` (newest first).  They sum to
    :math:`1 - \beta^{\text{count}}`, and to 1 over the infinite past.
    """
    _check(0.0, beta, 1.0)
    return (1 - beta) * float(beta) ** np.arange(count)


def ema_window(beta: float) -> float:
    r"""The effective window of a moving average with decay β: :math:`1/(1-\beta)` steps.

    It is the mean age (plus one) of the weights :math:`(1-\beta)\beta^k`, and the newest
    :math:`1/(1-\beta)` values carry :math:`1-\beta^{1/(1-\beta)} \approx 1 - 1/e \approx 63\%` of the weight.
    """
    _check(0.0, beta, 1.0)
    return 1.0 / (1.0 - beta)


def weight_share(beta: float, newest: float) -> float:
    r"""The total weight of the ``newest`` values of a long-running moving average: :math:`1-\beta^n`."""
    _check(0.0, beta, 1.0)
    return 1.0 - float(beta) ** newest


# ---- heavy ball on a quadratic -----------------------------------------------------------

def roots(lr: ArrayLike, momentum: ArrayLike, eigenvalue: ArrayLike) -> np.ndarray:
    r"""The two roots of :math:`z^2 - (1 + \mu - \alpha\lambda)\,z + \mu = 0`, as complex numbers.

    Every argument may be an array; they broadcast.  Returns shape ``(..., 2)``, larger modulus first.
    """
    lr, momentum, eigenvalue = _check(lr, momentum, eigenvalue)
    a = 1 + momentum - lr * eigenvalue
    root = np.sqrt((a * a - 4 * momentum).astype(np.complex128))
    pair = np.stack([(a + root) / 2, (a - root) / 2], axis=-1)
    order = np.argsort(-np.abs(pair), axis=-1, kind="stable")
    return np.take_along_axis(pair, order, axis=-1)


def rates(lr: ArrayLike, momentum: ArrayLike, eigenvalue: ArrayLike) -> np.ndarray:
    r"""The convergence rate along one eigen-direction: :math:`\max|z|` over the two roots.

    The distance along that direction shrinks by this factor per step (times a polynomial in t
    at a double root).  Below 1 the iteration converges; at or above 1 it does not.
    In the complex regime this is exactly :math:`\sqrt\mu`.
    """
    return np.abs(roots(lr, momentum, eigenvalue)[..., 0])


def rate(lr: float, momentum: float, eigenvalues: ArrayLike) -> float:
    """The rate of the whole quadratic: the slowest eigen-direction wins (a Python float)."""
    return float(np.max(rates(lr, momentum, np.asarray(eigenvalues, dtype=np.float64))))


def regime(lr: float, momentum: float, eigenvalue: float) -> str:
    r"""What the iterates do along one eigen-direction, by where :math:`\alpha\lambda` falls.

    With :math:`h = \alpha\lambda` and :math:`0 \le \mu < 1`:

    - ``"monotone"``:  :math:`h \le (1-\sqrt\mu)^2`: real positive roots; creeps in from one side.
    - ``"ripples"``:   :math:`(1-\sqrt\mu)^2 < h < (1+\sqrt\mu)^2`: complex roots; spirals in at rate √μ.
    - ``"zigzag"``:    :math:`(1+\sqrt\mu)^2 \le h < 2 + 2\mu`: a negative real root; flips side every step.
    - ``"diverges"``:  :math:`h \ge 2 + 2\mu`, the stability boundary: a root of modulus ≥ 1.

    (For plain gradient descent, μ = 0: monotone up to h = 1, zigzag up to h = 2.)
    """
    lr, momentum, eigenvalue = _check(lr, momentum, eigenvalue)
    if lr * eigenvalue >= stability_limit(momentum):
        return "diverges"
    a = 1 + momentum - lr * eigenvalue
    discriminant = a * a - 4 * momentum
    if discriminant < -_TOUCH:
        return "ripples"
    return "monotone" if a >= 0 else "zigzag"


def stability_limit(momentum: float) -> float:
    r"""The largest stable :math:`\alpha\lambda`: heavy ball converges iff :math:`0 < \alpha\lambda < 2 + 2\mu`.

    At :math:`\alpha\lambda = 2 + 2\mu` the polynomial factors as :math:`(z + 1)(z + \mu)`: a root at −1.
    Momentum doubles plain gradient descent's limit of 2 as μ → 1.
    """
    _check(0.0, momentum, 1.0)
    return 2.0 + 2.0 * float(momentum)


def regime_bounds(momentum: ArrayLike) -> tuple[ArrayLike, ArrayLike, ArrayLike]:
    r"""The three boundaries in :math:`h = \alpha\lambda`: :math:`(1-\sqrt\mu)^2`, :math:`(1+\sqrt\mu)^2`, :math:`2+2\mu`."""
    _check(0.0, momentum, 1.0)
    s = np.sqrt(momentum)
    return (1 - s) ** 2, (1 + s) ** 2, 2 + 2 * np.asarray(momentum, dtype=np.float64)


def optimal_heavy_ball(eigenvalues: ArrayLike) -> tuple[float, float, float]:
    r"""Polyak's optimal step and momentum for curvatures between :math:`\ell = \min\lambda` and :math:`L = \max\lambda`.

    .. math::
        \alpha^* = \Big(\frac{2}{\sqrt L + \sqrt\ell}\Big)^2, \qquad
        \mu^* = \Big(\frac{\sqrt L - \sqrt\ell}{\sqrt L + \sqrt\ell}\Big)^2, \qquad
        \text{rate}^* = \sqrt{\mu^*} = \frac{\sqrt\kappa - 1}{\sqrt\kappa + 1},\ \kappa = L/\ell.

    At this setting both extreme eigenvalues sit exactly on the edges of the ripple regime
    (:math:`\alpha^*\ell = (1-\sqrt{\mu^*})^2`, :math:`\alpha^* L = (1+\sqrt{\mu^*})^2`): double roots,
    each of modulus √μ*.  Returns ``(lr, momentum, rate)`` as floats.
    """
    values = np.asarray(eigenvalues, dtype=np.float64)
    _check(0.0, 0.0, values)
    low, high = np.sqrt(values.min()), np.sqrt(values.max())
    lr = (2 / (high + low)) ** 2
    momentum = ((high - low) / (high + low)) ** 2
    return float(lr), float(momentum), float((high - low) / (high + low))


def optimal_gradient_descent(eigenvalues: ArrayLike) -> tuple[float, float]:
    r"""The best plain gradient descent for comparison: :math:`\alpha = 2/(\ell + L)`, rate :math:`(\kappa-1)/(\kappa+1)`."""
    values = np.asarray(eigenvalues, dtype=np.float64)
    _check(0.0, 0.0, values)
    low, high = values.min(), values.max()
    return float(2 / (low + high)), float((high - low) / (high + low))


# ---- measuring a rate --------------------------------------------------------------------

def measured_rate(distances: ArrayLike, tail: float = 0.5, floor: float = 1e-280) -> float:
    r"""The rate a run achieved: the per-step factor by which its distance shrank over the last ``tail``.

    The plain geometric mean of :math:`d_{t+1}/d_t` over the tail is :math:`(d_T/d_S)^{1/(T-S)}`:
    it reads only the two ends, so one unlucky end (a spiral passing close to the minimum) biases
    it.  We use the least-squares slope :math:`s` of :math:`\log d_t` against t over the tail instead
    and return :math:`e^s`: the same geometric rate, weighted over every step of the tail.
    Zeros and values below ``floor`` (underflow) are left out.  Returns ``inf`` if the run
    diverged (a non-finite distance) and NaN if fewer than two points remain.
    """
    d = np.asarray(distances, dtype=np.float64)
    if not np.all(np.isfinite(d)):
        return float("inf")
    steps = np.arange(d.size)
    start = int(np.floor(d.size * (1 - tail)))
    keep = (steps >= start) & (d > floor)
    if keep.sum() < 2:
        return float("nan")
    slope = np.polyfit(steps[keep], np.log(d[keep]), 1)[0]
    return float(np.exp(slope))
