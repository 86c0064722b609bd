"""Read and validate the sourced CSVs; every problem is collected as ``file:row:column: reason``.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
An Excel sheet is named in the file part: ``updates.xlsx[projects]:5:status_code: reason``.
The same rules serve ``build`` (data/*.csv) and ``import`` (update files merged with the store).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jcm_dash.tables import ALL_TABLES, ISSUANCES, PARTNER_COUNTRIES, PROJECTS, Column, Table

# Assume: no real CSV of this project comes near this; a bigger file is refused before it is read.
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024

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
    """A table's rows as typed values, each remembering where it came from (file label, row)."""

    spec: Table
    rows: list[dict[str, Any]] = field(default_factory=list)
    origins: list[tuple[str, int]] = field(default_factory=list)

    def key_of(self, record: dict[str, Any]) -> tuple[Any, ...]:
        """The record's key values."""
        return tuple(record.get(c) for c in self.spec.key)

    def add(self, record: dict[str, Any], origin: tuple[str, int]) -> None:
        """Append a row and where it came from."""
        self.rows.append(record)
        self.origins.append(origin)


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


def parse_cell(column: Column, text: str) -> Any:
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


def check_header(name: str, header: list[str], spec: Table) -> list[Problem]:
    """Missing, unknown-instead or repeated columns, reported on row 1."""
    problems = []
    missing = [c for c in spec.column_names if c not in header]
    unknown = [h for h in header if h not in spec.column_names]
    for col in missing:
        hint = f" (found unknown column(s): {', '.join(unknown)})" if unknown else ""
        problems.append(Problem(name, 1, col, f"required column is missing{hint}"))
    for col in sorted({h for h in header if header.count(h) > 1}):
        problems.append(Problem(name, 1, col, "column appears more than once in the header"))
    return problems


def parse_rows(
    name: str, header: list[str], rows: Iterable[tuple[int, list[str]]], spec: Table
) -> tuple[ParsedTable, list[Problem]]:
    """Validate rows of cell texts against ``spec``.

    A cell with a problem is returned as None, so cross-file checks still run on the row's other
    cells and every problem is reported in one pass.
    """
    problems = check_header(name, header, spec)
    parsed = ParsedTable(spec)
    if problems:
        return parsed, problems
    index = {h: i for i, h in enumerate(header)}
    seen_keys: dict[tuple[Any, ...], int] = {}
    for row_no, cells in rows:
        if not cells or all(str(c).strip() == "" for c in cells):
            continue
        if len(cells) != len(header):
            reason = f"has {len(cells)} cells, the header has {len(header)} (check quoting of commas)"
            problems.append(Problem(name, row_no, "-", reason))
            continue
        record: dict[str, Any] = {}
        for column in spec.columns:
            try:
                record[column.name] = parse_cell(column, str(cells[index[column.name]]).strip())
            except ValueError as err:
                problems.append(Problem(name, row_no, column.name, str(err)))
                record[column.name] = None
        key = parsed.key_of(record)
        if all(v is not None for v in key):
            if key in seen_keys:
                shown = " / ".join(str(v) for v in key)
                reason = f"duplicate key '{shown}' (first on row {seen_keys[key]})"
                problems.append(Problem(name, row_no, spec.key[0], reason))
            else:
                seen_keys[key] = row_no
        parsed.add(record, (name, row_no))
    return parsed, problems


def decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text (a BOM is dropped), or a problem naming the line with the first bad byte."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        reason = (
            f"not UTF-8 text (byte 0x{raw[err.start]:02x} at line {line}; Shift-JIS or Latin-1?); "
            "save the file as CSV UTF-8"
        )
        return None, [Problem(name, line, "-", reason)]


def size_problem(path: Path, name: str, max_bytes: int) -> Problem | None:
    """A problem when the file is over ``max_bytes`` (checked before reading it)."""
    size = path.stat().st_size
    if size > max_bytes:
        return Problem(name, 1, "-", f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes; split it")
    return None


def csv_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and numbered rows of a CSV text."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    return header, list(enumerate(reader, start=2))


def read_table(
    path: Path, spec: Table, display_name: str | None = None, max_bytes: int = MAX_FILE_BYTES
) -> tuple[ParsedTable, list[Problem]]:
    """Read one CSV against its spec, returning typed rows and every problem found."""
    name = display_name or path.name
    too_big = size_problem(path, name, max_bytes)
    if too_big:
        return ParsedTable(spec), [too_big]
    text, problems = decode(path.read_bytes(), name)
    if text is None:
        return ParsedTable(spec), problems
    if text.strip() == "":
        return ParsedTable(spec), [
            Problem(name, 1, "-", "file is empty; expected a header row: " + ",".join(spec.column_names))
        ]
    header, rows = csv_rows(text)
    return parse_rows(name, header, rows, spec)


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


def _overlaps(issuances: ParsedTable) -> list[Problem]:
    """Issuances of the same project whose monitoring periods overlap (both periods known).

    The problem is reported on the later-listed row of each pair, which for an import is the
    incoming row (store rows come first).
    """
    problems = []
    periods: dict[str, list[tuple[Any, Any, str, int]]] = {}
    for position, rec in enumerate(issuances.rows):
        start, end = rec.get("monitoring_period_start"), rec.get("monitoring_period_end")
        if start is None or end is None or start > end:
            continue
        for ref in rec.get("project_refs") or ():
            periods.setdefault(ref, []).append((start, end, rec["issuance_id"], position))
    for ref, spans in periods.items():
        for i, (start, end, issuance_id, position) in enumerate(spans):
            for other_start, other_end, other_id, _ in spans[:i]:
                if start <= other_end and other_start <= end and other_id != issuance_id:
                    name, row_no = issuances.origins[position]
                    reason = (
                        f"monitoring period {start}–{end} of project {ref} overlaps issuance {other_id} "
                        f"({other_start}–{other_end})"
                    )
                    problems.append(Problem(name, row_no, "monitoring_period_start", reason))
    return problems


def check_references(tables: dict[str, ParsedTable]) -> list[Problem]:
    """Cross-table checks on the whole set of rows.

    Countries are partners, issuances name known projects of their own country, amounts and
    periods are consistent, and the monitoring periods of one project do not overlap.
    """
    problems: list[Problem] = []
    partners = tables[PARTNER_COUNTRIES.table]
    partner_names = {r["country"] for r in partners.rows if r["country"]}
    seen_names: dict[str, int] = {}
    for rec, (name, row_no) in zip(partners.rows, partners.origins, strict=True):
        if rec["country"] is None:
            continue
        if rec["country"] in seen_names:
            reason = f"country name '{rec['country']}' appears twice (first on row {seen_names[rec['country']]})"
            problems.append(Problem(name, row_no, "country", reason))
        seen_names.setdefault(rec["country"], row_no)

    projects = tables[PROJECTS.table]
    project_country = {r["project_ref"]: r["country"] for r in projects.rows}
    for rec, (name, row_no) in zip(projects.rows, projects.origins, strict=True):
        if rec["country"] is not None and rec["country"] not in partner_names:
            problems.append(Problem(name, row_no, "country", f"'{rec['country']}' is not a partner country"))

    issuances = tables[ISSUANCES.table]
    for rec, (name, row_no) in zip(issuances.rows, issuances.origins, strict=True):
        if rec["country"] is not None and rec["country"] not in partner_names:
            problems.append(Problem(name, row_no, "country", f"'{rec['country']}' is not a partner country"))
        for ref in rec["project_refs"] or ():
            if ref not in project_country:
                problems.append(Problem(name, row_no, "project_refs", f"unknown project '{ref}'"))
            elif rec["country"] is not None and project_country[ref] != rec["country"]:
                reason = f"project '{ref}' is in {project_country[ref]}, not {rec['country']}"
                problems.append(Problem(name, row_no, "project_refs", reason))
        for column, reason in check_issuance_row(rec):
            problems.append(Problem(name, row_no, column, reason))
    problems.extend(_overlaps(issuances))
    return problems


def read_data_dir(data_dir: Path) -> dict[str, ParsedTable]:
    """Read and validate every CSV of the `data/` layout; raise ValidationError listing all problems."""
    problems: list[Problem] = []
    tables: dict[str, ParsedTable] = {}
    for spec in ALL_TABLES:
        path = data_dir / spec.file
        if not path.exists():
            problems.append(Problem(spec.file, 0, "-", f"file not found in {data_dir}"))
            tables[spec.table] = ParsedTable(spec)
            continue
        parsed, found = read_table(path, spec)
        tables[spec.table] = parsed
        problems.extend(found)
    problems.extend(check_references(tables))
    if problems:
        raise ValidationError(problems)
    return tables
