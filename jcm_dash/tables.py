"""The `data/` CSV layout and the store's data tables: one spec per file, naming each column.

This is the one source of the column contract: each file's columns, their kind and whether they are
required (what validate checks), and the columns the build adds to the store table (``derived``).
schema.sql, the queries and the README's "Data layout" table must agree with it, and
tests/test_tables.py checks that they do.
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
    ``javascript:`` or ``data:`` link is refused, because source links are rendered as links);
    ``source`` (an ``http(s)://`` address, or the name of a source where none is linked, such as
    "JCM Chile - Japan": text with a scheme (``javascript:``) that is not http(s) is refused);
    ``bool`` (only for a column the build derives).
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
    # Columns the build adds to the store table (jcm_dash.store), beside the provenance column.
    derived: tuple[Column, ...] = field(default_factory=tuple)

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
    (Column("signed_date", "date", doc="the signing date when the source gives the exact day"),),
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
    (
        Column("country_iso3", "iso3", required=True, doc="the partner's ISO3, from its name"),
        Column("event_date", "date", doc="registration_date, else pin_decision_date"),
        Column("event_fy", "int", doc="Japanese fiscal year of event_date"),
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
    (
        Column("country_iso3", "iso3", required=True, doc="the partner's ISO3, from its name"),
        Column("event_date", "date", doc="decision_date, else reported_date, else NULL (date unknown)"),
        Column("event_date_basis", required=True, choices=("decision", "reported", "unknown")),
        Column("fiscal_year", "int", doc="Japanese fiscal year of event_date"),
        Column("n_projects", "int", required=True, doc="how many projects project_refs names"),
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
    (
        Column("deadline_fy", "int", doc='the FY of a tonnage target\'s deadline ("FY2030" -> 2030)'),
        Column("is_superseded", "bool", required=True, doc='status starts with "superseded"'),
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
    (
        Column("figure_id", "int", required=True, doc="row order in aggregates.csv"),
        Column("value_numeric", "amount", doc='the value when it is a number (">200" stays NULL)'),
        Column("as_of_day", "date", doc="the first day of the as-of date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ),
)

# Every data table of the store also records the import (or build) that last wrote each row.
PROVENANCE = Column("last_import_id", "int", required=True, doc="imports.import_id of the last build or import")

# Article 6 context (data/article6/): the other countries buying Article 6.2 credits, beside the JCM.
A6_STATUSES = ("MoU", "BA (signed)", "Other")
# What a buyer's fact is. The quantities measure different things (a plan for one year, a cumulative
# goal, money): `unit` and `period_or_date` say which, and only ITMO tonnes actually transferred or
# issued are compared on a chart (jcm_dash.article6.itmo_tco2).
A6_METRICS = (
    "planned_use",
    "expected_pipeline",
    "contracted",
    "authorized",
    "transferred",
    "delivered_cumulative",
    "issued",
)

ARTICLE6_AGREEMENTS = Table(
    "article6_agreements",
    "article6/agreements.csv",
    # The UNEP pipeline keeps one row per buyer and host (an updated agreement updates its row).
    ("buyer_country", "host_country"),
    (
        Column("buyer_country", required=True, doc="the buying country's English name"),
        Column("host_country", required=True, doc="the host country's English name"),
        Column("host_region", required=True, doc="UNEP's region of the host: Africa, Americas, Asia, Europe, Oceania"),
        Column("date", "date", doc="the day the agreement or MoU was signed"),
        Column("status", required=True, choices=A6_STATUSES),
        Column("title"),
        Column("associated_projects", "int", doc="projects UNEP associates with the agreement"),
        Column("source_url", "source", required=True, doc="an http(s) link, or the source's name where none is given"),
        Column("retrieved_via"),
    ),
    (
        Column("buyer_iso3", "iso3", doc="the buyer's ISO3 when its name is one country (jcm_dash.article6.iso3_of)"),
        Column("host_iso3", "iso3", doc="the host's ISO3 when its name is one country"),
    ),
)

ARTICLE6_BUYER_FACTS = Table(
    "article6_buyer_facts",
    "article6/buyers.csv",
    ("buyer", "metric", "period_or_date"),
    (
        Column("buyer", required=True, doc="the buying country's English name"),
        Column("host", doc='a host country, a list (`;`), or the source\'s words ("all hosts")'),
        Column("metric", required=True, choices=A6_METRICS),
        Column("value", required=True, doc="as stated: 20, ~100, <= one third, undisclosed"),
        Column("unit", required=True, doc="as stated: MtCO2e (single year 2030), SEK billion, ITMOs (tCO2e)..."),
        Column("period_or_date", required=True, doc="as stated: 2025-2030, by FY2030, 2025-07-08"),
        Column("scope_note"),
        Column("source_url", "url", required=True),
        Column("quote", doc="the source's own words"),
        Column("retrieved_via"),
    ),
    (
        Column("fact_id", "int", required=True, doc="row order (buyers.csv's at a build)"),
        Column("buyer_iso3", "iso3", doc="the buyer's ISO3 when its name is one country"),
        # Not t-CO2e in general: the number in the unit as stated (20 of "MtCO2e", 1.5 of "SEK billion").
        Column("value_numeric", "amount", doc="the value as a number when it is plain digits (~100 stays NULL)"),
        Column("itmo_tco2", "amount", doc="tonnes of ITMOs transferred or issued (jcm_dash.article6.itmo_tco2)"),
    ),
)

ALL_TABLES: tuple[Table, ...] = (
    PARTNER_COUNTRIES,
    PROJECTS,
    ISSUANCES,
    TARGETS,
    PUBLISHED_FIGURES,
    ARTICLE6_AGREEMENTS,
    ARTICLE6_BUYER_FACTS,
)
# What `import` may add or update (targets change by policy decision, through data/targets.csv only).
IMPORTABLE: tuple[Table, ...] = (
    PARTNER_COUNTRIES,
    PROJECTS,
    ISSUANCES,
    PUBLISHED_FIGURES,
    ARTICLE6_AGREEMENTS,
    ARTICLE6_BUYER_FACTS,
)
