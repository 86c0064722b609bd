"""`summary` on the real data, checked against the CSVs read independently of the store (tests/oracle.py).

The key checks run on data/ and on a copy with a new partner, project and issuance appended.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jcm_dash import paths

from .conftest import Dataset, run_cli, summary_json
from .oracle import REAL as oracle

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
STATUSES = ("registered", "validation", "withdrawn", "planned")


def known_by_fy(result: dict) -> dict[str, float]:
    """``issued_by_fy`` without the undated credits and the FYs whose issuances state no amount."""
    return {fy: value for fy, value in result["issued_by_fy"].items() if fy != "unknown" and value is not None}


def test_credits_issued_equals_sum_of_issuances_csv(dataset: Dataset) -> None:
    """The headline total is exactly the sum of issuances.csv's credits_issued_tco2; counts and shares too."""
    truth = dataset.oracle
    result = summary_json(dataset.db)
    assert set(result) >= SUMMARY_KEYS
    assert result["credits_issued_tco2"] == truth.issued_total()
    assert result["issuances_total"] == len(truth.issuances())
    assert result["issuances_without_amount"] == truth.without_amount()
    assert result["goj_share_tco2"] == truth.known_total("goj_share_tco2")
    assert result["partner_countries"] == len(truth.country_names())
    assert result["projects_by_status"] == {status: truth.projects_by_status().get(status, 0) for status in STATUSES}
    assert result["as_of"] == truth.as_of()
    assert {iso3: v for iso3, v in result["issued_by_country"].items() if v} == truth.issued_by_country()
    assert known_by_fy(result) == {str(fy): v for fy, v in truth.issued_by_fy().items()}


def test_an_issuance_decided_in_march_counts_in_the_fy_before(dataset: Dataset) -> None:
    """Bangladesh's credits fall in the FY of their decision date (Japan's FY: April to March)."""
    truth = dataset.oracle
    result = summary_json(dataset.db, "--country", "BGD")
    march = [r for r in truth.issuances("BGD") if r["decision_date"][5:7] in ("01", "02", "03")]
    assert march, "the check needs a Bangladesh issuance decided in January to March"
    assert known_by_fy(result) == {str(fy): v for fy, v in truth.issued_by_fy("BGD").items()}
    assert str(int(march[0]["decision_date"][:4]) - 1) in result["issued_by_fy"]
    assert result["credits_issued_tco2"] == truth.issued_total("BGD")
    assert result["goj_share_tco2"] == truth.known_total("goj_share_tco2", "BGD")
    assert result["issued_by_country"] == {"BGD": truth.issued_total("BGD")}


def test_filters_combine_and_projects_follow_them(dataset: Dataset) -> None:
    """Mongolia + Indonesia add up to the two countries' own totals; projects follow the country filter."""
    mongolia = summary_json(dataset.db, "--country", "MNG")
    indonesia = summary_json(dataset.db, "--country", "IDN")
    both = summary_json(dataset.db, "--country", "MNG", "IDN")
    assert both["credits_issued_tco2"] == mongolia["credits_issued_tco2"] + indonesia["credits_issued_tco2"]
    assert mongolia["projects_by_status"]["registered"] == dataset.oracle.projects_by_status("MNG")["registered"]


def test_tech_and_fy_filters(dataset: Dataset) -> None:
    """Filtering by FY2021 only keeps issuances decided (else reported) in April 2021 – March 2022."""
    result = summary_json(dataset.db, "--fy-from", "2021", "--fy-to", "2021")
    assert set(result["issued_by_fy"]) == {"2021"}
    assert known_by_fy(result) == {"2021": dataset.oracle.issued_by_fy()[2021]}
    solar = summary_json(dataset.db, "--tech", "Solar")
    assert solar["credits_issued_tco2"] < summary_json(dataset.db)["credits_issued_tco2"]


def test_jcm_db_environment_variable_is_honoured(dataset: Dataset) -> None:
    """With JCM_DB set and no --db, the command reads that store."""
    result = run_cli("summary", "--json", env={"JCM_DB": str(dataset.db)})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["issuances_total"] == len(dataset.oracle.issuances())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XXX"], "unknown partner country XXX; use one of: " + ", ".join(sorted(oracle.country_names()))),
        (["--tech", "Nuclear"], "unknown technology Nuclear; use one of: "),
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


# Heavy modules and what they belong to; each command must load only those it needs.
HEAVY = ("pandas", "duckdb", "plotly", "pptx", "openpyxl", "jcm_dash.briefing", "jcm_dash.importer", "jcm_dash.charts")


def loaded_by(*args: str) -> list[str]:
    """The HEAVY modules loaded after running the command line with ``args`` in a fresh interpreter."""
    code = (
        "import contextlib, io, sys\n"
        "from jcm_dash import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    cli.main({list(args)!r})\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.REPO_ROOT)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().replace("'", '"'))


def test_each_command_loads_only_what_it_needs(real_db: Path) -> None:
    """--help loads neither pandas nor the store; summary not the briefing, the charts or the importer."""
    assert loaded_by("--help") == []
    assert loaded_by("summary", "--json", "--db", str(real_db)) == ["duckdb", "pandas"]
