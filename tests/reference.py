"""Row-level pandas forms of what the store computes in SQL, kept only to check the SQL against.

The app reads aggregated SQL (derived.sql, queries.py); these compute the same from row-level
frames, so tests/test_cube.py can prove both agree on the real data and tests/test_breakdowns.py and
tests/test_projections.py can pin them on hand-made cases. Nothing in jcm_dash uses them.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd

from jcm_dash import breakdowns, metrics, projections, store


def issued_periods(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Issuances with an amount, a monitoring period and named projects that all have expected reductions."""
    return store.thread_cursor(con).execute("SELECT * FROM issued_periods ORDER BY issuance_id").df()


def project_issuance_links(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every (project_ref, issuance_id) pair: which issuances name which projects."""
    sql = "SELECT project_ref, issuance_id FROM issuance_projects ORDER BY project_ref, issuance_id"
    return store.thread_cursor(con).execute(sql).df()


def measure_success_ratio(periods: pd.DataFrame) -> projections.SuccessRatio | None:
    """The issuance-success ratio from issued monitoring periods (what ``queries.success_ratio_inputs`` sums).

    Args:
        periods: one row per issuance with a known amount, a monitoring period and named projects
            that all have expected reductions: ``issued_tco2``, ``period_days``,
            ``expected_annual_tco2`` (sum over the named projects), ``project_refs``.

    Returns:
        The pooled ratio (sum issued ÷ sum expected) as central, the per-issuance quartiles as low
        and high (widened to include the central value), or None when no period can be measured.

    """
    usable = periods[(periods["period_days"] > 0) & (periods["expected_annual_tco2"] > 0)]
    if usable.empty:
        return None
    expected = usable["expected_annual_tco2"] * usable["period_days"] / projections.DAYS_PER_YEAR
    ratios = usable["issued_tco2"] / expected
    projects = {ref for refs in usable["project_refs"] for ref in str(refs).split(";")}
    return projections.success_ratio(
        {
            "issuances": len(usable),
            "projects": len(projects),
            "issued_tco2": float(usable["issued_tco2"].sum()),
            "expected_tco2": float(expected.sum()),
            "q25": float(np.percentile(ratios, 25)),
            "q75": float(np.percentile(ratios, 75)),
        }
    )


def attribution(issuances: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Per project named by an issuance: sole and shared issuances and their known sums.

    The pandas form of ``queries.project_attribution`` (same columns), for row-level frames.
    """
    named = links.merge(issuances[["issuance_id", "credits_issued_tco2", "n_projects"]], on="issuance_id", how="inner")
    sole = named["n_projects"] == 1
    grouped = named.assign(
        sole_credits=named["credits_issued_tco2"].where(sole),
        shared_credits=named["credits_issued_tco2"].where(~sole),
    ).groupby("project_ref")
    return pd.DataFrame(
        {
            "sole_issuances": sole.groupby(named["project_ref"]).sum().astype(int),
            "sole_tco2": grouped["sole_credits"].sum(min_count=1),
            "shared_tco2": grouped["shared_credits"].sum(min_count=1),
            "issuances": grouped.size(),
        }
    ).reset_index()


def project_table(projects: pd.DataFrame, issuances: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Projects with the credits attributed to them, from row-level frames (see ``breakdowns.with_attribution``)."""
    return breakdowns.with_attribution(projects, attribution(issuances, links))


def nearest_published_total(
    published: pd.DataFrame, issuances: pd.DataFrame, country_names: list[str] | None
) -> dict[str, Any] | None:
    """The latest published cumulative total for this scope beside the row-level sum dated by then.

    ``issuances`` is row-level; ``dataset_tco2_same_date`` sums its known amounts dated on or before
    the published date (``queries.issued_up_to`` does this in SQL). None when nothing published matches.
    """
    row = metrics.published_total_for(published, country_names)
    if row is None:
        return None
    dated = issuances[issuances["event_date"].notna()]
    day = pd.Timestamp(row["as_of_day"])
    same_date = metrics.known_sum(dated.loc[pd.to_datetime(dated["event_date"]) <= day, "credits_issued_tco2"])
    return metrics.published_comparison(row, same_date)
