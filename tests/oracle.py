"""An independent reading of the real data/*.csv with the plain ``csv`` module (no project code).

Tests on the real data compute what they expect here, so appending real rows to data/ breaks no
test: the expectation moves with the data. Only the counting rules the README states are applied
(an empty amount is unknown, not zero; an issuance is one row; a published figure's date is the
first day of the period it names).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


@functools.cache
def rows(name: str) -> tuple[dict[str, str], ...]:
    """Every row of ``data/<name>.csv`` as a dict of its text values."""
    with open(DATA_DIR / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        return tuple(csv.DictReader(handle))


def country_names() -> dict[str, str]:
    """ISO3 → the partner's name as the data spells it."""
    return {r["iso3"]: r["country"] for r in rows("partner_countries")}


def issuances(iso3: str | None = None) -> list[dict[str, str]]:
    """The issuance rows, of one partner when ``iso3`` is given."""
    if iso3 is None:
        return list(rows("issuances"))
    name = country_names()[iso3]
    return [r for r in rows("issuances") if r["country"] == name]


def amount(row: dict[str, str], column: str = "credits_issued_tco2") -> float | None:
    """A row's amount, None when empty (unknown)."""
    text = row[column].strip()
    return float(text) if text else None


def issued_total(iso3: str | None = None) -> float:
    """Sum of the known credits issued (of one partner when ``iso3`` is given)."""
    return sum(a for r in issuances(iso3) if (a := amount(r)) is not None)


def issued_by_country() -> dict[str, float]:
    """ISO3 → known credits issued, for partners with at least one known amount."""
    totals: dict[str, float] = {}
    for iso3 in country_names():
        known = [a for r in issuances(iso3) if (a := amount(r)) is not None]
        if known:
            totals[iso3] = sum(known)
    return totals


def without_amount(iso3: str | None = None) -> int:
    """How many issuances state no amount."""
    return sum(1 for r in issuances(iso3) if amount(r) is None)


def fiscal_year(day: dt.date) -> int:
    """Japan's FY: April to March."""
    return day.year if day.month >= 4 else day.year - 1


def issued_by_fy(iso3: str | None = None) -> dict[int, float]:
    """FY → known credits issued, by decision date else reported date (undated rows left out)."""
    totals: dict[int, float] = {}
    for row in issuances(iso3):
        text = row["decision_date"] or row["reported_date"]
        value = amount(row)
        if text and value is not None:
            fy = fiscal_year(dt.date.fromisoformat(text))
            totals[fy] = totals.get(fy, 0.0) + value
    return totals


def first_day(text: str) -> dt.date | None:
    """The first day of a published ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a leading ``~`` ignored)."""
    match = re.fullmatch(r"~?(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not match:
        return None
    return dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))


def latest_published(metric: str) -> dict[str, str] | None:
    """The published row of ``metric`` with the latest date and a plain number, else None."""
    dated = [
        r
        for r in rows("aggregates")
        if r["metric"] == metric and first_day(r["as_of_date"]) and re.fullmatch(r"\d+(\.\d+)?", r["value"].strip())
    ]
    return max(dated, key=lambda r: first_day(r["as_of_date"])) if dated else None


def published_total(iso3: str | None = None) -> dict[str, str] | None:
    """The latest published cumulative credits for the whole JCM or one partner (its own metric)."""
    if iso3 is None:
        return latest_published("credits_issued_cumulative")
    slug = re.sub(r"[^a-z0-9]+", "_", country_names()[iso3].lower()).strip("_")
    return latest_published(f"credits_issued_{slug}_cumulative")


def current_targets() -> list[dict[str, str]]:
    """The tonnage targets not marked superseded, by deadline."""
    targets = [
        r
        for r in rows("targets")
        if r["value_high_tco2"] and r["deadline"].startswith("FY") and not r["status"].startswith("superseded")
    ]
    return sorted(targets, key=lambda r: (r["deadline"], float(r["value_high_tco2"])))


def projects_by_status(iso3: str | None = None) -> dict[str, int]:
    """Status code → number of projects (of one partner when ``iso3`` is given)."""
    name = None if iso3 is None else country_names()[iso3]
    counts: dict[str, int] = {}
    for row in rows("projects"):
        if name is None or row["country"] == name:
            counts[row["status_code"]] = counts.get(row["status_code"], 0) + 1
    return counts


def known_total(column: str, iso3: str | None = None) -> float | None:
    """Sum of the known values of an amount column; None when rows exist but none states it."""
    values = [a for r in issuances(iso3) if (a := amount(r, column)) is not None]
    if issuances(iso3) and not values:
        return None
    return sum(values)


def published_value(row: dict[str, str]) -> tuple[float, bool]:
    """A published figure's value and whether the publisher calls it approximate."""
    return float(row["value"]), "approx" in row["value_basis"].lower()


def as_of() -> str:
    """The data's as-of date: its latest dated decision, report, registration, PIN decision or signing."""
    days = [r[c] for r in rows("issuances") for c in ("decision_date", "reported_date") if r[c]]
    days += [r[c] for r in rows("projects") for c in ("registration_date", "pin_decision_date") if r[c]]
    days += [
        r["date_bilateral_document_signed"]
        for r in rows("partner_countries")
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["date_bilateral_document_signed"])
    ]
    return max(days)


def rank_among_partners(iso3: str) -> int:
    """The partner's rank by known credits issued (1 = most)."""
    totals = issued_by_country()
    return 1 + sum(1 for value in totals.values() if value > totals[iso3])
