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
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from jcm_dash import store, xlsx
from jcm_dash.tables import IMPORTABLE, TARGETS, Table
from jcm_dash.validate import (
    ParsedTable,
    Problem,
    check_references,
    csv_rows,
    decode,
    delimiter_hint,
    parse_rows,
    shown,
    size_problem,
    title_rows_hint,
)

# Limits: files are refused before being read past these, so memory stays bounded.
MAX_CSV_BYTES = 50 * 1024 * 1024
MAX_XLSX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000


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


def _no_layout(label: str, header: list[str], rows: list[tuple[int, list[str]]] = ()) -> Problem:
    if set(header) & set(TARGETS.column_names) == set(TARGETS.column_names):
        reason = "targets are not imported; change data/targets.csv and rebuild the store"
    elif delimiter_hint(header):
        reason = delimiter_hint(header)
    elif hint := title_rows_hint(label, list(rows), IMPORTABLE):
        return hint
    else:
        layouts = ", ".join(spec.file for spec in IMPORTABLE)
        reason = f"the header matches none of the import layouts ({layouts}); see the README's data layout"
    return Problem(label, 1, "-", reason)


def read_csv_update(path: Path, encoding: str = "utf-8") -> tuple[list[Incoming], list[Problem]]:
    """One CSV update file: decoded, its layout detected from the header, its rows validated."""
    label = path.name
    too_big = size_problem(path, label, MAX_CSV_BYTES)
    if too_big:
        return [], [too_big]
    raw = path.read_bytes()
    text, problems = decode(raw, label, encoding)
    del raw
    if text is None:
        return [], problems
    if text.strip() == "":
        return [], [Problem(label, 1, "-", "file is empty; expected a header row and data rows")]
    header, rows, problems = csv_rows(text, label)
    del text
    if problems:
        return [], problems
    if len(rows) > MAX_ROWS:
        return [], [Problem(label, MAX_ROWS + 2, "-", f"more than {MAX_ROWS:,} rows; split the file")]
    spec = detect_layout(header)
    if spec is None:
        return [], [_no_layout(label, header, rows[:10])]
    if not rows:
        return [], [Problem(label, 2, "-", "file has a header but no data rows")]
    parsed, problems = parse_rows(label, header, rows, spec)
    return [Incoming(label, path.name, None, store.sha256_of(path), parsed)], problems


def _hidden(sheet: xlsx.Sheet) -> str:
    name = shown(sheet.name, 40)
    if sheet.state == "veryHidden":
        return (
            f"sheet '{name}' is very hidden (only a macro or Excel's VBA editor can show it); "
            "check it there, then delete it or make it visible to import it"
        )
    return (
        f"sheet '{name}' is hidden; unhide it in Excel (right-click a sheet tab → Unhide) "
        "and check it, then delete it or leave it visible to import it"
    )


def _read_sheet(
    book: xlsx.Workbook, sheet: xlsx.Sheet, label: str, file_name: str, digest: str
) -> tuple[Incoming | None, list[Problem]]:
    """One sheet, streamed row by row (row limit enforced while reading), against the layout its header matches.

    Refused before any row is read: a hidden sheet, a sheet that is not a worksheet, merged cells.
    While reading: formulas (with their cells), values in columns without a header (they would
    be lost), more than MAX_ROWS rows (the reading stops there).
    """
    if sheet.state != "visible":
        return None, [Problem(label, 1, "-", _hidden(sheet))]
    if sheet.kind != "worksheet":
        reason = f"sheet '{shown(sheet.name, 40)}' is a {shown(sheet.kind, 20)}, not a sheet of cells; delete it"
        return None, [Problem(label, 1, "-", reason)]
    merged = book.merged_ranges(sheet)
    rows = book.rows(sheet, MAX_COLUMNS)
    first = next(rows, None)
    header = [text.strip() for text in first.cells] if first is not None and first.number == 1 else []
    while header and header[-1] == "":
        header.pop()
    width = len(header)

    def column_name(col: int) -> str:
        return header[col - 1] if 0 < col <= len(header) and header[col - 1] else xlsx.column_letter(col)

    if merged:
        problems = []
        for ref in merged:
            row, col = xlsx.range_start(ref)
            where = "header" if row == 1 else "data"
            reason = f"merged cells {ref} in the {where}; unmerge them so each column has its own value"
            problems.append(Problem(label, row, column_name(col), reason))
        return None, problems
    formulas: list[Problem] = []
    lost: list[Problem] = []
    state = {"rows": 0, "too_many": False}

    def note_formulas(row: xlsx.Row) -> None:
        for col, text in row.formulas:
            letter = xlsx.column_letter(col)
            reason = f"cell {letter}{row.number} holds a formula ({shown(text, 40)}); paste the values instead"
            formulas.append(Problem(label, row.number, column_name(col), reason))

    def cells(source: Iterator[xlsx.Row], max_col: int) -> Iterator[tuple[int, list[str]]]:
        for row in source:
            if row.formulas:
                note_formulas(row)
            texts = row.cells
            if not any(t.strip() for t in texts) and not row.beyond:
                continue
            state["rows"] += 1
            if state["rows"] > MAX_ROWS:
                state["too_many"] = True
                return  # the reading stops here: the rest of the sheet is never parsed
            extra = next((c for c, t in enumerate(texts[max_col:], start=max_col + 1) if t.strip()), row.beyond)
            if extra and width:
                letter = xlsx.column_letter(extra)
                value = texts[extra - 1] if extra <= len(texts) else ""
                reason = (
                    f"cell {letter}{row.number} holds a value ({shown(value, 40)!r}) but column {letter} has no "
                    "header, so it would be lost; name the column in row 1 or delete the value"
                )
                lost.append(Problem(label, row.number, letter, reason))
            yield row.number, texts[:max_col] if len(texts) >= max_col else texts + [""] * (max_col - len(texts))

    pending: list[xlsx.Row] = []  # a first row that is not row 1 is data, not a header
    if first is not None and first.number == 1:
        note_formulas(first)
    elif first is not None:
        pending.append(first)
    if width == 0:
        sample = list(itertools.islice(cells(itertools.chain(pending, rows), 30), 10))
        if not sample:
            return None, formulas or [
                Problem(label, 1, "-", "sheet is empty; remove it or fill it in one of the layouts")
            ]
        hint = title_rows_hint(label, sample, IMPORTABLE)
        reason = "row 1 is empty; put the header (the layout's column names) on row 1"
        return None, formulas or [hint or Problem(label, 1, "-", reason)]
    spec = detect_layout(header)
    if spec is None:
        first_rows = list(itertools.islice(cells(rows, min(max(width, 30), MAX_COLUMNS)), 10))
        return None, formulas or [_no_layout(label, header, [(1, header), *first_rows])]
    parsed, found = parse_rows(label, header, cells(rows, width), spec)
    if state["too_many"]:
        return None, [Problem(label, MAX_ROWS + 2, "-", f"more than {MAX_ROWS:,} rows; split the sheet")]
    if formulas:
        return None, formulas
    if not parsed.rows and not found and not lost:
        return None, [Problem(label, 2, "-", "sheet has a header but no data rows")]
    return Incoming(label, file_name, sheet.name, digest, parsed), found + lost


def read_xlsx_update(path: Path) -> tuple[list[Incoming], list[Problem]]:
    """Every sheet of a workbook, streamed (jcm_dash.xlsx); hidden sheets, merged cells and formulas are refused.

    Each sheet must match a layout. A workbook at the size limit is checked in seconds, with memory
    that does not grow with the sheet's size (bench/bench_import.py).
    """
    too_big = size_problem(path, path.name, MAX_XLSX_BYTES)
    if too_big:
        return [], [too_big]
    try:
        book = xlsx.Workbook(path)
    except xlsx.WorkbookError as err:
        return [], [Problem(path.name, 1, "-", f"not a readable .xlsx workbook: {err}")]
    digest = store.sha256_of(path)
    incoming: list[Incoming] = []
    problems: list[Problem] = []
    with book:
        if not book.sheets:
            return [], [Problem(path.name, 1, "-", "the workbook has no sheets of cells")]
        for sheet in book.sheets:
            label = f"{path.name}[{shown(sheet.name, 40)}]"
            try:
                item, found = _read_sheet(book, sheet, label, path.name, digest)
            except xlsx.WorkbookError as err:
                item, found = None, [Problem(label, 1, "-", f"the sheet cannot be read: {err}")]
            problems.extend(found)
            if item is not None:
                incoming.append(item)
    return incoming, problems


def read_update(path: Path, encoding: str = "utf-8") -> tuple[list[Incoming], list[Problem]]:
    """A CSV or Excel update file (``encoding`` applies to CSV)."""
    if not path.exists():
        return [], [Problem(path.name, 0, "-", f"file not found: {path}")]
    if path.is_dir():
        return [], [Problem(path.name, 0, "-", f"{path} is a folder; name the .csv or .xlsx files in it")]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_update(path, encoding)
    if suffix == ".xlsx":
        return read_xlsx_update(path)
    return [], [Problem(path.name, 0, "-", "not a .csv or .xlsx file (save it as CSV UTF-8 or Excel workbook)")]


def merge(
    current: dict[str, ParsedTable], incoming: list[Incoming], first_import_id: int
) -> tuple[dict[str, ParsedTable], list[TableChange], list[Problem]]:
    """Upsert the incoming rows into copies of the store's tables by key; nothing is deleted.

    The same key in two files (or sheets) of one import is a problem, like a duplicate within one
    file: which of the two should win is the user's call, not the order of the arguments.
    """
    merged = {
        name: ParsedTable(table.spec, [dict(r) for r in table.rows], list(table.origins))
        for name, table in current.items()
    }
    positions = {name: {table.key_of(r): i for i, r in enumerate(table.rows)} for name, table in merged.items()}
    changes = []
    problems: list[Problem] = []
    claimed: dict[tuple[str, tuple[Any, ...]], tuple[str, int]] = {}  # (table, key) -> first incoming file, row
    for offset, item in enumerate(incoming):
        spec = item.parsed.spec
        target, index = merged[spec.table], positions[spec.table]
        change = TableChange(item.label, spec.table)
        for record, origin in zip(item.parsed.rows, item.parsed.origins, strict=True):
            key = item.parsed.key_of(record)
            if any(v is None for v in key):
                continue  # already reported as a problem
            shown = " / ".join(str(v) for v in key)
            first = claimed.setdefault((spec.table, key), origin)
            if first[0] != origin[0]:
                reason = f"duplicate key '{shown}': also in {first[0]} row {first[1]}; keep it in one file only"
                problems.append(Problem(origin[0], origin[1], spec.key[0], reason))
                continue
            # In place, not a copy: the incoming rows are this import's own, and a copy of 200,000
            # rows was a third of a large workbook's peak memory.
            record["_import_id"] = first_import_id + offset
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
    return merged, changes, problems


def run_import(files: list[Path], db: Path, check_only: bool = False, encoding: str = "utf-8") -> ImportResult:
    """Validate ``files`` against the store at ``db`` and, unless ``check_only``, write the merged store.

    The store is replaced only when there is no problem at all; otherwise it is left untouched. A
    writing import holds the store's write lock from reading the store to the swap, so a second
    import waits for it and merges into its result (never a lost update).

    Raises:
        store.StoreError: the store is missing or damaged.
        writelock.StoreLockedError, writelock.StoreFolderError, store.StoreWriteError: the
            environment kept the import from writing; the store is unchanged.

    """
    incoming: list[Incoming] = []
    problems: list[Problem] = []
    for path in files:
        found_tables, found_problems = read_update(Path(path), encoding)
        incoming.extend(found_tables)
        problems.extend(found_problems)
    if check_only:
        return _merge_and_write(incoming, problems, Path(db), check_only=True)
    with store.writing(Path(db)):
        return _merge_and_write(incoming, problems, Path(db), check_only=False)


def _merge_and_write(incoming: list[Incoming], problems: list[Problem], db: Path, check_only: bool) -> ImportResult:
    con = store.connect_read_only(db)
    try:
        current, imports = store.load_tables(con)
        meta = store.read_meta(con)
    finally:
        con.close()
    first_id = int(imports["import_id"].max()) + 1 if len(imports) else 1
    merged, changes, duplicates = merge(current, incoming, first_id)
    problems = sorted(set(problems) | set(duplicates) | set(check_references(merged)))
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
    meta["last_import_at"] = now.isoformat(timespec="seconds")
    store.write_store(frames, db, meta)
    return ImportResult([], changes, written=True, check_only=False)
