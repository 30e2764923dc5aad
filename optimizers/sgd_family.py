"""Gradient descent and the per-coordinate scalers that came before Adam.

Each update follows ``torch.optim``'s single-tensor code line by line, in float64.
Every hyperparameter may be an array that broadcasts against the parameters.
"""

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from .base import Optimizer, any_true, as_switch, check_nonnegative, check_range, no_inspection
from .moments import ema, select


def _with_l2(grads, params, weight_decay):
    """Classic L2 regularisation folded into the gradient: g + λθ (torch's ``weight_decay``)."""
    if not any_true(weight_decay != 0):
        return grads
    return grads + weight_decay * params


class SGDState(NamedTuple):
    count: int
    buf: np.ndarray


def sgd(lr: ArrayLike, momentum: ArrayLike = 0.0, dampening: ArrayLike = 0.0, nesterov: ArrayLike = False,
        weight_decay: ArrayLike = 0.0) -> Optimizer:
    r"""Stochastic gradient descent with torch's heavy-ball momentum.

    .. math::
        b_1 = g_1,\quad b_t = \mu\,b_{t-1} + (1-\tau)\,g_t,\qquad
        d_t = g_t + \mu\,b_t \text{ (Nesterov) or } b_t,\qquad
        \theta_t = \theta_{t-1} - \alpha\,d_t

    This is the *sum* form of momentum: on a constant gradient the step grows to
    :math:`\alpha g/(1-\mu)`.  With :math:`\mu = 0` it is plain gradient descent.
    """
    lr = check_nonnegative("lr", lr)
    momentum = check_nonnegative("momentum", momentum)
    dampening = check_range("dampening", dampening, 0.0, 1.0, high_open=False)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    nesterov = as_switch("nesterov", nesterov)

    def init(params):
        return SGDState(count=0, buf=np.zeros_like(params))

    def update(grads, state, params):
        g = _with_l2(grads, params, weight_decay)
        if state.count == 0:
            buf = np.array(g, dtype=np.float64)   # a copy, as torch clones it
        else:
            buf = momentum * state.buf + (1 - dampening) * g
        direction = select(nesterov, g + momentum * buf, buf)
        direction = select(momentum != 0, direction, g)
        return -lr * direction, SGDState(state.count + 1, buf)

    hyper = dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov, weight_decay=weight_decay)
    return Optimizer("SGD", init, update, no_inspection, hyper)


class RMSpropState(NamedTuple):
    count: int
    v: np.ndarray
    g_avg: np.ndarray
    buf: np.ndarray


def rmsprop(lr: ArrayLike, alpha: ArrayLike = 0.99, eps: ArrayLike = 1e-8, momentum: ArrayLike = 0.0,
            centered: ArrayLike = False, weight_decay: ArrayLike = 0.0) -> Optimizer:
    r"""RMSprop: divide each coordinate by the root of a running mean of its squared gradient.

    .. math::
        v_t = \rho\,v_{t-1} + (1-\rho)\,g_t^2,\qquad
        s_t = \sqrt{v_t - \bar g_t^{\,2}} \text{ (centered) or } \sqrt{v_t},\qquad
        \theta_t = \theta_{t-1} - \alpha\,\frac{g_t}{s_t + \varepsilon}

    ``alpha`` is torch's name for the decay :math:`\rho` (not the learning rate).  With
    momentum :math:`\mu > 0`: :math:`b_t = \mu b_{t-1} + g_t/(s_t+\varepsilon)`, step :math:`-\alpha b_t`.
    No bias correction: the first steps are :math:`1/\sqrt{1-\rho}` = 10× larger at ρ = 0.99.
    """
    lr = check_nonnegative("lr", lr)
    alpha = check_range("alpha", alpha, 0.0, 1.0, hint="It is RMSprop's decay rate for the mean of g².")
    eps = check_nonnegative("eps", eps)
    momentum = check_nonnegative("momentum", momentum)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    centered = as_switch("centered", centered)

    def init(params):
        zeros = np.zeros_like(params)
        return RMSpropState(0, zeros, zeros, zeros)

    def scale_of(v, g_avg):
        return select(centered, np.sqrt(v - g_avg * g_avg), np.sqrt(v)) + eps

    def update(grads, state, params):
        g = _with_l2(grads, params, weight_decay)
        v = ema(state.v, g * g, alpha)
        g_avg = ema(state.g_avg, g, alpha)
        scale = scale_of(v, g_avg)
        buf = momentum * state.buf + g / scale
        direction = select(momentum > 0, buf, g / scale)
        return -lr * direction, RMSpropState(state.count + 1, v, g_avg, buf)

    def inspect(state):
        return {"lr_eff": lr / scale_of(state.v, state.g_avg)}

    hyper = dict(lr=lr, alpha=alpha, eps=eps, momentum=momentum, centered=centered, weight_decay=weight_decay)
    return Optimizer("RMSprop", init, update, inspect, hyper)


class AdagradState(NamedTuple):
    count: int
    sum_sq: np.ndarray


def adagrad(lr: ArrayLike, lr_decay: ArrayLike = 0.0, weight_decay: ArrayLike = 0.0,
            initial_accumulator_value: ArrayLike = 0.0, eps: ArrayLike = 1e-10) -> Optimizer:
    r"""Adagrad: divide by the root of the *sum* of all squared gradients so far.

    .. math::
        G_t = G_{t-1} + g_t^2,\qquad
        \theta_t = \theta_{t-1} - \frac{\alpha}{1+(t-1)\,\eta}\,\frac{g_t}{\sqrt{G_t}+\varepsilon}

    The sum only grows, so the steps shrink for ever; RMSprop replaced it by a moving average.
    """
    lr = check_nonnegative("lr", lr)
    lr_decay = check_nonnegative("lr_decay", lr_decay)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    initial_accumulator_value = check_nonnegative("initial_accumulator_value", initial_accumulator_value)
    eps = check_nonnegative("eps", eps)

    def init(params):
        return AdagradState(0, np.zeros_like(params) + initial_accumulator_value)

    def update(grads, state, params):
        t = state.count + 1
        g = _with_l2(grads, params, weight_decay)
        clr = lr / (1 + (t - 1) * lr_decay)
        sum_sq = state.sum_sq + g * g
        return -clr * (g / (np.sqrt(sum_sq) + eps)), AdagradState(t, sum_sq)

    def inspect(state):
        clr = lr / (1 + (state.count - 1) * lr_decay)
        return {"lr_eff": clr / (np.sqrt(state.sum_sq) + eps)}

    hyper = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                 initial_accumulator_value=initial_accumulator_value, eps=eps)
    return Optimizer("Adagrad", init, update, inspect, hyper)


class AdadeltaState(NamedTuple):
    count: int
    v: np.ndarray
    delta_avg: np.ndarray


def adadelta(lr: ArrayLike = 1.0, rho: ArrayLike = 0.9, eps: ArrayLike = 1e-6,
             weight_decay: ArrayLike = 0.0) -> Optimizer:
    r"""Adadelta: RMSprop whose step size is the RMS of its own past steps.

    .. math::
        v_t = \rho v_{t-1} + (1-\rho) g_t^2,\quad
        \Delta_t = \frac{\sqrt{u_{t-1}+\varepsilon}}{\sqrt{v_t+\varepsilon}}\,g_t,\quad
        u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2,\quad
        \theta_t = \theta_{t-1} - \alpha\,\Delta_t
    """
    lr = check_nonnegative("lr", lr)
    rho = check_range("rho", rho, 0.0, 1.0, high_open=False)
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)

    def init(params):
        zeros = np.zeros_like(params)
        return AdadeltaState(0, zeros, zeros)

    def update(grads, state, params):
        g = _with_l2(grads, params, weight_decay)
        v = ema(state.v, g * g, rho)
        delta = np.sqrt(state.delta_avg + eps) / np.sqrt(v + eps) * g
        delta_avg = ema(state.delta_avg, delta * delta, rho)
        return -lr * delta, AdadeltaState(state.count + 1, v, delta_avg)

    hyper = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay)
    return Optimizer("Adadelta", init, update, no_inspection, hyper)
