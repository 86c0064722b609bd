"""Partner countries: ranking, map and a profile of one country, for the sidebar's filter."""

import pandas as pd
import streamlit as st

from jcm_dash import charts, geo
from jcm_dash.scope import describe
from jcm_dash.ui import cached, components, shell

key, ref, selection, t = shell.context()
scope = describe(selection, ref["country_names"], t)

st.title(t("countries.title"))
with st.spinner(t("countries.computing")):
    view = cached.countries(key, selection)
table = view["table"]
names = {iso3: t.country(iso3, name) for iso3, name in zip(table["iso3"], table["country"], strict=True)}
st.caption(t.md("page.caption", scope=scope, as_of=view["as_of"]))

measure = st.selectbox(
    t("countries.measure"),
    list(charts.COUNTRY_MEASURES),
    format_func=lambda m: charts.measure_label(m, t),
    key="country_measure",
    help=t("countries.measure_help"),
)
display = pd.DataFrame(
    {
        t("table.country"): table["iso3"].map(names),
        "ISO3": table["iso3"],
        t("countries.col_signed"): table["date_bilateral_document_signed"].fillna(t("unit.unknown")),
        t("table.credits_issued"): table["credits_issued_tco2"],
        t("table.japan_side"): table["japan_side_tco2"],
        t("table.partner_side"): table["partner_side_tco2"],
        t("table.goj"): table["goj_share_tco2"],
        t("table.issuances"): table["issuances"],
        t("countries.col_without_amount"): table["issuances_without_amount"],
        t("countries.col_registered"): table["registered"],
        t("countries.col_validation"): table["validation"],
        t("countries.col_planned"): table["planned"],
        t("countries.col_withdrawn"): table["withdrawn"],
        t("table.expected_registered"): table["expected_annual_registered_tco2"],
        t("countries.col_share"): table["share_of_issued_pct"].round(3),
    }
)
meta = components.export_meta(t("countries.export"), selection, ref, view["as_of"], view["sources"], t)
if (table["projects_total"] == 0).all() and (table["issuances"] == 0).all():
    st.info(t("countries.nothing_matches"))

st.subheader(t("countries.ranking"))
components.chart_block(
    st.container(), charts.country_ranking_chart(table, measure, t), display, "countries", meta, "ranking", t=t
)
st.caption(t("countries.ranking_note", n=len(table)))

st.subheader(t("countries.map"))
components.chart_block(
    st.container(),
    charts.country_map(table, measure, geo.centroids(), t),
    display,
    "countries_map",
    meta,
    "map",
    config=charts.MAP_CONFIG,
    t=t,
)

st.subheader(t("countries.profile"))
options = sorted(table["iso3"], key=names.get)
default = selection.countries[0] if selection.countries else table.sort_values("credits_issued_tco2").iloc[-1]["iso3"]
profile_iso3 = st.selectbox(
    t("table.country"), options, index=options.index(default), format_func=names.get, key="profile_country"
)
row = table.set_index("iso3").loc[profile_iso3]
name = names[profile_iso3]
signed = row["date_bilateral_document_signed"]
precision = row["date_precision"]
st.markdown(
    t.md(
        "countries.signed",
        name=name,
        date=signed if isinstance(signed, str) else t("fy.unknown"),
        precision=t.md("countries.precision", precision=t.value("precision", precision))
        if isinstance(precision, str) and precision != "day"
        else "",
    )
)
cols = st.columns(2) + st.columns(2)
cols[0].metric(t("countries.card_issued"), t.tco2(row["credits_issued_tco2"]), border=True)
cols[1].metric(
    t("countries.card_share"),
    t.pct(row["share_of_issued_pct"]),
    border=True,
    help=t("countries.card_share_help"),
)
cols[2].metric(t("cards.registered"), f"{row['registered']:,}", border=True)
cols[3].metric(t("cards.expected"), t.tco2(row["expected_annual_registered_tco2"], t.per_year()), border=True)
st.markdown(
    t.md(
        "countries.by_status",
        registered=row["registered"],
        validation=row["validation"],
        planned=row["planned"],
        withdrawn=row["withdrawn"],
    )
)

by_fy = view["issued_by_fy"][view["issued_by_fy"]["country_iso3"] == profile_iso3]
timeline = pd.DataFrame(
    {
        t("table.fiscal_year"): [t.fy(fy) for fy in by_fy["fiscal_year"]],
        t("table.credits_issued"): by_fy["credits_issued_tco2"],
    }
)
undated = int(view["undated"].get(profile_iso3, 0))
if by_fy.empty:
    st.info(t.md("countries.no_dated", name=name))
else:
    components.chart_block(
        st.container(),
        charts.fy_bar_chart(by_fy, t("countries.timeline_title", name=name), t=t),
        timeline,
        f"issuances_by_fy_{profile_iso3}",
        components.export_meta(
            t("countries.export_timeline", name=name), selection, ref, view["as_of"], view["sources"], t
        ),
        "profile_timeline",
        t=t,
    )
if undated:
    st.caption(t.md("countries.undated", n=undated, name=name))

hosted = view["technologies"][view["technologies"]["country_iso3"] == profile_iso3]
country_projects = cached.country_projects(key, selection, profile_iso3)
left, right = st.columns([1, 2])
left.markdown(t("countries.hosted"))
left.dataframe(
    pd.DataFrame(
        {t("table.technology_type"): [t.tech(v) for v in hosted["unep_type"]], t("table.projects"): hosted["projects"]}
    ).sort_values(t("table.projects"), ascending=False),
    hide_index=True,
    width="stretch",
)
right.markdown(t.md("countries.projects_of", name=name, n=len(country_projects)))
source_column = t("table.source")
projects_display = pd.DataFrame(
    {
        t("table.reference"): country_projects["project_ref"],
        t("table.title"): country_projects["title"],
        t("table.status"): [t.status(s) for s in country_projects["status_code"]],
        t("table.technology"): [t.tech(v) for v in country_projects["unep_type"]],
        t("table.registered"): country_projects["registration_date"].dt.date,
        t("table.expected"): country_projects["expected_annual_reductions_tco2"],
        source_column: country_projects["source_url"],
    }
)
right.dataframe(
    projects_display,
    hide_index=True,
    width="stretch",
    column_config={source_column: st.column_config.LinkColumn(source_column, display_text=t("table.source_link"))},
)
components.downloads(
    right,
    projects_display,
    f"projects_{profile_iso3}",
    components.export_meta(
        t("countries.export_projects", name=name),
        selection,
        ref,
        view["as_of"],
        sorted(set(country_projects["source_url"].dropna())),
        t,
    ),
    "profile_projects",
    t,
)
