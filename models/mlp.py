r"""A one-hidden-layer perceptron for the 8×8 digits: forward pass, softmax cross-entropy, backward pass.

.. math::
    h = \tanh(x W_1 + b_1),\qquad z = h W_2 + b_2,\qquad
    p = \mathrm{softmax}(z),\qquad L = -\frac{1}{n}\sum_{i=1}^{n} \log p_{i, y_i}

and, by the chain rule (``backward``):

.. math::
    \frac{\partial L}{\partial z} = \frac{p - \mathrm{onehot}(y)}{n},\quad
    \frac{\partial L}{\partial W_2} = h^\top \frac{\partial L}{\partial z},\quad
    \frac{\partial L}{\partial h} = \frac{\partial L}{\partial z} W_2^\top,\quad
    \frac{\partial L}{\partial W_1} = x^\top\Big(\frac{\partial L}{\partial h}\odot(1-h^2)\Big)

All parameters live in one flat float64 vector θ (W1, b1, W2, b2 in that order), so one optimizer
``update`` moves the whole network; :func:`unpack` gives named views into it.
"""

from typing import NamedTuple

import numpy as np

from . import flat


class Sizes(NamedTuple):
    inputs: int = 64
    hidden: int = 32
    classes: int = 10


def shapes(sizes):
    """Name -> shape of each parameter block, in the order they sit in θ."""
    return {"W1": (sizes.inputs, sizes.hidden), "b1": (sizes.hidden,),
            "W2": (sizes.hidden, sizes.classes), "b2": (sizes.classes,)}


def n_params(sizes):
    return flat.n_params(shapes(sizes))


def unpack(theta, sizes):
    """Name -> view into the flat vector ``theta`` (writing to a view writes into θ)."""
    return flat.unpack(theta, shapes(sizes))


def init_params(sizes, seed=0):
    """Weights drawn N(0, 1/fan_in) (LeCun's scale, suited to tanh), biases 0; seeded."""
    rng = np.random.default_rng(seed)
    theta = np.zeros(n_params(sizes))
    blocks = unpack(theta, sizes)
    blocks["W1"][...] = rng.standard_normal(blocks["W1"].shape) / np.sqrt(sizes.inputs)
    blocks["W2"][...] = rng.standard_normal(blocks["W2"].shape) / np.sqrt(sizes.hidden)
    return theta


def forward(theta, x, sizes):
    """Hidden activations h and logits z for the inputs ``x`` (n, 64)."""
    p = unpack(theta, sizes)
    hidden = np.tanh(x @ p["W1"] + p["b1"])
    return hidden, hidden @ p["W2"] + p["b2"]


def log_softmax(logits):
    """log p, computed stably: z − max z − log Σ exp(z − max z)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def loss(theta, x, y, sizes):
    """Mean softmax cross-entropy of the labels ``y`` (n,) under the network."""
    _, logits = forward(theta, x, sizes)
    return float(-np.mean(log_softmax(logits)[np.arange(len(y)), y]))


def loss_and_grad(theta, x, y, sizes):
    """The mean cross-entropy and its gradient with respect to θ (same flat layout), by backpropagation."""
    p = unpack(theta, sizes)
    hidden, logits = forward(theta, x, sizes)
    log_p = log_softmax(logits)
    rows = np.arange(len(y))
    value = float(-np.mean(log_p[rows, y]))

    d_logits = np.exp(log_p)                      # ∂L/∂z = (p − onehot(y)) / n
    d_logits[rows, y] -= 1.0
    d_logits /= len(y)
    d_hidden = (d_logits @ p["W2"].T) * (1.0 - hidden * hidden)   # tanh' = 1 − tanh²

    grad = np.empty_like(theta)
    g = unpack(grad, sizes)
    g["W1"][...] = x.T @ d_hidden
    g["b1"][...] = d_hidden.sum(axis=0)
    g["W2"][...] = hidden.T @ d_logits
    g["b2"][...] = d_logits.sum(axis=0)
    return value, grad


def predict(theta, x, sizes):
    """The most probable class for each input."""
    return np.argmax(forward(theta, x, sizes)[1], axis=1)
