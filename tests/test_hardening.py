"""Issue 16: nothing lost, nothing injected, no traceback. One test (or a few) per numbered failure.

Each test here failed on the code before the fix (see the commit that added it). Faults of the
machine are real: a read-only folder and a full disk are small tmpfs mounts (root on this project's
machines and CI); a truncated store is a real store cut in half.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tracemalloc
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from jcm_dash import cli, importer, paths, store, validate, xlsx
from jcm_dash.i18n import escape_markdown
from jcm_dash.tables import ISSUANCES, PROJECTS
from jcm_dash.validate import ParsedTable

from .conftest import (
    ISSUANCE_HEADER,
    PROJECT_HEADER,
    free_port,
    issuance_row,
    kill_import_before_its_swap,
    open_page,
    problems_of,
    read_only,
    run_cli,
    sha,
    write,
)

EVIL_TITLE = "[Log in again](http://evil.example/login) ![x](http://evil.example/x.png) $x^2$ :red[alarm]"


def issuance_ids(db: Path) -> set[str]:
    with read_only(db) as con:
        return {r[0] for r in con.execute("SELECT issuance_id FROM issuances").fetchall()}


@pytest.fixture
def db(tmp_path: Path, tiny_db: Path) -> Path:
    """A private copy of the tiny store."""
    target = tmp_path / "store" / "store.duckdb"
    target.parent.mkdir()
    shutil.copy(tiny_db, target)
    return target


def open_app(db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None, **query: str | list[str]) -> AppTest:
    """Run the app (on ``page``) with ``query`` as the URL's parameters."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()
    return open_page(db, monkeypatch, page, check=False, **query)


def markdown_sources(at: AppTest) -> list[str]:
    """The Markdown source of every element that Streamlit renders as Markdown."""
    kinds = ("markdown", "caption", "subheader", "title", "header", "warning", "error", "info", "success")
    return [str(element.value) for kind in kinds for element in getattr(at, kind)]


# An unescaped Markdown link or image, "[text](destination)" where neither bracket is escaped; or an autolink.
LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(([^)]*)\)|(?<!\\)<(http[^>]*)>")


# 1. Two imports at once: one is silently lost ------------------------------------------------------


def test_four_imports_at_once_lose_nothing(db: Path, tmp_path: Path) -> None:
    """Four imports started together, each pausing 1 s before its swap: every row lands, or a clear refusal."""
    files = [
        write(
            tmp_path / f"u{n}.csv", ISSUANCE_HEADER, issuance_row(f"P{n}", project_refs="", decision_date="2019-05-01")
        )
        for n in range(4)
    ]
    env = {**os.environ, store.PAUSE_ENV: "1"}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "jcm_dash", "import", str(path), "--db", str(db)],
            cwd=paths.REPO_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read()) for p in processes]
    stored = issuance_ids(db)
    with read_only(db) as con:
        recorded = {r[0] for r in con.execute("SELECT file_name FROM imports WHERE kind = 'import'").fetchall()}
    for n, (code, stderr) in enumerate(outcomes):
        if code == 0:
            assert f"P{n}" in stored and f"u{n}.csv" in recorded, f"import {n} said imported but its row is lost"
        else:
            assert code == cli.EXIT_ENVIRONMENT and "another build or import is writing" in stderr, stderr
            assert f"P{n}" not in stored
    assert "Traceback" not in "".join(stderr for _, stderr in outcomes)
    assert sorted(p.name for p in db.parent.iterdir()) == ["store.duckdb"]  # no lock file or temporary left


def test_second_writer_is_refused_clearly_when_the_first_holds_the_lock(db: Path, tmp_path: Path) -> None:
    """With a 1 s wait, an import behind one that holds the lock exits 3 saying why; the first one then lands."""
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jcm_dash",
            "import",
            str(write(tmp_path / "a.csv", ISSUANCE_HEADER, issuance_row("A1"))),
        ]
        + ["--db", str(db)],
        cwd=paths.REPO_ROOT,
        env={**os.environ, store.PAUSE_ENV: "20"},
    )
    try:
        deadline = time.monotonic() + 60
        while not list(db.parent.glob(f".{db.name}.*.building")):
            assert time.monotonic() < deadline, "the first import never started writing"
            time.sleep(0.05)
        second = run_cli(
            "import",
            str(write(tmp_path / "b.csv", ISSUANCE_HEADER, issuance_row("B1", project_refs=""))),
            "--db",
            str(db),
            env={"JCM_LOCK_TIMEOUT": "1"},
        )
        assert second.returncode == cli.EXIT_ENVIRONMENT
        assert "another build or import is writing the store" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
    assert "B1" not in issuance_ids(db)


# 2. An amount of 400 digits is stored as infinity ----------------------------------------------------


def test_absurd_amount_is_refused_and_json_never_prints_infinity(db: Path, tmp_path: Path) -> None:
    """A 400-digit amount is refused with file:row:column; JSON output refuses non-finite numbers."""
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(credits_issued_tco2="9" * 400)))
    assert len(found) == 1
    assert found[0].startswith("u.csv:2:credits_issued_tco2: 9999")
    assert "is not a plausible amount" in found[0] and len(found[0]) < 200
    with pytest.raises(ValueError):
        cli.to_json({"credits_issued_tco2": float("inf")})
    result = run_cli("summary", "--json", "--db", str(db))
    assert result.returncode == 0 and "Infinity" not in result.stdout and "NaN" not in result.stdout


# 3. Markdown injection, stored and reflected -----------------------------------------------------------


def evil_project(db: Path, tmp_path: Path) -> None:
    """Import BD009, whose title is Markdown: a link, an image, math and a colour directive."""
    row = dict.fromkeys(PROJECTS.column_names, "")
    row.update(
        project_ref="BD009",
        country="Bangladesh",
        title=EVIL_TITLE,
        status_code="validation",
        source_url="https://example.org/p/bd009",
    )
    path = tmp_path / "evil.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        import csv

        writer = csv.DictWriter(handle, PROJECTS.column_names)
        writer.writeheader()
        writer.writerow(row)
    result = importer.run_import([path], db)
    assert result.written, result.problems


def test_markdown_in_data_and_url_is_shown_as_text(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A stored title and URL parameters made of Markdown reach no page as a live link or image."""
    evil_project(db, tmp_path)
    link = "[Log in again](http://evil.example/login)"
    visits = [
        ("projects", {"project": "BD009"}),
        ("projects", {"project": link}),
        (None, {"country": [link, "![x](http://evil.example/x.png)"], "tech": link, "fy_from": link}),
        ("projections", {"delay": link, "success_ratio": "![x](http://evil.example/x.png)"}),
        ("countries", {"country": "BGD"}),
    ]
    for page, query in visits:
        at = open_app(db, monkeypatch, page, **query)
        assert not at.exception, (page, query, [e.value for e in at.exception])
        sources = markdown_sources(at)
        # The page's own links (a published figure's source) may stay; none may lead to the injected host.
        live = [s for s in sources for m in LIVE_LINK.finditer(s) if "evil" in (m.group(1) or m.group(2))]
        assert live == [], (page, query, live)
        if query.get("project") == "BD009":
            assert any(s.value.startswith("BD009: ") and escape_markdown(EVIL_TITLE) in s.value for s in at.subheader)
        if query.get("project") == link:
            assert escape_markdown(link) in at.error[0].value


def test_source_links_must_be_http(db: Path, tmp_path: Path) -> None:
    """javascript: and data: source links are refused at import, and at build; data/*.csv passes."""
    for url in (
        "javascript:alert(1)",
        "data:text/html;base64;PHNjcmlwdD4=",
        "ftp://example.org/x",
        "https://x.org/a b",
    ):
        found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(source_url=url)))
        assert len(found) == 1 and found[0].startswith("u.csv:2:source_url: "), found
        assert "a source link must start with https:// or http://" in found[0]
    assert validate.read_data_dir(paths.DATA_DIR)  # the real data has only http(s) links


# 4. Tracebacks reach users -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"delay": "inf"},
        {"crediting_years": "1e400"},
        {"success_ratio": "nan", "conversion": "-inf", "new_per_year": "1" * 500, "new_size": "1e308"},
        {"fy_from": "9" * 5000, "fy_to": "-99999999999999999999"},
        {"country": ["X" * 100_000] + ["ZZZ"] * 500, "tech": "\x00", "lang": "xx" * 1000},
        {"project": "A" * 100_000},
    ],
)
def test_hostile_url_parameters_give_warnings_not_tracebacks(
    tiny_db: Path, monkeypatch: pytest.MonkeyPatch, query: dict
) -> None:
    """Every URL parameter is bounded: /projections and /projects with absurd values show warnings only."""
    page = "projects" if "project" in query else "projections"
    at = open_app(tiny_db, monkeypatch, page, **query)
    assert not at.exception, [e.value for e in at.exception]
    warnings = [w.value for w in at.warning] + [e.value for e in at.error]
    assert warnings, "an absurd value must be named, not silently dropped"
    assert len(warnings) <= 12 and all(len(w) < 600 for w in warnings)


def test_cli_scenario_and_filter_bounds(tiny_db: Path) -> None:
    """`projection --pipeline-delay 1e400` or `--success-ratio inf` and a 20-digit FY exit 2 with a message."""
    for args in (["--success-ratio", "inf"], ["--crediting-years", "1e400"], ["--fy-from", "9" * 20]):
        result = run_cli("projection", "--json", "--db", str(tiny_db), *args)
        assert result.returncode == cli.EXIT_BAD_INPUT, (args, result.stderr)
        assert "Traceback" not in result.stderr and result.stderr.strip()


def test_csv_field_over_128_kb_is_a_problem_not_a_crash(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 200 KB cell (or an unclosed quote) is reported on its row by the command and by the data page."""
    big = write(tmp_path / "big.csv", ISSUANCE_HEADER, issuance_row(notes='"' + "x" * 200_000 + '"'))
    result = run_cli("import", str(big), "--db", str(db))
    assert result.returncode == cli.EXIT_BAD_INPUT
    assert "big.csv:2:-: a cell here is longer than 131,072 characters" in result.stderr
    assert "Traceback" not in result.stderr
    at = open_app(db, monkeypatch, "data")
    at.file_uploader(key="check_upload").upload("big.csv", big.read_bytes(), "text/csv").run()
    assert not at.exception
    assert "1 problem in big.csv" in at.error[0].value


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted on ``folder`` (unmounted afterwards)."""
    folder.mkdir(parents=True, exist_ok=True)
    # Skipped only where no mount can be made: not root, no mount command, or the kernel refuses
    # the privilege (an unprivileged container). Any other failure to mount fails the test.
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8) (as on this project's machines and CI)")
    command = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    mounted = subprocess.run(command, capture_output=True, text=True, check=False)
    if mounted.returncode != 0:
        refused = re.search(r"permission denied|not permitted|must be superuser", mounted.stderr, re.IGNORECASE)
        if refused:
            pytest.skip(f"this machine refuses mounts even to root: {mounted.stderr.strip()}")
        pytest.fail(f"mounting a tmpfs on {folder} failed: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_read_only_folder_exits_3_and_keeps_the_store(tiny_db: Path, tmp_path: Path) -> None:
    """On a read-only file system an import and a build exit 3 naming the folder; reading still works."""
    update = write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row())
    with tmpfs(tmp_path / "ro", "32m") as folder:
        db = folder / "store.duckdb"
        shutil.copy(tiny_db, db)
        before = sha(db)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        for args in (["import", str(update)], ["build", "--data", str(paths.REPO_ROOT / "tests" / "data")]):
            result = run_cli(*args, "--db", str(db))
            assert result.returncode == cli.EXIT_ENVIRONMENT, result.stderr
            assert f"cannot write in the store's folder {folder} (Read-only file system)" in result.stderr
            assert "Traceback" not in result.stderr
        assert run_cli("summary", "--db", str(db)).returncode == 0
        assert sha(db) == before


def test_full_disk_exits_3_and_keeps_the_store(tiny_db: Path, tmp_path: Path) -> None:
    """With no room for the new store file, the import exits 3 saying so; the old store and folder are as before."""
    update = write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row())
    room = tiny_db.stat().st_size + 2 * 1024 * 1024  # the store fits, a second copy does not
    with tmpfs(tmp_path / "full", str(room)) as folder:
        db = folder / "store.duckdb"
        shutil.copy(tiny_db, db)
        before = sha(db)
        result = run_cli("import", str(update), "--db", str(db))
        assert result.returncode == cli.EXIT_ENVIRONMENT, result.stderr
        assert "No space left on device" in result.stderr and "free some disk space" in result.stderr
        assert "Traceback" not in result.stderr
        assert sha(db) == before
        assert sorted(p.name for p in folder.iterdir()) == ["store.duckdb"]


def test_db_that_is_a_folder_and_a_corrupt_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--db naming a folder exits 2; a file that is not a store exits 3; both name the fix; the app says it too."""
    for command in (["summary"], ["import", str(tmp_path / "x.csv")], ["build"]):
        result = run_cli(*command, "--db", str(tmp_path))
        assert result.returncode == cli.EXIT_BAD_INPUT, (command, result.stderr)
        assert f"the store path {tmp_path} is a folder" in result.stderr.lower()
    corrupt = tmp_path / "corrupt.duckdb"
    corrupt.write_bytes(os.urandom(64 * 1024))
    result = run_cli("summary", "--db", str(corrupt))
    assert result.returncode == cli.EXIT_ENVIRONMENT
    assert "cannot be read" in result.stderr and "python -m jcm_dash build --db" in result.stderr
    assert "Traceback" not in result.stderr
    at = open_app(corrupt, monkeypatch)
    assert not at.exception
    assert "cannot be read" in at.error[0].value and "make store" in at.error[0].value


# 5. A truncated store is called up to date -------------------------------------------------------------


def test_truncated_store_is_rebuilt_and_named_on_the_page(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store cut in half: `build --if-needed` rebuilds it; the app names it and the command, no IOException."""
    db = tmp_path / "store.duckdb"
    store.build(data_copy, db)
    whole = db.read_bytes()
    db.write_bytes(whole[: len(whole) // 2])
    os.utime(db, (time.time() + 60, time.time() + 60))  # newer than every CSV
    at = open_app(db, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert "is damaged" in at.error[0].value and "make store" in at.error[0].value
    result = run_cli("build", "--if-needed", "--data", str(data_copy), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "building: The store at" in result.stdout and "is damaged" in result.stdout
    store.connect_read_only(db).close()  # whole again


# 6. Slow checks ----------------------------------------------------------------------------------------


class CountedDate:
    """A date that counts how often it is compared, to measure the overlap check's work, not its time."""

    comparisons = 0

    def __init__(self, day: int) -> None:
        self.day = day

    def _count(self, other: CountedDate) -> tuple[int, int]:
        CountedDate.comparisons += 1
        return self.day, other.day

    def __lt__(self, other: CountedDate) -> bool:
        a, b = self._count(other)
        return a < b

    def __le__(self, other: CountedDate) -> bool:
        a, b = self._count(other)
        return a <= b

    def __gt__(self, other: CountedDate) -> bool:
        a, b = self._count(other)
        return a > b

    def __ge__(self, other: CountedDate) -> bool:
        a, b = self._count(other)
        return a >= b

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CountedDate) and self._count(other)[0] == other.day

    def __hash__(self) -> int:
        return self.day


def _overlap_work(n: int) -> int:
    table = ParsedTable(ISSUANCES)
    for i in range(n):
        record = {
            "issuance_id": f"I{i}",
            "project_refs": ("MN001",),
            "monitoring_period_start": CountedDate(10 * i),
            "monitoring_period_end": CountedDate(10 * i + 5),
        }
        table.add(record, ("issuances.csv", i + 2))
    CountedDate.comparisons = 0
    assert validate._overlaps(table) == []
    return CountedDate.comparisons


def test_overlap_check_grows_as_n_log_n_not_n_squared() -> None:
    """Doubling one project's issuances (2,000 → 4,000) about doubles the comparisons (quadratic: 4x)."""
    small, large = _overlap_work(2_000), _overlap_work(4_000)
    assert large / small < 2.5, (small, large)
    assert large < 4_000 * 40


def _issuance_workbook(path: Path, rows: int) -> Path:
    """A workbook of ``rows`` valid issuances, its sheet XML written directly (openpyxl took 4 s for 20,000)."""
    workbook = Workbook()
    workbook.active.title = "issuances"
    workbook.save(path)

    def row_xml(number: int, values: list[str]) -> str:
        cells = "".join(
            f'<c r="{xlsx.column_letter(col)}{number}" t="inlineStr"><is><t>{value}</t></is></c>'
            for col, value in enumerate(values, start=1)
            if value
        )
        return f'<row r="{number}">{cells}</row>'

    body = [row_xml(1, ISSUANCES.column_names)]
    body += [row_xml(i + 2, issuance_row(f"X{i}", project_refs="", notes="n" * 40).split(",")) for i in range(rows)]
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    sheet = re.sub(r"<sheetData\s*/>|<sheetData>.*</sheetData>", "<sheetData>" + "".join(body) + "</sheetData>", sheet)
    members["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


def test_xlsx_is_read_streaming_with_bounded_memory(db: Path, tmp_path: Path) -> None:
    """A 20,000-row workbook is read streaming: the reader keeps memory flat; the row limit applies while reading.

    The reader alone is measured (the import keeps the parsed rows, as it must): its peak stays a
    few MB while the sheet's 360,000 cells would take tens of MB held at once.
    """
    path = _issuance_workbook(tmp_path / "big.xlsx", 20_000)
    tracemalloc.start()
    try:
        with xlsx.Workbook(path) as book:
            rows = sum(1 for _ in book.rows(book.sheets[0], importer.MAX_COLUMNS))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 20_001
    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    incoming, problems = importer.read_update(path)
    assert problems == [] and len(incoming[0].parsed.rows) == 20_000
    original = importer.MAX_ROWS
    try:
        importer.MAX_ROWS = 1_000
        _, problems = importer.read_update(path)
    finally:
        importer.MAX_ROWS = original
    assert [str(p) for p in problems] == ["big.xlsx[issuances]:1002:-: more than 1,000 rows; split the sheet"]


# 7. Litter ---------------------------------------------------------------------------------------------


def test_leftovers_of_a_killed_import_are_removed_by_the_next(db: Path, tmp_path: Path) -> None:
    """Kill -9 after the new file is written leaves .building/.wal files; the next import removes them."""
    kill_import_before_its_swap(db, write(tmp_path / "a.csv", ISSUANCE_HEADER, issuance_row()))
    (db.parent / f".{db.name}.old1234.building.wal").write_bytes(b"x" * 1024)
    assert len(list(db.parent.iterdir())) > 1
    result = importer.run_import([write(tmp_path / "b.csv", ISSUANCE_HEADER, issuance_row("I7"))], db)
    assert result.written
    assert sorted(p.name for p in db.parent.iterdir()) == ["store.duckdb"]


# 8. Unhelpful messages ---------------------------------------------------------------------------------


def test_full_width_digits_are_normalised(db: Path, tmp_path: Path) -> None:
    """２０１９－０５－０１ and ７０ typed with a Japanese input method import as 2019-05-01 and 70."""
    line = issuance_row(decision_date="２０１９－０５－０１", credits_issued_tco2="７０")
    result = importer.run_import([write(tmp_path / "u.csv", ISSUANCE_HEADER, line)], db)
    assert result.written, [str(p) for p in result.problems]
    with read_only(db) as con:
        row = con.execute(
            "SELECT decision_date, credits_issued_tco2 FROM issuances WHERE issuance_id = 'I6'"
        ).fetchone()
    assert (row[0].isoformat(), row[1]) == ("2019-05-01", 70)


def _saved_workbook(build) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "issuances"
    sheet.append(ISSUANCES.column_names)
    sheet.append(issuance_row().split(","))
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_messages_name_what_is_wrong_and_how_to_fix_it(db: Path, tmp_path: Path) -> None:
    """Workbook named .csv, hidden sheet, ; and tab delimiters, title rows, Shift-JIS, unknown columns."""
    (tmp_path / "book.csv").write_bytes(_saved_workbook(lambda wb: None))
    cases = {
        "book.csv": "book.csv:1:-: this is an Excel workbook (.xlsx) with a .csv name; rename it to .xlsx",
        "semi.csv": "semi.csv:1:-: the header is one column holding semicolons: the file is separated by semicolons",
        "tabs.csv": "tabs.csv:1:-: the header is one column holding tabs",
        "titled.csv": "titled.csv:1:-: the header of issuances.csv is on row 3: remove the 2 rows above it",
        "sjis.csv": "sjis.csv:2:-: not UTF-8 text (byte 0x",
        "extra.csv": "extra.csv:1:comment: unknown column 'comment': it is not in the layout of issuances.csv",
    }
    write(tmp_path / "semi.csv", ISSUANCE_HEADER.replace(",", ";"), issuance_row().replace(",", ";"))
    write(tmp_path / "tabs.csv", ISSUANCE_HEADER.replace(",", "\t"), issuance_row().replace(",", "\t"))
    write(tmp_path / "titled.csv", "JCM issuances update,,", ",,", ISSUANCE_HEADER, issuance_row())
    write(tmp_path / "sjis.csv", ISSUANCE_HEADER, issuance_row(notes="日本語の注記"), encoding="cp932")
    write(tmp_path / "extra.csv", ISSUANCE_HEADER + ",comment", issuance_row() + ",checked by phone")
    for name, expected in cases.items():
        found = problems_of(db, tmp_path / name)
        assert len(found) == 1 and found[0].startswith(expected), (name, found)
    assert "import it with --encoding cp932" in problems_of(db, tmp_path / "sjis.csv")[0]
    result = run_cli("import", str(tmp_path / "sjis.csv"), "--encoding", "cp932", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "I6" in issuance_ids(db)

    def hide_a_sheet(workbook: Workbook) -> None:
        hidden = workbook.create_sheet("old figures")
        hidden.append(["comment"])
        hidden.sheet_state = "hidden"

    (tmp_path / "hidden.xlsx").write_bytes(_saved_workbook(hide_a_sheet))
    found = problems_of(db, tmp_path / "hidden.xlsx")
    assert found == [
        "hidden.xlsx[old figures]:1:-: sheet 'old figures' is hidden; unhide it in Excel (right-click a sheet tab → "
        "Unhide) and check it, then delete it or leave it visible to import it"
    ]


def test_same_key_in_two_files_of_one_import_is_refused(db: Path, tmp_path: Path) -> None:
    """I8 in a.csv and in b.csv of one import is a duplicate, as it would be within one file."""
    a = write(tmp_path / "a.csv", ISSUANCE_HEADER, issuance_row("I8", credits_issued_tco2="70"))
    b = write(tmp_path / "b.csv", ISSUANCE_HEADER, issuance_row("I8", credits_issued_tco2="90"))
    assert problems_of(db, a, b) == [
        "b.csv:2:issuance_id: duplicate key 'I8': also in a.csv row 2; keep it in one file only"
    ]


def test_project_header_on_a_later_row_is_named_at_build(data_copy: Path, tmp_path: Path) -> None:
    """The same title-row hint at build: projects.csv with two rows above its header."""
    path = data_copy / "projects.csv"
    path.write_text("Projects (exported)\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("build", "--data", str(data_copy), "--db", str(tmp_path / "x.duckdb"))
    assert result.returncode == cli.EXIT_BAD_INPUT
    assert "projects.csv:1:-: the header of projects.csv is on row 3" in result.stderr
    assert PROJECT_HEADER.split(",")[0] == "project_ref"


# 9. An outside request at start-up ---------------------------------------------------------------------


def test_server_start_makes_no_outside_request(tiny_db: Path, tmp_path: Path) -> None:
    """Started as `make run` starts it (headless, no address), Streamlit asks no outside service for the IP."""
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)],
            cwd=paths.REPO_ROOT,
            env={**os.environ, "JCM_DB": str(tiny_db)},
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while "URL:" not in log.read_text():
            assert server.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=10) as response:
            assert response.status == 200
        text = log.read_text()
        assert "Did not auto detect external IP" not in text
        assert "External URL" not in text
        assert f"URL: http://localhost:{port}" in text
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_json_report_of_a_refused_import_is_json(db: Path, tmp_path: Path) -> None:
    """`import --json` on a bad file prints valid JSON (no Infinity/NaN) and exits 2."""
    path = write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(credits_issued_tco2="1e400"))
    result = run_cli("import", str(path), "--json", "--db", str(db))
    assert result.returncode == cli.EXIT_BAD_INPUT
    report = json.loads(result.stdout)
    assert report["written"] is False and report["problems"]
