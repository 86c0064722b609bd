"""Each metric on the tiny fixture store, against answers computed by hand from tests/data/."""

import datetime as dt

import pandas as pd
import pytest

from jcm_dash import metrics, queries, views
from jcm_dash.queries import Filters

from . import reference


def _summary(con, **kwargs):
    return views.summary(con, Filters(**kwargs))


def test_totals_count_each_issuance_once(tiny_con) -> None:
    """I2 names two projects but its 300 t count once: 100 + 300 + 50 + 20 = 470 (I5 has no amount)."""
    result = _summary(tiny_con)
    assert result["credits_issued_tco2"] == 470
    assert result["issuances_total"] == 5
    assert result["issuances_without_amount"] == 1
    assert result["japan_side_tco2"] == 320
    assert result["partner_side_tco2"] == 80
    assert result["goj_share_tco2"] == 85


def test_issuance_naming_no_project_counts_for_its_country(tiny_con) -> None:
    """I3 names no project and still counts for Bangladesh: 50 + 20 = 70."""
    assert _summary(tiny_con)["issued_by_country"] == {"BGD": 70, "IDN": None, "MNG": 400}


def test_issued_by_fy_uses_decision_then_reported_date(tiny_con) -> None:
    """I1 decided 31 Mar 2017 → FY2016; I2 decided 1 Apr 2017 and I3 reported Jan 2018 → FY2017; I4 undated."""
    result = _summary(tiny_con)
    assert result["issued_by_fy"] == {"2016": 100, "2017": 350, "2018": None, "unknown": 20}
    assert result["issuances_without_date"] == 1


def test_projects_status_partners_and_expected(tiny_con) -> None:
    """Three registered projects expect 1000 + 500 + 200 t/yr; Senegal counts as a partner with no project."""
    result = _summary(tiny_con)
    assert result["projects_by_status"] == {"registered": 3, "validation": 1, "withdrawn": 1, "planned": 1}
    assert result["partner_countries"] == 4
    assert result["expected_annual_reductions_registered_tco2"] == 1700


def test_as_of_is_latest_dated_event(tiny_con) -> None:
    """The latest event is I5's decision on 2019-02-01, whatever the filter."""
    assert _summary(tiny_con)["as_of"] == "2019-02-01"
    assert _summary(tiny_con, countries=("MNG",))["as_of"] == "2019-02-01"


def test_country_filter(tiny_con) -> None:
    """Bangladesh: I3 (50 t, no project named) and I4 (20 t); its two projects."""
    result = _summary(tiny_con, countries=("BGD",))
    assert result["credits_issued_tco2"] == 70
    assert result["issuances_total"] == 2
    assert result["partner_countries"] == 1
    assert result["projects_by_status"]["registered"] == 1
    assert result["projects_by_status"]["validation"] == 1


def test_technology_filter_attributes_a_mixed_issuance_to_its_project_set(tiny_con) -> None:
    """I2 (Solar + EE industry) counts under neither type alone, and once when both are selected."""
    solar = _summary(tiny_con, techs=("Solar",))
    efficiency = _summary(tiny_con, techs=("EE industry",))
    both = _summary(tiny_con, techs=("Solar", "EE industry"))
    assert solar["credits_issued_tco2"] == 100  # I1
    assert efficiency["credits_issued_tco2"] == 20  # I4
    assert both["credits_issued_tco2"] == 420  # I1 + I2 + I4, I2 once
    frame = queries.issuances(tiny_con, Filters())
    assert frame.set_index("issuance_id").loc["I2", "technology"] == "Mixed: EE industry + Solar"
    assert pd.isna(frame.set_index("issuance_id").loc["I3", "technology"])


def test_fy_filter_leaves_out_undated_issuances(tiny_con) -> None:
    """From FY2017: I2 300 + I3 50 (+ I5 without amount); I1 (FY2016) and undated I4 are out."""
    result = _summary(tiny_con, fy_from=2017)
    assert result["credits_issued_tco2"] == 350
    assert result["issuances_total"] == 3
    assert "unknown" not in result["issued_by_fy"]
    assert result["projects_by_status"] == {"registered": 1, "validation": 0, "withdrawn": 0, "planned": 1}


def test_empty_selection_is_zero_not_unknown(tiny_con) -> None:
    """Senegal has nothing: totals are a known 0 and counts are 0."""
    result = _summary(tiny_con, countries=("SEN",))
    assert result["credits_issued_tco2"] == 0
    assert result["issuances_total"] == 0
    assert result["issued_by_fy"] == {}


def test_sides_unknown_when_no_issuance_states_them(tiny_con) -> None:
    """Indonesia's only issuance has no amounts at all: each total is unknown (None), not 0."""
    result = _summary(tiny_con, countries=("IDN",))
    assert result["credits_issued_tco2"] is None
    assert result["japan_side_tco2"] is None
    assert result["goj_share_tco2"] is None


def test_cumulative_issued_by_fy(tiny_con) -> None:
    """Per FY 2015..2018: 0 (no issuance), 100, 350, unknown (I5 states no amount); running total 0, 100, 450, 450."""
    frame = metrics.cumulative_issued(queries.issuances(tiny_con, Filters()), 2015, 2018)
    assert frame["fiscal_year"].tolist() == [2015, 2016, 2017, 2018]
    assert frame["issued_tco2"].tolist()[:3] == [0, 100, 350] and pd.isna(frame["issued_tco2"].iloc[3])
    assert frame["cumulative_tco2"].tolist() == [0, 100, 450, 450]


def test_cumulative_expected_starts_the_fy_after_registration(tiny_con) -> None:
    """MN001 (FY2015) delivers from FY2016, MN002 (FY2016) from FY2017, BD001 (FY2017) from FY2018."""
    frame = metrics.cumulative_expected(queries.projects(tiny_con, Filters()), 2015, 2018)
    assert frame["annual_tco2"].tolist() == [0, 1000, 1500, 1700]
    assert frame["cumulative_tco2"].tolist() == [0, 1000, 2500, 4200]


def test_target_progress_percentages(tiny_con) -> None:
    """470 t is 0.00047% of 100 Mt; the band's lower end 50 Mt gives 0.00094%."""
    progress = metrics.target_progress(470, queries.targets(tiny_con))
    assert progress["deadline_fy"].tolist() == [2030, 2030, 2040]  # the partner-count goal is not tonnage
    band = progress[progress["is_superseded"]].iloc[0]
    assert band["pct_of_low"] == pytest.approx(470 / 50e6 * 100)
    assert band["pct_of_high"] == pytest.approx(470 / 100e6 * 100)
    assert progress.iloc[2]["remaining_tco2"] == 200e6 - 470


def published_beside_data(con, filters: Filters, country_names: list[str] | None):
    """The overview's comparison: the latest published total of the scope, and this data dated by then."""
    row = metrics.published_total_for(queries.published_figures(con), country_names)
    if row is None:
        return None
    return metrics.published_comparison(row, queries.issued_up_to(con, filters, pd.Timestamp(row["as_of_day"])))


def test_nearest_published_total_uses_the_latest_figure_and_same_date_sum(tiny_con) -> None:
    """Latest JCM total is 1,000 t (2017-06); the data holds I1 + I2 = 400 t dated by 2017-06-01."""
    found = published_beside_data(tiny_con, Filters(), None)
    assert found["published_tco2"] == 1000
    assert found["as_of_date"] == "2017-06"
    assert found["dataset_tco2_same_date"] == 400
    mongolia = Filters(countries=("MNG",))
    found = published_beside_data(tiny_con, mongolia, ["Mongolia"])
    assert (found["published_tco2"], found["dataset_tco2_same_date"]) == (450, 400)
    assert published_beside_data(tiny_con, mongolia, ["Mongolia", "Bangladesh"]) is None
    rows = queries.issuances(tiny_con, mongolia)  # the row-level reference agrees
    assert reference.nearest_published_total(queries.published_figures(tiny_con), rows, ["Mongolia"]) == found


def test_published_value_that_is_not_a_number_stays_text(tiny_con) -> None:
    """'>200' keeps its text and has no numeric value; '~2018-01-01' reads as that day."""
    published = queries.published_figures(tiny_con).set_index("metric")
    assert published.loc["jcm_projects", "value"] == ">200"
    assert pd.isna(published.loc["jcm_projects", "value_numeric"])
    assert pd.Timestamp(published.loc["credits_issued_mongolia_cumulative", "as_of_day"]).date() == dt.date(2018, 1, 1)


def test_cumulative_expected_counts_each_full_fy_after_registration() -> None:
    """Registered FY2014 (100 t/yr) and FY2016 (50): FY2016 100, FY2017 150, FY2018 150; later ones add nothing."""
    projects = pd.DataFrame(
        {
            "status_code": ["registered", "registered", "registered", "validation", "registered"],
            "event_fy": [2014, 2016, 2030, 2010, None],
            "expected_annual_reductions_tco2": [100.0, 50.0, 7.0, 1_000.0, 9.0],
        }
    )
    result = metrics.cumulative_expected(projects, 2016, 2018)
    assert result["fiscal_year"].tolist() == [2016, 2017, 2018]
    assert result["annual_tco2"].tolist() == [100.0, 150.0, 150.0]
    assert result["cumulative_tco2"].tolist() == [100.0, 250.0, 400.0]
    assert metrics.cumulative_expected(projects.iloc[3:4], 2016, 2017)["cumulative_tco2"].tolist() == [0.0, 0.0]
