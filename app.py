"""The frame of the course: page config and navigation. Each lesson lives in pages/."""

from pathlib import Path

import streamlit as st

from ui import frame, plot, presenter, style

# The icon is a file the app serves itself: a material-icon name would be fetched from a font server.
ICON = Path(__file__).parent / "assets" / "icon.png"
st.set_page_config(page_title="Adam, from the inside", page_icon=str(ICON), layout="wide",
                   initial_sidebar_state="collapsed" if presenter.presenting(st.query_params) else "auto")
plot.ensure_plotly_js()     # served from static/ to the in-place charts (ui/plot.py)
plot.preload_plotly()       # the charts' plotly.js starts loading now, before any chart mounts
frame.mark_framed()         # see ui/frame.py: under a bare `streamlit run`, a fresh server may run a lesson alone

# Each page's file is named by its URL path: before any run has called st.navigation, a fresh server under a
# bare `streamlit run app.py` finds a lesson link's page by file name (ui/frame.py). url_path keeps old links.
navigation = st.navigation({
    "Start here": [
        st.Page("pages/home.py", title="Course overview", icon=":material/home:", default=True),
    ],
    "Lessons": [
        st.Page("pages/adam-vs-sgd.py", title="Adam against SGD", icon=":material/compare_arrows:",
                url_path="adam-vs-sgd"),
    ],
    "The ideas inside Adam": [
        st.Page("pages/momentum.py", title="Momentum", icon=":material/speed:", url_path="momentum"),
        st.Page("pages/rmsprop-scaling.py", title="RMSprop scaling", icon=":material/tune:",
                url_path="rmsprop-scaling"),
        st.Page("pages/bias-correction.py", title="Bias correction", icon=":material/balance:",
                url_path="bias-correction"),
        st.Page("pages/inside-adam.py", title="Inside an Adam step", icon=":material/biotech:",
                url_path="inside-adam"),
    ],
    "Relatives and failure modes": [
        st.Page("pages/adamw.py", title="AdamW against L2", icon=":material/compress:", url_path="adamw"),
        st.Page("pages/amsgrad.py", title="AMSGrad's counterexample", icon=":material/report:",
                url_path="amsgrad"),
        st.Page("pages/momentum-schedules.py", title="Momentum schedules", icon=":material/schedule:",
                url_path="momentum-schedules"),
        st.Page("pages/optimizer-family.py", title="The whole family", icon=":material/diversity_3:",
                url_path="optimizer-family"),
        st.Page("pages/when-adam-struggles.py", title="When Adam struggles", icon=":material/warning:",
                url_path="when-adam-struggles"),
    ],
    "Real models": [
        st.Page("pages/train-a-model.py", title="Train a real model", icon=":material/model_training:",
                url_path="train-a-model"),
    ],
    "Your own experiments": [
        st.Page("pages/playground.py", title="Playground", icon=":material/science:", url_path="playground"),
    ],
})
presenter.apply_link_flags()   # ?present=1 and ?hide=<key>,… (ui/presenter.py)
st.html(f"<style>{style.page_css()}</style>")   # wide formulas and tables scroll with a hint; links wrap (ui/style.py)
presenter.page_tools()
navigation.run()
presenter.show_fixed_values()   # a control the link hid says the value it fixed (ui/presenter.py)
