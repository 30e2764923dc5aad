"""Slow, readable reference optimizers: one plain Python loop per optimizer, one scalar at a time.

Each function is written from the published pseudo-code (the paper, or the algorithm box in
the ``torch.optim`` documentation where torch defines the variant we claim to match), not
from ``optimizers/``.  No NumPy: parameters are lists of Python floats and every coordinate
is updated by its own scalar formula, so the loops can be read next to the paper.

All functions share one signature::

    f(grad, x0, steps, **hyperparameters) -> list of steps + 1 points (lists of floats)

where ``grad(point) -> list of floats`` is the gradient at a point given as a list of floats.
"""

import math


def _copy(x):
    return [float(v) for v in x]


def sgd(grad, x0, steps, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    """torch.optim.SGD algorithm box.

    g ← ∇f + λθ;  if μ ≠ 0: b ← g at t = 1, else b ← μ b + (1 − τ) g;
    g ← g + μ b (Nesterov) or g ← b;  θ ← θ − γ g.
    """
    x = _copy(x0)
    path = [_copy(x)]
    buf = [0.0] * len(x)
    for t in range(1, steps + 1):
        g_all = grad(list(x))
        for i in range(len(x)):
            g = g_all[i] + weight_decay * x[i]
            if momentum != 0:
                if t == 1:
                    buf[i] = g
                else:
                    buf[i] = momentum * buf[i] + (1 - dampening) * g
                if nesterov:
                    g = g + momentum * buf[i]
                else:
                    g = buf[i]
            x[i] = x[i] - lr * g
        path.append(_copy(x))
    return path


def rmsprop(grad, x0, steps, lr, alpha=0.99, eps=1e-8, momentum=0.0, centered=False, weight_decay=0.0):
    """Hinton's RMSprop as the torch.optim.RMSprop algorithm box has it (α is the decay).

    v ← α v + (1 − α) g²;  centered: ḡ ← α ḡ + (1 − α) g, ṽ = v − ḡ², else ṽ = v;
    momentum: b ← μ b + g / (√ṽ + ε), θ ← θ − γ b;  else θ ← θ − γ g / (√ṽ + ε).
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    v, g_avg, buf = [0.0] * n, [0.0] * n, [0.0] * n
    for _ in range(steps):
        g_all = grad(list(x))
        for i in range(n):
            g = g_all[i] + weight_decay * x[i]
            v[i] = alpha * v[i] + (1 - alpha) * g * g
            v_tilde = v[i]
            if centered:
                g_avg[i] = alpha * g_avg[i] + (1 - alpha) * g
                v_tilde = v_tilde - g_avg[i] ** 2
            if momentum > 0:
                buf[i] = momentum * buf[i] + g / (math.sqrt(v_tilde) + eps)
                x[i] = x[i] - lr * buf[i]
            else:
                x[i] = x[i] - lr * g / (math.sqrt(v_tilde) + eps)
        path.append(_copy(x))
    return path


def adagrad(grad, x0, steps, lr, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0, eps=1e-10):
    """Duchi, Hazan & Singer (2011), diagonal version, with torch's lr decay.

    γ̃ = γ / (1 + (t − 1) η);  G ← G + g²;  θ ← θ − γ̃ g / (√G + ε).
    """
    x = _copy(x0)
    path = [_copy(x)]
    total = [float(initial_accumulator_value)] * len(x)
    for t in range(1, steps + 1):
        g_all = grad(list(x))
        lr_t = lr / (1 + (t - 1) * lr_decay)
        for i in range(len(x)):
            g = g_all[i] + weight_decay * x[i]
            total[i] = total[i] + g * g
            x[i] = x[i] - lr_t * g / (math.sqrt(total[i]) + eps)
        path.append(_copy(x))
    return path


def adadelta(grad, x0, steps, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
    """Zeiler (2012), Algorithm 1, with torch's extra learning rate γ.

    E[g²] ← ρ E[g²] + (1 − ρ) g²;  Δ = −RMS[Δ]_{t−1} / RMS[g]_t · g  (RMS[y] = √(E[y²] + ε));
    E[Δ²] ← ρ E[Δ²] + (1 − ρ) Δ²;  θ ← θ + γ Δ.
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    eg2, edx2 = [0.0] * n, [0.0] * n
    for _ in range(steps):
        g_all = grad(list(x))
        for i in range(n):
            g = g_all[i] + weight_decay * x[i]
            eg2[i] = rho * eg2[i] + (1 - rho) * g * g
            dx = -math.sqrt(edx2[i] + eps) / math.sqrt(eg2[i] + eps) * g
            edx2[i] = rho * edx2[i] + (1 - rho) * dx * dx
            x[i] = x[i] + lr * dx
        path.append(_copy(x))
    return path


def adam(grad, x0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, amsgrad=False,
         decoupled_weight_decay=False, correct_m=True, correct_v=True):
    """Kingma & Ba (2015), Algorithm 1, in the torch.optim.Adam / AdamW form.

    m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;  m̂ = m / (1 − β₁ᵗ);  v̂ = v / (1 − β₂ᵗ);
    θ ← θ − α m̂ / (√v̂ + ε).
    L2 decay adds λθ to g; decoupled decay (Loshchilov & Hutter 2019) multiplies θ by
    (1 − αλ) first.  AMSGrad (Reddi et al. 2018): v_max ← max(v_max, v), v̂ = v_max / (1 − β₂ᵗ).
    ``correct_m``/``correct_v`` off replace the divisor 1 − βᵗ by 1.
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    m, v, v_max = [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g_all = grad(list(x))
        for i in range(n):
            g = g_all[i]
            if decoupled_weight_decay:
                x[i] = x[i] * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1**t) if correct_m else m[i]
            second = v[i]
            if amsgrad:
                v_max[i] = max(v_max[i], v[i])
                second = v_max[i]
            v_hat = second / (1 - beta2**t) if correct_v else second
            x[i] = x[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
        path.append(_copy(x))
    return path


def nadam(grad, x0, steps, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
          momentum_decay=4e-3, decoupled_weight_decay=False):
    """Dozat (2016) with the momentum schedule of the torch.optim.NAdam algorithm box.

    μ_t = β₁ (1 − ½ · 0.96^{tψ});  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²;
    m̂ = μ_{t+1} m / (1 − Π_{i≤t+1} μ_i) + (1 − μ_t) g / (1 − Π_{i≤t} μ_i);  v̂ = v / (1 − β₂ᵗ);
    θ ← θ − γ m̂ / (√v̂ + ε).
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    m, v = [0.0] * n, [0.0] * n
    mu_prod = 1.0
    for t in range(1, steps + 1):
        g_all = grad(list(x))
        mu_t = beta1 * (1 - 0.5 * 0.96 ** (t * momentum_decay))
        mu_next = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentum_decay))
        mu_prod = mu_prod * mu_t
        for i in range(n):
            g = g_all[i]
            if decoupled_weight_decay:
                x[i] = x[i] * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = mu_next * m[i] / (1 - mu_prod * mu_next) + (1 - mu_t) * g / (1 - mu_prod)
            v_hat = v[i] / (1 - beta2**t)
            x[i] = x[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
        path.append(_copy(x))
    return path


def radam(grad, x0, steps, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0,
          decoupled_weight_decay=False):
    """Liu et al. (2020), Algorithm 2, as in the torch.optim.RAdam box (ε outside the root).

    ρ∞ = 2/(1 − β₂) − 1;  ρ_t = ρ∞ − 2tβ₂ᵗ/(1 − β₂ᵗ);
    if ρ_t > 5: r_t = √((ρ_t − 4)(ρ_t − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρ_t)),
                l_t = √(1 − β₂ᵗ) / (√v + ε),  θ ← θ − γ m̂ r_t l_t;
    else:       θ ← θ − γ m̂.
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    m, v = [0.0] * n, [0.0] * n
    rho_inf = 2 / (1 - beta2) - 1
    for t in range(1, steps + 1):
        g_all = grad(list(x))
        rho_t = rho_inf - 2 * t * beta2**t / (1 - beta2**t)
        for i in range(n):
            g = g_all[i]
            if decoupled_weight_decay:
                x[i] = x[i] * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            m_hat = m[i] / (1 - beta1**t)
            if rho_t > 5:
                r_t = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
                l_t = math.sqrt(1 - beta2**t) / (math.sqrt(v[i]) + eps)
                x[i] = x[i] - lr * m_hat * r_t * l_t
            else:
                x[i] = x[i] - lr * m_hat
        path.append(_copy(x))
    return path


def adamax(grad, x0, steps, lr=2e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0):
    """Kingma & Ba (2015), Algorithm 2 (ε added to |g| as in the torch.optim.Adamax box).

    m ← β₁ m + (1 − β₁) g;  u ← max(β₂ u, |g| + ε);  θ ← θ − (α / (1 − β₁ᵗ)) m / u.
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    m, u = [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g_all = grad(list(x))
        for i in range(n):
            g = g_all[i] + weight_decay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            u[i] = max(beta2 * u[i], abs(g) + eps)
            x[i] = x[i] - (lr / (1 - beta1**t)) * m[i] / u[i]
        path.append(_copy(x))
    return path


def lion(grad, x0, steps, lr=1e-4, beta1=0.9, beta2=0.99, weight_decay=0.0):
    """Chen et al. (2023), arXiv 2302.06675, Algorithm 2.

    c ← β₁ m + (1 − β₁) g;  θ ← θ − η (sign(c) + λθ);  m ← β₂ m + (1 − β₂) g.
    """
    x = _copy(x0)
    path = [_copy(x)]
    m = [0.0] * len(x)
    for _ in range(steps):
        g_all = grad(list(x))
        for i in range(len(x)):
            g = g_all[i]
            c = beta1 * m[i] + (1 - beta1) * g
            sign = (c > 0) - (c < 0)
            x[i] = x[i] - lr * (sign + weight_decay * x[i])
            m[i] = beta2 * m[i] + (1 - beta2) * g
        path.append(_copy(x))
    return path


def adafactor(grad, x0, steps, lr=1e-2, beta2_decay=-0.8, eps1=None, eps2=1e-3, d=1.0, weight_decay=0.0,
              shape=None):
    """Shazeer & Stern (2018) as the torch.optim.Adafactor box has it, on a tensor of any shape.

    ``x0`` (and every point, and every gradient) is the tensor's entries in row-major order;
    ``shape`` is the tensor's shape (None: a vector).  Every step:

    β̂₂ₜ = 1 − t^c;  ρ_t = min(γ, 1/√t);  α_t = max(ε₂, RMS(θ)) ρ_t;  θ ← θ − γλθ;
    a tensor of two or more axes keeps, for each n×m matrix of its last two axes,
    R ← β̂₂ₜ R + (1 − β̂₂ₜ) (row means of g²),  C ← β̂₂ₜ C + (1 − β̂₂ₜ) (column means of g²),
    V = R Cᵀ / max(mean R, ε₁);  a vector or a scalar keeps V ← β̂₂ₜ V + (1 − β̂₂ₜ) g²;
    U = g / max(√V, ε₁);  θ ← θ − α_t U / max(1, RMS(U)/d).  RMS is over the whole tensor.
    """
    if eps1 is None:
        eps1 = 2.0**-52  # float64 machine epsilon
    x = _copy(x0)
    path = [_copy(x)]
    size = len(x)
    shape = (size,) if shape is None else tuple(shape)
    assert math.prod(shape) == size, "x0 must hold one number per entry of shape"
    factored = len(shape) >= 2
    if factored:
        n, m = shape[-2], shape[-1]
        slices = size // (n * m)
        row_var = [[0.0] * n for _ in range(slices)]
        col_var = [[0.0] * m for _ in range(slices)]
    else:
        var = [0.0] * size

    def where(i):
        """Flat index -> (matrix slice, row, column) over the last two axes."""
        return i // (n * m), (i // m) % n, i % m

    def rms(values):
        return math.sqrt(sum(value * value for value in values) / len(values))

    for t in range(1, steps + 1):
        g_all = grad(list(x))
        beta2_t = 1 - t**beta2_decay
        rho_t = min(lr, 1 / math.sqrt(t))
        alpha_t = max(eps2, rms(x)) * rho_t
        for i in range(size):
            x[i] = x[i] - lr * weight_decay * x[i]
        v_hat = [0.0] * size
        if factored:
            row_sum = [[0.0] * n for _ in range(slices)]
            col_sum = [[0.0] * m for _ in range(slices)]
            for i in range(size):
                k, r, c = where(i)
                row_sum[k][r] += g_all[i] ** 2
                col_sum[k][c] += g_all[i] ** 2
            for k in range(slices):
                for r in range(n):
                    row_var[k][r] = beta2_t * row_var[k][r] + (1 - beta2_t) * row_sum[k][r] / m
                for c in range(m):
                    col_var[k][c] = beta2_t * col_var[k][c] + (1 - beta2_t) * col_sum[k][c] / n
            for i in range(size):
                k, r, c = where(i)
                v_hat[i] = row_var[k][r] * col_var[k][c] / max(sum(row_var[k]) / n, eps1)
        else:
            for i in range(size):
                var[i] = beta2_t * var[i] + (1 - beta2_t) * g_all[i] ** 2
                v_hat[i] = var[i]
        u = [g_all[i] / max(math.sqrt(v_hat[i]), eps1) for i in range(size)]
        clip = max(1.0, rms(u) / d)
        for i in range(size):
            x[i] = x[i] - alpha_t * u[i] / clip
        path.append(_copy(x))
    return path


def adabound(grad, x0, steps, lr=1e-3, beta1=0.9, beta2=0.999, final_lr=0.1, gamma=1e-3, eps=1e-8,
             weight_decay=0.0, amsbound=False):
    """Luo et al. (2019), arXiv 1902.09843, as the authors' reference ``AdaBound.step`` computes it.

    g ← g + λθ;  m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²  (AMSBound: v_max ← max(v_max, v));
    s = α √(1 − β₂ᵗ) / (1 − β₁ᵗ);  lower = α* (1 − 1/(γt + 1));  upper = α* (1 + 1/(γt));
    η = min(max(s / (√v + ε), lower), upper);  θ ← θ − η m.
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    m, v, v_max = [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g_all = grad(list(x))
        step_size = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
        lower = final_lr * (1 - 1 / (gamma * t + 1))
        upper = final_lr * (1 + 1 / (gamma * t))
        for i in range(n):
            g = g_all[i] + weight_decay * x[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            second = v[i]
            if amsbound:
                v_max[i] = max(v_max[i], v[i])
                second = v_max[i]
            eta = min(max(step_size / (math.sqrt(second) + eps), lower), upper)
            x[i] = x[i] - eta * m[i]
        path.append(_copy(x))
    return path


def adam_scheduled(grad, x0, steps, lrs, beta1s, beta2=0.999, eps=1e-8, amsgrad=False, step_arg=False):
    """Adam whose α and β₁ change every step, as the popular tutorial's ``AdaptiveAdam`` runs it.

    At step t: β₁ ← beta1s[t−1] (``adjust_momentum``), α ← lrs[t−1];  m ← β₁ m + (1 − β₁) g;
    v ← β₂ v + (1 − β₂) g²  (AMSGrad: v_max ← max(v_max, v));  m̂ = m / (1 − β₁ᵗ) with the
    *current* β₁ (``self.beta1**self.t``);  θ ← θ − α m̂ / (√v̂ + ε).
    With ``step_arg`` the gradient is called as grad(point, t) (an online problem).
    """
    x = _copy(x0)
    path = [_copy(x)]
    n = len(x)
    m, v, v_max = [0.0] * n, [0.0] * n, [0.0] * n
    for t in range(1, steps + 1):
        g_all = grad(list(x), t) if step_arg else grad(list(x))
        lr, beta1 = lrs[t - 1], beta1s[t - 1]
        for i in range(n):
            g = g_all[i]
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            second = v[i]
            if amsgrad:
                v_max[i] = max(v_max[i], v[i])
                second = v_max[i]
            m_hat = m[i] / (1 - beta1**t)
            v_hat = second / (1 - beta2**t)
            x[i] = x[i] - lr * m_hat / (math.sqrt(v_hat) + eps)
        path.append(_copy(x))
    return path


REFERENCES = dict(sgd=sgd, rmsprop=rmsprop, adagrad=adagrad, adadelta=adadelta, adam=adam, nadam=nadam,
                  radam=radam, adamax=adamax, lion=lion, adafactor=adafactor, adabound=adabound)
