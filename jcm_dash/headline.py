"""The sentences and figures the overview and the briefing pack both state, in one place (no Streamlit).

Each takes view results (jcm_dash.views) and a Translator and returns text, so the page, the deck
and the one-pager cannot word the same figure two ways.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pandas as pd

from jcm_dash import charts, projections
from jcm_dash.i18n import Markdown, Translator
from jcm_dash.scope import Filters, short_name, years_words


@dataclass(frozen=True)
class Card:
    """One headline figure: its label, value, a short muted line under it, a tooltip and a source link."""

    label: str
    value: str
    note: str = ""
    help: str = ""
    link: tuple[str, str] | None = None  # (label, http(s) URL) of the figure's source


@dataclass(frozen=True)
class Progress:
    """The answer at a glance: the scope's figures, which figure the shares use, each target's row."""

    heading: str
    scope_cards: list[Card]
    trend_cards: list[Card]
    national_heading: str
    basis_note: str
    targets: list[tuple[str, list[Card]]] = field(default_factory=list)
    trend_heading: str = ""


def _host(url: str | None) -> str:
    """The site a source URL points at, as plain text (``erm.com``); only letters, digits, dots and dashes."""
    host = urlsplit(str(url or "")).hostname or ""
    return re.sub(r"[^A-Za-z0-9.-]", "", host.removeprefix("www."))


def published_amount(published: dict[str, Any], t: Translator) -> str:
    """A published total as cards and sentences write it, keeping the publisher's "approximately" (``~0.70 Mt``)."""
    value = t.amount(published["published_tco2"])
    return t("progress.approximately", value=value) if published.get("approximate") else value


def _published_card(published: dict[str, Any] | None, t: Translator, label_key: str) -> Card:
    """The latest published cumulative total: value, date and source; a dash when none matches the scope."""
    if not published:
        return Card(t(label_key), "–", t("progress.published_none"), t("progress.published_none_help"))
    value = published_amount(published, t)
    return Card(
        t(label_key),
        value,
        t("progress.as_of", date=published["as_of_date"]),
        t(
            "progress.published_help",
            exact=t.number(published["published_tco2"]),
            dataset=t.number(published["dataset_tco2_same_date"]),
        ),
        (t("progress.source", host=_host(published["source_url"])), str(published["source_url"])),
    )


def published_card(published: dict[str, Any] | None, t: Translator, label_key: str = "progress.published") -> Card:
    """The latest published cumulative total's card (value, date, source link), as the overview shows it."""
    return _published_card(published, t, label_key)


def _itemized_card(summary: dict[str, Any], t: Translator, label_key: str) -> Card:
    """What this data itemizes: "–" when it holds no issuance in scope (nothing itemized is not a 0)."""
    nothing = not summary["issuances_total"]
    return Card(
        t(label_key),
        "–" if nothing else t.amount(summary["credits_issued_tco2"]),
        t("progress.nothing_in_scope") if nothing else t("progress.lower_bound"),
        t(
            "progress.itemized_help",
            exact=t.number(summary["credits_issued_tco2"]),
            total=summary["issuances_total"],
            without=summary["issuances_without_amount"],
        ),
    )


def _pace_cards(pace: dict[str, Any], t: Translator) -> list[Card]:
    best = pace["best_fy_tco2"]
    first, last = pace["recent_first_fy"], pace["recent_last_fy"]
    if first is None:
        years = "–"
    elif first == last:
        years = t.fy(first)
    else:
        years = t.fy_range(first, last)
    return [
        Card(
            t("progress.best_fy"),
            t.amount(best) if best is not None else "–",
            t.fy(pace["best_fy"]) if best is not None else t("progress.none_itemized"),
            t("progress.pace_help"),
        ),
        Card(
            t("progress.recent"),
            *(
                ("–", t("progress.none_itemized"))
                if best is None and not pace.get("recent_unknown_fys")
                else _recent_average(pace, years, t)
            ),
            t("progress.pace_help"),
        ),
    ]


def _recent_average(pace: dict[str, Any], years: str, t: Translator) -> tuple[str, str]:
    """The recent average's value and note: "at least" when a FY in the window has no known amount."""
    average, unknown = pace["recent_average_tco2"], pace.get("recent_unknown_fys") or []
    if pace["recent_first_fy"] is None:
        return "–", years
    if not unknown:
        return t.amount(average, per_year=True), years
    note = t(
        "progress.recent_unknown", years=years, unknown=t("filters.list_separator").join(t.fy(fy) for fy in unknown)
    )
    if not average:
        return t("unit.unknown"), note
    return t("progress.at_least", value=t.amount(average, per_year=True)), note


def _times(needed: float, achieved: float | None, t: Translator) -> str:
    """How many times the best FY so far the needed pace is, rounded as a reader would say it."""
    if not achieved:
        return t("progress.needed_no_pace")
    ratio = needed / achieved
    rounded = round(ratio, -1) if ratio >= 100 else round(ratio) if ratio >= 10 else round(ratio, 1)
    return t("progress.needed_times", times=t.number(rounded, 0 if rounded >= 10 else 1))


def progress(view: dict[str, Any], filters: Filters, country_names: dict[str, str], t: Translator) -> Progress:
    """How far the scope is from the targets, in cards: what the overview's first screen and the pack say.

    Japan's targets are national, so their rows are always the whole JCM's (``views.overview``'s
    ``national_targets``); a narrower scope gets its own figures and its part of the whole instead.
    """
    summary = view["summary"]
    best = view["best_known"]
    whole = not (filters.countries or filters.techs or filters.has_fy_bounds)
    pace = view["pace"]
    if whole:
        heading = t("progress.heading")
        scope_cards = [
            _itemized_card(summary, t, "progress.itemized"),
            _published_card(view["published"], t, "progress.published"),
            *_pace_cards(pace, t),
        ]
        trend_cards: list[Card] = []
        trend_heading = ""
    else:
        years = years_words(filters, t)
        if filters.countries or filters.techs:
            name = short_name(filters, country_names, t)
            heading = t("progress.heading_scope", scope=name)
        else:  # only fiscal years: the whole JCM in those years, which is not "its part in the JCM"
            name = t("progress.whole_jcm_years", years=years)
            heading = t("progress.heading_years", scope=name)
        contribution = view["contribution"]
        scope_cards = [
            _itemized_card(summary, t, "progress.itemized"),
            _published_card(view["published"], t, "progress.published"),
        ]
        if contribution is not None:
            scope_cards.append(
                Card(
                    t("progress.share_of_jcm"),
                    t.pct(contribution["share_pct"])
                    if contribution["share_pct"] is not None and summary["issuances_total"]
                    else "–",
                    t("progress.share_of_jcm_note", whole=t.amount(contribution["whole_tco2"]), years=years),
                    t("progress.share_of_jcm_help"),
                )
            )
            if contribution["rank_among"]:
                rank = contribution["rank"]
                scope_cards.append(
                    Card(
                        t(f"progress.rank_{contribution['rank_among']}"),
                        t.ordinal(rank) if rank is not None else "–",
                        t(f"progress.rank_note_{contribution['rank_among']}", n=contribution["of_n"], years=years)
                        if rank is not None
                        else t("progress.none_itemized"),
                        t("progress.rank_help"),
                    )
                )
        trend_cards = _pace_cards(pace, t)
        trend_heading = t("progress.trend_heading", scope=name)
    if best["basis"] == "published":
        basis = t(
            "progress.basis_published",
            value=published_amount(view["whole_published"], t),
            date=view["whole_published"]["as_of_date"],
            itemized=t.amount(best["itemized_tco2"]),
        )
    else:
        basis = t("progress.basis_itemized", value=t.amount(best["value_tco2"]))
    achieved = view["whole_pace"]["best_fy_tco2"]
    rows = []
    for _, target in view["national_targets"].iterrows():
        deadline = int(target["deadline_fy"])
        label = charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t)
        rate = target["required_annual_tco2"]
        passed = rate is None or pd.isna(rate)
        rows.append(
            (
                label,
                [
                    Card(
                        t("progress.reached", target=label),
                        t.pct(target["share_pct"]),
                        t(f"progress.of_basis_{best['basis']}"),
                        t("progress.reached_help"),
                    ),
                    Card(
                        t("progress.gap", target=label),
                        t.amount(target["gap_tco2"]),
                        t("progress.gap_note", fy=t.fy(deadline)),
                        t("progress.gap_help"),
                    ),
                    Card(
                        t("progress.needed", years=t.fy_range(int(target["first_fy"]), deadline)),
                        t("progress.deadline_passed") if passed else t.amount(rate, per_year=True),
                        "" if passed else _times(float(rate), achieved, t),
                        t.plural("progress.needed_help", deadline - int(target["first_fy"]) + 1),
                    ),
                ],
            )
        )
    return Progress(
        heading=heading,
        scope_cards=scope_cards,
        trend_cards=trend_cards,
        national_heading=t("progress.national_heading") if not whole else "",
        basis_note=basis,
        targets=rows,
        trend_heading=trend_heading,
    )


def key_figures(summary: dict[str, Any], t: Translator, filters: Filters | None = None) -> list[Card]:
    """What else the data holds, as the overview's second row of cards shows it.

    Counts of projects follow the FY filter by registration FY, and the labels say so.
    """
    filters = filters or Filters()
    status = summary["projects_by_status"]
    years = years_words(filters, t)
    bounded = filters.has_fy_bounds
    # With no issuance in scope there is nothing to sum: "–" and why, not "0 t, stated in 0 of 0".
    nothing = not summary["issuances_total"]
    no_registered = not status["registered"]
    return [
        Card(
            t("cards.japan_side"),
            "–" if nothing else t.amount(summary["japan_side_tco2"]),
            t("progress.nothing_in_scope")
            if nothing
            else t("cards.stated_in", stated=summary["issuances_with_japan_side"], total=summary["issuances_total"]),
            t("cards.japan_side_help", exact=t.number(summary["japan_side_tco2"])),
        ),
        Card(
            t("cards.goj"),
            "–" if nothing else t.amount(summary["goj_share_tco2"]),
            t("progress.nothing_in_scope")
            if nothing
            else t("cards.stated_in", stated=summary["issuances_with_goj_share"], total=summary["issuances_total"]),
            t("cards.goj_help", exact=t.number(summary["goj_share_tco2"])),
        ),
        Card(
            t("cards.registered_in", years=years) if bounded else t("cards.registered"),
            f"{status['registered']:,}",
            "",
            t(
                "cards.registered_help_fy" if bounded else "cards.registered_help",
                validation=status["validation"],
                planned=status["planned"],
                withdrawn=status["withdrawn"],
            ),
        ),
        Card(t("cards.partners"), f"{summary['partner_countries']:,}", "", t("cards.partners_help")),
        Card(
            t("cards.expected_in", years=years) if bounded else t("cards.expected"),
            "–" if no_registered else t.amount(summary["expected_annual_reductions_registered_tco2"], per_year=True),
            t("countries.card_no_registered") if no_registered else t("cards.expected_note"),
            t(
                "cards.expected_help",
                exact=t.number(summary["expected_annual_reductions_registered_tco2"]),
            ),
        ),
    ]


def data_notes(
    summary: dict[str, Any], published: dict[str, Any] | None, t: Translator, markdown: bool = False
) -> list[str]:
    """What the data lacks, and the latest published total beside it (no URL: the cards link the source).

    ``markdown``: for a page, with the data's values escaped (the published date is data).
    """
    say = t.md if markdown else t
    without = summary["issuances_without_amount"]
    if not summary["issuances_total"]:
        first = say("overview.incomplete_none")  # not "every issuance states an amount" of none
    elif without:
        first = say("overview.incomplete", without=without, total=summary["issuances_total"])
    else:
        first = say("overview.incomplete_pages")
    notes = [first]
    if published:
        notes.append(
            say(
                "overview.published",
                published=published_amount(published, t),
                date=published["as_of_date"],
                host=_host(published["source_url"]),
                dataset=t.amount(published["dataset_tco2_same_date"]),
            )
        )
    else:
        notes.append(say("overview.no_published"))
    return notes


def outlook_lines(
    outlook: pd.DataFrame,
    as_of_fy: int,
    t: Translator,
    line_key: str,
    markdown: bool = False,
    contribution: pd.DataFrame | None = None,
    scope: str | None = None,
) -> list[str]:
    """One sentence per current target: projected at its deadline, when reached, the pace needed.

    ``outlook`` is the national (whole-JCM) outlook (``views.projection``). For a selection, pass its
    ``contribution`` and its name as ``scope``: each target then first gets what the selection is
    projected to add and its share of Japan's target, and the national line says it is the whole JCM's
    (a country has no target of its own). ``markdown``: for a page, with the values escaped.
    """
    say = t.md if markdown else t
    own = None if contribution is None else contribution.set_index("target_name")
    lines = []
    for _, target in outlook[~outlook["is_superseded"]].iterrows():
        reached_fy = None if pd.isna(target["reached_fy"]) else int(target["reached_fy"])
        rate = target["required_annual_tco2"]
        # Built from numbers and catalogue text only, so kept as it is ("~100 Mt", not "\~100 Mt").
        label = Markdown(charts.target_label(target["value_tco2"], target["value_tco2"], int(target["deadline_fy"]), t))
        if own is not None and target["target_name"] in own.index:
            part = own.loc[target["target_name"]]
            lines.append(
                say(
                    f"{line_key}_scope",
                    scope=scope or "",
                    projected=t.amount(part["projected_at_deadline_tco2"]),
                    low=t.amount(part["projected_at_deadline_low_tco2"]),
                    high=t.amount(part["projected_at_deadline_high_tco2"]),
                    fy=t.fy(int(target["deadline_fy"])),
                    share=t.pct(part["share_of_target_pct"]),
                    target=label,
                )
            )
        lines.append(
            say(
                line_key if own is None else f"{line_key}_national",
                target=label,
                projected=t.amount(target["projected_at_deadline_tco2"]),
                reached=projections.reached_label(reached_fy, as_of_fy, t),
                needed=t("overview.deadline_passed")
                if pd.isna(rate)
                else t("overview.needs", rate=t.amount(rate, per_year=True)),
            )
        )
    return lines


def article6_cards(jcm: dict[str, Any], japan_agreements: int | None, t: Translator) -> list[Card]:
    """The JCM's own row beside the other Article 6 buyers (``views.jcm_among_buyers``), as the page and pack show it.

    Credits issued are the overview's best-known figure, worded as there; an ITMO issuance the data
    does not record reads "not in the data", never a date or zero.
    """
    best, published = jcm["best_known"], jcm["published"]
    if best["basis"] == "published" and published:
        issued = Card(
            t("article6.card_issued"),
            published_amount(published, t),
            t("progress.as_of", date=published["as_of_date"]),
            t(
                "progress.basis_published",
                value=published_amount(published, t),
                date=published["as_of_date"],
                itemized=t.amount(best["itemized_tco2"]),
            ),
            (t("progress.source", host=_host(published["source_url"])), str(published["source_url"])),
        )
    else:
        issued = Card(
            t("article6.card_issued"),
            t.amount(best["value_tco2"]),
            t("progress.lower_bound"),
            t("progress.basis_itemized", value=t.amount(best["value_tco2"])),
        )
    first = jcm["first_itmo_issuance"]
    if first and first["date"]:
        host = _host(first["source_url"])
        first_card = Card(
            t("article6.card_first_itmo"),
            str(first["date"]),
            t("article6.card_first_itmo_note", host=host),
            str(first["note"] or ""),
            (t("progress.source", host=host), str(first["source_url"])),
        )
    else:
        first_card = Card(t("article6.card_first_itmo"), t("unit.unknown"), t("article6.card_first_itmo_unknown"))
    return [
        issued,
        first_card,
        Card(
            t("article6.card_partners"),
            f"{jcm['partner_countries']:,}",
            t("article6.card_partners_note", n=japan_agreements) if japan_agreements is not None else "",
        ),
        Card(t("article6.card_registered"), f"{jcm['registered_projects']:,}", t("article6.card_registered_note")),
    ]
