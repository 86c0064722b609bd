"""Shared fixtures: stores built from the tiny hand-made fixture (tests/data/) and from the real data/.

tests/data/README.md says how the fixture was made and which cases it covers.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from jcm_dash import paths, store

FIXTURE_DIR = Path(__file__).parent / "data"


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


@pytest.fixture
def tiny_con(tiny_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the tiny store."""
    con = store.connect_read_only(tiny_db)
    yield con
    con.close()


@pytest.fixture
def real_con(real_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the real store."""
    con = store.connect_read_only(real_db)
    yield con
    con.close()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny fixture CSVs, for tests that break one file."""
    target = tmp_path / "csv"
    shutil.copytree(FIXTURE_DIR, target)
    return target
