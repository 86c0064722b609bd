"""A view's state, in one place (no Streamlit): the filters and their rules, the store's lookups, the scope in words.

``Filters`` is what every page, the URL, the command line and the briefing pack select; ``queries``
turns it into SQL. ``Reference`` holds the store's filter-independent lookups the pages read. The
words (``describe``, ``short_name``, ``years_words``) are for captions, export headers and the pack.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jcm_dash.i18n import EN, Translator


@dataclass(frozen=True)
class Filters:
    """The shared filter: ISO3 codes, UNEP technology types, and an inclusive FY range.

    A FY bound of None is open. The sidebar, the briefing form and the URL all make a bound at the
    data's first or last FY open (``within``), so issuances without a date are still counted and a
    store with more years widens the view.
    """

    countries: tuple[str, ...] = ()
    techs: tuple[str, ...] = ()
    fy_from: int | None = None
    fy_to: int | None = None

    def __post_init__(self) -> None:
        # Sorted and de-duplicated so equal selections share one cache key.
        object.__setattr__(self, "countries", tuple(sorted(set(self.countries))))
        object.__setattr__(self, "techs", tuple(sorted(set(self.techs))))

    @classmethod
    def within(
        cls,
        fy_span: tuple[int, int],
        countries: tuple[str, ...] | list[str] = (),
        techs: tuple[str, ...] | list[str] = (),
        years: tuple[int | None, int | None] = (None, None),
    ) -> Filters:
        """Filters from a selection over the data's FY span ``(lo, hi)``: a bound at (or past) an edge is open.

        ``years`` is a slider's ``(start, end)`` or the URL's bounds; a bound is clamped into the span,
        and one equal to ``lo`` (start) or ``hi`` (end) becomes None (tests/test_scope.py).
        """
        lo, hi = fy_span
        start, end = (None if fy is None else min(max(int(fy), lo), hi) for fy in years)
        return cls(
            tuple(countries),
            tuple(techs),
            None if start is None or start == lo else start,
            None if end is None or end == hi else end,
        )

    def fy_range(self, fy_span: tuple[int, int]) -> tuple[int, int]:
        """The closed range a FY slider shows over the span ``(lo, hi)``: open bounds at the edges, others clamped."""
        lo, hi = fy_span
        start = lo if self.fy_from is None else min(max(self.fy_from, lo), hi)
        end = hi if self.fy_to is None else min(max(self.fy_to, lo), hi)
        return start, end

    @property
    def has_fy_bounds(self) -> bool:
        """True when at least one FY bound is set (undated rows are then left out)."""
        return self.fy_from is not None or self.fy_to is not None

    def params(self) -> dict[str, Any]:
        """Named parameters for the filter clauses in ``queries``."""
        return {
            "countries": list(self.countries),
            "techs": list(self.techs),
            "fy_from": self.fy_from,
            "fy_to": self.fy_to,
        }


@dataclass(frozen=True)
class Reference:
    """The store's filter-independent lookups, read once per store (``ui.cached.reference``).

    Attributes:
        partners: the partner countries table (iso3, country, ...).
        country_names: ISO3 → English name, every partner country.
        technologies: the UNEP technology types, as the filter offers them.
        fy_span: the first and last fiscal year in the data.
        as_of: the data's as-of date.
        targets: Japan's tonnage targets (``metrics.tonnage_targets``).
        published: the published figures table.

    """

    partners: Any
    country_names: dict[str, str]
    technologies: tuple[str, ...]
    fy_span: tuple[int, int]
    as_of: Any
    targets: Any
    published: Any


def describe(filters: Filters, country_names: dict[str, str], t: Translator = EN) -> str:
    """One line stating the scope, for captions and export headers."""
    separator = t("filters.list_separator")
    countries = separator.join(t.country(c, country_names.get(c)) for c in filters.countries)
    techs = separator.join(t.tech(tech) for tech in filters.techs)
    years = years_words(filters, t)
    return t(
        "filters.scope",
        countries=countries or t("filters.all_countries"),
        techs=techs or t("filters.all_technologies"),
        years=years,
    )


def short_name(filters: Filters, country_names: dict[str, str], t: Translator = EN) -> str:
    """The scope in a few words for headings: one country's or technology's name, else "this selection".

    The fiscal years are not named here; headings that count by FY say so themselves.
    """
    if len(filters.countries) == 1 and not filters.techs:
        code = filters.countries[0]
        return t.country(code, country_names.get(code))
    if len(filters.techs) == 1 and not filters.countries:
        return t.tech(filters.techs[0])
    if not filters.countries and not filters.techs:
        return t("filters.whole_jcm")
    return t("filters.this_selection")


def years_words(filters: Filters, t: Translator = EN) -> str:
    """The FY range in words (``FY2021``, ``FY2016–FY2024``, ``all fiscal years``)."""
    if filters.fy_from is not None and filters.fy_to is not None:
        if filters.fy_from == filters.fy_to:
            return t.fy(filters.fy_from)
        return t.fy_range(filters.fy_from, filters.fy_to)
    if filters.fy_from is not None:
        return t("fy.from", fy=filters.fy_from)
    if filters.fy_to is not None:
        return t("fy.to", fy=filters.fy_to)
    return t("filters.all_years")
