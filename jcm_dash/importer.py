"""Import updates from CSV or Excel files in the `data/` layout: validate all, then write atomically.

Every file (every sheet of a workbook) must match one importable layout: partner countries,
projects, issuances or published figures (``aggregates.csv``). Its rows are merged into the
store's rows by key: new keys are added, existing keys updated (the changed fields reported),
identical rows left as they are; nothing is deleted. The merged whole is validated with the same
rules as ``build``; only when no problem is found is a new store written and swapped in, so a
failed or interrupted import leaves the old store byte-identical.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jcm_dash import store
from jcm_dash.tables import IMPORTABLE, TARGETS, Table
from jcm_dash.validate import (
    ParsedTable,
    Problem,
    check_references,
    csv_rows,
    decode,
    parse_rows,
    size_problem,
)

# Limits: files are refused before being read past these, so memory stays bounded.
MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_XLSX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000


@dataclass
class Incoming:
    """One file or sheet of an import, parsed against the layout it matched."""

    label: str
    file_name: str
    sheet: str | None
    sha256: str
    parsed: ParsedTable


@dataclass
class TableChange:
    """What one file or sheet changes: keys added, keys updated with their changed fields, rows unchanged."""

    label: str
    table: str
    added: list[str] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0


@dataclass
class ImportResult:
    """The outcome of an import or a check."""

    problems: list[Problem]
    changes: list[TableChange]
    written: bool
    check_only: bool

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (``import --json``)."""
        return {
            "written": self.written,
            "check_only": self.check_only,
            "problems": [str(p) for p in self.problems],
            "changes": [
                {
                    "file": c.label,
                    "table": c.table,
                    "added": c.added,
                    "updated": [
                        {"key": u["key"], "changed": {k: [_json(a), _json(b)] for k, (a, b) in u["changed"].items()}}
                        for u in c.updated
                    ],
                    "unchanged": c.unchanged,
                }
                for c in self.changes
            ],
        }


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    return value


def detect_layout(header: list[str]) -> Table | None:
    """The importable layout whose columns best match ``header`` (at least half of them), else None."""
    scored = sorted(
        ((len(set(header) & set(spec.column_names)) / len(spec.column_names), spec) for spec in IMPORTABLE),
        key=lambda pair: pair[0],
        reverse=True,
    )
    best_score, best = scored[0]
    if best_score < 0.5 or (len(scored) > 1 and scored[1][0] == best_score):
        return None
    return best


def _no_layout(label: str, header: list[str]) -> Problem:
    if set(header) & set(TARGETS.column_names) == set(TARGETS.column_names):
        reason = "targets are not imported; change data/targets.csv and rebuild the store"
    else:
        layouts = ", ".join(spec.file for spec in IMPORTABLE)
        reason = f"the header matches none of the import layouts ({layouts}); see the README's data layout"
    return Problem(label, 1, "-", reason)


def read_csv_update(path: Path) -> tuple[list[Incoming], list[Problem]]:
    """One CSV update file: decoded, its layout detected from the header, its rows validated."""
    label = path.name
    too_big = size_problem(path, label, MAX_CSV_BYTES)
    if too_big:
        return [], [too_big]
    raw = path.read_bytes()
    text, problems = decode(raw, label)
    if text is None:
        return [], problems
    if text.strip() == "":
        return [], [Problem(label, 1, "-", "file is empty; expected a header row and data rows")]
    header, rows = csv_rows(text)
    if len(rows) > MAX_ROWS:
        return [], [Problem(label, MAX_ROWS + 2, "-", f"more than {MAX_ROWS:,} rows; split the file")]
    spec = detect_layout(header)
    if spec is None:
        return [], [_no_layout(label, header)]
    if not rows:
        return [], [Problem(label, 2, "-", "file has a header but no data rows")]
    parsed, problems = parse_rows(label, header, rows, spec)
    return [Incoming(label, path.name, None, store.sha256_of(path), parsed)], problems


def _cell_text(value: Any) -> str:
    """An Excel cell as the text a CSV would hold."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx_update(path: Path) -> tuple[list[Incoming], list[Problem]]:
    """Every sheet of a workbook: merged cells and formulas are refused, each sheet must match a layout."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    too_big = size_problem(path, path.name, MAX_XLSX_BYTES)
    if too_big:
        return [], [too_big]
    try:
        workbook = load_workbook(path, data_only=False)
    except Exception as err:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        return [], [Problem(path.name, 1, "-", f"not a readable .xlsx workbook ({type(err).__name__}: {err})")]
    digest = store.sha256_of(path)
    incoming: list[Incoming] = []
    problems: list[Problem] = []
    for sheet in workbook.worksheets:
        label = f"{path.name}[{sheet.title}]"
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        while values and all(v is None or str(v).strip() == "" for v in values[-1]):
            values.pop()
        if not values:
            problems.append(Problem(label, 1, "-", "sheet is empty; remove it or fill it in one of the layouts"))
            continue
        if len(values) - 1 > MAX_ROWS:
            problems.append(Problem(label, MAX_ROWS + 2, "-", f"more than {MAX_ROWS:,} rows; split the sheet"))
            continue
        header = [_cell_text(v).strip() for v in values[0]]
        while header and header[-1] == "":
            header.pop()
        width = len(header)

        def column_name(col: int, header: list[str] = header) -> str:
            return header[col - 1] if 0 < col <= len(header) and header[col - 1] else get_column_letter(col)

        sheet_problems = []
        for merged in sheet.merged_cells.ranges:
            where = "header" if merged.min_row == 1 else "data"
            reason = f"merged cells {merged.coord} in the {where}; unmerge them so each column has its own value"
            sheet_problems.append(Problem(label, merged.min_row, column_name(merged.min_col), reason))
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    reason = f"cell {cell.coordinate} holds a formula ({cell.value}); paste the values instead"
                    sheet_problems.append(Problem(label, cell.row, column_name(cell.column), reason))
        if sheet_problems:
            problems.extend(sheet_problems)
            continue
        spec = detect_layout(header)
        if spec is None:
            problems.append(_no_layout(label, header))
            continue
        rows = [(i, [_cell_text(v) for v in (row + [None] * width)[:width]]) for i, row in enumerate(values[1:], 2)]
        if not rows:
            problems.append(Problem(label, 2, "-", "sheet has a header but no data rows"))
            continue
        parsed, found = parse_rows(label, header, rows, spec)
        problems.extend(found)
        incoming.append(Incoming(label, path.name, sheet.title, digest, parsed))
    return incoming, problems


def read_update(path: Path) -> tuple[list[Incoming], list[Problem]]:
    """A CSV or Excel update file."""
    if not path.exists():
        return [], [Problem(path.name, 0, "-", f"file not found: {path}")]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_update(path)
    if suffix == ".xlsx":
        return read_xlsx_update(path)
    return [], [Problem(path.name, 0, "-", "not a .csv or .xlsx file (save it as CSV UTF-8 or Excel workbook)")]


def merge(
    current: dict[str, ParsedTable], incoming: list[Incoming], first_import_id: int
) -> tuple[dict[str, ParsedTable], list[TableChange]]:
    """Upsert the incoming rows into copies of the store's tables by key; nothing is deleted."""
    merged = {
        name: ParsedTable(table.spec, [dict(r) for r in table.rows], list(table.origins))
        for name, table in current.items()
    }
    positions = {name: {table.key_of(r): i for i, r in enumerate(table.rows)} for name, table in merged.items()}
    changes = []
    for offset, item in enumerate(incoming):
        spec = item.parsed.spec
        target, index = merged[spec.table], positions[spec.table]
        change = TableChange(item.label, spec.table)
        for record, origin in zip(item.parsed.rows, item.parsed.origins, strict=True):
            key = item.parsed.key_of(record)
            if any(v is None for v in key):
                continue  # already reported as a problem
            shown = " / ".join(str(v) for v in key)
            record = {**record, "_import_id": first_import_id + offset}
            if key not in index:
                index[key] = len(target.rows)
                target.add(record, origin)
                change.added.append(shown)
                continue
            old = target.rows[index[key]]
            changed = {c: (old.get(c), record.get(c)) for c in spec.column_names if old.get(c) != record.get(c)}
            if changed:
                target.rows[index[key]] = record
                target.origins[index[key]] = origin
                change.updated.append({"key": shown, "changed": changed})
            else:
                change.unchanged += 1
        changes.append(change)
    return merged, changes


def run_import(files: list[Path], db: Path, check_only: bool = False) -> ImportResult:
    """Validate ``files`` against the store at ``db`` and, unless ``check_only``, write the merged store.

    The store is replaced only when there is no problem at all; otherwise it is left untouched.
    """
    incoming: list[Incoming] = []
    problems: list[Problem] = []
    for path in files:
        found_tables, found_problems = read_update(Path(path))
        incoming.extend(found_tables)
        problems.extend(found_problems)
    con = store.connect_read_only(db)
    try:
        current, imports = store.load_tables(con)
    finally:
        con.close()
    first_id = int(imports["import_id"].max()) + 1 if len(imports) else 1
    merged, changes = merge(current, incoming, first_id)
    problems = sorted(set(problems) | set(check_references(merged)))
    if problems or check_only:
        return ImportResult(problems, changes, written=False, check_only=check_only)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    user = store.who()
    records = [
        {
            "import_id": first_id + offset,
            "kind": "import",
            "file_name": item.file_name,
            "sheet": item.sheet,
            "table_name": item.parsed.spec.table,
            "sha256": item.sha256,
            "rows": len(item.parsed.rows),
            "added": len(change.added),
            "updated": len(change.updated),
            "unchanged": change.unchanged,
            "imported_at": now,
            "imported_by": user,
        }
        for offset, (item, change) in enumerate(zip(incoming, changes, strict=True))
    ]
    all_imports = pd.concat([imports, pd.DataFrame(records, columns=store.IMPORT_COLUMNS)], ignore_index=True)
    frames = store.derive(merged, all_imports)
    con = store.connect_read_only(db)
    try:
        meta = store.read_meta(con)
    finally:
        con.close()
    meta["last_import_at"] = now.isoformat(timespec="seconds")
    store.write_store(frames, db, meta)
    return ImportResult([], changes, written=True, check_only=False)
