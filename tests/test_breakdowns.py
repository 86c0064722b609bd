"""Country, technology and project breakdowns on the tiny fixture, against hand-computed answers."""

import math

import pytest

from jcm_dash import breakdowns, i18n, queries, views
from jcm_dash.queries import Filters

from . import reference


@pytest.fixture
def frames(tiny_con):
    f = Filters()
    return (
        queries.issuances(tiny_con, f),
        queries.projects(tiny_con, f),
        queries.partner_countries(tiny_con, f),
        reference.project_issuance_links(tiny_con),
    )


def test_by_country_lists_every_partner_with_hand_computed_figures(frames) -> None:
    """MNG 100 + 300 = 400 t; BGD 50 + 20 = 70 t (Japanese side unknown); IDN unknown; SEN zeros."""
    issuances, projects, partners, _ = frames
    table = breakdowns.by_country(issuances, projects, partners).set_index("iso3")
    assert sorted(table.index) == ["BGD", "IDN", "MNG", "SEN"]
    assert table.loc[
        "MNG", ["credits_issued_tco2", "japan_side_tco2", "partner_side_tco2", "goj_share_tco2"]
    ].tolist() == [
        400,
        320,
        80,
        60,
    ]
    assert table.loc["BGD", "credits_issued_tco2"] == 70
    assert math.isnan(table.loc["BGD", "japan_side_tco2"])
    assert table.loc["BGD", "goj_share_tco2"] == 25
    assert math.isnan(table.loc["IDN", "credits_issued_tco2"])
    assert table.loc["IDN", "issuances_without_amount"] == 1
    assert table.loc["SEN", ["credits_issued_tco2", "issuances", "projects_total"]].tolist() == [0, 0, 0]
    assert table.loc["MNG", ["registered", "validation", "withdrawn", "planned"]].tolist() == [2, 0, 0, 0]
    assert table.loc["IDN", ["registered", "validation", "withdrawn", "planned"]].tolist() == [0, 0, 1, 1]
    assert table.loc["MNG", "expected_annual_registered_tco2"] == 1500
    assert table.loc["MNG", "share_of_issued_pct"] == pytest.approx(400 / 470 * 100)


def test_country_totals_add_up_to_the_summary(tiny_con, frames) -> None:
    """The countries' known credits add up to the overview's total: nothing double-counted or lost."""
    issuances, projects, partners, _ = frames
    table = breakdowns.by_country(issuances, projects, partners)
    assert table["credits_issued_tco2"].sum() == views.summary(tiny_con, Filters())["credits_issued_tco2"]


def test_by_technology_attributes_each_issuance_to_its_project_set(frames) -> None:
    """Solar 100 (I1), Mixed 300 (I2), EE industry 20 (I4), not named 50 (I3; I5 has no amount): 470 in all."""
    issuances, projects, _, _ = frames
    table = breakdowns.by_technology(issuances, projects, "type").set_index("technology")
    assert table.loc["Solar", "credits_issued_tco2"] == 100
    assert table.loc["Mixed: EE industry + Solar", "credits_issued_tco2"] == 300
    assert table.loc["EE industry", "credits_issued_tco2"] == 20
    assert table.loc[breakdowns.NOT_NAMED, ["credits_issued_tco2", "issuances"]].tolist() == [50, 2]
    assert table["credits_issued_tco2"].sum() == 470
    # Expected reductions of registered projects: Solar MN001 1000; EE industry MN002 500 + BD001 200.
    assert table.loc["Solar", "expected_annual_registered_tco2"] == 1000
    assert table.loc["EE industry", "expected_annual_registered_tco2"] == 700
    assert table.loc["EE industry", "registered_projects"] == 2


def test_by_technology_subtype_level(frames) -> None:
    """Subtypes: I2 is 'Mixed: EE own generation + Solar PV'; BD001 has no subtype → 'Not classified'."""
    issuances, projects, _, _ = frames
    table = breakdowns.by_technology(issuances, projects, "subtype").set_index("technology")
    assert table.loc["Mixed: EE own generation + Solar PV", "credits_issued_tco2"] == 300
    assert table.loc[breakdowns.NOT_CLASSIFIED, "credits_issued_tco2"] == 20
    assert table.loc[breakdowns.NOT_CLASSIFIED, "expected_annual_registered_tco2"] == 200


def test_technology_by_country_and_trend(frames) -> None:
    """Per technology and country, and per FY: FY2016 Solar 100; FY2017 Mixed 300 and not named 50."""
    issuances, projects, _, _ = frames
    grid = breakdowns.technology_by_country(issuances, projects).set_index(["technology", "country_iso3"])
    assert grid.loc[("Solar", "MNG"), "credits_issued_tco2"] == 100
    assert grid.loc[("EE industry", "BGD"), "credits_issued_tco2"] == 20
    trend = breakdowns.issued_by_fy_and(issuances, "technology")
    rows = {(r.fiscal_year, r.technology): r.credits_issued_tco2 for r in trend.itertuples()}
    assert rows[(2016, "Solar")] == 100
    assert rows[(2017, "Mixed: EE industry + Solar")] == 300
    assert rows[(2017, breakdowns.NOT_NAMED)] == 50


@pytest.mark.parametrize("form", ["sql", "rows"])
def test_project_table_never_divides_a_shared_issuance(frames, tiny_con, form: str) -> None:
    """MN001: 100 t alone and 300 t shared with MN002; MN002: none alone, 300 shared; BD001: 20 alone."""
    issuances, projects, _, links = frames
    if form == "sql":  # what the pages show
        attributed = queries.project_attribution(tiny_con, Filters())
        table = breakdowns.with_attribution(projects, attributed).set_index("project_ref")
    else:  # the row-level reference tests/test_cube.py checks the SQL against
        table = reference.project_table(projects, issuances, links).set_index("project_ref")
    assert table.loc["MN001", ["credits_issued_tco2", "shared_issued_tco2", "issuances"]].tolist() == [100, 300, 2]
    assert table.loc["MN002", ["credits_issued_tco2", "shared_issued_tco2", "issuances"]].tolist() == [0, 300, 1]
    assert table.loc["BD001", "credits_issued_tco2"] == 20
    assert table.loc["BD002", ["credits_issued_tco2", "issuances"]].tolist() == [0, 0]


def test_provenance_flags(frames, tiny_con) -> None:
    """Each issuance carries what is uncertain about it."""
    issuances, _, _, _ = frames
    flags = breakdowns.issuance_flags(issuances.set_index("issuance_id"))
    assert flags["I1"] == ""
    assert flags["I2"] == "shared by 2 projects"
    assert flags["I3"] == "projects not named; FY from reported date"
    assert flags["I4"] == "date unknown"
    assert flags["I5"] == "projects not named; amount unknown"
    ja_t = i18n.translator("ja")
    ja = breakdowns.issuance_flags(issuances.set_index("issuance_id"), ja_t)
    assert ja["I5"] == ja_t("flags.not_named") + "、" + ja_t("flags.amount_unknown")  # not "; "
    assert queries.issuances_naming(tiny_con, "MN001")["issuance_id"].tolist() == ["I1", "I2"]
