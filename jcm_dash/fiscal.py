"""Japan's fiscal year: FY N runs from 1 April N to 31 March N+1."""

from __future__ import annotations

import datetime as dt

FY_START_MONTH = 4


def fiscal_year(day: dt.date) -> int:
    """Return the Japanese fiscal year that contains ``day``.

    >>> fiscal_year(dt.date(2022, 3, 31)), fiscal_year(dt.date(2022, 4, 1))
    (2021, 2022)
    """
    return day.year if day.month >= FY_START_MONTH else day.year - 1


def fy_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """Return the first and last day of fiscal year ``fy``."""
    return dt.date(fy, FY_START_MONTH, 1), dt.date(fy + 1, FY_START_MONTH, 1) - dt.timedelta(days=1)
