"""Data freshness and coverage (pure functions and the /data page), templates and `build --if-needed`."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from jcm_dash import exports, store, views
from jcm_dash.queries import Filters
from jcm_dash.tables import IMPORTABLE, ISSUANCES, TARGETS

from .conftest import FIXTURE_DIR, ISSUANCE_HEADER, Dataset, issuance_row, open_page, run_cli, sha, table_with
from .oracle import REAL as oracle


def test_coverage_by_country_on_the_fixture(tiny_con) -> None:
    """MNG: 2 projects, both named by issuances; BGD: 1 of 2, one issuance naming no project; IDN: no amount."""
    status = views.data_status(tiny_con, Filters(), today=dt.date(2019, 3, 1))
    assert status["as_of"] == dt.date(2019, 2, 1)
    assert status["days_since"] == 28
    table = status["coverage"].set_index("iso3")
    assert table.loc["MNG", ["projects", "projects_with_issuance_data", "issuances"]].tolist() == [2, 2, 2]
    assert table.loc[
        "BGD", ["projects", "projects_with_issuance_data", "issuances_without_named_projects"]
    ].tolist() == [2, 1, 1]
    assert table.loc["IDN", "issuances_without_amount"] == 1
    assert table.loc["SEN"].drop("country").sum() == 0


def test_coverage_follows_the_country_filter(tiny_con) -> None:
    """With ?country=BGD only Bangladesh is listed."""
    status = views.data_status(tiny_con, Filters(countries=("BGD",)))
    assert status["coverage"]["iso3"].tolist() == ["BGD"]


def test_published_figures_beside_the_data(tiny_con) -> None:
    """1,000 t published by 2017-06 vs 400 t dated by then; Mongolia 450 t vs 400 t; '>200' not compared."""
    published = views.data_status(tiny_con, Filters())["published"].set_index(["metric", "as_of_date"])
    assert published.loc[("credits_issued_cumulative", "2017-06"), "dataset_same_date"] == 400
    assert published.loc[("credits_issued_cumulative", "2016-12"), "dataset_same_date"] == 0
    assert published.loc[("credits_issued_mongolia_cumulative", "~2018-01-01"), "dataset_same_date"] == 400
    assert published.loc[("jcm_projects", "2023-03-28"), "published"] == ">200"
    assert pd.isna(published.loc[("jcm_projects", "2023-03-28"), "dataset_same_date"])


def test_known_conflicts_come_from_the_notes(real_con) -> None:
    """Every row whose notes record a conflict, an overlap or a "vs." between sources is listed by its key."""
    conflicts = views.data_status(real_con, Filters())["conflicts"]
    noted = re.compile(r"conflict|overlap|\bvs\b", re.IGNORECASE)
    keys = {"issuances": "issuance_id", "projects": "project_ref", "partner_countries": "iso3"}
    expected = {r[key] for name, key in keys.items() for r in oracle.rows(name) if noted.search(r["notes"])}
    assert expected, "the real data records conflicts between sources"
    assert set(conflicts["key"]) == expected


def test_templates_have_each_layout(tmp_path: Path) -> None:
    """The CSV template is the header row; the workbook has one sheet per importable layout."""
    assert exports.template_csv(ISSUANCES).decode("utf-8").strip() == ",".join(ISSUANCES.column_names)
    workbook = load_workbook(io.BytesIO(exports.template_xlsx(IMPORTABLE)))
    assert workbook.sheetnames == [spec.table for spec in IMPORTABLE]
    assert [c.value for c in workbook["projects"][1]] == IMPORTABLE[1].column_names


def test_data_page_shows_freshness_coverage_and_history(dataset: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page gives the as-of date, the issuances without amount, every partner and the build records."""
    oracle = dataset.oracle
    at = open_page(dataset.db, monkeypatch, "data")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Data as of"] == oracle.as_of()
    assert shown["Issuances without an amount"] == f"{oracle.without_amount()} of {len(oracle.issuances())}"
    assert len(table_with(at, "Projects with issuance data")) == len(oracle.country_names())
    published = table_with(at, "This dataset at that date").set_index(["Metric", "As of"])
    for row in oracle.rows("aggregates"):
        if row["metric"] == "credits_issued_cumulative":  # published as plain numbers: shown with separators
            assert published.loc[("Credits issued, cumulative", row["as_of_date"]), "Published"] == (
                f"{int(row['value']):,}"
            )
    history = table_with(at, "Unchanged")
    assert sorted(history["File"]) == sorted(spec.file for spec in (*IMPORTABLE, TARGETS))


def test_check_a_file_reports_without_writing(tmp_path: Path, tiny_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uploading a bad file lists its problems; a good one lists the changes; the store is unchanged."""
    db = tmp_path / "store.duckdb"
    shutil.copy(tiny_db, db)
    before = sha(db)
    at = open_page(db, monkeypatch, "data")
    bad = f"{ISSUANCE_HEADER}\n{issuance_row(project_refs='ZZ9')}\n".encode()
    at.file_uploader(key="check_upload").upload("update.csv", bad, "text/csv").run()
    assert not at.exception
    assert "1 problem in update.csv" in at.error[0].value
    problems = table_with(at, "Reason")
    assert problems.iloc[0].tolist() == ["update.csv", 2, "project_refs", "unknown project 'ZZ9'"]
    good = f"{ISSUANCE_HEADER}\n{issuance_row()}\n".encode()
    at.file_uploader(key="check_upload").upload("update.csv", good, "text/csv").run()
    assert "update.csv is valid" in at.success[0].value
    assert any("Added: `I6`" in m.value for m in at.markdown)
    assert sha(db) == before


def test_build_if_needed_keeps_an_up_to_date_store(tmp_path: Path) -> None:
    """`build --if-needed` leaves a current store alone and rebuilds when a CSV is newer."""
    data = tmp_path / "csv"
    shutil.copytree(FIXTURE_DIR, data)
    db = tmp_path / "store.duckdb"

    def build():
        done = run_cli("build", "--if-needed", "--data", str(data), "--db", str(db))
        assert done.returncode == 0, done.stderr
        return done

    assert "building: no store" in build().stdout
    assert "up to date" in build().stdout
    later = time.time() + 5
    os.utime(data / "projects.csv", (later, later))
    assert "building: a CSV" in build().stdout


def test_old_schema_store_asks_for_a_rebuild(tmp_path: Path) -> None:
    """A store from an older schema is refused with the rebuild command, not misread."""
    import duckdb

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR); INSERT INTO meta VALUES ('schema_version', '1')")
    con.close()
    result = run_cli("summary", "--db", str(db))
    assert result.returncode == 2
    assert f"has schema version 1; this code needs {store.SCHEMA_VERSION}" in result.stderr
