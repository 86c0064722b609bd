"""jcm-dash entry point: page config, the shared URL-bound filters, and the page router."""

import streamlit as st

from jcm_dash import paths, store
from jcm_dash.ui import cached, filters

# A local icon: a :material/...: page icon makes the browser fetch it from a font CDN.
st.set_page_config(
    page_title="JCM progress dashboard", page_icon=str(paths.REPO_ROOT / "assets" / "favicon.png"), layout="wide"
)

try:
    key = cached.store_key()
    reference = cached.reference(key)
except store.StoreMissingError as err:
    st.error(str(err))
    st.stop()

st.session_state["store_key"] = key
st.session_state["reference"] = reference
st.session_state["filters"] = filters.sidebar(reference)

pages = [
    st.Page("pages/overview.py", title="Overview", icon=":material/monitoring:", url_path="overview", default=True),
    st.Page("pages/countries.py", title="Countries", icon=":material/flag:", url_path="countries"),
    st.Page("pages/technologies.py", title="Technologies", icon=":material/solar_power:", url_path="technologies"),
    st.Page("pages/projects.py", title="Projects", icon=":material/list_alt:", url_path="projects"),
    st.Page("pages/projections.py", title="Projections", icon=":material/trending_up:", url_path="projections"),
    st.Page("pages/data.py", title="Data", icon=":material/database:", url_path="data"),
]
st.navigation(pages).run()
