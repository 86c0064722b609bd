"""What every page needs from the app shell (app.py), as one ``PageContext``."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from jcm_dash.i18n import Translator
from jcm_dash.scope import Filters, Reference
from jcm_dash.ui import language
from jcm_dash.ui.cached import StoreKey

_STATE = "_page_context"


@dataclass(frozen=True)
class PageContext:
    """What app.py resolved for this run, for the page it routes to.

    Attributes:
        store_key: identifies the store file (``cached.store_key``); every cached query takes it.
        reference: the store's lookups (country names, technologies, FY span...).
        filters: the sidebar's selection.
        t: the page's Translator.

    """

    store_key: StoreKey
    reference: Reference
    filters: Filters
    t: Translator


def publish(store_key: StoreKey, reference: Reference, filters: Filters) -> None:
    """Called by app.py before it routes: what ``context()`` returns to the page in this run."""
    st.session_state[_STATE] = (store_key, reference, filters)


def _leave_legacy_pages_mode() -> None:
    """Rerun through app.py when Streamlit ran a page file on its own, in its legacy ``pages/`` mode.

    Streamlit 1.67 starts a server in its legacy multipage mode (MPA v1) when the main script has a
    ``pages/`` folder beside it (``PagesManager.uses_pages_directory``, set on the first session) and
    leaves it only when ``st.navigation`` is called; AppTest turns it back on before every run. In that
    mode a deep link (``/projections``) as a server's first request runs ``pages/projections.py``
    alone, without app.py's store key and filters. Streamlit has no supported switch for this (its
    advice is to rename ``pages/``, which this project keeps; the behaviour is discussed in
    https://github.com/streamlit/streamlit/pull/10276 "pages folder + MPAv2 ... directly access an URL
    path"). So switch the mode off as ``st.navigation`` does and rerun: app.py then routes the same URL
    (tests/test_browser.py::test_deep_link_as_first_request,
    tests/test_import.py::test_running_app_picks_up_a_new_store).
    """
    PagesManager.uses_pages_directory = False
    st.rerun()


def context() -> PageContext:
    """The PageContext app.py published in this run (rerunning through app.py if it did not run)."""
    if PagesManager.uses_pages_directory or _STATE not in st.session_state:
        _leave_legacy_pages_mode()
    store_key, reference, filters = st.session_state[_STATE]
    return PageContext(store_key, reference, filters, language.current())
