"""Display formats shared by pages, commands and exports: tonnages, percentages, fiscal years."""

from __future__ import annotations

import math


def format_tco2(value: float | None, unit: str = "t-CO2e", compact: bool = False) -> str:
    """A tonnage with thousands separators: ``129,902 t-CO2e``; ``unknown`` when missing.

    With ``compact``, a million and more reads ``25.0 Mt-CO2e`` (for cards, where space is short).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    if compact and abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f} M{unit}"
    return f"{value:,.0f} {unit}"


def format_pct(value: float) -> str:
    """A share of a target: small shares keep enough digits to be non-zero (``0.130%``)."""
    if value == 0:
        return "0%"
    if abs(value) < 1:
        return f"{value:.3f}%"
    return f"{value:,.1f}%"
