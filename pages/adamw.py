"""Issue 6: decoupled weight decay against L2 inside Adam. (Placeholder until the lesson lands.)"""

import streamlit as st

st.title("AdamW against Adam + L2")
st.info("This lesson is being written.", icon=":material/construction:")
st.page_link("pages/home.py", label="Back to the course overview", icon=":material/home:")
