"""One column contract: jcm_dash/tables.py, with schema.sql, the queries and the README checked against it."""

from __future__ import annotations

import re

import duckdb
import pytest

from jcm_dash import paths, queries, store
from jcm_dash.queries import Filters
from jcm_dash.tables import ALL_TABLES, ISSUANCES, PROVENANCE, Column, Table

# The store type of each kind of column (schema.sql).
STORE_TYPES = {
    "source": "VARCHAR",  # an http(s) link or a source's name (article6/agreements.csv)
    "text": "VARCHAR",
    "iso3": "VARCHAR",
    "partial_date": "VARCHAR",
    "refs": "VARCHAR",
    "url": "VARCHAR",
    "date": "DATE",
    "amount": "DOUBLE",
    "int": "INTEGER",
    "bool": "BOOLEAN",
}


@pytest.fixture(scope="module")
def schema() -> dict[str, dict[str, tuple[str, bool]]]:
    """Table → column → (type, nullable), from schema.sql and derived.sql run on an empty database."""
    con = duckdb.connect(":memory:")
    try:
        con.execute(paths.SCHEMA_SQL.read_text(encoding="utf-8"))
        con.execute(paths.DERIVED_SQL.read_text(encoding="utf-8"))
        rows = con.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns() "
            "WHERE database_name = 'memory' ORDER BY table_name, column_index"
        ).fetchall()
    finally:
        con.close()
    found: dict[str, dict[str, tuple[str, bool]]] = {}
    for table, column, kind, nullable in rows:
        found.setdefault(table, {})[column] = (kind, nullable)
    return found


def store_columns(spec: Table) -> tuple[Column, ...]:
    return (*spec.columns, *spec.derived, PROVENANCE)


@pytest.mark.parametrize("spec", ALL_TABLES, ids=lambda spec: spec.table)
def test_schema_has_exactly_the_columns_tables_py_names(schema, spec: Table) -> None:
    """Each data table has the file's columns, the derived ones and provenance; nothing else."""
    assert sorted(schema[spec.table]) == sorted(c.name for c in store_columns(spec))


@pytest.mark.parametrize("spec", ALL_TABLES, ids=lambda spec: spec.table)
def test_schema_types_and_required_columns_follow_tables_py(schema, spec: Table) -> None:
    """A column's store type follows its kind; a required column (or a key) is NOT NULL, the others may be NULL."""
    for column in store_columns(spec):
        kind, nullable = schema[spec.table][column.name]
        assert kind == STORE_TYPES[column.kind], (spec.table, column.name)
        required = column.required or (column.name,) == spec.key
        assert nullable is not required, (spec.table, column.name)


def test_choices_are_the_schema_checks() -> None:
    """A column with a fixed set of values is checked by schema.sql against the same set."""
    sql = paths.SCHEMA_SQL.read_text(encoding="utf-8")
    for spec in ALL_TABLES:
        for column in store_columns(spec):
            if column.choices:
                # The values are quoted, and may hold parentheses themselves ('BA (signed)').
                found = re.search(rf"CHECK \({column.name} IN \(((?:\s*'[^']*',?)+)\s*\)\)", sql)
                assert found, (spec.table, column.name)
                assert re.findall(r"'([^']*)'", found.group(1)) == list(column.choices)


def test_imports_table_is_what_the_build_writes(schema) -> None:
    """The build's provenance records (store.IMPORT_COLUMNS) are the columns of schema.sql's imports table."""
    assert list(schema["imports"]) == store.IMPORT_COLUMNS


def test_the_issuance_query_gives_every_shown_column(tiny_con) -> None:
    """Row-level issuances carry each issuances.csv column a page shows, the derived ones, and the labels."""
    frame = queries.issuances(tiny_con, Filters())
    shown = [c for c in ISSUANCES.column_names if c != "retrieved_via"]  # provenance text, never shown
    assert set(shown) <= set(frame.columns)
    assert {c.name for c in ISSUANCES.derived} <= set(frame.columns)
    assert {"project_set", "technology", "technology_subtype", "technology_detail"} <= set(frame.columns)
    assert "tech_set_id" not in frame.columns  # the filter's internal key stays in SQL


def readme_layout() -> dict[str, tuple[str, str]]:
    """The README's "Data layout" table: file → (key cell, columns cell)."""
    text = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Data layout", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`") and cells[0].endswith(".csv`"):
            rows[cells[0].strip("`")] = (cells[1], cells[2])
    return rows


def test_readme_data_layout_names_the_columns_of_tables_py() -> None:
    """Every file has a row with its key; every column the row names exists; every required column is named."""
    rows = readme_layout()
    assert sorted(rows) == sorted(spec.file for spec in ALL_TABLES)
    for spec in ALL_TABLES:
        key, columns = rows[spec.file]
        assert re.findall(r"`([a-z0-9_]+)`", key) == list(spec.key), spec.file
        named = set(re.findall(r"`([a-z][a-z0-9_]*)`", columns))
        assert named <= set(spec.column_names), (spec.file, sorted(named - set(spec.column_names)))
        required = {c.name for c in spec.columns if c.required} - set(spec.key)
        assert required <= named, (spec.file, sorted(required - named))
