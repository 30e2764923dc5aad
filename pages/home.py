"""The course's front page: what it is and in which order to take it."""

import streamlit as st

st.title("Adam, from the inside")
st.markdown("""
An interactive course on the Adam optimizer. Every page runs a small NumPy optimizer core that
matches `torch.optim` to float64 rounding, so the numbers you see are the numbers PyTorch computes.
Drag a slider and every path is recomputed at once; every setup is a link you can share.

**Take it in this order**

1. **Adam against SGD**: the four optimizers side by side on the course's classic example,
   f(x) = (x − 2)² from x₀ = 8, then on 2-D landscapes.
2. Momentum, RMSprop scaling and bias correction: the three ideas Adam is built from *(coming next)*.
3. Inside Adam, its relatives and failure modes, and a real model *(later lessons)*.
""")
st.page_link("pages/adam_vs_sgd.py", label="Start: Adam against SGD", icon=":material/play_circle:")
