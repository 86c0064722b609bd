"""Overview: headline figures and progress toward Japan's JCM targets, for the sidebar's filter."""

import pandas as pd
import streamlit as st

from jcm_dash import charts, projections
from jcm_dash.ui import cached, components, filters, language, shell

key, ref, selection, t = shell.context()

st.title(t("overview.title"))
with st.spinner(t("overview.computing")):
    view = cached.overview(key, selection)
summary = view["summary"]
scope = filters.describe(selection, ref["country_names"], t)
st.caption(t("overview.caption", scope=scope, as_of=summary["as_of"]))

if summary["issuances_total"] == 0 and sum(summary["projects_by_status"].values()) == 0:
    st.info(t("overview.nothing_matches"))

components.headline_cards(st.container(), summary, t)

st.subheader(t("overview.progress_heading"))
if summary["issuances_total"] == 0:
    st.info(t("overview.no_issuance"))
sources = view["sources"]
issued_col, cumulative_col = t("overview.col_issued_fy"), t("overview.col_cumulative")
progress_table = pd.DataFrame(
    {
        t("table.fiscal_year"): [t.fy(fy) for fy in view["cumulative_issued"]["fiscal_year"]],
        issued_col: view["cumulative_issued"]["issued_tco2"],
        cumulative_col: view["cumulative_issued"]["cumulative_tco2"],
        t("overview.col_expected"): view["cumulative_expected"]["cumulative_tco2"],
    }
)


def meta(title_key: str) -> components.ExportMeta:
    """Export header rows for this page's scope, titled by catalogue key."""
    return components.export_meta(t(title_key), selection, ref, summary["as_of"], sources, t)


components.chart_block(
    st.container(),
    charts.progress_chart(
        view["cumulative_issued"], view["cumulative_expected"], view["targets"], view["as_of_fy"], t=t
    ),
    progress_table,
    "progress",
    meta("overview.export_progress"),
    "progress_chart",
    t=t,
)
st.caption(t("overview.log_note"))

components.chart_block(
    st.container(),
    charts.issued_chart(view["cumulative_issued"], t),
    progress_table.iloc[:, :3],
    "issued_by_fy",
    meta("overview.export_issued"),
    "issued_chart",
    t=t,
)
undated = summary["issuances_without_date"]
if undated:
    unknown_t = summary["issued_by_fy"].get("unknown")
    st.caption(t("overview.undated", n=undated, amount=t.tco2(unknown_t), label=t.fy(None)))

st.subheader(t("overview.share_heading"))
progress = view["target_progress"]
table = pd.DataFrame(
    {
        t("overview.col_target"): progress["target_name"],
        t("overview.col_deadline"): [t.fy(int(fy)) for fy in progress["deadline_fy"]],
        t("overview.col_target_t"): [
            f"{lo:,.0f}–{hi:,.0f}" if lo < hi else f"{hi:,.0f}"
            for lo, hi in zip(
                progress["value_low_tco2"].fillna(progress["value_high_tco2"]), progress["value_high_tco2"], strict=True
            )
        ],
        t("overview.col_reached"): [
            f"{t.pct(pl)}–{t.pct(ph)}" if pl != ph else t.pct(ph)
            for pl, ph in zip(progress["pct_of_low"], progress["pct_of_high"], strict=True)
        ],
        t("overview.col_status"): [
            t("overview.superseded") if s else t("overview.current") for s in progress["is_superseded"]
        ],
    }
)
st.dataframe(table, hide_index=True, width="stretch")
components.downloads(st.container(), table, "target_progress", meta("overview.export_share"), "targets", t)

lines = [t("overview.incomplete", without=summary["issuances_without_amount"], total=summary["issuances_total"])]
published = view["published"]
if published:
    lines.append(
        t(
            "overview.published",
            published=t.tco2(published["published_tco2"]),
            date=published["as_of_date"],
            note=published["scope_note"],
            url=published["source_url"],
            dataset=t.tco2(published["dataset_tco2_same_date"]),
        )
    )
else:
    lines.append(t("overview.no_published"))
st.warning("\n\n".join(lines))

st.subheader(t("overview.outlook_heading"))
with st.spinner(t("overview.projecting")):
    outlook = cached.projection(key, selection)
current = outlook["outlook"][~outlook["outlook"]["is_superseded"]]
as_of_fy = outlook["as_of_fy"]
sentences = []
for _, target in current.iterrows():
    reached_fy = None if pd.isna(target["reached_fy"]) else int(target["reached_fy"])
    rate = target["required_annual_tco2"]
    needed = t("overview.deadline_passed") if pd.isna(rate) else t("overview.needs", rate=t.tco2(rate, t.per_year()))
    sentences.append(
        t(
            "overview.outlook_line",
            target=charts.target_label(target["value_tco2"], target["value_tco2"], int(target["deadline_fy"]), t),
            projected=t.tco2(target["projected_at_deadline_tco2"]),
            reached=projections.reached_label(reached_fy, as_of_fy, t),
            needed=needed,
        )
    )
st.markdown("\n".join(sentences))
st.page_link(
    "pages/projections.py",
    label=t("overview.scenarios_link"),
    icon=":material/trending_up:",
    query_params={
        name: values for name, values in {**filters.url_params(selection), **language.url_params()}.items() if values
    },
)
st.caption(t("overview.outlook_note"))
