"""Build the DuckDB store from validated CSVs, atomically, and open it read-only for readers."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import functools
import getpass
import hashlib
import os
import re
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from jcm_dash import article6, paths, writelock
from jcm_dash.fiscal import fiscal_year
from jcm_dash.tables import (
    ALL_TABLES,
    ARTICLE6_AGREEMENTS,
    ARTICLE6_BUYER_FACTS,
    ISSUANCES,
    PARTNER_COUNTRIES,
    PROJECTS,
    PUBLISHED_FIGURES,
    TARGETS,
    Table,
)
from jcm_dash.validate import ParsedTable, read_data_dir

SCHEMA_VERSION = "7"  # 7: the Article 6 tables (article6_agreements, article6_buyer_facts)
DATA_TABLES = ALL_TABLES  # every data/ file, in build order (tables.py is the one list)
IMPORT_COLUMNS = [
    "import_id",
    "kind",
    "file_name",
    "sheet",
    "table_name",
    "sha256",
    "rows",
    "added",
    "updated",
    "unchanged",
    "imported_at",
    "imported_by",
]


class StoreError(Exception):
    """Something about the store file itself; the message names the file and the command that fixes it."""


class StoreMissingError(StoreError, FileNotFoundError):
    """The store file does not exist yet (or is from another schema); the message says how to build it."""


class StorePathError(StoreError):
    """The store path names something that is not a store file (a folder, for instance): bad input."""


class StoreCorruptError(StoreError):
    """The store file exists but cannot be read whole: truncated, damaged, or missing tables."""


class StoreWriteError(StoreError):
    """A new store could not be written (disk full, no permission); the old store is unchanged."""


def rebuild_hint(db: Path) -> str:
    """The command that rebuilds the store at ``db`` from data/*.csv."""
    return f"python -m jcm_dash build --db {db} (make store)"


def _first_day(text: str | None) -> dt.date | None:
    """First day of a YYYY / YYYY-MM / YYYY-MM-DD text (a leading '~' dropped), else None."""
    if not text:
        return None
    match = re.fullmatch(r"~?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "1", match.group(3) or "1"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _frame(parsed: ParsedTable, extra: dict[str, list[Any]]) -> pd.DataFrame:
    """Source columns, derived ones and each row's ``last_import_id``, as an object frame DuckDB casts."""
    spec: Table = parsed.spec
    data = {c: [r[c] for r in parsed.rows] for c in spec.column_names}
    data.update(extra)
    data["last_import_id"] = [r["_import_id"] for r in parsed.rows]
    return pd.DataFrame(data, dtype=object)


def derive(tables: dict[str, ParsedTable], imports: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Compute derived columns and return one frame per store table (rows carry ``_import_id``)."""
    partners = tables[PARTNER_COUNTRIES.table]
    iso_by_name = {r["country"]: r["iso3"] for r in partners.rows}
    frames: dict[str, pd.DataFrame] = {}

    signed = [
        _first_day(r["date_bilateral_document_signed"])
        if r["date_bilateral_document_signed"] and len(r["date_bilateral_document_signed"]) == 10
        else None
        for r in partners.rows
    ]
    frames["partner_countries"] = _frame(partners, {"signed_date": signed})

    projects = tables[PROJECTS.table]
    event_dates = [r["registration_date"] or r["pin_decision_date"] for r in projects.rows]
    frames["projects"] = _frame(
        projects,
        {
            "country_iso3": [iso_by_name[r["country"]] for r in projects.rows],
            "event_date": event_dates,
            "event_fy": [fiscal_year(d) if d else None for d in event_dates],
        },
    )

    issuances = tables[ISSUANCES.table]
    # Assume: an issuance counts in the FY of its Joint Committee decision; the reported (issuance)
    # date stands in only when no decision date is known
    # (tests/test_metrics.py::test_issued_by_fy_uses_decision_then_reported_date).
    dates, bases, links = [], [], []
    for rec in issuances.rows:
        if rec["decision_date"]:
            dates.append(rec["decision_date"])
            bases.append("decision")
        elif rec["reported_date"]:
            dates.append(rec["reported_date"])
            bases.append("reported")
        else:
            dates.append(None)
            bases.append("unknown")
        links.extend((rec["issuance_id"], ref) for ref in rec["project_refs"] or ())
    frames["issuances"] = _frame(
        issuances,
        {
            "country_iso3": [iso_by_name[r["country"]] for r in issuances.rows],
            "event_date": dates,
            "event_date_basis": bases,
            "fiscal_year": [fiscal_year(d) if d else None for d in dates],
            "n_projects": [len(r["project_refs"] or ()) for r in issuances.rows],
        },
    )
    # project_refs is stored as the source text ("ID002;ID003"); the links table holds the set.
    frames["issuances"]["project_refs"] = [
        ";".join(r["project_refs"]) if r["project_refs"] else None for r in issuances.rows
    ]
    frames["issuance_projects"] = pd.DataFrame(links, columns=["issuance_id", "project_ref"], dtype=object)

    targets = tables[TARGETS.table]
    frames["targets"] = _frame(
        targets,
        {
            "deadline_fy": [
                int(m.group(1)) if (m := re.fullmatch(r"FY(\d{4})", r["deadline"] or "")) else None
                for r in targets.rows
            ],
            "is_superseded": [bool(r["status"] and "superseded" in r["status"].lower()) for r in targets.rows],
        },
    )

    figures = tables[PUBLISHED_FIGURES.table]

    def _numeric(text: str) -> float | None:
        return float(text) if re.fullmatch(r"\d+(\.\d+)?", text.strip()) else None

    frames["published_figures"] = _frame(
        figures,
        {
            "figure_id": list(range(1, len(figures.rows) + 1)),
            "value_numeric": [_numeric(r["value"]) for r in figures.rows],
            "as_of_day": [_first_day(r["as_of_date"]) for r in figures.rows],
        },
    )
    agreements = tables[ARTICLE6_AGREEMENTS.table]
    frames["article6_agreements"] = _frame(
        agreements,
        {
            "buyer_iso3": [article6.iso3_of(r["buyer_country"], iso_by_name) for r in agreements.rows],
            "host_iso3": [article6.iso3_of(r["host_country"], iso_by_name) for r in agreements.rows],
        },
    )
    facts = tables[ARTICLE6_BUYER_FACTS.table]
    frames["article6_buyer_facts"] = _frame(
        facts,
        {
            "fact_id": list(range(1, len(facts.rows) + 1)),
            "buyer_iso3": [article6.iso3_of(r["buyer"], iso_by_name) for r in facts.rows],
            "value_numeric": [article6.numeric_value(r["value"]) for r in facts.rows],
            "itmo_tco2": [article6.itmo_tco2(r["metric"], r["value"], r["unit"]) for r in facts.rows],
        },
    )
    frames["imports"] = imports[IMPORT_COLUMNS].astype(object)
    return frames


_LOAD_ORDER = (
    "imports",
    "partner_countries",
    "projects",
    "issuances",
    "issuance_projects",
    "targets",
    "published_figures",
    "article6_agreements",
    "article6_buyer_facts",
)
# Test hook: seconds to wait after the new store is fully written and before it replaces the old
# one, so tests/test_import.py can kill an import at exactly that point. Unset in normal use.
PAUSE_ENV = "JCM_PAUSE_BEFORE_SWAP"


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append ``frame`` to ``table`` by column name; columns it lacks are NULL, extra ones an error.

    Goes through DuckDB's relational API, so no SQL text is put together from names.
    """
    target = con.table(table)
    extra = set(frame.columns) - set(target.columns)
    if extra:
        raise ValueError(f"{table}: no such columns in the schema: {sorted(extra)}")
    select = [
        duckdb.ColumnExpression(name)
        if name in frame.columns
        else duckdb.ConstantExpression(None).cast(kind).alias(name)
        for name, kind in zip(target.columns, target.types, strict=True)
    ]
    con.from_df(frame).select(*select).insert_into(table)


def remove_leftovers(db: Path) -> list[Path]:
    """Remove temporary files an interrupted build or import left beside ``db``; return them.

    Only safe while holding the write lock (``writing``): no other writer can be producing them then.
    """
    removed = []
    for pattern in (f".{db.name}.*.building", f".{db.name}.*.building.wal"):
        for leftover in Path(db).parent.glob(pattern):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
                removed.append(leftover)
    return removed


@contextlib.contextmanager
def writing(db: Path) -> Any:
    """Hold the store's write lock (one writer at a time) and clear what killed writers left behind.

    Raises:
        StorePathError: ``db`` is a folder.
        writelock.StoreFolderError: the folder cannot be created or written.
        writelock.StoreLockedError: another writer kept the lock past the timeout.

    """
    db = Path(db)
    if db.is_dir():
        raise StorePathError(f"the store path {db} is a folder; give a file path such as {db / 'jcm.duckdb'}")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise writelock.StoreFolderError(
            f"cannot create the store's folder {db.parent} ({os.strerror(err.errno or 0)})"
        ) from None
    with writelock.hold(db):
        remove_leftovers(db)
        yield


def _write_problem(db: Path, err: BaseException) -> StoreWriteError:
    text = str(err)
    if isinstance(err, OSError) and err.errno:
        text = os.strerror(err.errno)
    low = text.lower()
    if "no space" in low or "disk full" in low or "quota" in low:
        fix = "free some disk space and run the command again"
    elif "permission" in low or "read-only" in low:
        fix = f"make {db.parent} writable (or write the store elsewhere with --db / JCM_DB)"
    else:
        fix = "check the disk and the folder, then run the command again"
    return StoreWriteError(f"could not write a new store beside {db}: {text}. The store at {db} is unchanged; {fix}.")


def write_store(frames: dict[str, pd.DataFrame], db: Path, meta: dict[str, str]) -> None:
    """Write ``frames`` into a new file beside ``db`` and atomically replace ``db`` with it.

    The old store stays byte-identical unless the whole new store was written and closed. Callers
    hold the write lock (``writing``) from reading the store to this swap.

    Raises:
        StoreWriteError: the disk is full or the folder cannot be written (nothing replaced).

    """
    db = Path(db)
    tmp: Path | None = None
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{db.name}.", suffix=".building", dir=db.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        tmp.unlink()  # DuckDB must create the file itself
        con = duckdb.connect(str(tmp))
        try:
            con.execute(paths.SCHEMA_SQL.read_text(encoding="utf-8"))
            for table in _LOAD_ORDER:
                _insert(con, table, frames[table])
            con.execute(paths.DERIVED_SQL.read_text(encoding="utf-8"))
            con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        if os.environ.get(PAUSE_ENV):
            time.sleep(float(os.environ[PAUSE_ENV]))
        os.replace(tmp, db)
        dir_fd = os.open(db.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    # A full disk surfaces as OSError, IOException, or FatalException when DuckDB's checkpoint fails.
    except (OSError, duckdb.IOException, duckdb.PermissionException, duckdb.FatalException) as err:
        raise _write_problem(db, err) from err
    finally:
        if tmp is not None:
            for leftover in (tmp, Path(str(tmp) + ".wal")):
                with contextlib.suppress(OSError):
                    leftover.unlink(missing_ok=True)


def who() -> str | None:
    """Who runs this command, if the system knows."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(data_dir: Path, db: Path) -> dict[str, int]:
    """Validate ``data_dir``'s CSVs and build the store at ``db``; return row counts per table.

    Each CSV is recorded in ``imports`` (kind ``build``) and its rows point at that record.

    Raises:
        ValidationError: listing every problem; ``db`` is untouched.
        StoreWriteError, writelock.StoreLockedError, writelock.StoreFolderError: the environment
            kept the store from being written; ``db`` is untouched.

    """
    data_dir = Path(data_dir)
    tables = read_data_dir(data_dir)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    records = []
    for import_id, spec in enumerate(DATA_TABLES, start=1):
        parsed = tables[spec.table]
        for row in parsed.rows:
            row["_import_id"] = import_id
        rows = len(parsed.rows)
        records.append(
            {
                "import_id": import_id,
                "kind": "build",
                "file_name": spec.file,
                "sheet": None,
                "table_name": spec.table,
                "sha256": sha256_of(data_dir / spec.file),
                "rows": rows,
                "added": rows,
                "updated": 0,
                "unchanged": 0,
                "imported_at": now,
                "imported_by": who(),
            }
        )
    frames = derive(tables, pd.DataFrame(records, columns=IMPORT_COLUMNS))
    meta = {
        "schema_version": SCHEMA_VERSION,
        "built_at": now.isoformat(timespec="seconds"),
        "data_dir": str(data_dir.resolve()),
    }
    # A build reads no store, but it must not swap in between an import's read and its swap.
    with writing(db):
        write_store(frames, db, meta)
    return {name: len(frames[name]) for name in _LOAD_ORDER if name != "imports"}


def build_reason(data_dir: Path, db: Path) -> str | None:
    """Why the store at ``db`` must be (re)built from ``data_dir``, or None when it is up to date.

    Up to date: it exists, has this code's schema, and no CSV is newer than it. An import makes
    the store newer than the CSVs, so `make run` keeps imported rows.
    """
    if not db.exists():
        return f"no store at {db}"
    try:
        connect_read_only(db).close()  # opens it and checks its schema and size (a truncated file fails)
    except StorePathError:
        raise
    except StoreError as err:
        return str(err)
    newest = max(
        ((data_dir / spec.file).stat().st_mtime for spec in DATA_TABLES if (data_dir / spec.file).exists()), default=0
    )
    if newest > db.stat().st_mtime:
        return f"a CSV in {data_dir} is newer than the store"
    return None


def imported_files(db: Path) -> int:
    """How many import records (kind ``import``) the store at ``db`` holds; 0 if it cannot be read."""
    try:
        con = connect_read_only(db)
    except StoreError:
        return 0
    try:
        cur = cursor(con)
        return int(cur.execute("SELECT count(*) FROM imports WHERE kind = 'import'").fetchone()[0])
    finally:
        con.close()


def load_tables(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, ParsedTable], pd.DataFrame]:
    """The store's source rows as typed tables (origin ``store``) and its imports, for an import to merge."""
    tables: dict[str, ParsedTable] = {}
    cur = cursor(con)
    try:
        for spec in DATA_TABLES:
            names = [*spec.column_names, "last_import_id"]
            result = (
                cur.table(spec.table)
                .select(*(duckdb.ColumnExpression(c) for c in names))
                .sort(*(duckdb.ColumnExpression(c) for c in spec.key))
                .fetchall()
            )
            parsed = ParsedTable(spec)
            for values in result:
                record = dict(zip([*spec.column_names, "_import_id"], values, strict=True))
                if spec is ISSUANCES:
                    refs = record["project_refs"]
                    record["project_refs"] = tuple(refs.split(";")) if refs else None
                shown = " / ".join(str(record[c]) for c in spec.key)
                parsed.add(record, (f"store[{spec.table} {shown}]", 0))
            tables[spec.table] = parsed
        imports = cur.execute("SELECT * FROM imports ORDER BY import_id").df()
    finally:
        cur.close()
    return tables, imports


def read_meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The store's build metadata (schema version, build and last import times)."""
    cur = cursor(con)
    try:
        return dict(cur.execute("SELECT key, value FROM meta").fetchall())
    finally:
        cur.close()


# DuckDB's file starts with three 4 KiB headers, then ``total_blocks`` blocks of ``block_size``.
_HEADER_BYTES = 3 * 4096


@functools.cache
def expected_columns() -> dict[str, tuple[str, ...]]:
    """Every table this code's store has, with its columns (from schema.sql and derived.sql on an empty store)."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(paths.SCHEMA_SQL.read_text(encoding="utf-8"))
        con.execute(paths.DERIVED_SQL.read_text(encoding="utf-8"))
        return _columns(con, "memory")
    finally:
        con.close()


def _columns(con: duckdb.DuckDBPyConnection, database: str) -> dict[str, tuple[str, ...]]:
    rows = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ? "
        "ORDER BY table_name, column_index",
        [database],
    ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return {table: tuple(columns) for table, columns in found.items()}


def _verify(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    """Raise StoreCorruptError unless the attached store is whole: its full size and every table and column."""
    _, _, block_size, total_blocks, *_ = con.execute(
        "SELECT * FROM pragma_database_size() WHERE database_name = 'jcm'"
    ).fetchone()
    needed = _HEADER_BYTES + int(block_size) * int(total_blocks)
    size = db.stat().st_size
    if size < needed:
        raise StoreCorruptError(
            f"The store at {db} is damaged: the file has {size:,} bytes of the {needed:,} it needs (cut short "
            f"by a full disk or an interrupted copy?). Rebuild it with: {rebuild_hint(db)}"
        )
    found = _columns(con, "jcm")
    for table, columns in expected_columns().items():
        missing = [c for c in columns if c not in found.get(table, ())]
        if table not in found or missing:
            noun = "column" if len(missing) == 1 else "columns"
            what = f"table {table}" if table not in found else f"{noun} {', '.join(missing)} of {table}"
            raise StoreCorruptError(f"The store at {db} lacks {what}. Rebuild it with: {rebuild_hint(db)}")


def connect_read_only(db: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store read-only; raise a StoreError naming the fix when it is missing, old or damaged.

    The file is ATTACHed to a fresh in-memory instance rather than opened with ``connect(path)``:
    DuckDB caches one database instance per path, so while any connection to the old file lives,
    ``connect(path)`` would hand back the *old* store after an import replaced it. Each call here
    opens whatever file is at the path now (tests/test_import.py::test_running_app_picks_up_a_new_store).
    Take cursors with ``cursor(con)``, which selects the attached store.

    Raises:
        StoreMissingError: no file, or one from another schema version (build it).
        StorePathError: the path is a folder.
        StoreCorruptError: the file cannot be read whole (tests/test_hardening.py).

    """
    db = Path(db) if db else paths.db_path()
    if db.is_dir():
        raise StorePathError(f"The store path {db} is a folder; give a file path such as {db / 'jcm.duckdb'}")
    if not db.exists():
        raise StoreMissingError(f"No JCM store at {db}. Build it with: python -m jcm_dash build --db {db}")
    con = duckdb.connect(":memory:")
    try:
        # A missing table must be an error, never a Python variable of the same name.
        con.execute("SET python_enable_replacements = false")
        try:
            con.execute("ATTACH ? AS jcm (READ_ONLY)", [str(db)])
            con.execute("USE jcm")
            version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except duckdb.Error as err:
            reason = str(err).splitlines()[0]
            raise StoreCorruptError(
                f"The store at {db} cannot be read ({reason}); it is damaged or not a JCM store. "
                f"Rebuild it with: {rebuild_hint(db)}"
            ) from None
        if not version or version[0] != SCHEMA_VERSION:
            found = version[0] if version else "unknown"
            raise StoreMissingError(
                f"The store at {db} has schema version {found}; this code needs {SCHEMA_VERSION}. "
                f"Rebuild it with: {rebuild_hint(db)}"
            )
        _verify(con, db)
    except BaseException:
        con.close()
        raise
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new cursor on ``con`` with the attached store selected (cursors start on the in-memory one)."""
    cur = con.cursor()
    cur.execute("SET python_enable_replacements = false")
    cur.execute("USE jcm")
    return cur


# Per thread, one cursor per connection: a DuckDB cursor must not be shared between threads
# (Streamlit runs each script run in its own thread), but within a run it can serve every query
# instead of being opened and pointed at the store again for each one.
_THREAD = threading.local()


def thread_cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Return this thread's cursor on ``con`` (made with ``cursor`` on first use, then reused)."""
    cursors = getattr(_THREAD, "cursors", None)
    if cursors is None:
        cursors = _THREAD.cursors = weakref.WeakKeyDictionary()
    cur = cursors.get(con)
    if cur is None:
        cur = cursors[con] = cursor(con)
    return cur


_ONCE: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, Any]] = weakref.WeakKeyDictionary()


def once(con: duckdb.DuckDBPyConnection, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()`` the first time ``name`` is asked for on ``con``; the same result afterwards.

    For what does not depend on a filter (targets, the as-of date, published figures...). Readers
    open the store with ``connect_read_only``, which attaches it READ_ONLY, and an import replaces
    the file rather than changing it, so such a result holds for the connection's life. Results are
    handed out as copies, so a caller that changes one cannot change what the next one gets.
    """
    memo = _ONCE.setdefault(con, {})
    if name not in memo:
        memo[name] = compute()
    value = memo[name]
    return value.copy() if isinstance(value, pd.DataFrame) else copy.deepcopy(value)
