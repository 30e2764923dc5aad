"""Small NumPy models the course trains with its own optimizers: an MLP on the 8×8 digits and an
Elman RNN on a noisy sine.  Imports only NumPy and ``optimizers``.

Parameters are one flat float64 vector per model, so any optimizer from ``optimizers`` applies
to the whole model in one ``update`` call; :func:`models.mlp.unpack` and :func:`models.rnn.unpack`
give named views (W1, b1, ...) into it.
"""

from . import data, mlp, rnn, train

__all__ = ["data", "mlp", "rnn", "train"]
