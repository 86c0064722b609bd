"""How complete and fresh the data is: coverage per country, published figures beside it, conflicts.

Pure pandas over jcm_dash.queries frames.
"""

from __future__ import annotations

import re

import pandas as pd

from jcm_dash.metrics import known_sum

CONFLICT_PATTERN = re.compile(r"conflict|overlap|\bvs\.?\b", re.IGNORECASE)


def by_country(
    issuances: pd.DataFrame, projects: pd.DataFrame, partners: pd.DataFrame, links: pd.DataFrame
) -> pd.DataFrame:
    """Per partner: projects, how many have issuance data, issuance rows without amount or named projects."""
    named = set(links.loc[links["issuance_id"].isin(issuances["issuance_id"]), "project_ref"])
    table = partners[["iso3", "country"]].set_index("iso3")
    table["projects"] = projects.groupby("country_iso3").size().reindex(table.index, fill_value=0)
    registered = projects[projects["status_code"] == "registered"]
    table["registered"] = registered.groupby("country_iso3").size().reindex(table.index, fill_value=0)
    with_data = projects[projects["project_ref"].isin(named)]
    table["projects_with_issuance_data"] = with_data.groupby("country_iso3").size().reindex(table.index, fill_value=0)
    table["issuances"] = issuances.groupby("country_iso3").size().reindex(table.index, fill_value=0)
    no_amount = issuances[issuances["credits_issued_tco2"].isna()]
    table["issuances_without_amount"] = no_amount.groupby("country_iso3").size().reindex(table.index, fill_value=0)
    no_projects = issuances[issuances["n_projects"] == 0]
    table["issuances_without_named_projects"] = (
        no_projects.groupby("country_iso3").size().reindex(table.index, fill_value=0)
    )
    return table.astype({c: int for c in table.columns if c != "country"}).reset_index()


def _signed_first_day(text: object) -> pd.Timestamp | None:
    if not isinstance(text, str) or not text:
        return None
    parts = text.split("-") + ["01", "01"]
    return pd.Timestamp(f"{parts[0]}-{parts[1]}-{parts[2]}")


def published_comparison(
    published: pd.DataFrame, issuances: pd.DataFrame, projects: pd.DataFrame, partners: pd.DataFrame
) -> pd.DataFrame:
    """Each published figure beside what this dataset holds at the same date, where comparable.

    Comparable: cumulative credits issued (all JCM or one country: known amounts dated on or before
    the published date), registered projects (registered on or before it) and partner countries
    (bilateral document signed on or before it; a month-only date counts from the month's first
    day, an unknown date not at all). Other metrics get no dataset value.
    """
    names = {
        re.sub(r"[^a-z0-9]+", "_", c.lower()).strip("_"): iso3
        for iso3, c in zip(partners["iso3"], partners["country"], strict=True)
    }
    signed = partners["date_bilateral_document_signed"].map(_signed_first_day)
    rows = []
    for _, figure in published.iterrows():
        day = pd.Timestamp(figure["as_of_day"]) if pd.notna(figure["as_of_day"]) else None
        metric = figure["metric"]
        dataset = None
        if day is not None:
            dated = issuances[issuances["event_date"].notna() & (pd.to_datetime(issuances["event_date"]) <= day)]
            match = re.fullmatch(r"credits_issued_(\w+)_cumulative", metric)
            if metric == "credits_issued_cumulative":
                dataset = known_sum(dated["credits_issued_tco2"])
            elif match and match.group(1) in names:
                dataset = known_sum(dated.loc[dated["country_iso3"] == names[match.group(1)], "credits_issued_tco2"])
            elif metric == "registered_projects":
                registered = projects[projects["registration_date"].notna()]
                dataset = float((pd.to_datetime(registered["registration_date"]) <= day).sum())
            elif metric == "partner_countries":
                dataset = float((signed.dropna() <= day).sum())
        rows.append(
            {
                "metric": metric,
                "published": figure["value"],
                "unit": figure["unit"],
                "as_of_date": figure["as_of_date"],
                "dataset_same_date": dataset,
                "scope_note": figure["scope_note"],
                "source_url": figure["source_url"],
            }
        )
    return pd.DataFrame(rows)


def known_conflicts(issuances: pd.DataFrame, projects: pd.DataFrame, partners: pd.DataFrame) -> pd.DataFrame:
    """Rows whose notes record a conflict between sources or an overlap (kept as found, not resolved)."""
    frames = []
    for kind, frame, key in (
        ("issuance", issuances, "issuance_id"),
        ("project", projects, "project_ref"),
        ("partner country", partners, "iso3"),
    ):
        if "notes" not in frame.columns:
            continue
        hits = frame[frame["notes"].fillna("").str.contains(CONFLICT_PATTERN)]
        frames.append(
            pd.DataFrame({"record": kind, "key": hits[key], "notes": hits["notes"], "source_url": hits["source_url"]})
        )
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["record", "key", "notes", "source_url"])
    )
