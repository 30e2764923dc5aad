"""The shared widgets: hyperparameter sliders bound to the URL, with page-prefixed keys.

Every widget here is bound to a query parameter named by its key, so any setup is a
shareable link.  A link is untrusted input, so each control decides, in one place, what the
page does with it (``decide``), and makes the URL say exactly that before its widget is
created (``settle_link``): the widget, the notice and the link then agree by construction.

The rules, for a control created for the first time in the session (after that the widget,
not the URL, holds the value, as in Streamlit):

- no value: the default, silently; a value that is exactly one of the control's own labels
  (every link this app ever wrote): that value, silently;
- the key given several different times: the last value counts (as ``st.query_params[key]``);
- an empty value, or one that is not a number (or not one of the choices): the default;
- a number outside the slider's range: the default (never clamped);
- a number inside the range but between a slider's steps or options: the nearest step, or
  the nearest option (on a log scale for sliders whose options span decades, like α and ε);
  a number equal to a step or option but written differently (``0.1000``, ``8.0``): that value.

Every reading but the silent ones leaves a notice for the session that quotes the link's value
as literal text (``literal``) and names the value the page uses.
"""

import math
import re
import unicodedata
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitAPIException

NOTICES = "url_notices"     # session-state key: {widget key: sentence}
SETTLED = "url_settled"     # session-state key: {widget key: the raw values its URL was just rewritten from}
SHOWN = "shown_values"      # session-state key: {widget key: its value as the widget shows it} (ui/presenter.py)
QUOTE_LIMIT = 40            # characters of a link's value a notice quotes
QUOTED_VALUES = 3           # values of a repeated key a notice quotes

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


# ---- quoting a link's value as literal text ------------------------------------------------

def literal(raw):
    """A link's value as literal Markdown text, in “quotes”: never a link, emphasis, HTML, LaTeX or directive.

    Cut to ``QUOTE_LIMIT`` characters with an ellipsis and the full length said; control and
    invisible characters shown as symbols (␊, ⟨U+202E⟩); then every ASCII punctuation character
    backslash-escaped, which CommonMark allows for all of them, so no Markdown, HTML, ``$`` maths,
    ``:emoji:`` or ``:material/…:`` directive can form.  (A backtick code span is not safe: the
    value can close it.)  Escaping is not enough against GFM's bare-URL links, which Streamlit's
    renderer finds in the text *after* parsing (``http://…``, ``www.…``, ``a@b.c``): ``unlinkable``
    breaks those patterns with an invisible word joiner.
    """
    shown = raw if len(raw) <= QUOTE_LIMIT else raw[:QUOTE_LIMIT] + "…"
    quoted = f"“{escape_markdown(unlinkable(visible(shown)))}”"
    return quoted if len(raw) <= QUOTE_LIMIT else f"{quoted} ({len(raw):,} characters)"


WORD_JOINER = "\u2060"     # invisible, zero width; not a URL, domain or e-mail character


def unlinkable(text):
    """``text`` with a word joiner inside every "://", "www." and before every "@".

    GFM's autolink literals start at "http://", "https://" or "www." in one piece, or are an
    e-mail address whose local part runs right up to "@": none survives, and the text reads the same.
    """
    text = re.sub(r":(?=//)", ":" + WORD_JOINER, text)
    text = re.sub(r"(?i)(?<=www)\.", WORD_JOINER + ".", text)
    return text.replace("@", WORD_JOINER + "@")


def literals(raws):
    """Up to ``QUOTED_VALUES`` values quoted by ``literal``, joined in words ("“a”, “b” and 3 more")."""
    quoted = [literal(raw) for raw in raws[:QUOTED_VALUES]]
    more = len(raws) - len(quoted)
    if more:
        return f"{', '.join(quoted)} and {more} more"
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"


_INVISIBLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def visible(text):
    """Control and invisible characters as visible symbols: C0 controls as their pictures (␀…␟, ␡), others as ⟨U+XXXX⟩."""
    def show(char):
        code = ord(char)
        if code < 0x20:
            return chr(0x2400 + code)
        if code == 0x7F:
            return "␡"
        if unicodedata.category(char) in _INVISIBLE or (unicodedata.category(char) == "Zs" and char != " "):
            return f"⟨U+{code:04X}⟩"
        return char
    return "".join(show(char) for char in text)


def escape_markdown(text):
    """Backslash before every ASCII punctuation character: the text then renders as itself."""
    return "".join("\\" + char if char.isascii() and not char.isalnum() and char != " " else char for char in text)


# ---- deciding the value a link gives a control (pure) --------------------------------------

@dataclass(frozen=True)
class Reading:
    """The value a page uses for one link value; ``reason`` says why it is not the value as written."""
    value: object
    reason: str | None = None


_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def parse_number(raw):
    """A plain decimal number (``8``, ``-0.5``, ``1e-3``) as a float, else None: no ``nan``, ``inf``, ``1_0`` or spaces."""
    return float(raw) if _NUMBER.fullmatch(raw) else None


def read_number(raw, low, high, default, step):
    """One link value for a slider over [low, high] in steps of ``step``: the nearest step inside the range.

    Not a number, or outside the range: the default.  The value is an int when the slider's are
    (all of low, high, default and step, as Streamlit decides).
    """
    as_int = all(isinstance(v, int) for v in (low, high, default, step))
    number = parse_number(raw)
    if number is None:
        return Reading(default, f"is not a number; using the default {fmt_plain(default)}")
    if not low <= number <= high:
        return Reading(default, f"is outside [{fmt_plain(low)}, {fmt_plain(high)}]; "
                                f"using the default {fmt_plain(default)}")
    nearest = on_step(number, low, high, step)
    if nearest is None:
        value = snap_to_step(number, low, high, step)
        value = int(value) if as_int else value
        return Reading(value, f"falls between the slider's steps of {fmt_plain(step)}; "
                              f"using the nearest step, {fmt_plain(value)}")
    return Reading(int(nearest) if as_int else nearest)


def snap_to_step(number, low, high, step):
    """The step value low + k·step nearest to ``number``, kept inside [low, high], without float noise."""
    k = round((number - low) / step)
    return min(max(round(low + k * step, 12), low), high)


def on_step(number, low, high, step):
    """``number`` as a step value if it is one (to a millionth of a step), else None."""
    nearest = snap_to_step(number, low, high, step)
    return nearest if abs(number - nearest) <= 1e-6 * step else None


def read_option(raw, options, default):
    """One link value for a slider over fixed ``options``: its label, or the nearest option to a number.

    Nearest on a log scale when the options span two decades or more (α, ε), linearly otherwise;
    a number outside the options' range, or no number at all: the default.
    """
    labels = [fmt_number(option) for option in options]
    if raw in labels:
        return Reading(options[labels.index(raw)])
    number = parse_number(raw)
    if number is None:
        return Reading(default, f"is not one of {', '.join(labels)}; using the default {fmt_number(default)}")
    if not min(options) <= number <= max(options):
        return Reading(default, f"is outside {fmt_number(min(options))} … {fmt_number(max(options))}; "
                                f"using the default {fmt_number(default)}")
    log_scale = is_log_scale(options)
    nearest = min(options, key=lambda option: option_distance(number, option, log_scale))
    if number == nearest:
        return Reading(nearest)
    scale = " on its log scale" if log_scale else ""
    return Reading(nearest, f"is not one of the slider's values; using the nearest{scale}, {fmt_number(nearest)}")


def is_log_scale(options):
    """Options that are never negative and whose positive ones span at least two decades (α, ε, batch sizes)."""
    positive = [option for option in options if option > 0]
    return min(options) >= 0 and len(positive) > 1 and max(positive) / min(positive) >= 100


def option_distance(number, option, log_scale):
    """|number − option|, or |log number − log option| on a log scale (where 0 is infinitely far)."""
    if not log_scale:
        return abs(number - option)
    if number <= 0 or option <= 0:
        return 0.0 if number == option else math.inf
    return abs(math.log(number) - math.log(option))


def read_choice(raw, options, default, format_func):
    """One link value for a one-of-a-few choice: the option whose label it is, else the default."""
    labels = [format_func(option) for option in options]
    if raw in labels:
        return Reading(options[labels.index(raw)])
    return Reading(default, f"is not one of the choices ({', '.join(labels)}); using the default {format_func(default)}")


def decide(raws, read_one, default, describe, who):
    """The value a single-valued control takes from all of its key's link values, and its notice (or None).

    No value: the default, silently.  An empty value: the default.  The same value repeated: that value.  Different values:
    the last one counts (as ``st.query_params[key]`` reads it), and the notice says so.  ``who``
    names the setting in Markdown; ``describe`` writes a value as the slider shows it.
    """
    if not raws:
        return default, None
    reading = read_one(raws[-1]) if raws[-1] else Reading(default, f"is empty; using the default {describe(default)}")
    if len(set(raws)) == 1:
        notice = None if reading.reason is None else f"The link set {who} to {literal(raws[-1])}, which {reading.reason}."
        return reading.value, notice
    counted = f", and it {reading.reason}." if reading.reason else f": {describe(reading.value)}."
    return reading.value, f"The link gave {who} {len(raws)} values, {literals(raws)}; only the last counts{counted}"


def read_labels(raws, labels, default):
    """A multi-choice's link values (``?key=A&key=B``): the labels it names, in its order, once each.

    One empty value (``?key=``, how Streamlit writes "none chosen"): none.  Values that name no
    label are dropped (``Reading.reason`` lists them, quoted); if none is left, the default.
    """
    if not raws:
        return Reading(list(default))
    if raws == [""]:
        return Reading([])
    chosen = list(dict.fromkeys(raw for raw in raws if raw in labels))
    unknown = [raw for raw in raws if raw not in labels]
    if not unknown:
        return Reading(chosen)
    return Reading(chosen or list(default), literals(unknown))


def fmt_plain(value):
    """A number as a notice writes it: 50, 0.35, -1."""
    return f"{value:g}"


# ---- making the URL say the decided value (Streamlit) --------------------------------------

def link_values(key):
    """All the values the link carries for ``key`` (``?k=a&k=b`` → ["a", "b"]), or [] once the
    widget exists in this session: from then on the widget holds the value and Streamlit ignores the URL.
    """
    return [] if key in st.session_state else st.query_params.get_all(key)


def settle_link(key, raws, url_values, notice):
    """Keep ``notice`` for the session and make the URL say ``url_values`` ([] = no key: the default).

    Streamlit seeds a bound widget from the query string as it was when the run started (a write
    to ``st.query_params`` during the run does not reach the widget), so a URL that needs
    rewriting is rewritten and the script reruns at once, before the widget is created; the
    widget then reads exactly the value decided here.  The same raw values are never rewritten
    twice in a row, so a rewrite cannot loop.
    """
    if notice is not None:
        st.session_state.setdefault(NOTICES, {})[key] = notice
    settled = st.session_state.setdefault(SETTLED, {})
    if raws == url_values or settled.get(key) == tuple(raws):
        settled.pop(key, None)
        return
    settled[key] = tuple(raws)
    try:
        if url_values:
            st.query_params[key] = url_values if len(url_values) > 1 else url_values[0]
        elif key in st.query_params:
            del st.query_params[key]
    except StreamlitAPIException:       # already bound to a widget of this run: the widget decides
        return
    st.rerun()


def settle_one(key, raws, value, default, label_of, notice):
    """``settle_link`` for a single-valued control: the URL says ``value``'s label, or nothing for the default.

    A link that names the default by its label (``?steps=50``) is left alone: Streamlit drops it itself.
    """
    if value == default and notice is None and raws in ([], [label_of(default)]):
        return settle_link(key, raws, raws, None)
    return settle_link(key, raws, [] if value == default else [label_of(value)], notice)


def remember_shown(key, text):
    """Keep how widget ``key`` shows its value this run ("final loss", not the option "final"): a control the
    link hides repeats it after its label (ui/presenter.py)."""
    st.session_state.setdefault(SHOWN, {})[key] = text


def _who(label, key):
    return f"**{label}** (`{key}`)"


def url_label_of_number(value):
    """A slider value as Streamlit writes it in the URL: 5.0 → "5", 0.35 → "0.35"."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# ---- the controls --------------------------------------------------------------------------

def number_slider(page, name, label, low, high, default, step, help, *, fmt=None):
    """A plain linear slider (β₁, μ, steps, coordinates); its link value is read by ``read_number``."""
    key = key_of(page, name)
    raws = link_values(key)
    value, notice = decide(raws, lambda raw: read_number(raw, low, high, default, step), default, fmt_plain,
                           _who(label, key))
    settle_one(key, raws, value, default, url_label_of_number, notice)
    kwargs = dict(format=fmt) if fmt else {}
    return st.slider(label, min_value=low, max_value=high, value=default, step=step, key=key, help=help,
                     bind="query-params", **kwargs)


def option_slider(page, name, label, options, default, help):
    """A slider over a fixed list of values (log-scale α and ε, β₂ near 1); read by ``read_option``."""
    key = key_of(page, name)
    raws = link_values(key)
    value, notice = decide(raws, lambda raw: read_option(raw, options, default), default, fmt_number,
                           _who(label, key))
    settle_one(key, raws, value, default, fmt_number, notice)
    value = st.select_slider(label, options=list(options), value=default, format_func=fmt_number, key=key,
                             help=help, bind="query-params")
    remember_shown(key, fmt_number(value))
    return value


def choice(page, name, label, options, default, help, *, format_func=str):
    """One click between a few options (the surface); always one chosen.  Read by ``read_choice``."""
    key = key_of(page, name)
    raws = link_values(key)
    value, notice = decide(raws, lambda raw: read_choice(raw, options, default, format_func), default,
                           format_func, _who(label, key))
    settle_one(key, raws, value, default, format_func, notice)
    value = st.segmented_control(label, options=list(options), default=default, format_func=format_func,
                                 key=key, help=help, bind="query-params", selection_mode="single", required=True)
    value = default if value is None else value
    remember_shown(key, format_func(value))
    return value


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


# ---- an animated chart's step (ui/plot.py: the browser reads and writes it) ----------------------

STEP_DIGITS = re.compile(r"\d{1,15}")    # what the chart's script accepts (ui/plot.py, linkedStep)


def read_step(raw):
    """A link's animation step: a whole number of up to 15 digits, else step 0 (where the chart would start).

    The chart itself shows the last frame at or before a step past its end, so any such number is fine here.
    """
    if STEP_DIGITS.fullmatch(raw):
        return Reading(int(raw))
    return Reading(0, "is not a step number (a whole number such as 12); the animation starts at step 0")


def settle_step_link(param):
    """Check an animated chart's step parameter (``ui.plot.step_param``) like every other link value.

    Called by ``ui.plot.show`` on every run: the browser writes the parameter (digits only) while a learner
    scrubs, so only a hand-edited one is ever refused; it gets a notice quoting it, and leaves the link.
    """
    raws = st.query_params.get_all(param)
    value, notice = decide(raws, read_step, 0, lambda step: f"step {step}", f"the animation's **step** (`{param}`)")
    settle_one(param, raws, value, 0, str, notice)


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
