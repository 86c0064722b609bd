"""`summary` on the real data, checked against the CSVs read independently of the store."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jcm_dash import paths

SUMMARY_KEYS = {
    "as_of",
    "credits_issued_tco2",
    "japan_side_tco2",
    "partner_side_tco2",
    "goj_share_tco2",
    "issuances_total",
    "issuances_without_amount",
    "projects_by_status",
    "partner_countries",
    "expected_annual_reductions_registered_tco2",
    "issued_by_fy",
    "issued_by_country",
}


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jcm_dash", *args],
        capture_output=True,
        text=True,
        cwd=paths.REPO_ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )


def summary_json(db: Path, *args: str) -> dict:
    result = run_cli("summary", "--json", "--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _csv_rows(name: str) -> list[dict[str, str]]:
    with open(paths.DATA_DIR / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_credits_issued_equals_sum_of_issuances_csv(real_db: Path) -> None:
    """The headline total is exactly the sum of data/issuances.csv's credits_issued_tco2."""
    rows = _csv_rows("issuances.csv")
    expected = sum(float(r["credits_issued_tco2"]) for r in rows if r["credits_issued_tco2"])
    result = summary_json(real_db)
    assert set(result) >= SUMMARY_KEYS
    assert result["credits_issued_tco2"] == expected
    assert result["issuances_total"] == len(rows)
    assert result["issuances_without_amount"] == sum(1 for r in rows if not r["credits_issued_tco2"])
    assert result["goj_share_tco2"] == sum(float(r["goj_share_tco2"]) for r in rows if r["goj_share_tco2"])
    assert result["partner_countries"] == len(_csv_rows("partner_countries.csv"))
    assert sum(v for v in result["issued_by_country"].values() if v) == expected


def test_bangladesh_2022_issuance_is_in_fy2021(real_db: Path) -> None:
    """BD002 144 t + BD004 355 t (GoJ 251 t), decided 28 March 2022, fall in FY2021, not FY2022."""
    result = summary_json(real_db, "--country", "BGD")
    assert result["issued_by_fy"] == {"2021": 499}
    assert result["credits_issued_tco2"] == 144 + 355
    assert result["goj_share_tco2"] == 251
    assert result["issued_by_country"] == {"BGD": 499}


def test_filters_combine_and_projects_follow_them(real_db: Path) -> None:
    """Mongolia + Indonesia add up to the two countries' own totals; projects follow the country filter."""
    mongolia = summary_json(real_db, "--country", "MNG")
    indonesia = summary_json(real_db, "--country", "IDN")
    both = summary_json(real_db, "--country", "MNG", "IDN")
    assert both["credits_issued_tco2"] == mongolia["credits_issued_tco2"] + indonesia["credits_issued_tco2"]
    projects = _csv_rows("projects.csv")
    registered_mn = sum(1 for p in projects if p["country"] == "Mongolia" and p["status_code"] == "registered")
    assert mongolia["projects_by_status"]["registered"] == registered_mn


def test_tech_and_fy_filters(real_db: Path) -> None:
    """Filtering by FY2021 only keeps issuances decided (else reported) in April 2021 – March 2022."""
    result = summary_json(real_db, "--fy-from", "2021", "--fy-to", "2021")
    assert set(result["issued_by_fy"]) == {"2021"}
    solar = summary_json(real_db, "--tech", "Solar")
    assert solar["credits_issued_tco2"] < summary_json(real_db)["credits_issued_tco2"]


def test_jcm_db_environment_variable_is_honoured(real_db: Path) -> None:
    """With JCM_DB set and no --db, the command reads that store."""
    result = run_cli("summary", "--json", env={"JCM_DB": str(real_db)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["issuances_total"] == len(_csv_rows("issuances.csv"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XXX"], "unknown partner country XXX; use one of: ARE, AZE"),
        (["--tech", "Nuclear"], "unknown technology Nuclear; use one of: Agriculture"),
        (["--fy-from", "2025", "--fy-to", "2020"], "--fy-from 2025 is after --fy-to 2020"),
    ],
)
def test_bad_filter_exits_2_with_what_to_use(real_db: Path, args: list[str], message: str) -> None:
    """An unknown filter value is an error that lists the valid values."""
    result = run_cli("summary", "--db", str(real_db), *args)
    assert result.returncode == 2
    assert message in result.stderr


def test_missing_store_says_how_to_build(tmp_path: Path) -> None:
    """Without a store the command exits 2 and prints the build command."""
    result = run_cli("summary", "--db", str(tmp_path / "none.duckdb"))
    assert result.returncode == 2
    assert "python -m jcm_dash build" in result.stderr


def test_text_summary_shows_units_and_unknowns(real_db: Path) -> None:
    """The human summary labels amounts in t-CO2e and FYs as FYnnnn, and says 'date unknown'."""
    result = run_cli("summary", "--db", str(real_db))
    assert result.returncode == 0
    assert "t-CO2e" in result.stdout
    assert "FY2021" in result.stdout
    assert "date unknown" in result.stdout
