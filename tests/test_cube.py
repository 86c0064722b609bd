"""The aggregated frames (queries.issuance_cube / project_cube) give exactly the row-level results."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from jcm_dash import breakdowns, metrics, projections, queries
from jcm_dash.queries import Filters

from . import reference
from .conftest import Dataset, read_only
from .oracle import REAL as oracle

SCOPES = [
    Filters(),
    Filters(countries=("MNG",)),
    Filters(countries=("IDN", "VNM"), fy_from=2018, fy_to=2024),
    Filters(techs=("Solar", "EE industry")),
]


@pytest.mark.parametrize("filters", SCOPES, ids=["all", "MNG", "IDN+VNM FY2018-2024", "Solar+EE industry"])
def test_cube_and_rows_agree_on_every_breakdown(real_con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    """Summary, cumulative series, country and technology breakdowns: the same from either form."""
    rows_i, rows_p = queries.issuances(real_con, filters), queries.projects(real_con, filters)
    cube_i, cube_p = queries.issuance_cube(real_con, filters), queries.project_cube(real_con, filters)
    partners, as_of = queries.partner_countries(real_con, filters), queries.as_of(real_con)
    assert len(cube_i) <= len(rows_i) and len(cube_p) <= len(rows_p)
    assert metrics.summary(cube_i, cube_p, partners, as_of) == metrics.summary(rows_i, rows_p, partners, as_of)
    for build in (metrics.cumulative_issued, metrics.cumulative_expected):
        pd.testing.assert_frame_equal(
            build(cube_i if build is metrics.cumulative_issued else cube_p, 2014, 2026),
            build(rows_i if build is metrics.cumulative_issued else rows_p, 2014, 2026),
        )
    pd.testing.assert_frame_equal(
        breakdowns.by_country(cube_i, cube_p, partners), breakdowns.by_country(rows_i, rows_p, partners)
    )
    for level in ("type", "subtype", "detail"):
        pd.testing.assert_frame_equal(
            breakdowns.by_technology(cube_i, cube_p, level), breakdowns.by_technology(rows_i, rows_p, level)
        )
    pd.testing.assert_frame_equal(
        breakdowns.technology_by_country(cube_i, cube_p), breakdowns.technology_by_country(rows_i, rows_p)
    )
    pd.testing.assert_frame_equal(
        breakdowns.issued_by_fy_and(cube_i, "country_iso3"), breakdowns.issued_by_fy_and(rows_i, "country_iso3")
    )


def test_sql_success_ratio_equals_the_pandas_measurement(real_con: duckdb.DuckDBPyConnection) -> None:
    """Pooled ratio, quartile band, sample sizes: the SQL measure equals the row-level pandas one."""
    sql = projections.success_ratio(queries.success_ratio_inputs(real_con))
    rows = reference.measure_success_ratio(reference.issued_periods(real_con))
    assert sql is not None and rows is not None
    assert (sql.issuances, sql.projects) == (rows.issuances, rows.projects)
    assert sql.issuances > 1  # a pooled ratio and a band, not one period
    for field in ("central", "low", "high", "issued_tco2", "expected_tco2"):
        assert getattr(sql, field) == pytest.approx(getattr(rows, field), rel=1e-12), field
    assert sql.low <= sql.central <= sql.high


def test_new_project_defaults_and_published_comparison_agree(real_con: duckdb.DuckDBPyConnection) -> None:
    """Registrations a year (from counts), median size (from SQL) and the published comparison (dated sum)."""
    scope = Filters(countries=("MNG",))
    rows = queries.projects(real_con, scope)
    cube = queries.project_cube(real_con, scope)
    as_of_fy = 2026
    assert projections.default_new_projects(
        cube[cube["status_code"] == "registered"],
        as_of_fy,
        median_size=queries.registered_median_size(real_con, scope),
    ) == projections.default_new_projects(rows[rows["status_code"] == "registered"], as_of_fy)
    published = queries.published_figures(real_con)
    row = metrics.published_total_for(published, ["Mongolia"])
    assert row is not None
    via_sql = metrics.published_comparison(row, queries.issued_up_to(real_con, scope, pd.Timestamp(row["as_of_day"])))
    assert via_sql == reference.nearest_published_total(published, queries.issuances(real_con, scope), ["Mongolia"])


@pytest.mark.parametrize("filters", SCOPES, ids=["all", "MNG", "IDN+VNM FY2018-2024", "Solar+EE industry"])
def test_sql_attribution_equals_the_pandas_project_table(real_con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    """Sole and shared credits per project: the SQL attribution gives the row-level project table."""
    projects = queries.projects(real_con, filters)
    rows = reference.project_table(
        projects, queries.issuances(real_con, filters), reference.project_issuance_links(real_con)
    )
    sql = breakdowns.with_attribution(projects, queries.project_attribution(real_con, filters))
    pd.testing.assert_frame_equal(sql, rows)


def test_latest_issuances_are_the_newest_and_the_total_is_kept(dataset: Dataset) -> None:
    """The projects page lists the latest issuances only, and says how many there are in all (issuances.csv)."""
    with read_only(dataset.db) as real_con:
        oracle = dataset.oracle
        everything = queries.issuances(real_con, Filters())
        latest, total = queries.latest_issuances(real_con, Filters(), 5)
        assert total == len(everything) == len(oracle.issuances())
        newest = everything.dropna(subset=["event_date"]).sort_values("event_date", ascending=False).head(5)
        assert latest["event_date"].tolist() == newest["event_date"].tolist()
        assert queries.latest_issuances(real_con, Filters(), 1000)[1] == len(oracle.issuances())
        for scope in SCOPES[1:]:  # filtered as every other issuance read is, then cut
            rows = queries.issuances(real_con, scope)
            newest = rows.sort_values(["event_date", "issuance_id"], ascending=[False, True], na_position="last")
            latest, total = queries.latest_issuances(real_con, scope, 3)
            assert latest["issuance_id"].tolist() == newest["issuance_id"].head(3).tolist()
            assert total == len(rows)


def test_fewer_dimensions_give_the_same_summary(real_con: duckdb.DuckDBPyConnection) -> None:
    """A view that groups by only the dimensions it shows gets the same headline figures."""
    from jcm_dash import views  # noqa: PLC0415

    for filters in SCOPES:
        partners, as_of = queries.partner_countries(real_con, filters), queries.as_of(real_con)
        full = metrics.summary(
            queries.issuance_cube(real_con, filters), queries.project_cube(real_con, filters), partners, as_of
        )
        narrow = metrics.summary(
            queries.issuance_cube(real_con, filters, views.SUMMARY_ISSUANCES),
            queries.project_cube(real_con, filters, views.SUMMARY_PROJECTS),
            partners,
            as_of,
        )
        assert narrow == full


@pytest.mark.parametrize("search", ["", "mongolia", "SOLAR", "MN004", "Panasonic", "no such words"])
def test_project_search_and_page_in_sql_equal_the_pandas_search(
    real_con: duckdb.DuckDBPyConnection, search: str
) -> None:
    """The projects page searches and cuts in SQL: the same rows as searching every project in pandas."""
    scope = Filters(techs=("Solar", "EE industry", "Waste energy", "Hydro"))
    everything = queries.projects(real_con, scope)
    haystack = (
        everything[["project_ref", "title", "host_participant", "japanese_participant"]]
        .fillna("")
        .agg(" ".join, axis=1)
        .str.lower()
    )
    expected = everything[haystack.str.contains(search.lower(), regex=False)].reset_index(drop=True)
    page, total, sources = queries.project_page(real_con, scope, search, 7)
    assert total == len(expected)
    assert_same_values(page, expected.head(7))
    assert sources == sorted(expected["source_url"].dropna().unique())
    full, _, _ = queries.project_page(real_con, scope, search)
    assert_same_values(full, expected)


def assert_same_values(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Equal cell by cell (DuckDB hands text back as object or string dtype, missing as None or NaN)."""

    def plain(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.astype(object).where(frame.notna(), None)

    pd.testing.assert_frame_equal(plain(left), plain(right))


def test_attribution_of_the_shown_projects_only(real_con: duckdb.DuckDBPyConnection) -> None:
    """Attributing a page of projects gives the same credits as attributing them all; a project's detail too."""
    from jcm_dash import views  # noqa: PLC0415

    whole = views.all_projects(real_con, Filters()).set_index("project_ref")
    page = views.project_explorer(real_con, Filters(countries=("MNG",)))["projects"].set_index("project_ref")
    pd.testing.assert_frame_equal(page, whole.loc[page.index])
    detail = views.project_detail(real_con, "MN004")
    assert detail is not None and detail["project"]["credits_issued_tco2"] == oracle.sole_credits("MN004")
    assert queries.projects_among(real_con, Filters(countries=("MNG",)), ["MN004", "VN001"]) == {"MN004"}
    assert queries.project_attribution(real_con, Filters(), []).empty


def test_filter_free_results_are_read_once_and_handed_out_as_copies(real_con: duckdb.DuckDBPyConnection) -> None:
    """Targets are read once per connection; changing the frame a caller got changes nothing for the next."""
    original = queries.targets(real_con)
    changed = queries.targets(real_con)
    changed.loc[:, "value_high_tco2"] = 0
    pd.testing.assert_frame_equal(queries.targets(real_con), original)
    assert original["value_high_tco2"].max() == oracle.largest_target()
    assert len(queries.partner_countries(real_con)) == len(oracle.country_names())
    assert queries.partner_countries(real_con, Filters(countries=("VNM", "MNG")))["iso3"].tolist() == ["MNG", "VNM"]


@pytest.mark.parametrize("filters", [*SCOPES, Filters(countries=("MNG",), fy_from=2020)], ids=str)
def test_overview_outlook_equals_the_projection_view(real_con: duckdb.DuckDBPyConnection, filters: Filters) -> None:
    """The overview's outlook reuses its own reads; it must say what the projections page says."""
    from jcm_dash import views  # noqa: PLC0415

    shared = views.overview(real_con, filters)["outlook"]
    alone = views.projection(real_con, filters)
    pd.testing.assert_frame_equal(shared["outlook"], alone["outlook"])
    pd.testing.assert_frame_equal(shared["projection"], alone["projection"])
    assert shared["issued_to_date_tco2"] == alone["issued_to_date_tco2"]
    assert shared["registered_projects"] == alone["registered_projects"]


@pytest.mark.parametrize("filters", SCOPES, ids=str)
def test_technologies_view_from_narrow_reads_equals_the_row_level_breakdowns(
    real_con: duckdb.DuckDBPyConnection, filters: Filters
) -> None:
    """The technologies page reads three narrow groupings; each output equals the row-level computation."""
    from jcm_dash import views  # noqa: PLC0415

    rows_i, rows_p = queries.issuances(real_con, filters), queries.projects(real_con, filters)
    for level in ("type", "subtype", "detail"):
        view = views.technologies(real_con, filters, level)
        column = breakdowns.TECH_LEVELS[level][0]
        pd.testing.assert_frame_equal(view["table"], breakdowns.by_technology(rows_i, rows_p, level))
        pd.testing.assert_frame_equal(view["by_country"], breakdowns.technology_by_country(rows_i, rows_p))
        pd.testing.assert_frame_equal(view["issued_by_fy"], breakdowns.issued_by_fy_and(rows_i, column))
        assert view["undated"] == int(rows_i["fiscal_year"].isna().sum())
