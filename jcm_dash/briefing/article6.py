"""The briefing pack's optional section "The JCM among Article 6 buyers" (issue 19): one slide, one PDF paragraph.

Asked for with ``briefing --article6`` or the checkbox on /briefing, never by default
(tests/test_briefing.py::test_the_article6_slide_appears_only_when_asked_for). Its figures are the
/article6 page's (``views.article6_context``): agreements by buyer, the JCM's own row, and the ITMO
tonnes transferred as stated. Buyers' plans are of different kinds and are never compared here.
"""

from __future__ import annotations

import duckdb

from jcm_dash import article6, charts, headline, views
from jcm_dash.briefing.contents import Chart, Section
from jcm_dash.i18n import Translator
from jcm_dash.scope import Filters

KEY = "article6"
NEXT_BUYERS = 3  # the buyers named after Japan in the paragraph


def section(con: duckdb.DuckDBPyConnection, filters: Filters, t: Translator) -> Section | None:
    """The section for the pack, or None when the store holds no Article 6 agreement.

    No filter applies (the agreements are every buyer's); the text says so when the pack has a scope.
    """
    view = views.article6_context(con)
    agreements = view["agreements"]
    if agreements.empty:
        return None
    by_buyer = view["by_buyer"]
    iso3 = dict(zip(agreements["buyer_country"], agreements["buyer_iso3"], strict=False))
    japan = next((b for b in by_buyer if iso3.get(b) == article6.JAPAN_ISO3), None)
    separator = t("filters.list_separator")
    jcm = view["jcm"]
    cards = {card.label: card for card in headline.article6_cards(jcm, None, t)}
    first = jcm["first_itmo_issuance"]
    transfers = view["itmo_transfers"]
    moved = separator.join(
        t(
            "briefing.article6_transfer",
            buyer=article6.place_name(row["buyer"], t, row["buyer_iso3"]),
            host=article6.place_name(row["host"], t),
            amount=t.tco2(row["itmo_tco2"], "t"),
            date=article6.short_period(row["period_or_date"]),
        )
        for _, row in transfers.iterrows()
    )
    paragraphs = []
    if japan is not None:
        others = [b for b in by_buyer if b != japan][:NEXT_BUYERS]
        rank = sum(1 for entry in by_buyer.values() if entry["total"] > by_buyer[japan]["total"]) + 1
        paragraphs.append(
            t(
                "briefing.article6_agreements",
                buyer=article6.place_name(japan, t, article6.JAPAN_ISO3),
                n=by_buyer[japan]["total"],
                total=len(agreements),
                rank=t.ordinal(rank),
                buyers=len(by_buyer),
                next=separator.join(
                    f"{article6.place_name(b, t, iso3.get(b))} {by_buyer[b]['total']:,}" for b in others
                ),
                first=first["date"] if first and first["date"] else t("unit.unknown"),
            )
        )
    paragraphs.append(t("briefing.article6_transfers", transfers=moved or t("briefing.article6_no_transfers")))
    issued = cards[t("article6.card_issued")]
    paragraphs.append(
        t(
            "briefing.article6_jcm",
            issued=issued.value,
            basis=issued.note,
            partners=jcm["partner_countries"],
            registered=jcm["registered_projects"],
        )
    )
    paragraphs.append(t("briefing.article6_not_compared"))
    if filters != Filters():
        paragraphs.append(t("briefing.article6_scope"))
    chart = Chart(
        "article6_agreements",
        t("article6.chart_over_time"),
        charts.agreements_over_time_chart(view["cumulative"], t),
    )
    return Section(KEY, t("briefing.article6_title"), paragraphs, chart)
