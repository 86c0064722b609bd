"""What every page needs from the app shell (app.py): the store key, reference data and filters."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from jcm_dash.queries import Filters


def context() -> tuple[Any, dict[str, Any], Filters]:
    """Return (store key, reference lookups, filters) set by app.py in this run.

    Streamlit treats a folder named ``pages/`` as a legacy multipage app until the first
    ``st.navigation`` call of the server's life, so a deep link (``/projections``) as the very first
    request runs the page file alone, without app.py. Then switch the legacy mode off and rerun,
    so app.py routes the same URL (tests/test_browser.py::test_deep_link_as_first_request).
    """
    if "store_key" not in st.session_state:
        PagesManager.uses_pages_directory = False
        st.rerun()
    return st.session_state["store_key"], st.session_state["reference"], st.session_state["filters"]
