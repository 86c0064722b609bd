"""Projection scenario inputs, bound to the URL like the filters (``?success_ratio=0.8&delay=2``).

An empty input means "use the value measured from the data" (shown as its placeholder); only the
values a user set travel in the URL. The chosen values are also kept in session state, so they
survive a visit to another page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from jcm_dash.projections import Scenario

_STORE = "scenario_overrides"
_LOADED = "_scenario_loaded_from_url"


@dataclass(frozen=True)
class Field:
    """One scenario input: its Scenario field, URL parameter, label, bounds and explanation."""

    name: str
    param: str
    label: str
    kind: type
    minimum: float
    maximum: float
    step: float
    help: str


FIELDS: tuple[Field, ...] = (
    Field(
        "success_ratio",
        "success_ratio",
        "Issuance-success ratio",
        float,
        0.0,
        5.0,
        0.05,
        "Credits issued per tonne of expected reductions, measured from the monitoring periods that were issued.",
    ),
    Field(
        "pipeline_conversion",
        "conversion",
        "Pipeline conversion (share)",
        float,
        0.0,
        1.0,
        0.05,
        "Share of projects now in validation that get registered (default: registered ÷ (registered + withdrawn)).",
    ),
    Field(
        "pipeline_delay_years",
        "delay",
        "Pipeline delay (years)",
        int,
        0,
        30,
        1,
        "Years until projects in validation register; the data holds no validation dates, so 1 year is assumed.",
    ),
    Field(
        "new_projects_per_year",
        "new_per_year",
        "New projects per year",
        float,
        0.0,
        10_000.0,
        1.0,
        "Projects newly registered every FY from now on (default: the mean of the last 5 complete FYs).",
    ),
    Field(
        "new_project_size_tco2",
        "new_size",
        "Size of each new project (t-CO2e/yr)",
        float,
        0.0,
        100_000_000.0,
        100.0,
        "Expected annual reductions of each new project (default: the median registered project).",
    ),
    Field(
        "crediting_years",
        "crediting_years",
        "Crediting years per project",
        int,
        1,
        100,
        1,
        "Years a project keeps being credited after registration; empty means no end date.",
    ),
)


def _parse(field: Field, text: str) -> tuple[Any, str | None]:
    try:
        value = field.kind(float(text)) if field.kind is int else float(text)
    except ValueError:
        return None, f"'{field.param}={text}' in the link is not a number and was ignored."
    if not field.minimum <= value <= field.maximum:
        return None, f"'{field.param}={text}' is outside {field.minimum:g}–{field.maximum:g} and was ignored."
    return value, None


def _load_from_url() -> list[str]:
    overrides: dict[str, Any] = {}
    warnings = []
    for field in FIELDS:
        text = st.query_params.get(field.param)
        if text:
            value, warning = _parse(field, text)
            if warning:
                warnings.append(warning)
            else:
                overrides[field.name] = value
    st.session_state[_STORE] = overrides
    return warnings


def overrides() -> dict[str, Any]:
    """The scenario values the user set (Scenario field → value), from the URL or the inputs."""
    if not st.session_state.get(_LOADED):
        st.session_state["_scenario_warnings"] = _load_from_url()
        st.session_state[_LOADED] = True
    return dict(st.session_state.get(_STORE, {}))


def _reset() -> None:
    st.session_state[_STORE] = {}
    for field in FIELDS:
        st.session_state[f"scenario_{field.name}"] = None


def _fmt(value: Any) -> str:
    if value is None:
        return "no end"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def inputs(container: Any, defaults: Scenario) -> dict[str, Any]:
    """Draw the scenario inputs into ``container``; return the overrides and write them to the URL."""
    current = overrides()
    columns = container.columns(3)
    for i, field in enumerate(FIELDS):
        key = f"scenario_{field.name}"
        if key not in st.session_state:
            st.session_state[key] = current.get(field.name)
        default = getattr(defaults, field.name)
        is_int = field.kind is int
        columns[i % 3].number_input(
            field.label,
            min_value=int(field.minimum) if is_int else field.minimum,
            max_value=int(field.maximum) if is_int else field.maximum,
            step=int(field.step) if is_int else field.step,
            key=key,
            placeholder=f"{_fmt(default)} (from data)" if field.name != "crediting_years" else "no end (default)",
            help=field.help,
        )
    container.button("Reset scenario to the data's defaults", on_click=_reset)
    for warning in st.session_state.get("_scenario_warnings", []):
        container.warning(warning)
    chosen = {f.name: st.session_state[f"scenario_{f.name}"] for f in FIELDS}
    chosen = {name: value for name, value in chosen.items() if value is not None}
    st.session_state[_STORE] = chosen
    for field in FIELDS:
        value = chosen.get(field.name)
        if value is None:
            if field.param in st.query_params:
                del st.query_params[field.param]
        elif st.query_params.get(field.param) != _url_text(value):
            st.query_params[field.param] = _url_text(value)
    return chosen


def _url_text(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def url_params(chosen: dict[str, Any]) -> dict[str, str]:
    """The URL parameters for a scenario (for links to the projections page)."""
    return {f.param: _url_text(chosen[f.name]) for f in FIELDS if f.name in chosen}
