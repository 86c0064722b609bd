"""Pure pandas metrics over the frames returned by jcm_dash.queries (DataFrame in, numbers out).

Counting rules, proven by tests/test_metrics.py:
- An issuance is one row, whatever number of projects it names, so it counts once in every total.
- An empty amount is unknown, not zero: sums cover the known amounts and the number of rows
  without an amount is reported beside them; a total over rows none of which has an amount is
  None (unknown), while a total over no rows is 0.
- An issuance with no decision or reported date counts in totals and under "unknown" by FY.

Every function takes either row-level frames (``queries.issuances`` / ``queries.projects``) or
their aggregated forms (``queries.issuance_cube`` / ``queries.project_cube``: one line per group
with ``n`` rows, amount sums that are NULL when no row states them, and ``n_<amount>`` counts).
Sums of sums give the same totals and counts of counts the same counts (tests/test_cube.py).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from jcm_dash.tables import STATUS_CODES

UNKNOWN_FY_KEY = "unknown"
TONNAGE_TARGET_COLUMNS = [
    "target_name",
    "deadline_fy",
    "value_low_tco2",
    "value_high_tco2",
    "is_superseded",
    "source_url",
]


def weights(frame: pd.DataFrame) -> pd.Series:
    """How many rows each line stands for: ``n`` in an aggregated frame, 1 in a row-level one."""
    if "n" in frame.columns:
        return frame["n"].astype("int64")
    return pd.Series(1, index=frame.index, dtype="int64")


def known_counts(frame: pd.DataFrame, column: str) -> pd.Series:
    """How many of the rows each line stands for state ``column``."""
    if f"n_{column}" in frame.columns:
        return frame[f"n_{column}"].astype("int64")
    return frame[column].notna().astype("int64")


def known_sum(values: pd.Series) -> float:
    """Sum of the known (non-empty) values; 0.0 when none is known."""
    return float(values.dropna().sum())


def as_number(value: float | None) -> int | float | None:
    """A tonnage for display or JSON: an int when whole, else the float; None/NaN become None."""
    if value is None or pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def known_total(values: pd.Series) -> float | None:
    """Sum of the known values; None (unknown) when there are rows but none has a value.

    No rows at all is a known zero: nothing was issued.
    """
    if len(values) and values.isna().all():
        return None
    return known_sum(values)


def _iso(day: Any) -> str | None:
    if day is None or pd.isna(day):
        return None
    return pd.Timestamp(day).date().isoformat()


def issued_by_fy(issuances: pd.DataFrame) -> dict[str, int | float | None]:
    """Known credits issued per FY (``"2021"`` → t), plus ``"unknown"`` for undated issuances.

    A FY whose issuances all lack an amount maps to None (unknown), not 0.
    """
    dated = issuances[issuances["fiscal_year"].notna()]
    by_fy = dated.groupby(dated["fiscal_year"].astype(int))["credits_issued_tco2"].sum(min_count=1)
    result: dict[str, int | float | None] = {str(fy): as_number(t) for fy, t in by_fy.sort_index().items()}
    undated = issuances[issuances["fiscal_year"].isna()]
    if len(undated):
        result[UNKNOWN_FY_KEY] = as_number(known_total(undated["credits_issued_tco2"]))
    return result


def issued_by_country(issuances: pd.DataFrame) -> dict[str, int | float | None]:
    """Known credits issued per partner country (ISO3 → t, None when no amount is known)."""
    by_country = issuances.groupby("country_iso3")["credits_issued_tco2"].sum(min_count=1)
    return {iso3: as_number(t) for iso3, t in by_country.sort_index().items()}


def projects_by_status(projects: pd.DataFrame) -> dict[str, int]:
    """Project count per status code, every code present (0 when none)."""
    counts = weights(projects).groupby(projects["status_code"]).sum()
    return {code: int(counts.get(code, 0)) for code in STATUS_CODES}


def expected_annual_registered(projects: pd.DataFrame) -> float:
    """Sum of the expected annual reductions (t-CO2e/yr) of registered projects."""
    return known_sum(projects.loc[projects["status_code"] == "registered", "expected_annual_reductions_tco2"])


def summary(issuances: pd.DataFrame, projects: pd.DataFrame, partners: pd.DataFrame, as_of: Any) -> dict[str, Any]:
    """The headline figures for one filter, as the ``summary --json`` command prints them."""
    amounts = issuances["credits_issued_tco2"]
    n = weights(issuances)
    return {
        "as_of": _iso(as_of),
        "credits_issued_tco2": as_number(known_total(amounts)),
        "japan_side_tco2": as_number(known_total(issuances["japan_side_tco2"])),
        "partner_side_tco2": as_number(known_total(issuances["partner_side_tco2"])),
        "goj_share_tco2": as_number(known_total(issuances["goj_share_tco2"])),
        "issuances_total": int(n.sum()),
        "issuances_without_amount": int((n - known_counts(issuances, "credits_issued_tco2")).sum()),
        "issuances_without_date": int(n[issuances["fiscal_year"].isna()].sum()),
        "issuances_with_japan_side": int(known_counts(issuances, "japan_side_tco2").sum()),
        "issuances_with_goj_share": int(known_counts(issuances, "goj_share_tco2").sum()),
        "projects_by_status": projects_by_status(projects),
        "partner_countries": len(partners),
        "expected_annual_reductions_registered_tco2": as_number(expected_annual_registered(projects)),
        "issued_by_fy": issued_by_fy(issuances),
        "issued_by_country": issued_by_country(issuances),
    }


def cumulative_issued(issuances: pd.DataFrame, first_fy: int, last_fy: int) -> pd.DataFrame:
    """Known credits issued in each FY of ``first_fy..last_fy`` and their running total.

    A FY whose issuances all lack an amount is unknown (NaN), as in ``issued_by_fy``, not 0; a FY with
    no issuance in the data is 0. The running total adds the known amounts. Undated issuances are not
    placed on the FY axis (the page reports them separately).
    """
    fys = pd.Index(range(first_fy, last_fy + 1), name="fiscal_year")
    dated = issuances[issuances["fiscal_year"].notna()]
    per_fy = dated.groupby(dated["fiscal_year"].astype(int))["credits_issued_tco2"].sum(min_count=1)
    per_fy = per_fy.reindex(fys).astype(float)
    has_issuance = dated.groupby(dated["fiscal_year"].astype(int)).size().reindex(fys, fill_value=0) > 0
    per_fy = per_fy.where(has_issuance | per_fy.notna(), 0.0)
    return pd.DataFrame({"issued_tco2": per_fy, "cumulative_tco2": per_fy.fillna(0.0).cumsum()}).reset_index()


def cumulative_expected(projects: pd.DataFrame, first_fy: int, last_fy: int) -> pd.DataFrame:
    """Ex-ante cumulative reductions of registered projects by FY.

    # Assume: a registered project delivers its expected annual reductions in every full FY
    # after the FY of its registration (the registration FY itself is not counted), with no end
    # date, because the data holds no crediting periods. This is a potential, not credits.
    """
    registered = projects[(projects["status_code"] == "registered") & projects["event_fy"].notna()]
    starts = registered["event_fy"].astype(int) + 1
    annual_by_start = registered["expected_annual_reductions_tco2"].fillna(0.0).groupby(starts).sum()
    # Delivering in an FY: every project that started in it or before (those registered before
    # the window's first FY already deliver in it); a start after the window adds nothing.
    earliest = min(first_fy, int(starts.min())) if len(starts) else first_fy
    delivering = annual_by_start.reindex(range(earliest, last_fy + 1), fill_value=0.0).astype(float).cumsum()
    annual = delivering.loc[first_fy:last_fy].rename_axis("fiscal_year")
    annual = annual.reindex(pd.Index(range(first_fy, last_fy + 1), name="fiscal_year"), fill_value=0.0)
    return pd.DataFrame({"annual_tco2": annual, "cumulative_tco2": annual.cumsum()}).reset_index()


def tonnage_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """Targets counted in t-CO2 with an FY deadline, ordered by deadline then size."""
    mask = targets["deadline_fy"].notna() & targets["value_high_tco2"].notna()
    return (
        targets.loc[mask, TONNAGE_TARGET_COLUMNS].sort_values(["deadline_fy", "value_high_tco2"]).reset_index(drop=True)
    )


def target_progress(issued_tco2: float, targets: pd.DataFrame) -> pd.DataFrame:
    """Percent of each tonnage target reached by ``issued_tco2``.

    For a band (50–100 Mt) ``pct_of_low`` is the share of its lower end, ``pct_of_high`` of its upper.
    """
    table = tonnage_targets(targets).copy()
    low = table["value_low_tco2"].fillna(table["value_high_tco2"])
    table["pct_of_low"] = issued_tco2 / low * 100.0
    table["pct_of_high"] = issued_tco2 / table["value_high_tco2"] * 100.0
    table["remaining_tco2"] = (table["value_high_tco2"] - issued_tco2).clip(lower=0.0)
    return table


def _country_slug(country_name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", country_name.lower()).strip("_")


def published_metric_for(country_names: list[str] | None) -> str | None:
    """The published metric of cumulative credits for the whole JCM or one country (None for several).

    ``credits_issued_cumulative`` for the whole JCM, ``credits_issued_<country>_cumulative`` for one
    country. Other metrics (such as the World Bank dashboard's, kept apart because it is lower than
    what is itemized here) are never taken for the total.
    """
    if not country_names:
        return "credits_issued_cumulative"
    if len(country_names) == 1:
        return f"credits_issued_{_country_slug(country_names[0])}_cumulative"
    return None


def published_total_for(published: pd.DataFrame, country_names: list[str] | None) -> pd.Series | None:
    """The latest published cumulative issuance figure for the whole JCM or one country, else None.

    The scope is the whole JCM (``country_names`` empty or None) or one country (metric
    ``credits_issued_<country>_cumulative``).
    """
    metric = published_metric_for(country_names)
    if metric is None:
        return None
    rows = published[
        (published["metric"] == metric) & published["as_of_day"].notna() & published["value_numeric"].notna()
    ]
    if rows.empty:
        return None
    return rows.sort_values("as_of_day").iloc[-1]


def published_comparison(row: pd.Series, dataset_tco2_same_date: float) -> dict[str, Any]:
    """A published figure beside this data's known amounts dated on or before its date."""
    return {
        "metric": row["metric"],
        "published_tco2": as_number(float(row["value_numeric"])),
        "approximate": "approx" in str(row.get("value_basis") or "").lower(),
        "as_of_date": row["as_of_date"],
        "scope_note": row["scope_note"],
        "source_url": row["source_url"],
        "dataset_tco2_same_date": as_number(dataset_tco2_same_date),
    }
