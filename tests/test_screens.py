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

from .conftest import open_page

PAGES = ("overview", "countries", "technologies", "projects", "projections", "article6", "briefing", "data")
# Whole words a user must never read; "(s)" and "(ies)" are plurals left to the reader.
FORBIDDEN = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\(s\)|\(ies\)|\(es\)")
AMOUNT = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?%?")


def _walk(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def page_text(at: AppTest) -> list[str]:
    """Every string the page shows outside tables: labels, values, notes, running text, chart text."""
    texts = []
    for node in _walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None or node.type in ("arrow_data_frame", "dataframe"):
            continue
        fields = MessageToDict(proto)
        if "spec" in fields:
            spec = json.loads(fields["spec"])
            texts += [s for trace in spec.get("data", []) for key in ("name", "text") for s in _strings(trace.get(key))]
            texts += list(_strings(spec.get("layout", {}).get("title")))
            continue
        texts += [s for name, v in fields.items() if name not in ("id", "formId", "url", "icon") for s in _strings(v)]
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
                wrong = [c for c in cells if c != unknown and not AMOUNT.fullmatch(c)]
                assert wrong == [], (column, wrong)
        for column in numeric:
            if (data[column] == display.UNKNOWN_SENTINEL).any():
                positions = data.index[data[column] == display.UNKNOWN_SENTINEL]
                assert {columns[column][data.index.get_loc(i)] for i in positions} == {unknown}, column


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
