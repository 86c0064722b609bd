"""Japan's fiscal year boundaries: FY N runs 1 April N to 31 March N+1."""

import datetime as dt

import pytest

from jcm_dash.fiscal import fiscal_year, fy_bounds
from jcm_dash.i18n import EN


@pytest.mark.parametrize(
    ("day", "fy"),
    [
        (dt.date(2022, 3, 31), 2021),
        (dt.date(2022, 4, 1), 2022),
        (dt.date(2031, 3, 31), 2030),  # the last day of FY2030, the target's deadline
        (dt.date(2031, 4, 1), 2031),
        (dt.date(2020, 1, 1), 2019),
        (dt.date(2020, 12, 31), 2020),
    ],
)
def test_fiscal_year_boundaries(day: dt.date, fy: int) -> None:
    """31 March belongs to the FY that started the previous April; 1 April starts a new FY."""
    assert fiscal_year(day) == fy


def test_fy_bounds_are_april_to_march() -> None:
    """FY2030 is 1 April 2030 to 31 March 2031."""
    assert fy_bounds(2030) == (dt.date(2030, 4, 1), dt.date(2031, 3, 31))


def test_fy_label_says_unknown_when_undated() -> None:
    """An undated issuance is labelled, never dropped."""
    assert EN.fy(2030) == "FY2030"
    assert EN.fy(None) == "date unknown"
