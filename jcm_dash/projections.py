"""Projections of cumulative JCM credits to FY2030, FY2040 and beyond: pure functions, no I/O.

The model, in plain words (the projections page prints the same):
1. What has been issued so far is the starting point.
2. Each registered project is expected to deliver its expected annual reductions in every full
   FY after its registration FY, for ``crediting_years`` years (or with no end). Only years after
   the data's as-of FY count: past, unissued years are not carried forward.
3. Projects in validation register at ``pipeline_conversion`` (a share) after
   ``pipeline_delay_years`` and then deliver like registered projects.
4. ``new_projects_per_year`` new projects of ``new_project_size_tco2`` t-CO2e/yr register every FY.
5. Every expected tonne becomes an issued credit at the issuance-success ratio; the low / central
   / high band uses the ratio's low / central / high values.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from jcm_dash.i18n import EN, Translator
from jcm_dash.metrics import weights

# The last FY searched for "the FY a target is reached"; beyond it the answer is "not by FY2100".
SEARCH_LIMIT_FY = 2100


@dataclass(frozen=True)
class SuccessRatio:
    """Credits issued ÷ expected reductions over the monitoring periods that were issued."""

    central: float
    low: float
    high: float
    issuances: int
    projects: int
    issued_tco2: float
    expected_tco2: float


@dataclass(frozen=True)
class Scenario:
    """The scenario inputs; every value also travels in the URL and on the command line."""

    success_ratio: float
    success_ratio_low: float
    success_ratio_high: float
    pipeline_conversion: float
    pipeline_delay_years: int
    new_projects_per_year: float
    new_project_size_tco2: float
    crediting_years: int | None

    def with_ratio(self, ratio: float) -> Scenario:
        """The same scenario at another success ratio (for the band)."""
        return replace(self, success_ratio=ratio)

    def as_dict(self) -> dict[str, float | int | None]:
        """The inputs as a plain dict (for JSON)."""
        return asdict(self)


def measure_success_ratio(periods: pd.DataFrame) -> SuccessRatio | None:
    """Measure the issuance-success ratio from issued monitoring periods.

    Args:
        periods: one row per issuance with a known amount, a monitoring period and named projects
            that all have expected reductions: ``issued_tco2``, ``period_days``,
            ``expected_annual_tco2`` (sum over the named projects), ``project_refs``.

    Returns:
        The pooled ratio (sum issued ÷ sum expected, so large projects weigh more) as central, the
        per-issuance quartiles as low and high (widened to include the central value), or None
        when no period can be measured.

    """
    usable = periods[(periods["period_days"] > 0) & (periods["expected_annual_tco2"] > 0)]
    if usable.empty:
        return None
    expected = usable["expected_annual_tco2"] * usable["period_days"] / 365.25
    ratios = usable["issued_tco2"] / expected
    projects = {ref for refs in usable["project_refs"] for ref in str(refs).split(";")}
    return success_ratio(
        {
            "issuances": len(usable),
            "projects": len(projects),
            "issued_tco2": float(usable["issued_tco2"].sum()),
            "expected_tco2": float(expected.sum()),
            "q25": float(np.percentile(ratios, 25)),
            "q75": float(np.percentile(ratios, 75)),
        }
    )


def success_ratio(inputs: dict[str, Any]) -> SuccessRatio | None:
    """The ratio from totals and quartiles (``queries.success_ratio_inputs`` or measure_success_ratio).

    Central is pooled (sum issued ÷ sum expected); the band is the per-issuance quartiles, widened
    to include the central value. None when no period could be measured.
    """
    if not inputs["issuances"]:
        return None
    central = float(inputs["issued_tco2"]) / float(inputs["expected_tco2"])
    return SuccessRatio(
        central=central,
        low=min(central, float(inputs["q25"])),
        high=max(central, float(inputs["q75"])),
        issuances=int(inputs["issuances"]),
        projects=int(inputs["projects"]),
        issued_tco2=float(inputs["issued_tco2"]),
        expected_tco2=float(inputs["expected_tco2"]),
    )


def _active(start_fy: int, fys: np.ndarray, crediting_years: int | None) -> np.ndarray:
    """1.0 in the FYs a project delivering from ``start_fy`` is active, else 0.0."""
    active = fys >= start_fy
    if crediting_years is not None:
        active &= fys < start_fy + crediting_years
    return active.astype(float)


def expected_by_fy(
    registered: pd.DataFrame,
    pipeline_tco2: float,
    scenario: Scenario,
    first_fy: int,
    last_fy: int,
) -> pd.DataFrame:
    """Expected reductions (before the success ratio) per FY from the three sources.

    Args:
        registered: registered projects: ``event_fy`` (registration FY), ``expected_annual_reductions_tco2``.
        pipeline_tco2: the summed expected annual reductions of projects in validation.
        scenario: the inputs.
        first_fy: the first projected FY (the FY after the data's as-of FY).
        last_fy: the last projected FY.

    """
    fys = np.arange(first_fy, last_fy + 1)
    from_registered = np.zeros(len(fys))
    # One term per registration FY (summed first: a store may hold thousands of projects a year).
    annual_by_fy = registered.groupby("event_fy")["expected_annual_reductions_tco2"].sum(min_count=1)
    for reg_fy, annual in annual_by_fy.items():
        if pd.isna(reg_fy) or pd.isna(annual):
            continue
        from_registered += float(annual) * _active(int(reg_fy) + 1, fys, scenario.crediting_years)
    # Pipeline projects register in FY (first_fy - 1 + delay) and deliver from the FY after.
    pipeline_start = first_fy + scenario.pipeline_delay_years
    from_pipeline = (
        pipeline_tco2 * scenario.pipeline_conversion * _active(pipeline_start, fys, scenario.crediting_years)
    )
    # One cohort of new projects registers every FY from first_fy on and delivers from the next FY.
    from_new = np.zeros(len(fys))
    cohort = scenario.new_projects_per_year * scenario.new_project_size_tco2
    if cohort > 0:
        for reg_fy in fys:
            from_new += cohort * _active(int(reg_fy) + 1, fys, scenario.crediting_years)
    return pd.DataFrame(
        {
            "fiscal_year": fys,
            "registered_tco2": from_registered,
            "pipeline_tco2": from_pipeline,
            "new_tco2": from_new,
        }
    )


def project(issued_to_date: float, expected: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """Projected credits per FY and cumulative (low / central / high) from ``expected_by_fy`` output."""
    total = expected["registered_tco2"] + expected["pipeline_tco2"] + expected["new_tco2"]
    result = pd.DataFrame({"fiscal_year": expected["fiscal_year"]})
    for name, ratio in (
        ("low", scenario.success_ratio_low),
        ("central", scenario.success_ratio),
        ("high", scenario.success_ratio_high),
    ):
        annual = total * ratio
        result[f"annual_{name}_tco2"] = annual
        result[f"cumulative_{name}_tco2"] = issued_to_date + annual.cumsum()
    return result


def cumulative_at(projection: pd.DataFrame, fy: int, issued_to_date: float, band: str = "central") -> float:
    """Projected cumulative credits at the end of ``fy`` (the actual total if ``fy`` is not projected)."""
    rows = projection[projection["fiscal_year"] == fy]
    if rows.empty:
        return issued_to_date
    return float(rows[f"cumulative_{band}_tco2"].iloc[0])


def required_annual_rate(issued_to_date: float, target_tco2: float, deadline_fy: int, as_of_fy: int) -> float | None:
    """Credits a year needed in each FY after ``as_of_fy`` through ``deadline_fy`` to reach the target.

    Returns 0.0 when the target is already met and None when no FY is left before the deadline.
    """
    remaining = target_tco2 - issued_to_date
    if remaining <= 0:
        return 0.0
    years = deadline_fy - as_of_fy
    if years <= 0:
        return None
    return remaining / years


def fy_reached(
    projection: pd.DataFrame, issued_to_date: float, target_tco2: float, as_of_fy: int, band: str = "central"
) -> int | None:
    """The first FY whose projected cumulative reaches the target, ``as_of_fy`` if already met, else None."""
    if issued_to_date >= target_tco2:
        return as_of_fy
    reached = projection[projection[f"cumulative_{band}_tco2"] >= target_tco2 - 1e-6]
    return int(reached["fiscal_year"].iloc[0]) if not reached.empty else None


def target_outlook(
    projection: pd.DataFrame, issued_to_date: float, targets: pd.DataFrame, as_of_fy: int
) -> pd.DataFrame:
    """Per tonnage target: required annual rate, projected cumulative and gap at its deadline, FY reached.

    A band target (50–100 Mt) is judged against its upper end; ``reached_low_end_fy`` gives its lower end.
    """
    rows = []
    for _, target in targets.iterrows():
        deadline = int(target["deadline_fy"])
        value = float(target["value_high_tco2"])
        low_value = float(target["value_low_tco2"]) if pd.notna(target["value_low_tco2"]) else value
        projected = {b: cumulative_at(projection, deadline, issued_to_date, b) for b in ("low", "central", "high")}
        rows.append(
            {
                "target_name": target["target_name"],
                "deadline_fy": deadline,
                "value_tco2": value,
                "value_low_tco2": low_value,
                "is_superseded": bool(target["is_superseded"]),
                "required_annual_tco2": required_annual_rate(issued_to_date, value, deadline, as_of_fy),
                "projected_at_deadline_low_tco2": projected["low"],
                "projected_at_deadline_tco2": projected["central"],
                "projected_at_deadline_high_tco2": projected["high"],
                "gap_at_deadline_tco2": max(0.0, value - projected["central"]),
                "reached_fy": fy_reached(projection, issued_to_date, value, as_of_fy, "central"),
                "reached_fy_low": fy_reached(projection, issued_to_date, value, as_of_fy, "low"),
                "reached_fy_high": fy_reached(projection, issued_to_date, value, as_of_fy, "high"),
                "reached_low_end_fy": fy_reached(projection, issued_to_date, low_value, as_of_fy, "central"),
            }
        )
    return pd.DataFrame(rows)


def reached_label(fy: int | None, as_of_fy: int, t: Translator = EN) -> str:
    """``FY2034``, ``already met`` or ``not by FY2100`` (in ``t``'s language)."""
    if fy is None:
        return t("projection.not_by", fy=t.fy(SEARCH_LIMIT_FY))
    if fy <= as_of_fy:
        return t("projection.already_met")
    return t.fy(fy)


def default_new_projects(
    registered: pd.DataFrame, as_of_fy: int, years: int = 5, median_size: float | None = None
) -> tuple[float, float]:
    """Data-derived defaults for new projects: registrations a year and their median size.

    Registrations a year is the mean over the ``years`` complete FYs before ``as_of_fy``; the size is
    the median expected annual reductions of registered projects (0 when there are none).
    ``registered`` may be aggregated (``queries.project_cube``); a median cannot be taken from sums,
    so then pass ``median_size`` (``queries.registered_median_size``).
    """
    window = registered[(registered["event_fy"] >= as_of_fy - years) & (registered["event_fy"] < as_of_fy)]
    per_year = float(weights(window).sum()) / years
    if median_size is None:
        sizes = registered["expected_annual_reductions_tco2"].dropna()
        median_size = float(sizes.median()) if len(sizes) else 0.0
    return per_year, (0.0 if math.isnan(median_size) else float(median_size))


def default_conversion(projects: pd.DataFrame) -> float | None:
    """Share of decided projects that registered rather than withdrew: registered ÷ (registered + withdrawn)."""
    n = weights(projects)
    registered = int(n[projects["status_code"] == "registered"].sum())
    withdrawn = int(n[projects["status_code"] == "withdrawn"].sum())
    if registered + withdrawn == 0:
        return None
    return registered / (registered + withdrawn)
