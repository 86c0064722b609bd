"""The interface language, bound to the URL (``?lang=ja``; English when absent) like the filters."""

from __future__ import annotations

from typing import Any

import streamlit as st

from jcm_dash import i18n

KEY = "lang"


def current() -> i18n.Translator:
    """The session's Translator: the language switch's value, else the URL's ``lang``, else English."""
    if KEY not in st.session_state:
        st.session_state[KEY] = i18n.normalise(st.query_params.get(KEY))
    return i18n.translator(st.session_state[KEY])


def switch(container: Any) -> None:
    """Draw the language switch and keep ``lang`` in the URL (removed for the default, English)."""
    container.segmented_control(
        i18n.catalogue(current().lang)["language_label"],
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        key=KEY,
        selection_mode="single",
    )
    if st.session_state.get(KEY) is None:  # clicking the selected option unselects it: keep the language
        st.session_state[KEY] = st.query_params.get(KEY, i18n.DEFAULT_LANG)
    lang = i18n.normalise(st.session_state[KEY])
    if lang == i18n.DEFAULT_LANG:
        if KEY in st.query_params:
            del st.query_params[KEY]
    elif st.query_params.get(KEY) != lang:
        st.query_params[KEY] = lang


def url_params() -> dict[str, list[str]]:
    """The ``lang`` URL parameter that reproduces the current language (empty for English)."""
    lang = current().lang
    return {KEY: [] if lang == i18n.DEFAULT_LANG else [lang]}
