"""What every page shows, read as a user reads it (AppTest, both languages, real data).

No cell or label reads "None", "nan" or "(s)"; every amount in a table has thousands separators (as
the grid draws it: a pandas Styler's display text, or the raw number when a table has none); an
unknown amount reads as the catalogue's word; and a one-country scope never shows a share of 100%
of itself.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from jcm_dash import display, i18n

from .conftest import open_page, strings_in, walk_elements
from .oracle import REAL as oracle
from .oracle import cell_text

PAGES = ("overview", "countries", "technologies", "projects", "projections", "article6", "briefing", "data")
# Whole words a user must never read; "(s)" and "(ies)" are plurals left to the reader.
FORBIDDEN = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\(s\)|\(ies\)|\(es\)")
AMOUNT = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?%?")


def page_text(at: AppTest) -> list[str]:
    """Every string the page shows outside tables: labels, values, notes, running text, chart text."""
    texts = []
    for node in walk_elements(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or node.type in ("arrow_data_frame", "dataframe"):
            continue
        fields = MessageToDict(proto)
        if "spec" in fields:
            spec = json.loads(fields["spec"])
            texts += [
                s for trace in spec.get("data", []) for key in ("name", "text") for s in strings_in(trace.get(key))
            ]
            texts += list(strings_in(spec.get("layout", {}).get("title")))
            continue
        texts += [s for name, v in fields.items() if name not in ("id", "formId", "url", "icon") for s in strings_in(v)]
    return texts


def shown_tables(at: AppTest) -> Iterator[tuple[object, dict[str, list[str]], set[str]]]:
    """Each table as (data, column → the text the grid draws, numeric columns)."""
    for element in at.dataframe:
        data = element.value
        arrow = element.proto.arrow_data if hasattr(element.proto, "arrow_data") else element.proto
        if arrow.HasField("styler") and arrow.styler.display_values:
            shown = pa.ipc.open_stream(arrow.styler.display_values).read_all().to_pandas()
            columns = {str(c): [str(v) for v in shown[c]] for c in shown.columns}
        else:
            columns = {str(c): [str(v) for v in data[c]] for c in data.columns}
        numeric = {str(c) for c in data.select_dtypes("number").columns}
        yield data, columns, numeric


def check_page(at: AppTest, lang: str) -> None:
    """The page's text and tables read right (the module docstring's rules)."""
    unknown = i18n.translator(lang)("unit.unknown")
    bad = sorted({text for text in page_text(at) if FORBIDDEN.search(text)})
    assert bad == [], bad
    for data, columns, numeric in shown_tables(at):
        assert not data.isna().any().any(), f"a cell the grid would draw as 'None': {list(data.columns)}"
        for column, cells in columns.items():
            assert not [c for c in cells if FORBIDDEN.search(c)], (column, cells)
            if column in numeric:
                wrong = [c for c in cells if c not in (unknown, display.NO_VALUE) and not AMOUNT.fullmatch(c)]
                assert wrong == [], (column, wrong)
        for column in numeric:
            for sentinel, word in ((display.UNKNOWN_SENTINEL, unknown), (display.NOTHING_SENTINEL, display.NO_VALUE)):
                if (data[column] == sentinel).any():
                    positions = data.index[data[column] == sentinel]
                    assert {columns[column][data.index.get_loc(i)] for i in positions} == {word}, column


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_right(real_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, lang: str) -> None:
    """No None, nan or (s); amounts in tables with separators; unknown in words (projects page: MN004 open)."""
    check_page(open_page(real_db, monkeypatch, page, lang=lang, project="MN004"), lang)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize(("page", "country"), [("overview", "IDN"), ("countries", "IDN"), ("overview", "MNG")])
def test_one_country_never_shows_a_100_percent_share_of_itself(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, page: str, country: str, lang: str
) -> None:
    """A one-country scope reads right and shows its share of the whole JCM, never 100% of itself."""
    at = open_page(real_db, monkeypatch, page, lang=lang, country=country)
    check_page(at, lang)
    values = [m.value.replace("\\", "") for m in at.metric]
    assert not [v for v in values if re.fullmatch(r"100(\.0+)?%", v)], values
    for _, columns, _ in shown_tables(at):
        for column, cells in columns.items():
            assert "100.0%" not in cells, column


def _table(at: AppTest, column: str) -> dict[str, list[str]]:
    """The shown text of the first table that has ``column``."""
    return next(columns for _, columns, _ in shown_tables(at) if column in columns)


def _cards(at: AppTest) -> dict[str, tuple[str, str]]:
    """Card label → (value, note) as shown (Markdown escapes removed)."""
    return {m.label.replace("\\", ""): (m.value.replace("\\", ""), m.proto.delta.replace("\\", "")) for m in at.metric}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_nothing_unknown_and_zero_read_differently_on_the_countries_page(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Ranking: "–" for a partner with no issuance, "unknown" where no issuance states an amount, counts as numbers.

    The profile of a partner with nothing itemized says "–" and why, never "0 t" or "0%".
    """
    t = i18n.translator(lang)
    names = oracle.country_names()
    nothing = sorted(iso3 for iso3 in names if not oracle.issuances(iso3))
    assert nothing, "the data has no partner without an issuance; this test needs one"
    iso3 = "PHL" if "PHL" in nothing else nothing[0]
    at = open_page(real_db, monkeypatch, "countries", lang=lang, country=iso3)
    check_page(at, lang)
    ranking = _table(at, "ISO3")
    assert sorted(ranking["ISO3"]) == sorted(names)  # every partner is listed
    for row, code in enumerate(ranking["ISO3"]):
        issued = oracle.issuances(code)
        assert ranking[t("table.credits_issued")][row] == cell_text(issued, t("unit.unknown")), code
        assert ranking[t("table.issuances")][row] == f"{len(issued):,}", code  # a count: 0 is a true zero
        if not issued:
            assert ranking[t("countries.col_share")][row] == "–" and ranking[t("countries.col_rank")][row] == "–"
    cards = _cards(at)
    assert cards[t("countries.card_issued")][0] == "–"
    assert cards[t("countries.card_share")][0] == "–"
    assert cards[t("table.issuances")][0] == "0"
    name = t.country(iso3, names[iso3])
    assert t.md("countries.no_dated_nothing", name=name) in [i.value for i in at.info]
    # the "no project" notice exactly when the partner has no project in the data
    assert (t.md("countries.no_projects", name=name) in [i.value for i in at.info]) == (not oracle.projects(iso3))


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_nothing_unknown_and_zero_read_differently_on_the_projects_page(
    real_db: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Each project's credits, alone and shared: "–" when no issuance names it, "unknown" when none states an amount.

    MN004's detail says which issuances there are, never "0 t-CO2e" for none.
    """
    t = i18n.translator(lang)
    at = open_page(real_db, monkeypatch, "projects", lang=lang, project="MN004")
    table = _table(at, t("projects.col_shared"))
    unknown = t("unit.unknown")
    assert sorted(table[t("table.reference")]) == sorted(r["project_ref"] for r in oracle.projects())
    for row, ref in enumerate(table[t("table.reference")]):
        alone, shared = oracle.issuances_alone_and_shared(ref)
        assert table[t("projects.col_issued")][row] == cell_text(alone, unknown), ref
        assert table[t("projects.col_shared")][row] == cell_text(shared, unknown), ref
    detail = _table(at, t("projects.field"))
    facts = dict(zip(detail[t("projects.field")], detail[t("projects.value")], strict=True))
    alone, shared = oracle.issuances_alone_and_shared("MN004")
    for label, rows, none in (
        ("projects.fact_issued", alone, "projects.fact_none_alone"),
        ("projects.fact_shared", shared, "projects.fact_none_shared"),
    ):
        text = cell_text(rows, unknown)
        assert facts[t(label)] == (t(none) if text == "–" else text if text == unknown else f"{text} t-CO2e")
