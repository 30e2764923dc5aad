"""The frame of the course: page config and navigation. Each lesson lives in pages/."""

import streamlit as st

st.set_page_config(page_title="Adam, from the inside", page_icon=":material/school:", layout="wide")

navigation = st.navigation({
    "Start here": [
        st.Page("pages/home.py", title="Course overview", icon=":material/home:", default=True),
    ],
    "Lessons": [
        st.Page("pages/adam_vs_sgd.py", title="Adam against SGD", icon=":material/compare_arrows:",
                url_path="adam-vs-sgd"),
    ],
    "The ideas inside Adam": [
        st.Page("pages/momentum.py", title="Momentum", icon=":material/speed:", url_path="momentum"),
        st.Page("pages/rmsprop_scaling.py", title="RMSprop scaling", icon=":material/tune:",
                url_path="rmsprop-scaling"),
        st.Page("pages/bias_correction.py", title="Bias correction", icon=":material/balance:",
                url_path="bias-correction"),
    ],
})
navigation.run()
