"""How far the JCM is from its targets, from the best figure known: pure functions, no I/O.

Two honest figures exist for the credits issued so far, and neither is the total:
- the credits **itemized** in this data (the sum of the known amounts: a lower bound, since many
  issuances state no amount and several partners' issuance pages are not captured);
- the latest **published** cumulative total for the scope (``aggregates.csv``), which is dated and
  may be approximate.
Both are lower bounds of what has been issued by now (a cumulative total only grows), so the shares,
gaps and pace here use the larger of the two, and say which (``basis``). tests/test_progress.py
proves the rules on small frames.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jcm_dash import metrics, projections

RECENT_YEARS = 3  # the "recent average" is over the last three complete FYs


def best_known(itemized_tco2: float | None, published: dict[str, Any] | None) -> dict[str, Any]:
    """The figure progress is measured from: the published total when it is larger, else the itemized sum.

    Returns ``basis`` ("published" or "itemized"), ``value_tco2``, and both figures as given.
    """
    itemized = float(itemized_tco2 or 0.0)
    published_tco2 = None if published is None else published.get("published_tco2")
    if published_tco2 is not None and float(published_tco2) > itemized:
        return {"basis": "published", "value_tco2": float(published_tco2), "itemized_tco2": itemized_tco2}
    return {"basis": "itemized", "value_tco2": itemized, "itemized_tco2": itemized_tco2}


def target_rows(value_tco2: float, targets: pd.DataFrame, as_of_fy: int) -> pd.DataFrame:
    """Per current tonnage target: share reached, gap and the pace needed each FY from now.

    Args:
        value_tco2: the best-known cumulative credits (``best_known``).
        targets: ``metrics.tonnage_targets`` output; superseded targets are left out.
        as_of_fy: the FY of the data's as-of date; the pace counts the FYs after it to the deadline
            (``projections.required_annual_rate``, as on the projections page).

    Returns:
        target_name, deadline_fy, value_tco2 (the target), share_pct, gap_tco2 (never negative),
        first_fy (the first FY the pace applies to), required_annual_tco2 (None once the deadline has passed).

    """
    current = targets[~targets["is_superseded"].astype(bool)]
    rows = []
    for _, target in current.iterrows():
        goal = float(target["value_high_tco2"])
        deadline = int(target["deadline_fy"])
        rows.append(
            {
                "target_name": target["target_name"],
                "deadline_fy": deadline,
                "value_tco2": goal,
                "share_pct": value_tco2 / goal * 100.0,
                "gap_tco2": max(0.0, goal - value_tco2),
                "first_fy": as_of_fy + 1,
                "required_annual_tco2": projections.required_annual_rate(value_tco2, goal, deadline, as_of_fy),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "target_name",
            "deadline_fy",
            "value_tco2",
            "share_pct",
            "gap_tco2",
            "first_fy",
            "required_annual_tco2",
        ],
    )


def pace_achieved(cumulative: pd.DataFrame, as_of_fy: int, years: int = RECENT_YEARS) -> dict[str, Any]:
    """The pace so far, from known amounts per FY (``metrics.cumulative_issued`` output).

    ``best_fy`` is the FY with the most known credits (the latest of equals; None when none is known);
    the recent average is over the last ``years`` complete FYs on the axis (the as-of FY has only begun).
    Amounts are known amounts only, so both are lower bounds.
    """
    per_fy = cumulative[["fiscal_year", "issued_tco2"]]
    known = per_fy[per_fy["issued_tco2"] > 0]
    best = known.sort_values(["issued_tco2", "fiscal_year"]).iloc[-1] if len(known) else None
    complete = per_fy[per_fy["fiscal_year"] < as_of_fy]
    recent = complete.tail(years)
    # A FY whose issuances state no amount is unknown, not 0: the average over known amounts is then
    # only a lower bound, and the FYs are named so the card can say so.
    unknown = [int(fy) for fy in recent.loc[recent["issued_tco2"].isna(), "fiscal_year"]]
    return {
        "best_fy": None if best is None else int(best["fiscal_year"]),
        "best_fy_tco2": None if best is None else float(best["issued_tco2"]),
        "recent_first_fy": int(recent["fiscal_year"].iloc[0]) if len(recent) else None,
        "recent_last_fy": int(recent["fiscal_year"].iloc[-1]) if len(recent) else None,
        "recent_average_tco2": float(recent["issued_tco2"].fillna(0.0).mean()) if len(recent) else None,
        "recent_unknown_fys": unknown,
    }


def share_of(part_tco2: float | None, whole_tco2: float | None) -> float | None:
    """``part`` as a percentage of ``whole`` (None when the whole has nothing known)."""
    if not whole_tco2:
        return None
    return float(part_tco2 or 0.0) / float(whole_tco2) * 100.0


def rank_of(values: pd.Series, member: str) -> int | None:
    """``member``'s rank by known credits among ``values``' members (1 = most; equals share a rank).

    NaN (no amount known) counts as nothing known; None when the member has nothing known.
    """
    known = values.fillna(0.0).astype(float)
    mine = float(known.get(member, 0.0))
    if mine <= 0:
        return None
    return int((known > mine).sum()) + 1


def published_points(published: pd.DataFrame, country_names: list[str] | None) -> pd.DataFrame:
    """Every dated published cumulative total for the scope (``metrics.published_total_for``'s metric), oldest first.

    Columns as ``as_points``.
    """
    metric = metrics.published_metric_for(country_names)
    if metric is None:
        return as_points(published.iloc[0:0])
    return as_points(published[published["metric"] == metric])


def as_points(rows: pd.DataFrame) -> pd.DataFrame:
    """Published figures (``queries.published_figures`` rows of one metric) as dated points, oldest first.

    Columns: as_of_day, as_of_date (as published), value_tco2, source_url, fiscal_year, and
    fy_position: where the date sits on a chart whose FY N marks the end of FY N (a date in FY N
    lies between N-1 and N), so a point published in October reads as October, not as March.
    """
    rows = rows[rows["as_of_day"].notna() & rows["value_numeric"].notna()].sort_values("as_of_day")
    days = pd.to_datetime(rows["as_of_day"])
    return pd.DataFrame(
        {
            "as_of_day": days.dt.date,
            "as_of_date": rows["as_of_date"],
            "value_tco2": rows["value_numeric"].astype(float),
            "source_url": rows["source_url"],
            "fiscal_year": [d.year if d.month >= 4 else d.year - 1 for d in days],
            "fy_position": projections.fiscal_times(days) - 1.0,
        }
    ).reset_index(drop=True)
