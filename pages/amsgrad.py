"""Issue 6: Reddi, Kale & Kumar's counterexample, Adam against AMSGrad. (Placeholder until the lesson lands.)"""

import streamlit as st

st.title("AMSGrad and the counterexample")
st.info("This lesson is being written.", icon=":material/construction:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
