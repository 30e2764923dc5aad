"""Adam and its relatives, each following ``torch.optim``'s single-tensor code in float64.

Lion, which torch does not ship, follows its paper (Chen et al. 2023, arXiv 2302.06675);
AdaBound, which torch does not ship either, follows its authors' reference PyTorch code
(Luo et al. 2019, arXiv 1902.09843, github.com/Luolc/AdaBound, ``adabound/adabound.py``).
Every hyperparameter may be an array that broadcasts against the parameters.
"""

from typing import NamedTuple, Optional

import numpy as np
from numpy.typing import ArrayLike

from .base import Optimizer, any_true, as_switch, check_beta, check_nonnegative, check_range, no_inspection
from .moments import bias_correction, ema, select
from .sgd_family import _with_l2


def _decay_weights(updates, params, lr, weight_decay):
    r"""Decoupled weight decay (AdamW): :math:`\theta \leftarrow \theta(1-\alpha\lambda)` before the step."""
    if not any_true(weight_decay != 0):
        return updates
    return updates - lr * weight_decay * params


class AdamState(NamedTuple):
    count: int
    m: np.ndarray
    v: np.ndarray
    v_max: np.ndarray


def adam(lr: ArrayLike = 1e-3, beta1: ArrayLike = 0.9, beta2: ArrayLike = 0.999, eps: ArrayLike = 1e-8,
         weight_decay: ArrayLike = 0.0, amsgrad: ArrayLike = False, *, decoupled_weight_decay: ArrayLike = False,
         correct_m: ArrayLike = True, correct_v: ArrayLike = True) -> Optimizer:
    r"""Adam (Kingma & Ba 2015), exactly as ``torch.optim.Adam`` computes it.

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2,\\
        \hat m_t = \frac{m_t}{1-\beta_1^t},\qquad \hat v_t = \frac{v_t}{1-\beta_2^t},\qquad
        \theta_t = \theta_{t-1} - \alpha\,\frac{\hat m_t}{\sqrt{\hat v_t}+\varepsilon}

    ε is added *after* the square root and after the bias correction of v, as torch does:
    the denominator is :math:`\sqrt{v_t}/\sqrt{1-\beta_2^t} + \varepsilon`.
    ``weight_decay`` adds :math:`\lambda\theta` to g (L2), or with ``decoupled_weight_decay``
    shrinks θ by :math:`1-\alpha\lambda` before the step (AdamW).  ``amsgrad`` divides by the
    running maximum of the raw :math:`v_t` instead (then bias-corrected).

    ``correct_m`` and ``correct_v`` are teaching switches torch does not have: turn off the
    division by :math:`1-\beta_1^t` or :math:`1-\beta_2^t` to see what each one does.
    """
    lr = check_nonnegative("lr", lr)
    beta1 = check_beta("beta1", beta1)
    beta2 = check_beta("beta2", beta2)
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    amsgrad = as_switch("amsgrad", amsgrad)
    decoupled = as_switch("decoupled_weight_decay", decoupled_weight_decay)
    correct_m = as_switch("correct_m", correct_m)
    correct_v = as_switch("correct_v", correct_v)

    def init(params):
        zeros = np.zeros_like(params)
        return AdamState(0, zeros, zeros, zeros)

    def corrections(t):
        """The divisors 1-β₁ᵗ and 1-β₂ᵗ, or 1 where a correction is switched off."""
        return (select(correct_m, bias_correction(beta1, t), 1.0),
                select(correct_v, bias_correction(beta2, t), 1.0))

    def second_moment(state):
        """What the denominator uses: v, or with AMSGrad its running maximum."""
        return select(amsgrad, state.v_max, state.v)

    decays = any_true(weight_decay != 0)   # settled once, not on every step
    any_amsgrad = any_true(amsgrad)

    def update(grads, state, params):
        t = state.count + 1
        g = select(decoupled, grads, grads + weight_decay * params) if decays else grads
        m = ema(state.m, g, beta1)
        v = ema(state.v, g * g, beta2)
        v_max = np.maximum(state.v_max, v) if any_amsgrad else state.v_max
        new_state = AdamState(t, m, v, v_max)
        bc1, bc2 = corrections(t)
        denom = np.sqrt(second_moment(new_state))   # a new array: the in-place steps below touch only it
        denom /= np.sqrt(bc2)
        denom += eps
        updates = m / denom
        updates *= -(lr / bc1)
        if decays:
            updates = select(decoupled, updates - lr * weight_decay * params, updates)
        return updates, new_state

    def inspect(state):
        bc1, bc2 = corrections(state.count)
        v = second_moment(state)
        denom = np.sqrt(v) / np.sqrt(bc2) + eps
        shape = np.shape(state.m)
        return {"bc1": np.full(shape, bc1), "bc2": np.full(shape, bc2),
                "m_hat": state.m / bc1, "v_hat": v / bc2, "lr_eff": lr / denom}

    hyper = dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                 decoupled_weight_decay=decoupled, correct_m=correct_m, correct_v=correct_v)
    return Optimizer("Adam", init, update, inspect, hyper)


def adamw(lr: ArrayLike = 1e-3, beta1: ArrayLike = 0.9, beta2: ArrayLike = 0.999, eps: ArrayLike = 1e-8,
          weight_decay: ArrayLike = 1e-2, amsgrad: ArrayLike = False, *,
          correct_m: ArrayLike = True, correct_v: ArrayLike = True) -> Optimizer:
    r"""AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay.

    :math:`\theta_t = \theta_{t-1}(1-\alpha\lambda) - \alpha\,\hat m_t/(\sqrt{\hat v_t}+\varepsilon)`.
    """
    inner = adam(lr, beta1, beta2, eps, weight_decay, amsgrad, decoupled_weight_decay=True,
                 correct_m=correct_m, correct_v=correct_v)
    return inner._replace(name="AdamW")


class NAdamState(NamedTuple):
    count: int
    mu_product: np.ndarray
    m: np.ndarray
    v: np.ndarray


def nadam(lr: ArrayLike = 2e-3, beta1: ArrayLike = 0.9, beta2: ArrayLike = 0.999, eps: ArrayLike = 1e-8,
          weight_decay: ArrayLike = 0.0, momentum_decay: ArrayLike = 4e-3,
          decoupled_weight_decay: ArrayLike = False) -> Optimizer:
    r"""NAdam (Dozat 2016): Adam with a Nesterov look-ahead and a momentum warm-up, as torch has it.

    .. math::
        \mu_t = \beta_1\bigl(1-\tfrac12\,0.96^{t\psi}\bigr),\qquad
        \theta_t = \theta_{t-1} - \alpha\Bigl(\frac{1-\mu_t}{1-\prod_{i\le t}\mu_i}\,g_t
            + \frac{\mu_{t+1}}{1-\prod_{i\le t+1}\mu_i}\,m_t\Bigr)\Big/\Bigl(\sqrt{\hat v_t}+\varepsilon\Bigr)
    """
    lr = check_nonnegative("lr", lr)
    beta1 = check_beta("beta1", beta1)
    beta2 = check_beta("beta2", beta2)
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    momentum_decay = check_nonnegative("momentum_decay", momentum_decay)
    decoupled = as_switch("decoupled_weight_decay", decoupled_weight_decay)

    def init(params):
        zeros = np.zeros_like(params)
        return NAdamState(0, 1.0, zeros, zeros)

    def update(grads, state, params):
        t = state.count + 1
        bc2 = bias_correction(beta2, t)
        g = select(decoupled, grads, _with_l2(grads, params, weight_decay))
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        mu_product = state.mu_product * mu
        m = ema(state.m, g, beta1)
        v = ema(state.v, g * g, beta2)
        denom = np.sqrt(v / bc2) + eps
        updates = (-lr * (1.0 - mu) / (1.0 - mu_product)) * (g / denom) \
            + (-lr * mu_next / (1.0 - mu_product * mu_next)) * (m / denom)
        updates = select(decoupled, _decay_weights(updates, params, lr, weight_decay), updates)
        return updates, NAdamState(t, mu_product, m, v)

    hyper = dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay,
                 momentum_decay=momentum_decay, decoupled_weight_decay=decoupled)
    return Optimizer("NAdam", init, update, no_inspection, hyper)


class MomentsState(NamedTuple):
    count: int
    m: np.ndarray
    v: np.ndarray


def radam(lr: ArrayLike = 1e-3, beta1: ArrayLike = 0.9, beta2: ArrayLike = 0.999, eps: ArrayLike = 1e-8,
          weight_decay: ArrayLike = 0.0, decoupled_weight_decay: ArrayLike = False) -> Optimizer:
    r"""RAdam (Liu et al. 2020): Adam whose adaptive step is switched on only once v is trustworthy.

    .. math::
        \rho_\infty = \frac{2}{1-\beta_2}-1,\qquad
        \rho_t = \rho_\infty - \frac{2t\beta_2^t}{1-\beta_2^t},\qquad
        r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}

    While :math:`\rho_t \le 5` the step is :math:`-\alpha\hat m_t` (momentum SGD); after it,
    :math:`-\alpha\,\hat m_t\,r_t\sqrt{1-\beta_2^t}/(\sqrt{v_t}+\varepsilon)`.
    """
    lr = check_nonnegative("lr", lr)
    beta1 = check_beta("beta1", beta1)
    beta2 = check_beta("beta2", beta2)
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    decoupled = as_switch("decoupled_weight_decay", decoupled_weight_decay)
    rho_inf = 2 / (1 - beta2) - 1

    def update(grads, state, params):
        t = state.count + 1
        g = select(decoupled, grads, _with_l2(grads, params, weight_decay))
        m = ema(state.m, g, beta1)
        v = ema(state.v, g * g, beta2)
        bc1, bc2 = bias_correction(beta1, t), bias_correction(beta2, t)
        m_hat = m / bc1
        rho_t = rho_inf - 2 * t * beta2**t / bc2
        rectified = rho_t > 5.0
        if np.any(rectified):
            with np.errstate(invalid="ignore", divide="ignore"):
                rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
            adaptive = bc2**0.5 / (np.sqrt(v) + eps)
            updates = -select(rectified, m_hat * lr * adaptive * rect, m_hat * lr)
        else:
            updates = -(m_hat * lr)
        updates = select(decoupled, _decay_weights(updates, params, lr, weight_decay), updates)
        return updates, MomentsState(t, m, v)

    hyper = dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay,
                 decoupled_weight_decay=decoupled)
    return Optimizer("RAdam", _zero_moments, update, no_inspection, hyper)


def _zero_moments(params):
    zeros = np.zeros_like(params)
    return MomentsState(0, zeros, zeros)


def adamax(lr: ArrayLike = 2e-3, beta1: ArrayLike = 0.9, beta2: ArrayLike = 0.999, eps: ArrayLike = 1e-8,
           weight_decay: ArrayLike = 0.0) -> Optimizer:
    r"""Adamax (Kingma & Ba 2015, §7.1): Adam with the infinity norm in place of v.

    .. math::
        u_t = \max(\beta_2 u_{t-1},\ |g_t|+\varepsilon),\qquad
        \theta_t = \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\,\frac{m_t}{u_t}
    """
    lr = check_nonnegative("lr", lr)
    beta1 = check_beta("beta1", beta1)
    beta2 = check_beta("beta2", beta2)
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)

    def update(grads, state, params):
        t = state.count + 1
        g = _with_l2(grads, params, weight_decay)
        m = ema(state.m, g, beta1)
        u = np.maximum(beta2 * state.v, np.abs(g) + eps)
        clr = lr / bias_correction(beta1, t)
        return -clr * (m / u), MomentsState(t, m, u)

    hyper = dict(lr=lr, beta1=beta1, beta2=beta2, eps=eps, weight_decay=weight_decay)
    return Optimizer("Adamax", _zero_moments, update, no_inspection, hyper)


class AdafactorState(NamedTuple):
    count: int
    row_var: np.ndarray
    col_var: np.ndarray
    variance: np.ndarray


def adafactor(lr: ArrayLike = 1e-2, beta2_decay: float = -0.8, eps: tuple[Optional[float], float] = (None, 1e-3),
              d: float = 1.0, weight_decay: ArrayLike = 0.0, *, param_ndim: int = 1) -> Optimizer:
    r"""Adafactor (Shazeer & Stern 2018) as ``torch.optim.Adafactor`` computes it.

    ``param_ndim`` k says how many trailing axes form one parameter θ (a tensor of any rank k);
    leading axes are a batch of independent runs.  With k equal to the array's ndim this is
    torch's optimizer on that one tensor.  Each step, with :math:`1-\hat\beta_{2,t} = t^{c}`
    (``beta2_decay`` c = -0.8):

    .. math::
        \rho_t = \min(\mathrm{lr}, 1/\sqrt t),\qquad
        \alpha_t = \max(\varepsilon_2, \mathrm{RMS}(\theta_{t-1}))\,\rho_t,\\
        U_t = G_t / \sqrt{\max(\hat V_t, \varepsilon_1^2)},\qquad
        \theta_t = \theta_{t-1}(1-\mathrm{lr}\,\lambda)
                   - \frac{\alpha_t}{\max(1, \mathrm{RMS}(U_t)/d)}\,U_t

    where RMS is taken over the whole parameter (all k axes).  For k ≥ 2 the second moment is
    stored factored over the *last two* axes (n rows, m columns); every axis before them keeps
    its own factors.  For each such n×m slice,

    .. math::
        R_t = \hat\beta_{2,t} R_{t-1} + (1-\hat\beta_{2,t})\,\mathrm{mean}_{\text{cols}}(G_t^2),\qquad
        C_t = \hat\beta_{2,t} C_{t-1} + (1-\hat\beta_{2,t})\,\mathrm{mean}_{\text{rows}}(G_t^2),\\
        \hat V_t = R_t C_t / \max(\mathrm{mean}(R_t), \varepsilon_1)

    (the outer product of a column and a row: n + m numbers instead of n·m per slice).  For
    k ≤ 1 it is the full running mean :math:`\hat V_t = \hat\beta_{2,t}\hat V_{t-1} +
    (1-\hat\beta_{2,t}) G_t^2`.  ``eps`` = (ε₁, ε₂); ε₁ = None is float64's machine epsilon.
    """
    lr = check_nonnegative("lr", lr)
    beta2_decay = check_range("beta2_decay", beta2_decay, -np.inf, 0.0, high_open=False)
    eps1, eps2 = eps
    eps1 = np.finfo(np.float64).eps if eps1 is None else check_nonnegative("eps[0]", eps1)
    eps2 = check_nonnegative("eps[1]", eps2)
    d = check_range("d", d, 0.0, low_open=True)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    if isinstance(param_ndim, bool) or not isinstance(param_ndim, (int, np.integer)) or param_ndim < 0:
        raise ValueError(f"param_ndim (the number of trailing axes that form one parameter) must be "
                         f"a whole number 0, 1, 2, …, got {param_ndim!r}.")
    param_ndim = int(param_ndim)
    axes = tuple(range(-param_ndim, 0))
    factored = param_ndim >= 2

    def rms(x):
        """Root mean square over each parameter's own axes, kept broadcastable."""
        return np.sqrt(np.mean(x * x, axis=axes, keepdims=True))

    def init(params):
        params = np.asarray(params)
        if params.ndim < param_ndim:
            raise ValueError(f"Adafactor with param_ndim = {param_ndim} needs parameters with at least "
                             f"{param_ndim} axes, got shape {params.shape}.")
        if not factored:
            return AdafactorState(0, None, None, np.zeros_like(params))
        row = np.zeros(params.shape[:-1] + (1,))
        col = np.zeros(params.shape[:-2] + (1,) + params.shape[-1:])
        return AdafactorState(0, row, col, None)

    def update(grads, state, params):
        t = state.count + 1
        one_minus_beta2 = float(t) ** beta2_decay
        rho = np.minimum(lr, 1 / t**0.5)
        alpha = np.maximum(eps2, rms(params)) * rho
        row_var, col_var, variance = state.row_var, state.col_var, state.variance
        if factored:
            row_var = ema(row_var, np.mean(grads * grads, axis=-1, keepdims=True), 1 - one_minus_beta2)
            col_var = ema(col_var, np.mean(grads * grads, axis=-2, keepdims=True), 1 - one_minus_beta2)
            var_estimate = row_var @ col_var / np.maximum(np.mean(row_var, axis=-2, keepdims=True), eps1)
        else:
            variance = ema(variance, grads * grads, 1 - one_minus_beta2)
            var_estimate = variance
        scaled = grads / np.sqrt(np.maximum(var_estimate, eps1 * eps1))
        clip = np.maximum(1.0, rms(scaled) / d)
        updates = -(alpha / clip) * scaled
        updates = _decay_weights(updates, params, lr, weight_decay)
        return updates, AdafactorState(t, row_var, col_var, variance)

    hyper = dict(lr=lr, beta2_decay=beta2_decay, eps=(eps1, eps2), d=d, weight_decay=weight_decay)
    return Optimizer("Adafactor", init, update, no_inspection, hyper)


class LionState(NamedTuple):
    count: int
    m: np.ndarray


def lion(lr: ArrayLike = 1e-4, beta1: ArrayLike = 0.9, beta2: ArrayLike = 0.99,
         weight_decay: ArrayLike = 0.0) -> Optimizer:
    r"""Lion (Chen et al. 2023, arXiv 2302.06675, Algorithm 2): the sign of an interpolation.

    .. math::
        c_t = \beta_1 m_{t-1} + (1-\beta_1) g_t,\qquad
        \theta_t = \theta_{t-1} - \alpha\bigl(\operatorname{sign}(c_t) + \lambda\theta_{t-1}\bigr),\qquad
        m_t = \beta_2 m_{t-1} + (1-\beta_2) g_t

    Every coordinate moves by exactly ±α (plus decay), whatever the gradient's size.
    """
    lr = check_nonnegative("lr", lr)
    beta1 = check_range("beta1", beta1, 0.0, 1.0, high_open=False)
    beta2 = check_range("beta2", beta2, 0.0, 1.0, high_open=False)
    weight_decay = check_nonnegative("weight_decay", weight_decay)

    def init(params):
        return LionState(0, np.zeros_like(params))

    def update(grads, state, params):
        c = ema(state.m, grads, beta1)
        updates = -lr * (np.sign(c) + weight_decay * params)
        return updates, LionState(state.count + 1, ema(state.m, grads, beta2))

    hyper = dict(lr=lr, beta1=beta1, beta2=beta2, weight_decay=weight_decay)
    return Optimizer("Lion", init, update, no_inspection, hyper)


class AdaBoundState(NamedTuple):
    count: int
    m: np.ndarray
    v: np.ndarray
    v_max: np.ndarray


def adabound(lr: ArrayLike = 1e-3, beta1: ArrayLike = 0.9, beta2: ArrayLike = 0.999, final_lr: ArrayLike = 0.1,
             gamma: ArrayLike = 1e-3, eps: ArrayLike = 1e-8, weight_decay: ArrayLike = 0.0,
             amsbound: ArrayLike = False) -> Optimizer:
    r"""AdaBound (Luo et al. 2019, arXiv 1902.09843): Adam whose per-coordinate step is clipped
    into a band that closes in on SGD's learning rate ``final_lr``.

    As the authors' reference code (``Luolc/AdaBound``, ``adabound.py``) computes it:

    .. math::
        m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t,\qquad
        v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2,\\
        \eta_t = \operatorname{clip}\Bigl(\frac{\alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)}{\sqrt{v_t}+\varepsilon},\
            \eta_l(t),\ \eta_u(t)\Bigr),\qquad
        \theta_t = \theta_{t-1} - \eta_t\,m_t,\\
        \eta_l(t) = \alpha^*\Bigl(1-\frac{1}{\gamma t+1}\Bigr),\qquad
        \eta_u(t) = \alpha^*\Bigl(1+\frac{1}{\gamma t}\Bigr)

    with :math:`\alpha^*` = ``final_lr``.  Note where ε sits: on the *raw* :math:`\sqrt{v_t}`,
    the bias corrections being folded into the step size (unlike torch's Adam).  The clipped
    :math:`\eta_t` multiplies the raw :math:`m_t`, not :math:`\hat m_t`.  At t = 1 the band is
    :math:`[\alpha^*\gamma/(1+\gamma),\ \alpha^*(1+1/\gamma)]`, wide, so AdaBound starts as Adam;
    as :math:`\gamma t` grows both bounds tend to :math:`\alpha^*` and it becomes SGD with the
    moving-average momentum :math:`\theta_t = \theta_{t-1} - \alpha^* m_t`.

    ``weight_decay`` adds :math:`\lambda\theta` to g (L2), as the reference ``AdaBound`` does.
    ``amsbound`` uses the running maximum of :math:`v_t` (AMSBound).  The reference rescales
    ``final_lr`` by lr/base_lr so that an lr scheduler moves it too; with a constant lr that
    factor is 1, which is what this function computes.  The reference refuses γ ≥ 1; we accept
    any γ > 0 so that a lesson can show the limit γ → ∞ (the band collapses at once).
    """
    lr = check_nonnegative("lr", lr)
    beta1 = check_beta("beta1", beta1)
    beta2 = check_beta("beta2", beta2)
    final_lr = check_nonnegative("final_lr", final_lr)
    gamma = check_range("gamma", gamma, 0.0, low_open=True,
                        hint="It sets how fast the bounds close in on final_lr; 1e-3 is the paper's choice.")
    eps = check_nonnegative("eps", eps)
    weight_decay = check_nonnegative("weight_decay", weight_decay)
    amsbound = as_switch("amsbound", amsbound)
    any_amsbound = any_true(amsbound)

    def init(params):
        zeros = np.zeros_like(params)
        return AdaBoundState(0, zeros, zeros, zeros)

    def bounds(t):
        """The band [η_l(t), η_u(t)] the step size is clipped into."""
        return final_lr * (1 - 1 / (gamma * t + 1)), final_lr * (1 + 1 / (gamma * t))

    def step_size(state):
        """The clipped per-coordinate step size η_t that multiplies m_t."""
        t = state.count
        second = select(amsbound, state.v_max, state.v)
        raw = (lr * np.sqrt(bias_correction(beta2, t)) / bias_correction(beta1, t)) / (np.sqrt(second) + eps)
        lower, upper = bounds(t)
        return np.clip(raw, lower, upper)

    def update(grads, state, params):
        t = state.count + 1
        g = _with_l2(grads, params, weight_decay)
        m = ema(state.m, g, beta1)
        v = ema(state.v, g * g, beta2)
        v_max = np.maximum(state.v_max, v) if any_amsbound else state.v_max
        new_state = AdaBoundState(t, m, v, v_max)
        return -step_size(new_state) * m, new_state

    def inspect(state):
        """``lr_eff`` is the clipped η_t (it multiplies the raw m_t); ``lower``/``upper`` the band."""
        shape = np.shape(state.m)
        lower, upper = bounds(state.count)
        return {"bc1": np.broadcast_to(bias_correction(beta1, state.count), shape),
                "bc2": np.broadcast_to(bias_correction(beta2, state.count), shape),
                "lower": np.broadcast_to(lower, shape), "upper": np.broadcast_to(upper, shape),
                "lr_eff": np.broadcast_to(step_size(state), shape)}

    hyper = dict(lr=lr, beta1=beta1, beta2=beta2, final_lr=final_lr, gamma=gamma, eps=eps,
                 weight_decay=weight_decay, amsbound=amsbound)
    return Optimizer("AdaBound", init, update, inspect, hyper)
