"""A pure-NumPy, torch-exact, batched optimizer library for the Adam course.

>>> import numpy as np, optimizers as opt
>>> s = opt.surfaces.get("parabola")
>>> traj = opt.run(opt.adam(0.1), s.grad, s.start, 50, loss_fn=s.loss)
>>> traj.params.shape
(51, 1)
"""

from . import surfaces
from .adam_family import adabound, adafactor, adam, adamax, adamw, lion, nadam, radam
from .base import Optimizer
from .moments import bias_correction, ema
from .run import Trajectory, run
from .sgd_family import adadelta, adagrad, rmsprop, sgd

__all__ = [
    "Optimizer", "Trajectory", "run", "surfaces", "ema", "bias_correction",
    "sgd", "rmsprop", "adagrad", "adadelta",
    "adam", "adamw", "nadam", "radam", "adamax", "adafactor", "lion", "adabound",
]
