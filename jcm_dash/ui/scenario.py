"""Projection scenario inputs, bound to the URL by ``urlstate`` like the filters (``?success_ratio=0.8&delay=2``).

The inputs, their URL parameters and bounds come from one registry (``projections.SCENARIO_INPUTS``),
which the command line reads too (tests/test_cli.py checks the two agree). An empty input means
"use the value measured from the data" (shown as its placeholder); only the values a user set travel
in the URL. A URL value that is not usable (not a number, outside the bounds, ``inf``, ``1e400``) is
ignored with a warning, never an error. The chosen values are kept in the URL state, so they
survive a visit to another page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from jcm_dash.i18n import EN, Translator
from jcm_dash.projections import SCENARIO_INPUTS, Scenario, ScenarioInput, ScenarioValueError
from jcm_dash.ui import urlstate

FIELDS = SCENARIO_INPUTS
NUMBER_FIELDS = tuple(f for f in FIELDS if f.kind != "choice")
CHOICE_FIELDS = tuple(f for f in FIELDS if f.kind == "choice")

_WARNING_KEYS = {
    "not_number": "scenario.warn_not_number",
    "outside": "scenario.warn_outside",
    "not_choice": "scenario.warn_not_choice",
}


def url_params(chosen: dict[str, Any]) -> urlstate.Params:
    """The URL parameters for a scenario (Scenario field → value); inputs not set have none."""
    return {f.param: [f.url_text(chosen[f.name])] if f.name in chosen else [] for f in FIELDS}


STATE = urlstate.UrlState("scenario", url_params, dict)


def parse(field: ScenarioInput, text: str) -> tuple[Any, urlstate.Warning | None]:
    """The value of one URL parameter, or None and the warning to show (never raises).

    The warning quotes the URL's text, shortened; it is escaped when shown (``urlstate.show_warnings``).
    """
    try:
        return field.parse(text), None
    except ScenarioValueError as err:
        values = {
            "setting": f"{field.param}={urlstate.quoted(str(text))}",
            "low": f"{field.minimum:g}",
            "high": f"{field.maximum:g}",
            "choices": ", ".join(field.choices),
        }
        return None, (_WARNING_KEYS[err.reason], values)


def _from_url() -> tuple[dict[str, Any], list[urlstate.Warning]]:
    overrides: dict[str, Any] = {}
    warnings = []
    for field in FIELDS:
        text = urlstate.given(field.param)
        if text:
            value, warning = parse(field, text)
            if warning:
                warnings.append(warning)
            else:
                overrides[field.name] = value
    return overrides, urlstate.capped(warnings)


def overrides() -> dict[str, Any]:
    """The scenario values the user set (Scenario field → value), from the URL or the inputs."""
    return dict(STATE.load(_from_url))


def has_warnings() -> bool:
    """True when the link held a scenario value that was ignored (the inputs then open to show why)."""
    overrides()
    return bool(STATE.warnings())


def _save(name: str) -> None:
    value = st.session_state[f"scenario_{name}"]
    saved = dict(STATE.value)
    if value is None:
        saved.pop(name, None)
    else:
        saved[name] = value
    STATE.set(saved)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def describe(chosen: dict[str, Any]) -> str:
    """The values a user set, as ``name=value`` text (for captions)."""
    return ", ".join(f"{name}={value if isinstance(value, str) else _fmt(value)}" for name, value in chosen.items())


def inputs(container: Any, defaults: Scenario, t: Translator = EN) -> dict[str, Any]:
    """Draw the scenario inputs into ``container``; return the overrides and write them to the URL."""
    current = overrides()
    for field in CHOICE_FIELDS:
        key = f"scenario_{field.name}"
        st.session_state[key] = current.get(field.name)
        default = getattr(defaults, field.name)
        container.selectbox(
            t(f"scenario.{field.name}"),
            list(field.choices),
            index=None,
            key=key,
            format_func=lambda m: t(f"method.{m}"),
            placeholder=t("scenario.from_data", value=t(f"method.{default}")),
            help=t(f"scenario.{field.name}_help"),
            on_change=_save,
            args=(field.name,),
        )
    columns = container.columns(3)
    for i, field in enumerate(NUMBER_FIELDS):
        key = f"scenario_{field.name}"
        # Restore from the saved scenario every run: a widget whose label changes (a language switch) resets.
        st.session_state[key] = current.get(field.name)
        default = getattr(defaults, field.name)
        is_int = field.kind == "int"
        if default is None:
            placeholder = t("scenario.no_end") if field.name == "crediting_years" else t("scenario.not_used")
        else:
            placeholder = t("scenario.from_data", value=_fmt(default))
        columns[i % 3].number_input(
            t(f"scenario.{field.name}"),
            min_value=int(field.minimum) if is_int else field.minimum,
            max_value=int(field.maximum) if is_int else field.maximum,
            step=int(field.step) if is_int else field.step,
            key=key,
            placeholder=placeholder,
            help=t(f"scenario.{field.name}_help"),
            on_change=_save,
            args=(field.name,),
        )
    container.button(t("scenario.reset"), on_click=STATE.reset)
    urlstate.show_warnings(container, STATE.warnings(), t)
    chosen = {f.name: st.session_state[f"scenario_{f.name}"] for f in FIELDS}
    chosen = {name: value for name, value in chosen.items() if value is not None}
    STATE.set(chosen)
    STATE.write()
    return chosen
