"""Breakdowns by partner country, technology and project: pure pandas over jcm_dash.queries frames.

The same counting rules as jcm_dash.metrics hold (tests/test_breakdowns.py): an issuance is one row
and counts once; split by technology it is attributed to its set of projects (a "Mixed: …" label
when they differ); split by project, only an issuance naming that project alone is credited to it,
and a shared issuance is shown beside it, never divided or counted twice.
"""

from __future__ import annotations

import pandas as pd

from jcm_dash.i18n import EN, Translator
from jcm_dash.metrics import known_counts, weights
from jcm_dash.tables import STATUS_CODES

NOT_NAMED = "Projects not named in the source"
NOT_CLASSIFIED = "Not classified"

# Issuance label column and project column for each technology level.
TECH_LEVELS = {
    "type": ("technology", "unep_type"),
    "subtype": ("technology_subtype", "unep_subtype"),
    "detail": ("technology_detail", "technology_detail"),
}
AMOUNT_COLUMNS = ["credits_issued_tco2", "japan_side_tco2", "partner_side_tco2", "goj_share_tco2"]


def _sum_known(frame: pd.DataFrame, by: str | list[str], columns: list[str]) -> pd.DataFrame:
    """Per group, the sum of known values of each column; NaN (unknown) when none is known.

    ``sum(min_count=1)`` is ``known_total`` per group, vectorised: a group always has rows.
    """
    return frame.groupby(by, dropna=False)[columns].sum(min_count=1).astype(float)


def by_country(issuances: pd.DataFrame, projects: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """One row per partner country in ``partners`` (those without projects included).

    Columns: iso3, country, signing date and precision, the four amounts (NaN = unknown),
    issuances, issuances_without_amount, a count per status, projects_total,
    expected_annual_registered_tco2, share_of_issued_pct (of the known total in scope).
    """
    table = partners[["iso3", "country", "date_bilateral_document_signed", "date_precision"]].copy()
    table = table.set_index("iso3")
    amounts = _sum_known(issuances, "country_iso3", AMOUNT_COLUMNS) if len(issuances) else None
    for column in AMOUNT_COLUMNS:
        table[column] = amounts[column] if amounts is not None else float("nan")
    n = weights(issuances)
    counts = n.groupby(issuances["country_iso3"]).sum()
    table["issuances"] = counts.reindex(table.index, fill_value=0).astype(int)
    missing = (n - known_counts(issuances, "credits_issued_tco2")).groupby(issuances["country_iso3"]).sum()
    table["issuances_without_amount"] = missing.reindex(table.index, fill_value=0).astype(int)
    # Countries with no issuance have a known zero issued, not an unknown.
    no_issuance = table["issuances"] == 0
    for column in AMOUNT_COLUMNS:
        table.loc[no_issuance, column] = 0.0
    status = weights(projects).groupby([projects["country_iso3"], projects["status_code"]]).sum().unstack(fill_value=0)
    for code in STATUS_CODES:
        column = status[code] if code in status.columns else pd.Series(dtype=int)
        table[code] = column.reindex(table.index, fill_value=0).astype(int)
    table["projects_total"] = table[list(STATUS_CODES)].sum(axis=1)
    registered = projects[projects["status_code"] == "registered"]
    expected = registered.groupby("country_iso3")["expected_annual_reductions_tco2"].sum()
    table["expected_annual_registered_tco2"] = expected.reindex(table.index, fill_value=0.0).astype(float)
    total = float(table["credits_issued_tco2"].sum(skipna=True))
    table["share_of_issued_pct"] = table["credits_issued_tco2"] / total * 100.0 if total else 0.0
    # 1 = most known credits; partners with nothing known have no rank (equal amounts share one).
    known = table["credits_issued_tco2"].where(table["credits_issued_tco2"] > 0)
    table["rank"] = known.rank(ascending=False, method="min")
    return table.reset_index()


def by_technology(issuances: pd.DataFrame, projects: pd.DataFrame, level: str = "type") -> pd.DataFrame:
    """Credits issued and expected annual reductions of registered projects per technology label.

    Args:
        issuances: filtered issuances with ``technology`` / ``technology_subtype`` / ``technology_detail``.
        projects: filtered projects.
        level: ``type`` (UNEP type), ``subtype`` or ``detail``.

    """
    issuance_column, project_column = TECH_LEVELS[level]
    labelled = issuances.assign(label=issuances[issuance_column].fillna(NOT_NAMED))
    issued = _sum_known(labelled, "label", ["credits_issued_tco2"]) if len(labelled) else pd.DataFrame()
    counts = weights(labelled).groupby(labelled["label"]).sum().rename("issuances")
    registered = projects[projects["status_code"] == "registered"]
    registered = registered.assign(label=registered[project_column].fillna(NOT_CLASSIFIED))
    expected = (
        registered.groupby("label")["expected_annual_reductions_tco2"].sum().rename("expected_annual_registered_tco2")
    )
    project_counts = weights(registered).groupby(registered["label"]).sum().rename("registered_projects")
    table = pd.concat([issued, counts, expected, project_counts], axis=1)
    if table.empty:
        return pd.DataFrame(
            columns=[
                "technology",
                "credits_issued_tco2",
                "issuances",
                "expected_annual_registered_tco2",
                "registered_projects",
            ]
        )
    table["issuances"] = table["issuances"].fillna(0).astype(int)
    table["registered_projects"] = table["registered_projects"].fillna(0).astype(int)
    table["expected_annual_registered_tco2"] = table["expected_annual_registered_tco2"].fillna(0.0)
    # A technology with no issuance has a known zero issued.
    table.loc[table["issuances"] == 0, "credits_issued_tco2"] = 0.0
    table = table.rename_axis("technology").reset_index()
    return table.sort_values(
        ["credits_issued_tco2", "expected_annual_registered_tco2"], ascending=False, na_position="last"
    ).reset_index(drop=True)


def technology_by_country(issuances: pd.DataFrame, projects: pd.DataFrame) -> pd.DataFrame:
    """Long table: credits issued and expected annual reductions per (UNEP type label, country).

    ``credits_issued_tco2`` is NaN (unknown) only for a pair whose issuances state no amount; a pair
    with registered projects but no issuance has a known 0, as does ``expected_annual_registered_tco2``
    for a pair with issuances but no registered project. ``issuances`` counts the pair's issuances.
    """
    keys = ["technology", "country_iso3", "country"]
    labelled = issuances.assign(technology=issuances["technology"].fillna(NOT_NAMED))
    issued = labelled.groupby(keys)["credits_issued_tco2"].sum(min_count=1)
    counts = weights(labelled).groupby([labelled[k] for k in keys]).sum()
    registered = projects[projects["status_code"] == "registered"]
    registered = registered.assign(technology=registered["unep_type"].fillna(NOT_CLASSIFIED))
    expected = registered.groupby(keys)["expected_annual_reductions_tco2"].sum()
    table = pd.concat(
        [
            issued.rename("credits_issued_tco2"),
            expected.rename("expected_annual_registered_tco2"),
            counts.rename("issuances"),
        ],
        axis=1,
    ).reset_index()
    table["issuances"] = table["issuances"].fillna(0).astype(int)
    table.loc[table["issuances"] == 0, "credits_issued_tco2"] = 0.0
    table["expected_annual_registered_tco2"] = table["expected_annual_registered_tco2"].fillna(0.0)
    return table.sort_values(["technology", "country"]).reset_index(drop=True)


def issued_by_fy_and(issuances: pd.DataFrame, column: str) -> pd.DataFrame:
    """Known credits issued per (FY, ``column``) for dated issuances; undated ones are left to the caller."""
    dated = issuances[issuances["fiscal_year"].notna()].copy()
    dated["fiscal_year"] = dated["fiscal_year"].astype(int)
    dated[column] = dated[column].fillna(NOT_NAMED)
    table = dated.groupby(["fiscal_year", column])["credits_issued_tco2"].sum(min_count=1).reset_index()
    return table.sort_values(["fiscal_year", column]).reset_index(drop=True)


def issuance_flags(issuances: pd.DataFrame, t: Translator = EN) -> pd.Series:
    """Provenance flags per issuance, as a readable '; '-separated list ('' when none apply), in ``t``'s language."""
    basis = issuances["project_refs_basis"].fillna("").astype(str).str.lower()
    n_projects = issuances["n_projects"].fillna(0).astype(int)
    date_basis = issuances["event_date_basis"]
    inferred = basis.str.startswith("inferred")
    partly = ~inferred & basis.str.contains("partly", regex=False)
    checks = [
        (inferred, t("flags.inferred")),
        (partly, t("flags.partly_named")),
        (~inferred & ~partly & (n_projects == 0), t("flags.not_named")),
        (n_projects > 1, pd.Series([t("flags.shared", n=n) for n in n_projects], index=issuances.index, dtype=object)),
        (issuances["credits_issued_tco2"].isna(), t("flags.amount_unknown")),
        (date_basis == "unknown", t("flags.date_unknown")),
        (date_basis == "reported", t("flags.fy_from_reported")),
    ]
    flags = pd.Series("", index=issuances.index, dtype=object)
    for applies, text in checks:
        joined = flags.where(flags == "", flags + t("flags.separator")) + text
        flags = joined.where(applies.to_numpy(), flags)
    return flags


def with_attribution(projects: pd.DataFrame, attributed: pd.DataFrame) -> pd.DataFrame:
    """Projects with the credits attributed to them (``queries.project_attribution`` output).

    ``credits_issued_tco2`` sums the issuances that name the project alone (NaN when it has some
    but none states an amount); ``shared_issued_tco2`` sums those it shares with other projects,
    undivided (NaN likewise); both are 0 when there is no such issuance, which ``sole_issuances`` /
    ``shared_issuances`` (counts) tell apart from a stated 0; ``issuances`` counts both.
    """
    table = projects.set_index("project_ref")
    found = attributed.set_index("project_ref").reindex(table.index)
    sole_n = found["sole_issuances"].fillna(0).astype(int)
    all_n = found["issuances"].fillna(0).astype(int)
    table = table.assign(
        credits_issued_tco2=found["sole_tco2"].astype(float).where(sole_n > 0, 0.0),
        # A shared issuance stating no amount is unknown, not 0 (it was filled with 0 before).
        shared_issued_tco2=found["shared_tco2"].astype(float).where(all_n - sole_n > 0, 0.0),
        issuances=all_n,
        sole_issuances=sole_n,
        shared_issuances=all_n - sole_n,
    )
    return table.reset_index()
