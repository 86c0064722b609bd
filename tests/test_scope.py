"""The page state's rules (jcm_dash.scope.Filters): a FY bound at the data's edge is open, and back."""

from __future__ import annotations

import pytest

from jcm_dash import queries, scope
from jcm_dash.scope import Filters

SPAN = (2015, 2025)


def test_a_bound_at_the_data_edges_is_open() -> None:
    """A slider on the data's whole span selects no FY bound, so undated issuances still count."""
    filters = Filters.within(SPAN, years=SPAN)
    assert (filters.fy_from, filters.fy_to) == (None, None)
    assert not filters.has_fy_bounds


def test_a_bound_inside_the_span_is_kept() -> None:
    """Only the bound that is not at an edge is set."""
    assert Filters.within(SPAN, years=(2015, 2020)) == Filters(fy_to=2020)
    assert Filters.within(SPAN, years=(2018, 2025)) == Filters(fy_from=2018)
    assert Filters.within(SPAN, years=(2018, 2020)) == Filters(fy_from=2018, fy_to=2020)


def test_a_bound_past_an_edge_is_clamped_then_open() -> None:
    """A bound outside the span (an old link, a store with fewer years) is clamped into it, so at an edge: open."""
    assert Filters.within(SPAN, years=(2001, 2040)) == Filters()
    # A start past the last FY is that FY (a bound, not an edge for a start); an end before the first likewise.
    assert Filters.within(SPAN, years=(2030, None)) == Filters(fy_from=2025)
    assert Filters.within(SPAN, years=(None, 2001)) == Filters(fy_to=2015)


def test_an_open_bound_stays_open() -> None:
    """None is open whatever the span."""
    assert Filters.within(SPAN, ("MNG",), ("Solar",), (None, None)) == Filters(("MNG",), ("Solar",))


def test_the_slider_shows_open_bounds_at_the_edges() -> None:
    """fy_range is the inverse of within: open bounds are the span's edges, set ones are kept (clamped)."""
    assert Filters().fy_range(SPAN) == SPAN
    assert Filters(fy_from=2018).fy_range(SPAN) == (2018, 2025)
    assert Filters(fy_from=2001, fy_to=2040).fy_range(SPAN) == SPAN


@pytest.mark.parametrize("years", [(2015, 2025), (2016, 2025), (2015, 2024), (2017, 2019), (2020, 2020)])
def test_slider_round_trip(years: tuple[int, int]) -> None:
    """Any slider position gives Filters that show the same slider position again."""
    assert Filters.within(SPAN, years=years).fy_range(SPAN) == years


def test_a_wider_store_widens_an_open_bound() -> None:
    """A selection up to the data's last FY follows the data: with one more year, it reaches that year."""
    filters = Filters.within(SPAN, years=(2018, 2025))
    assert filters.fy_range((2015, 2026)) == (2018, 2026)


def test_selection_is_sorted_and_deduplicated() -> None:
    """Equal selections are equal Filters (one cache key), whatever order or repeats they came in."""
    assert Filters.within(SPAN, ["VNM", "MNG", "VNM"], ["Solar"]) == Filters(("MNG", "VNM"), ("Solar",))


def test_queries_reads_the_same_filters() -> None:
    """The SQL module takes the page state's Filters, not a copy of its own."""
    assert queries.Filters is scope.Filters
