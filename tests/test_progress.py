"""Best-known progress toward the targets, and how tables show numbers: pure functions on small frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from jcm_dash import breakdowns, charts, display, i18n, metrics, progress, queries
from jcm_dash.queries import Filters

TARGETS = pd.DataFrame(
    {
        "target_name": ["old band", "~100 Mt", "~200 Mt"],
        "deadline_fy": [2030, 2030, 2040],
        "value_low_tco2": [50e6, 100e6, 200e6],
        "value_high_tco2": [100e6, 100e6, 200e6],
        "is_superseded": [True, False, False],
        "source_url": ["u", "u", "u"],
    }
)


def test_best_known_is_the_larger_figure_and_says_which() -> None:
    """The published total counts when it is larger than what is itemized; otherwise the itemized sum."""
    assert progress.best_known(132_421, {"published_tco2": 700_000}) == {
        "basis": "published",
        "value_tco2": 700_000.0,
        "itemized_tco2": 132_421,
    }
    assert progress.best_known(132_421, {"published_tco2": 78_400})["basis"] == "itemized"
    assert progress.best_known(None, None) == {"basis": "itemized", "value_tco2": 0.0, "itemized_tco2": None}


def test_target_rows_give_share_gap_and_pace_for_current_targets_only() -> None:
    """Per current target: share of it, what is left, and that gap over the FYs after the as-of FY."""
    rows = progress.target_rows(700_000.0, TARGETS, 2026)
    assert rows["target_name"].tolist() == ["~100 Mt", "~200 Mt"]
    first = rows.iloc[0]
    assert first["share_pct"] == pytest.approx(0.7)
    assert first["gap_tco2"] == 99_300_000
    assert first["first_fy"] == 2027
    assert first["required_annual_tco2"] == pytest.approx(99_300_000 / 4)
    late = progress.target_rows(1.0, TARGETS, 2031)
    assert pd.isna(late.iloc[0]["required_annual_tco2"])  # the deadline has passed: no pace
    met = progress.target_rows(300e6, TARGETS, 2026)
    assert met["gap_tco2"].tolist() == [0.0, 0.0] and met["required_annual_tco2"].tolist() == [0.0, 0.0]


def test_pace_achieved_is_the_best_fy_and_the_last_complete_fys() -> None:
    """Best FY by known credits; the recent average leaves out the as-of FY, which has only begun."""
    cumulative = pd.DataFrame({"fiscal_year": range(2020, 2027), "issued_tco2": [5.0, 0, 40, 0, 10, 20, 99]})
    pace = progress.pace_achieved(cumulative, 2026)
    assert (pace["best_fy"], pace["best_fy_tco2"]) == (2026, 99.0)
    assert (pace["recent_first_fy"], pace["recent_last_fy"]) == (2023, 2025)
    assert pace["recent_average_tco2"] == pytest.approx(10.0)
    nothing = progress.pace_achieved(cumulative.assign(issued_tco2=0.0), 2026)
    assert nothing["best_fy"] is None and nothing["recent_average_tco2"] == 0.0


def test_share_and_rank_are_of_the_whole() -> None:
    """A member's share is of the whole; its rank counts those with more (ties share it); nothing known, no rank."""
    values = pd.Series({"MNG": 400.0, "BGD": 70.0, "IDN": float("nan"), "SEN": 0.0, "KEN": 70.0})
    assert progress.share_of(70.0, values.sum()) == pytest.approx(70 / 540 * 100)
    assert progress.share_of(1.0, 0) is None
    assert [progress.rank_of(values, m) for m in ("MNG", "BGD", "KEN", "IDN", "SEN")] == [1, 2, 2, None, None]


def test_published_points_of_the_scope_metric_only(tiny_con) -> None:
    """The whole JCM's points are its own metric's, a country's its own; several countries have none."""
    figures = queries.published_figures(tiny_con)
    assert progress.published_points(figures, None)["value_tco2"].tolist() == [800.0, 1000.0]
    mongolia = progress.published_points(figures, ["Mongolia"])
    assert mongolia[["value_tco2", "fiscal_year"]].values.tolist() == [[450.0, 2017]]
    assert progress.published_points(figures, ["Mongolia", "Bangladesh"]).empty


def test_overview_of_one_country_is_its_part_of_the_whole(tiny_con) -> None:
    """Mongolia: share of all partners' credits, rank among partners; the targets stay the whole JCM's."""
    from jcm_dash import views  # noqa: PLC0415

    whole = views.overview(tiny_con, Filters())
    mongolia = views.overview(tiny_con, Filters(countries=("MNG",)))
    assert whole["contribution"] is None
    assert mongolia["contribution"]["share_pct"] == pytest.approx(400 / 470 * 100)
    assert (mongolia["contribution"]["rank"], mongolia["contribution"]["of_n"]) == (1, 4)
    assert (
        mongolia["best_known"]
        == whole["best_known"]
        == {"basis": "published", "value_tco2": 1000.0, "itemized_tco2": 470}
    )
    pd.testing.assert_frame_equal(mongolia["national_targets"], whole["national_targets"])
    assert mongolia["published"]["published_tco2"] == 450


def test_tables_show_separators_and_unknown_in_words_while_staying_numeric() -> None:
    """An unknown amount reads 'unknown' / '不明' and sorts below zero; dates and texts read '–' when missing."""
    frame = pd.DataFrame(
        {
            "amount": [8947.0, None, 2017.0],
            "share": [13.9, 0.7, None],
            "when": [pd.Timestamp("2020-01-02"), pd.NaT, pd.NaT],
            "note": ["x", None, "z"],
            "source": ["https://a", "https://b", "https://c"],
        }
    )
    styled = display.styled(frame, i18n.translator("ja"), percent=("share",))
    shown = styled.to_string().splitlines()
    assert shown[1].split() == ["0", "8,947", "13.9%", "2020-01-02", "x", "https://a"]
    assert shown[2].split() == ["1", "不明", "0.70%", "–", "–", "https://b"]
    assert styled.data["amount"].tolist() == [8947.0, display.UNKNOWN_SENTINEL, 2017.0]
    assert styled.data["amount"].sort_values().index.tolist() == [1, 2, 0]
    assert not styled.data.isna().any().any()


def test_heatmap_says_unknown_only_where_amounts_are_unknown(tiny_con) -> None:
    """Indonesia's issuance states no amount: 'unknown', not 0; a pair with projects but no issuance is blank."""
    f = Filters()
    long_table = breakdowns.technology_by_country(queries.issuances(tiny_con, f), queries.projects(tiny_con, f))
    heat = charts.technology_country_heatmap(long_table, "credits_issued_tco2")
    cells = {
        (tech, country): text
        for tech, row in zip(heat.data[0].y, heat.data[0].text, strict=True)
        for country, text in zip(heat.data[0].x, row, strict=True)
    }
    assert cells[("Projects not named in the source", "Indonesia")] == "unknown"
    assert "0" not in cells.values()
    z = [v for row in heat.data[0].z for v in row if v is not None]
    assert max(z) == pytest.approx(math.log10(300))  # log colour: the mixed Mongolian issuance, 300 t
    assert metrics.known_sum(long_table["credits_issued_tco2"]) == 470


def test_recent_average_with_a_fy_of_unknown_amounts_is_a_lower_bound() -> None:
    """A FY whose issuances state no amount is unknown, not 0: the average says "at least", or "unknown" if all are."""
    from jcm_dash import headline  # noqa: PLC0415
    from jcm_dash.i18n import EN  # noqa: PLC0415

    cumulative = pd.DataFrame({"fiscal_year": [2021, 2022, 2023, 2024], "issued_tco2": [300.0, float("nan"), 0.0, 5.0]})
    pace = progress.pace_achieved(cumulative, as_of_fy=2024)
    assert pace["recent_unknown_fys"] == [2022] and pace["recent_average_tco2"] == 100.0
    value, note = headline._recent_average(pace, "FY2021–FY2023", EN)
    assert value == "≥ " + EN.amount(100.0, per_year=True) and "FY2022" in note
    unknown_only = progress.pace_achieved(cumulative.assign(issued_tco2=[0.0, float("nan"), 0.0, 0.0]), 2024)
    assert headline._recent_average(unknown_only, "FY2021–FY2023", EN)[0] == "unknown"
