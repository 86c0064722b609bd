"""The JCM among Article 6 buyers (issue 19): counts, facts as stated, one unit per axis, the page in both languages.

Real-data expectations come from data/article6/*.csv read with the plain ``csv`` module (and
tests/oracle.py), on data/ and on a copy with new rows, so a data update breaks no test; the tiny
fixture (tests/data/article6/) pins the rules. The page in Chromium, in English and Japanese, is in
tests/test_browser.py::test_article6_page_in_both_languages_leaves_no_english_in_japanese.
"""

from __future__ import annotations

import collections
import json
import re
import shutil
from pathlib import Path

import pytest

from jcm_dash import article6, charts, headline, i18n, importer, store, views
from jcm_dash.queries import Filters
from jcm_dash.tables import ARTICLE6_AGREEMENTS

from .conftest import Dataset, open_page, read_only, run_cli, shown
from .oracle import REAL


def _agreements(dataset: Dataset) -> list[dict[str, str]]:
    return list(dataset.oracle.rows("article6/agreements"))


def _facts(dataset: Dataset) -> list[dict[str, str]]:
    return list(dataset.oracle.rows("article6/buyers"))


def article6_json(db: Path) -> dict:
    result = run_cli("article6", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


pytestmark = pytest.mark.usefixtures("clear_streamlit_caches")


# --- the store and the command ------------------------------------------------------------------


def test_counts_by_buyer_equal_a_plain_csv_count(dataset: Dataset) -> None:
    """`article6 --json`: each buyer's total, statuses and first / latest dates are those of agreements.csv."""
    rows = _agreements(dataset)
    totals = collections.Counter(r["buyer_country"] for r in rows)
    result = article6_json(dataset.db)["agreements_by_buyer"]
    assert {buyer: entry["total"] for buyer, entry in result.items()} == dict(totals)
    assert result["Japan"]["total"] == totals["Japan"] == len([r for r in rows if r["buyer_country"] == "Japan"])
    assert list(result)[0] == totals.most_common(1)[0][0]  # most agreements first
    for buyer, entry in result.items():
        mine = [r for r in rows if r["buyer_country"] == buyer]
        statuses = collections.Counter(r["status"] for r in mine)
        assert {s: n for s, n in entry["by_status"].items() if n} == dict(statuses), buyer
        dates = sorted(r["date"] for r in mine if r["date"])
        assert (entry["first_date"], entry["latest_date"]) == ((dates[0], dates[-1]) if dates else (None, None))


def test_buyer_facts_are_stored_exactly_as_stated(dataset: Dataset) -> None:
    """Every row of buyers.csv comes back in file order with its value, unit and period as typed (never a number)."""
    rows = _facts(dataset)
    facts = article6_json(dataset.db)["buyer_facts"]
    assert len(facts) == len(rows)
    for fact, row in zip(facts, rows, strict=True):
        for column in views.A6_FACT_KEYS:
            assert fact[column] == (row[column] or None), column


def test_only_itmo_tonnes_transferred_or_issued_are_comparable(real_db: Path) -> None:
    """itmo_tco2 is set exactly for transfers / issuances stated as plain numbers of ITMOs one by one."""
    rows = REAL.rows("article6/buyers")
    expected = [
        float(r["value"])
        for r in rows
        if r["metric"] in ("transferred", "issued")
        and re.fullmatch(r"\d+(\.\d+)?", r["value"])
        and r["unit"].startswith("ITMO")
        and "million" not in r["unit"]
    ]
    facts = article6_json(real_db)["buyer_facts"]
    assert [f["itmo_tco2"] for f in facts if f["itmo_tco2"] is not None] == expected
    # Plans in Mt, money and "million ITMOs" are never tonnes of ITMOs.
    assert article6.itmo_tco2("planned_use", "2.1", "million ITMOs (planned use)") is None
    assert article6.itmo_tco2("transferred", "2.1", "million ITMOs") is None
    assert article6.itmo_tco2("transferred", "undisclosed", "CDR ITMOs") is None
    assert article6.itmo_tco2("issued", "0.7", "MtCO2e JCM credits (any type)") is None
    assert article6.itmo_tco2("transferred", "1916", "ITMOs (1 ITMO = 1 tCO2e)") == 1916.0


def test_the_jcm_row_is_the_overviews_best_known(dataset: Dataset) -> None:
    """The JCM's row: the overview's best-known credits, the first ITMO issuance as published, partners, projects."""
    with read_only(dataset.db) as con:
        jcm = views.article6_context(con)["jcm"]
        assert jcm["best_known"] == views.overview(con, Filters())["best_known"]
    oracle = dataset.oracle
    assert jcm["best_known"]["value_tco2"] == oracle.best_known_total()
    firsts = sorted(
        (r for r in oracle.rows("aggregates") if r["metric"] == "first_itmo_issuance"), key=lambda r: r["as_of_date"]
    )
    assert jcm["first_itmo_issuance"]["date"] == firsts[0]["as_of_date"]
    assert jcm["first_itmo_issuance"]["source_url"] == firsts[0]["source_url"]
    assert jcm["partner_countries"] == len(oracle.rows("partner_countries"))
    assert jcm["registered_projects"] == oracle.projects_by_status()["registered"]


def test_an_unknown_first_itmo_issuance_stays_unknown(tiny_con) -> None:
    """The tiny store publishes no first ITMO issuance: None, and the card reads "unknown", never a date or 0."""
    jcm = views.jcm_among_buyers(tiny_con)
    assert jcm["first_itmo_issuance"] is None
    cards = headline.article6_cards(jcm, 3, i18n.EN)
    assert cards[1].value == "unknown"


def test_tiny_agreements_by_buyer_and_shared_hosts(tiny_con) -> None:
    """Fixture: Japan 3, Switzerland 2, Singapore 2; Ghana, Mongolia and Senegal each deal with two buyers."""
    view = views.article6_context(tiny_con)
    assert {b: e["total"] for b, e in view["by_buyer"].items()} == {"Japan": 3, "Singapore": 2, "Switzerland": 2}
    assert view["by_buyer"]["Singapore"]["first_date"] == "2022-03-01"  # its undated MoU is not a date
    shared = view["shared_hosts"]
    assert shared["host_country"].tolist() == ["Mongolia", "Senegal", "Ghana"]  # JCM partners first
    assert shared["with_japan"].tolist() == [True, True, False]
    assert view["cumulative"].attrs["undated"] == 1
    transfers = view["itmo_transfers"]
    assert transfers[["buyer", "host", "itmo_tco2"]].values.tolist() == [["Switzerland", "Ghana", 500.0]]


def test_names_come_from_cldr_in_japanese() -> None:
    """Buyers and hosts: CLDR's Japanese names; English keeps the data's; text that is not a country stays as stated."""
    ja = i18n.translator("ja")
    assert article6.iso3_of("Republic of Korea") == "KOR" and article6.iso3_of("Lao PDR") == "LAO"
    assert article6.place_name("Switzerland", ja) == ja.country("CHE")
    assert article6.place_name("Republic of Korea", ja) == "韓国"
    assert article6.place_name("Republic of Korea", i18n.EN) == "Republic of Korea"
    hosts = ja("filters.list_separator").join(ja.country(c) for c in ("GHA", "PER", "PRY"))
    assert article6.place_name("Ghana; Peru; Paraguay", ja) == hosts
    assert article6.place_name("multiple (24 projects)", ja) == "multiple (24 projects)"
    rows = REAL.rows("article6/agreements")
    unresolved = {name for r in rows for name in (r["buyer_country"], r["host_country"]) if not article6.iso3_of(name)}
    assert unresolved == set(), "every buyer and host in the pipeline is a country CLDR can name"


def test_a_bad_article6_row_is_named_by_file_row_and_column(tmp_path: Path, data_copy: Path) -> None:
    """build: a bad date, status or source in article6/agreements.csv exits 2 with file:row:column, store untouched."""
    db = tmp_path / "store.duckdb"
    assert run_cli("build", "--data", str(data_copy), "--db", str(db)).returncode == 0
    before = db.read_bytes()
    path = data_copy / "article6" / "agreements.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("2013-03-19,MoU", "2013-02-30,MoU").replace("2021-07-06,BA (signed)", "2021-07-06,Treaty")
    text = text.replace("https://example.org/a6/sg-mn", "javascript:alert(1)")
    path.write_text(text, encoding="utf-8")
    result = run_cli("build", "--data", str(data_copy), "--db", str(db))
    assert result.returncode == 2
    assert "article6/agreements.csv:3:date: '2013-02-30' is not a real calendar day" in result.stderr
    assert "article6/agreements.csv:5:status: 'Treaty' is not one of: MoU, BA (signed), Other" in result.stderr
    assert "article6/agreements.csv:7:source_url: 'javascript:alert(1)' starts like a link" in result.stderr
    assert db.read_bytes() == before


def test_import_updates_an_agreement_with_provenance(tmp_path: Path, tiny_db: Path) -> None:
    """import: a row for a known buyer and host updates it in place, and the row points at its import record."""
    db = tmp_path / "store.duckdb"
    shutil.copy(tiny_db, db)
    update = tmp_path / "a6_update.csv"
    header = ",".join(ARTICLE6_AGREEMENTS.column_names)
    update.write_text(
        f"{header}\nSingapore,Ghana,Africa,2024-05-02,BA (signed),Singapore and Ghana sign,1,"
        "https://example.org/a6/sg-gh-2,fixture\n",
        encoding="utf-8",
    )
    result = importer.run_import([update], db)
    assert result.problems == [] and result.written
    change = result.changes[0]
    assert change.table == "article6_agreements" and change.updated[0]["key"] == "Singapore / Ghana"
    with read_only(db) as con:
        cur = store.cursor(con)
        row = cur.execute(
            "SELECT a.status, a.date::VARCHAR, i.file_name, i.kind FROM article6_agreements a "
            "JOIN imports i ON i.import_id = a.last_import_id "
            "WHERE buyer_country = 'Singapore' AND host_country = 'Ghana'"
        ).fetchone()
        count = cur.execute("SELECT count(*) FROM article6_agreements").fetchone()[0]
    assert row == ("BA (signed)", "2024-05-02", "a6_update.csv", "import")
    assert count == 7


# --- charts -------------------------------------------------------------------------------------


def _axis_units(figure: dict) -> dict[tuple[str, str], set[str]]:
    """Each (x axis, y axis) pair's units, from every trace's ``meta.unit`` (a trace without one fails)."""
    units: dict[tuple[str, str], set[str]] = collections.defaultdict(set)
    for trace in figure["data"]:
        meta = trace.get("meta") or {}
        assert meta.get("unit"), f"a trace states no unit: {trace.get('name')}"
        units[(trace.get("xaxis", "x"), trace.get("yaxis", "y"))].add(meta["unit"])
    return units


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_chart_puts_different_units_on_one_axis(real_con, lang: str) -> None:
    """Every series of the page's charts carries its unit; no axis carries two; the ITMO chart is tonnes only."""
    t = i18n.translator(lang)
    view = views.article6_context(real_con)
    figures = {
        "over_time": charts.agreements_over_time_chart(view["cumulative"], t),
        "by_region": charts.buyer_region_chart(view["by_region"], t),
        "itmo": charts.itmo_transfer_chart(view["itmo_transfers"], t),
    }
    for name, figure in figures.items():
        units = _axis_units(figure.to_plotly_json())
        assert all(len(found) == 1 for found in units.values()), (name, units)
    assert set().union(*_axis_units(figures["itmo"].to_plotly_json()).values()) == {charts.A6_UNIT_ITMO_TCO2}
    for name in ("over_time", "by_region"):
        assert set().union(*_axis_units(figures[name].to_plotly_json()).values()) == {charts.A6_UNIT_AGREEMENTS}
    # the ITMO bars are exactly the like-for-like facts, and Japan's line is the one highlighted
    assert list(figures["itmo"].data[0].x) == view["itmo_transfers"]["itmo_tco2"].tolist()
    widths = {trace.name: trace.line.width for trace in figures["over_time"].data}
    japan = t.country("JPN", "Japan")
    assert max(widths, key=widths.get).startswith(japan)


def test_the_page_charts_state_one_unit_per_axis(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The figures the page sends to the browser: each trace's unit in meta, one unit per axis."""
    at = open_page(real_db, monkeypatch, "article6")
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    assert len(specs) == 3
    for spec in specs:
        assert all(len(found) == 1 for found in _axis_units(spec).values())


# --- the page ------------------------------------------------------------------------------------


def test_the_page_says_the_country_filter_has_no_meaning_here(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ?country=MNG the page says the filter does not apply; without a filter it says nothing about it."""
    en = i18n.EN
    notice = en("article6.filters_ignored", scope="").split("(")[0].strip()
    filtered = open_page(real_db, monkeypatch, "article6", country="MNG")
    assert any(notice in shown(info.value) and "Mongolia" in info.value for info in filtered.info)
    # the JCM's figures are the whole JCM's whatever the filter
    unfiltered = open_page(real_db, monkeypatch, "article6")
    assert not any(notice in shown(info.value) for info in unfiltered.info)
    assert [m.value for m in filtered.metric] == [m.value for m in unfiltered.metric]


def test_the_jcm_cards_show_the_overviews_figure(real_db: Path, real_con, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first card is the overview's best-known figure, as the overview words it."""
    at = open_page(real_db, monkeypatch, "article6")
    expected = headline.article6_cards(views.jcm_among_buyers(real_con), None, i18n.EN)
    assert {shown(m.label): shown(m.value) for m in at.metric} == {card.label: card.value for card in expected}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_article6_figures_pass_plotlys_validation_unchanged(real_con, lang: str) -> None:
    """The builders skip Plotly's validation (as every builder does); with it on, the JSON is the same."""
    import plotly.graph_objects as go  # noqa: PLC0415
    import plotly.io as pio  # noqa: PLC0415

    t = i18n.translator(lang)
    view = views.article6_context(real_con)
    for fig in (
        charts.agreements_over_time_chart(view["cumulative"], t),
        charts.buyer_region_chart(view["by_region"], t),
        charts.itmo_transfer_chart(view["itmo_transfers"], t),
    ):
        validated = go.Figure(fig.to_dict())
        assert json.loads(pio.to_json(fig, validate=False)) == json.loads(pio.to_json(validated))


def test_the_facts_table_shows_each_value_with_its_unit(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On screen a value and its unit share a cell, a plain whole number with separators (11733 → 11,733)."""
    at = open_page(real_db, monkeypatch, "article6")
    table = next(d.value for d in at.dataframe if "Value and unit (as stated)" in d.value.columns)
    rows = REAL.rows("article6/buyers")
    assert len(table) == len(rows)
    for cell, row in zip(table["Value and unit (as stated)"], rows, strict=True):
        value = f"{int(row['value']):,}" if row["value"].isdigit() else row["value"]
        assert cell == f"{value} {row['unit']}".strip()
