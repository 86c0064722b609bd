"""The sentences and figures the overview and the briefing pack both state, in one place (no Streamlit).

Each takes view results (jcm_dash.views) and a Translator and returns text, so the page, the deck
and the one-pager cannot word the same figure two ways.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from jcm_dash import charts, projections
from jcm_dash.i18n import Markdown, Translator, markdown_url


def key_figures(summary: dict[str, Any], t: Translator) -> list[tuple[str, str, str]]:
    """The headline figures as (label, value, explanation), formatted as the overview's cards show them."""
    total = summary["issuances_total"]
    status = summary["projects_by_status"]
    return [
        (
            t("cards.issued"),
            t.tco2(summary["credits_issued_tco2"]),
            t("cards.issued_help", total=total, without=summary["issuances_without_amount"]),
        ),
        (
            t("cards.japan_side"),
            t.tco2(summary["japan_side_tco2"]),
            t("cards.japan_side_help", stated=summary["issuances_with_japan_side"], total=total),
        ),
        (
            t("cards.goj"),
            t.tco2(summary["goj_share_tco2"]),
            t("cards.goj_help", stated=summary["issuances_with_goj_share"], total=total),
        ),
        (
            t("cards.registered"),
            f"{status['registered']:,}",
            t(
                "cards.registered_help",
                validation=status["validation"],
                planned=status["planned"],
                withdrawn=status["withdrawn"],
            ),
        ),
        (t("cards.partners"), f"{summary['partner_countries']:,}", t("cards.partners_help")),
        (
            t("cards.expected"),
            t.tco2(summary["expected_annual_reductions_registered_tco2"], t.per_year()),
            t("cards.expected_help"),
        ),
    ]


def data_notes(
    summary: dict[str, Any],
    published: dict[str, Any] | None,
    t: Translator,
    published_key: str,
    markdown: bool = False,
) -> list[str]:
    """What the data lacks, and the nearest published total beside it (``published_key`` words it).

    ``markdown``: for a page, with the data's values escaped (the published note and URL are data).
    """
    say = t.md if markdown else t
    notes = [say("overview.incomplete", without=summary["issuances_without_amount"], total=summary["issuances_total"])]
    if published:
        notes.append(
            say(
                published_key,
                published=t.tco2(published["published_tco2"]),
                date=published["as_of_date"],
                note=published["scope_note"],
                url=markdown_url(published["source_url"]) if markdown else published["source_url"],
                dataset=t.tco2(published["dataset_tco2_same_date"]),
            )
        )
    else:
        notes.append(say("overview.no_published"))
    return notes


def outlook_lines(
    outlook: pd.DataFrame, as_of_fy: int, t: Translator, line_key: str, markdown: bool = False
) -> list[str]:
    """One sentence per current target: projected at its deadline, when reached, the pace needed.

    ``markdown``: for a page, with the values escaped.
    """
    say = t.md if markdown else t
    lines = []
    for _, target in outlook[~outlook["is_superseded"]].iterrows():
        reached_fy = None if pd.isna(target["reached_fy"]) else int(target["reached_fy"])
        rate = target["required_annual_tco2"]
        lines.append(
            say(
                line_key,
                # Built from numbers and catalogue text only, so kept as it is ("~100 Mt", not "\~100 Mt").
                target=Markdown(
                    charts.target_label(target["value_tco2"], target["value_tco2"], int(target["deadline_fy"]), t)
                ),
                projected=t.tco2(target["projected_at_deadline_tco2"]),
                reached=projections.reached_label(reached_fy, as_of_fy, t),
                needed=t("overview.deadline_passed")
                if pd.isna(rate)
                else t("overview.needs", rate=t.tco2(rate, t.per_year())),
            )
        )
    return lines
