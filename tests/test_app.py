"""The app through Streamlit's AppTest: pages render the right figures for the URL's filters."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from jcm_dash import paths, store, views
from jcm_dash.i18n import EN
from jcm_dash.queries import Filters

APP = str(paths.REPO_ROOT / "app.py")


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def run_app(db: Path, monkeypatch: pytest.MonkeyPatch, **query: str | list[str]) -> AppTest:
    monkeypatch.setenv("JCM_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    """The first dataframe shown that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def metrics_by_label(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_cards(db: Path, filters: Filters) -> dict[str, str]:
    con = store.connect_read_only(db)
    try:
        result = views.summary(con, filters)
    finally:
        con.close()
    return {
        "Credits issued to date": EN.tco2(result["credits_issued_tco2"]),
        "Japanese side (where known)": EN.tco2(result["japan_side_tco2"]),
        "Acquired by GoJ (where known)": EN.tco2(result["goj_share_tco2"]),
        "Registered projects": f"{result['projects_by_status']['registered']:,}",
        "Partner countries": f"{result['partner_countries']:,}",
    }


def test_overview_unfiltered_shows_the_real_totals(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unfiltered, the cards show the store's totals: 129,902 t issued, 94 registered, 31 partners."""
    at = run_app(real_db, monkeypatch)
    shown = metrics_by_label(at)
    assert shown["Credits issued to date"] == "129,902 t-CO2e"
    assert shown["Registered projects"] == "94"
    assert shown["Partner countries"] == "31"
    for label, value in expected_cards(real_db, Filters()).items():
        assert shown[label] == value
    assert "Data as of 2026-05-16" in at.caption[0].value
    assert len(at.get("plotly_chart")) == 2
    targets = table_with(at, "Deadline")
    assert targets["Deadline"].tolist() == ["FY2030", "FY2030", "FY2040"]
    assert targets["Status"].tolist() == ["superseded", "current", "current"]


def test_overview_for_bangladesh_from_the_url(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """?country=BGD selects Bangladesh: 499 t issued, GoJ 251 t, Japanese side unknown, one partner."""
    at = run_app(real_db, monkeypatch, country="BGD")
    shown = metrics_by_label(at)
    assert shown["Credits issued to date"] == "499 t-CO2e"
    assert shown["Acquired by GoJ (where known)"] == "251 t-CO2e"
    assert shown["Japanese side (where known)"] == "unknown"
    assert shown["Partner countries"] == "1"
    assert at.multiselect(key="filter_country").value == ["BGD"]
    assert "Scope: Bangladesh" in at.caption[0].value
    for label, value in expected_cards(real_db, Filters(countries=("BGD",))).items():
        assert shown[label] == value


def test_overview_shows_published_total_beside_the_data(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caveat names how many issuances lack amounts and the nearest published total (0.7 Mt, 2024-06)."""
    at = run_app(real_db, monkeypatch)
    caveat = at.warning[0].value
    assert "13 of 40 issuance decisions" in caveat
    assert "700,000 t-CO2e" in caveat
    assert "2024-06" in caveat


def test_filters_from_url_reach_every_figure(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Technology and FY range from the URL set the widgets and the figures."""
    at = run_app(real_db, monkeypatch, country=["MNG", "IDN"], tech="Solar", fy_from="2016", fy_to="2024")
    assert sorted(at.multiselect(key="filter_country").value) == ["IDN", "MNG"]
    assert at.multiselect(key="filter_tech").value == ["Solar"]
    assert at.slider(key="filter_fy").value == (2016, 2024)
    expected = expected_cards(real_db, Filters(("MNG", "IDN"), ("Solar",), 2016, 2024))
    assert metrics_by_label(at)["Credits issued to date"] == expected["Credits issued to date"]


def test_empty_selection_explains_itself(tiny_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A partner with no project and no issuance gets an explanation, not blank charts."""
    at = run_app(tiny_db, monkeypatch, country="SEN")
    messages = " ".join(i.value for i in at.info)
    assert "Nothing matches this selection" in messages
    assert metrics_by_label(at)["Credits issued to date"] == "0 t-CO2e"


def test_unknown_codes_in_the_link_are_reported(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad country code in a pasted link is named in a warning and ignored."""
    at = run_app(real_db, monkeypatch, country=["BGD", "XXX"])
    assert any("Unknown partner country code 'XXX'" in w.value for w in at.sidebar.warning)
    assert metrics_by_label(at)["Credits issued to date"] == "499 t-CO2e"


def test_missing_store_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no store the app shows the command that builds it."""
    monkeypatch.setenv("JCM_DB", str(tmp_path / "missing.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "python -m jcm_dash build" in at.error[0].value
