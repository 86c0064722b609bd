"""What every page needs from the app shell (app.py): the store key, reference data and filters."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from jcm_dash.queries import Filters


def context() -> tuple[Any, dict[str, Any], Filters]:
    """Return (store key, reference lookups, filters) set by app.py in this run.

    Streamlit treats a folder named ``pages/`` as a legacy multipage app until the first
    ``st.navigation`` call of the server's life (and AppTest turns that mode back on before every
    run), so a deep link (``/projections``) as a server's first request runs the page file alone,
    without app.py and its fresh store key and filters. Then switch the legacy mode off and rerun,
    so app.py routes the same URL (tests/test_browser.py::test_deep_link_as_first_request,
    tests/test_import.py::test_running_app_picks_up_a_new_store).
    """
    if PagesManager.uses_pages_directory or "store_key" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["store_key"], st.session_state["reference"], st.session_state["filters"]
