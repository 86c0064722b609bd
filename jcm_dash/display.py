"""How a table reads on screen: thousands separators, and one rendering for what is unknown (no Streamlit).

Streamlit's data grid draws a missing cell as "None" whatever the pandas Styler says, so a missing
amount is stored as ``UNKNOWN_SENTINEL`` (below any real amount, which is never negative) and its
shown text is the catalogue's "unknown"; the column stays numeric, so sorting still sorts by value.
Missing dates and texts read "–", as do numeric cells with nothing to count (``NOTHING_SENTINEL``:
no issuance itemized), so "–" (nothing itemized), "unknown" (an amount no source states) and 0 (a
true zero) never look alike. The downloads keep the original frame (an empty cell is unknown), so
nothing here reaches a file. The rules are proven by
tests/test_progress.py::test_tables_show_separators_and_unknown_in_words_while_staying_numeric, and
tests/test_screens.py reads every page's tables as shown.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from pandas.io.formats.style import Styler

from jcm_dash.i18n import EN, Translator

UNKNOWN_SENTINEL = -1.0
# A numeric cell with nothing to count (no issuance itemized, no registered project): "–", not 0.
# Shown only where the page says so (``styled(nothing=...)``); the downloads keep the frame's 0.
NOTHING_SENTINEL = -2.0
NO_VALUE = "–"


def _is_missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str:
    """A date or text cell as shown: ISO dates, "–" when missing."""
    if _is_missing(value):
        return NO_VALUE
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def number_text(value: Any, t: Translator = EN, decimals: int = 0, percent: bool = False) -> str:
    """A number as a table shows it: ``8,947``, ``0.70%``; the catalogue's "unknown" when missing."""
    if _is_missing(value) or value == UNKNOWN_SENTINEL:
        return t("unit.unknown")
    if value == NOTHING_SENTINEL:
        return NO_VALUE
    if percent:
        return t.pct(float(value))
    return f"{value:,.{decimals}f}"


def styled(
    frame: pd.DataFrame,
    t: Translator = EN,
    percent: tuple[str, ...] = (),
    decimals: dict[str, int] | None = None,
    nothing: dict[str, Any] | None = None,
) -> Styler:
    """``frame`` ready for ``st.dataframe``: numbers with separators, unknown amounts and missing values in words.

    Args:
        frame: the table as exported (NaN / None = unknown or missing).
        t: the interface language (the word for "unknown").
        percent: numeric columns holding a percentage (shown like ``t.pct``: ``0.130%``, ``13.9%``).
        decimals: decimals for other numeric columns that need them (default 0).
        nothing: numeric column → a boolean mask (aligned with ``frame``'s rows) of the cells with
            nothing to count (nothing itemized): they read "–", so they are not taken for a true 0
            or for "unknown".

    Returns:
        A Styler whose data keeps numeric columns numeric (missing ones as ``UNKNOWN_SENTINEL``,
        nothing-to-count ones as ``NOTHING_SENTINEL``) and date and text columns as text.

    """
    decimals = decimals or {}
    data = frame.copy()
    for column, mask in (nothing or {}).items():
        if column in data.columns:
            flags = pd.Series(list(mask), index=data.index, dtype=bool)
            data[column] = data[column].astype(float).mask(flags, NOTHING_SENTINEL)
    formats = {}
    for column in data.columns:
        series = data[column]
        if pd.api.types.is_bool_dtype(series):
            continue
        if pd.api.types.is_numeric_dtype(series):
            data[column] = series.astype(float).fillna(UNKNOWN_SENTINEL)
            places, as_percent = decimals.get(column, 0), column in percent

            def shown(value: Any, places: int = places, as_percent: bool = as_percent) -> str:
                return number_text(value, t, places, as_percent)

            formats[column] = shown
        elif series.dropna().astype(str).str.match(r"https?://").all() and series.notna().any():
            continue  # a link column: st.column_config.LinkColumn shows it
        else:
            data[column] = [_text(v) for v in series]
    return data.style.format(formats)
