"""Display formats shared by pages, commands and exports: tonnages, percentages, fiscal years."""

from __future__ import annotations

import math


def format_tco2(value: float | None, unit: str = "t-CO2e") -> str:
    """A tonnage with thousands separators: ``129,902 t-CO2e``; ``unknown`` when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    return f"{value:,.0f} {unit}"


def format_pct(value: float) -> str:
    """A share of a target: small shares keep enough digits to be non-zero (``0.130%``)."""
    if value == 0:
        return "0%"
    if abs(value) < 1:
        return f"{value:.3f}%"
    return f"{value:,.1f}%"
