"""'Show the code': the source of the exact core functions a page ran, under an expander."""

import inspect

import streamlit as st


def show_code(functions, intro, title="Show the code that ran"):
    """An expander with ``intro`` (Markdown) and the source of each function in ``functions``."""
    with st.expander(title, icon=":material/code:"):
        st.markdown(intro)
        for function in functions:
            st.code(inspect.getsource(function), language="python")
