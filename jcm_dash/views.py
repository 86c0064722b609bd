"""One function per view: runs the queries and metrics a page or command shows, for one filter.

Pages, the command line and exports all call these, so their numbers cannot disagree. Views that
only sum and count read the aggregated frames (``queries.issuance_cube`` / ``project_cube``), so
their cost grows with the number of groups, not of rows (bench/RESULTS.md); the projects and data
pages list rows and read the row-level frames.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from jcm_dash import article6, backtest, breakdowns, coverage, metrics, progress, projections, queries, store
from jcm_dash.fiscal import fiscal_year

# The dimensions the summing views need (jcm_dash.queries groups by these only).
SUMMARY_ISSUANCES = ("country_iso3", "fiscal_year")
SUMMARY_PROJECTS = ("status_code", "event_fy")


def summary(con: duckdb.DuckDBPyConnection, filters: queries.Filters) -> dict[str, Any]:
    """Headline figures for ``filters``, as ``summary --json`` prints them."""
    return metrics.summary(
        queries.issuance_cube(con, filters, SUMMARY_ISSUANCES),
        queries.project_cube(con, filters, SUMMARY_PROJECTS),
        queries.partner_countries(con, filters),
        queries.as_of(con),
    )


def overview(con: duckdb.DuckDBPyConnection, filters: queries.Filters) -> dict[str, Any]:
    """Everything the overview page shows for ``filters``.

    The FY axis runs from the filter's first FY (else the data's first) to the filter's last FY
    (else the FY of the data's as-of date).
    """
    issuances = queries.issuance_cube(con, filters, SUMMARY_ISSUANCES)
    projects = queries.project_cube(con, filters, SUMMARY_PROJECTS)
    partners = queries.partner_countries(con, filters)
    as_of = queries.as_of(con)
    span_first, _ = queries.fy_span(con)
    as_of_fy = fiscal_year(as_of.date())
    first_fy = filters.fy_from if filters.fy_from is not None else span_first
    last_fy = filters.fy_to if filters.fy_to is not None else as_of_fy
    result = metrics.summary(issuances, projects, partners, as_of)
    all_targets = queries.targets(con)
    targets = metrics.tonnage_targets(all_targets)
    country_names = partners["country"].tolist() if filters.countries else []
    # A published total covers all technologies and years, so it is only comparable unfiltered by them.
    comparable = not filters.techs and not filters.has_fy_bounds
    figures = queries.published_figures(con)
    published = _published_total(con, filters, figures, country_names) if comparable else None
    cumulative = metrics.cumulative_issued(issuances, first_fy, last_fy)
    return {
        "summary": result,
        "as_of_fy": as_of_fy,
        "first_fy": first_fy,
        "last_fy": last_fy,
        "cumulative_issued": cumulative,
        "cumulative_expected": metrics.cumulative_expected(projects, first_fy, last_fy),
        "targets": targets,
        "target_progress": metrics.target_progress(result["credits_issued_tco2"] or 0, all_targets),
        "published": published,
        "published_points": progress.published_points(figures, country_names)
        if comparable
        else progress.published_points(figures.iloc[0:0], None),
        "pace": progress.pace_achieved(cumulative, as_of_fy),
        **_national_progress(con, filters, result, published, cumulative, targets, as_of_fy, span_first),
        "sources": queries.issuance_sources(con, filters),
        # The outlook at the current pace reads the same groups (no FY bound: projects are the same).
        "outlook": projection(
            con, filters, issuances=issuances, scope_projects=None if filters.has_fy_bounds else projects
        ),
    }


def _published_total(
    con: duckdb.DuckDBPyConnection, filters: queries.Filters, figures: pd.DataFrame, country_names: list[str]
) -> dict[str, Any] | None:
    """The latest published cumulative total for the filter's countries, beside this data at that date."""
    row = metrics.published_total_for(figures, country_names)
    if row is None:
        return None
    return metrics.published_comparison(row, queries.issued_up_to(con, filters, pd.Timestamp(row["as_of_day"])))


def _national_progress(
    con: duckdb.DuckDBPyConnection,
    filters: queries.Filters,
    summary: dict[str, Any],
    published: dict[str, Any] | None,
    cumulative: pd.DataFrame,
    targets: pd.DataFrame,
    as_of_fy: int,
    span_first: int,
) -> dict[str, Any]:
    """Japan's targets are national: progress toward them is always the whole JCM's, all years.

    For a narrower scope this also gives its contribution: its share of the whole JCM's credits in the
    same fiscal years, and its rank among partners (one country) or technologies (one technology).
    """
    whole = queries.Filters()
    scoped = filters != whole
    if scoped:
        whole_issuances = queries.issuance_cube(con, whole, ("fiscal_year",))
        whole_itemized = metrics.known_total(whole_issuances["credits_issued_tco2"])
        whole_published = _published_total(con, whole, queries.published_figures(con), [])
        whole_cumulative = metrics.cumulative_issued(whole_issuances, span_first, as_of_fy)
    else:
        whole_itemized, whole_published, whole_cumulative = summary["credits_issued_tco2"], published, cumulative
    best = progress.best_known(whole_itemized, whole_published)
    national = {
        "whole_cumulative": whole_cumulative,
        "whole_published_points": progress.published_points(queries.published_figures(con), None),
        "whole_itemized_tco2": whole_itemized,
        "whole_published": whole_published,
        "best_known": best,
        "national_targets": progress.target_rows(best["value_tco2"], targets, as_of_fy),
        "whole_pace": progress.pace_achieved(whole_cumulative, as_of_fy),
        "contribution": None,
    }
    if not scoped or not (filters.countries or filters.techs):
        return national
    same_years = queries.Filters(fy_from=filters.fy_from, fy_to=filters.fy_to)
    whole_same_years = metrics.known_sum(
        queries.issuance_cube(con, same_years, ("fiscal_year",))["credits_issued_tco2"]
    )
    contribution = {
        "share_pct": progress.share_of(summary["credits_issued_tco2"], whole_same_years),
        "whole_tco2": whole_same_years,
        "rank": None,
        "of_n": None,
        "rank_among": None,
    }
    if len(filters.countries) == 1 and not filters.techs:
        by_country = queries.issuance_cube(con, same_years, ("country_iso3",))
        partners = queries.partner_countries(con, whole)["iso3"]
        values = by_country.set_index("country_iso3")["credits_issued_tco2"].reindex(partners)
        contribution.update(
            rank=progress.rank_of(values, filters.countries[0]), of_n=len(values), rank_among="partners"
        )
    elif len(filters.techs) == 1 and not filters.countries:
        by_tech = queries.issuance_cube(con, same_years, ("technology",)).dropna(subset=["technology"])
        values = by_tech.set_index("technology")["credits_issued_tco2"]
        values = values[values.fillna(0) > 0]
        contribution.update(
            rank=progress.rank_of(values, filters.techs[0]), of_n=len(values), rank_among="technologies"
        )
    national["contribution"] = contribution
    return national


# Assume: the data holds no validation start dates, so the delay from validation to registration
# cannot be measured; one year is the default and the page says it is an assumption.
DEFAULT_PIPELINE_DELAY_YEARS = 1


def _history(con: duckdb.DuckDBPyConnection) -> backtest.History:
    """The whole store's dated record, as the backtest reads it."""
    issued = queries.issued_by_day(con)
    return backtest.History(
        as_of=pd.Timestamp(queries.as_of(con)),
        registered=queries.registered_by_date(con, queries.Filters(), by_country=True),
        issued=issued[issued["credits_issued_tco2"].notna()].reset_index(drop=True),
        lag_samples=queries.lag_samples(con),
        periods=queries.issued_periods_dated(con),
        published=queries.published_figures(con),
    )


def backtest_results(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Every method's backtest rows and scores on the whole store (read once per connection)."""

    def compute() -> dict[str, Any]:
        rows = backtest.run(_history(con))
        return {"rows": rows, "scores": backtest.scores(rows)}

    return store.once(con, "backtest", compute)


def _published(con: duckdb.DuckDBPyConnection, filters: queries.Filters) -> tuple[pd.DataFrame, Any]:
    """The scope's published cumulative totals (dated, numeric; oldest first) and the latest as Published.

    A published total covers every technology, so a technology filter has none; several countries
    have none either (metrics.published_total_for).
    """
    figures = queries.published_figures(con)
    if filters.techs:
        return figures.iloc[0:0], None
    names = queries.partner_countries(con, filters)["country"].tolist() if filters.countries else []
    row = metrics.published_total_for(figures, names)
    if row is None:
        return figures.iloc[0:0], None
    same = figures[
        (figures["metric"] == row["metric"]) & figures["as_of_day"].notna() & figures["value_numeric"].notna()
    ]
    latest = projections.Published(float(row["value_numeric"]), pd.Timestamp(row["as_of_day"]), row["source_url"])
    return same.sort_values(["as_of_day", "figure_id"]).reset_index(drop=True), latest


def _evidence(
    con: duckdb.DuckDBPyConnection,
    scope: queries.Filters,
    issuances: pd.DataFrame,
    published: projections.Published | None,
    jcm: projections.Evidence | None,
) -> projections.Evidence:
    """What the store knows now about ``scope`` (``issuances``: its issuance groups by fiscal_year)."""
    dated = issuances[issuances["fiscal_year"].notna()]
    registered = queries.registered_by_date(con, scope)
    registered["registration_time"] = projections.fiscal_times(registered["registration_date"])  # once, not per use
    return projections.Evidence(
        as_of=pd.Timestamp(queries.as_of(con)),
        issued_tco2=metrics.known_sum(issuances["credits_issued_tco2"]),
        issued_by_fy=dated.groupby(dated["fiscal_year"].astype(int))["credits_issued_tco2"].sum().astype(float),
        registered=registered,
        published=published,
        lag=store.once(con, "issuance_lag", lambda: projections.measure_lag(queries.lag_samples(con))),
        success_ratio=None,  # the potential uses the measured SuccessRatio (views.projection)
        jcm=jcm,
    )


def _jcm_evidence(con: duckdb.DuckDBPyConnection) -> projections.Evidence:
    """The whole JCM's evidence now (for rates a narrower scope cannot measure), read once."""

    def compute() -> projections.Evidence:
        everything = queries.Filters()
        issuances = queries.issuance_cube(con, everything, ("fiscal_year",))
        return _evidence(con, everything, issuances, _published(con, everything)[1], None)

    return store.once(con, "jcm_evidence", compute)


def projection(
    con: duckdb.DuckDBPyConnection,
    filters: queries.Filters,
    overrides: dict[str, Any] | None = None,
    *,
    issuances: pd.DataFrame | None = None,
    scope_projects: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Projected cumulative credits and each target's outlook for ``filters`` and a scenario.

    This is the one function behind every projected figure: the projections page, the overview's
    outlook, the briefing pack and ``projection --json`` all call it.

    The central case is the method with the best backtest (jcm_dash.backtest) unless ``overrides``
    names another; the band spans the band methods. Rates are measured on the selection's own
    figures where it has them (its itemized credits; its published total), else on the whole JCM's;
    the issuance lag, the success ratio and the pipeline conversion always on the whole JCM (single
    countries have too few samples); new projects a year and their size on the selection.
    ``overrides`` replaces any default by its Scenario field name. A caller that has read the
    issuance groups for ``filters`` (with ``fiscal_year``, no FY range) or the project groups for its
    countries and technologies (with ``status_code`` and ``event_fy``) passes them as ``issuances`` /
    ``scope_projects`` instead of having them read again.

    The FY range does not apply: a projection looks forward from everything issued so far, and cutting
    the credits counted would cut them but not the reductions they came from (``fy_range_ignored``
    says when one was given, so pages and the command line can say so).

    Japan's targets are national: ``outlook`` (the pace needed, the gap, the FY a target is reached)
    is always the whole JCM's, from the best-known figure (``progress.best_known``: the latest
    published total when it is larger than what is itemized). For one country or technology,
    ``contribution`` gives what the selection is projected to add toward each target, and its share.
    """
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    fy_range_ignored = filters.has_fy_bounds
    if fy_range_ignored:
        filters, issuances = queries.Filters(filters.countries, filters.techs), None
    scoped = bool(filters.countries or filters.techs)
    as_of = queries.as_of(con)
    as_of_fy = fiscal_year(as_of.date())
    if issuances is None:
        issuances = queries.issuance_cube(con, filters, ("fiscal_year",))
    issued_to_date = metrics.known_sum(issuances["credits_issued_tco2"])
    scope = filters
    if scope_projects is None:
        scope_projects = queries.project_cube(con, scope, SUMMARY_PROJECTS)
    registered = scope_projects[scope_projects["status_code"] == "registered"]
    pipeline = scope_projects[scope_projects["status_code"] == "validation"]

    published_rows, published = _published(con, scope)
    jcm = _jcm_evidence(con) if scoped else None
    evidence = _evidence(con, scope, issuances, published, jcm)
    lag_measured = evidence.lag
    lag = float(overrides.get("issuance_lag_years", lag_measured.years if lag_measured else 0.0))
    trend_years = int(overrides.get("trend_years", projections.DEFAULT_TREND_YEARS))
    calibration = projections.calibrate(evidence, lag, trend_years)

    measured = projections.success_ratio(queries.success_ratio_inputs(con))
    conversion = store.once(  # measured on the whole JCM, whatever the filter
        con,
        "pipeline_conversion",
        lambda: projections.default_conversion(queries.project_cube(con, queries.Filters(), ("status_code",))),
    )
    per_year, size = projections.default_new_projects(
        registered, as_of_fy, median_size=queries.registered_median_size(con, scope)
    )
    results = backtest_results(con)
    available = [
        m
        for m, c in (
            (projections.PUBLISHED_REALIZED, calibration.published),
            (projections.ITEMIZED_REALIZED, calibration.itemized),
        )
        if c is not None and c.after_lag is not None
    ] + [projections.TREND, projections.POTENTIAL]
    best = backtest.best_method(results["scores"], available)
    method = overrides.get("method") if overrides.get("method") in available else best

    def measured_rate(chosen: projections.Calibration) -> float | None:
        conversion_of = {
            projections.PUBLISHED_REALIZED: chosen.published,
            projections.ITEMIZED_REALIZED: chosen.itemized,
        }
        found = conversion_of.get(method)
        return None if found is None else found.after_lag

    at_measured_lag = (
        calibration
        if "issuance_lag_years" not in overrides or lag_measured is None
        else projections.calibrate(evidence, lag_measured.years, trend_years)
    )
    defaults = projections.Scenario(
        method=method,
        realized_conversion=measured_rate(at_measured_lag),
        issuance_lag_years=lag_measured.years if lag_measured else 0.0,
        success_ratio=measured.central if measured else 1.0,
        pipeline_conversion=conversion if conversion is not None else 1.0,
        pipeline_delay_years=DEFAULT_PIPELINE_DELAY_YEARS,
        new_projects_per_year=per_year,
        new_project_size_tco2=size,
        crediting_years=None,
        trend_years=projections.DEFAULT_TREND_YEARS,
    )
    values = {**defaults.as_dict(), "realized_conversion": measured_rate(calibration), **overrides, "method": method}
    if method not in projections.REALIZED_METHODS:
        values["realized_conversion"] = None
    scenario = projections.Scenario(**values)

    first_fy = as_of_fy + 1
    last_fy = projections.SEARCH_LIMIT_FY
    pipeline_tco2 = metrics.known_sum(pipeline["expected_annual_reductions_tco2"])
    future = projections.future_cohorts(pipeline_tco2, scenario, first_fy, last_fy)
    times = np.arange(as_of_fy + 1, last_fy + 2, dtype=float)
    curves = projections.method_curves(evidence, calibration, scenario, future, times)
    projected = projections.project(curves, as_of_fy, last_fy, method)
    first_fy_check = projections.first_fy_check(projected, evidence.issued_by_fy, published_rows, as_of_fy)
    targets = metrics.tonnage_targets(queries.targets(con))
    span_first, _ = queries.fy_span(con)
    known = progress.best_known(issued_to_date, None if published is None else {"published_tco2": published.tco2})
    outlook = projections.target_outlook(projected, issued_to_date, targets, as_of_fy, known_tco2=known["value_tco2"])
    contribution = None
    if scoped:
        # The national outlook comes from the whole JCM under the same scenario; the selection's own
        # projection says what it adds toward each target.
        national = projection(con, queries.Filters(), overrides)
        contribution = projections.contribution(outlook)
        outlook, known = national["outlook"], national["best_known"]
    return {
        "as_of": as_of.date().isoformat(),
        "as_of_fy": as_of_fy,
        "issued_to_date_tco2": issued_to_date,
        "actual": metrics.cumulative_issued(issuances, span_first, as_of_fy),
        "fy_range_ignored": fy_range_ignored,
        "scenario": scenario,
        "defaults": defaults,
        "method": method,
        "best_method": best,
        "methods": list(curves),
        "calibration": calibration,
        "issuance_lag_measured": lag_measured,
        "success_ratio_measured": measured,
        "published_totals": published_rows,
        "published_points": progress.as_points(published_rows),
        "backtest": results["rows"],
        "backtest_scores": results["scores"],
        "first_fy": first_fy_check,
        "first_fy_growth": projections.lagged_accrual_growth(
            evidence.registered,
            future,
            scenario.issuance_lag_years,
            scenario.crediting_years,
            first_fy,
            first_fy_check["published_pace"] if first_fy_check else None,
        ),
        "registered_projects": int(metrics.weights(registered).sum()),
        "registered_expected_annual_tco2": metrics.known_sum(registered["expected_annual_reductions_tco2"]),
        "pipeline_projects": int(metrics.weights(pipeline).sum()),
        "pipeline_expected_annual_tco2": pipeline_tco2,
        "expected": projections.expected_by_fy(registered, pipeline_tco2, scenario, first_fy, last_fy),
        "projection": projected,
        "projection_start": projections.starting_points(curves, method),
        "targets": targets,
        "best_known": known,
        "outlook": outlook,
        "contribution": contribution,
    }


def _number(value: float | None, digits: int = 1) -> int | float | None:
    return None if value is None or pd.isna(value) else metrics.as_number(round(float(value), digits))


def _conversion_json(conversion: projections.RealizedConversion | None) -> dict[str, Any] | None:
    if conversion is None:
        return None
    return {
        "ratio": conversion.after_lag,
        "ratio_to_date": conversion.to_date,
        "measured_at": conversion.measured_at.date().isoformat(),
        "issued_tco2": _number(conversion.issued_tco2),
        "accrued_tco2": _number(conversion.accrued_tco2),
        "accrued_before_lag_tco2": _number(conversion.accrued_before_lag_tco2),
        "lag_years": conversion.lag_years,
        "scope": conversion.scope,
        "source_url": conversion.source_url,
    }


def projection_json(result: dict[str, Any]) -> dict[str, Any]:
    """The figures ``projection --json`` prints, from a ``projection`` result."""
    as_of_fy = result["as_of_fy"]
    issued = result["issued_to_date_tco2"]
    projected = result["projection"]

    def at(fy: int, bands: tuple[str, ...] = ("low", "central", "high")) -> dict[str, Any]:
        return {
            band: metrics.as_number(round(projections.cumulative_at(projected, fy, issued, band), 1)) for band in bands
        }

    measured = result["success_ratio_measured"]
    lag = result["issuance_lag_measured"]
    calibration = result["calibration"]
    return {
        "as_of": result["as_of"],
        "as_of_fy": as_of_fy,
        "issued_to_date_tco2": metrics.as_number(issued),
        "scenario": result["scenario"].as_dict(),
        "method": result["method"],
        "best_method": result["best_method"],
        "success_ratio_measured": None
        if measured is None
        else {
            "central": measured.central,
            "low": measured.low,
            "high": measured.high,
            "issuances": measured.issuances,
            "projects": measured.projects,
        },
        "realized_conversion": {
            "used": result["scenario"].realized_conversion,
            "itemized": _conversion_json(calibration.itemized),
            "published": _conversion_json(calibration.published),
        },
        "issuance_lag_years": result["scenario"].issuance_lag_years,
        "issuance_lag_measured": None
        if lag is None
        else {"years": lag.years, "issuances": lag.issuances, "min_years": lag.min_years, "max_years": lag.max_years},
        "projected_cumulative_tco2": {"2030": at(2030), "2040": at(2040)},
        "projected_by_method_tco2": {str(fy): at(fy, tuple(result["methods"])) for fy in (2030, 2040)},
        "first_projected_fy": None
        if result["first_fy"] is None
        else {**result["first_fy"], "lagged_reductions_growth": result["first_fy_growth"]},
        "backtest": [
            {
                "as_of": row["as_of"],
                "horizon_years": row["horizon_years"],
                "method": row["method"],
                "predicted_tco2": _number(row["predicted_tco2"]),
                "actual_tco2": _number(row["actual_tco2"]),
                "error_pct": round(row["error_pct"], 1),
                "scope": row["scope"],
                "target_date": row["target_date"],
                "actual_source": row["actual_source"],
            }
            for row in result["backtest"]
        ],
        "backtest_mean_abs_error_pct": {m: round(e, 1) for m, e in result["backtest_scores"].items()},
        # Japan's targets are national: these figures are the whole JCM's whatever the filter; a
        # selection's part is in "contribution".
        "best_known_tco2": _number(result["best_known"]["value_tco2"]),
        "best_known_basis": result["best_known"]["basis"],
        "fy_range_ignored": result["fy_range_ignored"],
        "contribution": None
        if result["contribution"] is None
        else [
            {
                "target_name": row["target_name"],
                "deadline_fy": int(row["deadline_fy"]),
                "projected_at_deadline_tco2": _number(row["projected_at_deadline_tco2"]),
                "projected_at_deadline_low_tco2": _number(row["projected_at_deadline_low_tco2"]),
                "projected_at_deadline_high_tco2": _number(row["projected_at_deadline_high_tco2"]),
                "share_of_target_pct": round(float(row["share_of_target_pct"]), 4),
            }
            for _, row in result["contribution"].iterrows()
        ],
        "targets": [
            {
                "target_name": row["target_name"],
                "deadline_fy": int(row["deadline_fy"]),
                "value_tco2": metrics.as_number(row["value_tco2"]),
                "is_superseded": bool(row["is_superseded"]),
                "required_annual_tco2": None
                if pd.isna(row["required_annual_tco2"])
                else round(float(row["required_annual_tco2"]), 1),
                "projected_at_deadline_tco2": round(float(row["projected_at_deadline_tco2"]), 1),
                "gap_at_deadline_tco2": round(float(row["gap_at_deadline_tco2"]), 1),
                "reached_fy": None if pd.isna(row["reached_fy"]) else int(row["reached_fy"]),
                "reached_fy_low": None if pd.isna(row["reached_fy_low"]) else int(row["reached_fy_low"]),
                "reached_fy_high": None if pd.isna(row["reached_fy_high"]) else int(row["reached_fy_high"]),
                "reached": projections.reached_label(
                    None if pd.isna(row["reached_fy"]) else int(row["reached_fy"]), as_of_fy
                ),
                # A target stated as a range (50–100 Mt): its lower end (value_tco2 is the upper end).
                "value_low_tco2": metrics.as_number(row["value_low_tco2"]),
                "gap_at_deadline_low_end_tco2": round(float(row["gap_at_deadline_low_end_tco2"]), 1),
                "required_annual_low_end_tco2": None
                if pd.isna(row["required_annual_low_end_tco2"])
                else round(float(row["required_annual_low_end_tco2"]), 1),
                "reached_low_end_fy": None if pd.isna(row["reached_low_end_fy"]) else int(row["reached_low_end_fy"]),
            }
            for _, row in result["outlook"].iterrows()
        ],
    }


def countries(con: duckdb.DuckDBPyConnection, filters: queries.Filters) -> dict[str, Any]:
    """The countries page: one row per partner, issuances by FY and country, sources.

    Every partner is listed under the technology and FY filters, so a country is always seen beside
    the others: ``selected`` marks the filter's countries (all of them when none is chosen), ``rank``
    and ``share_of_issued_pct`` are among and of all partners (a country is never 100% of itself).
    ``undated`` counts each country's issuances without a date; a country's project list is
    ``country_projects`` (fetched for the one country a profile shows).
    """
    compared = queries.Filters((), filters.techs, filters.fy_from, filters.fy_to)
    issuances = queries.issuance_cube(con, compared, ("country_iso3", "country", "fiscal_year"))
    projects = queries.project_cube(con, compared, ("country_iso3", "status_code", "unep_type"))
    partners = queries.partner_countries(con, compared)
    n = metrics.weights(issuances)
    table = breakdowns.by_country(issuances, projects, partners)
    table["selected"] = table["iso3"].isin(filters.countries) if filters.countries else True
    # A partner's own published cumulative total (its profile shows it beside what is itemized); like
    # the overview's, only comparable without a technology or FY filter.
    published: dict[str, dict[str, Any]] = {}
    if not filters.techs and not filters.has_fy_bounds:
        figures = queries.published_figures(con)
        for iso3, name in zip(partners["iso3"], partners["country"], strict=True):
            if metrics.published_total_for(figures, [name]) is not None:
                found = _published_total(con, queries.Filters((iso3,)), figures, [name])
                if found is not None:
                    published[iso3] = found
    return {
        "table": table,
        "published": published,
        "issued_by_fy": breakdowns.issued_by_fy_and(issuances, "country_iso3"),
        "technologies": metrics.weights(projects)
        .groupby([projects["country_iso3"], projects["unep_type"]], dropna=False)
        .sum()
        .rename("projects")
        .reset_index(),
        "undated": n[issuances["fiscal_year"].isna()].groupby(issuances["country_iso3"]).sum().to_dict(),
        "sources": sorted(set(queries.issuance_sources(con, compared)) | set(partners["source_url"].dropna())),
        "as_of": queries.as_of(con).date().isoformat(),
    }


def country_projects(con: duckdb.DuckDBPyConnection, filters: queries.Filters, iso3: str) -> pd.DataFrame:
    """The projects of one partner country within ``filters`` (the country profile's list)."""
    return queries.projects(con, queries.Filters((iso3,), filters.techs, filters.fy_from, filters.fy_to))


def technologies(con: duckdb.DuckDBPyConnection, filters: queries.Filters, level: str = "type") -> dict[str, Any]:
    """The technologies page at one level (``type``, ``subtype`` or ``detail``)."""
    issuance_column, project_column = breakdowns.TECH_LEVELS[level]
    # Each read groups by only what its outputs split by: at 1,000x the full cube was about 16,000
    # issuance and 14,000 project groups, most of the page's time (bench/RESULTS.md).
    by_fy = queries.issuance_cube(con, filters, ("fiscal_year", issuance_column))
    by_country = queries.issuance_cube(con, filters, ("technology", "country_iso3", "country"))
    projects = queries.project_cube(
        con, filters, tuple(dict.fromkeys(("status_code", "unep_type", project_column, "country_iso3", "country")))
    )
    return {
        "table": breakdowns.by_technology(by_fy, projects, level),
        "by_country": breakdowns.technology_by_country(by_country, projects),
        "issued_by_fy": breakdowns.issued_by_fy_and(by_fy, issuance_column),
        "undated": int(metrics.weights(by_fy)[by_fy["fiscal_year"].isna()].sum()),
        "sources": queries.issuance_sources(con, filters),
        "as_of": queries.as_of(con).date().isoformat(),
    }


ISSUANCES_SHOWN = 1_000  # the projects page lists the latest issuances; the full set is a download
PROJECTS_SHOWN = 1_000  # and the first projects by reference (a search narrows them); all are a download


def project_explorer(con: duckdb.DuckDBPyConnection, filters: queries.Filters, search: str = "") -> dict[str, Any]:
    """The projects page: the first projects matching ``search`` with credits attributed, and the latest issuances."""
    projects, projects_total, project_sources = queries.project_page(con, filters, search, PROJECTS_SHOWN)
    issuances, total = queries.latest_issuances(con, filters, ISSUANCES_SHOWN)
    return {
        "projects": attributed_projects(con, filters, projects),
        "projects_total": projects_total,
        "issuances": issuances,  # the page adds provenance flags in its own language
        "issuances_total": total,
        "sources": sorted(set(queries.issuance_sources(con, filters)) | set(project_sources)),
        "as_of": queries.as_of(con).date().isoformat(),
    }


def attributed_projects(
    con: duckdb.DuckDBPyConnection, filters: queries.Filters, projects: pd.DataFrame
) -> pd.DataFrame:
    """``projects`` with the credits of the issuances in ``filters`` that name them (``with_attribution``)."""
    attributed = queries.project_attribution(con, filters, projects["project_ref"].tolist())
    return breakdowns.with_attribution(projects, attributed)


def all_projects(con: duckdb.DuckDBPyConnection, filters: queries.Filters, search: str = "") -> pd.DataFrame:
    """Every project in ``filters`` matching ``search``, with credits attributed (the projects download)."""
    projects, _, _ = queries.project_page(con, filters, search)
    return breakdowns.with_attribution(projects, queries.project_attribution(con, filters))


def all_issuances(con: duckdb.DuckDBPyConnection, filters: queries.Filters) -> pd.DataFrame:
    """Every issuance in ``filters`` (the projects page's full download), oldest first."""
    return queries.issuances(con, filters)


def project_detail(con: duckdb.DuckDBPyConnection, project_ref: str) -> dict[str, Any] | None:
    """One project with all its credits (whatever the filters) and every issuance naming it; None if unknown."""
    row = queries.project(con, project_ref)
    if row.empty:
        return None
    return {
        "project": attributed_projects(con, queries.Filters(), row).iloc[0],
        "issuances": queries.issuances_naming(con, project_ref),
    }


def data_status(con: duckdb.DuckDBPyConnection, filters: queries.Filters, today: Any = None) -> dict[str, Any]:
    """The data page: freshness, coverage per country, the data beside published figures, conflicts, imports."""
    as_of = queries.as_of(con).date()
    today = today or dt.date.today()
    all_filters = queries.Filters()
    partners = queries.partner_countries(con, all_filters)
    return {
        "as_of": as_of,
        "days_since": (today - as_of).days,
        "coverage": queries.coverage(
            con, queries.Filters(filters.countries, filters.techs, filters.fy_from, filters.fy_to)
        ),
        "published": store.once(  # the whole store beside each published figure: no filter applies
            con,
            "published_comparison",
            lambda: coverage.published_comparison(
                queries.published_figures(con), queries.issued_by_day(con), queries.registration_dates(con), partners
            ),
        ),
        "conflicts": queries.conflicts(con),
        "imports": queries.imports(con),
        "totals": store.once(con, "whole_store_summary", lambda: summary(con, all_filters)),
    }


def jcm_among_buyers(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The JCM's own row beside the other Article 6 buyers, from the store, whatever the filter.

    ``best_known`` is the overview's figure for the whole JCM (``progress.best_known`` of the itemized
    sum and the latest published total), so the two pages cannot disagree
    (tests/test_article6.py::test_the_jcm_row_is_the_overviews_best_known). ``first_itmo_issuance``
    is None when the store has no such published figure: unknown, not "none yet".
    """
    whole = queries.Filters()
    totals = store.once(con, "whole_store_summary", lambda: summary(con, whole))  # as data_status caches it
    figures = queries.published_figures(con)
    published = _published_total(con, whole, figures, [])
    return {
        "as_of": totals["as_of"],
        "best_known": progress.best_known(totals["credits_issued_tco2"], published),
        "published": published,
        "first_itmo_issuance": article6.first_itmo_issuance(figures),
        "partner_countries": totals["partner_countries"],
        "registered_projects": totals["projects_by_status"]["registered"],
    }


def article6_context(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The /article6 page and ``article6 --json``: agreements by buyer, the buyer facts as stored, the JCM's row.

    No sidebar filter applies: the filters select JCM partners, technologies and fiscal years, which
    have no meaning for other buyers' agreements (the page says so when one is set).
    """
    agreements = queries.article6_agreements(con)
    facts = queries.article6_buyer_facts(con)
    dates = pd.to_datetime(agreements["date"]).dropna()
    return {
        "agreements": agreements,
        "facts": facts,
        "by_buyer": article6.by_buyer(agreements),
        "cumulative": article6.cumulative_by_buyer(agreements),
        "by_region": article6.buyer_by_region(agreements),
        "shared_hosts": article6.shared_hosts(agreements),
        "itmo_transfers": article6.itmo_transfers(facts),
        "jcm": jcm_among_buyers(con),
        "latest_agreement": dates.max().date().isoformat() if len(dates) else None,
        "sources": sorted({s for s in [*agreements["source_url"], *facts["source_url"]] if article6.is_link(s)}),
    }


A6_FACT_KEYS = ("buyer", "host", "metric", "value", "unit", "period_or_date", "scope_note", "source_url", "quote")


def article6_json(result: dict[str, Any]) -> dict[str, Any]:
    """``article6 --json``: ``agreements_by_buyer``, ``buyer_facts`` (as stored, values as stated) and ``jcm``."""
    jcm = result["jcm"]
    best = jcm["best_known"]
    published = jcm["published"]
    facts = result["facts"]
    return {
        "agreements_by_buyer": result["by_buyer"],
        "buyer_facts": [
            {
                **{key: (None if pd.isna(row[key]) else row[key]) for key in A6_FACT_KEYS},
                "itmo_tco2": metrics.as_number(row["itmo_tco2"]),
            }
            for _, row in facts.iterrows()
        ],
        "jcm": {
            "as_of": jcm["as_of"],
            "credits_issued_best_known_tco2": metrics.as_number(best["value_tco2"]),
            "credits_issued_basis": best["basis"],
            "credits_issued_itemized_tco2": metrics.as_number(best["itemized_tco2"]),
            "published_total": None
            if published is None
            else {k: published[k] for k in ("published_tco2", "approximate", "as_of_date", "source_url")},
            "first_itmo_issuance": jcm["first_itmo_issuance"],
            "partner_countries": jcm["partner_countries"],
            "registered_projects": jcm["registered_projects"],
        },
    }
