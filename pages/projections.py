"""Projections: where the JCM is heading, calibrated on what was issued and backtested, and what it would take."""

import math

import pandas as pd
import streamlit as st

from jcm_dash import charts, projections
from jcm_dash.i18n import Markdown, escape_markdown
from jcm_dash.scope import describe, short_name
from jcm_dash.ui import cached, scenario, shell

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t

st.title(t("projections.title"))
st.caption(escape_markdown(describe(selection, ref.country_names, t)))

current = scenario.overrides()
chosen_method = current.get("method")
with st.spinner(t("projections.measuring")):
    # The placeholders show the data's values for the chosen method (its realized conversion differs).
    defaults = cached.projection(key, selection, (("method", chosen_method),) if chosen_method else ())["defaults"]
with st.expander(t("projections.scenario"), expanded=bool(current) or scenario.has_warnings()):
    chosen = scenario.inputs(st.container(), defaults, t)
with st.spinner(t("projections.projecting")):
    result = cached.projection(key, selection, tuple(sorted(chosen.items())))

as_of_fy = result["as_of_fy"]
issued = result["issued_to_date_tco2"]
outlook = result["outlook"]  # Japan's national targets: always the whole JCM's (views.projection)
contribution = result["contribution"]  # a selection's part in them (None for the whole JCM)
own = None if contribution is None else contribution.set_index("target_name")
scope_name = short_name(selection, ref.country_names, t)
current_targets = outlook[~outlook["is_superseded"]].reset_index(drop=True)
method, best = result["method"], result["best_method"]
scores = result["backtest_scores"]
calibration = result["calibration"]
used = result["scenario"]


def method_name(name: str) -> str:
    """A method's name in this language."""
    return t(f"method.{name}")


def plural(key_stem: str, n: float, **values: object) -> str:
    """The catalogue's ``<stem>_one`` or ``<stem>_other`` for ``n``."""
    return t(f"{key_stem}_{'one' if n == 1 else 'other'}", n=n, **values)


def reached(fy: object) -> str:
    """When a target is reached, in words."""
    return projections.reached_label(None if pd.isna(fy) else int(fy), as_of_fy, t)


def mt(value: float | None) -> str:
    """A tonnage for cards and sentences (Mt in English, 万t/億t in Japanese)."""
    return t.tco2(value, compact=True)


if result["registered_projects"] == 0 and result["pipeline_projects"] == 0 and issued == 0:
    st.info(t("projections.nothing_matches"))
if result["fy_range_ignored"]:
    st.info(t("projections.fy_range_ignored"))
if own is not None:
    st.caption(t.md("projections.national_note", scope=scope_name))

# The central case first: which method, and why.
if scores:
    others = t("filters.list_separator").join(
        t("projections.score_item", method=method_name(m), error=f"{e:,.0f}%") for m, e in scores.items() if m != method
    )
    if method == best:
        st.markdown(
            t.md(
                "projections.central_best",
                method=method_name(method),
                error=Markdown(f"{scores[method]:,.0f}%"),
                others=others,
            )
        )
    else:
        st.markdown(
            t.md(
                "projections.central_chosen",
                method=method_name(method),
                best=method_name(best),
                error=Markdown(f"{scores[best]:,.0f}%"),
            )
        )
else:
    st.markdown(t.md("projections.central_untested", method=method_name(method)))

cards = st.columns(len(current_targets) + 1)
cards[0].metric(
    t("projections.issued") if own is None else t.md("projections.issued_scope", scope=scope_name),
    mt(issued),
    help=t("projections.issued_help", as_of=result["as_of"], fy=t.fy(as_of_fy)),
    border=True,
)
for column, (_, target) in zip(cards[1:], current_targets.iterrows(), strict=True):
    deadline = int(target["deadline_fy"])
    label = charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t)
    if own is None:
        column.metric(
            t("projections.projected_card", fy=t.fy(deadline)),
            mt(target["projected_at_deadline_tco2"]),
            help=t(
                "projections.projected_card_help",
                method=method_name(method),
                low=mt(target["projected_at_deadline_low_tco2"]),
                high=mt(target["projected_at_deadline_high_tco2"]),
            ),
            border=True,
        )
    else:  # what the selection adds toward Japan's target, never as if the target were its own
        part = own.loc[target["target_name"]]
        column.metric(
            t.md("projections.contribution_card", scope=scope_name, fy=t.fy(deadline)),
            mt(part["projected_at_deadline_tco2"]),
            help=t(
                "projections.contribution_card_help",
                share=t.pct(part["share_of_target_pct"]),
                target=label,
                method=method_name(method),
                low=mt(part["projected_at_deadline_low_tco2"]),
                high=mt(part["projected_at_deadline_high_tco2"]),
            ),
            border=True,
        )
needs = st.columns(len(current_targets) + 1)
for column, (_, target) in zip(needs[1:], current_targets.iterrows(), strict=True):
    deadline = int(target["deadline_fy"])
    rate = target["required_annual_tco2"]
    column.metric(
        t(
            "projections.needed" if own is None else "projections.needed_national",
            target=charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t),
        ),
        t("projections.deadline_passed") if pd.isna(rate) else t.tco2(rate, t.per_year(), compact=True),
        help=t(
            "projections.needed_help",
            known=mt(result["best_known"]["value_tco2"]),
            basis=t(f"projections.basis_{result['best_known']['basis']}"),
            n=deadline - as_of_fy,
            as_of=t.fy(as_of_fy),
            deadline=t.fy(deadline),
        ),
        border=True,
    )
first = result["first_fy"]
if first:
    needs[0].metric(
        t("projections.first_fy_card", fy=t.fy(first["fy"])),
        mt(first["central_tco2"]),
        help=t("projections.first_fy_card_help"),
        border=True,
    )

scale = st.radio(
    t("projections.scale"),
    ["log", "linear"],
    format_func=lambda v: t(f"projections.scale_{v}"),
    horizontal=True,
    help=t("projections.scale_help"),
)
st.plotly_chart(
    charts.projection_chart(
        result["actual"],
        result["projection"],
        result["targets"],
        as_of_fy,
        log_scale=scale == "log",
        t=t,
        start=result["projection_start"],
        published=result["published_points"],
        central_name=t("projections.central_line", method=method_name(method)),
        scope=None if own is None else scope_name,
    ),
    key="projection_chart",
    width="stretch",
)
st.caption(t("projections.chart_note"))

st.subheader(t("projections.annual_heading"))
pace = first["published_pace"] if first else None
st.plotly_chart(
    charts.annual_projection_chart(result["actual"], result["projection"], as_of_fy, pace=pace, t=t),
    key="annual_projection_chart",
    width="stretch",
)
if first:
    lines = [t.md("projections.first_fy_line", fy=t.fy(first["fy"]), central=mt(first["central_tco2"]))]
    if first["best_historical_tco2"]:
        lines.append(
            t.md(
                "projections.first_fy_best",
                multiple=Markdown(f"{first['multiple_of_best_fy']:,.1f}"),
                best_fy=t.fy(first["best_historical_fy"]),
                best=t.tco2(first["best_historical_tco2"]),
            )
        )
    if pace:
        lines.append(
            t.md(
                "projections.first_fy_pace",
                multiple=Markdown(f"{first['multiple_of_published_pace']:,.1f}"),
                pace=t.tco2(pace["tco2_per_year"], t.per_year()),
                start=pace["from_date"],
                end=pace["to_date"],
            )
        )
    growth = result["first_fy_growth"]
    if growth and method in projections.REALIZED_METHODS:
        lines.append(
            t.md(
                "projections.first_fy_growth",
                growth=Markdown(f"{growth:,.1f}"),
                lag=Markdown(f"{used.issuance_lag_years:,.1f}"),
            )
        )
    if method in projections.REALIZED_METHODS and used.pipeline_conversion > 0:
        # The later steps in the bars: projects now in validation register after the pipeline delay
        # and issue after the same lag, so their credits arrive some FYs after the first projected one.
        lines.append(
            t.md(
                "projections.pipeline_step",
                delay=Markdown(f"{used.pipeline_delay_years:,d}"),
                lag=Markdown(f"{used.issuance_lag_years:,.1f}"),
                conversion=t.pct(100 * used.pipeline_conversion),
            )
        )
    st.markdown(" ".join(lines))

st.subheader(t("projections.table_heading"))
passed = t("projections.deadline_passed")


def earliest_latest(low: object, high: object) -> str:
    """The FYs the high and the low case reach a target: earliest first."""
    earliest, latest = reached(high), reached(low)
    return earliest if earliest == latest else f"{earliest} – {latest}"


def needed(rate: object) -> str:
    """The pace needed per year, or "deadline passed"."""
    return passed if pd.isna(rate) else t.number(rate)


def band(row: pd.Series, low_end: str, high_end: str, show) -> str:
    """One target's figure; for a band target (50–100 Mt) the lower end's and the upper end's."""
    high = show(row[high_end])
    if row["value_low_tco2"] >= row["value_tco2"]:
        return high
    low = show(row[low_end])
    return high if low == high else f"{low} – {high}"


table = pd.DataFrame(
    {
        t("projections.col_target"): [
            charts.target_label(lo, hi, int(fy), t)
            for lo, hi, fy in zip(outlook["value_low_tco2"], outlook["value_tco2"], outlook["deadline_fy"], strict=True)
        ],
        t("overview.col_status"): [
            t("overview.superseded") if s else t("overview.current") for s in outlook["is_superseded"]
        ],
        # A band target (the superseded 50–100 Mt) reads as a range, its lower end first.
        t("projections.col_gap"): [
            band(row, "gap_at_deadline_low_end_tco2", "gap_at_deadline_tco2", t.number) for _, row in outlook.iterrows()
        ],
        t("projections.col_reached"): [
            band(row, "reached_low_end_fy", "reached_fy", reached) for _, row in outlook.iterrows()
        ],
        t("projections.col_needed"): [
            band(row, "required_annual_low_end_tco2", "required_annual_tco2", needed) for _, row in outlook.iterrows()
        ],
        t("projections.col_projected"): [t.number(v) for v in outlook["projected_at_deadline_tco2"]],
        t("projections.col_band"): [
            f"{mt(lo)} – {mt(hi)}"  # a range of methods: the cards' precision, its unit in each value
            for lo, hi in zip(
                outlook["projected_at_deadline_low_tco2"], outlook["projected_at_deadline_high_tco2"], strict=True
            )
        ],
        t("projections.col_reached_band"): [
            earliest_latest(lo, hi)
            for lo, hi in zip(outlook["reached_fy_low"], outlook["reached_fy_high"], strict=True)
        ],
        t("projections.col_target_name"): outlook["target_name"],
    }
)
if own is not None:  # the selection's part beside the national figures, never in their place
    parts = [own.loc[name] if name in own.index else None for name in outlook["target_name"]]
    table.insert(
        2,
        t("projections.col_contribution", scope=scope_name),
        [t.number(p["projected_at_deadline_tco2"]) if p is not None else "–" for p in parts],
    )
    table.insert(
        3,
        t("projections.col_contribution_share"),
        [t.pct(p["share_of_target_pct"]) if p is not None else "–" for p in parts],
    )
# Short headers on screen (the full ones as tooltips), the pace needed beside the gap and the FY
# reached, and the target's name as recorded left off the screen (the overview's share table lists
# it), so the columns a reader needs fit at 1400 px (the range of methods may scroll in Japanese).
short_headers = {
    t(full): st.column_config.Column(t(f"projections.short.{short}"), help=t(full))
    for full, short in (
        ("projections.col_gap", "gap"),
        ("projections.col_projected", "projected"),
        ("projections.col_band", "band"),
        ("projections.col_needed", "needed"),
        ("projections.col_reached_band", "reached_band"),
    )
}
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config=short_headers,
    column_order=[c for c in table.columns if c != t("projections.col_target_name")],
)
st.caption(t("projections.table_note" if own is None else "projections.table_note_scope"))

st.subheader(t("projections.backtest_heading"))
st.markdown(t.md("projections.backtest_intro"))
rows = pd.DataFrame(result["backtest"])
if rows.empty:
    st.info(t("projections.backtest_none"))
else:
    case_columns = ["scope", "as_of", "target_date", "horizon_years", "actual_tco2", "actual_source"]
    cases = rows.drop_duplicates(case_columns)[case_columns].reset_index(drop=True)
    by_method = {m: rows[rows["method"] == m].set_index(["scope", "as_of", "target_date"]) for m in projections.METHODS}

    def cell(method_rows: pd.DataFrame, case: pd.Series) -> str:
        """Predicted tonnes and the error, or a dash when the method had nothing to go on."""
        where = (case["scope"], case["as_of"], case["target_date"])
        if where not in method_rows.index:
            return "–"
        row = method_rows.loc[where]
        # Rounded toward zero: a method that predicted something never reads "-100%".
        return f"{t.number(row['predicted_tco2'])} ({math.trunc(row['error_pct']):+,d}%)"

    backtest_table = pd.DataFrame(
        {
            t("projections.col_scope"): [
                t("projections.scope_jcm") if s == "JCM" else t.country(s, ref.country_names.get(s))
                for s in cases["scope"]
            ],
            t("projections.col_cutoff"): cases["as_of"],
            t("projections.col_horizon"): [plural("projections.years", int(h)) for h in cases["horizon_years"]],
            t("projections.col_target_date"): cases["target_date"],
            t("projections.col_actual"): [t.number(v) for v in cases["actual_tco2"]],
            **{
                method_name(m): [cell(by_method[m], case) for _, case in cases.iterrows()]
                for m in projections.METHODS
                if not by_method[m].empty
            },
        }
    )
    st.dataframe(backtest_table, hide_index=True, width="stretch")
    score_table = pd.DataFrame(
        {
            t("projections.col_method"): [method_name(m) for m in scores],
            t("projections.col_score"): [f"{e:,.1f}%" for e in scores.values()],
            t("projections.col_role"): [
                t("projections.role_central")
                if m == method
                else t("projections.role_baseline")
                if m == projections.TREND
                else t("projections.role_band")
                for m in scores
            ],
        }
    )
    st.dataframe(score_table, hide_index=True)
    st.caption(t("projections.backtest_note", dash="–"))

st.subheader(t("projections.measured_heading"))
lag = result["issuance_lag_measured"]
measured_rows = []
if lag:
    measured_rows.append(
        (
            t("projections.measure_lag"),
            plural("projections.years_decimal", round(lag.years, 2), value=f"{lag.years:,.2f}"),
            plural(
                "projections.measure_lag_basis",
                lag.issuances,
                low=f"{lag.min_years:,.2f}",
                high=f"{lag.max_years:,.2f}",
            ),
            "",
        )
    )
for conversion in (calibration.published, calibration.itemized):
    if conversion is None:
        continue
    basis = t.md(
        f"projections.measure_conversion_basis_{conversion.source}",
        issued=t.tco2(conversion.issued_tco2),
        date=conversion.measured_at.date().isoformat(),
        accrued=t.tco2(conversion.accrued_tco2),
        before=t.tco2(conversion.accrued_before_lag_tco2),
    )
    if conversion.scope == "jcm":
        basis += " " + t("projections.measure_whole_jcm")
    measured_rows.append(
        (
            t(f"projections.measure_conversion_{conversion.source}"),
            t(
                "projections.measure_conversion_value",
                after=f"{conversion.after_lag:,.3f}",
                to_date=f"{conversion.to_date:,.3f}" if conversion.to_date is not None else t("unit.unknown"),
            ),
            basis,
            conversion.source_url or "",
        )
    )
ratio = result["success_ratio_measured"]
if ratio:
    measured_rows.append(
        (
            t("projections.measure_success"),
            f"{ratio.central:,.2f}",
            t(
                "projections.measure_success_basis",
                issuances=ratio.issuances,
                projects=ratio.projects,
                issued=t.tco2(ratio.issued_tco2),
                expected=t.tco2(ratio.expected_tco2),
            ),
            "",
        )
    )
first_trend, last_trend = calibration.trend_fys
measured_rows.append(
    (
        t("projections.measure_trend"),
        t.tco2(calibration.trend_pace_tco2, t.per_year()),
        t("projections.measure_trend_basis", range=t.fy_range(first_trend, last_trend)),
        "",
    )
)
measured = pd.DataFrame(
    [row[:3] for row in measured_rows],
    columns=[t("projections.col_measure"), t("projections.col_value"), t("projections.col_basis")],
)
# A static table wraps the long "how" text; every cell is the catalogue's wording and our own figures.
st.table(measured, border="horizontal")
for _, _, _, url in measured_rows:
    if url.startswith(("https://", "http://")):  # a data value: a link target, never Markdown
        st.page_link(url, label=t("projections.published_source"), icon=":material/open_in_new:")

st.subheader(t("projections.method_heading"))
st.markdown(
    t.md(
        "projections.method",
        issued=mt(issued),
        registered=result["registered_projects"],
        registered_expected=t.tco2(result["registered_expected_annual_tco2"], t.per_year()),
        lag=Markdown(f"{used.issuance_lag_years:,.2f}"),
        crediting=t("projections.crediting_years", n=used.crediting_years)
        if used.crediting_years
        else t("projections.crediting_unlimited"),
        pipeline=result["pipeline_projects"],
        pipeline_expected=t.tco2(result["pipeline_expected_annual_tco2"], t.per_year()),
        conversion=Markdown(f"{used.pipeline_conversion:.2f}"),
        delay=plural("projections.years", used.pipeline_delay_years),
        new_per_year=Markdown(f"{used.new_projects_per_year:,.1f}"),
        new_size=t.tco2(used.new_project_size_tco2, t.per_year()),
        ratio=Markdown(f"{used.success_ratio:.2f}"),
        trend_years=plural("projections.fys", used.trend_years),
        limit=t.fy(projections.SEARCH_LIMIT_FY),
    )
)
