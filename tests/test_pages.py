"""The countries, technologies and projects pages through AppTest, unfiltered and filtered."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from jcm_dash.i18n import EN

from .conftest import Dataset, metrics_by_label, open_page, run_app, run_cli, summary_json, table_with
from .oracle import REAL as oracle


def test_countries_page_lists_every_partner(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unfiltered, the table has every partner (those without a project with zeros) and the summary's total."""
    oracle, real_db = dataset.oracle, dataset.db
    at = open_page(real_db, monkeypatch, "countries")
    table = table_with(at, "Bilateral document signed").set_index("ISO3")
    assert sorted(table.index) == sorted(oracle.country_names())
    assert (
        table["Credits issued (t-CO2e)"].sum() == summary_json(real_db)["credits_issued_tco2"] == oracle.issued_total()
    )
    for iso3 in oracle.country_names():
        row = table.loc[iso3]
        assert row["Registered"] == oracle.projects_by_status(iso3).get("registered", 0), iso3
        if not oracle.issuances(iso3):
            assert row["Credits issued (t-CO2e)"] == 0, iso3


def test_mongolia_agrees_on_countries_overview_and_command(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mongolia's total is the same on /countries, on the overview with MNG selected, and from the CLI."""
    cli = summary_json(real_db, "--country", "MNG")["credits_issued_tco2"]
    countries = metrics_by_label(open_page(real_db, monkeypatch, "countries", country="MNG"))
    overview = metrics_by_label(run_app(real_db, monkeypatch, country="MNG"))
    assert countries["Credits itemized in this data"] == overview["Credits itemized in this data"] == EN.amount(cli)
    share = EN.pct(oracle.issued_total("MNG") / oracle.issued_total() * 100)
    assert countries["Share of all partners' credits"] == overview["Share of the JCM credits itemized"] == share
    assert share != "100.0%"


def test_one_country_is_ranked_beside_every_partner(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/countries?country=IDN: every partner is ranked and mapped, Indonesia highlighted; its share is of all."""
    at = open_page(real_db, monkeypatch, "countries", country="IDN")
    table = table_with(at, "Bilateral document signed").set_index("ISO3")
    assert len(table) == len(oracle.country_names())
    assert table.loc["IDN", "Rank"] == oracle.rank_among_partners("IDN")
    cards = metrics_by_label(at)
    assert cards["Rank among partners"] == EN.ordinal(oracle.rank_among_partners("IDN"))
    assert cards["Share of all partners' credits"] == EN.pct(oracle.issued_total("IDN") / oracle.issued_total() * 100)
    assert any("Indonesia highlighted" in c.value for c in at.caption)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)  # the ranking
    bars = spec["data"][0]
    opacity = dict(zip(bars["y"], bars["marker"]["opacity"], strict=True))
    assert opacity["Indonesia"] == 1.0 and opacity["Mongolia"] < 1.0  # the others faded, Indonesia in full


def test_country_profile_shows_signing_date_and_projects(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The profile of Bangladesh gives its bilateral document's date as precisely as known, and its projects."""
    at = open_page(real_db, monkeypatch, "countries", country="BGD")
    signed = next(r for r in oracle.rows("partner_countries") if r["iso3"] == "BGD")["date_bilateral_document_signed"]
    parts = [int(p) for p in signed.split("-")]
    words = [dt.date(parts[0], parts[1], 1).strftime("%b")] if len(parts) > 1 else []
    written = " ".join([*(str(parts[2]) for _ in parts[2:3]), *words, str(parts[0])])  # 8 Jan 2013 / Mar 2013
    assert any(f"bilateral document signed **{written}**." in m.value for m in at.markdown)
    projects = table_with(at, "Expected (t-CO2e/yr)")
    assert sorted(projects["Reference"]) == sorted(r["project_ref"] for r in oracle.projects("BGD"))


def test_technologies_page_totals_match_summary(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The technology table's credits add up to the summary's total, unfiltered and for Solar in Mongolia."""
    at = open_page(real_db, monkeypatch, "technologies")
    table = table_with(at, "Registered projects")
    assert table["Credits issued (t-CO2e)"].sum() == summary_json(real_db)["credits_issued_tco2"]
    assert "Mixed: EE industry + Solar" in set(table["UNEP type"])
    at = open_page(real_db, monkeypatch, "technologies", country="MNG", tech="Solar")
    table = table_with(at, "Registered projects")
    expected = summary_json(real_db, "--country", "MNG", "--tech", "Solar")["credits_issued_tco2"]
    assert table["Credits issued (t-CO2e)"].sum() == expected
    assert list(table["UNEP type"]) == ["Solar"]


def test_technologies_drill_down_to_subtypes(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Choosing the subtype level for Solar shows Solar PV and its credits."""
    at = open_page(real_db, monkeypatch, "technologies")
    at.radio(key="tech_level").set_value("subtype").run()
    at.selectbox(key="tech_focus").set_value("Solar").run()
    assert not at.exception
    table = table_with(at, "UNEP subtype")
    solar = summary_json(real_db, "--tech", "Solar")["credits_issued_tco2"]
    assert table.set_index("UNEP subtype").loc["Solar PV", "Credits issued (t-CO2e)"] == solar


def test_projects_page_table_search_and_detail(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every project is listed; a search narrows them; ?project=MN004 shows the issuances naming it."""
    oracle, real_db = dataset.oracle, dataset.db
    at = open_page(real_db, monkeypatch, "projects", project="MN004")
    table = table_with(at, "Credits issued to date (t-CO2e)")
    assert sorted(table["Reference"]) == sorted(r["project_ref"] for r in oracle.projects())
    mn004 = table.set_index("Reference").loc["MN004"]
    assert mn004["Credits issued to date (t-CO2e)"] == oracle.sole_credits("MN004")
    assert any(s.value.startswith("MN004: ") for s in at.subheader)
    detail = table_with(at, "Provenance")
    assert sorted(detail["Issuance"]) == sorted(r["issuance_id"] for r in oracle.issuances_naming("MN004"))
    at.text_input(key="project_search").set_value("mongolia").run()
    assert all(table_with(at, "Credits issued to date (t-CO2e)")["Country"] == "Mongolia")


def test_projects_page_lists_the_first_projects_and_says_so(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With more matches than it lists, the page shows the first ones, the full count and where the rest are."""
    import streamlit as st  # noqa: PLC0415

    from jcm_dash import views  # noqa: PLC0415

    monkeypatch.setattr(views, "PROJECTS_SHOWN", 5)
    st.cache_data.clear()  # results cached by other tests were made with the real page size
    try:
        at = open_page(real_db, monkeypatch, "projects", project="VN001")
        table = table_with(at, "Credits issued to date (t-CO2e)")
        assert table["Reference"].tolist() == sorted(r["project_ref"] for r in oracle.projects())[:5]
        n = len(oracle.rows("projects"))
        assert f"**{n:,} projects.**" in [m.value for m in at.markdown][0]
        assert any(f"The first 5 of {n:,} matching projects" in c.value for c in at.caption)
        assert any(s.value.startswith("VN001: ") for s in at.subheader)  # a project not listed still opens
        assert not any("outside the sidebar" in c.value for c in at.caption)
        at.text_input(key="project_search").set_value("mongolia").run()
        narrowed = table_with(at, "Credits issued to date (t-CO2e)")
        assert 0 < len(narrowed) < 5 and narrowed["Title"].str.contains("mongolia", case=False).all()
        assert not any("The first 5" in c.value for c in at.caption)
    finally:
        st.cache_data.clear()


def test_projects_page_flags_and_unknown_project(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issuances carry provenance flags; an unknown ?project= says what to check."""
    at = open_page(real_db, monkeypatch, "projects", country="VNM", project="XX999")
    issuances = table_with(at, "Provenance").set_index("Issuance")
    inferred = [
        r["issuance_id"]
        for r in oracle.issuances("VNM")
        if r["project_refs_basis"].startswith("inferred") and oracle.amount(r) is None
    ]
    assert inferred, "the check needs a Viet Nam issuance with inferred projects and no amount"
    for issuance_id in inferred:
        assert "project inferred" in issuances.loc[issuance_id, "Provenance"]
        assert "amount unknown" in issuances.loc[issuance_id, "Provenance"]
    assert "No project 'XX999' in the data" in at.error[0].value


def test_pages_explain_an_empty_selection(tiny_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Senegal has nothing: each page says why instead of drawing nothing."""
    assert "no technology to show" in open_page(tiny_db, monkeypatch, "technologies", country="SEN").info[0].value
    assert "No project matches" in open_page(tiny_db, monkeypatch, "projects", country="SEN").info[0].value
    countries = open_page(tiny_db, monkeypatch, "countries", country="SEN")
    assert "every partner is still listed" in countries.info[0].value


def test_cli_summary_for_every_country_matches_countries_table(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """For each partner, `summary --country` equals its row on the countries page (None ↔ unknown)."""
    table = table_with(open_page(real_db, monkeypatch, "countries"), "Bilateral document signed").set_index("ISO3")
    issued = json.loads(run_cli("summary", "--json", "--db", str(real_db)).stdout)["issued_by_country"]
    for iso3, row in table.iterrows():
        value = row["Credits issued (t-CO2e)"]
        if iso3 in issued and issued[iso3] is None:
            assert value != value  # NaN: unknown on both sides
        else:
            assert value == issued.get(iso3, 0)
