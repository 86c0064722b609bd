"""The shared sidebar filters, bound to the URL: ``?country=MNG&country=IDN&tech=Solar&fy_from=2015&fy_to=2025``.

The URL carries codes (ISO3, UNEP types, FY numbers), never display names, so a link works in any
display language. (Streamlit's ``bind="query-params"`` stores a multiselect's formatted label, the
country name, which is why this module exists.) The selection is a ``scope.Filters`` kept by
``urlstate``; the FY rule (a bound at the data's edge is open) is ``Filters.within``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from jcm_dash.i18n import EN, Translator
from jcm_dash.scope import Filters, Reference
from jcm_dash.ui import urlstate

KEY_COUNTRY = "filter_country"
KEY_TECH = "filter_tech"
KEY_FY = "filter_fy"


def url_params(filters: Filters) -> urlstate.Params:
    """The URL parameters that reproduce ``filters`` (empty lists for unset ones)."""
    return {
        "country": list(filters.countries),
        "tech": list(filters.techs),
        "fy_from": [] if filters.fy_from is None else [str(filters.fy_from)],
        "fy_to": [] if filters.fy_to is None else [str(filters.fy_to)],
    }


STATE = urlstate.UrlState("filters", url_params, Filters)


def _from_url(ref: Reference) -> tuple[Filters, list[urlstate.Warning]]:
    """The URL's filter values, and warnings for those it dropped (unknown, not a year) or changed."""
    warnings: list[urlstate.Warning] = []
    countries = []
    codes, ignored_codes = urlstate.values("country")
    for code in codes:
        if code.upper() in ref.country_names:
            countries.append(code.upper())
        else:
            warnings.append(("filters.warn_country", {"code": urlstate.quoted(code)}))
    techs = []
    names, ignored_techs = urlstate.values("tech")
    for tech in names:
        if tech in ref.technologies:
            techs.append(tech)
        else:
            warnings.append(("filters.warn_tech", {"tech": urlstate.quoted(tech)}))
    lo, hi = ref.fy_span
    fy_from, fy_to = urlstate.integer("fy_from"), urlstate.integer("fy_to")
    for name, value in (("fy_from", fy_from), ("fy_to", fy_to)):
        if value is None and urlstate.given(name):
            warnings.append(("filters.warn_not_year", {"name": name, "value": urlstate.quoted(urlstate.given(name))}))
        elif value is not None and not lo <= value <= hi:
            warnings.append(("filters.warn_clamped", {"name": name, "value": value, "lo": lo, "hi": hi}))
    start, end = Filters(fy_from=fy_from, fy_to=fy_to).fy_range(ref.fy_span)
    if start > end:
        warnings.append(("filters.warn_swapped", {"start": start, "end": end}))
        start, end = end, start
    filters = Filters.within(ref.fy_span, countries, techs, (start, end))
    return filters, urlstate.capped(warnings, ignored_codes + ignored_techs)


def _save(ref: Reference) -> None:
    """A widget changed: the selection from the three widgets' state."""
    STATE.set(
        Filters.within(ref.fy_span, st.session_state[KEY_COUNTRY], st.session_state[KEY_TECH], st.session_state[KEY_FY])
    )


def _restore(filters: Filters, ref: Reference) -> None:
    """Put the saved selection into the widgets (values no longer in the store are dropped)."""
    st.session_state[KEY_COUNTRY] = [c for c in filters.countries if c in ref.country_names]
    st.session_state[KEY_TECH] = [tech for tech in filters.techs if tech in ref.technologies]
    st.session_state[KEY_FY] = filters.fy_range(ref.fy_span)


def sidebar(ref: Reference, t: Translator = EN) -> Filters:
    """Draw the shared filters in the sidebar and return the selection as Filters.

    A FY bound equal to the data's first or last FY is no bound: issuances without a date are
    then still counted.
    """
    _restore(STATE.load(lambda: _from_url(ref)), ref)
    names = t.countries(ref.country_names)
    lo, hi = ref.fy_span
    with st.sidebar:
        st.header(t("filters.header"))
        st.multiselect(
            t("filters.countries"),
            options=sorted(names, key=names.get),
            format_func=names.get,
            key=KEY_COUNTRY,
            on_change=_save,
            args=(ref,),
            placeholder=t("filters.countries_all", n=len(names)),
        )
        st.multiselect(
            t("filters.technology"),
            options=list(ref.technologies),
            format_func=t.tech,
            key=KEY_TECH,
            on_change=_save,
            args=(ref,),
            placeholder=t("filters.technology_all"),
            help=t("filters.technology_help"),
        )
        st.slider(
            t("filters.fiscal_years"),
            min_value=lo,
            max_value=hi,
            key=KEY_FY,
            on_change=_save,
            args=(ref,),
            format=t("fy.slider_format"),
            help=t("filters.fiscal_years_help"),
        )
        st.button(t("filters.reset"), on_click=STATE.reset, width="stretch")
    # The store may have changed since the selection was saved (a country gone, fewer years).
    filters = Filters.within(
        ref.fy_span, st.session_state[KEY_COUNTRY], st.session_state[KEY_TECH], st.session_state[KEY_FY]
    )
    STATE.set(filters)
    STATE.write()
    return filters


def url_warnings(container: Any, t: Translator = EN) -> None:
    """The values the link's filters dropped, one warning each, in ``container``.

    app.py puts them in the main column, above the page: the sidebar is collapsed on a narrow screen,
    where a warning there would go unseen (tests/test_browser.py::test_url_warning_in_main_column_at_420px).
    """
    urlstate.show_warnings(container, STATE.warnings(), t)
