"""An independent reading of a data folder's CSVs with the plain ``csv`` module (no project code).

Tests on the real data compute what they expect here, so appending real rows to data/ breaks no
test: the expectation moves with the data. ``Oracle(folder)`` reads any copy of data/ (the tests
run the same checks on data/ and on a copy with new rows appended; see tests/conftest.py);
``REAL`` reads data/ itself. Only the counting rules the README states are applied (an empty amount
is unknown, not zero; an issuance is one row; a published figure's date is the first day of the
period it names).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def fiscal_year(day: dt.date) -> int:
    """Japan's FY: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def first_day(text: str) -> dt.date | None:
    """The first day of a published ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a leading ``~`` ignored)."""
    match = re.fullmatch(r"~?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not match:
        return None
    return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))


def amount(row: dict[str, str], column: str = "credits_issued_tco2") -> float | None:
    """A row's amount, None when empty (unknown)."""
    text = row[column].strip()
    return float(text) if text else None


def published_value(row: dict[str, str]) -> tuple[float, bool]:
    """A published figure's value and whether the publisher calls it approximate."""
    return float(row["value"]), "approx" in row["value_basis"].lower()


class Oracle:
    """What the dashboard must say about the CSVs in ``folder``, read with ``csv`` alone."""

    # The reading rules, also reachable from an instance (``oracle.amount(row)``).
    fiscal_year = staticmethod(fiscal_year)
    first_day = staticmethod(first_day)
    amount = staticmethod(amount)
    published_value = staticmethod(published_value)

    def __init__(self, folder: Path = DATA_DIR) -> None:
        self.folder = Path(folder)
        self._rows: dict[str, tuple[dict[str, str], ...]] = {}

    def rows(self, name: str) -> tuple[dict[str, str], ...]:
        """Every row of ``<folder>/<name>.csv`` as a dict of its text values."""
        if name not in self._rows:
            with open(self.folder / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
                self._rows[name] = tuple(csv.DictReader(handle))
        return self._rows[name]

    def country_names(self) -> dict[str, str]:
        """ISO3 → the partner's name as the data spells it."""
        return {r["iso3"]: r["country"] for r in self.rows("partner_countries")}

    def issuances(self, iso3: str | None = None) -> list[dict[str, str]]:
        """The issuance rows, of one partner when ``iso3`` is given."""
        if iso3 is None:
            return list(self.rows("issuances"))
        name = self.country_names()[iso3]
        return [r for r in self.rows("issuances") if r["country"] == name]

    def projects_matching(self, search: str) -> list[str]:
        """The references of projects whose reference, title or participants contain ``search`` (any case)."""
        fields = ("project_ref", "title", "host_participant", "japanese_participant")
        return sorted(
            r["project_ref"] for r in self.rows("projects") if search.lower() in " ".join(r[f] for f in fields).lower()
        )

    def projects(self, iso3: str | None = None) -> list[dict[str, str]]:
        """The project rows, of one partner when ``iso3`` is given."""
        if iso3 is None:
            return list(self.rows("projects"))
        name = self.country_names()[iso3]
        return [r for r in self.rows("projects") if r["country"] == name]

    def issued_total(self, iso3: str | None = None) -> float:
        """Sum of the known credits issued (of one partner when ``iso3`` is given)."""
        return sum(a for r in self.issuances(iso3) if (a := amount(r)) is not None)

    def issued_by_country(self) -> dict[str, float]:
        """ISO3 → known credits issued, for partners with at least one known amount."""
        totals: dict[str, float] = {}
        for iso3 in self.country_names():
            known = [a for r in self.issuances(iso3) if (a := amount(r)) is not None]
            if known:
                totals[iso3] = sum(known)
        return totals

    def without_amount(self, iso3: str | None = None) -> int:
        """How many issuances state no amount."""
        return sum(1 for r in self.issuances(iso3) if amount(r) is None)

    def issued_by_fy(self, iso3: str | None = None) -> dict[int, float]:
        """FY → known credits issued, by decision date else reported date (undated rows left out)."""
        totals: dict[int, float] = {}
        for row in self.issuances(iso3):
            text = row["decision_date"] or row["reported_date"]
            value = amount(row)
            if text and value is not None:
                fy = fiscal_year(dt.date.fromisoformat(text))
                totals[fy] = totals.get(fy, 0.0) + value
        return totals

    def latest_published(self, metric: str) -> dict[str, str] | None:
        """The published row of ``metric`` with the latest date and a plain number, else None."""
        dated = [
            r
            for r in self.rows("aggregates")
            if r["metric"] == metric and first_day(r["as_of_date"]) and re.fullmatch(r"\d+(\.\d+)?", r["value"].strip())
        ]
        return max(dated, key=lambda r: first_day(r["as_of_date"])) if dated else None

    def published_total(self, iso3: str | None = None) -> dict[str, str] | None:
        """The latest published cumulative credits for the whole JCM or one partner (its own metric)."""
        if iso3 is None:
            return self.latest_published("credits_issued_cumulative")
        slug = re.sub(r"[^a-z0-9]+", "_", self.country_names()[iso3].lower()).strip("_")
        return self.latest_published(f"credits_issued_{slug}_cumulative")

    def best_known_total(self) -> float:
        """The larger of the itemized total and the latest published total (the pace needed starts here)."""
        published = self.published_total()
        return max(self.issued_total(), float(published["value"]) if published else 0.0)

    def current_targets(self) -> list[dict[str, str]]:
        """The tonnage targets not marked superseded, by deadline."""
        targets = [
            r
            for r in self.rows("targets")
            if r["value_high_tco2"] and r["deadline"].startswith("FY") and not r["status"].startswith("superseded")
        ]
        return sorted(targets, key=lambda r: (r["deadline"], float(r["value_high_tco2"])))

    def largest_target(self) -> float:
        """The largest tonnage any target names (high end of its band)."""
        return max(float(r["value_high_tco2"]) for r in self.rows("targets") if r["value_high_tco2"])

    def projects_by_status(self, iso3: str | None = None) -> dict[str, int]:
        """Status code → number of projects (of one partner when ``iso3`` is given)."""
        counts: dict[str, int] = {}
        for row in self.projects(iso3):
            counts[row["status_code"]] = counts.get(row["status_code"], 0) + 1
        return counts

    def known_total(self, column: str, iso3: str | None = None) -> float | None:
        """Sum of the known values of an amount column; None when rows exist but none states it."""
        values = [a for r in self.issuances(iso3) if (a := amount(r, column)) is not None]
        if self.issuances(iso3) and not values:
            return None
        return sum(values)

    def as_of(self) -> str:
        """The data's as-of date: its latest dated decision, report, registration, PIN decision or signing."""
        days = [r[c] for r in self.rows("issuances") for c in ("decision_date", "reported_date") if r[c]]
        days += [r[c] for r in self.rows("projects") for c in ("registration_date", "pin_decision_date") if r[c]]
        days += [
            r["date_bilateral_document_signed"]
            for r in self.rows("partner_countries")
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date_bilateral_document_signed"])
        ]
        return max(days)

    def as_of_fy(self) -> int:
        """The FY of the as-of date."""
        return fiscal_year(dt.date.fromisoformat(self.as_of()))

    def rank_among_partners(self, iso3: str) -> int:
        """The partner's rank by known credits issued (1 = most)."""
        totals = self.issued_by_country()
        return 1 + sum(1 for value in totals.values() if value > totals[iso3])

    def issuances_naming(self, project_ref: str) -> list[dict[str, str]]:
        """The issuances whose project_refs name ``project_ref``."""
        return [r for r in self.rows("issuances") if project_ref in r["project_refs"].split(";")]

    def sole_credits(self, project_ref: str) -> float:
        """Known credits of the issuances that name ``project_ref`` alone."""
        return sum(
            a for r in self.rows("issuances") if r["project_refs"] == project_ref and (a := amount(r)) is not None
        )

    def issuances_alone_and_shared(self, ref: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """The issuances naming project ``ref``: (those naming it alone, those naming it with others)."""
        naming = [r for r in self.rows("issuances") if ref in [p.strip() for p in r["project_refs"].split(";")]]
        alone = [r for r in naming if len([p for p in r["project_refs"].split(";") if p.strip()]) == 1]
        return alone, [r for r in naming if r not in alone]


def cell_text(issuance_rows: list[dict[str, str]], unknown: str, column: str = "credits_issued_tco2") -> str:
    """How a table cell of the rows' summed amount must read: "–" with no row, ``unknown`` with no stated amount."""
    if not issuance_rows:
        return "–"
    known = [a for r in issuance_rows if (a := amount(r, column)) is not None]
    return f"{sum(known):,.0f}" if known else unknown


REAL = Oracle(DATA_DIR)
