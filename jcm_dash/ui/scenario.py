"""Projection scenario inputs, bound to the URL like the filters (``?success_ratio=0.8&delay=2``).

An empty input means "use the value measured from the data" (shown as its placeholder); only the
values a user set travel in the URL. The chosen values are also kept in session state, so they
survive a visit to another page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import streamlit as st

from jcm_dash.i18n import EN, Translator
from jcm_dash.projections import Scenario
from jcm_dash.validate import shown

_STORE = "scenario_overrides"
_LOADED = "_scenario_loaded_from_url"


@dataclass(frozen=True)
class Field:
    """One scenario input: its Scenario field, URL parameter and bounds (label and help: ``scenario.<name>``)."""

    name: str
    param: str
    kind: type
    minimum: float
    maximum: float
    step: float


FIELDS: tuple[Field, ...] = (
    Field("success_ratio", "success_ratio", float, 0.0, 5.0, 0.05),
    Field("pipeline_conversion", "conversion", float, 0.0, 1.0, 0.05),
    Field("pipeline_delay_years", "delay", int, 0, 30, 1),
    Field("new_projects_per_year", "new_per_year", float, 0.0, 10_000.0, 1.0),
    Field("new_project_size_tco2", "new_size", float, 0.0, 100_000_000.0, 100.0),
    Field("crediting_years", "crediting_years", int, 1, 100, 1),
)


Warning = tuple[str, dict[str, Any]]  # a catalogue key and its values, translated when shown


def _parse(field: Field, text: str) -> tuple[Any, Warning | None]:
    """A URL value within the field's bounds, else None and a warning (``inf``, ``1e400``, ``nan`` included)."""
    try:
        number = float(text) if len(text) <= 40 else math.nan
    except ValueError:
        return None, ("scenario.warn_not_number", {"param": field.param, "text": shown(text, 40)})
    # Bounds are checked on the float, before int(): int(inf) raises OverflowError, int(nan) ValueError.
    if not math.isfinite(number) or not field.minimum <= number <= field.maximum:
        bounds = {
            "param": field.param,
            "text": shown(text, 40),
            "low": f"{field.minimum:g}",
            "high": f"{field.maximum:g}",
        }
        return None, ("scenario.warn_outside", bounds)
    return (int(number) if field.kind is int else number), None


def _load_from_url() -> list[Warning]:
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


def _save(name: str) -> None:
    value = st.session_state[f"scenario_{name}"]
    saved = dict(st.session_state.get(_STORE, {}))
    if value is None:
        saved.pop(name, None)
    else:
        saved[name] = value
    st.session_state[_STORE] = saved


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def inputs(container: Any, defaults: Scenario, t: Translator = EN) -> dict[str, Any]:
    """Draw the scenario inputs into ``container``; return the overrides and write them to the URL."""
    current = overrides()
    columns = container.columns(3)
    for i, field in enumerate(FIELDS):
        key = f"scenario_{field.name}"
        # Restore from the saved scenario every run: a widget whose label changes (a language switch) resets.
        st.session_state[key] = current.get(field.name)
        default = getattr(defaults, field.name)
        is_int = field.kind is int
        columns[i % 3].number_input(
            t(f"scenario.{field.name}"),
            min_value=int(field.minimum) if is_int else field.minimum,
            max_value=int(field.maximum) if is_int else field.maximum,
            step=int(field.step) if is_int else field.step,
            key=key,
            placeholder=t("scenario.no_end") if default is None else t("scenario.from_data", value=_fmt(default)),
            help=t(f"scenario.{field.name}_help"),
            on_change=_save,
            args=(field.name,),
        )
    container.button(t("scenario.reset"), on_click=_reset)
    for warning_key, values in st.session_state.get("_scenario_warnings", []):
        container.warning(t.md(warning_key, **values))
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
