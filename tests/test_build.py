"""`build`: bad CSVs exit 2 naming file, row, column and reason, and the previous store is untouched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from jcm_dash import store
from jcm_dash.validate import ValidationError

from .conftest import read_only, run_cli, sha


def _run_build(data: Path, db: Path) -> subprocess.CompletedProcess[str]:
    return run_cli("build", "--data", str(data), "--db", str(db))


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def built(tmp_path: Path, data_copy: Path) -> Path:
    """A good store built from the fixture, which the tests then try to overwrite with bad data."""
    db = tmp_path / "store.duckdb"
    assert _run_build(data_copy, db).returncode == 0
    return db


def test_malformed_csv_exits_2_names_row_and_column_and_keeps_store(built: Path, data_copy: Path) -> None:
    """An impossible date on I2 (row 3) is reported as issuances.csv:3:decision_date and nothing is written."""
    before = sha(built)
    _replace_in(
        data_copy / "issuances.csv",
        "I2,Mongolia,MN001;MN002,stated,,2017-04-01",
        "I2,Mongolia,MN001;MN002,stated,,2017-02-30",
    )
    result = _run_build(data_copy, built)
    assert result.returncode == 2
    assert "issuances.csv:3:decision_date: '2017-02-30' is not a real calendar day" in result.stderr
    assert "left unchanged" in result.stderr
    assert sha(built) == before
    assert sorted(p.name for p in built.parent.iterdir() if p.name != "csv") == ["store.duckdb"]


def test_every_problem_is_reported_in_one_run(built: Path, data_copy: Path) -> None:
    """Several kinds of bad rows across files are all listed, each with file:row:column: reason."""
    before = sha(built)
    issuances = data_copy / "issuances.csv"
    _replace_in(
        issuances,
        "I1,Mongolia,MN001,stated,,2017-03-31,2017-04-10,2016-04-01,2016-12-31,100,80,20,60",
        "I1,Mongolia,MN009,stated,,2017-03-31,2017-04-10,2016-12-31,2016-04-01,-100,80,20,60",
    )
    _replace_in(issuances, "I4,Bangladesh,BD001,stated,,,,,,20,", "I3,Atlantis,BD001,stated,,,,,,2O,")
    _replace_in(
        issuances,
        "I2,Mongolia,MN001;MN002,stated,,2017-04-01,,2017-01-01,2017-03-01,300,240,60",
        "I2,Mongolia,MN001;MN002,stated,,2017-04-01,,2017-01-01,2017-03-01,300,240,90",
    )
    _replace_in(data_copy / "projects.csv", "BD002,Bangladesh", "BD002,Narnia")
    result = _run_build(data_copy, built)
    assert result.returncode == 2
    expected = [
        "issuances.csv:2:project_refs: unknown project 'MN009'",
        "issuances.csv:2:monitoring_period_end: monitoring period ends (2016-04-01) before it starts (2016-12-31)",
        "issuances.csv:2:credits_issued_tco2: -100 is negative; amounts must be >= 0",
        "issuances.csv:3:credits_issued_tco2: Japanese side 240 + partner side 90 is more than the total 300",
        "issuances.csv:5:issuance_id: duplicate key 'I3' (first on row 4)",
        "issuances.csv:5:country: 'Atlantis' is not a partner country",
        "issuances.csv:5:credits_issued_tco2: '2O' is not a number of t-CO2e",
        "projects.csv:5:country: 'Narnia' is not a partner country",
    ]
    for line in expected:
        assert line in result.stderr
    assert sha(built) == before


def test_missing_column_is_named(built: Path, data_copy: Path) -> None:
    """A renamed header column is reported on row 1 with the unknown name found instead."""
    before = sha(built)
    _replace_in(data_copy / "projects.csv", "status_code,", "status,")
    result = _run_build(data_copy, built)
    assert result.returncode == 2
    assert "projects.csv:1:status_code: required column is missing (found unknown column: status)" in result.stderr
    assert sha(built) == before


def test_not_utf8_and_empty_files_are_refused(built: Path, data_copy: Path) -> None:
    """A Shift-JIS file names the line with the bad byte; an empty file asks for the header."""
    before = sha(built)
    (data_copy / "targets.csv").write_bytes("target_name\n目標\n".encode("shift_jis"))
    (data_copy / "aggregates.csv").write_text("", encoding="utf-8")
    result = _run_build(data_copy, built)
    assert result.returncode == 2
    assert "targets.csv:2:-: not UTF-8 text" in result.stderr
    assert "aggregates.csv:1:-: file is empty; expected a header row: metric,value," in result.stderr
    assert sha(built) == before


def test_utf8_bom_is_accepted(tmp_path: Path, data_copy: Path) -> None:
    """A file saved by Excel with a UTF-8 BOM builds like any other."""
    path = data_copy / "partner_countries.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = _run_build(data_copy, tmp_path / "bom.duckdb")
    assert result.returncode == 0, result.stderr
    assert "partner_countries 4" in result.stdout


def test_store_constraints_catch_what_validation_might_miss(tmp_path: Path) -> None:
    """A negative amount that reached the writer is refused by the schema, and the old store stays."""
    db = tmp_path / "store.duckdb"
    db.write_bytes(b"previous store bytes")
    frames = {
        name: pd.DataFrame(columns=cols)
        for name, cols in {
            "partner_countries": ["iso3", "country", "source_url"],
            "projects": ["project_ref", "country", "title", "status_code", "source_url", "country_iso3"],
            "issuances": ["issuance_id", "country", "source_url", "country_iso3", "event_date_basis", "n_projects"],
            "issuance_projects": ["issuance_id", "project_ref"],
            "targets": ["target_name", "source_url", "is_superseded"],
            "published_figures": ["figure_id", "metric", "value", "source_url"],
        }.items()
    }
    frames["imports"] = pd.DataFrame(
        [
            {
                "import_id": 1,
                "kind": "build",
                "file_name": "x.csv",
                "table_name": "issuances",
                "sha256": "0",
                "rows": 1,
                "added": 1,
                "updated": 0,
                "unchanged": 0,
                "imported_at": pd.Timestamp("2026-01-01"),
            }
        ]
    )
    frames["partner_countries"] = pd.DataFrame(
        [{"iso3": "MNG", "country": "Mongolia", "source_url": "u", "last_import_id": 1}]
    )
    frames["issuances"] = pd.DataFrame(
        [
            {
                "issuance_id": "X",
                "country": "Mongolia",
                "source_url": "u",
                "country_iso3": "MNG",
                "event_date_basis": "unknown",
                "n_projects": 0,
                "credits_issued_tco2": -5.0,
                "last_import_id": 1,
            }
        ]
    )
    with pytest.raises(duckdb.ConstraintException, match="credits_issued_tco2"):
        store.write_store(frames, db, {"schema_version": "test"})
    assert db.read_bytes() == b"previous store bytes"
    assert [p.name for p in tmp_path.iterdir()] == ["store.duckdb"]


def test_successful_rebuild_replaces_the_store(built: Path, data_copy: Path) -> None:
    """A valid change lands: the new amount is in the rebuilt store, with no temporary file left."""
    inode_before = os.stat(built).st_ino
    _replace_in(
        data_copy / "issuances.csv", "I4,Bangladesh,BD001,stated,,,,,,20,", "I4,Bangladesh,BD001,stated,,,,,,25,"
    )
    assert _run_build(data_copy, built).returncode == 0
    with read_only(built) as con:
        total = con.execute("SELECT sum(credits_issued_tco2) FROM issuances").fetchone()[0]
    assert total == 475
    assert os.stat(built).st_ino != inode_before  # a new file, swapped in whole
    assert sorted(p.name for p in built.parent.iterdir() if p.name != "csv") == ["store.duckdb"]


def test_build_raises_validation_error_in_python(data_copy: Path, tmp_path: Path) -> None:
    """The library call raises ValidationError carrying every problem."""
    _replace_in(data_copy / "projects.csv", "2016-03-31", "31/03/2016")
    with pytest.raises(ValidationError) as caught:
        store.build(data_copy, tmp_path / "x.duckdb")
    assert [str(p) for p in caught.value.problems] == [
        "projects.csv:2:registration_date: '31/03/2016' is not a date in YYYY-MM-DD form"
    ]
    assert not (tmp_path / "x.duckdb").exists()


def test_store_in_a_folder_with_a_quote_opens(data_copy: Path, tmp_path: Path) -> None:
    """The store path is bound as a parameter, so a folder like "O'Brien's data" needs no escaping."""
    db = tmp_path / "O'Brien's data" / "store.duckdb"
    store.build(data_copy, db)
    with read_only(db) as con:
        assert con.execute("SELECT count(*) FROM partner_countries").fetchone()[0] > 0
