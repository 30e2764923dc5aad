"""Issue 7: an MLP on the 8×8 digits and an RNN on a noisy sine, in NumPy. (Placeholder until the lesson lands.)"""

import streamlit as st

st.title("Train a real model")
st.info("This lesson is being written.", icon=":material/construction:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
