"""'Show the code': the source of the exact core functions a page ran, under an expander."""

import inspect

import streamlit as st


CODE_KEY_PREFIX = "course_code_"     # presenter view (ui/presenter.py) folds these expanders away


def show_code(functions, intro, title="Show the code that ran"):
    """An expander with ``intro`` (Markdown) and the source of each function in ``functions``."""
    key = CODE_KEY_PREFIX + "_".join(function.__name__ for function in functions)
    with st.expander(title, icon=":material/code:", key=key):
        st.markdown(intro)
        for function in functions:
            st.code(inspect.getsource(function), language="python")
