"""Projection arithmetic on hand-computed cases, and the command and page agreeing on one scenario."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from jcm_dash import paths, projections
from jcm_dash.i18n import EN
from jcm_dash.projections import Scenario

from .test_app import run_app
from .test_cli import run_cli

AS_OF_FY = 2025


def scenario(**changes) -> Scenario:
    base = {
        "success_ratio": 1.0,
        "success_ratio_low": 1.0,
        "success_ratio_high": 1.0,
        "pipeline_conversion": 0.0,
        "pipeline_delay_years": 0,
        "new_projects_per_year": 0.0,
        "new_project_size_tco2": 0.0,
        "crediting_years": None,
    }
    return Scenario(**{**base, **changes})


def one_project(reg_fy: int = 2020, annual: float = 1000.0) -> pd.DataFrame:
    return pd.DataFrame({"event_fy": [reg_fy], "expected_annual_reductions_tco2": [annual]})


def run(registered: pd.DataFrame, pipeline: float, s: Scenario, issued: float, last_fy: int = 2100) -> pd.DataFrame:
    expected = projections.expected_by_fy(registered, pipeline, s, AS_OF_FY + 1, last_fy)
    return projections.project(issued, expected, s)


def test_constant_pace() -> None:
    """1,000 t/yr from FY2026 on top of 5,000 issued: 10,000 by FY2030; 8,000 reached in FY2028."""
    projected = run(one_project(), 0.0, scenario(), 5000)
    assert projections.cumulative_at(projected, 2030, 5000) == 10_000
    assert projections.fy_reached(projected, 5000, 8000, AS_OF_FY) == 2028
    assert projections.required_annual_rate(5000, 10_000, 2030, AS_OF_FY) == 1000


def test_target_already_met() -> None:
    """With 200 t issued a 100 t target needs nothing more and reads 'already met'."""
    projected = run(one_project(), 0.0, scenario(), 200)
    assert projections.required_annual_rate(200, 100, 2030, AS_OF_FY) == 0.0
    reached = projections.fy_reached(projected, 200, 100, AS_OF_FY)
    assert reached == AS_OF_FY
    assert projections.reached_label(reached, AS_OF_FY) == "already met"


def test_zero_pipeline_adds_nothing() -> None:
    """A pipeline of 0 t, or a conversion of 0, leaves the projection of registered projects unchanged."""
    base = run(one_project(), 0.0, scenario(), 0)
    no_conversion = run(one_project(), 5000.0, scenario(pipeline_conversion=0.0), 0)
    empty_pipeline = run(one_project(), 0.0, scenario(pipeline_conversion=1.0), 0)
    pd.testing.assert_frame_equal(base, no_conversion)
    pd.testing.assert_frame_equal(base, empty_pipeline)


def test_success_ratio_zero_never_reaches() -> None:
    """At a ratio of 0 nothing more is issued: the total stays at 300 and 100 Mt is 'not by FY2100'."""
    projected = run(
        one_project(),
        1000.0,
        scenario(
            success_ratio=0.0,
            success_ratio_low=0.0,
            success_ratio_high=0.0,
            pipeline_conversion=1.0,
            new_projects_per_year=5,
            new_project_size_tco2=100,
        ),
        300,
    )
    assert projections.cumulative_at(projected, 2040, 300) == 300
    reached = projections.fy_reached(projected, 300, 100e6, AS_OF_FY)
    assert reached is None
    assert projections.reached_label(reached, AS_OF_FY) == "not by FY2100"


def test_success_ratio_one_issues_what_is_expected() -> None:
    """At a ratio of 1 the annual credits equal the expected reductions: 1,000 + 500 × 0.5 pipeline."""
    s = scenario(pipeline_conversion=0.5, pipeline_delay_years=0)
    projected = run(one_project(), 500.0, s, 0)
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
    expected = projections.expected_by_fy(one_project(), 0.0, scenario(), AS_OF_FY + 1, 2024)
    projected = projections.project(100, expected, scenario())
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
    measured = projections.measure_success_ratio(periods)
    assert measured.central == pytest.approx(1.0)
    assert (measured.low, measured.high) == (pytest.approx(0.75), pytest.approx(1.25))
    assert (measured.issuances, measured.projects) == (2, 3)
    assert projections.measure_success_ratio(periods.iloc[0:0]) is None


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
    projected = run(one_project(), 0.0, scenario(), 0)
    outlook = projections.target_outlook(projected, 0, targets, AS_OF_FY).set_index("target_name")
    assert outlook.loc["band", "gap_at_deadline_tco2"] == 100e6 - 5000
    assert outlook.loc["small", "gap_at_deadline_tco2"] == 0
    assert outlook.loc["small", "reached_fy"] == 2026


def test_projection_command_json(real_db: Path) -> None:
    """`projection --json` prints cumulative at FY2030/FY2040 and per-target rate and FY; ratio 0 adds nothing."""
    result = run_cli("projection", "--json", "--db", str(real_db), "--success-ratio", "0")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    issued = data["issued_to_date_tco2"]
    assert data["projected_cumulative_tco2"]["2030"] == {"low": issued, "central": issued, "high": issued}
    current = [t for t in data["targets"] if not t["is_superseded"]]
    assert [t["deadline_fy"] for t in current] == [2030, 2040]
    assert current[0]["required_annual_tco2"] == pytest.approx((100e6 - issued) / (2030 - data["as_of_fy"]), abs=0.1)
    assert all(t["reached"] == "not by FY2100" for t in data["targets"])


def test_projection_command_defaults_are_measured(real_db: Path) -> None:
    """Default scenario: the ratio is the one measured on 13 issued periods of 10 projects."""
    data = json.loads(run_cli("projection", "--json", "--db", str(real_db)).stdout)
    measured = data["success_ratio_measured"]
    assert (measured["issuances"], measured["projects"]) == (13, 10)
    assert data["scenario"]["success_ratio"] == measured["central"]
    bands = data["projected_cumulative_tco2"]["2030"]
    assert bands["low"] <= bands["central"] <= bands["high"]
    assert bands["central"] > data["issued_to_date_tco2"]


def test_page_shows_the_same_required_rate_as_the_command(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/projections?country=IDN&success_ratio=0.8 shows the command's figures for the same scenario."""
    cli = json.loads(
        run_cli("projection", "--json", "--db", str(real_db), "--country", "IDN", "--success-ratio", "0.8").stdout
    )
    monkeypatch.setenv("JCM_DB", str(real_db))
    at = AppTest.from_file(str(paths.REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["country"] = "IDN"
    at.query_params["success_ratio"] = "0.8"
    at.switch_page("pages/projections.py").run()
    assert not at.exception
    assert at.number_input(key="scenario_success_ratio").value == 0.8
    shown = {m.label: m.value for m in at.metric}
    for target in cli["targets"]:
        if target["is_superseded"]:
            continue
        label = f"Needed per year for ~{target['value_tco2'] / 1e6:,.0f} Mt by FY{target['deadline_fy']}"
        assert shown[label] == EN.tco2(target["required_annual_tco2"], "t-CO2e/yr", compact=True)
    table = at.dataframe[0].value.set_index("Deadline")
    fy2030 = next(t for t in cli["targets"] if t["deadline_fy"] == 2030 and not t["is_superseded"])
    row = table[table["Status"] == "current"].loc["FY2030"]
    assert row["Needed per year from now (t-CO2e/yr)"] == f"{fy2030['required_annual_tco2']:,.0f}"
    assert row["Projected at deadline, central (t-CO2e)"] == f"{fy2030['projected_at_deadline_tco2']:,.0f}"
    assert row["Reached (central)"] == fy2030["reached"]


def test_page_scenario_change_reaches_the_url(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Setting a scenario input writes it to the URL; the overview's outlook names each current target."""
    at = run_app(real_db, monkeypatch)
    assert any("**~100 Mt by FY2030**: projected" in m.value for m in at.markdown)
    at.switch_page("pages/projections.py").run()
    at.number_input(key="scenario_pipeline_delay_years").set_value(3).run()
    assert not at.exception
    assert at.query_params["delay"] == "3"
