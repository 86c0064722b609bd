"""Technologies: credits issued and expected reductions by UNEP type, subtype and detail."""

import dataclasses

import pandas as pd
import streamlit as st

from jcm_dash import breakdowns, charts
from jcm_dash.exports import ExportMeta
from jcm_dash.fiscal import fy_label
from jcm_dash.ui import cached, components, filters, shell

LEVELS = {
    "type": "UNEP type",
    "subtype": "UNEP subtype",
    "detail": "technology detail (keyword category)",
}
HEADINGS = {"type": "UNEP type", "subtype": "UNEP subtype", "detail": "Technology detail"}

key, ref, selection = shell.context()

st.title("Technologies")
left, middle, right = st.columns(3)
level = left.radio("Level", list(LEVELS), format_func=HEADINGS.get, key="tech_level")
focus_options = ["all", *(selection.techs or ref["technologies"])]
focus = middle.selectbox(
    "Drill into a type",
    focus_options,
    format_func=lambda t: "All types in the filter" if t == "all" else t,
    key="tech_focus",
    help="Show the subtypes or details of one UNEP type.",
)
measure = right.radio("Measure", list(charts.TECH_MEASURES), format_func=charts.TECH_MEASURES.get, key="tech_measure")
scope_filters = selection if focus == "all" else dataclasses.replace(selection, techs=(focus,))
scope = filters.describe(scope_filters, ref["country_names"])
with st.spinner("Computing the technology figures…"):
    view = cached.technologies(key, scope_filters, level)
table = view["table"]
st.caption(f"{scope} Data as of {view['as_of']}.")

if table.empty:
    st.info(
        "No project or issuance matches this selection, so there is no technology to show. "
        "Widen the filters in the sidebar, or choose 'All types' above."
    )
    st.stop()

display = pd.DataFrame(
    {
        HEADINGS[level]: table["technology"],
        "Credits issued (t-CO2e)": table["credits_issued_tco2"],
        "Issuances": table["issuances"],
        "Expected reductions, registered (t-CO2e/yr)": table["expected_annual_registered_tco2"],
        "Registered projects": table["registered_projects"],
    }
)
meta = ExportMeta(f"technologies by {LEVELS[level]}", scope, view["as_of"], view["sources"])
components.chart_block(
    st.container(),
    charts.technology_chart(table, measure, LEVELS[level]),
    display,
    f"technologies_{level}",
    meta,
    "tech",
)
st.caption(
    "An issuance naming several projects counts once, under the label of its whole set of projects: when they differ, "
    f"as 'Mixed: A + B'. '{breakdowns.NOT_NAMED}' collects issuances whose source names no project; "
    f"'{breakdowns.NOT_CLASSIFIED}' projects have no value at this level."
)

st.subheader("Technology × partner country")
by_country = view["by_country"]
grid_display = pd.DataFrame(
    {
        "Technology (UNEP type)": by_country["technology"],
        "Country": by_country["country"],
        "Credits issued (t-CO2e)": by_country["credits_issued_tco2"],
        "Expected reductions, registered (t-CO2e/yr)": by_country["expected_annual_registered_tco2"],
    }
)
components.chart_block(
    st.container(),
    charts.technology_country_heatmap(by_country, measure),
    grid_display,
    "technology_by_country",
    ExportMeta("technology by partner country", scope, view["as_of"], view["sources"]),
    "tech_country",
)

st.subheader("Trend by fiscal year")
by_fy = view["issued_by_fy"]
label_column = breakdowns.TECH_LEVELS[level][0]
if by_fy.empty:
    st.info("No dated issuance matches this selection.")
else:
    trend_display = pd.DataFrame(
        {
            "Fiscal year": [fy_label(fy) for fy in by_fy["fiscal_year"]],
            HEADINGS[level]: by_fy[label_column],
            "Credits issued (t-CO2e)": by_fy["credits_issued_tco2"],
        }
    )
    components.chart_block(
        st.container(),
        charts.fy_bar_chart(
            by_fy, f"Credits issued by fiscal year and {LEVELS[level]} (t-CO2e)", colour_by=label_column
        ),
        trend_display,
        f"technology_trend_{level}",
        ExportMeta(f"credits issued by FY and {LEVELS[level]}", scope, view["as_of"], view["sources"]),
        "tech_trend",
    )
undated = int(view["issuances"]["fiscal_year"].isna().sum())
if undated:
    st.caption(f"{undated} issuance(s) in this selection have no date and are not on the FY axis.")
