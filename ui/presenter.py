"""Presenter view and the page tools every lesson gets: copy the link, reset the page.

A teacher shares ``…/adam-vs-sgd?present=1``: the charts come first and large, the prose is folded
away, the type is readable from the back of a room at 1920×1080.  ``hide=<key>,<key>`` hides chosen
controls by their link key (every widget's container carries the class ``st-key-<key>``), so a
teacher can fix α and leave only β₁ to the class.  Both are plain link flags, like every setting.
A link is untrusted input: only names shaped like our keys ever reach the page's CSS.
"""

import re

import streamlit as st

from ui.controls import SHOWN, fmt_number

PRESENT = "present"         # link flag: ?present=1
HIDE = "hide"               # link flag: ?hide=vs_parabola_adam_lr,vs_parabola_adam_beta2
_ON = ("1", "true", "yes", "on")
_KEY_SHAPE = re.compile(r"[A-Za-z0-9_]{1,80}")

# Presenter view, for a projector: charts first and large, headings, controls and the quizzes (ui/quiz.py: a
# class predicts together) kept; prose, "show the code" (ui/code.py) and the links on to other lessons folded away.
# "Charts first" moves only the page's top-level blocks that hold a chart: inside a block the order is the page's,
# so a lesson keeps a section's heading, its step controls and its chart together by putting them in one
# st.container() (moving every nested chart up split a chart from the step slider and the heading above it).
_TOP = '[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]'
PRESENTER_CSS = """
:root { --course-chart-font-scale: 1.35; }
html { font-size: 21px; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 4rem 2rem 3rem; }
TOP > :has(.course-plot-box) { order: -1; }
TOP > :has(h1) { order: -2; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] > .stElementContainer:has(> .stMarkdown):not(:has(h1, h2, h3)):not([class*="st-key-course_quiz_"] *),
[data-testid="stMainBlockContainer"] [data-testid="stCaptionContainer"],
[data-testid="stMainBlockContainer"] [class*="st-key-course_code_"],
[data-testid="stMainBlockContainer"] .stElementContainer:has(.stPageLink) { display: none; }
""".replace("TOP", _TOP)


def presenting(params):
    """True when the link asks for presenter view."""
    return str(params.get(PRESENT, "")).lower() in _ON


def hidden_keys(params):
    """The widget keys the link asks to hide; anything not shaped like a key is ignored."""
    names = [name.strip() for value in params.get_all(HIDE) for name in value.split(",")]
    return [name for name in names if _KEY_SHAPE.fullmatch(name)]


def hide_css(key):
    """A hidden control: its input goes, its label stays (:func:`fixed_value_css` adds the value to it);
    a control without a label goes altogether."""
    return (f'.st-key-{key} [data-testid="stWidgetLabel"] ~ * {{ display: none; }}\n'
            f'.st-key-{key}:not(:has([data-testid="stWidgetLabel"])) {{ display: none; }}')


def page_css(is_presenting, hidden):
    """The CSS for this run: presenter view and the hidden controls (empty when neither is asked)."""
    rules = [PRESENTER_CSS] if is_presenting else []
    rules += [hide_css(key) for key in hidden]
    return "\n".join(rules)


def shown_value(value):
    """A control's value written as its widget would: 0.01, 1e-8, 100, on/off (a switch), a, b (a list),
    0.1 – 0.5 (a range slider's pair).  Choices show labels, not these values: see :func:`fixed_text`."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ", ".join(shown_value(item) for item in value) or "none"
    if isinstance(value, tuple):
        return " – ".join(shown_value(item) for item in value)
    if not isinstance(value, (int, float)):
        return str(value)
    return fmt_number(value)


def fixed_text(key, state):
    """What control ``key`` shows the class: the text its widget recorded (``ui.controls.remember_shown``: a
    choice's label, "final loss" for the option "final"), else its value written by :func:`shown_value`."""
    recorded = state.get(SHOWN, {})
    return recorded[key] if key in recorded else shown_value(state[key])


def css_string(text):
    """``text`` as a CSS string literal: literal text on the page, never markup (no quote, backslash, line
    break or "<" of it survives unescaped, so neither the rule nor the <style> element can be closed by it)."""
    return '"' + "".join(ch if ch.isalnum() or ch in " .,:;=()–-+_" else f"\\{ord(ch):x} " for ch in text) + '"'


def fixed_value_css(key, value):
    """After the hidden control's label: " = 0.01 (fixed for this class)", so the class sees what the teacher fixed."""
    line = css_string(f" = {shown_value(value)} (fixed for this class)")
    return f'.st-key-{key} [data-testid="stWidgetLabel"] p::after {{ content: {line}; font-weight: 600; }}'


def apply_link_flags():
    """Called by app.py on every run, before the lesson: style the page as its link asks."""
    css = page_css(presenting(st.query_params), hidden_keys(st.query_params))
    if css:
        st.html(f"<style>{css}</style>")


def show_fixed_values():
    """Called by app.py after the lesson, when its controls hold their values: each hidden control's label
    says the value the link fixed (literal text, never Markdown)."""
    rules = [fixed_value_css(key, fixed_text(key, st.session_state)) for key in hidden_keys(st.query_params)
             if key in st.session_state]
    if rules:
        st.html("<style>" + "\n".join(rules) + "</style>")


def _toggle_presenter():
    if presenting(st.query_params):
        del st.query_params[PRESENT]
    else:
        st.query_params[PRESENT] = "1"


# Copy the link, and reset: a reload of the lesson's bare link (keeping the presenter flags) starts a fresh
# session, so every setting is back at its default; Streamlit will not let a run clear URL-bound settings.
_TOOLS_JS = """
const FLAGS = ['present', 'hide'];
const REFOCUS = 'course-reset-refocus';

function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  const area = document.createElement('textarea');       // http on a school server: the old way
  area.value = text;
  document.body.appendChild(area);
  area.select();
  document.execCommand('copy');
  area.remove();
  return Promise.resolve();
}

function button(label, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.className = 'course-page-tool';
  element.textContent = label;
  element.addEventListener('click', () => onClick(element));
  return element;
}

function refocus(reset, tries = 50) {
  // After a reset: focus the Reset button again; in a closed sidebar (presenter view, a phone) the page's title.
  // The lesson may not have drawn its title yet when the sidebar's tools mount: look again for a few seconds.
  if (reset.checkVisibility()) { reset.focus(); return; }
  const title = document.querySelector('[data-testid="stMain"] h1');
  if (title) { title.tabIndex = -1; title.focus({preventScroll: true}); }
  else if (tries > 0) setTimeout(() => refocus(reset, tries - 1), 100);
}

export default function ({parentElement}) {
  if (parentElement.querySelector('button')) return;
  const copy = button('Copy link to this view', async element => {
    await copyText(window.location.href);
    element.textContent = 'Link copied';
    setTimeout(() => { element.textContent = 'Copy link to this view'; }, 2000);
  });
  const reset = button('Reset this page', () => {
    const kept = new URLSearchParams();
    const current = new URLSearchParams(window.location.search);
    for (const flag of FLAGS) current.getAll(flag).forEach(value => kept.append(flag, value));
    const query = kept.toString();
    sessionStorage.setItem(REFOCUS, '1');     // the reloaded page puts the keyboard back here, not at its top
    window.location.assign(window.location.pathname + (query ? '?' + query : ''));
  });
  reset.title = 'Every setting of this page back to its default';
  parentElement.append(copy, reset);
  if (sessionStorage.getItem(REFOCUS)) {
    sessionStorage.removeItem(REFOCUS);
    refocus(reset);
  }
}
"""
_TOOLS_CSS = """
.course-page-tool { display: block; width: 100%; margin: 0 0 0.5rem; font: inherit; padding: 0.25rem 0.75rem;
  border-radius: 0.5rem; cursor: pointer; color: var(--st-text-color, inherit);
  background: var(--st-background-color, transparent); border: 1px solid var(--st-border-color, #999); }
.course-page-tool:focus-visible { outline: 3px solid var(--st-primary-color, #D55E00); outline-offset: 2px; }
"""
_PAGE_TOOLS = st.components.v2.component("course_page_tools", js=_TOOLS_JS, css=_TOOLS_CSS, isolate_styles=False)


def page_tools():
    """The sidebar's tools under the lessons: presenter view on or off, copy the link, reset the page."""
    with st.sidebar:
        label = "Leave presenter view" if presenting(st.query_params) else "Presenter view"
        st.button(label, key="course_presenter", icon=":material/co_present:", on_click=_toggle_presenter,
                  width="stretch",
                  help="Charts first and large, prose folded away: for a projector. The link keeps it.")
        _PAGE_TOOLS(key="course_page_tools")
