"""Article 6 buyers: the JCM beside the other countries buying Article 6.2 credits (agreements, plans, transfers)."""

import pandas as pd
import streamlit as st

from jcm_dash import article6, charts, headline
from jcm_dash.exports import ExportMeta
from jcm_dash.scope import Filters, years_words
from jcm_dash.ui import cached, components, shell

page = shell.context()
key, ref, selection, t = page.store_key, page.reference, page.filters, page.t

st.title(t("article6.title"))
st.caption(t("article6.intro"))
# The sidebar's filters choose JCM partners, technologies and FYs: say so rather than ignore them silently.
if selection != Filters():
    separator = t("filters.list_separator")
    chosen = [
        separator.join(t.country(c, ref.country_names.get(c)) for c in selection.countries),
        separator.join(t.tech(tech) for tech in selection.techs),
        years_words(selection, t) if selection.has_fy_bounds else "",
    ]
    scope = t("article6.scope_separator").join(part for part in chosen if part)
    st.info(t.md("article6.filters_ignored", scope=scope))
with st.spinner(t("article6.computing")):
    view = cached.article6(key)
agreements = view["agreements"]
if agreements.empty:
    st.info(t("article6.empty"))
    st.stop()
by_buyer = view["by_buyer"]
jcm = view["jcm"]
st.caption(
    t.md(
        "article6.sources",
        n=len(agreements),
        buyers=len(by_buyer),
        latest=view["latest_agreement"] or t("unit.unknown"),
        facts=len(view["facts"]),
    )
)


def name(text: object, iso3: object = None) -> str:
    """A buyer or host in this language (CLDR's name where it is a country)."""
    return article6.place_name(text, t, iso3)


def stated_value(value: object) -> str:
    """A value as its source states it; a plain whole number gains thousands separators (11733 → 11,733)."""
    text = str(value)
    return f"{int(text):,}" if text.isascii() and text.isdigit() and len(text) <= 15 else text


def meta(title_key: str) -> ExportMeta:
    """Export header rows: no sidebar filter applies to this page's tables."""
    return ExportMeta(
        t(title_key),
        t("article6.export_scope"),
        str(jcm["as_of"]),
        view["sources"],
        lang=t.lang,
        file_scope="article6 all buyers",
    )


def chart_block(stem: str, figure, table: pd.DataFrame) -> None:
    """A chart with its table and downloads: file ``article6_<stem>``, export title and widget keys from ``stem``."""
    components.chart_block(
        st.container(), figure, table, f"article6_{stem}", meta(f"article6.export_{stem}"), f"a6_{stem}", t=t
    )


def source_columns(sources: pd.Series) -> dict[str, list[str]]:
    """A link column (http(s) sources) and a text column (sources named without a link): a name is never a link."""
    return {
        t("article6.col_source"): [s if article6.is_link(s) else "" for s in sources],
        t("article6.col_source_named"): ["–" if article6.is_link(s) else str(s) for s in sources],
    }


LINKS = {
    t("article6.col_source"): st.column_config.LinkColumn(t("article6.col_source"), display_text=t("table.source_link"))
}

# The JCM's own row, from the same store and functions as the overview.
st.subheader(t("article6.jcm_heading"))
japan_agreements = int((agreements["buyer_iso3"] == article6.JAPAN_ISO3).sum())
components.cards(st.container(), headline.article6_cards(jcm, japan_agreements, t), 4)

st.subheader(t("article6.over_time_heading"))
cumulative = view["cumulative"]
over_time_table = pd.DataFrame(
    {
        t("article6.col_buyer"): [
            name(b, i) if pd.notna(b) else t("article6.other_buyers", n=len(cumulative.attrs["other_buyers"]))
            for b, i in zip(cumulative["buyer"], cumulative["buyer_iso3"], strict=True)
        ],
        t("article6.col_date"): [d.date() for d in pd.to_datetime(cumulative["date"])],
        t("article6.col_agreements"): cumulative["agreements"].astype(int),
    }
)
chart_block("over_time", charts.agreements_over_time_chart(cumulative, t), over_time_table)
others = cumulative.attrs["other_buyers"]
if others:
    separator = t("filters.list_separator")
    other_iso3 = dict(zip(agreements["buyer_country"], agreements["buyer_iso3"], strict=False))
    st.caption(
        t.md(
            "article6.other_buyers_note",
            min=article6.MIN_AGREEMENTS_FOR_OWN_LINE,
            names=separator.join(name(b, other_iso3.get(b)) for b in others),
        )
    )
if cumulative.attrs["undated"]:
    st.caption(t.plural("article6.undated", cumulative.attrs["undated"]))

st.subheader(t("article6.by_region_heading"))
by_region = view["by_region"]
region_table = pd.DataFrame(
    {
        t("article6.col_buyer"): [name(b, i) for b, i in zip(by_region["buyer"], by_region["buyer_iso3"], strict=True)],
        t("article6.col_region"): [t.value("a6_region", r) for r in by_region["host_region"]],
        t("article6.col_agreements"): by_region["agreements"].astype(int),
    }
)
chart_block("by_region", charts.buyer_region_chart(by_region, t), region_table)

st.subheader(t("article6.shared_heading"))
shared = view["shared_hosts"]
if shared.empty:
    st.info(t("article6.shared_none"))
else:
    st.caption(t("article6.shared_note", n=len(shared), k=int(shared["with_japan"].sum())))
    separator = t("filters.list_separator")
    shared_table = pd.DataFrame(
        {
            t("article6.col_host"): [
                name(h, i) for h, i in zip(shared["host_country"], shared["host_iso3"], strict=True)
            ],
            t("article6.col_region"): [t.value("a6_region", r) for r in shared["host_region"]],
            t("article6.col_n_buyers"): shared["n_buyers"].astype(int),
            t("article6.col_buyers"): [separator.join(name(b, i) for b, i in buyers) for buyers in shared["buyers"]],
            t("article6.col_with_japan"): [t("article6.yes") if j else t("article6.no") for j in shared["with_japan"]],
        }
    )
    components.show_table(st, shared_table, t)
    components.downloads(st, shared_table, "article6_shared_hosts", meta("article6.export_shared"), "a6_shared", t)

st.subheader(t("article6.facts_heading"))
st.caption(t("article6.facts_note"))
facts = view["facts"]
facts_table = pd.DataFrame(
    {
        t("article6.col_buyer"): [name(b, i) for b, i in zip(facts["buyer"], facts["buyer_iso3"], strict=True)],
        t("article6.col_metric"): [t.value("a6_metric", m) for m in facts["metric"]],
        t("article6.col_value"): [stated_value(v) for v in facts["value"]],
        t("article6.col_unit"): facts["unit"],
        t("article6.col_period"): facts["period_or_date"],
        t("article6.col_host"): [name(h) if pd.notna(h) else None for h in facts["host"]],
        t("article6.col_scope_note"): facts["scope_note"],
        t("article6.col_quote"): facts["quote"],
        t("article6.col_source"): facts["source_url"],
    }
)
# On screen a value and its unit share a cell, so no width shows "20" or "2.1" without its unit, and
# the host follows the buyer; the downloads keep every column apart, as stored.
value_unit = [
    f"{value} {unit}".strip()
    for value, unit in zip(facts_table[t("article6.col_value")], facts["unit"].fillna(""), strict=True)
]
on_screen = facts_table.drop(columns=[t("article6.col_value"), t("article6.col_unit")])
on_screen.insert(1, t("article6.col_host"), on_screen.pop(t("article6.col_host")))
on_screen.insert(3, t("article6.col_value_unit"), value_unit)
components.show_table(st, on_screen, t, column_config=LINKS)
components.downloads(st, facts_table, "article6_buyer_facts", meta("article6.export_facts"), "a6_facts", t)

st.subheader(t("article6.itmo_heading"))
transfers = view["itmo_transfers"]
if transfers.empty:
    st.info(t("article6.itmo_none"))
else:
    itmo_table = pd.DataFrame(
        {
            t("article6.col_buyer"): [
                name(b, i) for b, i in zip(transfers["buyer"], transfers["buyer_iso3"], strict=True)
            ],
            t("article6.col_host"): [name(h) if pd.notna(h) else None for h in transfers["host"]],
            t("article6.col_period"): transfers["period_or_date"],
            t("article6.col_itmo"): transfers["itmo_tco2"].astype(float),
            t("article6.col_unit"): transfers["unit"],
        }
    )
    chart_block("itmo", charts.itmo_transfer_chart(transfers, t), itmo_table)
st.caption(t("article6.itmo_note"))

with st.expander(t("article6.agreements_heading")):
    agreements_table = pd.DataFrame(
        {
            t("article6.col_buyer"): [
                name(b, i) for b, i in zip(agreements["buyer_country"], agreements["buyer_iso3"], strict=True)
            ],
            t("article6.col_host"): [
                name(h, i) for h, i in zip(agreements["host_country"], agreements["host_iso3"], strict=True)
            ],
            t("article6.col_region"): [t.value("a6_region", r) for r in agreements["host_region"]],
            t("article6.col_date"): agreements["date"],
            t("article6.col_status"): [t.value("a6_status", s) for s in agreements["status"]],
            t("article6.col_title"): agreements["title"],
            t("article6.col_projects"): agreements["associated_projects"],
            **source_columns(agreements["source_url"]),
        }
    )
    components.show_table(st, agreements_table, t, column_config=LINKS)
    components.downloads(
        st, agreements_table, "article6_agreements", meta("article6.export_agreements"), "a6_agreements", t
    )
