"""What the briefing pack says: its figures, findings, charts and tables, in one language (no rendering).

Every figure comes from jcm_dash.views, jcm_dash.headline and jcm_dash.charts, the functions the
pages use, so the pack and the dashboard cannot disagree. The renderers (``deck``, ``onepager``,
``images``) only lay out what ``content`` returns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from jcm_dash import charts, headline, projections, queries, views
from jcm_dash.i18n import EN, Translator, translator
from jcm_dash.scope import Filters, describe, short_name, years_words

TOP_COUNTRIES = 12
TOP_PROJECTS = 10
NOTHING_ITEMIZED = "–"  # a project no issuance in the data names alone (briefing.top_projects_note)


@dataclass
class Chart:
    """One chart of the pack: a file name, its title (in the pack's language) and the figure."""

    name: str
    title: str
    figure: go.Figure


@dataclass
class Section:
    """An optional part of the pack: one slide in the deck and one short paragraph in the one-pager.

    ``paragraphs`` are plain text (never Markdown or HTML); the deck prints them all beside
    ``chart`` (when there is one), the one-pager prints ``title`` and the first paragraph.
    """

    key: str
    title: str
    paragraphs: list[str]
    chart: Chart | None = None


# An optional section is a function of the store, the scope and the language that returns its
# Section, or None when it has nothing to say for that scope. Register it in SECTIONS: content()
# calls each in order and the renderers draw what they return (tests/test_briefing.py).
SectionSource = Callable[[duckdb.DuckDBPyConnection, Filters, Translator], "Section | None"]
SECTIONS: list[SectionSource] = []
# Sections the pack has only when asked for (``content(..., optional=("article6",))``; the CLI's
# flags and the /briefing checkboxes name them), after the SECTIONS, in the order asked. Filled by
# jcm_dash.briefing (its __init__ registers jcm_dash.briefing.article6).
OPTIONAL_SECTIONS: dict[str, SectionSource] = {}


@dataclass
class Content:
    """Everything the pack says, computed once from the views, in one language."""

    lang: str
    scope: str
    file_scope: str
    as_of: str
    generated: str
    basis_note: str
    findings: list[str]
    outlook_lines: list[str]
    charts: list[Chart]
    top_projects: pd.DataFrame
    notes: list[str]
    sources: list[str]
    summary: dict[str, Any] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)
    # The key figures under headings saying what each group covers (the scope's own figures, Japan's
    # national targets, the scope's pace, what else the data holds): (heading, cards).
    figure_groups: list[tuple[str, list[headline.Card]]] = field(default_factory=list)
    pdf_groups: list[tuple[str, list[headline.Card]]] = field(default_factory=list)
    countries_note: str = ""

    @property
    def all_charts(self) -> list[Chart]:
        """The pack's charts and those of its optional sections (every one becomes a PNG and an SVG)."""
        return [*self.charts, *(s.chart for s in self.sections if s.chart is not None)]


def _findings(
    country_table: pd.DataFrame,
    overview: dict[str, Any],
    outlook: pd.DataFrame,
    as_of_fy: int,
    filters: Filters,
    names: dict[str, str],
    t: Translator,
    scope_contribution: pd.DataFrame | None = None,
) -> list[str]:
    """Three plain-language findings computed from the data, following the scope.

    1. The scope's place: for the whole JCM the leading partner and its share; for one country or
       technology its share of the whole JCM and its rank (never a share of itself).
    2. Progress toward the first national target, by the best-known figure, with the pace needed.
    3. The outlook for the next target (for a narrower scope: what it is projected to contribute).
    """
    findings = []
    summary = overview["summary"]
    contribution = overview["contribution"]
    years = years_words(filters, t)
    if not summary["credits_issued_tco2"]:
        findings.append(t("briefing.finding_no_credits"))
    elif contribution is None:
        known = country_table[country_table["credits_issued_tco2"].fillna(0) > 0]
        top = known.sort_values("credits_issued_tco2", ascending=False).iloc[0]
        findings.append(
            t.plural(
                "briefing.finding_country",
                len(known),
                country=t.country(top["iso3"], top["country"]),
                share=t.pct(float(top["share_of_issued_pct"])),
                amount=t.amount(float(top["credits_issued_tco2"])),
            )
        )
    else:
        rank = contribution["rank"]
        findings.append(
            t(
                "briefing.finding_scope",
                scope=short_name(filters, names, t),
                share=t.pct(contribution["share_pct"]) if contribution["share_pct"] is not None else "–",
                amount=t.amount(summary["credits_issued_tco2"]),
                years=years,
                rank=""
                if rank is None
                else t(
                    f"briefing.finding_rank_{contribution['rank_among']}",
                    rank=t.ordinal(rank),
                    n=contribution["of_n"],
                ),
            )
        )
    national = overview["national_targets"]
    best = overview["best_known"]
    if len(national):
        target = national.iloc[0]
        deadline = int(target["deadline_fy"])
        rate = target["required_annual_tco2"]
        findings.append(
            t(
                f"briefing.finding_progress_{best['basis']}",
                target=charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t),
                share=t.pct(target["share_pct"]),
                # the publisher's "approximately" kept, as on the overview's card (~0.70 Mt)
                value=headline.published_amount(overview["whole_published"], t)
                if best["basis"] == "published" and overview["whole_published"]
                else t.amount(best["value_tco2"]),
                date=(overview["whole_published"] or {}).get("as_of_date", ""),
                gap=t.amount(target["gap_tco2"]),
                rate=t("projections.deadline_passed")
                if rate is None or pd.isna(rate)
                else t.amount(rate, per_year=True),
                years=t.fy_range(int(target["first_fy"]), deadline),
            )
        )
    current = outlook[~outlook["is_superseded"]].sort_values("deadline_fy")
    if len(current) > 1:
        target = current.iloc[1]
        deadline = int(target["deadline_fy"])
        label = charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t)
        reached_fy = None if pd.isna(target["reached_fy"]) else int(target["reached_fy"])
        if contribution is None:
            findings.append(
                t(
                    "briefing.finding_outlook",
                    target=label,
                    projected=t.amount(target["projected_at_deadline_tco2"]),
                    reached=projections.reached_label(reached_fy, as_of_fy, t),
                )
            )
        elif scope_contribution is not None:
            own = scope_contribution.set_index("target_name").loc[target["target_name"]]
            findings.append(
                t(
                    "briefing.finding_outlook_scope",
                    scope=short_name(filters, names, t),
                    projected=t.amount(own["projected_at_deadline_tco2"]),
                    fy=t.fy(deadline),
                    target=label,
                )
            )
    return findings[:3]


def content(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    overrides: dict[str, Any] | None = None,
    lang: str = "en",
    today: dt.date | None = None,
    optional: tuple[str, ...] = (),
) -> Content:
    """Compute the pack's figures, findings, charts and tables for ``filters`` and a scenario.

    ``optional`` names the OPTIONAL_SECTIONS to add (KeyError for a name that is not one).
    """
    t = translator(lang)
    names = dict(zip(*[queries.partner_countries(con)[c] for c in ("iso3", "country")], strict=True))
    overview = views.overview(con, filters)
    projection = views.projection(con, filters, overrides)
    countries = views.countries(con, filters)
    technologies = views.technologies(con, filters, "type")
    summary = overview["summary"]
    as_of_fy = overview["as_of_fy"]

    country_table = countries["table"]
    # The top partners by credits itemized, plus any chosen partner outside them (it is the scope),
    # highlighted. A partner with nothing itemized is left out, not drawn as 0, and the slide says so.
    itemized = country_table[country_table["credits_issued_tco2"].fillna(0) > 0]
    by_credits = itemized.sort_values("credits_issued_tco2", ascending=False)
    top_countries = by_credits.head(TOP_COUNTRIES)
    chosen = by_credits[by_credits["selected"] & ~by_credits["iso3"].isin(top_countries["iso3"])]
    if filters.countries and len(chosen):
        top_countries = pd.concat([top_countries, chosen])
    countries_note = _countries_note(country_table, itemized, filters, t)
    answer = headline.progress(overview, filters, names, t)
    chart_list = [
        Chart(
            "required",
            t("chart.required_title"),
            charts.overview_required_path(overview, t),
        ),
        Chart(
            "progress",
            t("chart.progress_title"),
            charts.overview_progress(overview, t),
        ),
        Chart("issued_by_fy", t("chart.issued_title"), charts.issued_chart(overview["cumulative_issued"], t)),
        Chart(
            "projection",
            t("chart.projection_title", fy=t.fy(2040)),
            charts.projection_chart(
                projection["actual"],
                projection["projection"],
                projection["targets"],
                projection["as_of_fy"],
                t=t,
                start=projection["projection_start"],
                published=projection["published_points"],
                central_name=t("projections.central_line", method=t(f"method.{projection['method']}")),
                # a country's or technology's line is named, as on the page: the targets stay Japan's
                scope=None if projection["contribution"] is None else short_name(filters, names, t),
            ),
        ),
        Chart(
            "countries",
            t("chart.ranking_title", measure=charts.measure_label("credits_issued_tco2", t)),
            charts.country_ranking_chart(top_countries, "credits_issued_tco2", t),
        ),
        Chart(
            "technologies",
            t(
                "chart.technology_title",
                measure=charts.measure_label("credits_issued_tco2", t),
                level=t("technologies.level_type"),
            ),
            charts.technology_chart(technologies["table"], "credits_issued_tco2", t("technologies.level_type"), t),
        ),
    ]
    outlook = projection["outlook"]
    ranked = ranked_projects(views.all_projects(con, filters))
    top_projects = project_table(ranked.head(TOP_PROJECTS), t)

    other_cards = headline.key_figures(summary, t, filters)
    groups = figure_groups(answer, other_cards, t)
    notes = [
        answer.basis_note,
        *headline.data_notes(summary, overview["published"], t),
        t("briefing.method_note", method=t(f"method.{projection['method']}")),
    ]
    # Sources behind the figures, the most cited first (the one-pager has room for a few): every
    # issuance and project in the scope, not the first page of them the projects page lists.
    cited = pd.concat([views.all_issuances(con, filters)["source_url"], ranked["source_url"]]).dropna()
    sources = list(cited.value_counts(sort=True).index)
    sources_of_sections = [*SECTIONS, *(OPTIONAL_SECTIONS[name] for name in optional)]
    sections = [section for source in sources_of_sections if (section := source(con, filters, t)) is not None]
    return Content(
        lang=t.lang,
        scope=describe(filters, names, t),
        file_scope=describe(filters, names, EN),
        as_of=summary["as_of"],
        generated=(today or dt.date.today()).isoformat(),
        figure_groups=groups,
        # The one-pager: the answer at a glance, then the project and partner counts.
        pdf_groups=[*groups[:-1], (groups[-1][0], other_cards[2:4])],
        countries_note=countries_note,
        basis_note=answer.basis_note,
        findings=_findings(
            country_table, overview, outlook, as_of_fy, filters, names, t, scope_contribution=projection["contribution"]
        ),
        outlook_lines=headline.outlook_lines(
            projection["outlook"],
            projection["as_of_fy"],
            t,
            "briefing.outlook_line",
            contribution=projection["contribution"],
            scope=short_name(filters, names, t),
        ),
        charts=chart_list,
        top_projects=top_projects,
        notes=notes,
        sources=sources,
        summary=summary,
        sections=sections,
    )


def figure_groups(
    answer: headline.Progress, other_cards: list[headline.Card], t: Translator
) -> list[tuple[str, list[headline.Card]]]:
    """The key figures in groups, each under a heading that says what it covers; the last is ``other_cards``.

    For the whole JCM the targets sit with its figures. For a narrower scope the scope's own
    figures (its contribution) come first under its name, then Japan's national targets, which stay
    the whole JCM's, then the scope's pace.
    """
    target_cards = [card for _, row in answer.targets for card in row]
    if not answer.national_heading:
        groups = [(answer.heading, [*answer.scope_cards, *target_cards, *answer.trend_cards])]
    else:
        groups = [(answer.heading, answer.scope_cards), (answer.national_heading, target_cards)]
        if answer.trend_cards:
            groups.append((answer.trend_heading, answer.trend_cards))
    return [*[(heading, cards) for heading, cards in groups if cards], (t("cards.heading"), other_cards)]


def _countries_note(table: pd.DataFrame, itemized: pd.DataFrame, filters: Filters, t: Translator) -> str:
    """What the ranking leaves out: partners with nothing itemized, named when they are the scope."""
    left_out = table[~table["iso3"].isin(itemized["iso3"])]
    if left_out.empty:
        return ""
    note = t.plural("briefing.countries_left_out", len(left_out))
    chosen = left_out[left_out["iso3"].isin(filters.countries)]
    if len(chosen):
        names = t("filters.list_separator").join(
            t.country(i, n) for i, n in zip(chosen["iso3"], chosen["country"], strict=True)
        )
        note += " " + t("briefing.countries_chosen_left_out", countries=names)
    return note


def ranked_projects(projects: pd.DataFrame) -> pd.DataFrame:
    """Every project ranked by the credits attributed to it alone (``views.all_projects``), most first.

    Projects with nothing itemized (no amount known) follow, by expected annual reductions, then by
    reference, so the order is the same on every run (tests/test_briefing.py ranks a store of more
    than 1,000 projects whose leader is not among the first 1,000 by reference).
    """
    known = projects["credits_issued_tco2"].where(projects["credits_issued_tco2"] > 0)
    ranked = projects.assign(_known=known).sort_values(
        ["_known", "expected_annual_reductions_tco2", "project_ref"], ascending=[False, False, True], na_position="last"
    )
    return ranked.drop(columns="_known").reset_index(drop=True)


def project_table(top: pd.DataFrame, t: Translator) -> pd.DataFrame:
    """The top projects as the deck prints them, in ``t``'s language."""
    return pd.DataFrame(
        {
            t("table.reference"): top["project_ref"],
            t("table.title"): top["title"],
            t("table.country"): [t.country(i, n) for i, n in zip(top["country_iso3"], top["country"], strict=True)],
            t("table.technology"): [t.tech(v) for v in top["unep_type"]],
            t("projects.col_issued"): [_issued(v, t) for v in top["credits_issued_tco2"]],
            t("projects.col_expected"): [
                t.number(None if pd.isna(v) else v) for v in top["expected_annual_reductions_tco2"]
            ],
        }
    )


def _issued(value: float, t: Translator) -> str:
    """A project's credits named alone: the amount, "unknown" when its issuances state none, "–" when none names it."""
    if pd.isna(value):
        return t("unit.unknown")
    return t.number(value) if value > 0 else NOTHING_ITEMIZED
