"""Page state bound to the URL, one mechanism for all of it: the filters, the language, the scenario, the search.

A ``UrlState`` is read from the URL once, on a session's first run (``load``); from then on its
value lives in session state, where widget callbacks change it (``set``, ``reset``), and every run
writes it back to the URL (``write``), so a pasted link reproduces the view in a fresh browser.
The value is kept under its own key, not only in widget state: Streamlit resets a widget whose label
changes (as on a language switch) and drops the state of a widget a run does not draw.

The URL is outside text. Reading is bounded (``values``: at most ``MAX_VALUES`` of a repeated
parameter; ``text``: at most ``MAX_TEXT`` characters), a value that is dropped gives a warning that
quotes it shortened (``quoted``), at most ``MAX_WARNINGS`` of them are kept (``capped``), and they
are shown escaped, never as Markdown (``show_warnings``). tests/test_browser.py proves the round trips.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from jcm_dash.i18n import Markdown, Translator
from jcm_dash.validate import shown

# A link holds a handful of values; past these, the rest is ignored with one warning, so a crafted URL
# cannot make the page draw thousands of warnings or keep megabytes of text in session state.
MAX_VALUES = 50
MAX_WARNINGS = 5
MAX_TEXT = 200  # characters of a free-text parameter (?search=)
MAX_NUMBER = 12  # characters of a number (?fy_from=)
QUOTE = 40  # characters of a dropped value quoted in a warning

Warning = tuple[str, dict[str, Any]]  # a catalogue key and its values, translated (and escaped) when shown
Params = dict[str, list[str]]  # URL parameter → its values; an empty list removes the parameter


def values(name: str) -> tuple[list[str], int]:
    """The first ``MAX_VALUES`` values of a repeated URL parameter, and how many more were ignored."""
    every = st.query_params.get_all(name)
    return every[:MAX_VALUES], max(0, len(every) - MAX_VALUES)


def given(name: str) -> str | None:
    """The URL parameter ``name`` as given (its last value), for a parser that bounds it itself or a warning."""
    return st.query_params.get(name)


def text(name: str, limit: int = MAX_TEXT) -> str | None:
    """The URL parameter ``name`` (None when absent or empty); a longer value than ``limit`` is read as None too."""
    value = st.query_params.get(name)
    if not value or len(value) > limit:
        return None
    return value


def integer(name: str) -> int | None:
    """The URL parameter ``name`` as a whole number, None when absent, too long or not one."""
    value = text(name, MAX_NUMBER)
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def quoted(value: str) -> str:
    """A URL value as a warning quotes it: shortened to ``QUOTE`` characters (escaped when shown)."""
    return shown(value, QUOTE)


def capped(warnings: list[Warning], ignored: int = 0) -> list[Warning]:
    """At most ``MAX_WARNINGS`` warnings, then one that counts the rest and the ``ignored`` values."""
    more = ignored + max(0, len(warnings) - MAX_WARNINGS)
    return [*warnings[:MAX_WARNINGS], ("filters.warn_more", {"n": more})] if more else warnings


def write_params(params: Params) -> None:
    """Set each URL parameter to its values, or remove it when it has none; unchanged ones are not rewritten."""
    for name, wanted in params.items():
        if wanted:
            if st.query_params.get_all(name) != wanted:
                st.query_params[name] = wanted if len(wanted) > 1 else wanted[0]
        elif name in st.query_params:
            del st.query_params[name]


def warning_text(t: Translator, key: str, substitutions: dict[str, Any]) -> Markdown:
    """A warning as Markdown, its URL values escaped; a counted one in the language's plural form (no "(s)")."""
    if f"{key}.other" in t.text:
        rest = {name: value for name, value in substitutions.items() if name != "n"}
        return t.md_plural(key, int(substitutions["n"]), **rest)
    return t.md(key, **substitutions)


def show_warnings(container: Any, warnings: list[Warning], t: Translator) -> None:
    """Each warning as ``container.warning``, its values from the URL escaped (``Translator.md``)."""
    for key, substitutions in warnings:
        container.warning(warning_text(t, key, substitutions), icon=":material/link_off:")


class UrlState:
    """One piece of page state bound to the URL (see the module docstring)."""

    def __init__(self, name: str, params: Callable[[Any], Params], default: Callable[[], Any]) -> None:
        """A state called ``name`` (its session-state keys), written as ``params(value)``, ``default()`` on reset."""
        self.name = name
        self.params = params
        self.default = default
        self._value = f"_url_{name}"
        self._warnings = f"_url_{name}_warnings"

    def load(self, read: Callable[[], tuple[Any, list[Warning]]]) -> Any:
        """The value; on the session's first run, ``read()`` from the URL first (its warnings are kept)."""
        if self._value not in st.session_state:
            value, warnings = read()
            st.session_state[self._value] = value
            st.session_state[self._warnings] = warnings
        return st.session_state[self._value]

    @property
    def value(self) -> Any:
        """The current value (``default()`` before anything was loaded)."""
        return st.session_state.get(self._value, self.default())

    def set(self, value: Any) -> None:
        """Change the value (from a widget's callback or the page); written to the URL by ``write``."""
        st.session_state[self._value] = value

    def reset(self) -> None:
        """Back to the default (a reset button's callback)."""
        self.set(self.default())

    def warnings(self) -> list[Warning]:
        """The warnings for the URL values the first load dropped."""
        return list(st.session_state.get(self._warnings, []))

    def write(self) -> None:
        """Write the current value to the URL."""
        write_params(self.params(self.value))


def bound_text_input(container: Any, param: str, label: str, *, key: str, t: Translator, **widget_args: Any) -> str:
    """A text input bound to the URL parameter ``param`` (``?search=solar``); return its text, stripped.

    A URL value longer than ``MAX_TEXT`` is ignored with a warning (``url.warn_text_long``); the
    widget takes no more than that either.
    """
    state = UrlState(param, lambda value: {param: [value] if value else []}, str)

    def read() -> tuple[str, list[Warning]]:
        value = text(param)
        dropped = value is None and bool(given(param))
        return value or "", [("url.warn_text_long", {"name": param, "limit": MAX_TEXT})] if dropped else []

    def save() -> None:
        state.set(st.session_state[key].strip())

    st.session_state[key] = state.load(read)
    container.text_input(label, key=key, on_change=save, max_chars=MAX_TEXT, **widget_args)
    show_warnings(container, state.warnings(), t)
    state.write()
    return state.value
