"""The app through Streamlit's AppTest: pages render the right figures for the URL's filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from jcm_dash import views
from jcm_dash.i18n import EN, translator
from jcm_dash.queries import Filters

from .conftest import APP, Dataset, metrics_by_label, notes_by_label, read_only, run_app, shown, table_with
from .oracle import REAL as oracle

pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


def expected_cards(db: Path, filters: Filters) -> dict[str, str]:
    with read_only(db) as con:
        result = views.summary(con, filters)
    return {
        "Credits itemized in this data": EN.amount(result["credits_issued_tco2"]),
        "Japanese side (where known)": EN.amount(result["japan_side_tco2"]),
        "Acquired by GoJ (where known)": EN.amount(result["goj_share_tco2"]),
        "Partner countries": f"{result['partner_countries']:,}",
    }


def test_overview_unfiltered_answers_how_far_from_the_targets(
    dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first cards answer the question: itemized credits, the latest published total, and per target.

    Per current target: the share reached, the gap and the pace needed, all from the larger figure.
    """
    oracle, real_db = dataset.oracle, dataset.db
    at = run_app(real_db, monkeypatch)
    shown_cards, notes = metrics_by_label(at), notes_by_label(at)
    itemized = oracle.issued_total()
    published_row = oracle.published_total()
    published, approximate = oracle.published_value(published_row)
    assert shown_cards["Credits itemized in this data"] == EN.amount(itemized)
    assert notes["Credits itemized in this data"] == "a lower bound, not the total"
    assert shown_cards["Latest published total"] == ("~" if approximate else "") + EN.amount(published)
    assert notes["Latest published total"] == f"as of {published_row['as_of_date']}"
    best = max(itemized, published)
    for target in oracle.current_targets():
        goal = float(target["value_high_tco2"])
        label = f"~{goal / 1e6:,.0f} Mt by {target['deadline']}"
        assert shown_cards[f"{label}: reached"] == EN.pct(best / goal * 100)
        assert shown_cards[f"Gap to {label}"] == EN.amount(goal - best)
        years_left = int(target["deadline"][2:]) - oracle.fiscal_year(dt.date.fromisoformat(oracle.as_of()))
        needed = next(v for k, v in shown_cards.items() if k.startswith("Needed per year") and target["deadline"] in k)
        assert needed == EN.amount((goal - best) / years_left, per_year=True)
    assert shown_cards["Registered projects"] == f"{oracle.projects_by_status()['registered']:,}"
    assert shown_cards["Partner countries"] == f"{len(oracle.country_names()):,}"
    for label, value in expected_cards(real_db, Filters()).items():
        assert shown_cards[label] == value
    assert f"Data as of {oracle.as_of()}" in at.caption[0].value
    assert len(at.get("plotly_chart")) == 3
    targets = table_with(at, "Reached, best-known")
    assert targets["Status"].tolist().count("current") == len(oracle.current_targets())


def test_overview_for_bangladesh_from_the_url(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """?country=BGD selects Bangladesh: its itemized credits, its share of the whole JCM and its rank, never 100%."""
    oracle, real_db = dataset.oracle, dataset.db
    at = run_app(real_db, monkeypatch, country="BGD")
    cards = metrics_by_label(at)
    assert cards["Credits itemized in this data"] == EN.amount(oracle.issued_total("BGD"))
    assert cards["Acquired by GoJ (where known)"] == EN.amount(oracle.known_total("goj_share_tco2", "BGD"))
    assert cards["Japanese side (where known)"] == EN.amount(oracle.known_total("japan_side_tco2", "BGD"))
    assert cards["Partner countries"] == "1"
    assert cards["Share of the JCM credits itemized"] == EN.pct(
        oracle.issued_total("BGD") / oracle.issued_total() * 100
    )
    assert cards["Rank among partners"] == EN.ordinal(oracle.rank_among_partners("BGD"))
    assert "100.0%" not in cards.values()
    assert at.multiselect(key="filter_country").value == ["BGD"]
    assert "Scope: Bangladesh" in at.caption[0].value
    assert any(s.value.startswith("Bangladesh") for s in at.subheader)
    for label, value in expected_cards(real_db, Filters(countries=("BGD",))).items():
        assert cards[label] == value


def test_overview_counts_projects_by_registration_fy_and_says_so(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an FY range the project cards say they count by registration FY; the national targets stay national."""
    at = run_app(real_db, monkeypatch, country="BGD", fy_from="2021", fy_to="2021")
    cards = metrics_by_label(at)
    assert "Registered in FY2021" in cards
    assert any("Japan's national targets" in m.value for m in at.markdown)
    fy2021 = oracle.issued_by_fy()[2021]
    assert cards["Share of the JCM credits itemized"] == EN.pct(oracle.issued_by_fy("BGD")[2021] / fy2021 * 100)


def test_overview_shows_published_total_beside_the_data(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caveat names how many issuances lack amounts and the latest published total with its date and source."""
    oracle, real_db = dataset.oracle, dataset.db
    at = run_app(real_db, monkeypatch)
    caveat = shown(at.info[0].value)
    assert f"{oracle.without_amount()} of {len(oracle.issuances())} state no amount" in caveat
    row = oracle.published_total()
    assert EN.amount(oracle.published_value(row)[0]) in caveat
    assert row["as_of_date"] in caveat
    assert urlsplit(row["source_url"]).hostname.removeprefix("www.") in caveat
    assert [b.proto.url for b in at.get("link_button")] == [row["source_url"]]


def test_filters_from_url_reach_every_figure(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Technology and FY range from the URL set the widgets and the figures."""
    at = run_app(real_db, monkeypatch, country=["MNG", "IDN"], tech="Solar", fy_from="2016", fy_to="2024")
    assert sorted(at.multiselect(key="filter_country").value) == ["IDN", "MNG"]
    assert at.multiselect(key="filter_tech").value == ["Solar"]
    assert at.slider(key="filter_fy").value == (2016, 2024)
    expected = expected_cards(real_db, Filters(("MNG", "IDN"), ("Solar",), 2016, 2024))
    cards = metrics_by_label(at)
    assert cards["Credits itemized in this data"] == expected["Credits itemized in this data"]
    assert cards["Latest published total"] == "–"  # published totals cover all technologies and years


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_fy_only_scope_is_headed_as_the_whole_jcm_in_those_years(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """With only an FY range, the heading names the whole JCM in those years, never "its part in the JCM"."""
    t = translator(lang)
    fy = max(oracle.issued_by_fy())
    at = run_app(real_db, monkeypatch, fy_from=str(fy), fy_to=str(fy), lang=lang)
    headings = [shown(h.value) for h in at.subheader]
    whole = t("progress.whole_jcm_years", years=t.fy(fy))
    assert t("progress.heading_years", scope=whole) in headings, headings
    assert t("progress.heading_scope", scope=t("filters.whole_jcm")) not in headings
    assert not [h for h in headings if t("filters.whole_jcm") + ":" in h or t("filters.whole_jcm") + "：" in h]


def test_empty_selection_explains_itself(tiny_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A partner with no project and no issuance gets an explanation, not blank charts."""
    at = run_app(tiny_db, monkeypatch, country="SEN")
    messages = " ".join(i.value for i in at.info)
    assert "has no JCM project or issuance in this data yet" in messages  # one partner: what is missing, why
    # Nothing itemized reads "–" with its reason, not a 0 (a true zero) nor "unknown".
    assert metrics_by_label(at)["Credits itemized in this data"] == "–"
    assert notes_by_label(at)["Credits itemized in this data"] == EN("progress.nothing_in_scope")


def test_unknown_codes_in_the_link_are_reported(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad country code in a pasted link is named in a warning (in the main column) and ignored."""
    at = run_app(real_db, monkeypatch, country=["BGD", "XXX"])
    assert any("Unknown partner country code 'XXX'" in w.value for w in at.main.warning)
    assert not at.sidebar.warning
    assert metrics_by_label(at)["Credits itemized in this data"] == EN.amount(oracle.issued_total("BGD"))


def test_missing_store_says_how_to_build_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no store the app shows the command that builds it."""
    monkeypatch.setenv("JCM_DB", str(tmp_path / "missing.duckdb"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception
    assert "python -m jcm_dash build" in at.error[0].value
