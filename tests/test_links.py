"""Links are untrusted input (issues 13 and 15): for every hostile or hand-edited link value, what the
page uses (its widget, its figure), what its notice says and what its URL then says agree; the notice
quotes the value as literal text, never as Markdown; old links still work, silently."""

import re
import string

import numpy as np
import pytest

import optimizers as opt
from lessons import family
from ui import controls
from apptest_helpers import assert_clean, figures, open_page, values, widget

FLAGSHIP = "pages/adam-vs-sgd.py"
STEPS = "vs_parabola_steps"
ADAM_LR = "vs_parabola_adam_lr"
RMSPROP_EPS = "vs_parabola_rmsprop_eps"
HOSTILE = "x` [log in again](http://evil.example/login) `y"
# (page, surface key, default surface): every lesson with a surface choice.
SURFACE_CHOICES = [("pages/adam-vs-sgd.py", "vs_surface", "parabola"),
                   ("pages/optimizer-family.py", "fam_surface", "rosenbrock"),
                   ("pages/inside-adam.py", "insp_surface", "bowl"),
                   ("pages/rmsprop-scaling.py", "rms_surface", "bowl"),
                   ("pages/momentum-schedules.py", "sched_surface", "bowl")]


def notices(at):
    """The link notices the page shows, one string each."""
    return [info.value for info in at.info if "The link" in info.value]


def only_notice(at):
    found = notices(at)
    assert len(found) == 1, found
    return found[0]


def drawn_steps(at):
    """How many steps the flagship's paths figure animates (one frame per iterate)."""
    return len(figures(at)[0]["frames"]) - 1


def quoted(notice):
    """The Markdown between the first “ and its ”: the link's value as the notice writes it."""
    return re.search(r"“(.*?)”", notice).group(1)


def unescaped_punctuation(markdown):
    """ASCII punctuation characters in ``markdown`` that no backslash escapes."""
    bare, i = [], 0
    while i < len(markdown):
        if markdown[i] == "\\" and i + 1 < len(markdown):
            i += 2
            continue
        if markdown[i] in string.punctuation:
            bare.append(markdown[i])
        i += 1
    return bare


# ---- the notice quotes the value as literal text ---------------------------------------------

def test_a_markdown_link_in_a_value_is_quoted_escaped_not_rendered():
    at = open_page(FLAGSHIP, {STEPS: HOSTILE})
    assert_clean(at)
    notice = only_notice(at)
    assert "](" not in notice and "[log in again]" not in notice
    assert not unescaped_punctuation(quoted(notice)), quoted(notice)
    assert "\\[log in again\\]\\(http\\:\u2060\\/\\/evil\\.example" in notice   # "://" broken: no bare-URL link
    assert notice.endswith("which is not a number; using the default 50.")
    assert at.slider(key=STEPS).value == 50 and drawn_steps(at) == 50
    assert STEPS not in at.query_params


def test_every_markdown_and_directive_character_is_escaped():
    """Emphasis, HTML, maths, emoji, Streamlit's colour and icon directives, autolinks: all escaped."""
    for value in ("**b** _i_ <i>x</i> &amp; $x^2$ ~~s~~", ":smile: :red[r] :material/home:",
                  "www.evil.example a@b.co <http://e.x>", "|t| #h > q\\ ![i](x) 1. - +"):
        assert not unescaped_punctuation(quoted(controls.literal(value))), value


def test_bare_urls_and_addresses_are_broken_by_an_invisible_word_joiner():
    """Streamlit's renderer links bare URLs found in the text after parsing, escapes or not."""
    assert controls.literal("http://e.x www.e.x a@b.co") == \
        "“http\\:\u2060\\/\\/e\\.x www\u2060\\.e\\.x a\u2060\\@b\\.co”"


def test_control_characters_are_shown_visibly():
    assert controls.literal("a\nb\x00c\u202ed\u200b") == "“a␊b␀c⟨U\\+202E⟩d⟨U\\+200B⟩”"


def test_a_10000_character_value_gives_a_short_notice():
    at = open_page(FLAGSHIP, {STEPS: "1" * 10_000})
    assert_clean(at)
    notice = only_notice(at)
    assert len(notice) < 200, len(notice)
    assert "“" + "1" * controls.QUOTE_LIMIT + "…” (10,000 characters)" in notice
    assert notice.endswith("which is outside [1, 1000]; using the default 50.")
    assert at.slider(key=STEPS).value == 50 and drawn_steps(at) == 50


# ---- repeated keys ---------------------------------------------------------------------------

@pytest.mark.parametrize("raws", [["60", "70"], ["banana", "70"]])
def test_a_repeated_key_uses_its_last_value_and_says_so(raws):
    at = open_page(FLAGSHIP, {STEPS: raws})
    assert_clean(at)
    assert at.slider(key=STEPS).value == 70 and drawn_steps(at) == 70
    notice = only_notice(at)
    assert notice == (f"The link gave **steps** (`{STEPS}`) 2 values, “{raws[0]}” and “70”; "
                      "only the last counts: 70.")
    assert at.query_params[STEPS] == "70"


def test_a_repeated_key_whose_last_value_is_bad_uses_the_default_and_says_so():
    at = open_page(FLAGSHIP, {STEPS: ["70", "banana"]})
    assert_clean(at)
    assert only_notice(at).endswith("only the last counts, and it is not a number; using the default 50.")
    assert at.slider(key=STEPS).value == 50 and drawn_steps(at) == 50


def test_a_family_surface_given_twice_draws_the_surface_the_notice_names():
    at = open_page("pages/optimizer-family.py", {"fam_surface": ["Beale", "banana"]})
    assert_clean(at)
    assert widget(at, "fam_surface").value == "rosenbrock"
    notice = only_notice(at)
    assert notice.startswith("The link gave **Loss surface** (`fam_surface`) 2 values, “Beale” and “banana”")
    assert notice.endswith("using the default Rosenbrock.")
    assert opt.surfaces.get("rosenbrock").latex in at.latex[0].value
    adam = next(t for t in figures(at)[0]["data"] if t.get("name") == "Adam")
    assert values(adam["x"])[0] == opt.surfaces.get("rosenbrock").start[0]


# ---- numbers between steps and options (issue 15) --------------------------------------------

def test_a_step_count_between_steps_is_read_as_the_nearest_step():
    at = open_page(FLAGSHIP, {STEPS: "7.9999"})
    assert_clean(at)
    assert at.slider(key=STEPS).value == 8 and drawn_steps(at) == 8
    assert only_notice(at) == (f"The link set **steps** (`{STEPS}`) to “7\\.9999”, which falls between the "
                               "slider's steps of 1; using the nearest step, 8.")
    assert at.query_params[STEPS] == "8"


def test_a_float_slider_value_between_steps_is_read_as_the_nearest_step():
    at = open_page("pages/momentum.py", {"mom_lr": "0.1234"})
    assert_clean(at)
    assert at.slider(key="mom_lr").value == pytest.approx(0.125)
    assert only_notice(at).endswith("falls between the slider's steps of 0.005; using the nearest step, 0.125.")


def test_a_number_outside_the_range_uses_the_default_and_says_so():
    at = open_page(FLAGSHIP, {STEPS: "2000"})
    assert_clean(at)
    assert only_notice(at).endswith("“2000”, which is outside [1, 1000]; using the default 50.")
    assert at.slider(key=STEPS).value == 50 and drawn_steps(at) == 50


def test_an_option_written_differently_is_that_option_silently():
    at = open_page(FLAGSHIP, {ADAM_LR: "0.1000", STEPS: "20.0"})
    assert_clean(at)
    assert at.select_slider(key=ADAM_LR).value == 0.1 and at.slider(key=STEPS).value == 20
    assert notices(at) == []


def test_a_rate_between_options_is_read_as_the_nearest_option_on_the_log_scale():
    """0.72 is nearer 0.5 on a line but nearer 1 on the log scale; 5e-5 nearer 1e-6 on a line, 1e-4 in log."""
    at = open_page(FLAGSHIP, {ADAM_LR: "0.72", RMSPROP_EPS: "5e-5"})
    assert_clean(at)
    text = " ".join(notices(at))
    assert (f"**α (learning rate)** (`{ADAM_LR}`) to “0\\.72”, which is not one of the slider's values; "
            "using the nearest on its log scale, 1.") in text
    assert f"(`{RMSPROP_EPS}`) to “5e\\-5”, which is not one of the slider's values; using the nearest on its log " \
           "scale, 1e-4." in text
    assert at.select_slider(key=ADAM_LR).value == 1.0
    assert at.select_slider(key=RMSPROP_EPS).value == 1e-4
    assert at.query_params[ADAM_LR] == "1" and at.query_params[RMSPROP_EPS] == "1e-4"


def test_a_rate_of_0123_is_read_as_its_nearest_option():
    at = open_page(FLAGSHIP, {ADAM_LR: "0.123"})
    assert_clean(at)
    assert at.select_slider(key=ADAM_LR).value == 0.15
    assert only_notice(at).endswith("using the nearest on its log scale, 0.15.")
    adam = opt.run(opt.adam(0.15), opt.surfaces.get("parabola").grad, [8.0], 50)
    drawn = next(t for t in figures(at)[0]["data"] if t.get("name") == "Adam")
    np.testing.assert_array_equal(values(drawn["x"]), adam.params[:, 0])


def test_a_linear_option_slider_takes_the_nearest_value_on_a_line():
    assert controls.read_option("0.9991", controls.BETA2_OPTIONS, 0.999).value == 0.999
    assert controls.read_option("0.9994", controls.BETA2_OPTIONS, 0.999).value == 0.9995


# ---- empty values ------------------------------------------------------------------------------

@pytest.mark.parametrize("page, key, default", SURFACE_CHOICES)
def test_an_empty_surface_selects_and_draws_the_default(page, key, default):
    at = open_page(page, {key: ""})
    assert_clean(at)
    assert widget(at, key).value == default         # the choice shown is the surface the page uses
    notice = only_notice(at)
    assert notice.startswith(f"The link set **") and f"(`{key}`) to “”, which is empty; using the default " in notice
    assert key not in at.query_params


def test_an_empty_optimizer_list_shows_none_and_says_so_without_a_garbled_notice():
    """``?fam_show=`` is how Streamlit writes "none chosen": an old link that switched every optimizer off."""
    at = open_page("pages/optimizer-family.py", {"fam_show": ""})
    assert_clean(at)
    assert notices(at) == []
    assert widget(at, "fam_show").value == []
    assert any("Choose at least one optimizer" in info.value for info in at.info)
    assert not [t for t in figures(at)[0]["data"] if t.get("legendgroup") in family.FAMILY]


def test_unknown_optimizer_names_are_quoted_and_the_notice_names_what_is_shown():
    at = open_page("pages/optimizer-family.py", {"fam_show": ["Adam", "**bold**", "Lion"]})
    assert_clean(at)
    notice = only_notice(at)
    assert notice.startswith("The link chose “\\*\\*bold\\*\\*” (`fam_show`), which names no optimizer here; "
                             "ignored, showing Adam, Lion.")
    assert sorted({t["legendgroup"] for t in figures(at)[0]["data"] if t.get("legendgroup") in family.FAMILY}) \
        == ["adam", "lion"]
    assert at.query_params["fam_show"] == ["Adam", "Lion"]


def test_only_unknown_optimizer_names_show_the_default_set_and_say_so():
    at = open_page("pages/optimizer-family.py", {"fam_show": "banana"})
    assert_clean(at)
    shown = ", ".join(family.FAMILY[k].label for k in family.DEFAULT_SHOWN)
    assert f"ignored, showing {shown}." in only_notice(at)
    drawn = {t["legendgroup"] for t in figures(at)[0]["data"] if t.get("legendgroup") in family.FAMILY}
    assert drawn == set(family.DEFAULT_SHOWN)


# ---- an animated chart's step (ui/plot.py writes it as <chart key>_step) -------------------------

PATHS_STEP = "vs_paths_step"


@pytest.mark.parametrize("raw", ["banana", "-3", "1e3", "[12](http://evil.example)", "1" * 16])
def test_a_hand_edited_animation_step_gets_a_notice_and_leaves_the_link(raw):
    at = open_page(FLAGSHIP, {PATHS_STEP: raw})
    assert_clean(at)
    notice = only_notice(at)
    assert notice.startswith(f"The link set the animation's **step** (`{PATHS_STEP}`) to “")
    assert notice.endswith("which is not a step number (a whole number such as 12); the animation starts at step 0.")
    assert not unescaped_punctuation(quoted(notice)), quoted(notice)
    assert PATHS_STEP not in at.query_params


def test_a_repeated_animation_step_keeps_the_last_and_says_so():
    at = open_page(FLAGSHIP, {PATHS_STEP: ["3", "12"]})
    assert_clean(at)
    assert only_notice(at).endswith("only the last counts: step 12.")
    assert at.query_params[PATHS_STEP] == "12"


def test_an_empty_animation_step_says_where_the_animation_starts():
    at = open_page(FLAGSHIP, {PATHS_STEP: ""})
    assert only_notice(at).endswith("to “”, which is empty; using the default step 0.")
    assert PATHS_STEP not in at.query_params


@pytest.mark.parametrize("raw", ["12", "0", "99999"])
def test_a_step_the_browser_wrote_stays_silently(raw):
    """The chart writes digits only; a step past the path's end shows its last frame (ui/plot.py)."""
    at = open_page(FLAGSHIP, {PATHS_STEP: raw})
    assert_clean(at)
    assert notices(at) == []
    assert at.query_params[PATHS_STEP] == raw


# ---- old links ---------------------------------------------------------------------------------

OLD_FLAGSHIP_LINK = {"vs_surface": "Rosenbrock", "vs_rosenbrock_adam_lr": "0.2", "vs_rosenbrock_steps": "300",
                     "vs_rosenbrock_adam_eps": "1e-6", "vs_rosenbrock_adam_beta2": "0.99",
                     "vs_rosenbrock_adam_beta1": "0.8", "vs_rosenbrock_x0": "-1.5"}


def test_an_old_valid_link_still_works_unchanged_with_no_notice():
    at = open_page(FLAGSHIP, OLD_FLAGSHIP_LINK)
    assert_clean(at)
    assert notices(at) == []
    assert at.query_params == OLD_FLAGSHIP_LINK
    assert widget(at, "vs_surface").value == "rosenbrock"
    assert at.select_slider(key="vs_rosenbrock_adam_lr").value == 0.2
    assert at.slider(key="vs_rosenbrock_steps").value == 300
    assert at.select_slider(key="vs_rosenbrock_adam_eps").value == 1e-6
    assert at.select_slider(key="vs_rosenbrock_adam_beta2").value == 0.99
    assert at.slider(key="vs_rosenbrock_adam_beta1").value == pytest.approx(0.8)
    assert at.slider(key="vs_rosenbrock_x0").value == pytest.approx(-1.5)


def test_an_old_family_link_still_works_unchanged_with_no_notice():
    link = {"fam_surface": "Beale", "fam_show": ["Adam", "Lion"], "fam_beale_adam_lr": "0.01"}
    at = open_page("pages/optimizer-family.py", link)
    assert_clean(at)
    assert notices(at) == []
    assert at.query_params == link
    assert widget(at, "fam_surface").value == "beale"
    assert at.select_slider(key="fam_beale_adam_lr").value == 0.01
