"""`import`: every bad input is reported by file, row, column and reason, and leaves the store as it was."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.testing.v1 import AppTest

from jcm_dash import importer, paths, views
from jcm_dash.queries import Filters
from jcm_dash.tables import ISSUANCES

from .conftest import (
    FIXTURE_DIR,
    ISSUANCE_HEADER,
    PROJECT_HEADER,
    issuance_row,
    kill_import_before_its_swap,
    metrics_by_label,
    problems_of,
    read_only,
    run_cli,
    sha,
    write,
)


def test_missing_column(db: Path, tmp_path: Path) -> None:
    """A file without a required column names it on row 1."""
    header = ISSUANCE_HEADER.replace(",goj_share_tco2", "")
    row = issuance_row().split(",")
    del row[ISSUANCES.column_names.index("goj_share_tco2")]
    found = problems_of(db, write(tmp_path / "u.csv", header, ",".join(row)))
    assert found == ["u.csv:1:goj_share_tco2: required column is missing"]


def test_renamed_column(db: Path, tmp_path: Path) -> None:
    """A renamed column is reported with the unknown name that stands in its place."""
    found = problems_of(
        db, write(tmp_path / "u.csv", ISSUANCE_HEADER.replace("decision_date", "decided"), issuance_row())
    )
    assert found == ["u.csv:1:decision_date: required column is missing (found unknown column: decided)"]


def test_wrong_types(db: Path, tmp_path: Path) -> None:
    """Text in an amount and a fraction in an integer column are named with their values."""
    lines = [issuance_row(credits_issued_tco2="seventy")]
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, *lines))
    assert found == [
        "u.csv:2:credits_issued_tco2: 'seventy' is not a number of t-CO2e (digits and an optional decimal point)"
    ]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2019/05/01", "'2019/05/01' is not a date in YYYY-MM-DD form"),
        ("2019-02-30", "'2019-02-30' is not a real calendar day"),
    ],
)
def test_unparseable_or_impossible_date(db: Path, tmp_path: Path, value: str, reason: str) -> None:
    """A date in another form, or a day that does not exist, is refused."""
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(decision_date=value)))
    assert found == [f"u.csv:2:decision_date: {reason}"]


def test_negative_amount(db: Path, tmp_path: Path) -> None:
    """A negative amount is refused."""
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(goj_share_tco2="-5")))
    assert found == ["u.csv:2:goj_share_tco2: -5 is negative; amounts must be >= 0"]


def test_monitoring_start_after_end(db: Path, tmp_path: Path) -> None:
    """A monitoring period that ends before it starts is refused."""
    line = issuance_row(monitoring_period_start="2018-12-31", monitoring_period_end="2018-01-01")
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, line))
    assert found == ["u.csv:2:monitoring_period_end: monitoring period ends (2018-01-01) before it starts (2018-12-31)"]


def test_issuance_for_unknown_project(db: Path, tmp_path: Path) -> None:
    """An issuance naming a project neither in the store nor in the import is refused."""
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(project_refs="BD777")))
    assert found == ["u.csv:2:project_refs: unknown project 'BD777'"]


def test_project_in_a_country_that_is_not_a_partner(db: Path, tmp_path: Path) -> None:
    """A project in a non-partner country is refused."""
    line = "FR001,France,A project,validation,,,,Solar,,,,100,,,,,https://example.org/p/fr001,,,,"
    found = problems_of(db, write(tmp_path / "p.csv", PROJECT_HEADER, line))
    assert found == ["p.csv:2:country: 'France' is not a partner country"]


def test_duplicate_keys_within_the_file(db: Path, tmp_path: Path) -> None:
    """The same key twice in one file names both rows."""
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row("I7"), issuance_row("I7")))
    assert found == ["u.csv:3:issuance_id: duplicate key 'I7' (first on row 2)"]


def test_sides_add_up_to_more_than_the_total(db: Path, tmp_path: Path) -> None:
    """Japanese side + partner side above the total is refused."""
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(partner_side_tco2="40")))
    assert found == ["u.csv:2:credits_issued_tco2: Japanese side 50 + partner side 40 is more than the total 70"]


def test_overlapping_monitoring_periods(db: Path, tmp_path: Path) -> None:
    """A new issuance for MN001 whose period overlaps stored I1 (2016-04-01–2016-12-31) is refused."""
    line = issuance_row(
        country="Mongolia",
        project_refs="MN001",
        monitoring_period_start="2016-10-01",
        monitoring_period_end="2016-11-30",
    )
    found = problems_of(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, line))
    assert found == [
        "u.csv:2:monitoring_period_start: monitoring period 2016-10-01–2016-11-30 of project MN001 overlaps "
        "issuance I1 (2016-04-01–2016-12-31)"
    ]


def test_other_encoding_is_refused_and_bom_accepted(db: Path, tmp_path: Path) -> None:
    """Shift-JIS is refused naming the line; the same rows in UTF-8 with a BOM import."""
    line = issuance_row(notes="日本語の注記")
    found = problems_of(db, write(tmp_path / "sjis.csv", ISSUANCE_HEADER, line, encoding="shift_jis"))
    assert len(found) == 1
    assert found[0].startswith("sjis.csv:2:-: not UTF-8 text (byte 0x")
    result = importer.run_import([write(tmp_path / "bom.csv", ISSUANCE_HEADER, line, encoding="utf-8-sig")], db)
    assert result.written and result.changes[0].added == ["I6"]


def test_empty_file(db: Path, tmp_path: Path) -> None:
    """An empty file says it is empty."""
    assert problems_of(db, write(tmp_path / "e.csv", "")) == [
        "e.csv:1:-: file is empty; expected a header row and data rows"
    ]


def test_huge_file_is_refused_before_reading(db: Path, tmp_path: Path) -> None:
    """A file over the limit is refused by its size, without reading it into memory."""
    path = tmp_path / "huge.csv"
    with open(path, "wb") as handle:
        handle.truncate(importer.MAX_CSV_BYTES + 1)  # sparse: costs no disk or memory
    found = problems_of(db, path)
    assert found == [
        f"huge.csv:1:-: file is {importer.MAX_CSV_BYTES + 1:,} bytes, over the limit of "
        f"{importer.MAX_CSV_BYTES:,} bytes; split it"
    ]


def _workbook(path: Path, build) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "issuances"
    sheet.append(ISSUANCES.column_names)
    sheet.append([float(v) if v.isdigit() else v for v in issuance_row().split(",")])
    build(workbook)
    workbook.save(path)
    return path


def test_excel_extra_sheet_is_named(db: Path, tmp_path: Path) -> None:
    """A workbook sheet that matches no layout is reported by its name."""

    def add_notes(workbook: Workbook) -> None:
        notes = workbook.create_sheet("Notes")
        notes.append(["comment", "author"])
        notes.append(["checked by phone", "Sato"])

    found = problems_of(db, _workbook(tmp_path / "u.xlsx", add_notes))
    assert len(found) == 1
    assert found[0].startswith("u.xlsx[Notes]:1:-: the header matches none of the import layouts")


def test_excel_merged_header_cells(db: Path, tmp_path: Path) -> None:
    """Merged header cells are refused with their range."""
    found = problems_of(db, _workbook(tmp_path / "u.xlsx", lambda wb: wb["issuances"].merge_cells("A1:B1")))
    assert found == [
        "u.xlsx[issuances]:1:issuance_id: merged cells A1:B1 in the header; "
        "unmerge them so each column has its own value"
    ]


def test_excel_formula_cells(db: Path, tmp_path: Path) -> None:
    """A formula is refused with its cell and text: the values must be pasted."""

    def add_formula(workbook: Workbook) -> None:
        workbook["issuances"]["J2"] = "=50+20"

    found = problems_of(db, _workbook(tmp_path / "u.xlsx", add_formula))
    assert found == [
        "u.xlsx[issuances]:2:credits_issued_tco2: cell J2 holds a formula (=50+20); paste the values instead"
    ]


def test_excel_workbook_imports(db: Path, tmp_path: Path) -> None:
    """A clean workbook (one sheet per layout) imports like a CSV, dates and numbers read correctly."""
    result = importer.run_import([_workbook(tmp_path / "u.xlsx", lambda wb: None)], db)
    assert result.problems == [] and result.written
    with read_only(db) as con:
        after = views.summary(con, Filters(countries=("BGD",)))
    assert after["issued_by_fy"]["2019"] == 70


def test_not_csv_or_xlsx(db: Path, tmp_path: Path) -> None:
    """Another file type is refused with what to save it as."""
    found = problems_of(db, write(tmp_path / "u.txt", "hello"))
    assert found == ["u.txt:0:-: not a .csv or .xlsx file (save it as CSV UTF-8 or Excel workbook)"]


def test_valid_update_changes_totals_by_exactly_the_files_amounts(db: Path, tmp_path: Path) -> None:
    """Add I6 (Bangladesh, FY2019, 70 t), raise I1 from 100 to 130 t (Mongolia, FY2016), repeat I3 unchanged."""
    with read_only(db) as con:
        before = views.summary(con, Filters())
    i1 = (
        "I1,Mongolia,MN001,stated,,2017-03-31,2017-04-10,2016-04-01,2016-12-31,130,80,20,60,stated,"
        "https://example.org/i/1,,,decided on the last day of FY2016"
    )
    i3 = "I3,Bangladesh,,not named in source,,,2018-01-15,,,50,,,25,stated,https://example.org/i/3,,,names no project"
    result = importer.run_import([write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row(), i1, i3)], db)
    assert result.written and not result.problems
    change = result.changes[0]
    assert change.added == ["I6"]
    assert [(u["key"], u["changed"]) for u in change.updated] == [("I1", {"credits_issued_tco2": (100.0, 130.0)})]
    assert change.unchanged == 1
    with read_only(db) as con:
        after = views.summary(con, Filters())
        history = con.execute(
            "SELECT kind, file_name, added, updated, unchanged FROM imports ORDER BY import_id"
        ).fetchall()
        touched = dict(con.execute("SELECT issuance_id, last_import_id FROM issuances").fetchall())
    assert after["credits_issued_tco2"] == before["credits_issued_tco2"] + 70 + 30
    assert after["issued_by_country"]["BGD"] == before["issued_by_country"]["BGD"] + 70
    assert after["issued_by_country"]["MNG"] == before["issued_by_country"]["MNG"] + 30
    assert after["issued_by_fy"]["2019"] == 70
    assert after["issued_by_fy"]["2016"] == before["issued_by_fy"]["2016"] + 30
    assert history[-1] == ("import", "u.csv", 1, 1, 1)
    assert touched["I6"] == touched["I1"] == len(history)  # the import's id
    assert touched["I3"] == 3  # unchanged rows keep the build's provenance (issuances.csv)


def test_check_writes_nothing_and_reports(db: Path, tmp_path: Path) -> None:
    """`import --check` exits 0, reports what would change, and leaves the store byte-identical."""
    before = sha(db)
    path = write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row())
    result = run_cli("import", str(path), "--check", "--json", "--db", str(db))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["check_only"] and not report["written"]
    assert report["changes"][0]["added"] == ["I6"]
    assert sha(db) == before


def test_cli_reports_every_problem_and_exits_2(db: Path, tmp_path: Path) -> None:
    """All problems of all files are printed, not only the first."""
    before = sha(db)
    a = write(
        tmp_path / "a.csv",
        ISSUANCE_HEADER,
        issuance_row(credits_issued_tco2="-1"),
        issuance_row("I8", project_refs="ZZ1"),
    )
    b = write(tmp_path / "b.csv", "")
    result = run_cli("import", str(a), str(b), "--db", str(db))
    assert result.returncode == 2
    assert "a.csv:2:credits_issued_tco2: -1 is negative" in result.stderr
    assert "a.csv:3:project_refs: unknown project 'ZZ1'" in result.stderr
    assert "b.csv:1:-: file is empty" in result.stderr
    assert "nothing was written" in result.stderr
    assert sha(db) == before


def test_killed_import_leaves_the_old_store(db: Path, tmp_path: Path) -> None:
    """An import killed after writing its new file but before the swap: the old store opens with old totals."""
    before_sha = sha(db)
    with read_only(db) as con:
        before = views.summary(con, Filters())["credits_issued_tco2"]
    kill_import_before_its_swap(db, write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row()))
    assert sha(db) == before_sha
    with read_only(db) as con:
        assert views.summary(con, Filters())["credits_issued_tco2"] == before


def test_reader_loop_sees_no_error_during_imports(db: Path, tmp_path: Path) -> None:
    """A reader querying in a loop while three imports swap the store sees only whole old or new totals."""
    totals: list[float] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                with read_only(db) as con:
                    totals.append(views.summary(con, Filters())["credits_issued_tco2"])
            except BaseException as err:  # noqa: BLE001 - any error fails the test
                errors.append(err)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for amount in ("70", "80", "90"):
            path = write(tmp_path / f"u{amount}.csv", ISSUANCE_HEADER, issuance_row(credits_issued_tco2=amount))
            assert importer.run_import([path], db).written
    finally:
        stop.set()
        thread.join(timeout=30)
    assert errors == []
    assert len(totals) > 3
    assert set(totals) <= {470, 540, 550, 560}
    with read_only(db) as con:
        assert views.summary(con, Filters())["credits_issued_tco2"] == 560


def test_running_app_picks_up_a_new_store(db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same app session shows the imported total on its next rerun, without a restart."""
    st_cache_clear()
    monkeypatch.setenv("JCM_DB", str(db))
    at = AppTest.from_file(str(paths.REPO_ROOT / "app.py"), default_timeout=60)
    at.run()
    assert metrics_by_label(at)["Credits itemized in this data"] == "470 t"
    importer.run_import([write(tmp_path / "u.csv", ISSUANCE_HEADER, issuance_row())], db)
    at.run()
    assert not at.exception
    assert metrics_by_label(at)["Credits itemized in this data"] == "540 t"


def st_cache_clear() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def test_fixture_dir_is_untouched() -> None:
    """Imports write only to the store: the fixture CSVs stay as committed."""
    assert (FIXTURE_DIR / "issuances.csv").read_text(encoding="utf-8").count("\n") == 6
