"""The course's front page: what it is and in which order to take it."""

import streamlit as st

st.title("Adam, from the inside")
st.markdown("""
An interactive course on the Adam optimizer. Every page runs a small NumPy optimizer core that
matches `torch.optim` to float64 rounding, so the numbers you see are the numbers PyTorch computes.
Drag a slider and every path is recomputed at once; every setup is a link you can share.

**Take it in this order**
""")
st.page_link("pages/adam_vs_sgd.py", label="1. Adam against SGD: the four optimizers side by side on the "
             "course's classic example, f(x) = (x − 2)² from x₀ = 8, then on 2-D landscapes",
             icon=":material/compare_arrows:")
st.page_link("pages/momentum.py", label="2. Momentum: a moving average of gradients, and why heavy ball "
             "beats the zigzag", icon=":material/speed:")
st.page_link("pages/rmsprop_scaling.py", label="3. RMSprop scaling: a step size per coordinate, and what "
             "it cannot fix", icon=":material/tune:")
st.page_link("pages/bias_correction.py", label="4. Bias correction: why Adam divides by 1 − βᵗ, and what "
             "goes wrong without it", icon=":material/balance:")
st.caption("Still to come: inside an Adam step, Adam's relatives and failure modes, and a real model.")
