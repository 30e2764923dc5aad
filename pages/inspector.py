"""Issue 5: a step-by-step inspector of one Adam run and its vital signs. (Placeholder until the lesson lands.)"""

import streamlit as st

st.title("Inside an Adam step")
st.info("This lesson is being written.", icon=":material/construction:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
