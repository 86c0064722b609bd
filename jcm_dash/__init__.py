"""jcm-dash core: the JCM store, its queries, metrics and chart builders (no Streamlit here)."""

__version__ = "0.1.0"
