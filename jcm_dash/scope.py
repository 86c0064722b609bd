"""The scope of a view in words, for captions, export headers and the briefing pack (no Streamlit)."""

from __future__ import annotations

from jcm_dash.i18n import EN, Translator
from jcm_dash.queries import Filters


def describe(filters: Filters, country_names: dict[str, str], t: Translator = EN) -> str:
    """One line stating the scope, for captions and export headers."""
    separator = t("filters.list_separator")
    countries = separator.join(t.country(c, country_names.get(c)) for c in filters.countries)
    techs = separator.join(t.tech(tech) for tech in filters.techs)
    if filters.fy_from is not None and filters.fy_to is not None:
        years = t.fy_range(filters.fy_from, filters.fy_to)
    elif filters.fy_from is not None:
        years = t("fy.from", fy=filters.fy_from)
    elif filters.fy_to is not None:
        years = t("fy.to", fy=filters.fy_to)
    else:
        years = t("filters.all_years")
    return t(
        "filters.scope",
        countries=countries or t("filters.all_countries"),
        techs=techs or t("filters.all_technologies"),
        years=years,
    )
