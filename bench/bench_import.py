"""Import checks at the size limits: seconds and peak memory of ``import --check`` (issue 16, item 6).

``python bench/bench_import.py [--src DIR]`` writes two synthetic files (fixed seed) into
bench/out/ and times ``python -m jcm_dash import FILE --check`` on each, in a fresh process whose
peak resident memory is read from the kernel:

- 40,000 issuances of one project (MN001 of the tiny fixture), one day each, none overlapping:
  the monitoring-period overlap check is the work;
- a ~9 MB workbook of 145,000 valid issuance rows naming no project (just under the 10 MB limit),
  as openpyxl writes it (every text inline, empty texts as empty cells): the streaming read and
  the row-by-row validation are the work;
- a workbook of 200,000 such rows (the row limit) as Excel saves it (xlsxwriter: a shared-strings
  table, dates as date-formatted numbers, amounts as numbers, no empty cells).

``--src`` runs another checkout's code against the same files (the "before" numbers come from
the commit before issue 16's fix). Not part of ``make bench`` (run it by hand; a minute or two).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from jcm_dash import store  # noqa: E402
from jcm_dash.tables import ISSUANCES  # noqa: E402

FIXTURE = ROOT / "tests" / "data"


def _row(issuance_id: str, day: dt.date, note: str) -> list[str]:
    values = dict.fromkeys(ISSUANCES.column_names, "")
    values.update(
        issuance_id=issuance_id,
        country="Mongolia",
        project_refs="MN001",
        decision_date="2019-05-01",
        monitoring_period_start=day.isoformat(),
        monitoring_period_end=day.isoformat(),
        credits_issued_tco2="10",
        source_url="https://example.org/i",
        notes=note,
    )
    return [values[c] for c in ISSUANCES.column_names]


def one_project_csv(path: Path, n: int = 40_000) -> Path:
    """``n`` issuances of MN001 on consecutive days from 1901 (no overlap, so every pair is compared)."""
    start = dt.date(1901, 1, 1)
    lines = [",".join(ISSUANCES.column_names)]
    lines += [",".join(_row(f"B{i}", start + dt.timedelta(days=i), "")) for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def big_workbook(path: Path, n: int = 145_000) -> Path:
    """A workbook of ``n`` valid issuance rows with varied notes (about 9.5 MB), streamed out by openpyxl."""
    from openpyxl import Workbook

    rng = random.Random(16)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("issuances")
    sheet.append(ISSUANCES.column_names)
    start = dt.date(1901, 1, 1)
    for i in range(n):
        note = "".join(rng.choices("abcdefghij", k=6))
        row = _row(f"X{i}", start + dt.timedelta(days=i % 40_000), note)
        row[ISSUANCES.column_names.index("project_refs")] = ""  # no project: valid whatever the periods
        sheet.append(row)
    workbook.save(path)
    return path


def excel_style_workbook(path: Path, n: int = 200_000) -> Path:
    """``n`` valid issuance rows stored as Excel stores them: shared strings, date-formatted serials, numbers."""
    import xlsxwriter

    rng = random.Random(16)
    workbook = xlsxwriter.Workbook(path)
    sheet = workbook.add_worksheet("issuances")
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ISSUANCES.column_names)
    columns = {name: i for i, name in enumerate(ISSUANCES.column_names)}
    start = dt.datetime(1901, 1, 1)
    for i in range(n):
        row = i + 1
        day = start + dt.timedelta(days=i % 40_000)
        sheet.write_string(row, columns["issuance_id"], f"X{i}")
        sheet.write_string(row, columns["country"], "Mongolia")
        sheet.write_datetime(row, columns["decision_date"], dt.datetime(2019, 5, 1), date)
        sheet.write_datetime(row, columns["monitoring_period_start"], day, date)
        sheet.write_datetime(row, columns["monitoring_period_end"], day, date)
        sheet.write_number(row, columns["credits_issued_tco2"], 10)
        sheet.write_string(row, columns["source_url"], "https://example.org/i")
        sheet.write_string(row, columns["notes"], "".join(rng.choices("abcdefghij", k=6)))
    workbook.close()
    return path


def measure(src: Path, file: Path, db: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak RSS (MB) and exit code of ``import FILE --check`` run from ``src``.

    The CPU seconds (user + system, from the child's own rusage) are the figure to compare on a
    shared, loaded machine, where wall time also counts the other processes' turns.
    """
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "jcm_dash", "import", str(file), "--check", "--db", str(db)],
        cwd=src,
        env={**os.environ, "PYTHONPATH": str(src)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)  # this child's own peak memory
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def main() -> None:
    """Generate the files, measure each check, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--src", type=Path, default=ROOT, help="checkout whose code runs the check")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)  # write one bench file and stop
    args = parser.parse_args()
    if args.make is not None:
        makers = {"one_project_40000.csv": one_project_csv, "rows_145000.xlsx": big_workbook}
        makers.get(args.make.name, excel_style_workbook)(args.make)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / "import_bench.duckdb"
    if db.exists():
        db.unlink()
    store.build(FIXTURE, db)
    files = [
        ("40,000 issuances of one project (CSV)", OUT / "one_project_40000.csv"),
        ("145,000-row workbook, inline strings (XLSX, openpyxl)", OUT / "rows_145000.xlsx"),
        ("200,000-row workbook, shared strings (XLSX, as Excel)", OUT / "excel_200000.xlsx"),
    ]
    # Each file is written by a child process: a child's peak RSS counts what it inherits at fork,
    # so this process must stay small (writing the Excel-style workbook takes ~400 MB).
    for _, path in files:
        subprocess.run([sys.executable, __file__, "--make", str(path)], check=True)
    print(f"code: {args.src}")
    print("| file | size | seconds | CPU seconds | peak memory, MB | exit |")
    print("|---|---|---|---|---|---|")
    for label, path in files:
        # Each file in its own process, so one's peak memory is not another's.
        seconds, cpu, peak, code = measure(args.src, path, db)
        print(f"| {label} | {path.stat().st_size / 1e6:.1f} MB | {seconds:.1f} | {cpu:.1f} | {peak:,.0f} | {code} |")
    db.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
