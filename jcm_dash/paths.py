"""Path constants anchored on the repository root, with the JCM_DB override for the store."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
DEFAULT_DB = DATA_DIR / "jcm.duckdb"
SCHEMA_SQL = Path(__file__).resolve().parent / "schema.sql"
DERIVED_SQL = Path(__file__).resolve().parent / "derived.sql"
# Served by Streamlit at app/static/ (server.enableStaticServing): the map shapes live here.
STATIC_DIR = REPO_ROOT / "static"
TOPOJSON_DIR = STATIC_DIR / "topojson"


def db_path() -> Path:
    """Return the store's path: ``$JCM_DB`` when set and non-empty, else ``data/jcm.duckdb``."""
    override = os.environ.get("JCM_DB", "").strip()
    return Path(override) if override else DEFAULT_DB
