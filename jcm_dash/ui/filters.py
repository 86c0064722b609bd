"""The shared sidebar filters, bound to the URL: ``?country=MNG&country=IDN&tech=Solar&fy_from=2015&fy_to=2025``.

The URL carries codes (ISO3, UNEP types, FY numbers), never display names, so a link works in any
display language. On a session's first run the URL is read into widget state; on every run the
current selection is written back, so a pasted link reproduces the view in a fresh browser.
(Streamlit's ``bind="query-params"`` stores a multiselect's formatted label, the country name,
which is why this module exists; tests/test_browser.py proves the round trip.)
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from jcm_dash.i18n import EN, Translator
from jcm_dash.queries import Filters
from jcm_dash.validate import shown

KEY_COUNTRY = "filter_country"
KEY_TECH = "filter_tech"
KEY_FY = "filter_fy"
_LOADED = "_filters_loaded_from_url"
_WARNINGS = "_filter_url_warnings"
# The selection is kept under its own key as well as in the widgets' state: Streamlit resets a widget
# whose label changes (as on a language switch), and the saved values restore it.
_SAVED = "_filter_values"
# A link holds a handful of values; past these, the rest is ignored with one warning, so a crafted URL
# cannot make the page draw thousands of warnings or keep megabytes of text in session state.
MAX_VALUES = 50
MAX_WARNINGS = 5


def _int_param(name: str) -> int | None:
    value = st.query_params.get(name)
    if value is None or value == "" or len(value) > 12:
        return None
    try:
        return int(value)
    except ValueError:
        return None


Warning = tuple[str, dict[str, Any]]  # a catalogue key and its values, translated when shown


def _load_from_url(ref: dict[str, Any]) -> list[Warning]:
    """Copy the URL's filter values into widget state; return warnings for values it dropped."""
    warnings: list[Warning] = []
    names = ref["country_names"]
    countries = []
    for code in st.query_params.get_all("country")[:MAX_VALUES]:
        if code.upper() in names:
            countries.append(code.upper())
        else:
            warnings.append(("filters.warn_country", {"code": shown(code, 40)}))
    techs = []
    for tech in st.query_params.get_all("tech")[:MAX_VALUES]:
        if tech in ref["technologies"]:
            techs.append(tech)
        else:
            warnings.append(("filters.warn_tech", {"tech": shown(tech, 40)}))
    lo, hi = ref["fy_span"]
    fy_from, fy_to = _int_param("fy_from"), _int_param("fy_to")
    for name, value in (("fy_from", fy_from), ("fy_to", fy_to)):
        if value is None and st.query_params.get(name):
            warnings.append(("filters.warn_not_year", {"name": name, "value": shown(st.query_params.get(name), 40)}))
        elif value is not None and not lo <= value <= hi:
            warnings.append(("filters.warn_clamped", {"name": name, "value": value, "lo": lo, "hi": hi}))
    start = min(max(fy_from if fy_from is not None else lo, lo), hi)
    end = min(max(fy_to if fy_to is not None else hi, lo), hi)
    if start > end:
        warnings.append(("filters.warn_swapped", {"start": start, "end": end}))
        start, end = end, start
    ignored = sum(max(0, len(st.query_params.get_all(name)) - MAX_VALUES) for name in ("country", "tech"))
    if ignored or len(warnings) > MAX_WARNINGS:
        warnings = [
            *warnings[:MAX_WARNINGS],
            ("filters.warn_more", {"n": ignored + max(0, len(warnings) - MAX_WARNINGS)}),
        ]
    st.session_state[_SAVED] = {
        KEY_COUNTRY: list(dict.fromkeys(countries)),
        KEY_TECH: list(dict.fromkeys(techs)),
        KEY_FY: (None if start == lo else start, None if end == hi else end),
    }
    return warnings


def _set_param(name: str, values: list[str]) -> None:
    if values:
        if st.query_params.get_all(name) != values:
            st.query_params[name] = values if len(values) > 1 else values[0]
    elif name in st.query_params:
        del st.query_params[name]


def url_params(filters: Filters) -> dict[str, list[str]]:
    """The URL parameters that reproduce ``filters`` (empty lists for unset ones)."""
    return {
        "country": list(filters.countries),
        "tech": list(filters.techs),
        "fy_from": [] if filters.fy_from is None else [str(filters.fy_from)],
        "fy_to": [] if filters.fy_to is None else [str(filters.fy_to)],
    }


def _write_to_url(filters: Filters) -> None:
    for name, values in url_params(filters).items():
        _set_param(name, values)


def _reset(ref: dict[str, Any]) -> None:
    st.session_state[_SAVED] = {KEY_COUNTRY: [], KEY_TECH: [], KEY_FY: (None, None)}


def _save(key: str, ref: dict[str, Any]) -> None:
    value = st.session_state[key]
    if key == KEY_FY:  # an end at the data's first or last FY is open, so a store with more years widens it
        lo, hi = ref["fy_span"]
        value = (None if value[0] == lo else value[0], None if value[1] == hi else value[1])
    st.session_state[_SAVED][key] = value


def _restore(ref: dict[str, Any]) -> None:
    lo, hi = ref["fy_span"]
    saved = st.session_state[_SAVED]
    start, end = saved[KEY_FY]
    st.session_state[KEY_COUNTRY] = [c for c in saved[KEY_COUNTRY] if c in ref["country_names"]]
    st.session_state[KEY_TECH] = [tech for tech in saved[KEY_TECH] if tech in ref["technologies"]]
    st.session_state[KEY_FY] = (min(max(start or lo, lo), hi), min(max(end or hi, lo), hi))


def sidebar(ref: dict[str, Any], t: Translator = EN) -> Filters:
    """Draw the shared filters in the sidebar and return the selection as Filters.

    A FY bound equal to the data's first or last FY is no bound: issuances without a date are
    then still counted.
    """
    if not st.session_state.get(_LOADED):
        st.session_state[_WARNINGS] = _load_from_url(ref)
        st.session_state[_LOADED] = True
    names = t.countries(ref["country_names"])
    lo, hi = ref["fy_span"]
    _restore(ref)
    with st.sidebar:
        st.header(t("filters.header"))
        st.multiselect(
            t("filters.countries"),
            options=sorted(names, key=names.get),
            format_func=names.get,
            key=KEY_COUNTRY,
            on_change=_save,
            args=(KEY_COUNTRY, ref),
            placeholder=t("filters.countries_all", n=len(names)),
        )
        st.multiselect(
            t("filters.technology"),
            options=ref["technologies"],
            format_func=t.tech,
            key=KEY_TECH,
            on_change=_save,
            args=(KEY_TECH, ref),
            placeholder=t("filters.technology_all"),
            help=t("filters.technology_help"),
        )
        st.slider(
            t("filters.fiscal_years"),
            min_value=lo,
            max_value=hi,
            key=KEY_FY,
            on_change=_save,
            args=(KEY_FY, ref),
            format=t("fy.slider_format"),
            help=t("filters.fiscal_years_help"),
        )
        st.button(t("filters.reset"), on_click=_reset, args=(ref,), width="stretch")
        for warning_key, values in st.session_state.get(_WARNINGS, []):
            st.warning(t.md(warning_key, **values))
    start, end = st.session_state[KEY_FY]
    filters = Filters(
        countries=tuple(st.session_state[KEY_COUNTRY]),
        techs=tuple(st.session_state[KEY_TECH]),
        fy_from=None if start == lo else int(start),
        fy_to=None if end == hi else int(end),
    )
    _write_to_url(filters)
    return filters
