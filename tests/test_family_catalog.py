"""The family catalog: styles tell all fifteen apart, every LaTeX rule names the core's hyperparameters
(and nothing else), every entry builds and runs on every 2-D surface, and the Adafactor memory numbers
are the shapes of the core's state."""

import re

import numpy as np
import pytest

import optimizers as opt
from ui.catalog import CATALOG
from ui.controls import LR_OPTIONS
from lessons.family import state_memory, with_dashes
from ui.family import FAMILY, OKABE_ITO, SURFACE_PRESETS, default_settings, preset

EXPECTED = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw", "amsgrad", "nadam",
            "radam", "adamax", "adafactor", "lion", "adabound")
SURFACES_2D = [key for key, s in opt.surfaces.SURFACES.items() if s.dim == 2]
GREEK = ("alpha", "beta", "gamma", "delta", "Delta", "varepsilon", "epsilon", "eta", "lambda", "mu", "psi",
         "rho", "theta")
# The core's name for each optimizer's class of algorithm, as Optimizer.name says it.
CORE_NAMES = dict(sgd="SGD", momentum="SGD", nesterov="SGD", adagrad="Adagrad", rmsprop="RMSprop",
                  adadelta="Adadelta", adam="Adam", adamw="AdamW", amsgrad="Adam", nadam="NAdam", radam="RAdam",
                  adamax="Adamax", adafactor="Adafactor", lion="Lion", adabound="AdaBound")


def test_the_fifteen_are_there_in_the_course_order():
    assert tuple(FAMILY) == EXPECTED


def test_the_flagship_four_keep_their_catalog_style_and_rule():
    for key, spec in CATALOG.items():
        member = FAMILY[key]
        assert (member.label, member.color, member.symbol, member.latex) == \
               (spec.label, spec.color, spec.symbol, spec.latex)
        assert member.dash == "solid"


def test_every_member_is_told_apart_by_colour_blind_safe_styles():
    specs = list(FAMILY.values())
    assert all(s.color in OKABE_ITO for s in specs)
    assert len({s.symbol for s in specs}) == len(specs), "every optimizer has its own marker"
    assert len({(s.color, s.dash) for s in specs}) == len(specs), "no two share both colour and dash"
    assert {s.dash for s in specs} <= {"solid", "dash", "dot", "dashdot"}
    # Yellow (#F0E442) is too faint on the light surface background to draw a path with.
    assert "#F0E442" not in {s.color for s in specs}


@pytest.mark.parametrize("key", EXPECTED)
def test_the_builder_passes_the_settings_to_the_right_core_optimizer(key):
    settings = default_settings(key, "rosenbrock")
    built = FAMILY[key].build(settings)
    assert built.name == CORE_NAMES[key]
    for name, value in settings.items():
        core_name = "alpha" if (key, name) == ("rmsprop", "rho") else name
        assert built.hyperparams[core_name] == value, name
    switches = {"nesterov": "nesterov", "amsgrad": "amsgrad"}
    for member, switch in switches.items():
        assert FAMILY[member].build(default_settings(member, "bowl")).hyperparams[switch] is True


def _active(hyperparams):
    """The core hyperparameters that change what the update computes: nonzero numbers and True switches."""
    active = set()
    for name, value in hyperparams.items():
        if isinstance(value, tuple):
            if any(v != 0 for v in value):
                active.add(name)
        elif value is True or (not isinstance(value, bool) and value != 0):
            active.add(name)
    return active - {"correct_m", "correct_v"}     # teaching switches, always on outside their lesson


@pytest.mark.parametrize("key", EXPECTED)
def test_every_symbol_of_the_rule_is_a_core_hyperparameter_and_every_active_one_is_shown(key):
    spec = FAMILY[key]
    built = spec.build(default_settings(key, "bowl"))
    for symbol, name in spec.symbols.items():
        assert symbol in spec.latex, f"{symbol} is not in {key}'s rule"
        assert name in built.hyperparams, f"{name} is not a hyperparameter of the core's {built.name}"
    missing = _active(built.hyperparams) - set(spec.symbols.values())
    assert not missing, f"{key}'s rule does not show {missing}, which the core uses"
    assert set(spec.main) <= set(spec.symbols.values()) | {"rho"}, "every slider has its symbol in the rule"
    # Loosely, the other way round: no Greek letter that is neither a hyperparameter's symbol, θ,
    # nor a quantity the entry declares as derived (NAdam's μₜ, RAdam's ρₜ, ...).
    used = set(re.findall(r"\\(" + "|".join(GREEK) + r")\b", spec.latex))
    declared = {re.match(r"\\([A-Za-z]+)", s).group(1) for s in spec.symbols if s.startswith("\\")}
    assert used <= declared | {"theta"} | set(spec.derived), used - declared - {"theta"} - set(spec.derived)


def test_the_rules_mention_the_torch_details_the_brief_names():
    assert r"1 + (t-1)\,\eta" in FAMILY["adagrad"].latex                  # Adagrad's lr decay
    assert r"\alpha\, \Delta_t" in FAMILY["adadelta"].latex                # Adadelta's lr multiplier
    assert r"\rho_t \le 5" in FAMILY["radam"].latex                        # RAdam's threshold, as the core's `> 5.0`
    assert r"0.96^{t\psi}" in FAMILY["nadam"].latex                        # NAdam's momentum decay
    assert r"\min\bigl(\alpha, 1/\sqrt t\bigr)" in FAMILY["adafactor"].latex   # relative step
    assert r"\mathrm{RMS}(U_t)/d" in FAMILY["adafactor"].latex             # update clipping


def test_the_adadelta_rule_matches_one_step_of_the_core():
    """One step written from the LaTeX: Δ₁ = √ε/√((1−ρ)g² + ε)·g, θ₁ = θ₀ − αΔ₁."""
    hp = default_settings("adadelta", "bowl")
    g, theta = np.array([3.0, -0.5]), np.array([1.0, 2.0])
    o = FAMILY["adadelta"].build(hp)
    update, _ = o.update(g, o.init(theta), theta)
    delta = np.sqrt(hp["eps"]) / np.sqrt((1 - hp["rho"]) * g * g + hp["eps"]) * g
    np.testing.assert_allclose(update, -hp["lr"] * delta, rtol=1e-14)


def test_the_adabound_rule_matches_one_step_of_the_core():
    """At t = 1 from the LaTeX: m₁ = (1−β₁)g, v₁ = (1−β₂)g², η₁ = clip(α√(1−β₂)/(1−β₁)/(√v₁+ε), ...)."""
    hp = default_settings("adabound", "bowl")
    g, theta = np.array([3.0, -1e-3]), np.array([1.0, 2.0])
    o = FAMILY["adabound"].build(hp)
    update, _ = o.update(g, o.init(theta), theta)
    b1, b2, a_star, gamma = hp["beta1"], hp["beta2"], hp["final_lr"], hp["gamma"]
    m, v = (1 - b1) * g, (1 - b2) * g * g
    eta = np.clip(hp["lr"] * np.sqrt(1 - b2) / (1 - b1) / (np.sqrt(v) + hp["eps"]),
                  a_star * (1 - 1 / (gamma + 1)), a_star * (1 + 1 / gamma))
    np.testing.assert_allclose(update, -eta * m, rtol=1e-14)


@pytest.mark.parametrize("surface_key", sorted(opt.surfaces.SURFACES))
def test_defaults_are_slider_options_and_every_surface_has_a_preset(surface_key):
    assert preset(surface_key)["start"] == opt.surfaces.get(surface_key).start
    for key in EXPECTED:
        assert default_settings(key, surface_key)["lr"] in LR_OPTIONS


@pytest.mark.parametrize("surface_key", SURFACES_2D)
@pytest.mark.parametrize("key", EXPECTED)
def test_every_member_builds_and_runs_on_every_2d_surface(key, surface_key):
    """No exception; NaN divergence would be data (recorded in diverged_at), not an error."""
    surface = opt.surfaces.get(surface_key)
    steps = SURFACE_PRESETS[surface_key][2]
    traj = opt.run(FAMILY[key].build(default_settings(key, surface_key)), surface.grad,
                   np.array(surface.start), steps, loss_fn=surface.loss)
    assert traj.params.shape == (steps + 1, 2)
    finite = traj.diverged_at < 0
    assert finite == np.all(np.isfinite(traj.params))


@pytest.mark.parametrize("key", EXPECTED)
def test_the_defaults_do_not_diverge_on_the_course_surfaces(key):
    for surface_key, (_, _, steps) in SURFACE_PRESETS.items():
        surface = opt.surfaces.get(surface_key)
        traj = opt.run(FAMILY[key].build(default_settings(key, surface_key)), surface.grad,
                       np.array(surface.start, dtype=float), steps, loss_fn=surface.loss)
        assert traj.diverged_at < 0, (key, surface_key)
        assert np.max(np.abs(traj.params)) < 100, (key, surface_key)     # no flinging far off the map


@pytest.mark.parametrize("n, m", [(1, 1), (3, 5), (1024, 4096), (4096, 1)])
def test_adafactor_memory_is_n_plus_m_against_adams_2nm(n, m):
    memory = state_memory(n, m)
    adam, factor = memory["rows"]
    assert (adam["numbers"], factor["numbers"]) == (2 * n * m, n + m)
    assert dict(factor["arrays"]) == {"row_var": (n, 1), "col_var": (1, m)}
    assert memory["saving"] == pytest.approx(2 * n * m / (n + m))


def test_with_dashes_dashes_only_the_member_lines():
    spec = dict(data=[dict(type="scatter", mode="lines+markers", legendgroup="adamw", line=dict(color="#D55E00")),
                      dict(type="scatter", mode="markers", legendgroup="adamw", marker=dict(symbol="x")),
                      dict(type="scatter", mode="lines", name="f", line=dict(color="#888888"))])

    class Figure:
        def to_dict(self):
            return spec

    with_dashes(Figure())
    assert spec["data"][0]["line"] == dict(color="#D55E00", dash="dash")
    assert "line" not in spec["data"][1]
    assert spec["data"][2]["line"] == dict(color="#888888")
