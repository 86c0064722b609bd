"""Partner countries: ranking, map and a profile of one country, for the sidebar's filter."""

import pandas as pd
import streamlit as st

from jcm_dash import charts, geo
from jcm_dash.exports import ExportMeta
from jcm_dash.fiscal import fy_label
from jcm_dash.formatting import format_pct, format_tco2
from jcm_dash.ui import cached, components, filters, shell

key, ref, selection = shell.context()
scope = filters.describe(selection, ref["country_names"])

st.title("Partner countries")
with st.spinner("Computing the country figures…"):
    view = cached.countries(key, selection)
table = view["table"]
st.caption(f"{scope} Data as of {view['as_of']}.")

measure = st.selectbox(
    "Measure",
    list(charts.COUNTRY_MEASURES),
    format_func=charts.COUNTRY_MEASURES.get,
    key="country_measure",
    help="Amounts count known values only; 'unknown' means no issuance of that country states the amount.",
)
display = pd.DataFrame(
    {
        "Country": table["country"],
        "ISO3": table["iso3"],
        "Bilateral document signed": table["date_bilateral_document_signed"].fillna("unknown"),
        "Credits issued (t-CO2e)": table["credits_issued_tco2"],
        "Japanese side (t-CO2e)": table["japan_side_tco2"],
        "Partner side (t-CO2e)": table["partner_side_tco2"],
        "Acquired by GoJ (t-CO2e)": table["goj_share_tco2"],
        "Issuances": table["issuances"],
        "Issuances without amount": table["issuances_without_amount"],
        "Registered": table["registered"],
        "Validation": table["validation"],
        "Planned": table["planned"],
        "Withdrawn": table["withdrawn"],
        "Expected reductions, registered (t-CO2e/yr)": table["expected_annual_registered_tco2"],
        "Share of credits issued (%)": table["share_of_issued_pct"].round(3),
    }
)
meta = ExportMeta("partner countries", scope, view["as_of"], view["sources"])
if (table["projects_total"] == 0).all() and (table["issuances"] == 0).all():
    st.info(
        "No project or issuance of the selected countries matches the technology and FY filters; every partner is "
        "still listed with zeros. Widen the filters in the sidebar to compare countries."
    )

st.subheader("Ranking")
components.chart_block(
    st.container(), charts.country_ranking_chart(table, measure), display, "countries", meta, "ranking"
)
st.caption(
    f"All {len(table)} partner countries in scope are listed, including those with no project yet. "
    "Amounts count each issuance once; an empty amount is unknown, not zero."
)

st.subheader("Map")
components.chart_block(
    st.container(),
    charts.country_map(table, measure, geo.centroids()),
    display,
    "countries_map",
    meta,
    "map",
    config=charts.MAP_CONFIG,
)

st.subheader("Country profile")
names = dict(zip(table["iso3"], table["country"], strict=True))
options = list(table.sort_values("country")["iso3"])
default = selection.countries[0] if selection.countries else table.sort_values("credits_issued_tco2").iloc[-1]["iso3"]
profile_iso3 = st.selectbox(
    "Country", options, index=options.index(default), format_func=names.get, key="profile_country"
)
row = table.set_index("iso3").loc[profile_iso3]
signed = row["date_bilateral_document_signed"]
precision = row["date_precision"]
st.markdown(
    f"**{row['country']}**: bilateral document signed "
    f"**{signed if isinstance(signed, str) else 'date unknown'}**"
    + (f" ({precision})" if isinstance(precision, str) and precision != "day" else "")
    + "."
)
cols = st.columns(2) + st.columns(2)
cols[0].metric("Credits issued", format_tco2(row["credits_issued_tco2"]), border=True)
cols[1].metric(
    "Share of the JCM total in scope",
    format_pct(row["share_of_issued_pct"]) if pd.notna(row["share_of_issued_pct"]) else "unknown",
    border=True,
    help="This country's known credits ÷ all partner countries' known credits, under the same filters.",
)
cols[2].metric("Registered projects", f"{row['registered']:,}", border=True)
cols[3].metric(
    "Expected reductions / yr", format_tco2(row["expected_annual_registered_tco2"], "t-CO2e/yr"), border=True
)
st.markdown(
    f"Joint Committee projects by status: {row['registered']} registered, {row['validation']} in validation, "
    f"{row['planned']} planned, {row['withdrawn']} withdrawn."
)

by_fy = view["issued_by_fy"][view["issued_by_fy"]["country_iso3"] == profile_iso3]
timeline = pd.DataFrame(
    {
        "Fiscal year": [fy_label(fy) for fy in by_fy["fiscal_year"]],
        "Credits issued (t-CO2e)": by_fy["credits_issued_tco2"],
    }
)
country_issuances = view["issuances"][view["issuances"]["country_iso3"] == profile_iso3]
undated = country_issuances[country_issuances["fiscal_year"].isna()]
if by_fy.empty:
    st.info(f"No dated issuance of {row['country']} matches the filters.")
else:
    components.chart_block(
        st.container(),
        charts.fy_bar_chart(by_fy, f"{row['country']}: credits issued by fiscal year (t-CO2e)"),
        timeline,
        f"issuances_by_fy_{profile_iso3}",
        ExportMeta(f"{row['country']} credits issued by FY", scope, view["as_of"], view["sources"]),
        "profile_timeline",
    )
if len(undated):
    st.caption(f"{len(undated)} issuance(s) of {row['country']} have no date and are not on the FY axis.")

hosted = view["technologies"][view["technologies"]["country_iso3"] == profile_iso3]
country_projects = view["projects"][view["projects"]["country_iso3"] == profile_iso3]
left, right = st.columns([1, 2])
left.markdown("**Technologies hosted** (projects of any status)")
left.dataframe(
    pd.DataFrame(
        {"Technology (UNEP type)": hosted["unep_type"].fillna("Not classified"), "Projects": hosted["projects"]}
    ).sort_values("Projects", ascending=False),
    hide_index=True,
    width="stretch",
)
right.markdown(f"**Projects of {row['country']}** ({len(country_projects)})")
projects_display = pd.DataFrame(
    {
        "Reference": country_projects["project_ref"],
        "Title": country_projects["title"],
        "Status": country_projects["status_code"],
        "Technology": country_projects["unep_type"],
        "Registered": country_projects["registration_date"].dt.date,
        "Expected (t-CO2e/yr)": country_projects["expected_annual_reductions_tco2"],
        "Source": country_projects["source_url"],
    }
)
right.dataframe(
    projects_display,
    hide_index=True,
    width="stretch",
    column_config={"Source": st.column_config.LinkColumn("Source", display_text="source")},
)
components.downloads(
    right,
    projects_display,
    f"projects_{profile_iso3}",
    ExportMeta(
        f"{row['country']} projects", scope, view["as_of"], sorted(set(country_projects["source_url"].dropna()))
    ),
    "profile_projects",
)
