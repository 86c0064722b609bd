"""The scope of a view in words, for captions, export headers and the briefing pack (no Streamlit)."""

from __future__ import annotations

from jcm_dash.i18n import EN, Translator
from jcm_dash.queries import Filters


def describe(filters: Filters, country_names: dict[str, str], t: Translator = EN) -> str:
    """One line stating the scope, for captions and export headers."""
    separator = t("filters.list_separator")
    countries = separator.join(t.country(c, country_names.get(c)) for c in filters.countries)
    techs = separator.join(t.tech(tech) for tech in filters.techs)
    years = years_words(filters, t)
    return t(
        "filters.scope",
        countries=countries or t("filters.all_countries"),
        techs=techs or t("filters.all_technologies"),
        years=years,
    )


def short_name(filters: Filters, country_names: dict[str, str], t: Translator = EN) -> str:
    """The scope in a few words for headings: one country's or technology's name, else "this selection".

    The fiscal years are not named here; headings that count by FY say so themselves.
    """
    if len(filters.countries) == 1 and not filters.techs:
        code = filters.countries[0]
        return t.country(code, country_names.get(code))
    if len(filters.techs) == 1 and not filters.countries:
        return t.tech(filters.techs[0])
    if not filters.countries and not filters.techs:
        return t("filters.whole_jcm")
    return t("filters.this_selection")


def years_words(filters: Filters, t: Translator = EN) -> str:
    """The FY range in words (``FY2021``, ``FY2016–FY2024``, ``all fiscal years``)."""
    if filters.fy_from is not None and filters.fy_to is not None:
        if filters.fy_from == filters.fy_to:
            return t.fy(filters.fy_from)
        return t.fy_range(filters.fy_from, filters.fy_to)
    if filters.fy_from is not None:
        return t("fy.from", fy=filters.fy_from)
    if filters.fy_to is not None:
        return t("fy.to", fy=filters.fy_to)
    return t("filters.all_years")
