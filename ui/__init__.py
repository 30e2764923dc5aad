"""Streamlit and Plotly glue shared by every page: widgets, figure builders, the cached core call."""

from . import preload

# Under a plain ``streamlit run app.py`` (no scripts/serve.py), the first session to import ``ui``
# imports pandas and the rest while Python's import lock of ``ui`` holds every other session back.
preload.import_lazy_modules()
