"""Presenter view, hidden controls and the page tools (ui/presenter.py), through app.py."""

import re

import pytest

from apptest_helpers import open_page, widget
from lessons.family import DEFAULT_SHOWN
from ui import presenter
from ui.family import FAMILY


class Params(dict):
    """What st.query_params offers the presenter functions: get and get_all."""

    def get_all(self, key):
        value = self.get(key)
        return [] if value is None else value if isinstance(value, list) else [value]


@pytest.mark.parametrize("flag, expected", [("1", True), ("true", True), ("on", True), ("0", False),
                                            ("", False), ("banana", False)])
def test_the_present_flag(flag, expected):
    assert presenter.presenting(Params(present=flag)) is expected
    assert presenter.presenting(Params()) is False


def test_only_names_shaped_like_keys_reach_the_css():
    hostile = ["vs_parabola_adam_lr,}body{display:none", "x y", "a" * 81, "<style>", "vs_bowl_sgd_lr"]
    assert presenter.hidden_keys(Params(hide=hostile)) == ["vs_parabola_adam_lr", "vs_bowl_sgd_lr"]
    css = presenter.page_css(False, presenter.hidden_keys(Params(hide=hostile)))
    assert css == presenter.hide_css("vs_parabola_adam_lr") + "\n" + presenter.hide_css("vs_bowl_sgd_lr")
    assert presenter.page_css(False, []) == ""


def test_a_fixed_value_is_literal_text_in_the_css():
    assert presenter.fixed_value_css("k", 0.01).count('content: " = 0.01 (fixed for this class)"') == 1
    assert presenter.shown_value(1e-8) == "1e-8" and presenter.shown_value("bowl") == "bowl"
    hostile = 'x"; } body { display: none } </style><script>*bold*\n'
    quoted = presenter.css_string(hostile)
    inner = quoted[1:-1]
    assert quoted.startswith('"') and quoted.endswith('"') and not any(c in inner for c in '"{}<>\n')


def styles(at):
    return "\n".join(element.proto.body for element in at.get("html"))


def test_a_presenter_link_styles_the_lesson_and_hides_the_chosen_controls():
    at = open_page("pages/adam-vs-sgd.py", {"present": "1", "hide": "vs_parabola_adam_lr"})
    assert not at.exception
    assert presenter.PRESENTER_CSS in styles(at)
    assert widget(at, "vs_parabola_adam_lr") is not None        # hidden from view, still the page's setting
    assert presenter.hide_css("vs_parabola_adam_lr") in styles(at)
    assert at.sidebar.button(key="course_presenter").label == "Leave presenter view"


def test_a_hidden_control_says_the_value_the_link_fixed():
    at = open_page("pages/adam-vs-sgd.py", {"hide": "vs_parabola_adam_lr,vs_parabola_adam_beta1",
                                            "vs_parabola_adam_lr": "0.01"})
    assert not at.exception
    assert widget(at, "vs_parabola_adam_lr").value == 0.01
    css = styles(at)
    assert ('.st-key-vs_parabola_adam_lr [data-testid="stWidgetLabel"] p::after '
            '{ content: " = 0.01 (fixed for this class)"') in css
    beta1 = presenter.shown_value(widget(at, "vs_parabola_adam_beta1").value)     # the default, fixed too
    assert f'.st-key-vs_parabola_adam_beta1 [data-testid="stWidgetLabel"] p::after {{ content: " = {beta1} (fixed' in css


def test_a_plain_link_is_not_restyled():
    at = open_page("pages/adam-vs-sgd.py")
    assert presenter.PRESENTER_CSS not in styles(at)
    assert at.sidebar.button(key="course_presenter").label == "Presenter view"


def test_the_presenter_button_turns_the_view_on_and_off_in_the_link():
    at = open_page("pages/adam-vs-sgd.py")
    at.sidebar.button(key="course_presenter").click().run()
    assert at.query_params.get("present") in ("1", ["1"]) and presenter.PRESENTER_CSS in styles(at)
    at.sidebar.button(key="course_presenter").click().run()
    assert "present" not in at.query_params and presenter.PRESENTER_CSS not in styles(at)


def fixed_lines(css):
    """Each hidden control's added label text, by key, as the CSS writes it (escaped as ``css_string`` does)."""
    return dict(re.findall(r'\.st-key-(\w+) \[data-testid="stWidgetLabel"\] p::after \{ content: ("[^"]*");', css))


def fixed(text):
    return presenter.css_string(f" = {text} (fixed for this class)")


def test_a_hidden_choice_says_its_value_as_the_class_sees_it():
    # The playground's choices show labels, not their internal keys; the switch says on or off; the racers are
    # their labels, a list (", "), not a range ("–").
    at = open_page("pages/playground.py", {"hide": "play_map_metric,play_surface,play_3d,play_show",
                                           "play_3d": "true"})
    assert not at.exception
    lines = fixed_lines(styles(at))
    assert lines["play_map_metric"] == fixed("final loss")
    assert lines["play_surface"] == fixed("Your function")
    assert lines["play_3d"] == fixed("on")
    racers = ", ".join(FAMILY[key].label for key in DEFAULT_SHOWN)
    assert racers == "SGD, SGD + momentum, RMSprop, Adam, NAdam, AdaBound"
    assert lines["play_show"] == fixed(racers)


def test_a_hidden_number_says_the_number_its_slider_shows():
    at = open_page("pages/adam-vs-sgd.py", {"hide": "vs_parabola_adam_beta2,vs_parabola_adam_lr",
                                            "vs_parabola_adam_beta2": "0.99999", "vs_parabola_adam_lr": "5e-4"})
    assert not at.exception
    lines = fixed_lines(styles(at))
    assert lines["vs_parabola_adam_beta2"] == fixed("0.99999") and lines["vs_parabola_adam_lr"] == fixed("5e-4")
