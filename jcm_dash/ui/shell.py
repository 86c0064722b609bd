"""What every page needs from the app shell (app.py): the store key, reference data and filters."""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from jcm_dash.i18n import Translator
from jcm_dash.queries import Filters
from jcm_dash.ui import language


def context() -> tuple[Any, dict[str, Any], Filters, Translator]:
    """Return (store key, reference lookups, filters, translator) set by app.py in this run.

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
    state = st.session_state
    return state["store_key"], state["reference"], state["filters"], language.current()
