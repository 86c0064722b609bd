"""The interface language, bound to the URL (``?lang=ja``; English when absent) by ``urlstate`` like the filters.

The chosen language lives in the URL state, not in the switch's widget state: Streamlit drops a
widget's state on any run that does not draw it, and unselecting a segmented control gives None.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from jcm_dash import i18n
from jcm_dash.ui import urlstate

PARAM = "lang"
_WIDGET = "lang_switch"


def _params(lang: str) -> urlstate.Params:
    return {PARAM: [] if lang == i18n.DEFAULT_LANG else [lang]}


STATE = urlstate.UrlState("lang", _params, lambda: i18n.DEFAULT_LANG)


def _from_url() -> tuple[str, list[urlstate.Warning]]:
    # An unknown or overlong ?lang= is English, silently: the page is readable either way.
    return i18n.normalise(urlstate.text(PARAM)), []


def current() -> i18n.Translator:
    """The session's Translator: the language chosen in the switch, else the URL's ``lang``, else English."""
    return i18n.translator(STATE.load(_from_url))


def _on_switch() -> None:
    chosen = st.session_state.get(_WIDGET)
    if chosen in i18n.LANGUAGES:
        STATE.set(chosen)


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
    STATE.write()


def url_params() -> urlstate.Params:
    """The ``lang`` URL parameter that reproduces the current language (empty for English)."""
    return _params(current().lang)
