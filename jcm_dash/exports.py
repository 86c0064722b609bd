"""Downloads of exactly the data behind a view: CSV and Excel, with header rows stating the scope.

Header rows: the title, the filters, the data's as-of date and the sources; then one blank row,
the column names and the rows. Text that starts with = + - @ (or a tab / carriage return) could
run as a formula in a spreadsheet: in CSV it is prefixed with an apostrophe (the usual guard), and
in Excel it is written as a plain text cell (tests/test_exports.py opens both and checks).
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from jcm_dash.i18n import translator
from jcm_dash.tables import Table

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HEADER_ROWS = 5  # title, scope, as-of, sources, blank


@dataclass(frozen=True)
class ExportMeta:
    """What the header rows say about an export, in the language ``lang``.

    ``file_scope`` names the scope in file names (ASCII-friendly English); ``scope`` when empty.
    """

    title: str
    scope: str
    as_of: str
    sources: list[str] = field(default_factory=list)
    lang: str = "en"
    file_scope: str | None = None

    def rows(self) -> list[list[str]]:
        """The header rows above the table."""
        t = translator(self.lang)
        sources = "; ".join(self.sources) if self.sources else t("export.sources_none")
        return [
            [t("export.title", title=self.title)],
            [self.scope],
            [f"{t('export.as_of', date=self.as_of)} {t('export.unknown_note')}"],
            [t("export.sources", sources=sources)],
            [],
        ]


def csv_safe(value: Any) -> Any:
    """Prefix text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _cell_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return value


def to_csv(table: pd.DataFrame, meta: ExportMeta) -> bytes:
    """The table as UTF-8 CSV (with a BOM, so Excel reads Japanese and dashes correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in meta.rows():
        writer.writerow([csv_safe(cell) for cell in row])
    writer.writerow([csv_safe(str(c)) for c in table.columns])
    for record in table.itertuples(index=False):
        writer.writerow(["" if (v := _cell_value(cell)) is None else csv_safe(v) for cell in record])
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: pd.DataFrame, meta: ExportMeta, sheet: str = "data") -> bytes:
    """The table as an Excel workbook; every text cell is stored as text, never as a formula."""
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "data"

    def put(row: int, column: int, value: Any) -> None:
        cell = worksheet.cell(row=row, column=column)
        value = _cell_value(value)
        if hasattr(value, "item"):  # numpy scalar
            value = value.item()
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula

    for r, row in enumerate(meta.rows(), start=1):
        for c, value in enumerate(row, start=1):
            put(r, c, value)
    worksheet.cell(row=1, column=1).font = Font(bold=True)
    header_row = HEADER_ROWS + 1
    for c, name in enumerate(table.columns, start=1):
        put(header_row, c, str(name))
        worksheet.cell(row=header_row, column=c).font = Font(bold=True)
    for r, record in enumerate(table.itertuples(index=False), start=header_row + 1):
        for c, value in enumerate(record, start=1):
            put(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_stem(name: str, scope: str, as_of: str) -> str:
    """A file name stem like ``jcm_countries_Mongolia_2026-05-16``."""
    scope_part = re.sub(r"[^A-Za-z0-9]+", "-", scope.removeprefix("Scope: ")).strip("-")[:60]
    return f"jcm_{name}_{scope_part}_{as_of}"


def template_csv(spec: Table) -> bytes:
    """An empty CSV in ``spec``'s layout: the header row only, UTF-8."""
    return (",".join(spec.column_names) + "\r\n").encode("utf-8")


def template_xlsx(specs: tuple[Table, ...]) -> bytes:
    """An empty workbook with one sheet per layout, named after its table, header row in bold."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in specs:
        sheet = workbook.create_sheet(spec.table)
        sheet.append(spec.column_names)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
