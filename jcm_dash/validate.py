"""Read and validate the sourced CSVs; every problem is collected as ``file:row:column: reason``.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jcm_dash.tables import ALL_TABLES, ISSUANCES, PARTNER_COUNTRIES, PROJECTS, Column, Table

# Assume: no real CSV of this project exceeds this; a bigger file is refused rather than read.
MAX_FILE_BYTES = 200 * 1024 * 1024

_ISO3 = re.compile(r"^[A-Z]{3}$")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located by file, row and column."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.reason}"


@dataclass
class ParsedTable:
    """A file's rows as typed values, each row remembering its spreadsheet row number."""

    spec: Table
    file: str
    rows: list[dict[str, Any]]
    row_numbers: list[int]


class ValidationError(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly (a real calendar day), raising ValueError with the reason."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"'{text}' is not a date in YYYY-MM-DD form")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar day") from None


def _parse_cell(column: Column, text: str) -> Any:
    """Turn one cell's text into its typed value (None when empty), or raise ValueError."""
    if text == "":
        if column.required:
            raise ValueError("required value is empty")
        return None
    if column.choices and text not in column.choices:
        raise ValueError(f"'{text}' is not one of: {', '.join(column.choices)}")
    if column.kind == "iso3":
        if not _ISO3.match(text):
            raise ValueError(f"'{text}' is not an ISO 3166 alpha-3 code (three capital letters)")
        return text
    if column.kind == "date":
        return parse_date(text)
    if column.kind == "partial_date":
        if not _PARTIAL_DATE.match(text):
            raise ValueError(f"'{text}' is not YYYY, YYYY-MM or YYYY-MM-DD")
        padded = (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]
        parse_date(padded)
        return text
    if column.kind == "amount":
        if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
            raise ValueError(f"'{text}' is not a number of t-CO2e (digits and an optional decimal point)")
        value = float(text)
        if value < 0:
            raise ValueError(f"{text} is negative; amounts must be >= 0")
        return value
    if column.kind == "int":
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"'{text}' is not a whole number")
        return int(text)
    if column.kind == "refs":
        refs = [r.strip() for r in text.split(";")]
        if any(r == "" for r in refs):
            raise ValueError(f"'{text}' has an empty project reference (use ';' between references)")
        return tuple(refs)
    return text


def read_table(path: Path, spec: Table, display_name: str | None = None) -> tuple[ParsedTable, list[Problem]]:
    """Read one CSV against its spec, returning typed rows and every problem found.

    A cell with a problem is returned as None, so cross-file checks still run on the row's other
    cells and every problem is reported in one pass.
    """
    name = display_name or path.name
    problems: list[Problem] = []
    empty = ParsedTable(spec, name, [], [])
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        mib = MAX_FILE_BYTES // (1024 * 1024)
        return empty, [Problem(name, 1, "-", f"file is {size:,} bytes, over the {mib} MiB limit")]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        reason = f"not UTF-8 text (byte 0x{raw[err.start]:02x} at line {line}); save the file as UTF-8"
        return empty, [Problem(name, line, "-", reason)]
    if text.strip() == "":
        return empty, [Problem(name, 1, "-", "file is empty; expected a header row: " + ",".join(spec.column_names))]

    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    missing = [c for c in spec.column_names if c not in header]
    unknown = [h for h in header if h not in spec.column_names]
    for col in missing:
        hint = f" (found unknown column(s): {', '.join(unknown)})" if unknown else ""
        problems.append(Problem(name, 1, col, f"required column is missing{hint}"))
    dupes = sorted({h for h in header if header.count(h) > 1})
    for col in dupes:
        problems.append(Problem(name, 1, col, "column appears more than once in the header"))
    if missing or dupes:
        return empty, problems

    index = {h: i for i, h in enumerate(header)}
    rows: list[dict[str, Any]] = []
    row_numbers: list[int] = []
    seen_keys: dict[Any, int] = {}
    for row_no, cells in enumerate(reader, start=2):
        if not cells or all(c.strip() == "" for c in cells):
            continue
        if len(cells) != len(header):
            reason = f"has {len(cells)} cells, the header has {len(header)} (check quoting of commas)"
            problems.append(Problem(name, row_no, "-", reason))
            continue
        record: dict[str, Any] = {}
        for column in spec.columns:
            cell = cells[index[column.name]].strip()
            try:
                record[column.name] = _parse_cell(column, cell)
            except ValueError as err:
                problems.append(Problem(name, row_no, column.name, str(err)))
                record[column.name] = None
        if spec.key and record.get(spec.key) is not None:
            key = record[spec.key]
            if key in seen_keys:
                reason = f"duplicate key '{key}' (first on row {seen_keys[key]})"
                problems.append(Problem(name, row_no, spec.key, reason))
            else:
                seen_keys[key] = row_no
        rows.append(record)
        row_numbers.append(row_no)
    return ParsedTable(spec, name, rows, row_numbers), problems


def check_issuance_row(record: dict[str, Any]) -> list[tuple[str, str]]:
    """Check one issuance's internal consistency; return (column, reason) pairs."""
    found: list[tuple[str, str]] = []
    start, end = record.get("monitoring_period_start"), record.get("monitoring_period_end")
    if start and end and start > end:
        found.append(("monitoring_period_end", f"monitoring period ends ({end}) before it starts ({start})"))
    total = record.get("credits_issued_tco2")
    japan, partner = record.get("japan_side_tco2"), record.get("partner_side_tco2")
    if total is not None and japan is not None and partner is not None and japan + partner > total:
        reason = f"Japanese side {japan:g} + partner side {partner:g} is more than the total {total:g}"
        found.append(("credits_issued_tco2", reason))
    goj = record.get("goj_share_tco2")
    if total is not None and goj is not None and goj > total:
        found.append(("goj_share_tco2", f"GoJ share {goj:g} is more than the total issued {total:g}"))
    return found


def check_references(tables: dict[str, ParsedTable]) -> list[Problem]:
    """Cross-file checks: countries are partners, issuances name known projects of their country."""
    problems: list[Problem] = []
    partners = tables[PARTNER_COUNTRIES.table]
    partner_names = {r["country"] for r in partners.rows if r["country"]}
    seen_names: dict[str, int] = {}
    for rec, row_no in zip(partners.rows, partners.row_numbers, strict=True):
        if rec["country"] is None:
            continue
        if rec["country"] in seen_names:
            reason = f"country name '{rec['country']}' appears twice (first on row {seen_names[rec['country']]})"
            problems.append(Problem(partners.file, row_no, "country", reason))
        seen_names.setdefault(rec["country"], row_no)

    projects = tables[PROJECTS.table]
    project_country = {r["project_ref"]: r["country"] for r in projects.rows}
    for rec, row_no in zip(projects.rows, projects.row_numbers, strict=True):
        if rec["country"] is not None and rec["country"] not in partner_names:
            problems.append(Problem(projects.file, row_no, "country", f"'{rec['country']}' is not a partner country"))

    issuances = tables[ISSUANCES.table]
    for rec, row_no in zip(issuances.rows, issuances.row_numbers, strict=True):
        if rec["country"] is not None and rec["country"] not in partner_names:
            problems.append(Problem(issuances.file, row_no, "country", f"'{rec['country']}' is not a partner country"))
        for ref in rec["project_refs"] or ():
            if ref not in project_country:
                problems.append(Problem(issuances.file, row_no, "project_refs", f"unknown project '{ref}'"))
            elif rec["country"] is not None and project_country[ref] != rec["country"]:
                reason = f"project '{ref}' is in {project_country[ref]}, not {rec['country']}"
                problems.append(Problem(issuances.file, row_no, "project_refs", reason))
        for column, reason in check_issuance_row(rec):
            problems.append(Problem(issuances.file, row_no, column, reason))
    return problems


def read_data_dir(data_dir: Path) -> dict[str, ParsedTable]:
    """Read and validate every CSV of the `data/` layout; raise ValidationError listing all problems."""
    problems: list[Problem] = []
    tables: dict[str, ParsedTable] = {}
    for spec in ALL_TABLES:
        path = data_dir / spec.file
        if not path.exists():
            problems.append(Problem(spec.file, 0, "-", f"file not found in {data_dir}"))
            tables[spec.table] = ParsedTable(spec, spec.file, [], [])
            continue
        parsed, found = read_table(path, spec)
        tables[spec.table] = parsed
        problems.extend(found)
    problems.extend(check_references(tables))
    if problems:
        raise ValidationError(problems)
    return tables
