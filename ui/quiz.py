"""'Predict, then reveal': the learner commits to an answer before seeing the numbers."""

import streamlit as st

QUIZ_KEY_PREFIX = "course_quiz_"     # presenter view (ui/presenter.py) keeps these boxes' text: a class activity


def predict_then_reveal(key, question, options, answer, explanation):
    """A question with a radio of ``options``; the reveal says whether ``answer`` was picked and why.

    ``explanation`` is Markdown, usually with numbers the page computed with the core; it may be a
    function returning that Markdown, so a core run only the reveal needs happens only on reveal.
    """
    with st.container(border=True, key=f"{QUIZ_KEY_PREFIX}{key}"):
        st.markdown(f"**Predict, then reveal.** {question}")
        pick = st.radio("Your prediction", options, index=None, key=f"{key}_pick", label_visibility="collapsed")
        if st.button("Reveal", key=f"{key}_reveal", disabled=pick is None):
            st.session_state[f"{key}_revealed"] = True
        if st.session_state.get(f"{key}_revealed") and pick is not None:
            if pick == answer:
                st.success(f"Right: {answer}", icon=":material/check_circle:")
            else:
                st.warning(f"Not quite. The answer is: {answer}", icon=":material/lightbulb:")
            st.markdown(explanation() if callable(explanation) else explanation)
