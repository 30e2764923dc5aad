"""The whole family: fifteen optimizers, each with a fixed style, its update rule and a builder.

The flagship four (SGD, momentum, RMSprop, Adam) keep their :data:`ui.catalog.CATALOG` colour,
marker and LaTeX.  The other eleven reuse Okabe–Ito colours (colour-blind safe; yellow is left
out, it vanishes on the light surface) and tell themselves apart by a marker symbol of their own
and a line dash: every optimizer has a different symbol, and no two share both colour and dash.

Every LaTeX rule is the update the core computes (``optimizers/*.py``, torch's forms) with the
settings the builder passes; weight decay is 0 everywhere except AdamW, so no λ term is shown
elsewhere.  ``symbols`` maps each LaTeX symbol to the core hyperparameter it stands for; the
catalog test checks both directions against the built optimizer's ``hyperparams``.
"""

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable

import numpy as np

import optimizers as opt

from . import controls, palette
from .catalog import CATALOG

# Okabe–Ito as it reads on both themes (ui/palette.py): orange and sky blue darkened, yellow left out, black a grey.
OKABE_ITO = palette.SAFE_ON_BOTH

# Per surface: (a learning rate for gradient-sized steps, one for steps of about α, steps).
# SGD's step is α·g, so its α must fit the curvature; Adam-like steps are ≈ α whatever g is.
SURFACE_PRESETS = MappingProxyType({
    "parabola": (0.1, 0.1, 100),
    "two_wells": (0.02, 0.1, 100),
    "bowl": (0.1, 0.2, 150),
    "rotated_bowl": (0.1, 0.2, 150),
    "saddle": (0.05, 0.05, 150),
    "rosenbrock": (1e-3, 0.02, 500),
    "beale": (0.01, 0.05, 300),
    "himmelblau": (0.01, 0.1, 150),
    "rastrigin": (2e-3, 0.05, 200),
    "plateau": (0.5, 0.1, 200),
    "narrow_valley": (0.01, 0.05, 300),
})


@dataclass(frozen=True)
class FamilySpec:
    key: str
    label: str
    color: str
    symbol: str
    dash: str
    latex: str          # the update rule, exactly as the core computes it with these settings
    when: str           # one line: when to use it
    build: Callable     # hyperparameters dict -> optimizers.Optimizer
    defaults: dict      # surface-independent settings (the learning rate comes from SURFACE_PRESETS)
    lr_kind: str        # "gradient": α multiplies g; "step": steps of about α; "fixed": keep defaults["lr"]
    main: tuple         # the hyperparameters the page offers as sliders, lr first
    symbols: dict = field(default_factory=dict)   # LaTeX symbol -> core hyperparameter name
    derived: tuple = ()  # Greek letters the rule uses for derived quantities, not hyperparameters
    lr_scale: float = 1.0       # times the surface's learning rate (snapped to the slider's options)
    lr_overrides: dict = field(default_factory=dict)   # surface -> learning rate, where the rule above fails


def _flagship(key, **fields):
    """A flagship entry: CATALOG's label, colour, symbol and rule, solid line."""
    spec = CATALOG[key]
    return FamilySpec(key, spec.label, spec.color, spec.symbol, "solid", spec.latex, **fields)


_ADAM_MOMENTS = r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad v_t = \beta_2 v_{t-1} + (1-\beta_2) g_t^2"
_ADAM_HATS = r"\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}"
_ADAM_SYMBOLS = {r"\alpha": "lr", r"\beta_1": "beta1", r"\beta_2": "beta2", r"\varepsilon": "eps"}

_SPECS = (
    _flagship(
        "sgd", when="The baseline; with a tuned α and a schedule it still generalises well on many vision tasks.",
        build=lambda hp: opt.sgd(hp["lr"]), defaults={}, lr_kind="gradient", main=("lr",),
        symbols={r"\alpha": "lr"}),
    _flagship(
        "momentum", when="SGD's default in practice: faster along consistent directions, less zigzag across valleys.",
        build=lambda hp: opt.sgd(hp["lr"], momentum=hp["momentum"]), defaults={"momentum": 0.9},
        lr_kind="gradient", main=("lr", "momentum"), symbols={r"\alpha": "lr", r"\mu": "momentum"},
        lr_overrides={"beale": 2e-3}),      # α = 0.01 with μ = 0.9 diverges on Beale's steep walls
    FamilySpec(
        "nesterov", "Nesterov", "#0072B2", "pentagon", "dash",
        r"b_t = \mu\, b_{t-1} + g_t \;(b_1 = g_1), \qquad \theta_t = \theta_{t-1} - \alpha\,(g_t + \mu\, b_t)",
        "Momentum that looks ahead (torch's form): a little less overshoot than heavy ball, same cost.",
        lambda hp: opt.sgd(hp["lr"], momentum=hp["momentum"], nesterov=True), {"momentum": 0.9},
        "gradient", ("lr", "momentum"), {r"\alpha": "lr", r"\mu": "momentum", r"g_t + \mu\, b_t": "nesterov"},
        lr_overrides={"beale": 2e-3}),
    FamilySpec(
        "adagrad", "Adagrad", palette.GREY, "cross", "solid",
        r"G_t = G_{t-1} + g_t^2 \;(G_0 = 0), \qquad "
        r"\theta_t = \theta_{t-1} - \frac{\alpha}{1 + (t-1)\,\eta}\, \frac{g_t}{\sqrt{G_t} + \varepsilon}",
        "Sparse features (rare words, click data): rare coordinates keep large steps; the steps shrink for ever.",
        lambda hp: opt.adagrad(hp["lr"], lr_decay=hp["lr_decay"], eps=hp["eps"]),
        {"lr_decay": 0.0, "eps": 1e-10}, "step", ("lr", "lr_decay"),
        {r"\alpha": "lr", r"\eta": "lr_decay", r"\varepsilon": "eps"},
        lr_scale=5.0),          # its steps shrink like 1/√t: it needs a larger α to get anywhere
    _flagship(
        "rmsprop", when="Recurrent nets and reinforcement learning; Adam without momentum or bias correction.",
        build=lambda hp: opt.rmsprop(hp["lr"], alpha=hp["rho"], eps=hp["eps"]), defaults={"rho": 0.99, "eps": 1e-8},
        lr_kind="step", main=("lr", "rho"), symbols={r"\alpha": "lr", r"\rho": "alpha", r"\varepsilon": "eps"}),
    FamilySpec(
        "adadelta", "Adadelta", "#009E73", "hourglass", "dot",
        r"\begin{gathered} v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2, \quad "
        r"\Delta_t = \frac{\sqrt{u_{t-1} + \varepsilon}}{\sqrt{v_t + \varepsilon}}\, g_t, \\ "
        r"u_t = \rho\, u_{t-1} + (1-\rho)\, \Delta_t^2, \quad \theta_t = \theta_{t-1} - \alpha\, \Delta_t \end{gathered}",
        # True at every setting: Δ₁ = √ε·g₁/√((1−ρ)g₁² + ε), i.e. α√ε/√(1−ρ) once (1−ρ)g₁² ≫ ε.
        "When you want no learning rate to tune (α = 1); its first step is about α√ε/√(1−ρ) "
        "(3.2·10⁻³ at torch's ρ = 0.9, ε = 10⁻⁶), so it starts tiny and can be very slow.",
        lambda hp: opt.adadelta(hp["lr"], rho=hp["rho"], eps=hp["eps"]), {"lr": 1.0, "rho": 0.9, "eps": 1e-6},
        "fixed", ("lr", "rho"), {r"\alpha": "lr", r"\rho": "rho", r"\varepsilon": "eps"}, derived=("Delta",)),
    _flagship(
        "adam", when="The default first try for most deep nets: little tuning, robust to the gradient's scale.",
        build=lambda hp: opt.adam(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"]),
        defaults={"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, lr_kind="step", main=("lr", "beta1", "beta2"),
        symbols=_ADAM_SYMBOLS),
    FamilySpec(
        "adamw", "AdamW", "#D55E00", "triangle-down", "dash",
        r"\begin{gathered} " + _ADAM_MOMENTS + r", \\ " + _ADAM_HATS + r", \quad "
        r"\theta_t = \theta_{t-1}(1 - \alpha\lambda) - \alpha\, \frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon} \end{gathered}",
        "Adam with weight decay that works: the default for transformers; decay is not rescaled by √v̂.",
        lambda hp: opt.adamw(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"],
                             weight_decay=hp["weight_decay"]),
        {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "weight_decay": 0.01}, "step", ("lr", "weight_decay"),
        {**_ADAM_SYMBOLS, r"\lambda": "weight_decay", r"\theta_{t-1}(1 - \alpha\lambda)": "decoupled_weight_decay"}),
    FamilySpec(
        "amsgrad", "AMSGrad", "#D55E00", "triangle-left", "dot",
        r"\begin{gathered} " + _ADAM_MOMENTS + r", \quad v^{\max}_t = \max(v^{\max}_{t-1}, v_t), \\ "
        r"\theta_t = \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\, "
        r"\frac{m_t}{\sqrt{v^{\max}_t / (1-\beta_2^t)} + \varepsilon} \end{gathered}",
        # True at every setting: torch divides v_max by 1 − β₂ᵗ, which grows, so α/√v̂_max can grow.
        "Adam's convergence fix, a running max of v: in the paper's form (no bias correction) step sizes "
        "never grow back; torch's divides the max by 1 − β₂ᵗ, so early on they still can. Rarely better in practice.",
        lambda hp: opt.adam(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"], amsgrad=True),
        {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, "step", ("lr", "beta2"),
        {**_ADAM_SYMBOLS, r"v^{\max}": "amsgrad"}),
    FamilySpec(
        "nadam", "NAdam", "#CC79A7", "star", "solid",
        r"\begin{gathered} \mu_t = \beta_1 \bigl(1 - \tfrac12\, 0.96^{t\psi}\bigr), \quad " + _ADAM_MOMENTS + r", \\ "
        r"\theta_t = \theta_{t-1} - \alpha \Bigl(\frac{1-\mu_t}{1 - \prod_{i \le t} \mu_i}\, g_t "
        r"+ \frac{\mu_{t+1}}{1 - \prod_{i \le t+1} \mu_i}\, m_t\Bigr) \Big/ "
        r"\Bigl(\sqrt{v_t / (1-\beta_2^t)} + \varepsilon\Bigr) \end{gathered}",
        "Adam with Nesterov's look-ahead and a momentum warm-up (ψ): often a little faster than Adam.",
        lambda hp: opt.nadam(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"],
                             momentum_decay=hp["momentum_decay"]),
        {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "momentum_decay": 4e-3}, "step", ("lr", "momentum_decay"),
        {**_ADAM_SYMBOLS, r"\psi": "momentum_decay"}, derived=("mu",)),
    FamilySpec(
        "radam", "RAdam", "#CC79A7", "hexagon", "dash",
        r"\begin{gathered} " + _ADAM_MOMENTS + r", \quad \hat m_t = \frac{m_t}{1-\beta_1^t}, \\ "
        r"\rho_\infty = \frac{2}{1-\beta_2} - 1, \quad \rho_t = \rho_\infty - \frac{2t\beta_2^t}{1-\beta_2^t}, \quad "
        r"r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}, \\ "
        r"\theta_t = \theta_{t-1} - \alpha\, \hat m_t \;\text{ while } \rho_t \le 5, \quad \text{then} \quad "
        r"\theta_t = \theta_{t-1} - \alpha\, \hat m_t\, r_t\, \frac{\sqrt{1-\beta_2^t}}{\sqrt{v_t} + \varepsilon}"
        r" \end{gathered}",
        "Adam without a warm-up schedule: plain momentum steps until v̂ has seen enough gradients.",
        lambda hp: opt.radam(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"]),
        {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, "step", ("lr", "beta2"), dict(_ADAM_SYMBOLS),
        derived=("rho",),
        # its first steps are α·m̂ (momentum SGD): an α made for steps of size α flings it away where g is large
        lr_overrides={"rosenbrock": 5e-3, "beale": 5e-3, "himmelblau": 0.02}),
    FamilySpec(
        "adamax", "Adamax", "#0072B2", "x", "dot",
        r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad u_t = \max(\beta_2 u_{t-1},\, |g_t| + \varepsilon), \quad "
        r"\theta_t = \theta_{t-1} - \frac{\alpha}{1-\beta_1^t}\, \frac{m_t}{u_t}",
        "Adam with the largest recent |g| instead of the RMS: steadier when gradients have rare huge spikes.",
        lambda hp: opt.adamax(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], eps=hp["eps"]),
        {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, "step", ("lr", "beta1"), dict(_ADAM_SYMBOLS)),
    FamilySpec(
        "adafactor", "Adafactor", "#0072B2", "bowtie", "dashdot",
        r"\begin{gathered} \hat\beta_{2,t} = 1 - t^{c}, \quad v_t = \hat\beta_{2,t}\, v_{t-1} + (1-\hat\beta_{2,t})\, g_t^2"
        r" \quad \bigl(\text{a matrix: } \hat V_t = R_t C_t / \max(\bar R_t, \varepsilon_1)\bigr), \\ "
        r"U_t = \frac{g_t}{\sqrt{\max(v_t, \varepsilon_1^2)}}, \quad "
        r"\alpha_t = \max\bigl(\varepsilon_2, \mathrm{RMS}(\theta_{t-1})\bigr) \min\bigl(\alpha, 1/\sqrt t\bigr), \quad "
        r"\theta_t = \theta_{t-1} - \frac{\alpha_t}{\max\bigl(1, \mathrm{RMS}(U_t)/d\bigr)}\, U_t \end{gathered}",
        "Huge models short of memory: a matrix's second moment in n + m numbers, steps relative to the weights' size.",
        lambda hp: opt.adafactor(hp["lr"], beta2_decay=hp["beta2_decay"], d=hp["d"]),
        {"beta2_decay": -0.8, "d": 1.0}, "step", ("lr", "beta2_decay"),
        {r"\alpha": "lr", "t^{c}": "beta2_decay", r"\varepsilon_1": "eps", r"\varepsilon_2": "eps", "/d": "d"},
        derived=("beta", "alpha")),
    FamilySpec(
        "lion", "Lion", palette.GREY, "star-triangle-up", "dash",
        r"c_t = \beta_1 m_{t-1} + (1-\beta_1) g_t, \quad \theta_t = \theta_{t-1} - \alpha\, \mathrm{sign}(c_t), \quad "
        r"m_t = \beta_2 m_{t-1} + (1-\beta_2) g_t",
        "Large vision and language models on a memory budget: one moment only, every step exactly ±α.",
        lambda hp: opt.lion(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"]),
        {"beta1": 0.9, "beta2": 0.99}, "step", ("lr", "beta1"),
        {r"\alpha": "lr", r"\beta_1": "beta1", r"\beta_2": "beta2"}),
    FamilySpec(
        "adabound", "AdaBound", palette.AMBER, "hexagram", "dashdot",
        r"\begin{gathered} " + _ADAM_MOMENTS + r", \\ "
        r"\eta_t = \mathrm{clip}\Bigl(\frac{\alpha\sqrt{1-\beta_2^t}/(1-\beta_1^t)}{\sqrt{v_t} + \varepsilon},\ "
        r"\alpha^*\bigl(1 - \tfrac{1}{\gamma t + 1}\bigr),\ \alpha^*\bigl(1 + \tfrac{1}{\gamma t}\bigr)\Bigr), \quad "
        r"\theta_t = \theta_{t-1} - \eta_t\, m_t \end{gathered}",
        "Starts as Adam and turns into SGD with rate α* as γt grows: for when SGD's final accuracy matters.",
        lambda hp: opt.adabound(hp["lr"], beta1=hp["beta1"], beta2=hp["beta2"], final_lr=hp["final_lr"],
                                gamma=hp["gamma"], eps=hp["eps"]),
        {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "gamma": 0.01}, "step", ("lr", "final_lr", "gamma"),
        {**_ADAM_SYMBOLS, r"\alpha^*": "final_lr", r"\gamma": "gamma"}, derived=("eta",)),
)

FAMILY = MappingProxyType({spec.key: spec for spec in _SPECS})


def default_settings(key, surface_key):
    """An optimizer's default hyperparameters on a surface (the learning rate depends on the surface)."""
    spec = FAMILY[key]
    gradient_lr, step_lr, _ = SURFACE_PRESETS[surface_key]
    settings = dict(spec.defaults)
    if spec.lr_kind != "fixed":
        base = gradient_lr if spec.lr_kind == "gradient" else step_lr
        settings["lr"] = spec.lr_overrides.get(surface_key, _nearest_lr(base * spec.lr_scale))
    if key == "adabound":
        settings["final_lr"] = gradient_lr       # α*: the SGD rate it ends as
    return settings


def _nearest_lr(value):
    """The learning-rate slider's option closest to ``value`` on a log scale."""
    return min(controls.LR_OPTIONS, key=lambda option: abs(np.log(option / value)))


def preset(surface_key):
    """The start point and step count of a surface, in the shape controls.start_and_steps reads."""
    return {"start": opt.surfaces.get(surface_key).start, "steps": SURFACE_PRESETS[surface_key][2]}


# ---- the sliders --------------------------------------------------------------------------


# ---- the cached core calls ----------------------------------------------------------------


# ---- Adafactor's memory on a matrix ---------------------------------------------------------


