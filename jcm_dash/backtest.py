"""Backtest: every projection method run as of earlier dates, on what was known then, against what followed.

What "known then" means: decisions (else reported dates), registrations and published figures dated
on or before the cut-off. Issuances with no date cannot be placed before any cut-off and are left
out; so are projects in validation at the cut-off, which the data cannot tell (it holds no
validation dates): the backtest's pipeline is empty and new projects register at the pace of the
five complete FYs before the cut-off.

Two kinds of case (tests/test_backtest.py):
- the whole JCM, against each published cumulative total (aggregates.csv), predicted from 2 and 4
  years before its date (the itemized data is far from complete at JCM level);
- Mongolia, whose issuance page is captured almost fully (data/SOURCES.md), against the itemized
  credits at the end of FY+2 and FY+4 from the ends of FY2018, FY2020 and FY2022, with every input
  (registrations, issuances, published figures) limited to Mongolia and the JCM-wide lag and
  success ratio known then.

A method's score is its mean absolute error over the cases every method could predict; the central
case is the method with the lowest score.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from jcm_dash import metrics, projections
from jcm_dash.fiscal import fiscal_year, fy_bounds
from jcm_dash.projections import Evidence, Published

HORIZONS = (2, 4)
CUTOFF_FYS = (2018, 2020, 2022)
# Assume: Mongolia's itemized issuances are near-complete (SOURCES.md: its issuance page is
# captured almost fully), so they can stand for what was issued there.
NEAR_COMPLETE_COUNTRY = ("MNG", "Mongolia")
JCM_METRIC = "credits_issued_cumulative"


@dataclass(frozen=True)
class History:
    """The whole store's dated record, as the backtest reads it.

    Attributes:
        as_of: the data's as-of date (no case may end after it).
        registered: registered projects: ``country_iso3``, ``registration_date``, ``event_fy``,
            ``expected_annual_reductions_tco2`` (rows or groups).
        issued: dated credits with an amount: ``country_iso3``, ``event_date``, ``credits_issued_tco2``.
        lag_samples: ``event_date``, ``lag_days``, ``n`` (projections.measure_lag).
        periods: issued monitoring periods: ``event_date``, ``issued_tco2``, ``expected_tco2``.
        published: published figures: ``metric``, ``as_of_day``, ``value_numeric``, ``source_url``.

    """

    as_of: pd.Timestamp
    registered: pd.DataFrame
    issued: pd.DataFrame
    lag_samples: pd.DataFrame
    periods: pd.DataFrame
    published: pd.DataFrame


def published_total(published: pd.DataFrame, as_of: Any, country_name: str | None) -> Published | None:
    """The latest published cumulative total for the JCM (or one country) dated on or before ``as_of``."""
    known = published[pd.to_datetime(published["as_of_day"]) <= pd.Timestamp(as_of)]
    row = metrics.published_total_for(known, [country_name] if country_name else None)
    if row is None:
        return None
    return Published(float(row["value_numeric"]), pd.Timestamp(row["as_of_day"]), row.get("source_url"))


def evidence_at(history: History, as_of: Any, country: tuple[str, str] | None = None) -> Evidence:
    """What was known at the end of ``as_of`` about the whole JCM or one country (ISO3, name)."""
    day = pd.Timestamp(as_of)
    registered = history.registered[pd.to_datetime(history.registered["registration_date"]) <= day]
    issued = history.issued[pd.to_datetime(history.issued["event_date"]) <= day]
    if country is not None:
        registered = registered[registered["country_iso3"] == country[0]]
        issued = issued[issued["country_iso3"] == country[0]]
    fys = issued["fiscal_year"] if "fiscal_year" in issued.columns else projections.fiscal_years(issued["event_date"])
    by_fy = issued["credits_issued_tco2"].groupby(np.asarray(fys)).sum()
    return Evidence(
        as_of=day,
        issued_tco2=float(issued["credits_issued_tco2"].sum()),
        issued_by_fy=by_fy.astype(float),
        registered=registered.reset_index(drop=True),
        published=published_total(history.published, day, country[1] if country else None),
        lag=projections.measure_lag(history.lag_samples, day),
        success_ratio=projections.pooled_success_ratio(history.periods, day),
        jcm=None if country is None else evidence_at(history, day),
    )


def cutoff_scenario(evidence: Evidence, method: str) -> projections.Scenario:
    """The default scenario as it would have been set at the cut-off (no pipeline: unknown then)."""
    as_of_fy = fiscal_year(evidence.as_of.date())
    per_year, size = projections.default_new_projects(evidence.registered.assign(status_code="registered"), as_of_fy)
    return projections.Scenario(
        method=method,
        realized_conversion=None,
        issuance_lag_years=evidence.lag.years if evidence.lag else 0.0,
        success_ratio=evidence.success_ratio if evidence.success_ratio is not None else 1.0,
        pipeline_conversion=0.0,
        pipeline_delay_years=1,
        new_projects_per_year=per_year,
        new_project_size_tco2=size,
        crediting_years=None,
    )


def predict(evidence: Evidence, target: Any) -> dict[str, float]:
    """Each method's predicted cumulative credits at the end of ``target``, from ``evidence``."""
    scenario = cutoff_scenario(evidence, projections.PUBLISHED_REALIZED)
    calibration = projections.calibrate(evidence, scenario.issuance_lag_years)
    first_fy = fiscal_year(evidence.as_of.date()) + 1
    future = projections.future_cohorts(0.0, scenario, first_fy, fiscal_year(pd.Timestamp(target).date()))
    curves = projections.method_curves(evidence, calibration, scenario, future, [projections.fiscal_time(target)])
    return {method: float(values[0]) for method, values in curves.items()}


def _cases(history: History) -> list[dict[str, Any]]:
    """(scope, cut-off, target, actual) for every case the data can score."""
    cases = []
    published = history.published[
        (history.published["metric"] == JCM_METRIC)
        & history.published["as_of_day"].notna()
        & history.published["value_numeric"].notna()
    ]
    for _, row in published.sort_values("as_of_day").iterrows():
        target = pd.Timestamp(row["as_of_day"])
        for horizon in HORIZONS:
            cases.append(
                {
                    "scope": "JCM",
                    "country": None,
                    "as_of": target - pd.DateOffset(years=horizon),
                    "target": target,
                    "horizon_years": horizon,
                    "actual_tco2": float(row["value_numeric"]),
                    "actual_source": "published",
                }
            )
    iso3, _ = NEAR_COMPLETE_COUNTRY
    own = history.issued[history.issued["country_iso3"] == iso3]
    for fy in CUTOFF_FYS:
        for horizon in HORIZONS:
            as_of, target = pd.Timestamp(fy_bounds(fy)[1]), pd.Timestamp(fy_bounds(fy + horizon)[1])
            if target > history.as_of:
                continue
            actual = float(own.loc[pd.to_datetime(own["event_date"]) <= target, "credits_issued_tco2"].sum())
            cases.append(
                {
                    "scope": iso3,
                    "country": NEAR_COMPLETE_COUNTRY,
                    "as_of": as_of,
                    "target": target,
                    "horizon_years": horizon,
                    "actual_tco2": actual,
                    "actual_source": "itemized",
                }
            )
    return cases


def run(history: History) -> list[dict[str, Any]]:
    """Every method's prediction for every case, with its error (rows ordered by scope, cut-off, horizon).

    Each row: ``scope`` (``JCM`` or an ISO3), ``as_of`` (the cut-off), ``target_date``,
    ``horizon_years``, ``method``, ``predicted_tco2``, ``actual_tco2``, ``actual_source``
    (``published`` or ``itemized``) and ``error_pct`` ((predicted − actual) ÷ actual × 100).
    Cases with nothing issued by their end (no error can be computed) or by their cut-off (nothing to
    measure a method on) are left out.
    """
    # Dates on the FY axis once, not per case (1,000x: a million issuances, 157,000 projects).
    history = replace(
        history,
        issued=history.issued.assign(fiscal_year=projections.fiscal_years(history.issued["event_date"])),
        registered=history.registered.assign(
            registration_time=projections.fiscal_times(history.registered["registration_date"])
        ),
    )
    rows = []
    for case in _cases(history):
        if case["actual_tco2"] <= 0:
            continue
        evidence = evidence_at(history, case["as_of"], case["country"])
        if evidence.issued_tco2 <= 0 and evidence.published is None:
            continue  # nothing issued yet: no method has anything to go on
        for method, predicted in predict(evidence, case["target"]).items():
            rows.append(
                {
                    "scope": case["scope"],
                    "as_of": case["as_of"].date().isoformat(),
                    "target_date": case["target"].date().isoformat(),
                    "horizon_years": case["horizon_years"],
                    "method": method,
                    "predicted_tco2": predicted,
                    "actual_tco2": case["actual_tco2"],
                    "actual_source": case["actual_source"],
                    "error_pct": (predicted - case["actual_tco2"]) / case["actual_tco2"] * 100.0,
                }
            )
    order = {m: i for i, m in enumerate(projections.METHODS)}
    return sorted(
        rows, key=lambda r: (r["scope"] != "JCM", r["scope"], r["as_of"], r["horizon_years"], order[r["method"]])
    )


def scores(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Mean absolute error (%) of each method over the cases every method predicted.

    When no case was predicted by every method, each method is scored over its own cases.
    """
    if not rows:
        return {}
    frame = pd.DataFrame(rows)
    frame["case"] = list(zip(frame["scope"], frame["as_of"], frame["target_date"], strict=True))
    methods = frame["method"].unique()
    per_case = frame.groupby("case")["method"].nunique()
    common = per_case[per_case == len(methods)].index
    scored = frame[frame["case"].isin(common)] if len(common) else frame
    errors = scored.groupby("method")["error_pct"].apply(lambda e: float(np.mean(np.abs(e))))
    return {m: float(errors[m]) for m in projections.METHODS if m in errors.index}


def best_method(method_scores: dict[str, float], available: Any = projections.METHODS) -> str:
    """The available method with the lowest score (ties: the order of projections.METHODS).

    With no score at all: the itemized-realized method if available, else the potential.
    """
    scored = [m for m in projections.METHODS if m in method_scores and m in available]
    if scored:
        return min(scored, key=lambda m: method_scores[m])
    return projections.ITEMIZED_REALIZED if projections.ITEMIZED_REALIZED in available else projections.POTENTIAL
