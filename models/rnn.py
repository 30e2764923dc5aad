r"""An Elman RNN that predicts the next value of a series, trained by full backpropagation through time.

Forward, for inputs :math:`x_1..x_T` and :math:`h_0 = 0`:

.. math::
    h_t = \tanh(x_t W_x + h_{t-1} W_h + b),\qquad \hat y_t = h_t W_y + c,\qquad
    L = \frac{1}{BT}\sum_{b,t} (\hat y_t - y_t)^2

Backward (BPTT): the error at step t reaches every earlier step through :math:`h_{t-1}`.  Going
back from t = T with :math:`\delta_{T+1} = 0`:

.. math::
    \frac{\partial L}{\partial h_t} = \frac{\partial L}{\partial \hat y_t} W_y^\top + \delta_{t+1} W_h^\top,\qquad
    \delta_t = \frac{\partial L}{\partial h_t}\odot(1-h_t^2),\\
    \frac{\partial L}{\partial W_h} = \sum_t h_{t-1}^\top \delta_t,\quad
    \frac{\partial L}{\partial W_x} = \sum_t x_t^\top \delta_t,\quad
    \frac{\partial L}{\partial b} = \sum_t \delta_t

The popular tutorial stops after the first term (no :math:`\delta_{t+1} W_h^\top`: one step back),
also drops the tanh derivative and pairs :math:`\delta_t` with :math:`h_t` instead of :math:`h_{t-1}`;
its "gradient" is not the gradient of any loss.  ``one_step_grad`` reproduces it for comparison.

Parameters are one flat float64 vector θ: Wx (1, H), Wh (H, H), b (H), Wy (H, 1), c (1).
"""

import numpy as np

from . import flat


def shapes(hidden):
    return {"Wx": (1, hidden), "Wh": (hidden, hidden), "b": (hidden,), "Wy": (hidden, 1), "c": (1,)}


def n_params(hidden):
    return flat.n_params(shapes(hidden))


def unpack(theta, hidden):
    """Name -> view into the flat vector ``theta`` (writing to a view writes into θ)."""
    return flat.unpack(theta, shapes(hidden))


def init_params(hidden, seed=0):
    """Wx, Wy ~ N(0, 1/fan_in); Wh a random orthogonal matrix times 0.5 (a stable start); biases 0."""
    rng = np.random.default_rng(seed)
    theta = np.zeros(n_params(hidden))
    p = unpack(theta, hidden)
    p["Wx"][...] = rng.standard_normal((1, hidden))
    q, r = np.linalg.qr(rng.standard_normal((hidden, hidden)))
    p["Wh"][...] = 0.5 * q * np.sign(np.diag(r))
    p["Wy"][...] = rng.standard_normal((hidden, 1)) / np.sqrt(hidden)
    return theta


def forward(theta, x, hidden):
    """Predictions ŷ (B, T) and the hidden states h (T + 1, B, H), h[0] = 0, for inputs ``x`` (B, T)."""
    p = unpack(theta, hidden)
    batch, steps = x.shape
    h = np.zeros((steps + 1, batch, hidden))
    for t in range(steps):
        h[t + 1] = np.tanh(x[:, t:t + 1] * p["Wx"] + h[t] @ p["Wh"] + p["b"])
    y_hat = (h[1:] @ p["Wy"])[..., 0].T + p["c"]
    return y_hat, h


def loss(theta, x, y, hidden):
    """Mean squared error of the next-value predictions."""
    y_hat, _ = forward(theta, x, hidden)
    return float(np.mean((y_hat - y) ** 2))


def loss_and_grad(theta, x, y, hidden):
    """The mean squared error and its exact gradient, backpropagated through all T steps."""
    p = unpack(theta, hidden)
    y_hat, h = forward(theta, x, hidden)
    batch, steps = x.shape
    d_y = 2.0 * (y_hat - y) / (batch * steps)          # ∂L/∂ŷ, (B, T)

    grad = np.zeros_like(theta)
    g = unpack(grad, hidden)
    g["Wy"][...] = np.einsum("tbh,bt->h", h[1:], d_y)[:, None]
    g["c"][...] = d_y.sum()
    carry = np.zeros((batch, hidden))                  # δ_{t+1} W_hᵀ: what flows back from later steps
    for t in range(steps - 1, -1, -1):
        delta = (d_y[:, t:t + 1] * p["Wy"][:, 0] + carry) * (1.0 - h[t + 1] ** 2)
        g["Wh"] += h[t].T @ delta
        g["Wx"] += x[:, t:t + 1].T @ delta
        g["b"] += delta.sum(axis=0)
        carry = delta @ p["Wh"].T
    return float(np.mean((y_hat - y) ** 2)), grad


def one_step_grad(theta, x, y, hidden):
    """The popular tutorial's update direction, for comparison only: no flow back through time,
    no tanh derivative, and h_t where h_{t-1} belongs.  Not the gradient of the loss."""
    p = unpack(theta, hidden)
    y_hat, h = forward(theta, x, hidden)
    batch, steps = x.shape
    d_y = 2.0 * (y_hat - y) / (batch * steps)
    grad = np.zeros_like(theta)
    g = unpack(grad, hidden)
    g["Wy"][...] = np.einsum("tbh,bt->h", h[1:], d_y)[:, None]
    g["c"][...] = d_y.sum()
    for t in range(steps):
        d_h = d_y[:, t:t + 1] * p["Wy"][:, 0]
        g["Wx"] += x[:, t:t + 1].T @ d_h
        g["Wh"] += h[t + 1].T @ d_h
    return grad


def windows(series, length):
    """Every stretch of ``length`` inputs in ``series`` and the value after each input.

    Returns (x, y), each of shape (N, length): y[i, t] is the value that follows x[i, t].
    """
    series = np.asarray(series, dtype=np.float64)
    starts = np.arange(len(series) - length)
    index = starts[:, None] + np.arange(length)
    return series[index], series[index + 1]
