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

from jcm_dash.queries import Filters

KEY_COUNTRY = "filter_country"
KEY_TECH = "filter_tech"
KEY_FY = "filter_fy"
_LOADED = "_filters_loaded_from_url"
_WARNINGS = "_filter_url_warnings"


def _int_param(name: str) -> int | None:
    value = st.query_params.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return None


def _load_from_url(ref: dict[str, Any]) -> list[str]:
    """Copy the URL's filter values into widget state; return warnings for values it dropped."""
    warnings: list[str] = []
    names = ref["country_names"]
    countries = []
    for code in st.query_params.get_all("country"):
        if code.upper() in names:
            countries.append(code.upper())
        else:
            warnings.append(f"Unknown partner country code '{code}' in the link was ignored.")
    techs = []
    for tech in st.query_params.get_all("tech"):
        if tech in ref["technologies"]:
            techs.append(tech)
        else:
            warnings.append(f"Unknown technology '{tech}' in the link was ignored.")
    lo, hi = ref["fy_span"]
    fy_from, fy_to = _int_param("fy_from"), _int_param("fy_to")
    for name, value in (("fy_from", fy_from), ("fy_to", fy_to)):
        if value is None and st.query_params.get(name):
            warnings.append(f"'{name}={st.query_params.get(name)}' in the link is not a year and was ignored.")
        elif value is not None and not lo <= value <= hi:
            warnings.append(f"{name}={value} is outside the data's FY{lo}–FY{hi} and was clamped.")
    start = min(max(fy_from if fy_from is not None else lo, lo), hi)
    end = min(max(fy_to if fy_to is not None else hi, lo), hi)
    if start > end:
        warnings.append(f"fy_from={start} is after fy_to={end}; the two were swapped.")
        start, end = end, start
    st.session_state[KEY_COUNTRY] = list(dict.fromkeys(countries))
    st.session_state[KEY_TECH] = list(dict.fromkeys(techs))
    st.session_state[KEY_FY] = (start, end)
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
    st.session_state[KEY_COUNTRY] = []
    st.session_state[KEY_TECH] = []
    st.session_state[KEY_FY] = ref["fy_span"]


def sidebar(ref: dict[str, Any]) -> Filters:
    """Draw the shared filters in the sidebar and return the selection as Filters.

    A FY bound equal to the data's first or last FY is no bound: issuances without a date are
    then still counted.
    """
    if not st.session_state.get(_LOADED):
        st.session_state[_WARNINGS] = _load_from_url(ref)
        st.session_state[_LOADED] = True
    names = ref["country_names"]
    lo, hi = ref["fy_span"]
    with st.sidebar:
        st.header("Filters")
        st.multiselect(
            "Partner countries",
            options=sorted(names, key=names.get),
            format_func=names.get,
            key=KEY_COUNTRY,
            placeholder=f"All {len(names)} partner countries",
        )
        st.multiselect(
            "Technology (UNEP type)",
            options=ref["technologies"],
            key=KEY_TECH,
            placeholder="All technologies",
            help="An issuance counts under a technology only when every project it names has that type.",
        )
        st.slider(
            "Fiscal years (April–March)",
            min_value=lo,
            max_value=hi,
            key=KEY_FY,
            format="FY%d",
            help="FY N runs from 1 April N to 31 March N+1. Issuances without a date count only when "
            "the whole range is selected.",
        )
        st.button("Reset filters", on_click=_reset, args=(ref,), width="stretch")
        for warning in st.session_state.get(_WARNINGS, []):
            st.warning(warning)
    start, end = st.session_state[KEY_FY]
    filters = Filters(
        countries=tuple(st.session_state[KEY_COUNTRY]),
        techs=tuple(st.session_state[KEY_TECH]),
        fy_from=None if start == lo else int(start),
        fy_to=None if end == hi else int(end),
    )
    _write_to_url(filters)
    return filters


def describe(filters: Filters, country_names: dict[str, str]) -> str:
    """One line stating the scope, for captions and export headers."""
    countries = ", ".join(country_names.get(c, c) for c in filters.countries) or "all partner countries"
    techs = ", ".join(filters.techs) or "all technologies"
    if filters.fy_from is not None and filters.fy_to is not None:
        years = f"FY{filters.fy_from}–FY{filters.fy_to}"
    elif filters.fy_from is not None:
        years = f"FY{filters.fy_from} onward"
    elif filters.fy_to is not None:
        years = f"up to FY{filters.fy_to}"
    else:
        years = "all fiscal years"
    return f"Scope: {countries}; {techs}; {years}."
