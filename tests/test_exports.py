"""CSV and Excel exports: header rows state the scope, rows are the table, formulas never run."""

import csv
import io

import pandas as pd
from openpyxl import load_workbook

from jcm_dash import exports
from jcm_dash.exports import ExportMeta

META = ExportMeta(
    "projects", "Scope: Mongolia; all technologies; all fiscal years.", "2026-05-16", ["https://a", "https://b"]
)
TABLE = pd.DataFrame(
    {
        "Reference": ["MN001", '=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "plain"],
        "Credits (t-CO2e)": [100.0, None, 3.5, -4.0, 0.0, 12345.0],
        "When": [pd.Timestamp("2017-03-31"), pd.NaT, None, None, None, None],
    }
)


def test_csv_has_header_rows_then_exactly_the_table() -> None:
    """Five header rows (title, scope, as-of, sources, blank), the column names, then one line per row."""
    rows = list(csv.reader(io.StringIO(exports.to_csv(TABLE, META).decode("utf-8-sig"))))
    assert rows[0] == ["JCM dashboard export: projects"]
    assert rows[1] == ["Scope: Mongolia; all technologies; all fiscal years."]
    assert rows[2][0].startswith("Data as of 2026-05-16")
    assert rows[3] == ["Sources: https://a; https://b"]
    assert rows[4] == []
    assert rows[5] == ["Reference", "Credits (t-CO2e)", "When"]
    body = rows[6:]
    assert len(body) == len(TABLE)
    assert body[0] == ["MN001", "100.0", "2017-03-31"]
    assert body[1][1] == ""  # unknown stays empty


def test_csv_neutralises_formula_text_but_not_numbers() -> None:
    """Text starting with = + - @ gets an apostrophe; a negative number stays a number."""
    body = list(csv.reader(io.StringIO(exports.to_csv(TABLE, META).decode("utf-8-sig"))))[6:]
    assert [r[0] for r in body[1:5]] == ['\'=HYPERLINK("http://evil")', "'+1", "'-2", "'@SUM(A1)"]
    assert body[3][1] == "-4.0"


def test_xlsx_stores_formula_looking_text_as_text() -> None:
    """No cell in the workbook is a formula; the text reads exactly as in the data."""
    workbook = load_workbook(io.BytesIO(exports.to_xlsx(TABLE, META, sheet="projects")))
    sheet = workbook["projects"]
    assert sheet["A1"].value == "JCM dashboard export: projects"
    assert sheet["A2"].value == META.scope
    assert sheet["A4"].value == "Sources: https://a; https://b"
    assert [c.value for c in sheet[6]] == ["Reference", "Credits (t-CO2e)", "When"]
    assert sheet["A8"].value == '=HYPERLINK("http://evil")'
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["B7"].value == 100
    assert sheet["B10"].value == -4
    assert sheet["B8"].value is None
    assert sheet.max_row == 6 + len(TABLE)


def test_file_stem_names_scope_and_date() -> None:
    """Files are named with what they hold, their scope and the data's date."""
    assert exports.file_stem("countries", META.scope, META.as_of) == (
        "jcm_countries_Mongolia-all-technologies-all-fiscal-years_2026-05-16"
    )
