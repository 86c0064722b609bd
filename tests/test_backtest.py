"""The backtest: only what was known at each cut-off, scored against what followed; real-data checks by oracle.

The real-data tests compute what they expect from data/*.csv with plain pandas (their own fiscal
time, accrual and median), never from jcm_dash, so a data update breaks none of them.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jcm_dash import backtest, paths, projections, store, views

from .conftest import Dataset, read_only, run_cli

DATA = paths.DATA_DIR


# --- Hand-made history ----------------------------------------------------------------------------


def tiny_history(**extra: pd.DataFrame) -> backtest.History:
    """Two Mongolian projects and one Thai; three dated issuances; one published JCM total."""
    frames = {
        "registered": pd.DataFrame(
            {
                "country_iso3": ["MNG", "MNG", "THA"],
                "registration_date": pd.to_datetime(["2016-03-31", "2019-03-31", "2017-03-31"]),
                "event_fy": [2015, 2018, 2016],
                "expected_annual_reductions_tco2": [1000.0, 2000.0, 500.0],
            }
        ),
        "issued": pd.DataFrame(
            {
                "country_iso3": ["MNG", "THA", "MNG"],
                "event_date": pd.to_datetime(["2018-01-15", "2018-06-01", "2021-01-15"]),
                "credits_issued_tco2": [800.0, 300.0, 2500.0],
            }
        ),
        "lag_samples": pd.DataFrame(
            {"event_date": pd.to_datetime(["2018-01-15", "2021-01-15"]), "lag_days": [365.25, 730.5], "n": [1, 1]}
        ),
        "periods": pd.DataFrame(
            {"event_date": pd.to_datetime(["2018-01-15"]), "issued_tco2": [800.0], "expected_tco2": [1000.0]}
        ),
        "published": pd.DataFrame(
            {
                "metric": ["credits_issued_cumulative"],
                "as_of_day": pd.to_datetime(["2018-03-31"]),
                "value_numeric": [1200.0],
                "source_url": ["https://example.org/p"],
                "figure_id": [1],
            }
        ),
    }
    for name, rows in extra.items():
        frames[name] = pd.concat([frames[name], rows], ignore_index=True)
    return backtest.History(as_of=pd.Timestamp("2026-03-31"), **frames)


def test_evidence_holds_only_what_was_dated_by_the_cut_off() -> None:
    """As of 2019-03-31: 1,100 t issued (the 2021 issuance is not known), three registrations, lag 1 year, ratio 0.8."""
    evidence = backtest.evidence_at(tiny_history(), "2019-03-31")
    assert evidence.issued_tco2 == 1100
    assert evidence.issued_by_fy.to_dict() == {2017: 800.0, 2018: 300.0}
    assert len(evidence.registered) == 3
    assert evidence.lag.years == pytest.approx(1.0) and evidence.lag.issuances == 1
    assert evidence.success_ratio == pytest.approx(0.8)
    assert evidence.published == projections.Published(1200.0, pd.Timestamp("2018-03-31"), "https://example.org/p")
    mongolia = backtest.evidence_at(tiny_history(), "2019-03-31", ("MNG", "Mongolia"))
    assert mongolia.issued_tco2 == 800 and len(mongolia.registered) == 2
    assert mongolia.published is None and mongolia.jcm.issued_tco2 == 1100


def test_prediction_by_hand() -> None:
    """Mongolia from 2019-03-31 to 2021-03-31, lag 1 year, no new projects (none registered in FY2013–FY2017 but one).

    Mongolia's cohorts: 1,000 t/yr from 2016.0 and 2,000 t/yr from 2019.0 (registration dates).
    itemized-realized: rate 800 ÷ A(2018.0) = 800 ÷ 2,000 = 0.4; by 2021.0: 800 + 0.4 × (A(2020) − A(2018)).
    """
    history = tiny_history()
    evidence = backtest.evidence_at(history, "2019-03-31", ("MNG", "Mongolia"))
    scenario = backtest.cutoff_scenario(evidence, "published_realized")
    # One Mongolian registration (FY2015) in the five FYs before FY2018: 0.2 a year of the median 1,500 t/yr.
    assert (scenario.new_projects_per_year, scenario.new_project_size_tco2) == (0.2, 1500.0)
    predicted = backtest.predict(evidence, "2021-03-31")
    a_2020 = 1000 * 4 + 2000 * 1  # by 2020.0 (the new cohort starts at 2020.0: nothing yet)
    assert predicted["itemized_realized"] == pytest.approx(800 + 0.4 * (a_2020 - 2000))
    # trend: FY2014–FY2018 hold 800 t (FY2017): 160 t/yr for 2 years
    assert predicted["trend"] == pytest.approx(800 + 160 * 2)


def test_adding_rows_dated_after_the_cut_off_changes_no_prediction() -> None:
    """A later issuance, registration, lag sample and published total leave the 2019 predictions unchanged."""
    later = {
        "issued": pd.DataFrame(
            {"country_iso3": ["MNG"], "event_date": pd.to_datetime(["2019-06-01"]), "credits_issued_tco2": [9e6]}
        ),
        "registered": pd.DataFrame(
            {
                "country_iso3": ["MNG"],
                "registration_date": pd.to_datetime(["2019-04-01"]),
                "event_fy": [2019],
                "expected_annual_reductions_tco2": [5e6],
            }
        ),
        "lag_samples": pd.DataFrame({"event_date": pd.to_datetime(["2019-06-01"]), "lag_days": [5000.0], "n": [3]}),
        "periods": pd.DataFrame(
            {"event_date": pd.to_datetime(["2019-06-01"]), "issued_tco2": [1.0], "expected_tco2": [1e6]}
        ),
        "published": pd.DataFrame(
            {
                "metric": ["credits_issued_cumulative", "credits_issued_mongolia_cumulative"],
                "as_of_day": pd.to_datetime(["2019-05-01", "2019-05-01"]),
                "value_numeric": [1e7, 1e7],
                "source_url": ["https://example.org/q", "https://example.org/r"],
                "figure_id": [2, 3],
            }
        ),
    }
    for country in (None, ("MNG", "Mongolia")):
        before = backtest.predict(backtest.evidence_at(tiny_history(), "2019-03-31", country), "2021-03-31")
        after = backtest.predict(backtest.evidence_at(tiny_history(**later), "2019-03-31", country), "2021-03-31")
        assert after == before
    # and the same rows dated on the cut-off do change it (the test would catch a filter that drops everything)
    on_the_day = {
        name: frame.assign(**{c: pd.Timestamp("2019-03-31") for c in frame.columns if "date" in c or c == "as_of_day"})
        for name, frame in later.items()
    }
    whole = backtest.predict(backtest.evidence_at(tiny_history(), "2019-03-31"), "2021-03-31")
    assert backtest.predict(backtest.evidence_at(tiny_history(**on_the_day), "2019-03-31"), "2021-03-31") != whole


def test_scores_use_the_cases_every_method_predicted() -> None:
    """A case only some methods predicted is left out of the score; the lowest mean absolute error wins."""
    rows = [
        {"scope": "JCM", "as_of": "a", "target_date": "x", "method": "trend", "error_pct": -50.0},
        {"scope": "JCM", "as_of": "a", "target_date": "x", "method": "potential", "error_pct": 20.0},
        {"scope": "JCM", "as_of": "b", "target_date": "x", "method": "trend", "error_pct": 10.0},
        {"scope": "JCM", "as_of": "b", "target_date": "x", "method": "potential", "error_pct": -40.0},
        {"scope": "JCM", "as_of": "c", "target_date": "x", "method": "trend", "error_pct": 0.0},
    ]
    scores = backtest.scores(rows)
    assert scores == {"trend": 30.0, "potential": 30.0}
    assert backtest.best_method(scores) == "trend"  # a tie goes to the earlier method in METHODS
    assert backtest.best_method({"trend": 5.0, "potential": 1.0}, available=["trend"]) == "trend"
    assert backtest.best_method({}, available=["trend", "potential"]) == "potential"


# --- The store: later rows change no prediction ---------------------------------------------------


def _append(path: Path, row: dict[str, str]) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    pd.concat([frame, pd.DataFrame([row])], ignore_index=True).to_csv(path, index=False)


def test_rows_dated_after_every_cut_off_leave_the_stored_backtest_unchanged(tmp_path: Path) -> None:
    """A registration, an issuance and published totals dated after the last cut-off: every earlier prediction stays.

    Built through the CSVs, the store and its SQL, as a data update would arrive.
    """
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.duckdb*"))
    _append(
        data / "projects.csv",
        {
            "project_ref": "MN099",
            "country": "Mongolia",
            "title": "Test project registered after every cut-off",
            "status_code": "registered",
            "registration_date": "2024-11-01",
            "unep_type": "Solar",
            "expected_annual_reductions_tco2": "50000",
            "source_url": "https://example.org/mn099",
        },
    )
    _append(
        data / "issuances.csv",
        {
            "issuance_id": "ISS-9999",
            "country": "Mongolia",
            "project_refs": "MN099",
            "project_refs_basis": "stated",
            "decision_date": "2024-12-15",
            "monitoring_period_start": "2024-11-02",
            "monitoring_period_end": "2024-11-30",
            "credits_issued_tco2": "99999",
            "source_url": "https://example.org/iss9999",
        },
    )
    for metric in ("credits_issued_cumulative", "credits_issued_mongolia_cumulative"):
        _append(
            data / "aggregates.csv",
            {
                "metric": metric,
                "value": "9000000",
                "unit": "tCO2",
                "as_of_date": "2024-11-15",
                "source_url": "https://example.org/agg",
            },
        )
    results = {}
    for name, folder in (("before", DATA), ("after", data)):
        db = tmp_path / f"{name}.duckdb"
        store.build(folder, db)
        with read_only(db) as con:
            results[name] = {
                (r["scope"], r["as_of"], r["target_date"], r["method"]): r for r in views.backtest_results(con)["rows"]
            }
    before, after = results["before"], results["after"]
    assert len(after) > len(before)  # the new published total brings cases of its own
    for case, row in before.items():
        assert after[case]["predicted_tco2"] == pytest.approx(row["predicted_tco2"], rel=1e-12), case
    changed = [c for c, r in before.items() if after[c]["actual_tco2"] != r["actual_tco2"]]
    assert changed and all(c[0] == "MNG" and c[2] >= "2024-12-15" for c in changed)  # later actuals do count


# --- Real data, by oracle -------------------------------------------------------------------------


def _fiscal_time(day: pd.Timestamp) -> float:
    """The oracle's own fiscal time: FY N starts on 1 April N; the end of a day."""
    fy = day.year if day.month >= 4 else day.year - 1
    start, end = pd.Timestamp(fy, 4, 1), pd.Timestamp(fy + 1, 4, 1)
    return fy + ((day - start).days + 1) / (end - start).days


def _oracle(folder: Path) -> dict:
    """Lag, accrual, published totals and the as-of date, from the CSVs in ``folder`` alone."""

    def _csv(name: str) -> pd.DataFrame:
        return pd.read_csv(folder / name, dtype=str, keep_default_na=False)

    issuances, projects, aggregates = _csv("issuances.csv"), _csv("projects.csv"), _csv("aggregates.csv")
    event = pd.to_datetime(
        issuances["decision_date"].where(issuances["decision_date"] != "", issuances["reported_date"]), errors="coerce"
    )
    end = pd.to_datetime(issuances["monitoring_period_end"], errors="coerce")
    both = event.notna() & end.notna()
    lag = float(np.median((event[both] - end[both]).dt.days / 365.25))
    registered = projects[(projects["status_code"] == "registered") & (projects["registration_date"] != "")]
    starts = np.array([_fiscal_time(pd.Timestamp(d)) for d in registered["registration_date"]])
    annual = pd.to_numeric(registered["expected_annual_reductions_tco2"], errors="coerce").fillna(0).to_numpy()

    def accrued(t: float) -> float:
        return float((annual * np.clip(t - starts, 0, None)).sum())

    published = aggregates[
        (aggregates["metric"] == "credits_issued_cumulative") & aggregates["value"].str.fullmatch(r"\d+")
    ]
    published = published.assign(
        day=pd.to_datetime(published["as_of_date"].str.replace(r"^(\d{4}-\d{2})$", r"\1-01", regex=True)),
        value=published["value"].astype(float),
    ).sort_values("day", kind="stable")
    dates = [pd.to_datetime(issuances[c], errors="coerce") for c in ("decision_date", "reported_date")] + [
        pd.to_datetime(projects[c], errors="coerce") for c in ("registration_date", "pin_decision_date")
    ]
    signed = _csv("partner_countries.csv")["date_bilateral_document_signed"]
    dates.append(pd.to_datetime(signed[signed.str.len() == 10], errors="coerce"))
    as_of = max(d.max() for d in dates)
    return {
        "lag": lag,
        "accrued": accrued,
        "published": published,
        "as_of": as_of,
        "issuances": issuances,
        "event": event,
    }


@pytest.fixture(scope="module")
def cli_json(dataset: Dataset) -> dict:
    """``projection --json`` of the dataset's store (data/, then data/ with new rows)."""
    result = run_cli("projection", "--json", "--db", str(dataset.db))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def truth(dataset: Dataset) -> dict:
    """The pandas oracle's reading of the same dataset's CSVs."""
    return _oracle(dataset.folder)


def test_lag_and_realized_conversions_match_the_csvs(cli_json: dict, truth: dict) -> None:
    """The median lag, and published / itemized credits ÷ reductions accrued one lag earlier, computed from the CSVs."""
    oracle = truth
    lag = oracle["lag"]
    assert cli_json["issuance_lag_years"] == pytest.approx(lag)
    latest = oracle["published"].iloc[-1]
    published = cli_json["realized_conversion"]["published"]
    assert published["measured_at"] == latest["day"].date().isoformat()
    assert published["issued_tco2"] == latest["value"]
    t_published = _fiscal_time(latest["day"])
    assert published["ratio"] == pytest.approx(latest["value"] / oracle["accrued"](t_published - lag), rel=1e-9)
    assert published["ratio_to_date"] == pytest.approx(latest["value"] / oracle["accrued"](t_published), rel=1e-9)
    itemized = cli_json["realized_conversion"]["itemized"]
    issued = pd.to_numeric(oracle["issuances"]["credits_issued_tco2"], errors="coerce").sum()
    t_now = _fiscal_time(oracle["as_of"])
    assert itemized["issued_tco2"] == issued
    assert itemized["ratio"] == pytest.approx(issued / oracle["accrued"](t_now - lag), rel=1e-9)


def test_backtest_actuals_are_the_published_totals_and_mongolias_itemized_credits(cli_json: dict, truth: dict) -> None:
    """JCM cases end on a published total's date with its value; Mongolia's on FY ends with its itemized credits."""
    oracle = truth
    published = dict(zip(oracle["published"]["day"].dt.date.astype(str), oracle["published"]["value"], strict=False))
    issuances = oracle["issuances"]
    mongolia = issuances["country"] == "Mongolia"
    amounts = pd.to_numeric(issuances["credits_issued_tco2"], errors="coerce").fillna(0)
    rows = cli_json["backtest"]
    assert {r["scope"] for r in rows} == {"JCM", "MNG"}
    for row in rows:
        cut, target = pd.Timestamp(row["as_of"]), pd.Timestamp(row["target_date"])
        assert target == cut + pd.DateOffset(years=row["horizon_years"]) and row["horizon_years"] in (2, 4)
        assert target <= oracle["as_of"]
        if row["scope"] == "JCM":
            assert row["actual_source"] == "published" and row["actual_tco2"] == published[row["target_date"]]
        else:
            assert (target.month, target.day) == (3, 31)
            assert row["actual_tco2"] == amounts[mongolia & (oracle["event"] <= target)].sum()
    cutoffs = {r["as_of"] for r in rows if r["scope"] == "MNG"}
    assert cutoffs <= {"2019-03-31", "2021-03-31", "2023-03-31"}


def test_first_projected_fy_is_within_the_stated_explained_multiple_of_the_record(cli_json: dict, truth: dict) -> None:
    """The central case's first projected FY beside the best FY on record (at least the published average pace).

    The stated multiple: credits follow registered projects' expected reductions by the issuance
    lag, so the first FY can exceed the published pace only by as much as the reductions behind it
    (accrued over that FY, one lag earlier) outgrew their average over the published period (also
    one lag earlier), scaled by how the latest total relates to the growth between the two totals:
    multiple ≤ growth × latest ÷ (latest − earlier), plus 5%. All of it computed from the CSVs.
    """
    oracle = truth
    lag, accrued = oracle["lag"], oracle["accrued"]
    totals = oracle["published"]
    latest = totals.iloc[-1]
    earlier = totals[totals["day"] <= latest["day"] - pd.DateOffset(years=1)].iloc[-1]
    years = (latest["day"] - earlier["day"]).days / 365.25
    pace = (latest["value"] - earlier["value"]) / years
    first_fy = (oracle["as_of"].year if oracle["as_of"].month >= 4 else oracle["as_of"].year - 1) + 1
    t1, t2 = _fiscal_time(earlier["day"]) - lag, _fiscal_time(latest["day"]) - lag
    growth = (accrued(first_fy + 1 - lag) - accrued(first_fy - lag)) / ((accrued(t2) - accrued(t1)) / (t2 - t1))
    stated = growth * latest["value"] / (latest["value"] - earlier["value"]) * 1.05

    first = cli_json["first_projected_fy"]
    assert first["fy"] == first_fy
    assert first["published_pace"]["tco2_per_year"] == pytest.approx(pace)
    assert first["lagged_reductions_growth"] == pytest.approx(growth, rel=1e-9)
    best_on_record = max(pace, first["best_historical_tco2"])
    assert first["central_tco2"] <= stated * best_on_record
    assert first["multiple_of_published_pace"] == pytest.approx(first["central_tco2"] / pace)
