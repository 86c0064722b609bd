"""日本語 / English: catalogue parity, Japanese names from CLDR, and every page in Japanese via AppTest."""

from __future__ import annotations

import json
import re
import string
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from jcm_dash import i18n, queries

from .conftest import Dataset, metrics_by_label, open_page, read_only, run_app, strings_in, summary_json, walk_elements

PAGES = ("overview", "countries", "technologies", "projects", "projections", "article6", "briefing", "data")
TITLE_KEYS = {page: f"{page}.title" for page in PAGES} | {"briefing": "briefing.heading"}
# Catalogue tables of data values: their English text can also be data (a title that says "Solar PV"),
# so they are checked as exact labels, not as fragments of running text.
VALUE_TABLES = ("technology.", "metric.", "metric_unit.", "record.", "import_kind.", "precision.", "status.")


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders in a catalogue string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_have_the_same_keys_and_placeholders() -> None:
    """A string added to one language only, or a translation that drops a {placeholder}, fails here."""
    en, ja = i18n.catalogue("en"), i18n.catalogue("ja")
    assert sorted(set(en) - set(ja)) == [], "keys missing from ja.toml"
    assert sorted(set(ja) - set(en)) == [], "keys missing from en.toml"
    mismatched = {key: (en[key], ja[key]) for key in en if placeholders(en[key]) != placeholders(ja[key])}
    assert mismatched == {}
    assert all(value.strip() for value in [*en.values(), *ja.values()])


def test_fiscal_years_numbers_and_units_read_naturally_in_each_language() -> None:
    """FY2030 / 2030年度; thousands separators in both; t-CO2e in both."""
    en, ja = i18n.translator("en"), i18n.translator("ja")
    assert (en.fy(2030), ja.fy(2030)) == ("FY2030", "2030年度")
    assert (en.fy(None), ja.fy(None)) == ("date unknown", "日付不明")
    assert (en.tco2(1234567), ja.tco2(1234567)) == ("1,234,567 t-CO2e", "1,234,567 t-CO2e")
    assert (en.tco2(None), ja.tco2(None)) == ("unknown", "不明")
    assert (en.tco2(25e6, compact=True), ja.tco2(25e6, compact=True)) == ("25.0 Mt", "2,500万t")
    assert ja.tco2(1200, ja.per_year()) == "1,200 t-CO2e/年"
    assert i18n.translator("xx").lang == "en"


@pytest.mark.parametrize(
    ("value", "english", "japanese"),
    [
        (None, "unknown", "不明"),
        (499, "499 t", "499t"),
        (2_519, "2,519 t", "2,519t"),
        (18_418, "0.018 Mt", "1.8万t"),
        (132_421, "0.13 Mt", "13.2万t"),
        (700_000, "0.70 Mt", "70万t"),
        (24_825_000, "24.8 Mt", "2,482万t"),
        (100_000_000, "100.0 Mt", "1億t"),
        (199_300_000, "199.3 Mt", "1億9,930万t"),
    ],
)
def test_cards_and_sentences_write_mt_and_man_oku_tonnes(value, english: str, japanese: str) -> None:
    """Cards use Mt in English and 万t / 億t in Japanese, as government documents write them."""
    assert (i18n.translator("en").amount(value), i18n.translator("ja").amount(value)) == (english, japanese)
    # One style in Japanese: 万t / 億t, never 百万t beside them.
    assert not [key for key, text in i18n.catalogue("ja").items() if "百万" in text]


def test_axis_ticks_targets_plurals_ordinals_and_shares() -> None:
    """Axis ticks, target labels, plural forms, ranks and small shares read naturally in both languages."""
    from jcm_dash import charts  # noqa: PLC0415

    en, ja = i18n.translator("en"), i18n.translator("ja")
    assert [en.tick(v) for v in (0, 1e4, 5e7, 1.5e8)] == ["0", "10,000 t", "50 Mt", "150 Mt"]
    assert [ja.tick(v) for v in (0, 1e4, 5e7, 1.5e8)] == ["0", "1万t", "5,000万t", "1億5,000万t"]
    assert charts.target_label(5e7, 1e8, 2030, en) == "50–100 Mt by FY2030"
    assert charts.target_label(1e8, 1e8, 2030, ja) == "2030年度までに1億t程度"
    assert charts.target_label(5e7, 1e8, 2030, ja) == "2030年度までに5,000万〜1億t"
    assert en.plural("overview.undated", 1, amount="5 t", label="x").startswith("1 issuance has")
    assert en.plural("overview.undated", 4, amount="5 t", label="x").startswith("4 issuances have")
    assert [en.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
    ]
    assert ja.ordinal(2) == "2位"
    assert [en.pct(v) for v in (0.7, 0.13, 0.066, 13.9)] == ["0.70%", "0.13%", "0.066%", "13.9%"]


def test_every_partner_has_a_japanese_name_from_cldr(dataset: Dataset) -> None:
    """All partner countries get CLDR's Japanese name (not the ISO code, not the English name)."""
    with read_only(dataset.db) as con:
        partners = queries.partner_countries(con)
    ja = i18n.translator("ja")
    names = {iso3: ja.country(iso3, name) for iso3, name in zip(partners["iso3"], partners["country"], strict=True)}
    assert sorted(names) == sorted(dataset.oracle.country_names())
    assert names["MNG"] == "モンゴル" and names["VNM"] == "ベトナム" and names["LAO"] == "ラオス"
    assert names["MMR"] == "ミャンマー"  # as MOFA writes it (CLDR: ミャンマー (ビルマ))
    assert not [name for name in names.values() if re.search(r"[()（）]", name)]
    assert all(re.search(r"[\u30a0-\u30ff\u4e00-\u9fff]", name) for name in names.values()), names
    assert i18n.EN.country("VNM", "Viet Nam") == "Viet Nam"  # English keeps the data's own name


def test_every_technology_in_the_data_is_translated_once(real_db: Path) -> None:
    """Each UNEP type and subtype in the store has an entry in the one [technology] table."""
    with read_only(real_db) as con:
        rows = con.execute("SELECT DISTINCT unep_type, unep_subtype FROM jcm.projects").fetchall()
    values = {v for row in rows for v in row if v is not None}
    ja = i18n.catalogue("ja")
    assert sorted(v for v in values if f"technology.{v}" not in ja) == []
    assert i18n.translator("ja").tech("Mixed: Solar + EE industry") == "複数: 太陽光 + 省エネ（産業）"


def _english_fragments() -> tuple[set[str], set[str]]:
    """(exact labels, phrases): English catalogue text whose Japanese differs.

    Phrases are the pieces of a string between its placeholders and markup that have at least three
    words; they must not appear anywhere. Labels are whole strings; they must not be a whole label.
    """
    en, ja = i18n.catalogue("en"), i18n.catalogue("ja")
    labels, phrases = set(), set()
    for key, text in en.items():
        if text == ja[key]:
            continue
        labels.add(text)
        if key.startswith(VALUE_TABLES):
            continue
        for piece in re.split(r"\{[^}]*\}|%\{[^}]*\}|\*\*|<[^>]+>|\n", text):
            piece = piece.strip(" .,;:()'-–")
            if len(piece.split()) >= 3:
                phrases.add(piece)
    return labels, phrases


CHART_TEXT_KEYS = {"text", "name", "hovertemplate", "ticktext"}


def _chartstrings_in(spec) -> Iterator[str]:
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key in CHART_TEXT_KEYS:
                yield from strings_in(value)
            else:
                yield from _chartstrings_in(value)
    elif isinstance(spec, list):
        for item in spec:
            yield from _chartstrings_in(item)


def shown_text(at: AppTest) -> tuple[list[str], list[str]]:
    """(labels, texts) the page shows: widget and column labels, chart text, and all running text."""
    labels, texts = [], []
    for node in walk_elements(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        fields = MessageToDict(proto)
        if "spec" in fields:  # a Plotly chart: titles, axes, legend names, hover text
            chart = list(_chartstrings_in(json.loads(fields["spec"])))
            labels += chart
            texts += chart
            continue
        if node.type in ("arrow_data_frame", "dataframe"):
            labels += [str(c) for c in node.value.columns]
            continue
        for name in ("label", "help", "placeholder", "options"):
            labels += list(strings_in(fields.get(name)))
        texts += [s for name, v in fields.items() if name not in ("id", "formId", "url", "icon") for s in strings_in(v)]
    return labels, texts


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_japanese_leaves_no_interface_string_in_english(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """With lang=ja no label equals an English catalogue string and no English phrase of it appears."""
    # The projects page also shows one project's detail.
    at = open_page(real_db, monkeypatch, page, lang="ja", project="MN004")
    labels, texts = shown_text(at)
    english_labels, english_phrases = _english_fragments()
    assert sorted({label for label in labels if label in english_labels}) == []
    blob = "\n".join(texts)
    assert sorted(phrase for phrase in english_phrases if phrase in blob) == []
    assert at.title[0].value == i18n.catalogue("ja")[TITLE_KEYS[page]]


def test_japanese_overview_shows_the_same_figures(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Japanese cards carry the same numbers as summary --json; only the words change."""
    cards = metrics_by_label(run_app(real_db, monkeypatch, lang="ja", country="MNG"))
    summary = summary_json(real_db, "--country", "MNG")
    assert cards["個別に把握できる発行量"] == i18n.translator("ja").amount(summary["credits_issued_tco2"])
    assert cards["登録プロジェクト数"] == f"{summary['projects_by_status']['registered']:,}"
