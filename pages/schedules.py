"""Issue 6: decaying and cyclic β₁ against a constant β₁. (Placeholder until the lesson lands.)"""

import streamlit as st

st.title("Momentum schedules")
st.info("This lesson is being written.", icon=":material/construction:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
