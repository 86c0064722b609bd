"""Overview: how far the JCM is from its targets, the headline figures and the charts, for the sidebar's filter."""

import pandas as pd
import streamlit as st

from jcm_dash import charts, headline
from jcm_dash.scope import Filters, describe, short_name
from jcm_dash.ui import cached, components, filters, language, shell

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t

st.title(t("overview.title"))
with st.spinner(t("overview.computing")):
    view = cached.overview(key, selection)
summary = view["summary"]
scope = describe(selection, ref.country_names, t)
st.caption(t.md("overview.caption", scope=scope, as_of=summary["as_of"]))

one_country = len(selection.countries) == 1 and not selection.techs and not selection.has_fy_bounds
if summary["issuances_total"] == 0 and sum(summary["projects_by_status"].values()) == 0:
    if one_country:  # a partner with nothing in the data yet (Ethiopia): say so, not "widen the filters"
        st.info(t.md("overview.nothing_country", name=short_name(selection, ref.country_names, t)))
    else:
        st.info(t("overview.nothing_matches"))

# The answer first: share reached, gap and pace needed for each target, from the two honest figures.
components.progress_block(st.container(), headline.progress(view, selection, ref.country_names, t), t)

st.subheader(t("cards.heading"))
components.cards(st.container(), headline.key_figures(summary, t, selection), 3)

st.subheader(t("overview.progress_heading"))
# Lines with nothing to draw are left out (their legend entries too), and a chart with no line at
# all is not drawn: an empty chart's ticks and legend would read as data (tests/test_app.py).
has_issued = bool((view["cumulative_issued"]["cumulative_tco2"] > 0).any())
has_expected = bool((view["cumulative_expected"]["cumulative_tco2"] > 0).any())
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


national = view["national_targets"]
best = view["best_known"]
published_points = view["published_points"]
required_table = pd.DataFrame(
    {
        t("overview.col_target"): [t.target(name) for name in national["target_name"]],
        t("overview.col_deadline"): [t.fy(int(fy)) for fy in national["deadline_fy"]],
        t("overview.col_target_t"): national["value_tco2"],
        t("overview.col_best_known"): [best["value_tco2"]] * len(national),
        t("overview.col_gap"): national["gap_tco2"],
        t("overview.col_needed"): national["required_annual_tco2"],
    }
)
components.chart_block(
    st.container(),
    charts.overview_required_path(view, t),
    required_table,
    "pace_needed",
    components.export_meta(t("overview.export_required"), Filters(), ref, summary["as_of"], sources, t),
    "required_chart",
    t=t,
)
st.caption(t("overview.read_true_scale"))

if has_issued or has_expected or len(published_points):
    if not has_issued:
        st.info(t("overview.no_issuance"))
    components.chart_block(
        st.container(),
        charts.overview_progress(view, t),
        progress_table,
        "progress",
        meta("overview.export_progress"),
        "progress_chart",
        t=t,
    )
    st.caption(t("overview.log_note"))
else:
    st.info(t("overview.no_progress_chart"))

if has_issued:
    components.chart_block(
        st.container(),
        charts.issued_chart(view["cumulative_issued"], t),
        progress_table.iloc[:, :3],
        "issued_by_fy",
        meta("overview.export_issued"),
        "issued_chart",
        t=t,
    )
else:
    st.info(t("overview.no_issued_chart"))
undated = summary["issuances_without_date"]
if undated:
    unknown_t = summary["issued_by_fy"].get("unknown")
    st.caption(t.plural("overview.undated", undated, amount=t.amount(unknown_t), label=t.fy(None)))

st.subheader(t("overview.share_heading"))
progress = view["target_progress"]
scoped = bool(selection.countries or selection.techs or selection.has_fy_bounds)


def share_range(low_pct: float, high_pct: float) -> str:
    """A share of a target, or of a band's two ends, low to high."""
    low, high = sorted((float(low_pct), float(high_pct)))
    return t.pct(high) if low == high else f"{t.pct(low)}–{t.pct(high)}"


low_values = progress["value_low_tco2"].fillna(progress["value_high_tco2"])
# The short label ("~100 Mt by FY2030") and the shares first, so they are on screen at 420 px; the
# target's name as recorded comes last.
share_table = pd.DataFrame(
    {
        t("overview.col_target"): [
            charts.target_label(lo, hi, int(fy), t)
            for lo, hi, fy in zip(low_values, progress["value_high_tco2"], progress["deadline_fy"], strict=True)
        ],
        t("overview.col_reached_whole" if scoped else "overview.col_reached_best"): [
            share_range(best["value_tco2"] / lo * 100, best["value_tco2"] / hi * 100)
            for lo, hi in zip(low_values, progress["value_high_tco2"], strict=True)
        ],
        # A narrower scope's credits are its contribution to the national target, and say so.
        t("overview.col_contribution" if scoped else "overview.col_reached_itemized"): [
            share_range(pl, ph) for pl, ph in zip(progress["pct_of_low"], progress["pct_of_high"], strict=True)
        ],
        t("overview.col_status"): [
            t("overview.superseded") if s else t("overview.current") for s in progress["is_superseded"]
        ],
        t("overview.col_deadline"): [t.fy(int(fy)) for fy in progress["deadline_fy"]],
        t("overview.col_target_t"): [
            f"{lo:,.0f}–{hi:,.0f}" if lo < hi else f"{hi:,.0f}"
            for lo, hi in zip(low_values, progress["value_high_tco2"], strict=True)
        ],
        t("overview.col_target_name"): [t.target(name) for name in progress["target_name"]],
    }
)
components.show_table(st, share_table, t)
components.downloads(st.container(), share_table, "target_progress", meta("overview.export_share"), "targets", t)
st.caption(t("overview.share_note", basis=t(f"overview.basis_word_{best['basis']}")))

st.info("\n\n".join(headline.data_notes(summary, view["published"], t, markdown=True)))

st.subheader(t("overview.outlook_heading"))
outlook = view["outlook"]
sentences = headline.outlook_lines(
    outlook["outlook"],
    outlook["as_of_fy"],
    t,
    "overview.outlook_line",
    markdown=True,
    contribution=outlook["contribution"],
    scope=short_name(selection, ref.country_names, t),
)
st.markdown("\n".join(sentences))
if outlook["fy_range_ignored"]:
    st.caption(t("overview.outlook_all_years"))
st.page_link(
    "pages/projections.py",
    label=t("overview.scenarios_link"),
    icon=":material/trending_up:",
    query_params={
        name: values for name, values in {**filters.url_params(selection), **language.url_params()}.items() if values
    },
)
st.caption(t("overview.outlook_note", method=t(f"method.{outlook['method']}")))
st.caption(t("unit.unknown_note"))
