"""All SQL that reads the store. Values are bound as parameters; nothing is formatted into SQL.

Queries that take no filter (targets, the as-of date, partner countries...) are read once per
connection (``store.once``); the rest run on each call.

Filter semantics (the same for every page and command):
- country: the issuance's or project's partner country (ISO3).
- technology (UNEP type): a project matches when its type is selected; an issuance matches when
  *every* project it names has a selected type, so an issuance is never counted under two
  technologies. An issuance that names no project has no known technology and matches no
  technology filter.
- FY range: an issuance matches when the FY of its decision (else reported) date is in range; a
  project when the FY of its registration (else PIN decision) date is. Rows with no such date are
  kept only when no FY bound is set.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from jcm_dash import store
from jcm_dash.scope import Filters  # the page state's home; queries.Filters stays importable for callers

# The filter's values, bound as named parameters (Filters.params) and referenced directly in each
# clause. (Reading them from a one-row CTE cross-joined into the query kept DuckDB from pushing the
# filter into the scan: the latest 1,000 issuances took 60 ms that way at 1,000× scale, 21 ms this way.)
_COUNTRIES = "$countries::VARCHAR[]"
_TECHS = "$techs::VARCHAR[]"
_FY_FROM = "$fy_from::INTEGER"
_FY_TO = "$fy_to::INTEGER"


def _issuance_filter(alias: str) -> str:
    """The filter on a table with an issuance's keys (country_iso3, fiscal_year, tech_set_id).

    The technology filter (every project the issuance names has a selected UNEP type) is tested once
    per distinct technology set (derived.sql: technology_sets), then rows are kept by integer id.
    """
    return f"""
WHERE (len({_COUNTRIES}) = 0 OR list_contains({_COUNTRIES}, {alias}.country_iso3))
  AND (len({_TECHS}) = 0 OR coalesce({alias}.tech_set_id IN (
        SELECT s.tech_set_id FROM technology_sets s
        WHERE NOT s.has_unclassified AND list_has_all({_TECHS}, s.technologies)), FALSE))
  AND ({_FY_FROM} IS NULL OR {alias}.fiscal_year >= {_FY_FROM})
  AND ({_FY_TO} IS NULL OR {alias}.fiscal_year <= {_FY_TO})"""


# Every column a page shows of an issuance, with its project set and technology labels: those
# derived.sql lists for issuance_rows (one table, no join), less the filter's internal key.
_ISSUANCE_COLUMNS = """
SELECT k.* EXCLUDE (tech_set_id)"""

# Issuances that pass the filter.
_FILTERED_ISSUANCES = f"""
FROM issuance_rows k{_issuance_filter("k")}"""

ISSUANCES_SQL = f"""{_ISSUANCE_COLUMNS}{_FILTERED_ISSUANCES}
ORDER BY k.event_date NULLS LAST, k.issuance_id
"""

# The latest issuances: a Top-N on the table stored newest first (only its first row groups are read).
LATEST_ISSUANCES_SQL = f"""{_ISSUANCE_COLUMNS}{_FILTERED_ISSUANCES}
ORDER BY k.event_date DESC NULLS LAST, k.issuance_id
LIMIT $limit
"""

# Every issuance naming one project, whatever the filter (a project's detail).
ISSUANCES_NAMING_SQL = f"""{_ISSUANCE_COLUMNS}
FROM issuance_rows k
WHERE k.issuance_id IN (SELECT issuance_id FROM issuance_projects WHERE project_ref = $ref)
ORDER BY k.event_date NULLS LAST, k.issuance_id
"""

# Aggregated forms of the two frames above, for views that only sum and count: one row per
# combination of the dimensions the pages split by, with n (rows), each amount's sum (NULL when no
# row in the group states it, as jcm_dash.metrics.known_total) and n_<amount> (rows that state it).
# jcm_dash.metrics and jcm_dash.breakdowns take either form (tests/test_cube.py proves they agree).
_AMOUNTS = ("credits_issued_tco2", "japan_side_tco2", "partner_side_tco2", "goj_share_tco2")
# Reads the build-time pre-aggregation (derived.sql: issuance_facts), filtered exactly as above.
_FILTERED_FACTS = f"""
FROM issuance_facts l{_issuance_filter("l")}"""

ISSUANCE_DIMENSIONS = (
    "country_iso3",
    "country",
    "fiscal_year",
    "technology",
    "technology_subtype",
    "technology_detail",
)


def _cube_sql(dimensions: tuple[str, ...], allowed: tuple[str, ...], sums: str, source: str) -> str:
    """Filtered pre-aggregated rows (``source``, aliased l) re-summed per ``dimensions`` only.

    A view asks only for the dimensions it shows, so fewer groups are read. Names come from
    ISSUANCE_DIMENSIONS / PROJECT_DIMENSIONS, never from user input.
    """
    assert set(dimensions) <= set(allowed), dimensions
    columns = "".join(f"l.{d}, " for d in dimensions)
    return f"""
SELECT {columns}sum(l.n)::BIGINT AS n, {sums}
{source}
GROUP BY ALL
ORDER BY ALL
"""


def _issuance_cube_sql(dimensions: tuple[str, ...]) -> str:
    """The issuance facts in the filter, summed per ``dimensions``."""
    sums = ", ".join(f"sum(l.{a}) AS {a}, sum(l.n_{a})::BIGINT AS n_{a}" for a in _AMOUNTS)
    return _cube_sql(dimensions, ISSUANCE_DIMENSIONS, sums, _FILTERED_FACTS)


# A published total is compared only when no technology or FY filter is set: countries alone filter.
ISSUED_UP_TO_SQL = f"""
SELECT coalesce(sum(credits_issued_tco2), 0)
FROM issued_by_day
WHERE (len({_COUNTRIES}) = 0 OR list_contains({_COUNTRIES}, country_iso3))
  AND event_date <= $day
"""

ISSUANCE_SOURCES_SQL = f"""
SELECT DISTINCT l.url
FROM issuance_source_facts l{_issuance_filter("l")}
ORDER BY l.url
"""


def _project_filter(alias: str) -> str:
    """The filter on a table with a project's keys (country_iso3, unep_type, event_fy)."""
    return f"""
WHERE (len({_COUNTRIES}) = 0 OR list_contains({_COUNTRIES}, {alias}.country_iso3))
  AND (len({_TECHS}) = 0 OR list_contains({_TECHS}, {alias}.unep_type))
  AND ({_FY_FROM} IS NULL OR {alias}.event_fy >= {_FY_FROM})
  AND ({_FY_TO} IS NULL OR {alias}.event_fy <= {_FY_TO})"""


_FILTERED_PROJECTS = f"""
FROM projects p{_project_filter("p")}"""

# The projects in the filter that also contain $search in their reference, title or participants
# (case-insensitive; '' matches all) and are among $refs (NULL: any).
_MATCHING_PROJECTS = f"""{_FILTERED_PROJECTS}
  AND ($search = '' OR contains(
        lower(concat_ws(' ', coalesce(p.project_ref, ''), coalesce(p.title, ''),
                        coalesce(p.host_participant, ''), coalesce(p.japanese_participant, ''))),
        lower($search)))
  AND ($refs::VARCHAR[] IS NULL OR list_contains($refs::VARCHAR[], p.project_ref))"""

# Matching projects by reference, the first $limit of them (NULL: all).
PROJECTS_SQL = f"""
SELECT p.project_ref, p.country, p.country_iso3, p.title, p.status_code, p.status_detail,
       p.registration_date, p.pin_decision_date, p.event_date, p.event_fy,
       p.unep_type, p.unep_subtype, p.technology_detail,
       p.expected_annual_reductions_tco2, p.expected_reductions_source, p.methodology_ref,
       p.financing_programme, p.host_participant, p.japanese_participant,
       p.source_url, p.source_url_2, p.unep_source_url, p.notes
{_MATCHING_PROJECTS}
ORDER BY p.project_ref
LIMIT $limit
"""

# How many projects match in all, and their distinct sources (when a page shows only the first).
PROJECT_MATCHES_SQL = f"""
SELECT count(*) AS n, list_sort(list_distinct(list(p.source_url))) AS sources
{_MATCHING_PROJECTS}
"""

PROJECT_DIMENSIONS = (
    "country_iso3",
    "country",
    "status_code",
    "unep_type",
    "unep_subtype",
    "technology_detail",
    "event_fy",
)


def _project_cube_sql(dimensions: tuple[str, ...]) -> str:
    """The project facts in the filter, counted and summed per ``dimensions``."""
    sums = (
        "sum(l.expected_annual_reductions_tco2) AS expected_annual_reductions_tco2, "
        "sum(l.n_expected_annual_reductions_tco2)::BIGINT AS n_expected_annual_reductions_tco2"
    )
    return _cube_sql(dimensions, PROJECT_DIMENSIONS, sums, f"FROM project_facts l{_project_filter('l')}")


REGISTERED_MEDIAN_SQL = f"""
SELECT median(p.expected_annual_reductions_tco2)
{_FILTERED_PROJECTS}
  AND p.status_code = 'registered'
"""

PARTNERS_SQL = """
SELECT iso3, country, date_bilateral_document_signed, date_precision, signed_date, partner_order, source_url, notes
FROM partner_countries
ORDER BY partner_order NULLS LAST, country
"""

AS_OF_SQL = """
SELECT max(d) FROM (
    SELECT decision_date AS d FROM issuances
    UNION ALL SELECT reported_date FROM issuances
    UNION ALL SELECT registration_date FROM projects
    UNION ALL SELECT pin_decision_date FROM projects
    UNION ALL SELECT signed_date FROM partner_countries
)
"""


# Per project: the issuances in the filter that name it (derived.sql: project_issuance_keys), limited
# to the projects in $refs unless it is NULL (the projects page attributes only the rows it shows).
PROJECT_ATTRIBUTION_SQL = f"""
SELECT k.project_ref,
       count(*) FILTER (WHERE k.n_projects = 1) AS sole_issuances,
       sum(k.credits_issued_tco2) FILTER (WHERE k.n_projects = 1) AS sole_tco2,
       sum(k.credits_issued_tco2) FILTER (WHERE k.n_projects > 1) AS shared_tco2,
       count(*) AS issuances
FROM project_issuance_keys k{_issuance_filter("k")}
  AND ($refs::VARCHAR[] IS NULL OR list_contains($refs::VARCHAR[], k.project_ref))
GROUP BY k.project_ref
ORDER BY k.project_ref
"""

COVERAGE_SQL = f"""
WITH fi AS (SELECT k.issuance_id, k.country_iso3, k.credits_issued_tco2, k.n_projects {_FILTERED_ISSUANCES}),
fp AS (SELECT p.project_ref, p.country_iso3, p.status_code {_FILTERED_PROJECTS}),
named AS (SELECT DISTINCT k.project_ref FROM project_issuance_keys k{_issuance_filter("k")}),
per_project AS (
    SELECT fp.country_iso3, count(*) AS projects,
           count(*) FILTER (WHERE fp.status_code = 'registered') AS registered,
           count(named.project_ref) AS projects_with_issuance_data
    FROM fp LEFT JOIN named USING (project_ref)
    GROUP BY fp.country_iso3
),
per_issuance AS (
    SELECT country_iso3, count(*) AS issuances,
           count(*) FILTER (WHERE credits_issued_tco2 IS NULL) AS issuances_without_amount,
           count(*) FILTER (WHERE n_projects = 0) AS issuances_without_named_projects
    FROM fi GROUP BY country_iso3
)
SELECT pc.iso3, pc.country,
       coalesce(pp.projects, 0) AS projects, coalesce(pp.registered, 0) AS registered,
       coalesce(pp.projects_with_issuance_data, 0) AS projects_with_issuance_data,
       coalesce(pi.issuances, 0) AS issuances,
       coalesce(pi.issuances_without_amount, 0) AS issuances_without_amount,
       coalesce(pi.issuances_without_named_projects, 0) AS issuances_without_named_projects
FROM partner_countries pc
LEFT JOIN per_project pp ON pp.country_iso3 = pc.iso3
LEFT JOIN per_issuance pi ON pi.country_iso3 = pc.iso3
WHERE len({_COUNTRIES}) = 0 OR list_contains({_COUNTRIES}, pc.iso3)
ORDER BY pc.partner_order NULLS LAST, pc.country
"""

# Notes that record a conflict between sources or an overlap (kept as found, not resolved).
CONFLICTS_SQL = """
SELECT * FROM (
    SELECT 'issuance' AS record, issuance_id AS key, notes, source_url FROM issuances
    UNION ALL SELECT 'project', project_ref, notes, source_url FROM projects
    UNION ALL SELECT 'partner country', iso3, notes, source_url FROM partner_countries
)
WHERE regexp_matches(notes, '(?i)conflict|overlap|\\bvs\\.?\\b')
ORDER BY CASE record WHEN 'issuance' THEN 1 WHEN 'project' THEN 2 ELSE 3 END, key
"""


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> pd.DataFrame:
    """Run ``sql`` on this thread's cursor (connections are shared across Streamlit's threads)."""
    cur = store.thread_cursor(con)
    return cur.execute(sql, params).df() if params is not None else cur.execute(sql).df()


def _once(con: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    """``sql``'s result, read once per connection (for queries that take no filter)."""
    return store.once(con, sql, lambda: _frame(con, sql))


def issuances(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per issuance that passes ``filters``, with its project set and technology label."""
    return _frame(con, ISSUANCES_SQL, filters.params())


def issuance_cube(
    con: duckdb.DuckDBPyConnection, filters: Filters, by: tuple[str, ...] = ISSUANCE_DIMENSIONS
) -> pd.DataFrame:
    """The issuances that pass ``filters``, summed per ``by`` (default: country, FY, technology labels).

    A view asks only for the dimensions it shows: fewer groups to read (see _cube_sql).
    """
    return _frame(con, _issuance_cube_sql(by), filters.params())


def issued_up_to(con: duckdb.DuckDBPyConnection, filters: Filters, day: Any) -> float:
    """Known credits issued in ``filters``' countries dated on or before ``day`` (0 when none).

    Only the country filter applies: a published total is compared when no other filter is set.
    """
    return float(_frame(con, ISSUED_UP_TO_SQL, {"countries": list(filters.countries), "day": day}).iloc[0, 0])


def issuance_sources(con: duckdb.DuckDBPyConnection, filters: Filters) -> list[str]:
    """The distinct source URLs of the issuances in ``filters``, sorted (for export headers)."""
    return _frame(con, ISSUANCE_SOURCES_SQL, filters.params())["url"].tolist()


def success_ratio_inputs(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Totals and quartiles over the measurable issued periods (tests/reference.py measures the same in pandas).

    Computed once at build time (``success_ratio_inputs`` in derived.sql); this reads its one-row result.
    """
    return _once(con, "SELECT * FROM success_ratio_inputs").iloc[0].to_dict()


def project_attribution(
    con: duckdb.DuckDBPyConnection, filters: Filters, refs: list[str] | None = None
) -> pd.DataFrame:
    """Per project named by an issuance in ``filters``: sole and shared issuances and their known sums.

    With ``refs``, only those projects (the rows a page shows); with None, every project.
    """
    return _frame(con, PROJECT_ATTRIBUTION_SQL, {**filters.params(), "refs": None if refs is None else list(refs)})


def latest_issuances(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int) -> tuple[pd.DataFrame, int]:
    """The ``limit`` most recent issuances in ``filters`` (undated last), and how many there are in all."""
    frame = _frame(con, LATEST_ISSUANCES_SQL, {**filters.params(), "limit": limit})
    total = int(issuance_cube(con, filters, by=())["n"].sum()) if len(frame) >= limit else len(frame)
    return frame, total


def issuances_naming(con: duckdb.DuckDBPyConnection, project_ref: str) -> pd.DataFrame:
    """Every issuance that names ``project_ref``, oldest first (a project's detail)."""
    return _frame(con, ISSUANCES_NAMING_SQL, {"ref": project_ref})


def coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Per partner in the country filter: the data page's coverage table.

    Projects, registered, those named by an issuance, issuances without amount and without named projects.
    """
    frame = _frame(con, COVERAGE_SQL, filters.params())
    return frame.astype({c: int for c in frame.columns if c not in ("iso3", "country")})


def conflicts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rows whose notes record a conflict between sources or an overlap: record, key, notes, source_url."""
    return _once(con, CONFLICTS_SQL)


def issued_by_day(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Known credits per (country_iso3, event_date), from the build-time table (published comparisons)."""
    return _frame(con, "SELECT country_iso3, event_date, credits_issued_tco2 FROM issued_by_day")


def registration_dates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every project's registration date (NULL for those not registered)."""
    return _frame(con, "SELECT registration_date FROM projects")


# Issued monitoring periods (derived.sql: issued_periods) with their decision date and expected
# reductions over the period, so the success ratio can be measured as known at an earlier date.
ISSUED_PERIODS_DATED_SQL = """
SELECT i.event_date, sum(p.issued_tco2) AS issued_tco2,
       sum(p.expected_annual_tco2 * p.period_days / 365.25) AS expected_tco2, count(*) AS n
FROM issued_periods p
JOIN issuances i USING (issuance_id)
WHERE p.period_days > 0 AND p.expected_annual_tco2 > 0
GROUP BY i.event_date
ORDER BY i.event_date NULLS LAST
"""

# Days from each monitoring period's end to the issuance's decision (else reported) date.
LAG_SAMPLES_SQL = """
SELECT event_date, date_diff('day', monitoring_period_end, event_date) AS lag_days, count(*) AS n
FROM issuances
WHERE event_date IS NOT NULL AND monitoring_period_end IS NOT NULL
GROUP BY ALL
ORDER BY ALL
"""


# Registered projects per registration date and FY (and country for the backtest), with their
# expected annual reductions: the accrual cohorts of the projections.
def _registered_by_date_sql(by_country: bool) -> str:
    country = "p.country_iso3, " if by_country else ""
    return f"""
SELECT {country}p.registration_date, p.event_fy,
       sum(p.expected_annual_reductions_tco2) AS expected_annual_reductions_tco2, count(*) AS n
{_FILTERED_PROJECTS}
  AND p.status_code = 'registered'
GROUP BY ALL
ORDER BY ALL
"""


def issued_periods_dated(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Issued monitoring periods usable for the success ratio, summed per decision date (whole store)."""
    return _once(con, ISSUED_PERIODS_DATED_SQL)


def lag_samples(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Issuances stating both a monitoring-period end and a date: event_date, lag_days, n (whole store)."""
    return _once(con, LAG_SAMPLES_SQL)


def registered_by_date(con: duckdb.DuckDBPyConnection, filters: Filters, by_country: bool = False) -> pd.DataFrame:
    """Registered projects in ``filters`` grouped by registration date and FY (and country): expected sums, n."""
    return _frame(con, _registered_by_date_sql(by_country), filters.params())


def _projects(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    search: str = "",
    refs: list[str] | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    return _frame(con, PROJECTS_SQL, {**_project_params(filters, search, refs), "limit": limit})


def _project_params(filters: Filters, search: str, refs: list[str] | None) -> dict[str, Any]:
    """The parameters of _MATCHING_PROJECTS."""
    return {**filters.params(), "search": search.strip(), "refs": refs}


def projects(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """One row per project that passes ``filters``."""
    return _projects(con, filters)


def project(con: duckdb.DuckDBPyConnection, project_ref: str) -> pd.DataFrame:
    """The project ``project_ref`` as a one-row frame (empty when there is none), whatever the filter."""
    return _projects(con, Filters(), refs=[project_ref])


def project_page(
    con: duckdb.DuckDBPyConnection, filters: Filters, search: str = "", limit: int | None = None
) -> tuple[pd.DataFrame, int, list[str]]:
    """The first ``limit`` projects (all when None) in ``filters`` matching ``search``, by reference.

    ``search`` is matched, case-insensitively, inside the reference, title and participants.
    Returns the rows, how many projects match in all, and the distinct source URLs of all of them.
    """
    frame = _projects(con, filters, search, limit=limit)
    if limit is None or len(frame) < limit:
        return frame, len(frame), sorted(frame["source_url"].dropna().unique().tolist())
    matches = _frame(con, PROJECT_MATCHES_SQL, _project_params(filters, search, None)).iloc[0]
    return frame, int(matches["n"]), [u for u in matches["sources"] if u is not None]


def projects_among(con: duckdb.DuckDBPyConnection, filters: Filters, refs: list[str]) -> set[str]:
    """Which of ``refs`` are projects inside ``filters``."""
    return set(_projects(con, filters, refs=list(refs))["project_ref"])


def project_cube(
    con: duckdb.DuckDBPyConnection, filters: Filters, by: tuple[str, ...] = PROJECT_DIMENSIONS
) -> pd.DataFrame:
    """The projects that pass ``filters``, counted per ``by`` (default: country, status, technology, FY)."""
    return _frame(con, _project_cube_sql(by), filters.params())


def registered_median_size(con: duckdb.DuckDBPyConnection, filters: Filters) -> float | None:
    """The median expected annual reductions of the registered projects in ``filters`` (None when none)."""
    value = _frame(con, REGISTERED_MEDIAN_SQL, filters.params()).iloc[0, 0]
    return None if pd.isna(value) else float(value)


def partner_countries(con: duckdb.DuckDBPyConnection, filters: Filters | None = None) -> pd.DataFrame:
    """Partner countries in the country filter (all 31 when none is selected), in partner order."""
    partners = _once(con, PARTNERS_SQL)
    if filters is None or not filters.countries:
        return partners
    return partners[partners["iso3"].isin(filters.countries)].reset_index(drop=True)


def targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """All targets; tonnage targets have ``deadline_fy`` and at least one value."""
    return _once(con, "SELECT * FROM targets ORDER BY deadline_fy NULLS LAST, value_low_tco2")


def published_figures(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Figures published by others (aggregates.csv), in file order."""
    return _once(con, "SELECT * FROM published_figures ORDER BY figure_id")


def technologies(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The UNEP technology types present in the store, for the technology filter."""
    frame = _once(con, "SELECT DISTINCT unep_type FROM projects WHERE unep_type IS NOT NULL ORDER BY 1")
    return frame["unep_type"].tolist()


def fy_span(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """The first and last FY with any dated issuance or project event."""
    frame = _once(
        con,
        "SELECT min(fy) AS lo, max(fy) AS hi FROM (SELECT fiscal_year AS fy FROM issuances "
        "UNION ALL SELECT event_fy FROM projects)",
    )
    return int(frame.loc[0, "lo"]), int(frame.loc[0, "hi"])


def as_of(con: duckdb.DuckDBPyConnection) -> Any:
    """The store's latest dated event (a decision, report, registration or signing), whatever the filter."""
    return _once(con, AS_OF_SQL).iloc[0, 0]


def imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The import history, newest first: builds and imports, one row per file or sheet."""
    return _once(con, "SELECT * FROM imports ORDER BY import_id DESC")


def article6_agreements(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every Article 6 agreement (buyer, host, date, status...), oldest first, undated last."""
    return _once(
        con,
        "SELECT * EXCLUDE (last_import_id) FROM article6_agreements "
        'ORDER BY "date" NULLS LAST, buyer_country, host_country',
    )


def article6_buyer_facts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every buyer fact as stored (value, unit and period as stated), in file order."""
    return _once(con, "SELECT * EXCLUDE (last_import_id) FROM article6_buyer_facts ORDER BY fact_id")
