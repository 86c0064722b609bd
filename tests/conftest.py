"""Shared fixtures and helpers: stores, the CLI runner, a read-only connection, AppTest and import-file helpers.

Stores are built from the tiny hand-made fixture (tests/data/; its README says how it was made and
which cases it covers), from the real data/, and from a copy of data/ with a new partner, project
and issuance appended (``append_new_rows``), so the real-data checks can prove that a data update
breaks none of them. Test modules import what they share from here, never from one another.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from jcm_dash import importer, paths, store
from jcm_dash.tables import ARTICLE6_AGREEMENTS, ISSUANCES, PARTNER_COUNTRIES, PROJECTS

from .oracle import Oracle

FIXTURE_DIR = Path(__file__).parent / "data"
APP = str(paths.REPO_ROOT / "app.py")


# --- Stores ---------------------------------------------------------------------------------------


@pytest.fixture
def clear_streamlit_caches() -> Iterator[None]:
    """Streamlit's caches emptied before and after a test, so an AppTest never reads another test's store."""
    import streamlit as st  # noqa: PLC0415

    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the tiny fixture CSVs."""
    db = tmp_path_factory.mktemp("tiny") / "tiny.duckdb"
    store.build(FIXTURE_DIR, db)
    return db


@pytest.fixture(scope="session")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the real, sourced CSVs in data/."""
    db = tmp_path_factory.mktemp("real") / "jcm.duckdb"
    store.build(paths.DATA_DIR, db)
    return db


@contextlib.contextmanager
def read_only(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to ``db`` for the block, closed after it."""
    con = store.connect_read_only(db)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture
def tiny_con(tiny_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the tiny store."""
    with read_only(tiny_db) as con:
        yield con


@pytest.fixture
def real_con(real_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the real store."""
    with read_only(real_db) as con:
        yield con


@pytest.fixture
def db(tmp_path: Path, tiny_db: Path) -> Path:
    """A private copy of the tiny store, for one test to import into or damage."""
    target = tmp_path / "store.duckdb"
    shutil.copy(tiny_db, target)
    return target


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture CSVs, for tests that break one file."""
    target = tmp_path / "csv"
    shutil.copytree(FIXTURE_DIR, target)
    return target


# --- The real data and a copy with new rows -------------------------------------------------------


# Real countries that are not JCM partners, so a new partner has a Japanese name and a map shape.
NEW_PARTNERS = (("Ghana", "GHA"), ("Rwanda", "RWA"), ("Peru", "PER"), ("Fiji", "FJI"))


def append_new_rows(folder: Path) -> str:
    """Append a valid new partner, its registered project, an issuance and Japan's agreement with it to ``folder``.

    What a data update brings: a partner the data did not have (the first of NEW_PARTNERS not in it,
    so appending twice still gives valid data), one project and one issuance of it, dated after the
    data's current as-of date so that every "latest" and "as of" moves. Test rows, not real data.
    Returns the new partner's ISO3.
    """
    oracle = Oracle(folder)
    country, iso3 = next(p for p in NEW_PARTNERS if p[1] not in oracle.country_names())
    start = dt.date.fromisoformat(oracle.as_of()) + dt.timedelta(days=1)
    orders = [int(r["partner_order"]) for r in oracle.rows("partner_countries") if r["partner_order"]]
    note = "test row appended by tests/conftest.py (not real data)"
    project_ref = f"{iso3}-TEST-001"
    _append(
        folder / PARTNER_COUNTRIES.file,
        PARTNER_COUNTRIES.column_names,
        {
            "country": country,
            "iso3": iso3,
            "date_bilateral_document_signed": start.isoformat(),
            "date_precision": "day",
            "partner_order": str(max(orders, default=0) + 1),
            "source_url": "https://example.org/test/partner",
            "notes": note,
        },
    )
    _append(
        folder / PROJECTS.file,
        PROJECTS.column_names,
        {
            "project_ref": project_ref,
            "country": country,
            "title": "Test solar project appended by the tests",
            "status_code": "registered",
            "registration_date": (start + dt.timedelta(days=1)).isoformat(),
            "unep_type": "Solar",
            "unep_subtype": "Solar PV",
            "expected_annual_reductions_tco2": "5000",
            "source_url": "https://example.org/test/project",
            "notes": note,
        },
    )
    _append(
        folder / ISSUANCES.file,
        ISSUANCES.column_names,
        {
            "issuance_id": f"ISS-TEST-{iso3}",
            "country": country,
            "project_refs": project_ref,
            "project_refs_basis": "stated",
            "decision_date": (start + dt.timedelta(days=60)).isoformat(),
            "monitoring_period_start": (start + dt.timedelta(days=1)).isoformat(),
            "monitoring_period_end": (start + dt.timedelta(days=31)).isoformat(),
            "credits_issued_tco2": "1000",
            "japan_side_tco2": "500",
            "partner_side_tco2": "500",
            "goj_share_tco2": "400",
            "source_url": "https://example.org/test/issuance",
            "notes": note,
        },
    )
    # The new partner's JCM document is also a new Article 6 agreement of Japan's.
    _append(
        folder / ARTICLE6_AGREEMENTS.file,
        ARTICLE6_AGREEMENTS.column_names,
        {
            "buyer_country": "Japan",
            "host_country": country,
            "host_region": "Africa" if iso3 in ("GHA", "RWA") else "Americas" if iso3 == "PER" else "Oceania",
            "date": start.isoformat(),
            "status": "MoU",
            "title": "Test agreement appended by the tests",
            "associated_projects": "1",
            "source_url": "https://example.org/test/agreement",
            "retrieved_via": note,
        },
    )
    return iso3


def _append(path: Path, columns: list[str], values: dict[str, str]) -> None:
    text = path.read_text(encoding="utf-8-sig")
    with open(path, "a", encoding="utf-8", newline="") as handle:
        if not text.endswith("\n"):
            handle.write("\n")
        csv.writer(handle, lineterminator="\n").writerow([values.get(c, "") for c in columns])


@dataclass(frozen=True)
class Dataset:
    """A data folder, the store built from it, and the oracle's reading of it."""

    name: str
    folder: Path
    db: Path

    @property
    def oracle(self) -> Oracle:
        """The independent reading of ``folder``."""
        return Oracle(self.folder)


@pytest.fixture(scope="session")
def augmented_db(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """data/ with ``append_new_rows``, built by ``python -m jcm_dash build`` into the store JCM_DB names."""
    root = tmp_path_factory.mktemp("augmented")
    folder = root / "data"
    shutil.copytree(paths.DATA_DIR, folder, ignore=shutil.ignore_patterns("*.duckdb*"))
    append_new_rows(folder)
    db = root / "jcm.duckdb"
    built = run_cli("build", "--data", str(folder), env={"JCM_DB": str(db)})
    assert built.returncode == 0, built.stderr
    return Dataset("data+new rows", folder, db)


@pytest.fixture(scope="session", params=["data", "data+new rows"])
def dataset(request: pytest.FixtureRequest, real_db: Path) -> Dataset:
    """The real data/ and its copy with new rows: a real-data check taking this runs on both."""
    if request.param == "data":
        return Dataset("data", paths.DATA_DIR, real_db)
    return request.getfixturevalue("augmented_db")


# --- The command line -----------------------------------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m jcm_dash ARGS`` from the repository root; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, "-m", "jcm_dash", *args],
        capture_output=True,
        text=True,
        cwd=paths.REPO_ROOT,
        env={**os.environ, **(env or {})},
        check=False,
    )


def summary_json(db: Path, *args: str) -> dict:
    """``summary --json`` of ``db`` with ``args``, parsed; it must succeed."""
    result = run_cli("summary", "--json", "--db", str(db), *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# --- Import files ---------------------------------------------------------------------------------

ISSUANCE_HEADER = ",".join(ISSUANCES.column_names)
PROJECT_HEADER = ",".join(PROJECTS.column_names)


def issuance_row(issuance_id: str = "I6", **values: str) -> str:
    """An issuances.csv line: a valid Bangladesh issuance of the tiny fixture's BD001 unless ``values`` change it."""
    row = {
        "issuance_id": issuance_id,
        "country": "Bangladesh",
        "project_refs": "BD001",
        "project_refs_basis": "stated",
        "decision_date": "2019-05-01",
        "monitoring_period_start": "2018-01-01",
        "monitoring_period_end": "2018-12-31",
        "credits_issued_tco2": "70",
        "japan_side_tco2": "50",
        "partner_side_tco2": "20",
        "source_url": "https://example.org/i/6",
        **values,
    }
    return ",".join(row.get(c, "") for c in ISSUANCES.column_names)


def sha(path: Path) -> str:
    """The file's SHA-256, to prove a store was left byte for byte as it was."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(path: Path, *lines: str, encoding: str = "utf-8") -> Path:
    """Write ``lines`` to ``path`` (one per line) and return it."""
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


def problems_of(db: Path, *files: Path, encoding: str = "utf-8") -> list[str]:
    """Run the import; assert it wrote nothing and the store is byte-identical; return the problems."""
    before = sha(db)
    result = importer.run_import(list(files), db, encoding=encoding)
    assert not result.written
    assert sha(db) == before
    return [str(p) for p in result.problems]


# --- The app through AppTest ----------------------------------------------------------------------


def open_page(
    db: Path, monkeypatch: pytest.MonkeyPatch, page: str | None = None, *, check: bool = True, **query: str | list[str]
):
    """Run app.py on ``db`` with ``query`` in the URL, on ``pages/<page>.py`` (the overview when None).

    Returns the AppTest after its first run, which must have raised nothing unless ``check`` is False.
    """
    from streamlit.testing.v1 import AppTest  # noqa: PLC0415  (only the AppTest modules pay for it)

    monkeypatch.setenv("JCM_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    if page is None:
        at.run()
    else:
        at.switch_page(f"pages/{page}.py").run()
    assert not check or not at.exception, [e.value for e in at.exception]
    return at


def run_app(db: Path, monkeypatch: pytest.MonkeyPatch, **query: str | list[str]):
    """The overview (app.py's first page) on ``db`` with ``query`` in the URL."""
    return open_page(db, monkeypatch, None, **query)


def shown(text: str) -> str:
    """Text as the page shows it: the backslashes of Markdown escapes removed."""
    return text.replace("\\", "")


def metrics_by_label(at) -> dict[str, str]:
    """Each card's value by its label, as shown."""
    return {shown(m.label): shown(m.value) for m in at.metric}


def notes_by_label(at) -> dict[str, str]:
    """Each card's muted line under its value."""
    return {shown(m.label): shown(m.proto.delta) for m in at.metric}


def table_with(at, column: str):
    """The first dataframe shown that has ``column``; an amount shown as "unknown" comes back as NaN.

    Tables are drawn through jcm_dash.display, which stores an unknown amount as a sentinel below
    every real amount (so the grid can sort it) and shows it as "unknown"; a cell with nothing
    itemized ("–") comes back as 0, the value the downloads hold.
    """
    from jcm_dash import display  # noqa: PLC0415

    frame = next(d.value for d in at.dataframe if column in d.value.columns)
    numeric = frame.select_dtypes("number").columns
    return frame.assign(
        **{
            c: frame[c].mask(frame[c] == display.UNKNOWN_SENTINEL).mask(frame[c] == display.NOTHING_SENTINEL, 0.0)
            for c in numeric
        }
    )


def walk_elements(node) -> Iterator:
    """Every element of an AppTest tree (``at._tree``), depth first."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk_elements(child)


def strings_in(value) -> Iterator[str]:
    """Every string in a nested dict / list (an element's protobuf as a dict, a chart's JSON)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


# --- Processes: a paused import, a free port, the browser -----------------------------------------


def kill_import_before_its_swap(db: Path, upload: Path, wait_s: float = 60) -> None:
    """Start ``import upload`` into ``db`` paused before its swap (store.PAUSE_ENV), then kill -9 it.

    Returns once it is dead: its new file was complete, the store not yet replaced.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "jcm_dash", "import", str(upload), "--db", str(db)],
        cwd=paths.REPO_ROOT,
        env={**os.environ, store.PAUSE_ENV: "60"},
    )
    deadline = time.monotonic() + wait_s
    while not list(db.parent.glob(f".{db.name}.*.building")):
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    time.sleep(1.0)  # well inside the pause: the new file is complete, the swap not yet done
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Debian's Chromium (Playwright's own browser download does not work here), with no background calls home.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CHART = ".js-plotly-plot .main-svg"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (the browser tests' modules only)."""
    from playwright.sync_api import expect, sync_playwright  # noqa: PLC0415

    # Playwright's assertions retry until their text appears, for 5 s by default. A page on a loaded
    # 2-core machine can take longer to draw (the first-screen test missed it once with five test
    # runs at once), and a failure must mean a wrong page, not a slow one: wait up to 30 s.
    expect.set_options(timeout=30_000)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
