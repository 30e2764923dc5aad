"""Issue 6: every optimizer in the core, switchable, on any surface. (Placeholder until the lesson lands.)"""

import streamlit as st

st.title("The whole family")
st.info("This lesson is being written.", icon=":material/construction:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
