"""Projects: a searchable table (``?search=solar``), one project's detail (``?project=MN004``) and the issuances."""

import pandas as pd
import streamlit as st

from jcm_dash import breakdowns
from jcm_dash.scope import describe
from jcm_dash.ui import cached, components, shell, urlstate
from jcm_dash.validate import shown

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t
scope = describe(selection, ref.country_names, t)
SOURCE = t("table.source")
SOURCE_LINK = {SOURCE: st.column_config.LinkColumn(SOURCE, display_text=t("table.source_link"))}
# Shorter headers on screen (full name as the header's tooltip; the downloads keep the full names),
# so the columns a reader needs fit at 1400 px without a half-cut header.
SHORT_HEADERS = {
    t(full): st.column_config.Column(t(f"projects.short.{short}"), help=t(full))
    for full, short in (
        ("projects.col_issued", "issued"),
        ("projects.col_shared", "shared"),
        ("projects.col_expected", "expected"),
        ("table.credits_issued", "credits"),
        ("projects.col_goj", "goj"),
        ("table.japan_side", "japan_side"),
        ("table.partner_side", "partner_side"),
        ("projects.col_registration", "registration"),
    )
}
PROVENANCE = t("projects.col_provenance")
ISSUANCE_COLUMNS = {
    **SHORT_HEADERS,
    **SOURCE_LINK,
    # Japanese text is wider: narrower text columns keep the table within 1400 px (the cell's tooltip has it all).
    PROVENANCE: st.column_config.TextColumn(PROVENANCE, width=230 if t.lang == "en" else 170),
}
# On screen, the columns that fit at 1400 px; the sides and monitoring periods are in the downloads.
ISSUANCE_ON_SCREEN = [
    t(key)
    for key in (
        "projects.col_issuance",
        "table.country",
        "projects.col_fy",
        "table.credits_issued",
        "projects.col_goj",
        "projects.col_provenance",
        "table.source",
        "projects.col_named",
        "projects.col_decision",
    )
]


def issuance_display(frame: pd.DataFrame) -> pd.DataFrame:
    """Issuances as shown and exported here: the columns a reader needs first, then dates and sides.

    At 1400 px the issuance, country, FY, credits, GoJ share, provenance and source are on screen.
    """
    return pd.DataFrame(
        {
            t("projects.col_issuance"): frame["issuance_id"],
            t("table.country"): [t.country(i, n) for i, n in zip(frame["country_iso3"], frame["country"], strict=True)],
            t("projects.col_fy"): [t.fy(None if pd.isna(fy) else int(fy)) for fy in frame["fiscal_year"]],
            t("table.credits_issued"): frame["credits_issued_tco2"],
            t("projects.col_goj"): frame["goj_share_tco2"],
            t("projects.col_provenance"): breakdowns.issuance_flags(frame, t) if len(frame) else [],
            SOURCE: frame["source_url"],
            t("projects.col_named"): frame["project_refs"],
            t("projects.col_decision"): frame["decision_date"].dt.date,
            t("projects.col_reported"): frame["reported_date"].dt.date,
            t("table.japan_side"): frame["japan_side_tco2"],
            t("table.partner_side"): frame["partner_side_tco2"],
            t("projects.col_monitoring_from"): frame["monitoring_period_start"].dt.date,
            t("projects.col_monitoring_to"): frame["monitoring_period_end"].dt.date,
        }
    )


def status_words(project: pd.Series) -> str:
    """A project's status in the page's language; a planned project's PIN decision date when known.

    The data's own status detail is English text, so it is added only in English and only where it
    says more than the status itself.
    """
    status = t.status(project["status_code"])
    detail = project["status_detail"]
    if t.lang == "en":
        return f"{status} ({detail})" if isinstance(detail, str) and detail.strip() != status else status
    decided = project.get("pin_decision_date")
    if project["status_code"] == "planned" and pd.notna(decided):
        return t("projects.pin_decided", status=status, date=pd.Timestamp(decided).date().isoformat())
    return status


def known(value: object) -> str:
    """A data value, or a dash when the data has none."""
    return str(value) if pd.notna(value) else "–"


st.title(t("projects.title"))
search = urlstate.bound_text_input(
    st, "search", t("projects.search"), key="project_search", t=t, placeholder=t("projects.search_placeholder")
)
with st.spinner(t("projects.loading")):
    view = cached.project_explorer(key, selection, search)
st.caption(t.md("page.caption", scope=scope, as_of=view["as_of"]))

REFERENCE, EXPECTED = t("table.reference"), t("projects.col_expected")
ISSUED, SHARED = t("projects.col_issued"), t("projects.col_shared")


TITLE = t("table.title")


def project_display(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects as shown and exported here: translated country, status and technology; amounts in t-CO2e.

    The credits and the source come before the technology and the registration date, so at 1400 px
    they are on screen without scrolling sideways (the title column has a fixed width).
    """
    return pd.DataFrame(
        {
            REFERENCE: projects["project_ref"],
            TITLE: projects["title"],
            t("table.country"): [
                t.country(i, n) for i, n in zip(projects["country_iso3"], projects["country"], strict=True)
            ],
            t("table.status"): [t.status(s) for s in projects["status_code"]],
            ISSUED: projects["credits_issued_tco2"],
            SOURCE: projects["source_url"],
            SHARED: projects["shared_issued_tco2"],
            EXPECTED: projects["expected_annual_reductions_tco2"],
            t("table.technology"): [t.tech(v) for v in projects["unep_type"]],
            t("projects.col_registration"): projects["registration_date"].dt.date,
        }
    ).reset_index(drop=True)


table = project_display(view["projects"])
if table.empty:
    st.info(t("projects.nothing_matches"))
else:
    st.markdown(t("projects.count", n=view["projects_total"]))
    if view["projects_total"] > len(table):
        st.caption(t("projects.first_only", shown=len(table), total=view["projects_total"]))
    projects = view["projects"].reset_index(drop=True)
    selected = components.show_table(
        st,
        table,
        t,
        # "–" where no issuance names the project (alone / with others): nothing itemized, not 0.
        nothing={
            ISSUED: (projects["sole_issuances"] == 0).tolist(),
            SHARED: (projects["shared_issuances"] == 0).tolist(),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="projects_table",
        # Technology and registration date are in the project's detail and the download.
        column_order=[REFERENCE, TITLE, t("table.country"), t("table.status"), ISSUED, SOURCE, SHARED, EXPECTED],
        column_config={
            **SHORT_HEADERS,
            TITLE: st.column_config.TextColumn(TITLE, width=160 if t.lang == "en" else 110),
            SOURCE: st.column_config.LinkColumn(SOURCE, display_text=t("projects.source_page")),
        },
    )
    st.caption(t("projects.shared_note"))
    st.caption(t("unit.unknown_note"))
    components.downloads(
        st.container(),
        table
        if view["projects_total"] == len(table)
        else lambda: project_display(cached.all_projects(key, selection, search)),
        "projects",
        components.export_meta(t("projects.export"), selection, ref, view["as_of"], view["sources"], t),
        "projects",
        t,
    )
    rows = selected.selection.rows if selected else []
    if rows:
        st.query_params["project"] = table.iloc[rows[0]][REFERENCE]

st.divider()
project_ref = st.query_params.get("project")
if project_ref:
    # A reference is short: a longer ?project= is not looked up (nor cached), only refused.
    detail = cached.project_detail(key, project_ref) if len(project_ref) <= 64 else None
    if detail is None:
        st.error(t.md("projects.unknown_ref", ref=shown(project_ref, 64)))
    else:
        project = detail["project"]
        st.subheader(components.md(f"{project_ref}: {project['title']}"))
        if not cached.project_in_scope(key, selection, project_ref):
            st.caption(t("projects.outside_filters"))
        status = t.status(project["status_code"])
        technology = " / ".join(t.tech(v) for v in (project["unep_type"], project["unep_subtype"]) if pd.notna(v))
        expected = t.tco2(project["expected_annual_reductions_tco2"], t.per_year())
        facts = {
            t("table.country"): t.country(project["country_iso3"], project["country"]),
            t("table.status"): status_words(project),
            t("projects.col_registration"): project["registration_date"].date().isoformat()
            if pd.notna(project["registration_date"])
            else t("projects.not_registered"),
            t("table.technology"): technology or t.tech(None),
            t("projects.fact_detail"): known(project["technology_detail"]),
            t("projects.fact_methodology"): known(project["methodology_ref"]),
            t("projects.fact_expected"): expected,
            # its own row: appended to the value it ran past the table's edge at 1400 px
            t("projects.fact_expected_source"): known(project["expected_reductions_source"]),
            t("projects.fact_issued"): t("projects.fact_none_alone")
            if project["sole_issuances"] == 0
            else t.tco2(project["credits_issued_tco2"]),
            t("projects.fact_shared"): t("projects.fact_none_shared")
            if project["shared_issuances"] == 0
            else t.tco2(project["shared_issued_tco2"]),
            t("projects.fact_host"): known(project["host_participant"]),
            t("projects.fact_japanese"): known(project["japanese_participant"]),
            t("projects.fact_financing"): known(project["financing_programme"]),
        }
        components.show_table(
            st, pd.DataFrame({t("projects.field"): list(facts), t("projects.value"): list(facts.values())}), t
        )
        own = detail["issuances"]
        st.markdown(t.md("projects.issuances_naming", ref=project_ref, n=len(own)))
        if own.empty:
            st.info(t.md("projects.no_issuance_names", ref=project_ref))
        else:
            components.show_table(
                st, issuance_display(own), t, column_config=ISSUANCE_COLUMNS, column_order=ISSUANCE_ON_SCREEN
            )
            st.caption(t("projects.more_in_downloads"))
        links = [project.get("source_url"), project.get("source_url_2"), project.get("unep_source_url")]
        links += list(own["source_url"].dropna()) + list(own["source_url_2"].dropna())
        st.markdown(t("projects.sources"))
        st.dataframe(
            pd.DataFrame({SOURCE: list(dict.fromkeys(u for u in links if isinstance(u, str)))}),
            hide_index=True,
            width="stretch",
            column_config={SOURCE: st.column_config.LinkColumn(SOURCE)},
        )
else:
    st.caption(t("projects.select_hint"))

st.subheader(t("projects.issuances"))
issuance_table = issuance_display(view["issuances"])
if issuance_table.empty:
    st.info(t("projects.no_issuances"))
else:
    if view["issuances_total"] > len(issuance_table):
        st.caption(t("projects.latest_only", shown=len(issuance_table), total=view["issuances_total"]))
    components.show_table(st, issuance_table, t, column_config=ISSUANCE_COLUMNS, column_order=ISSUANCE_ON_SCREEN)
    st.caption(t("projects.more_in_downloads"))
    if table.empty:  # else stated once, under the projects table
        st.caption(t("unit.unknown_note"))
    components.downloads(
        st.container(),
        lambda: issuance_display(cached.all_issuances(key, selection)),
        "issuances",
        components.export_meta(t("projects.export_issuances"), selection, ref, view["as_of"], view["sources"], t),
        "issuances",
        t,
    )
