"""A pure-NumPy, torch-exact, batched optimizer library for the Adam course.

The app imports this directory as ``optimizers``; ``pip install`` of the repository installs it as
``adam_course_core`` (distribution ``adam-course-core``, see pyproject.toml).  Its only dependency is NumPy.

>>> import numpy as np, optimizers as opt        # or: import adam_course_core as opt
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
