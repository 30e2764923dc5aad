"""The shared widgets: hyperparameter sliders bound to the URL, with page-prefixed keys.

Every widget here is bound to a query parameter named by its key, so any setup is a
shareable link.  Streamlit drops a URL value it cannot use; before it does, we check the
raw value ourselves and keep a visible notice that the default was used instead.
"""

import math

import streamlit as st

NOTICES = "url_notices"   # session-state key: {widget key: sentence}

LR_OPTIONS = (1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.03, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1.0,
              2.0, 5.0, 10.0)
EPS_OPTIONS = (0.0, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0)
BETA2_OPTIONS = (0.0, 0.5, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999, 0.99999)


def key_of(page, *parts):
    return "_".join((page,) + tuple(str(p) for p in parts))


def fmt_number(value):
    """Short, exact-looking labels for slider values: 0.001 -> 1e-3, 0.1 -> 0.1."""
    if value == 0:
        return "0"
    if abs(value) < 1e-2 or abs(value) >= 1e4:
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{value:g}"


def _note_bad_url(key, label, raw, reason, default_text):
    """Keep, for the session, a sentence naming the setting (its label and URL key) and the value used."""
    notices = st.session_state.setdefault(NOTICES, {})
    notices[key] = (f"The link set **{label}** (`{key}`) to `{raw}`, which {reason}; "
                    f"using the default {default_text}.")


def _raw_url_value(key):
    """The value the link carries for ``key``, before Streamlit validates (and maybe drops) it."""
    return st.query_params.get(key)


def number_slider(page, name, label, low, high, default, step, help, *, fmt=None):
    """A plain linear slider (β₁, μ, steps, coordinates)."""
    key = key_of(page, name)
    raw = _raw_url_value(key)
    if raw is not None:
        try:
            value = float(raw)
            if not (low <= value <= high) or math.isnan(value):
                _note_bad_url(key, label, raw, f"is outside [{low:g}, {high:g}]", f"{default:g}")
        except ValueError:
            _note_bad_url(key, label, raw, "is not a number", f"{default:g}")
    kwargs = dict(format=fmt) if fmt else {}
    return st.slider(label, min_value=low, max_value=high, value=default, step=step, key=key, help=help,
                     bind="query-params", **kwargs)


def option_slider(page, name, label, options, default, help):
    """A slider over a fixed list of values: log-scale α and ε, and β₂ near 1."""
    key = key_of(page, name)
    labels = [fmt_number(v) for v in options]
    raw = _raw_url_value(key)
    if raw is not None and raw not in labels:
        _note_bad_url(key, label, raw, f"is not one of {', '.join(labels)}", fmt_number(default))
    return st.select_slider(label, options=list(options), value=default, format_func=fmt_number, key=key,
                            help=help, bind="query-params")


def choice(page, name, label, options, default, help, *, format_func=str):
    """One click between a few options (the surface)."""
    key = key_of(page, name)
    raw = _raw_url_value(key)
    if raw is not None and raw not in [format_func(o) for o in options]:
        _note_bad_url(key, label, raw, "is not one of the choices", format_func(default))
    value = st.segmented_control(label, options=list(options), default=default, format_func=format_func,
                                 key=key, help=help, bind="query-params", selection_mode="single")
    return default if value is None else value


def lr_slider(page, name, default, help="α, the learning rate: how far each step goes. Log scale."):
    return option_slider(page, name, "α (learning rate)", LR_OPTIONS, default, help)


def eps_slider(page, name, default=1e-8):
    return option_slider(page, name, "ε", EPS_OPTIONS, default,
                         "Added to the denominator so it is never zero. Tiny by default; "
                         "when ε ≫ √v the adaptive scaling switches off. Log scale.")


def beta1_slider(page, name, default=0.9, label="β₁ (momentum decay)"):
    return number_slider(page, name, label, 0.0, 0.99, default, 0.01,
                         "How much of the previous momentum m is kept each step; "
                         "m averages roughly the last 1/(1−β₁) gradients.")


def beta2_slider(page, name, default=0.999, label="β₂ (decay of the g² average)"):
    return option_slider(page, name, label, BETA2_OPTIONS, default,
                         "How much of the previous mean of g² is kept each step; "
                         "it averages roughly the last 1/(1−β₂) squared gradients.")


def show_url_notices(area):
    """The sentences about unusable URL values, for the whole session, in ``area``.

    ``area`` is a container made at the top of the page before any widget; call this after
    the widgets, which are what find the bad values.
    """
    with area:
        for sentence in st.session_state.get(NOTICES, {}).values():
            st.info(sentence, icon=":material/link_off:")


def optimizer_settings(page, scope, optimizer_key, preset):
    """The sliders of one catalogued optimizer, defaults from ``preset``; returns its hyperparameters.

    ``scope`` (usually the surface) is part of every key, so each scene remembers its own settings.
    """
    def name(param):
        return key_of(scope, optimizer_key, param)

    settings = {"lr": lr_slider(page, name("lr"), preset["lr"])}
    if optimizer_key == "momentum":
        settings["momentum"] = number_slider(
            page, name("mu"), "μ (momentum)", 0.0, 0.99, preset.get("momentum", 0.9), 0.01,
            "The fraction of the accumulated velocity kept each step; the long-run step is α/(1−μ) times g.")
    if optimizer_key == "rmsprop":
        settings["rho"] = beta2_slider(page, name("rho"), preset.get("rho", 0.99), label="ρ (decay of the g² average)")
        settings["eps"] = eps_slider(page, name("eps"), preset.get("eps", 1e-8))
    if optimizer_key == "adam":
        settings["beta1"] = beta1_slider(page, name("beta1"), preset.get("beta1", 0.9))
        settings["beta2"] = beta2_slider(page, name("beta2"), preset.get("beta2", 0.999))
        settings["eps"] = eps_slider(page, name("eps"), preset.get("eps", 1e-8))
    return settings


def start_and_steps(page, surface, preset):
    """The start point (one slider per coordinate, over the surface's plot range) and the step count."""
    start = []
    for axis, (low, high) in zip("xy", (surface.x_range, surface.y_range)[: surface.dim]):
        start.append(number_slider(page, key_of(surface.key, axis + "0"), f"start {axis}₀", float(low),
                                   float(high), float(preset["start"][len(start)]), 0.01,
                                   "Where every optimizer starts."))
    steps = number_slider(page, key_of(surface.key, "steps"), "steps", 1, 1000, int(preset["steps"]), 1,
                          "How many updates each optimizer makes. The animation shows at most 200 frames.")
    return tuple(start), steps
