"""The course's front page: what it is and in which order to take it."""

import streamlit as st

from ui import frame

frame.require_app()

st.title("Adam, from the inside")
st.markdown("""
An interactive course on the Adam optimizer. Every page runs a small NumPy optimizer core that
matches `torch.optim` to float64 rounding, so the numbers you see are the numbers PyTorch computes.
Drag a slider and every path is recomputed at once; every setup is a link you can share.

**Take it in this order**
""")
st.page_link("pages/adam-vs-sgd.py", label="1. Adam against SGD: the four optimizers side by side on the "
             "course's classic example, f(x) = (x − 2)² from x₀ = 8, then on 2-D landscapes",
             icon=":material/compare_arrows:")
st.page_link("pages/momentum.py", label="2. Momentum: a moving average of gradients, and why heavy ball "
             "beats the zigzag", icon=":material/speed:")
st.page_link("pages/rmsprop-scaling.py", label="3. RMSprop scaling: a step size per coordinate, and what "
             "it cannot fix", icon=":material/tune:")
st.page_link("pages/bias-correction.py", label="4. Bias correction: why Adam divides by 1 − βᵗ, and what "
             "goes wrong without it", icon=":material/balance:")
st.page_link("pages/inside-adam.py", label="5. Inside an Adam step: scrub to any step and check Adam's "
             "arithmetic by hand", icon=":material/biotech:")
st.markdown("**Relatives and failure modes**")
st.page_link("pages/adamw.py", label="6. AdamW against Adam + L2: why decoupled weight decay is not "
             "the same thing", icon=":material/compress:")
st.page_link("pages/amsgrad.py", label="7. AMSGrad: the counterexample where Adam walks to the worst "
             "point", icon=":material/report:")
st.page_link("pages/momentum-schedules.py", label="8. Momentum schedules: decaying and cyclic β₁, honestly "
             "compared", icon=":material/schedule:")
st.page_link("pages/optimizer-family.py", label="9. The whole family: fifteen optimizers on any surface",
             icon=":material/diversity_3:")
st.page_link("pages/when-adam-struggles.py", label="10. When Adam struggles: saddles, plateaus and narrow valleys",
             icon=":material/warning:")
st.markdown("**Real models**")
st.page_link("pages/train-a-model.py", label="11. Train a real model: digits and a time series, SGD against "
             "Adam against AdamW", icon=":material/model_training:")
st.markdown("**Your own experiments**")
st.page_link("pages/playground.py", label="12. Playground: type your own loss, race any optimizers on it, and map "
             "how Adam's result depends on α, β₁, β₂ and ε", icon=":material/science:")
