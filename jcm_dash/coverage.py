"""How complete the data is beside published figures: pure pandas over jcm_dash.queries frames.

(Coverage per country and the conflicts are single SQL queries: queries.coverage, queries.conflicts.)
"""

from __future__ import annotations

import re

import pandas as pd

from jcm_dash.metrics import known_sum


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
    event_days = pd.to_datetime(issuances["event_date"])
    registered_days = pd.to_datetime(projects["registration_date"]).dropna()
    rows = []
    for _, figure in published.iterrows():
        day = pd.Timestamp(figure["as_of_day"]) if pd.notna(figure["as_of_day"]) else None
        metric = figure["metric"]
        dataset = None
        if day is not None:
            dated = issuances[event_days.notna() & (event_days <= day)]
            match = re.fullmatch(r"credits_issued_(\w+)_cumulative", metric)
            if metric == "credits_issued_cumulative":
                dataset = known_sum(dated["credits_issued_tco2"])
            elif match and match.group(1) in names:
                dataset = known_sum(dated.loc[dated["country_iso3"] == names[match.group(1)], "credits_issued_tco2"])
            elif metric == "registered_projects":
                dataset = float((registered_days <= day).sum())
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
