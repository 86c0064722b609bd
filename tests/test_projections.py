"""Projection arithmetic on hand-computed cases, the scenario registry, and the command and page agreeing."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jcm_dash import projections
from jcm_dash.i18n import EN, escape_markdown
from jcm_dash.projections import Evidence, IssuanceLag, Published, Scenario

from . import reference
from .conftest import open_page, run_app, run_cli
from .oracle import REAL as oracle

AS_OF_FY = 2025


def scenario(**changes) -> Scenario:
    base = {
        "method": projections.POTENTIAL,
        "realized_conversion": None,
        "issuance_lag_years": 0.0,
        "success_ratio": 1.0,
        "pipeline_conversion": 0.0,
        "pipeline_delay_years": 0,
        "new_projects_per_year": 0.0,
        "new_project_size_tco2": 0.0,
        "crediting_years": None,
    }
    return Scenario(**{**base, **changes})


def one_project(reg_fy: int = 2020, annual: float = 1000.0) -> pd.DataFrame:
    return pd.DataFrame({"event_fy": [reg_fy], "expected_annual_reductions_tco2": [annual]})


def potential(
    registered: pd.DataFrame, pipeline: float, s: Scenario, issued: float, last_fy: int = 2100
) -> pd.DataFrame:
    """The potential alone as a projection from the end of FY2025 (the potential is its own central case)."""
    evidence = Evidence(
        as_of=pd.Timestamp("2026-03-31"),
        issued_tco2=issued,
        issued_by_fy=pd.Series(dtype=float),
        registered=registered.assign(registration_date=pd.NaT),
        published=None,
        lag=None,
        success_ratio=None,
    )
    calibration = projections.calibrate(evidence, 0.0)
    future = projections.future_cohorts(pipeline, s, AS_OF_FY + 1, last_fy)
    times = np.arange(AS_OF_FY + 1, max(last_fy, AS_OF_FY) + 2, dtype=float)
    curves = projections.method_curves(evidence, calibration, s, future, times)
    return projections.project({projections.POTENTIAL: curves[projections.POTENTIAL]}, AS_OF_FY, last_fy, "potential")


def test_constant_pace() -> None:
    """1,000 t/yr from FY2026 on top of 5,000 issued: 10,000 by FY2030; 8,000 reached in FY2028."""
    projected = potential(one_project(), 0.0, scenario(), 5000)
    assert projections.cumulative_at(projected, 2030, 5000) == 10_000
    assert projections.fy_reached(projected, 5000, 8000, AS_OF_FY) == 2028
    assert projections.required_annual_rate(5000, 10_000, 2030, AS_OF_FY) == 1000


def test_target_already_met() -> None:
    """With 200 t issued a 100 t target needs nothing more and reads 'already met'."""
    projected = potential(one_project(), 0.0, scenario(), 200)
    assert projections.required_annual_rate(200, 100, 2030, AS_OF_FY) == 0.0
    reached = projections.fy_reached(projected, 200, 100, AS_OF_FY)
    assert reached == AS_OF_FY
    assert projections.reached_label(reached, AS_OF_FY) == "already met"


def test_zero_pipeline_adds_nothing() -> None:
    """A pipeline of 0 t, or a conversion of 0, leaves the projection of registered projects unchanged."""
    base = potential(one_project(), 0.0, scenario(), 0)
    no_conversion = potential(one_project(), 5000.0, scenario(pipeline_conversion=0.0), 0)
    empty_pipeline = potential(one_project(), 0.0, scenario(pipeline_conversion=1.0), 0)
    pd.testing.assert_frame_equal(base, no_conversion)
    pd.testing.assert_frame_equal(base, empty_pipeline)


def test_success_ratio_zero_never_reaches() -> None:
    """At a ratio of 0 the potential issues nothing more: the total stays at 300 and 100 Mt is 'not by FY2100'."""
    s = scenario(success_ratio=0.0, pipeline_conversion=1.0, new_projects_per_year=5, new_project_size_tco2=100)
    projected = potential(one_project(), 1000.0, s, 300)
    assert projections.cumulative_at(projected, 2040, 300) == 300
    reached = projections.fy_reached(projected, 300, 100e6, AS_OF_FY)
    assert reached is None
    assert projections.reached_label(reached, AS_OF_FY) == "not by FY2100"


def test_success_ratio_one_issues_what_is_expected() -> None:
    """At a ratio of 1 the annual credits equal the expected reductions: 1,000 + 500 × 0.5 pipeline."""
    projected = potential(one_project(), 500.0, scenario(pipeline_conversion=0.5, pipeline_delay_years=0), 0)
    assert projected["annual_central_tco2"].iloc[0] == 1000 + 250


def test_pipeline_delay_and_new_project_cohorts() -> None:
    """Pipeline 1,000 t × 0.5 after 2 years starts in FY2028; 2 new projects of 100 t/yr add 200 t per cohort."""
    s = scenario(pipeline_conversion=0.5, pipeline_delay_years=2, new_projects_per_year=2, new_project_size_tco2=100)
    expected = projections.expected_by_fy(one_project(annual=0.0), 1000.0, s, 2026, 2029)
    assert expected["pipeline_tco2"].tolist() == [0, 0, 500, 500]
    assert expected["new_tco2"].tolist() == [0, 200, 400, 600]


def test_crediting_years_end_delivery() -> None:
    """A project registered in FY2024 with 3 crediting years delivers in FY2025–FY2027 only."""
    expected = projections.expected_by_fy(one_project(2024), 0.0, scenario(crediting_years=3), 2026, 2029)
    assert expected["registered_tco2"].tolist() == [1000, 1000, 0, 0]


def test_range_that_ends_before_today() -> None:
    """A deadline before the as-of FY has no required rate and no projected FYs: the total is the actual."""
    assert projections.required_annual_rate(100, 1000, 2024, AS_OF_FY) is None
    projected = potential(one_project(), 0.0, scenario(), 100, last_fy=2024)
    assert projected.empty
    assert projections.cumulative_at(projected, 2024, 100) == 100
    assert projections.fy_reached(projected, 100, 1000, AS_OF_FY) is None


def test_measure_success_ratio_pools_and_takes_quartiles() -> None:
    """100 t over a year at 200 t/yr (0.5) and 300 t over two years at 100 t/yr (1.5): pooled 1.0, band 0.75–1.25."""
    periods = pd.DataFrame(
        {
            "issued_tco2": [100.0, 300.0],
            "period_days": [365.25, 730.5],
            "expected_annual_tco2": [200.0, 100.0],
            "project_refs": ["A", "B;C"],
        }
    )
    measured = reference.measure_success_ratio(periods)
    assert measured.central == pytest.approx(1.0)
    assert (measured.low, measured.high) == (pytest.approx(0.75), pytest.approx(1.25))
    assert (measured.issuances, measured.projects) == (2, 3)
    assert reference.measure_success_ratio(periods.iloc[0:0]) is None


def test_pooled_success_ratio_counts_only_periods_decided_by_the_cut_off() -> None:
    """100 t for 200 t expected (2017) and 300 t for 100 t (2020): 0.5 as of 2018, 400 ÷ 300 later."""
    periods = pd.DataFrame(
        {"event_date": ["2017-05-01", "2020-05-01"], "issued_tco2": [100.0, 300.0], "expected_tco2": [200.0, 100.0]}
    )
    assert projections.pooled_success_ratio(periods, "2018-03-31") == 0.5
    assert projections.pooled_success_ratio(periods) == pytest.approx(4 / 3)
    assert projections.pooled_success_ratio(periods, "2016-01-01") is None


def test_target_outlook_band_and_gap() -> None:
    """The 50–100 Mt band is judged on 100 Mt; the gap is target − projected, never negative."""
    targets = pd.DataFrame(
        {
            "target_name": ["band", "small"],
            "deadline_fy": [2030, 2030],
            "value_low_tco2": [50e6, 1000.0],
            "value_high_tco2": [100e6, 1000.0],
            "is_superseded": [True, False],
        }
    )
    projected = potential(one_project(), 0.0, scenario(), 0)
    outlook = projections.target_outlook(projected, 0, targets, AS_OF_FY).set_index("target_name")
    assert outlook.loc["band", "gap_at_deadline_tco2"] == 100e6 - 5000
    assert outlook.loc["small", "gap_at_deadline_tco2"] == 0
    assert outlook.loc["small", "reached_fy"] == 2026


# --- Lag, realized conversion and each method, by hand --------------------------------------------


def test_fiscal_time_puts_a_date_on_the_fy_axis() -> None:
    """The end of 31 March 2019 is 2019.0 (FY2018 over); the end of 1 April 2018 is 1/365 into FY2018."""
    assert projections.fiscal_time("2019-03-31") == 2019.0
    assert projections.fiscal_time("2018-04-01") == pytest.approx(2018 + 1 / 365)
    assert math.isnan(projections.fiscal_times(pd.Series([None]))[0])


def test_lag_is_the_median_over_issuances_known_by_the_cut_off() -> None:
    """Lags of 0.2, 0.4 (twice) and 2 years: median 0.4 years over 4 issuances; as of 2019, the first two rows."""
    samples = pd.DataFrame(
        {
            "event_date": ["2018-01-10", "2018-06-01", "2021-03-01"],
            "lag_days": [73.05, 146.1, 730.5],
            "n": [1, 2, 1],
        }
    )
    lag = projections.measure_lag(samples)
    assert (lag.years, lag.issuances) == (pytest.approx(0.4), 4)
    assert (lag.min_years, lag.max_years) == (pytest.approx(0.2), pytest.approx(2.0))
    early = projections.measure_lag(samples, "2019-03-31")
    assert (early.years, early.issuances) == (pytest.approx(0.4), 3)
    assert projections.measure_lag(samples, "2017-12-31") is None


def test_accrual_runs_from_the_start_at_the_annual_rate_for_the_crediting_years() -> None:
    """1,000 t/yr from 2020.0: 2,500 t by 2022.5; with 2 crediting years, 2,000 t; nothing before it starts."""
    cohort = pd.DataFrame({"start": [2020.0], "annual_tco2": [1000.0]})
    assert projections.accrued(cohort, [2019.0, 2022.5], None).tolist() == [0.0, 2500.0]
    assert projections.accrued(cohort, [2022.5], 2).tolist() == [2000.0]


def test_realized_conversion_to_date_and_after_the_lag() -> None:
    """500 t issued by 31 March 2023, 1,000 t/yr since 31 March 2020: 1/6 of 3,000 t; 1/4 of 2,000 t a year earlier."""
    cohorts = projections.registered_cohorts(
        pd.DataFrame({"registration_date": ["2020-03-31"], "expected_annual_reductions_tco2": [1000.0]}), "realized"
    )
    measured = projections.measure_realized("itemized", 500, "2023-03-31", cohorts, lag_years=1.0)
    assert (measured.accrued_tco2, measured.accrued_before_lag_tco2) == (pytest.approx(3000), pytest.approx(2000))
    assert (measured.to_date, measured.after_lag) == (pytest.approx(1 / 6), pytest.approx(0.25))


def hand_evidence(**changes) -> Evidence:
    """The hand-computed case: one project, some credits, one published total, a lag of one year.

    The project is registered on 31 March 2020 (FY2019) and expects 1,000 t/yr; 500 t are itemized
    by 31 March 2023 (FY2020 100, FY2021 150, FY2022 250); 800 t are published by 31 March 2022.
    """
    base = {
        "as_of": pd.Timestamp("2023-03-31"),
        "issued_tco2": 500.0,
        "issued_by_fy": pd.Series({2020: 100.0, 2021: 150.0, 2022: 250.0}),
        "registered": pd.DataFrame(
            {
                "registration_date": [pd.Timestamp("2020-03-31")],
                "event_fy": [2019],
                "expected_annual_reductions_tco2": [1000.0],
            }
        ),
        "published": Published(800.0, pd.Timestamp("2022-03-31")),
        "lag": IssuanceLag(1.0, 3, 0.5, 2.0),
        "success_ratio": 1.2,
    }
    return Evidence(**{**base, **changes})


def hand_curves(evidence: Evidence, **changes) -> dict[str, float]:
    s = scenario(success_ratio=1.2, trend_years=2, issuance_lag_years=1.0, **changes)
    calibration = projections.calibrate(evidence, 1.0, trend_years=2)
    future = projections.future_cohorts(0.0, s, 2023, 2024)
    return {m: float(v[0]) for m, v in projections.method_curves(evidence, calibration, s, future, [2025.0]).items()}


def test_each_method_by_hand() -> None:
    """At the end of FY2024 (2025.0), from hand_evidence.

    itemized-realized: 500 + 500/2,000 × (4,000 − 2,000) = 1,000;
    published-realized: 800 + 800/1,000 × (4,000 − 1,000) = 3,200 (from its own date);
    trend: 500 + (150 + 250)/2 × 2 years = 900;
    potential: 500 + 1.2 × 2 FYs × 1,000 (from FY2020, the FY after registration) = 2,900.
    """
    curves = hand_curves(hand_evidence())
    assert curves == {
        "published_realized": pytest.approx(3200),
        "itemized_realized": pytest.approx(1000),
        "trend": pytest.approx(900),
        "potential": pytest.approx(2900),
    }


def test_a_realized_conversion_set_in_the_scenario_applies_to_the_central_method_only() -> None:
    """Rate 0.5 for the published-realized central case: 800 + 0.5 × 3,000 = 2,300; the itemized one keeps 0.25."""
    curves = hand_curves(hand_evidence(), method=projections.PUBLISHED_REALIZED, realized_conversion=0.5)
    assert curves["published_realized"] == pytest.approx(2300)
    assert curves["itemized_realized"] == pytest.approx(1000)


def test_a_scope_without_its_own_figures_uses_the_whole_jcms_rates() -> None:
    """No credit and no published total in the scope: both rates are the JCM's (0.25, 0.8), the base the scope's 0 t."""
    jcm = hand_evidence()
    scope = hand_evidence(issued_tco2=0.0, issued_by_fy=pd.Series(dtype=float), published=None, jcm=jcm)
    calibration = projections.calibrate(scope, 1.0, trend_years=2)
    assert (calibration.itemized.scope, calibration.itemized.after_lag) == ("jcm", pytest.approx(0.25))
    assert (calibration.published.scope, calibration.published.after_lag) == ("jcm", pytest.approx(0.8))
    assert calibration.published_base == Published(0.0, scope.as_of)
    curves = hand_curves(scope)
    assert curves["itemized_realized"] == pytest.approx(0.25 * 2000)
    assert curves["published_realized"] == pytest.approx(0.8 * 2000)
    assert curves["trend"] == 0


def test_the_band_spans_the_band_methods_and_the_central_case() -> None:
    """Low and high are the extremes of published-, itemized-realized and potential; the trend stays outside."""
    curves = {
        "published_realized": np.array([10.0, 30.0, 60.0]),
        "itemized_realized": np.array([10.0, 12.0, 14.0]),
        "trend": np.array([10.0, 11.0, 12.0]),
        "potential": np.array([10.0, 50.0, 90.0]),
    }
    projected = projections.project(curves, 2025, 2027, "published_realized")
    assert projected["fiscal_year"].tolist() == [2026, 2027]
    assert projected["cumulative_central_tco2"].tolist() == [30, 60]
    assert projected["annual_central_tco2"].tolist() == [20, 30]
    assert projected["cumulative_low_tco2"].tolist() == [12, 14]
    assert projected["cumulative_high_tco2"].tolist() == [50, 90]
    assert projected["annual_trend_tco2"].tolist() == [1, 1]
    trend_central = projections.project(curves, 2025, 2027, "trend")
    assert trend_central["cumulative_low_tco2"].tolist() == [11, 12]  # the central case is always inside the band
    assert projections.starting_points(curves, "trend")["low"] == 10


def test_published_pace_and_the_first_fy_beside_the_record() -> None:
    """Published 1,000 (2018-04-01) and 3,922 (2020-04-01, 731 days later): 1,460 t/yr; FY2027's 2,920 t is 2× that."""
    published = pd.DataFrame(
        {"as_of_day": ["2018-04-01", "2019-09-01", "2020-04-01"], "value_numeric": [1000.0, 2000.0, 1000 + 2 * 1461.0]}
    )
    pace = projections.published_pace(published)
    assert pace["from_date"] == "2018-04-01" and pace["to_date"] == "2020-04-01"
    assert pace["tco2_per_year"] == pytest.approx(2 * 1461.0 / (731 / 365.25))
    projected = pd.DataFrame({"fiscal_year": [2027, 2028], "annual_central_tco2": [2 * pace["tco2_per_year"], 0.0]})
    check = projections.first_fy_check(projected, pd.Series({2019: 400.0, 2021: 800.0}), published, 2026)
    assert (check["fy"], check["best_historical_fy"], check["best_historical_tco2"]) == (2027, 2021, 800.0)
    assert check["multiple_of_published_pace"] == pytest.approx(2.0)
    assert check["multiple_of_best_fy"] == pytest.approx(2 * pace["tco2_per_year"] / 800)
    assert projections.published_pace(published.iloc[1:2]) is None


def test_lagged_accrual_growth_compares_the_reductions_behind_each_window() -> None:
    """Growth of the reductions behind the first FY over those behind the published pace: 4× here.

    1,000 t/yr from 2018.0 plus 3,000 t/yr from 2021.0, lag 1 year: FY2025's credits draw on 4,000
    t/yr (2024.0–2025.0); a published pace from 2020-03-31 to 2022-03-31 on 1,000 t/yr (2019.0–2021.0).
    """
    registered = pd.DataFrame(
        {
            "registration_date": ["2018-03-31", "2021-03-31"],
            "expected_annual_reductions_tco2": [1000.0, 3000.0],
        }
    )
    pace = {"from_date": "2020-03-31", "to_date": "2022-03-31"}
    growth = projections.lagged_accrual_growth(
        registered, pd.DataFrame(columns=["start", "annual_tco2"]), 1.0, None, 2025, pace
    )
    assert growth == pytest.approx(4000 / 1000)
    assert (
        projections.lagged_accrual_growth(
            registered, pd.DataFrame(columns=["start", "annual_tco2"]), 1.0, None, 2025, None
        )
        is None
    )


# --- The scenario registry: one set of inputs for the command line, the page and the URL -----------


def test_registry_keeps_every_url_parameter_and_option_name() -> None:
    """Existing URL parameters and command-line options are unchanged; the new ones are added."""
    inputs = {i.name: (i.param, i.option) for i in projections.SCENARIO_INPUTS}
    assert inputs["success_ratio"] == ("success_ratio", "--success-ratio")
    assert inputs["pipeline_conversion"] == ("conversion", "--pipeline-conversion")
    assert inputs["pipeline_delay_years"] == ("delay", "--pipeline-delay")
    assert inputs["new_projects_per_year"] == ("new_per_year", "--new-projects-per-year")
    assert inputs["new_project_size_tco2"] == ("new_size", "--new-project-size")
    assert inputs["crediting_years"] == ("crediting_years", "--crediting-years")
    assert inputs["method"] == ("method", "--method")
    assert inputs["issuance_lag_years"] == ("lag", "--issuance-lag")
    assert inputs["realized_conversion"] == ("realized", "--realized-conversion")
    assert set(inputs) <= set(Scenario.__dataclass_fields__)


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("pipeline_delay_years", "inf", "outside"),
        ("crediting_years", "1e400", "outside"),
        ("crediting_years", "nan", "outside"),
        ("crediting_years", "2.5", "not_number"),
        ("success_ratio", "-1", "outside"),
        ("success_ratio", "abc", "not_number"),
        ("method", "bogus", "not_choice"),
    ],
)
def test_registry_refuses_unusable_values_with_its_own_error(name: str, text: str, reason: str) -> None:
    """inf, nan, 1e400 (which would overflow an int) and words give a ScenarioValueError, nothing else."""
    with pytest.raises(projections.ScenarioValueError) as err:
        projections.SCENARIO_INPUTS_BY_NAME[name].parse(text)
    assert err.value.reason == reason


def test_registry_parses_usable_values() -> None:
    """Whole numbers for int inputs (3.0 is 3), floats within bounds, a listed method."""
    by_name = projections.SCENARIO_INPUTS_BY_NAME
    assert by_name["pipeline_delay_years"].parse("3.0") == 3
    assert by_name["issuance_lag_years"].parse(" 1.5 ") == 1.5
    assert by_name["method"].parse("trend") == "trend"


# --- The command, the page and the overview agree --------------------------------------------------


def test_projection_command_json(real_db: Path) -> None:
    """With the potential as central and a ratio of 0 nothing more is issued: cumulative stays at issued."""
    result = run_cli("projection", "--json", "--db", str(real_db), "--method", "potential", "--success-ratio", "0")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    issued = data["issued_to_date_tco2"]
    assert data["method"] == "potential"
    assert data["projected_cumulative_tco2"]["2030"]["central"] == issued
    assert data["projected_by_method_tco2"]["2030"]["potential"] == issued
    current = [t for t in data["targets"] if not t["is_superseded"]]
    targets = oracle.current_targets()
    assert [t["deadline_fy"] for t in current] == [int(t["deadline"][2:]) for t in targets]
    # The pace needed starts from the best-known total (the latest published one when it is larger), as on the overview.
    best = oracle.best_known_total()
    assert data["best_known_tco2"] == pytest.approx(best)
    for shown, target in zip(current, targets, strict=True):
        years = int(target["deadline"][2:]) - data["as_of_fy"]
        needed = (float(target["value_high_tco2"]) - best) / years
        assert shown["required_annual_tco2"] == pytest.approx(needed, abs=0.1)
    assert all(t["reached"] == "not by FY2100" for t in data["targets"])
    assert data["contribution"] is None and data["fy_range_ignored"] is False


def test_projection_command_json_keys_and_defaults(real_db: Path) -> None:
    """The new keys are there; the central case is the best backtest; low ≤ central ≤ high; the ratio is as measured."""
    data = json.loads(run_cli("projection", "--json", "--db", str(real_db)).stdout)
    assert {"method", "realized_conversion", "issuance_lag_years", "backtest"} <= set(data)
    assert data["method"] == data["best_method"]
    scores = data["backtest_mean_abs_error_pct"]
    assert scores[data["method"]] == min(scores.values())
    assert data["scenario"]["method"] == data["method"]
    assert (
        data["scenario"]["issuance_lag_years"] == data["issuance_lag_years"] == data["issuance_lag_measured"]["years"]
    )
    assert data["scenario"]["success_ratio"] == data["success_ratio_measured"]["central"]
    for row in data["backtest"]:
        assert {"as_of", "horizon_years", "method", "predicted_tco2", "actual_tco2", "error_pct"} <= set(row)
        assert row["error_pct"] == pytest.approx(
            (row["predicted_tco2"] - row["actual_tco2"]) / row["actual_tco2"] * 100, abs=0.1
        )
    for fy in ("2030", "2040"):
        bands = data["projected_cumulative_tco2"][fy]
        assert bands["low"] <= bands["central"] <= bands["high"]
        assert bands["central"] == data["projected_by_method_tco2"][fy][data["method"]]
    source = {"published_realized": "published", "itemized_realized": "itemized"}.get(data["method"])
    used = data["realized_conversion"]["used"]
    assert used == (data["realized_conversion"][source]["ratio"] if source else None)


def test_projection_command_refuses_unusable_values_clearly(real_db: Path) -> None:
    """--crediting-years 1e400 and --pipeline-delay inf exit 2 with the bounds, no traceback."""
    for option, value in (("--crediting-years", "1e400"), ("--pipeline-delay", "inf"), ("--method", "best")):
        result = run_cli("projection", "--db", str(real_db), option, value)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert option in result.stderr and value in result.stderr


def test_page_shows_the_same_figures_as_the_command(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/projections?country=IDN&success_ratio=0.8 shows the command's figures for the same scenario.

    Japan's targets are national: the pace needed, the gap and the FY reached are the whole JCM's;
    Indonesia's cards and columns give what it is projected to add (its contribution), never a pace of its own.
    """
    cli = json.loads(
        run_cli("projection", "--json", "--db", str(real_db), "--country", "IDN", "--success-ratio", "0.8").stdout
    )
    whole = json.loads(run_cli("projection", "--json", "--db", str(real_db), "--success-ratio", "0.8").stdout)
    assert cli["targets"] == whole["targets"]  # national whatever the filter
    at = open_page(real_db, monkeypatch, "projections", country="IDN", success_ratio="0.8")
    assert at.number_input(key="scenario_success_ratio").value == 0.8
    shown = {m.label: m.value for m in at.metric}
    assert not any(label.startswith("Needed per year for") for label in shown)
    parts = {p["target_name"]: p for p in cli["contribution"]}
    for target in cli["targets"]:
        if target["is_superseded"]:
            continue
        label = f"Whole JCM: needed per year for ~{target['value_tco2'] / 1e6:,.0f} Mt by FY{target['deadline_fy']}"
        assert shown[label] == EN.tco2(target["required_annual_tco2"], "t-CO2e/yr", compact=True)
        assert shown[f"Indonesia: projected by FY{target['deadline_fy']} (central)"] == EN.tco2(
            parts[target["target_name"]]["projected_at_deadline_tco2"], compact=True
        )
    table = at.dataframe[0].value.set_index("Target")
    fy2030 = next(t for t in cli["targets"] if t["deadline_fy"] == 2030 and not t["is_superseded"])
    row = table.loc["~100 Mt by FY2030"]
    assert row["Needed per year from now (t-CO2e/yr)"] == f"{fy2030['required_annual_tco2']:,.0f}"
    assert row["Projected at deadline, central (t-CO2e)"] == f"{fy2030['projected_at_deadline_tco2']:,.0f}"
    assert row["Gap at deadline (t-CO2e)"] == f"{fy2030['gap_at_deadline_tco2']:,.0f}"
    assert row["Reached (central)"] == fy2030["reached"]
    own = parts[fy2030["target_name"]]
    assert row["Indonesia: projected at the deadline (t-CO2e, central)"] == f"{own['projected_at_deadline_tco2']:,.0f}"
    assert row["Share of the target"] == EN.pct(own["share_of_target_pct"])
    # the key columns come first, so they stay in view at 1,400 px
    assert list(table.columns[:5]) == [
        "Status",
        "Indonesia: projected at the deadline (t-CO2e, central)",
        "Share of the target",
        "Gap at deadline (t-CO2e)",
        "Reached (central)",
    ]


def test_a_band_target_reads_lower_end_to_upper_end(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A target stated as a range (the superseded 50–100 Mt) shows gap and pace needed for both ends, not one."""
    cli = json.loads(run_cli("projection", "--json", "--db", str(real_db)).stdout)
    bands = [target for target in cli["targets"] if target["value_low_tco2"] < target["value_tco2"]]
    assert bands, "the data states a target as a range"
    table = open_page(real_db, monkeypatch, "projections").dataframe[0].value.set_index("Target")
    for target in bands:
        row = table.iloc[[i for i, s in enumerate(table["Status"]) if s == "superseded"][0]]
        assert row["Gap at deadline (t-CO2e)"] == (
            f"{target['gap_at_deadline_low_end_tco2']:,.0f} – {target['gap_at_deadline_tco2']:,.0f}"
        )
        low, high = target["required_annual_low_end_tco2"], target["required_annual_tco2"]
        assert row["Needed per year from now (t-CO2e/yr)"] == f"{low:,.0f} – {high:,.0f}"


def test_page_states_the_method_the_backtest_and_the_first_fy_multiple(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page names the central method as the best backtest, lists every case, and states the first-FY multiple."""
    cli = json.loads(run_cli("projection", "--json", "--db", str(real_db)).stdout)
    at = run_app(real_db, monkeypatch)
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    method = EN(f"method.{cli['method']}")
    assert f"**Central case: {method}**, the method with the best backtest" in text
    first = cli["first_projected_fy"]
    assert f"**{first['multiple_of_best_fy']:,.1f}×** the best FY itemized" in text
    assert f"**{first['multiple_of_published_pace']:,.1f}×** the average pace" in text
    used = cli["scenario"]  # the later steps in the bars are explained by the pipeline's delay and the lag
    assert f"register {used['pipeline_delay_years']} FY after the data's last FY" in text
    assert f"issue credits {used['issuance_lag_years']:,.1f} years after their reductions" in text
    backtest = next(d.value for d in at.dataframe if "Cut-off" in d.value.columns)
    cases = {(r["scope"], r["as_of"], r["target_date"]) for r in cli["backtest"]}
    assert len(backtest) == len(cases)
    assert set(backtest["Cut-off"]) == {c[1] for c in cases}
    cells = backtest.drop(columns=["Scope", "Cut-off", "Horizon", "Compared at"]).to_numpy().ravel()
    assert all(c and c not in ("None", "nan") and "(s)" not in c for c in cells)


@pytest.mark.parametrize(
    "query",
    [
        {"delay": "inf", "crediting_years": "1e400"},
        {"lag": "nan", "method": "[x](http://example.org)", "new_size": "-5"},
    ],
)
def test_unusable_url_values_are_ignored_with_a_warning(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, query: dict[str, str]
) -> None:
    """Each unusable URL value gives a warning naming it (escaped, never a live link) and the page still renders."""
    at = open_page(real_db, monkeypatch, "projections", **query)
    warnings = [w.value for w in at.warning]
    for name, value in query.items():
        assert any(escape_markdown(f"{name}={value}") in w for w in warnings), (name, warnings)
    assert not any("](http" in w for w in warnings)  # escaped: never a link
    assert at.metric[0].label == "Issued to date (itemized)"


def test_page_scenario_change_reaches_the_url(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting a scenario input writes it to the URL; the overview's outlook names each current target."""
    at = run_app(real_db, monkeypatch)
    assert any("**~100 Mt by FY2030**: projected" in m.value for m in at.markdown)
    at.switch_page("pages/projections.py").run()
    at.number_input(key="scenario_pipeline_delay_years").set_value(3).run()
    assert not at.exception
    assert at.query_params["delay"] == "3"
    at.selectbox(key="scenario_method").set_value("trend").run()
    assert not at.exception
    assert at.query_params["method"] == "trend"
    assert any("**Central case: trend** (chosen in the scenario)" in m.value for m in at.markdown)


def test_japanese_page_renders_without_english_or_unknown_markers(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """?lang=ja: the method is named in Japanese, cards use 万t, and no table cell reads None or nan."""
    at = run_app(real_db, monkeypatch, lang="ja")
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "中位ケース" in text and "Central case" not in text
    assert any("万t" in m.value for m in at.metric)
    for frame in at.dataframe:
        cells = frame.value.astype(str).to_numpy().ravel()
        assert not any(c in ("None", "nan", "NaN") for c in cells if c), frame.value.columns


def test_overview_briefing_and_command_state_the_same_central_figures(real_db: Path, real_con) -> None:
    """One function (views.projection) feeds all three: the same central case, projected totals and reached FYs."""
    from jcm_dash import briefing, headline, views  # noqa: PLC0415
    from jcm_dash.queries import Filters  # noqa: PLC0415

    cli = json.loads(run_cli("projection", "--json", "--db", str(real_db)).stdout)
    overview = views.overview(real_con, Filters())["outlook"]
    pack = briefing.content(real_con, Filters(), None, "en")
    assert overview["method"] == cli["method"]
    current = [t for t in cli["targets"] if not t["is_superseded"]]
    shown = overview["outlook"][~overview["outlook"]["is_superseded"]]
    assert [round(v, 1) for v in shown["projected_at_deadline_tco2"]] == [
        t["projected_at_deadline_tco2"] for t in current
    ]
    assert pack.outlook_lines == headline.outlook_lines(
        overview["outlook"], overview["as_of_fy"], EN, "briefing.outlook_line"
    )
    for line, target in zip(pack.outlook_lines, current, strict=True):
        assert EN.amount(target["projected_at_deadline_tco2"]) in line and target["reached"] in line
    assert EN(f"method.{cli['method']}") in " ".join(pack.notes)


def test_briefing_page_names_a_chosen_method_in_its_scenario(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A method set on /projections (?method=trend) travels to the briefing page, which states it."""
    at = run_app(real_db, monkeypatch, method="trend", delay="2")
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("method=trend" in c.value and escape_markdown("pipeline_delay_years=2") in c.value for c in at.caption)


def test_one_pace_needed_on_the_overview_the_projection_and_the_pack(real_con) -> None:
    """The first screen's "needed per year" and the projection's are one figure (both from the best-known total)."""
    from jcm_dash import views  # noqa: PLC0415
    from jcm_dash.queries import Filters  # noqa: PLC0415

    overview = views.overview(real_con, Filters())
    first_screen = overview["national_targets"].set_index("target_name")["required_annual_tco2"]
    outlook = overview["outlook"]["outlook"].set_index("target_name")["required_annual_tco2"]
    for name, rate in first_screen.items():
        assert outlook[name] == pytest.approx(rate)
    assert overview["outlook"]["best_known"]["value_tco2"] == pytest.approx(oracle.best_known_total())


def test_a_country_gets_its_contribution_never_a_national_target_of_its_own(real_con) -> None:
    """?country=MNG: the targets' figures are the whole JCM's; Mongolia's part is its projection and share."""
    from jcm_dash import views  # noqa: PLC0415
    from jcm_dash.queries import Filters  # noqa: PLC0415

    whole = views.projection(real_con, Filters())
    mongolia = views.projection(real_con, Filters(countries=("MNG",)))
    assert whole["contribution"] is None
    pd.testing.assert_frame_equal(mongolia["outlook"], whole["outlook"])
    parts = mongolia["contribution"].set_index("target_name")
    for _, target in whole["outlook"].iterrows():
        part = parts.loc[target["target_name"]]
        own = projections.cumulative_at(
            mongolia["projection"], int(target["deadline_fy"]), mongolia["issued_to_date_tco2"]
        )
        assert part["projected_at_deadline_tco2"] == pytest.approx(own)
        assert part["share_of_target_pct"] == pytest.approx(own / target["value_tco2"] * 100)
        assert own < target["projected_at_deadline_tco2"]  # a part of the whole JCM's


def test_the_fy_range_does_not_change_a_projection(real_con) -> None:
    """A projection starts from everything issued: ?fy_from=2021&fy_to=2021 gives the open range's figures."""
    from jcm_dash import views  # noqa: PLC0415
    from jcm_dash.queries import Filters  # noqa: PLC0415

    open_range = views.projection(real_con, Filters(countries=("BGD",)))
    bounded = views.projection(real_con, Filters(countries=("BGD",), fy_from=2021, fy_to=2021))
    assert bounded["fy_range_ignored"] and not open_range["fy_range_ignored"]
    pd.testing.assert_frame_equal(bounded["projection"], open_range["projection"])
    assert bounded["issued_to_date_tco2"] == pytest.approx(oracle.issued_total("BGD"))
    assert bounded["projection"]["fiscal_year"].max() == projections.SEARCH_LIMIT_FY


def test_overview_outlook_of_one_country_speaks_of_its_contribution(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/?country=BGD&fy_from=2021&fy_to=2021: the outlook says what Bangladesh adds; the FY range does not apply."""
    at = run_app(real_db, monkeypatch, country="BGD", fy_from="2021", fy_to="2021")
    text = " ".join(m.value for m in at.markdown)
    assert "Bangladesh is projected to add" in text and "of Japan's national target" in text
    assert "the whole JCM: projected" in text
    assert any("the FY range in the sidebar does not apply" in c.value for c in at.caption)
