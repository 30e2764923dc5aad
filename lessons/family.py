"""The family lesson (pages/optimizer-family.py): its widgets, cached runs, figure touches and the
Adafactor memory table. The catalog of the fifteen (``FAMILY``) is in ui/family.py, shared with the
training lesson.
"""

import numpy as np
import streamlit as st

import optimizers as opt
from ui import controls
from ui.family import FAMILY, default_settings
from ui.divergence import diverging_from, short_number, stop_kind
from ui.words import plural
from ui.runs import Path, first_step_size, spec_path


DEFAULT_SHOWN = ("sgd", "momentum", "rmsprop", "adam", "nadam", "adabound")
WEIGHT_DECAYS = (0.0, 1e-3, 1e-2, 0.05, 0.1, 0.3, 1.0)
LR_DECAYS = (0.0, 1e-3, 1e-2, 0.1, 1.0)
MOMENTUM_DECAYS = (0.0, 1e-3, 4e-3, 1e-2, 0.04, 0.1, 1.0)
GAMMAS = (1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0)
# True for every γ (tests/test_truth_family.py checks it on core runs).
GAMMA_HELP = ("The band is [α*(1 − 1/(γt+1)), α*(1 + 1/(γt))]: at t = 1/γ it is still [α*/2, 2α*]; "
              "from t = 10/γ on it lies within 10 % of α*, and AdaBound is nearly SGD with rate α*.")


def hyperparameter_slider(page, name, param, default):
    """One hyperparameter's URL-bound slider (the controls helpers, with this family's labels)."""
    if param == "lr":
        return controls.lr_slider(page, name, default)
    if param == "final_lr":
        return controls.option_slider(page, name, "α* (the SGD rate it ends as)", controls.LR_OPTIONS, default,
                                      "Both bounds of the step size close in on α* as γt grows. Log scale.")
    if param == "momentum":
        return controls.number_slider(page, name, "μ (momentum)", 0.0, 0.99, default, 0.01,
                                      "The fraction of the accumulated velocity kept each step.")
    if param == "beta1":
        return controls.beta1_slider(page, name, default)
    if param == "beta2":
        return controls.beta2_slider(page, name, default)
    if param == "eps":
        return controls.eps_slider(page, name, default)
    if param == "rho":
        return controls.beta2_slider(page, name, default, label="ρ (decay of the g² average)")
    if param == "weight_decay":
        return controls.option_slider(page, name, "λ (weight decay)", WEIGHT_DECAYS, default,
                                      "Each step shrinks θ by the factor 1 − αλ before Adam's step.")
    if param == "lr_decay":
        return controls.option_slider(page, name, "η (learning-rate decay)", LR_DECAYS, default,
                                      "torch's Adagrad divides α by 1 + (t − 1)η.")
    if param == "momentum_decay":
        return controls.option_slider(page, name, "ψ (momentum decay)", MOMENTUM_DECAYS, default,
                                      "How fast NAdam's momentum μₜ warms up to β₁; torch's default is 4e-3.")
    if param == "beta2_decay":
        return controls.number_slider(page, name, "c (decay exponent: 1 − β̂₂,ₜ = tᶜ)", -1.0, 0.0, default, 0.05,
                                      "c = −0.8 is the default; c = 0 keeps only the latest g², "
                                      "c = −1 averages all of them equally.")
    if param == "gamma":
        return controls.option_slider(page, name, "γ (how fast the bounds close)", GAMMAS, default, GAMMA_HELP)
    raise KeyError(param)


def optimizer_settings(page, surface_key, key):
    """The sliders of one family member (its main hyperparameters); returns its full settings."""
    settings = default_settings(key, surface_key)
    for param in FAMILY[key].main:
        settings[param] = hyperparameter_slider(page, controls.key_of(surface_key, key, param), param, settings[param])
    return settings


def chosen_optimizers(page, label):
    """Pills to switch each optimizer on or off, bound to the URL (``?{page}_show=SGD&...``).

    The link is read by ``controls.read_labels``: labels that name no optimizer are dropped with
    a notice naming what is shown instead; ``?{page}_show=`` (how Streamlit writes "none chosen")
    shows none.  The URL is made to say the result before the pills are created.
    """
    key = controls.key_of(page, "show")
    labels = {spec.label: spec.key for spec in FAMILY.values()}
    default_labels = [FAMILY[k].label for k in DEFAULT_SHOWN]
    raws = controls.link_values(key)
    reading = controls.read_labels(raws, labels, default_labels)
    notice = None if reading.reason is None else chosen_notice(key, reading.reason, reading.value, labels)
    # The URL names the chosen labels, "" for none; the default set by no key (or by its own labels).
    url_values = reading.value or [""]
    if reading.value == default_labels and raws != default_labels:
        url_values = []
    controls.settle_link(key, raws, url_values, notice)
    chosen = st.pills(label, options=list(FAMILY), default=list(DEFAULT_SHOWN), selection_mode="multi",
                      format_func=lambda k: FAMILY[k].label, key=key, bind="query-params",
                      help="Switch any optimizer on or off; each one chosen gets its own settings below.")
    chosen = [k for k in FAMILY if k in (chosen or [])]
    controls.remember_shown(key, ", ".join(FAMILY[k].label for k in chosen) or "none")
    return chosen


def chosen_notice(key, unknown, shown, labels):
    """The sentence for a link whose ``{page}_show`` values (``unknown``, already quoted) name no optimizer."""
    return (f"The link chose {unknown} (`{key}`), which names no optimizer here; ignored, showing "
            f"{', '.join(shown)}. The optimizers are: {', '.join(labels)}.")


@st.cache_data(max_entries=1024, show_spinner=False)
def run_member(key: str, hyper: tuple, surface_key: str, start: tuple, steps: int) -> Path:
    """Run one family member on one surface; ``hyper`` is a sorted tuple of (name, value)."""
    return spec_path(FAMILY[key], opt.surfaces.get(surface_key), dict(hyper), start, steps)


def run_members(settings: dict, surface_key: str, start: tuple, steps: int) -> list:
    """``settings``: optimizer key -> hyperparameter dict.  One cached run each."""
    return [run_member(key, tuple(sorted(hp.items())), surface_key, tuple(start), int(steps))
            for key, hp in settings.items()]


def last_finite_step(path):
    """The index of the run's last finite point."""
    return len(path.points) - 1 if path.diverged_at < 0 else path.diverged_at - 1


def table_rows(paths, surface, tolerance=1e-3):
    """The read-out table, every number written short (2.7×10¹²⁹, never 2.7e+129), with the step from
    which a run is diverging (ui/divergence.py's rule) beside the step where it stopped being finite."""
    rows = []
    for path in paths:
        if path.error is not None:
            continue
        end = last_finite_step(path)
        close = np.flatnonzero(path.distances[:end + 1] <= tolerance)
        blowup = diverging_from(path.losses, surface.min_value)
        rows.append({
            "optimizer": path.label,
            "size of step 1 |θ₁ − θ₀|": short_number(first_step_size(path)),
            "final point": ", ".join(short_number(v, 6) for v in path.points[end]),
            "final loss": short_number(path.losses[end]),
            "distance to the nearest minimum": short_number(path.distances[end]),
            f"steps to reach within {tolerance:g} of a minimum": str(close[0]) if close.size else "not reached",
            "diverging from step": str(blowup) if blowup >= 0 else "—",
            "not finite from step": str(path.diverged_at) if path.diverged_at >= 0 else "—",
        })
    return rows


def run_note(path, surface, hyper):
    """A warning for a run that blew up, is blowing up, or stopped on a NaN; None for a healthy run.

    The cause is told apart by the numbers: a run whose loss gap grew past 10⁶·max(gap₀, 1) before it
    stopped overflowed; one that stopped without that made a NaN out of normal-sized numbers (0/0).
    """
    end = last_finite_step(path)
    blowup = diverging_from(path.losses, surface.min_value)
    grown = (f"from step {blowup} on, its loss above the minimum stays over 10⁶ times the start's "
             f"({short_number(path.losses[0] - surface.min_value)}) and over 10⁶")
    kind = stop_kind(path.losses, surface.min_value, path.diverged_at)
    if kind == "overflow":
        return (f"**{path.label} diverged at step {path.diverged_at}**, where its numbers overflowed float64; "
                f"{grown}. Its steps are too large for this surface; lower its α.")
    if kind == "nan":
        why = (" With ε = 0, a coordinate whose gradient has been exactly 0 divides 0 by 0; any ε > 0 avoids it."
               if hyper.get("eps", 1.0) == 0 else "")
        return (f"**{path.label} stopped at step {path.diverged_at}**: its update was not a number (NaN) while its "
                f"numbers were still of normal size, not a too-large step (its last point is "
                f"{', '.join(short_number(v) for v in path.points[end])}).{why}")
    if blowup >= 0:
        return (f"**{path.label} is diverging**: {grown}. After {end} steps it is still finite, at loss "
                f"{short_number(path.losses[end])}; its steps are too large for this surface: lower its α.")
    return None


def with_dashes(figure):
    """Give each family member's lines its dash (the figure builders draw every line solid).

    Only line traces of a member's ``legendgroup`` change; the markers keep their symbols, and the white
    casing under a path on a surface (ui/figures) stays solid.
    """
    for trace in figure.to_dict()["data"]:
        spec = FAMILY.get(trace.get("legendgroup"))
        casing = str(trace.get("name", "")).endswith("(casing)")
        if spec is not None and not casing and "lines" in trace.get("mode", "") and "line" in trace:
            trace["line"] = dict(trace["line"], dash=spec.dash)
    return figure


def step_lengths(path):
    """|θ_t − θ_{t−1}| per coordinate, for every step before divergence: ``(steps, D)``."""
    end = len(path.points) if path.diverged_at < 0 else path.diverged_at
    return np.abs(np.diff(path.points[:end], axis=0))


def lion_settings(settings, surface_key):
    """Lion's hyperparameters for the quiz: the page's when it is switched on, its defaults otherwise."""
    return settings.get("lion", default_settings("lion", surface_key))


def lion_reveal(hyper, surface_key, start, steps):
    """The quiz's answer, from Lion's run with ``hyper``: the range of its per-coordinate steps |Δθ|.

    Called only when the learner reveals, so the page runs no Lion it does not show otherwise.
    """
    path = run_member("lion", tuple(sorted(hyper.items())), surface_key, tuple(start), int(steps))
    lengths = step_lengths(path) if path.error is None else np.empty((0,))
    if not lengths.size:
        return "Lion took no finite step with these settings, so there is nothing to measure; lower its α."
    return (f"Over the {plural(len(lengths), 'step')} the core ran, Lion's per-coordinate step |Δθ| ranged from "
            f"**{short_number(lengths.min(), 6)}** to **{short_number(lengths.max(), 6)}**. Lion moves by "
            "α·sign(cₜ): the sign throws the gradient's size away, so every coordinate moves by exactly ±α "
            "(0 only where cₜ = 0), however near the minimum it is. " + lion_near_minimum(path, hyper["lr"]))


def lion_near_minimum(path, lr):
    """What Lion's run does once it is near the minimum, in units of α (``path.distances``: Euclidean distance to
    the nearest minimum): when it first comes within one step (α per coordinate, α√D in all) of it, the largest
    distance it swings back out to after that, and where it ends."""
    end = len(path.points) - 1 if path.diverged_at < 0 else path.diverged_at - 1
    dims = path.points.shape[1]
    distances = np.asarray(path.distances[:end + 1], dtype=float) / lr
    one_step = np.sqrt(dims)
    near = np.flatnonzero(distances <= one_step)
    if not near.size:
        return (f"In this run it never comes within one step of the minimum: after {plural(end, 'step')} it is still "
                f"{short_number(distances[end] * lr)} = {short_number(distances[end], 3)}α away.")
    k = int(near[0])
    after = distances[k:]
    far = int(np.argmax(after))
    ending = f"it ends {short_number(distances[end] * lr)} = {short_number(distances[end], 3)}α from it"
    if after[far] <= 1.5 * one_step:
        return (f"In this run it first comes within one step of the minimum at step {k} and then stays within "
                f"{short_number(after[far], 3)}α of it, hopping around it; {ending}.")
    return (f"In this run it first comes within one step of the minimum at step {k}, but its momentum cₜ keeps the "
            f"old sign for a while, so it swings back out to {short_number(after[far] * lr)} = "
            f"{short_number(after[far], 3)}α from the minimum (step {k + far}) instead of hopping at distance α; "
            f"{ending}.")


def memory_sentence(n, m, memory):
    """Adam's and Adafactor's numbers of state for an n×m weight, and how many times fewer Adafactor keeps."""
    adam_row, factor_row = memory["rows"]
    saving = memory["saving"]
    times = ("the same number" if adam_row["numbers"] == factor_row["numbers"] else
             f"**{saving:,.1f}×** fewer" if saving > 1 else f"**{1 / saving:,.1f}×** more")
    count = memory["weights"]
    return (f"For a {n:,}×{m:,} weight ({count:,} number{'' if count == 1 else 's'}) "
            f"Adam keeps **{adam_row['numbers']:,}** numbers of state and Adafactor **{factor_row['numbers']:,}**: "
            f"{times}.")


# The state arrays each optimizer reads when updating one parameter (torch allocates only these;
# the core's Adam keeps a v_max placeholder that only AMSGrad uses).
STATE_FIELDS = {"adam": ("m", "v"), "adafactor": ("row_var", "col_var")}


@st.cache_data(max_entries=64, show_spinner=False)
def state_memory(n: int, m: int) -> list:
    """Initialise Adam and Adafactor (``param_ndim=2``) on an n×m weight and read their state shapes.

    Returns ``weights`` (nm), ``rows``: one per optimizer with its label, ``arrays`` [(field, shape)],
    ``numbers`` of state and ``per_weight``, and ``saving``, Adam's numbers over Adafactor's.
    Adam's m and v are n×m each, 2nm in all; Adafactor keeps a row mean R (n×1) and a column mean
    C (1×m), n + m.
    """
    weight = np.zeros((int(n), int(m)))
    rows = []
    for key, optimizer in (("adam", opt.adam()), ("adafactor", opt.adafactor(param_ndim=2))):
        state = optimizer.init(weight)
        shapes = [(name, tuple(int(k) for k in np.shape(getattr(state, name)))) for name in STATE_FIELDS[key]]
        numbers = int(sum(np.prod(shape) for _, shape in shapes))
        rows.append(dict(optimizer=FAMILY[key].label, arrays=shapes, numbers=numbers, per_weight=numbers / weight.size))
    return dict(weights=int(weight.size), rows=rows, saving=rows[0]["numbers"] / rows[1]["numbers"])
