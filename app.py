"""jcm-dash entry point: page config, language, the shared URL-bound filters, and the page router."""

import sys

import duckdb
import streamlit as st

from jcm_dash import paths, store
from jcm_dash.ui import cached, components, filters, language, shell

# Every session's script runs in its own thread, and the server's event loop (which sends the
# finished page) has to win the interpreter lock back from them. At Python's default 5 ms switch
# interval, 19 users changing filters at once waited ~1 s (median) on a server using 0.76 of its
# core; at 1 ms, 0.54 s with more pages served (bench/RESULTS.md, load test).
sys.setswitchinterval(0.001)

t = language.current()
# A local icon: a :material/...: page icon makes the browser fetch it from a font CDN.
st.set_page_config(
    page_title=t("app.page_title"), page_icon=str(paths.REPO_ROOT / "assets" / "favicon.png"), layout="wide"
)

try:
    key = cached.store_key()
    reference = cached.reference(key)
except store.StoreMissingError as err:
    st.error(t.md("app.store_missing", path=paths.db_path(), detail=err))
    st.stop()
except (store.StoreError, duckdb.Error) as err:  # damaged, truncated, a folder: named with the fix, no traceback
    st.error(t.md("app.store_unreadable", path=paths.db_path(), detail=str(err).splitlines()[0]))
    st.stop()

language.switch(st.sidebar)
t = language.current()
st.html(components.interface_style(t))
shell.publish(key, reference, filters.sidebar(reference, t))
filters.url_warnings(st.container(), t)  # in the main column: the sidebar is hidden on a narrow screen

pages = [
    st.Page(
        "pages/overview.py", title=t("nav.overview"), icon=":material/monitoring:", url_path="overview", default=True
    ),
    st.Page("pages/countries.py", title=t("nav.countries"), icon=":material/flag:", url_path="countries"),
    st.Page(
        "pages/technologies.py", title=t("nav.technologies"), icon=":material/solar_power:", url_path="technologies"
    ),
    st.Page("pages/projects.py", title=t("nav.projects"), icon=":material/list_alt:", url_path="projects"),
    st.Page("pages/projections.py", title=t("nav.projections"), icon=":material/trending_up:", url_path="projections"),
    st.Page("pages/article6.py", title=t("nav.article6"), icon=":material/handshake:", url_path="article6"),
    st.Page("pages/briefing.py", title=t("nav.briefing"), icon=":material/slideshow:", url_path="briefing"),
    st.Page("pages/data.py", title=t("nav.data"), icon=":material/database:", url_path="data"),
]
try:
    st.navigation(pages).run()
except (store.StoreError, duckdb.Error) as err:
    # A store damaged after it opened fails in the middle of a page: the message, not an IOException.
    st.error(t.md("app.store_unreadable", path=paths.db_path(), detail=str(err).splitlines()[0]))
