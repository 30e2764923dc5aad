"""The three pieces the lessons teach, shared by every optimizer that uses them.

The momentum page teaches :func:`ema`, the RMSprop page teaches :func:`ema` of g²,
the bias-correction page teaches :func:`bias_correction`.  Adam is written with exactly
these helpers, so "show the code" shows what the earlier lessons taught.
"""

import numpy as np
from numpy.typing import ArrayLike


def ema(average: ArrayLike, value: ArrayLike, decay: ArrayLike) -> np.ndarray:
    r"""Exponential moving average: :math:`a_t = \beta\,a_{t-1} + (1-\beta)\,x_t`.

    With :math:`a_0 = 0` this is :math:`a_t = (1-\beta)\sum_{k=1}^{t}\beta^{t-k}x_k`:
    the weight of a value ``k`` steps old is :math:`(1-\beta)\beta^k`, so the average
    looks back over roughly :math:`1/(1-\beta)` steps.
    """
    return decay * average + (1 - decay) * value


def bias_correction(beta: ArrayLike, t: ArrayLike) -> ArrayLike:
    r"""The total weight an :func:`ema` started at zero has after ``t`` steps: :math:`1-\beta^t`.

    Dividing by it turns the average into a weighted mean whose weights sum to one.
    """
    return 1 - beta**t


def select(switch, if_on, if_off):
    """``if_on`` where ``switch`` is true, else ``if_off``; plain ``if`` for a Python bool.

    Lets every switch (Nesterov, AMSGrad, the bias corrections) be an array that runs
    both settings side by side in one batched call.
    """
    if isinstance(switch, (bool, np.bool_)):
        return if_on if switch else if_off
    return np.where(switch, if_on, if_off)
