"""Streamlit and Plotly glue shared by every page: widgets, figure builders, the cached core call."""
