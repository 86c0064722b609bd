"""Technologies: credits issued and expected reductions by UNEP type, subtype and detail."""

import dataclasses

import pandas as pd
import streamlit as st

from jcm_dash import breakdowns, charts
from jcm_dash.scope import describe
from jcm_dash.ui import cached, components, shell

LEVELS = ("type", "subtype", "detail")

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t

st.title(t("technologies.title"))
left, middle, right = st.columns(3)
level = left.radio(
    t("technologies.level"), LEVELS, format_func=lambda v: t(f"technologies.heading_{v}"), key="tech_level"
)
focus_options = ["all", *(selection.techs or ref.technologies)]
focus = middle.selectbox(
    t("technologies.drill"),
    focus_options,
    format_func=lambda v: t("technologies.all_types") if v == "all" else t.tech(v),
    key="tech_focus",
    help=t("technologies.drill_help"),
)
measure = right.radio(
    t("countries.measure"), charts.TECH_MEASURES, format_func=lambda m: charts.measure_label(m, t), key="tech_measure"
)
scope_filters = selection if focus == "all" else dataclasses.replace(selection, techs=(focus,))
scope = describe(scope_filters, ref.country_names, t)
level_words = t(f"technologies.level_{level}")
heading = t(f"technologies.heading_{level}")
with st.spinner(t("technologies.computing")):
    view = cached.technologies(key, scope_filters, level)
table = view["table"]
st.caption(t.md("page.caption", scope=scope, as_of=view["as_of"]))

if table.empty:
    st.info(t("technologies.nothing_matches"))
    st.stop()


def meta(title: str) -> components.ExportMeta:
    """Export header rows for this page's scope."""
    return components.export_meta(title, scope_filters, ref, view["as_of"], view["sources"], t)


display = pd.DataFrame(
    {
        heading: [t.tech(v) for v in table["technology"]],
        t("table.credits_issued"): table["credits_issued_tco2"],
        t("table.issuances"): table["issuances"],
        t("table.expected_registered"): table["expected_annual_registered_tco2"],
        t("table.registered_projects"): table["registered_projects"],
    }
)
components.chart_block(
    st.container(),
    charts.technology_chart(table, measure, level_words, t),
    display,
    f"technologies_{level}",
    meta(t("technologies.export", level=level_words)),
    "tech",
    t=t,
)
st.caption(
    t(
        "technologies.mixed_note",
        not_named=t.tech(breakdowns.NOT_NAMED),
        not_classified=t.tech(breakdowns.NOT_CLASSIFIED),
    )
)

st.subheader(t("technologies.by_country"))
by_country = view["by_country"]
grid_display = pd.DataFrame(
    {
        t("table.technology_type"): [t.tech(v) for v in by_country["technology"]],
        t("table.country"): [
            t.country(i, n) for i, n in zip(by_country["country_iso3"], by_country["country"], strict=True)
        ],
        t("table.credits_issued"): by_country["credits_issued_tco2"],
        t("table.expected_registered"): by_country["expected_annual_registered_tco2"],
    }
)
components.chart_block(
    st.container(),
    charts.technology_country_heatmap(by_country, measure, t),
    grid_display,
    "technology_by_country",
    meta(t("technologies.export_by_country")),
    "tech_country",
    t=t,
)

st.subheader(t("technologies.trend"))
by_fy = view["issued_by_fy"]
label_column = breakdowns.TECH_LEVELS[level][0]
if by_fy.empty:
    st.info(t("technologies.no_dated"))
else:
    trend_display = pd.DataFrame(
        {
            t("table.fiscal_year"): [t.fy(fy) for fy in by_fy["fiscal_year"]],
            heading: [t.tech(v) for v in by_fy[label_column]],
            t("table.credits_issued"): by_fy["credits_issued_tco2"],
        }
    )
    components.chart_block(
        st.container(),
        charts.fy_bar_chart(by_fy, t("technologies.trend_title", level=level_words), colour_by=label_column, t=t),
        trend_display,
        f"technology_trend_{level}",
        meta(t("technologies.export_trend", level=level_words)),
        "tech_trend",
        t=t,
    )
undated = view["undated"]
if undated:
    st.caption(t.plural("technologies.undated", undated))
st.caption(t("unit.unknown_note"))
