"""Which optimizers the pages show: label, fixed colour and marker, update rule, constructor.

Colours are the Okabe–Ito palette (colour-blind safe), its light orange and sky blue darkened to mid-tones
that read on the light and the dark theme (ui/palette.py), and never change between pages;
each optimizer also has its own marker symbol, so paths stay apart in grey-scale too.
"""

from dataclasses import dataclass
from types import MappingProxyType
from typing import Callable

import optimizers as opt

from . import palette


@dataclass(frozen=True)
class OptimizerSpec:
    key: str
    label: str
    color: str
    symbol: str
    latex: str          # the update rule, exactly as the core computes it
    summary: str        # one line: what it does / when to use it
    build: Callable     # hyperparameters dict -> optimizers.Optimizer


def _momentum(hp):
    return opt.sgd(hp["lr"], momentum=hp["momentum"])


def _adam(hp):
    return opt.adam(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"])


def _rmsprop(hp):
    return opt.rmsprop(hp["lr"], alpha=hp["rho"], eps=hp["eps"])


_SPECS = (
    OptimizerSpec(
        "sgd", "SGD", palette.AMBER, "circle",
        r"\theta_t = \theta_{t-1} - \alpha\, g_t",
        "Steps against the gradient, in proportion to it: big where the slope is steep, tiny where it is flat.",
        lambda hp: opt.sgd(hp["lr"])),
    OptimizerSpec(
        "momentum", "SGD + momentum", palette.SKY, "square",
        r"b_t = \mu\, b_{t-1} + g_t \;(b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \alpha\, b_t",
        "Accumulates past gradients (torch's sum form): speeds up along consistent directions, "
        "damps zigzags; the long-run step on a constant slope is α·g/(1−μ).",
        _momentum),
    OptimizerSpec(
        "rmsprop", "RMSprop", palette.BLUISH_GREEN, "diamond",
        r"v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2, \qquad "
        r"\theta_t = \theta_{t-1} - \alpha\, \frac{g_t}{\sqrt{v_t} + \varepsilon}",
        "Divides each coordinate by the root of its running mean of g²: under a constant gradient of any size "
        "its steps settle at α (ε aside); with no bias correction its first step is α/√(1−ρ).",
        _rmsprop),
    OptimizerSpec(
        "adam", "Adam", palette.VERMILLION, "triangle-up",
        r"\begin{gathered} m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2,"
        r"\\ \hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}, \quad "
        r"\theta_t = \theta_{t-1} - \alpha\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon} \end{gathered}",
        "Momentum on top of RMSprop's scaling, both bias-corrected: while ε is small next to |g|, its first step "
        "is α per coordinate and a constant gradient of any size keeps it there; on a changing slope β₁ and β₂ "
        "decide (below).",
        _adam),
)

CATALOG = MappingProxyType({spec.key: spec for spec in _SPECS})
