"""The `data/` CSV layout: one spec per file, naming each column, its kind and whether it is required.

This is the contract for `data/*.csv` (and for import files later); the README's "Data layout"
section describes the same columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STATUS_CODES = ("registered", "validation", "withdrawn", "planned")


@dataclass(frozen=True)
class Column:
    """One CSV column.

    ``kind`` is one of: ``text``; ``iso3`` (three capital letters); ``date`` (YYYY-MM-DD, a real
    day); ``partial_date`` (YYYY, YYYY-MM or YYYY-MM-DD); ``amount`` (a number >= 0, t-CO2e);
    ``int``; ``refs`` (``;``-separated project references); ``url`` (an ``http(s)://`` address: a
    ``javascript:`` or ``data:`` link is refused, because source links are rendered as links).
    """

    name: str
    kind: str = "text"
    required: bool = False
    choices: tuple[str, ...] = ()
    doc: str = ""


@dataclass(frozen=True)
class Table:
    """One CSV file and the store table it fills."""

    table: str
    file: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        """Names of the source columns, in file order."""
        return [c.name for c in self.columns]


PARTNER_COUNTRIES = Table(
    "partner_countries",
    "partner_countries.csv",
    ("iso3",),
    (
        Column("country", required=True, doc="English short name, as used in the other files"),
        Column("iso3", "iso3", required=True, doc="ISO 3166-1 alpha-3 code"),
        Column("date_bilateral_document_signed", "partial_date", doc="YYYY, YYYY-MM or YYYY-MM-DD"),
        Column("date_precision", doc="day / month / unknown, with the source's wording"),
        Column("partner_order", "int"),
        Column("partner_order_basis"),
        Column("place"),
        Column("source_url", "url", required=True),
        Column("source_url_2", "url"),
        Column("notes"),
    ),
)

PROJECTS = Table(
    "projects",
    "projects.csv",
    ("project_ref",),
    (
        Column("project_ref", required=True, doc="e.g. MN004"),
        Column("country", required=True, doc="a partner country's name from partner_countries.csv"),
        Column("title", required=True),
        Column("status_code", required=True, choices=STATUS_CODES),
        Column("status_detail"),
        Column("registration_date", "date"),
        Column("pin_decision_date", "date"),
        Column("unep_type", doc="technology type (UNEP Article 6 Pipeline taxonomy)"),
        Column("unep_subtype"),
        Column("technology_detail"),
        Column("methodology_ref"),
        Column("expected_annual_reductions_tco2", "amount"),
        Column("expected_reductions_source"),
        Column("financing_programme"),
        Column("host_participant"),
        Column("japanese_participant"),
        Column("source_url", "url", required=True),
        Column("source_url_2", "url"),
        Column("unep_source_url", "url"),
        Column("retrieved_via"),
        Column("notes"),
    ),
)

ISSUANCES = Table(
    "issuances",
    "issuances.csv",
    ("issuance_id",),
    (
        Column("issuance_id", required=True),
        Column("country", required=True, doc="a partner country's name from partner_countries.csv"),
        Column("project_refs", "refs", doc="`;`-separated project references; may be empty"),
        Column("project_refs_basis"),
        Column("project_refs_note"),
        Column("decision_date", "date", doc="Joint Committee decision"),
        Column("reported_date", "date", doc="first public report or issuance date"),
        Column("monitoring_period_start", "date"),
        Column("monitoring_period_end", "date"),
        Column("credits_issued_tco2", "amount", doc="total notified for issuance (both sides)"),
        Column("japan_side_tco2", "amount"),
        Column("partner_side_tco2", "amount"),
        Column("goj_share_tco2", "amount", doc="acquired by the Government of Japan, where stated"),
        Column("value_basis"),
        Column("source_url", "url", required=True),
        Column("source_url_2", "url"),
        Column("retrieved_via"),
        Column("notes"),
    ),
)

TARGETS = Table(
    "targets",
    "targets.csv",
    ("target_name",),
    (
        Column("target_name", required=True),
        Column("value_low_tco2", "amount"),
        Column("value_high_tco2", "amount"),
        Column("deadline", doc="FY2030, or a year / month for non-tonnage goals"),
        Column("scope"),
        Column("announced_date", "partial_date"),
        Column("status", doc="current / superseded ... (source wording)"),
        Column("source_url", "url", required=True),
        Column("source_url_2", "url"),
        Column("notes"),
    ),
)

PUBLISHED_FIGURES = Table(
    "published_figures",
    "aggregates.csv",
    # No published id exists: a figure is the same figure when metric, date and source agree.
    ("metric", "as_of_date", "source_url"),
    (
        Column("metric", required=True),
        Column("value", required=True, doc="as published, e.g. 700000 or >200"),
        Column("unit"),
        Column("as_of_date", doc="as published, e.g. 2024-06 or ~2026-06-04"),
        Column("scope_note"),
        Column("value_basis"),
        Column("source_url", "url", required=True),
    ),
)

ALL_TABLES: tuple[Table, ...] = (PARTNER_COUNTRIES, PROJECTS, ISSUANCES, TARGETS, PUBLISHED_FIGURES)
# What `import` may add or update (targets change by policy decision, through data/targets.csv only).
IMPORTABLE: tuple[Table, ...] = (PARTNER_COUNTRIES, PROJECTS, ISSUANCES, PUBLISHED_FIGURES)
