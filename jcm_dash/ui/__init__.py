"""Streamlit-facing helpers: the only part of jcm_dash that imports streamlit."""
