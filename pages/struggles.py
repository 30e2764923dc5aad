"""Issue 6: saddles, plateaus and sharp narrow valleys, with the numbers. (Placeholder until the lesson lands.)"""

import streamlit as st

st.title("When Adam struggles")
st.info("This lesson is being written.", icon=":material/construction:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
