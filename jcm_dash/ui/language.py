"""The interface language, bound to the URL (``?lang=ja``; English when absent) like the filters.

The chosen language lives in its own session key, not in the switch's widget state: Streamlit drops
a widget's state on any run that does not draw it, and unselecting a segmented control gives None.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from jcm_dash import i18n

PARAM = "lang"
_STATE = "_lang"
_WIDGET = "lang_switch"


def current() -> i18n.Translator:
    """The session's Translator: the language chosen in the switch, else the URL's ``lang``, else English."""
    if _STATE not in st.session_state:
        st.session_state[_STATE] = i18n.normalise(st.query_params.get(PARAM))
    return i18n.translator(st.session_state[_STATE])


def _on_switch() -> None:
    chosen = st.session_state.get(_WIDGET)
    if chosen in i18n.LANGUAGES:
        st.session_state[_STATE] = chosen


def switch(container: Any) -> None:
    """Draw the language switch and keep ``lang`` in the URL (removed for the default, English)."""
    lang = current().lang
    st.session_state[_WIDGET] = lang
    container.segmented_control(
        i18n.catalogue(lang)["language_label"],
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=_WIDGET,
        on_change=_on_switch,
    )
    if lang == i18n.DEFAULT_LANG:
        if PARAM in st.query_params:
            del st.query_params[PARAM]
    elif st.query_params.get(PARAM) != lang:
        st.query_params[PARAM] = lang


def url_params() -> dict[str, list[str]]:
    """The ``lang`` URL parameter that reproduces the current language (empty for English)."""
    lang = current().lang
    return {PARAM: [] if lang == i18n.DEFAULT_LANG else [lang]}
