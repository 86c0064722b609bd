"""One function per view: runs the queries and metrics a page or command shows, for one filter.

Pages, the command line and exports all call these, so their numbers cannot disagree.
"""

from __future__ import annotations

from typing import Any

import duckdb

from jcm_dash import metrics, queries
from jcm_dash.fiscal import fiscal_year


def summary(con: duckdb.DuckDBPyConnection, filters: queries.Filters) -> dict[str, Any]:
    """Headline figures for ``filters``, as ``summary --json`` prints them."""
    return metrics.summary(
        queries.issuances(con, filters),
        queries.projects(con, filters),
        queries.partner_countries(con, filters),
        queries.as_of(con),
    )


def overview(con: duckdb.DuckDBPyConnection, filters: queries.Filters) -> dict[str, Any]:
    """Everything the overview page shows for ``filters``.

    The FY axis runs from the filter's first FY (else the data's first) to the filter's last FY
    (else the FY of the data's as-of date).
    """
    issuances = queries.issuances(con, filters)
    projects = queries.projects(con, filters)
    partners = queries.partner_countries(con, filters)
    as_of = queries.as_of(con)
    span_first, _ = queries.fy_span(con)
    as_of_fy = fiscal_year(as_of.date())
    first_fy = filters.fy_from if filters.fy_from is not None else span_first
    last_fy = filters.fy_to if filters.fy_to is not None else as_of_fy
    result = metrics.summary(issuances, projects, partners, as_of)
    targets = metrics.tonnage_targets(queries.targets(con))
    country_names = partners["country"].tolist() if filters.countries else []
    # A published total covers all technologies and years, so it is only comparable unfiltered by them.
    comparable = not filters.techs and not filters.has_fy_bounds
    published = (
        metrics.nearest_published_total(queries.published_figures(con), issuances, country_names) if comparable else None
    )
    return {
        "summary": result,
        "as_of_fy": as_of_fy,
        "first_fy": first_fy,
        "last_fy": last_fy,
        "cumulative_issued": metrics.cumulative_issued(issuances, first_fy, last_fy),
        "cumulative_expected": metrics.cumulative_expected(projects, first_fy, last_fy),
        "targets": targets,
        "target_progress": metrics.target_progress(result["credits_issued_tco2"] or 0, queries.targets(con)),
        "published": published,
        "issuances": issuances,
    }
