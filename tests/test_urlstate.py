"""The URL-bound page state through AppTest (the projects search), and one set of scenario bounds for page and CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from jcm_dash import cli, projections
from jcm_dash.ui import urlstate

from .conftest import open_page
from .oracle import REAL as oracle


def projects_table(at: AppTest) -> pd.DataFrame:
    """The projects page's table of projects."""
    return next(d.value for d in at.dataframe if "Reference" in d.value.columns and "Title" in d.value.columns)


def test_search_in_the_url_fills_the_box_and_narrows_the_table(real_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """/projects?search=mongolia: the box holds the text, the table the projects that mention it, the URL keeps it."""
    at = open_page(real_db, monkeypatch, "projects", search="mongolia")
    assert at.text_input(key="project_search").value == "mongolia"
    table = projects_table(at)
    expected = oracle.projects_matching("mongolia")
    assert 0 < len(expected) < len(oracle.rows("projects"))
    assert sorted(table["Reference"]) == expected
    assert at.query_params.get("search") == "mongolia"


def test_typing_a_search_writes_it_to_the_url_and_clearing_removes_it(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search box's text travels as ?search= (stripped); an empty box leaves no parameter."""
    at = open_page(real_db, monkeypatch, "projects", country="MNG")
    assert "search" not in at.query_params
    at.text_input(key="project_search").set_value("  solar ").run()
    assert at.query_params.get("search") == "solar"
    mongolian = {p["project_ref"] for p in oracle.projects("MNG")}
    assert sorted(projects_table(at)["Reference"]) == [r for r in oracle.projects_matching("solar") if r in mongolian]
    assert at.query_params.get("country") == "MNG"
    at.text_input(key="project_search").set_value("").run()
    assert "search" not in at.query_params
    assert len(projects_table(at)) == len(oracle.projects("MNG"))


def test_an_overlong_search_in_the_url_is_ignored_with_a_warning(
    real_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A ?search= longer than the box takes lists everything, says why, and is dropped from the URL."""
    at = open_page(real_db, monkeypatch, "projects", search="x" * (urlstate.MAX_TEXT + 1))
    assert at.text_input(key="project_search").value == ""
    assert len(projects_table(at)) == len(oracle.rows("projects"))
    assert any(f"longer than {urlstate.MAX_TEXT} characters" in w.value for w in at.warning)
    assert "search" not in at.query_params


# --- One registry of scenario inputs: the page's inputs and the command line take the same bounds -------


def _cli_accepts(option: str, value: float) -> bool:
    """Whether ``projection OPTION VALUE`` parses (argparse exits with 2 on a value it refuses)."""
    try:
        cli.build_parser().parse_args(["projection", option, str(value)])  # str: 100000100.0 is not 1e+08
    except SystemExit as err:
        assert err.code == 2
        return False
    return True


NUMBER_INPUTS = [i for i in projections.SCENARIO_INPUTS if i.kind != "choice"]


@pytest.mark.parametrize("spec", NUMBER_INPUTS, ids=lambda i: i.option)
def test_command_line_takes_the_registry_bounds(spec: projections.ScenarioInput, capsys: pytest.CaptureFixture) -> None:
    """Each option accepts its minimum and maximum and refuses one step beyond either."""
    assert _cli_accepts(spec.option, spec.minimum)
    assert _cli_accepts(spec.option, spec.maximum)
    assert not _cli_accepts(spec.option, spec.minimum - spec.step)
    assert not _cli_accepts(spec.option, spec.maximum + spec.step)
    capsys.readouterr()  # argparse's messages for the refused values


def test_crediting_years_zero_is_refused_by_the_command_as_by_the_page() -> None:
    """The page's inputs start at one crediting year, and so does --crediting-years."""
    spec = projections.SCENARIO_INPUTS_BY_NAME["crediting_years"]
    assert spec.minimum == 1
    assert not _cli_accepts("--crediting-years", 0)


def test_page_inputs_take_the_registry_bounds(tiny_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every number input on /projections has the registry's minimum, maximum and step; the method its choices."""
    at = open_page(tiny_db, monkeypatch, "projections")
    for spec in NUMBER_INPUTS:
        widget = at.number_input(key=f"scenario_{spec.name}")
        assert (widget.min, widget.max, widget.step) == (spec.minimum, spec.maximum, spec.step), spec.name
    for spec in (i for i in projections.SCENARIO_INPUTS if i.kind == "choice"):
        assert len(at.selectbox(key=f"scenario_{spec.name}").options) == len(spec.choices), spec.name
