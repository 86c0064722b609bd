"""Read and validate the sourced CSVs; every problem is collected as ``file:row:column: reason``.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2.
An Excel sheet is named in the file part: ``updates.xlsx[projects]:5:status_code: reason``.
The same rules serve ``build`` (data/*.csv) and ``import`` (update files merged with the store).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jcm_dash.tables import ALL_TABLES, ARTICLE6_AGREEMENTS, ISSUANCES, PARTNER_COUNTRIES, PROJECTS, Column, Table

# Assume: no real CSV of this project comes near this; a bigger file is refused before it is read.
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024

_ISO3 = re.compile(r"^[A-Z]{3}$")
# A space (what str.isspace() calls one: re's \s is the same set) or a control character (Unicode
# category Cc: U+0000-U+001F, U+007F-U+009F), found by one regex search rather than a Python loop
# over the characters of every source link (a quarter of a 145,000-row import's validation).
_URL_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")
_PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# Assume: no single JCM figure comes near a trillion tonnes (the world emits ~5e10 t a year); a bigger
# one is a typing slip or an attack, and a 400-digit "amount" would otherwise become infinity.
MAX_AMOUNT_TCO2 = 1e12
# Whole numbers (partner_order) are stored as 32-bit integers.
MAX_INT = 2_147_483_647
# The longest cell a CSV may hold (Python's csv default): a longer one is nearly always an opening
# quote that is never closed, which swallows the rest of the file into one field.
MAX_FIELD_CHARS = 131_072
# Typed cells are read after Unicode NFKC normalisation, so full-width digits and signs typed with
# a Japanese input method (２０１９－０５－０１) read as 2019-05-01.
_TYPED_KINDS = {"iso3", "date", "partial_date", "amount", "int"}
# Encodings a user may name for CSV files (import --encoding, the data page's check).
ENCODINGS = {"utf-8": "UTF-8", "cp932": "Shift-JIS (cp932)", "cp1252": "Windows Latin-1 (cp1252)"}


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


def counted(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and an English noun in the form ``n`` needs (``1 problem``, ``2 problems``): messages never say "(s)"."""
    return f"{n:,} {singular if n == 1 else plural or singular + 's'}"


def shown(text: str, limit: int = 60) -> str:
    """A cell's text as quoted in a message: cut to ``limit`` characters, so a huge cell makes no huge report."""
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def parse_date(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly (a real calendar day), raising ValueError with the reason."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"'{shown(text)}' is not a date in YYYY-MM-DD form")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar day") from None


def parse_cell(column: Column, text: str) -> Any:
    """Turn one cell's text into its typed value (None when empty), or raise ValueError."""
    if column.kind in _TYPED_KINDS and not text.isascii():  # ASCII text is its own NFKC form
        text = unicodedata.normalize("NFKC", text).strip()
    if text == "":
        if column.required:
            raise ValueError("required value is empty")
        return None
    if column.choices and text not in column.choices:
        raise ValueError(f"'{shown(text)}' is not one of: {', '.join(column.choices)}")
    if column.kind == "iso3":
        if not _ISO3.match(text):
            raise ValueError(f"'{shown(text)}' is not an ISO 3166 alpha-3 code (three capital letters)")
        return text
    if column.kind == "url":
        return parse_url(text)
    if column.kind == "source":
        return parse_source(text)
    if column.kind == "date":
        return parse_date(text)
    if column.kind == "partial_date":
        if not _PARTIAL_DATE.match(text):
            raise ValueError(f"'{shown(text)}' is not YYYY, YYYY-MM or YYYY-MM-DD")
        padded = (text + "-01-01")[:10] if len(text) == 4 else (text + "-01")[:10]
        parse_date(padded)
        return text
    if column.kind == "amount":
        if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
            raise ValueError(f"'{shown(text)}' is not a number of t-CO2e (digits and an optional decimal point)")
        value = float(text)
        if value < 0:
            raise ValueError(f"{shown(text)} is negative; amounts must be >= 0")
        if not math.isfinite(value) or value > MAX_AMOUNT_TCO2:
            raise ValueError(
                f"{shown(text)} is not a plausible amount (over {MAX_AMOUNT_TCO2:,.0f} t-CO2e); check the value"
            )
        return value
    if column.kind == "int":
        if not re.fullmatch(r"-?\d+", text):
            raise ValueError(f"'{shown(text)}' is not a whole number")
        if len(text) > 11 or abs(int(text)) > MAX_INT:
            raise ValueError(f"{shown(text)} is out of range (at most {MAX_INT:,})")
        return int(text)
    if column.kind == "refs":
        refs = [r.strip() for r in text.split(";")]
        if any(r == "" for r in refs):
            raise ValueError(f"'{text}' has an empty project reference (use ';' between references)")
        return tuple(refs)
    return text


def parse_url(text: str) -> str:
    """A source link: an absolute ``http(s)://host/...`` address, or ValueError (``javascript:``, ``data:``...)."""
    try:
        parts = urlsplit(text)
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or _URL_SPACE_OR_CONTROL.search(text)
    ):
        raise ValueError(
            f"'{shown(text)}' is not a web address; a source link must start with https:// or http:// "
            "and contain no spaces"
        )
    return text


# A scheme at the start ("https:", "javascript:", "data:"): such a text is a link, and must be a web address.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def parse_source(text: str) -> str:
    """A source: an http(s) link (checked as ``parse_url``), or a source's name with no link ("JCM Chile - Japan").

    A name is kept as text and never rendered as a link; a text that starts with a scheme is a link
    and must be a web address (``javascript:alert(1)`` is refused).
    """
    if _SCHEME.match(text):
        try:
            return parse_url(text)
        except ValueError:
            raise ValueError(
                f"'{shown(text)}' starts like a link but is not a web address; give an https:// or http:// link, "
                "or the source's name without a colon after its first word"
            ) from None
    return text


def delimiter_hint(header: list[str]) -> str | None:
    """What is wrong when a whole header sits in one cell: a semicolon- or tab-separated file."""
    if len(header) != 1:
        return None
    for mark, words in ((";", "semicolons"), ("\t", "tabs")):
        if header[0].count(mark) >= 2:
            return (
                f"the header is one column holding {words}: the file is separated by {words}, not commas; "
                "save it as CSV (comma-separated), UTF-8"
            )
    return None


def check_header(name: str, header: list[str], spec: Table) -> list[Problem]:
    """Missing, unknown or repeated columns, reported on row 1.

    An unknown column is a problem even when nothing is missing: its values would otherwise be
    dropped without a word.
    """
    hint = delimiter_hint(header)
    if hint:
        return [Problem(name, 1, "-", hint)]
    problems = []
    missing = [c for c in spec.column_names if c not in header]
    unknown = [h for h in header if h not in spec.column_names]
    for col in missing:
        listed = ", ".join(shown(u, 40) for u in unknown)
        found = f" (found unknown {'column' if len(unknown) == 1 else 'columns'}: {listed})" if unknown else ""
        problems.append(Problem(name, 1, col, f"required column is missing{found}"))
    if not missing:
        for position, col in enumerate(header, start=1):
            if col not in spec.column_names:
                label = shown(col, 40) if col else f"(column {position}, no name)"
                reason = (
                    f"unknown column {label!r}: it is not in the layout of {spec.file}, so its values would be "
                    "lost; remove it or correct its name (see the README's data layout)"
                )
                problems.append(Problem(name, 1, label, reason))
    for col in sorted({h for h in header if header.count(h) > 1}):
        problems.append(Problem(name, 1, col, "column appears more than once in the header"))
    return problems


def title_rows_hint(
    name: str, rows: list[tuple[int, list[str]]], specs: Iterable[Table], look: int = 10
) -> Problem | None:
    """When a layout's header sits a few rows down (title rows above it), say where."""
    for row_no, cells in rows[:look]:
        names = {str(c).strip() for c in cells}
        for spec in specs:
            if len(names & set(spec.column_names)) >= max(2, len(spec.column_names) // 2):
                above = row_no - 1
                return Problem(
                    name,
                    1,
                    "-",
                    f"the header of {spec.file} is on row {row_no}: remove the {counted(above, 'row')} above it "
                    "(titles, notes, empty rows) so the header is row 1",
                )
    return None


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


def decode(raw: bytes, name: str, encoding: str = "utf-8") -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8 unless ``encoding`` names another; a BOM is dropped), or a problem saying why not.

    A workbook saved under a .csv name is named as such, and a file that is not UTF-8 gets the
    encoding it seems to be in and the ``--encoding`` option that reads it.
    """
    if raw.startswith(b"PK\x03\x04"):
        return None, [
            Problem(
                name,
                1,
                "-",
                "this is an Excel workbook (.xlsx) with a .csv name; rename it to .xlsx, "
                "or save it from Excel as CSV UTF-8",
            )
        ]
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return None, [Problem(name, 1, "-", "this is an old Excel workbook (.xls); save it as .xlsx or as CSV UTF-8")]
    codec = codecs.lookup(encoding).name
    try:
        text = raw.decode("utf-8-sig" if codec == "utf-8" else encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        label = ENCODINGS.get(codec, encoding)
        if codec != "utf-8":
            reason = f"not {label} text (byte 0x{raw[err.start]:02x} at line {line}); check the encoding"
            return None, [Problem(name, line, "-", reason)]
        try:
            raw.decode("cp932")
            guess = "it reads as Shift-JIS (cp932): import it with --encoding cp932, or save it as CSV UTF-8"
        except UnicodeDecodeError:
            guess = "Latin-1? give its encoding with --encoding (for example cp1252), or save it as CSV UTF-8"
        reason = f"not UTF-8 text (byte 0x{raw[err.start]:02x} at line {line}; {guess})"
        return None, [Problem(name, line, "-", reason)]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [
            Problem(name, line, "-", "the file holds NUL bytes: it is not a text file (UTF-16?); save it as CSV UTF-8")
        ]
    return text.removeprefix("\ufeff"), []


def size_problem(path: Path, name: str, max_bytes: int) -> Problem | None:
    """A problem when the file is over ``max_bytes`` (checked before reading it)."""
    size = path.stat().st_size
    if size > max_bytes:
        return Problem(name, 1, "-", f"file is {size:,} bytes, over the limit of {max_bytes:,} bytes; split it")
    return None


def csv_rows(text: str, name: str = "") -> tuple[list[str], list[tuple[int, list[str]]], list[Problem]]:
    """Header, numbered rows and reading problems of a CSV text.

    A field over MAX_FIELD_CHARS or a broken quote stops the reading there with a problem on
    that row, instead of Python's csv error.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    next_row = 1
    try:
        header = [h.strip() for h in next(reader)]
        next_row = 2
        for cells in reader:
            rows.append((next_row, cells))
            next_row += 1
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            reason = (
                f'a cell here is longer than {MAX_FIELD_CHARS:,} characters: most often a quote (") that opens '
                "a cell and is never closed; check the quotes"
            )
        else:
            reason = f"the CSV cannot be read here ({err}); check the quotes on this row"
        return header, rows, [Problem(name, next_row, "-", reason)]
    return header, rows, []


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
    header, rows, problems = csv_rows(text, name)
    if problems:
        return ParsedTable(spec), problems
    if not set(header) & set(spec.column_names):
        hint = title_rows_hint(name, rows, [spec])
        if hint:
            return ParsedTable(spec), [hint]
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

    Sort and sweep, O(n log n) per project: periods sorted by start, each compared with the one
    reaching furthest among those that start before it; it overlaps some earlier period exactly
    when it starts on or before that one's end. The problem is reported on the later-listed row of
    the pair, which for an import is the incoming row (store rows come first).
    """
    problems = []
    periods: dict[str, list[tuple[Any, Any, int]]] = {}
    for position, rec in enumerate(issuances.rows):
        start, end = rec.get("monitoring_period_start"), rec.get("monitoring_period_end")
        if start is None or end is None or start > end:
            continue
        for ref in dict.fromkeys(rec.get("project_refs") or ()):
            periods.setdefault(ref, []).append((start, end, position))
    for ref, spans in periods.items():
        spans.sort()
        furthest: tuple[Any, Any, int] | None = None
        for span in spans:
            start, end, position = span
            if furthest is not None and start <= furthest[1]:
                other = furthest
                if issuances.rows[other[2]]["issuance_id"] != issuances.rows[position]["issuance_id"]:
                    later, earlier = (span, other) if position > other[2] else (other, span)
                    name, row_no = issuances.origins[later[2]]
                    reason = (
                        f"monitoring period {later[0]}–{later[1]} of project {ref} overlaps issuance "
                        f"{issuances.rows[earlier[2]]['issuance_id']} ({earlier[0]}–{earlier[1]})"
                    )
                    problems.append(Problem(name, row_no, "monitoring_period_start", reason))
            if furthest is None or end > furthest[1]:
                furthest = span
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
    agreements = tables.get(ARTICLE6_AGREEMENTS.table) or ParsedTable(ARTICLE6_AGREEMENTS)
    for rec, (name, row_no) in zip(agreements.rows, agreements.origins, strict=True):
        if rec["associated_projects"] is not None and rec["associated_projects"] < 0:
            reason = f"{rec['associated_projects']} is negative; a number of projects is 0 or more"
            problems.append(Problem(name, row_no, "associated_projects", reason))
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
        # Named by its path in the layout (article6/agreements.csv:5:date), not its bare file name.
        parsed, found = read_table(path, spec, display_name=spec.file)
        tables[spec.table] = parsed
        problems.extend(found)
    problems.extend(check_references(tables))
    if problems:
        raise ValidationError(problems)
    return tables
