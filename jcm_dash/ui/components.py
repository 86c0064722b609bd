"""Render helpers shared by pages; each takes the container it draws into."""

from __future__ import annotations

from typing import Any

import pandas as pd

from jcm_dash import exports
from jcm_dash.exports import ExportMeta
from jcm_dash.formatting import format_tco2


def headline_cards(container: Any, summary: dict[str, Any]) -> None:
    """The overview's headline figures as metric cards."""
    total = summary["issuances_total"]
    status = summary["projects_by_status"]
    cards = [
        (
            "Credits issued to date",
            format_tco2(summary["credits_issued_tco2"]),
            f"Sum of the known amounts of {total} issuance decisions; "
            f"{summary['issuances_without_amount']} have no amount in any readable source.",
        ),
        (
            "Japanese side (where known)",
            format_tco2(summary["japan_side_tco2"]),
            f"Credits notified to the Japanese side, stated for {summary['issuances_with_japan_side']} "
            f"of {total} issuances.",
        ),
        (
            "Acquired by GoJ (where known)",
            format_tco2(summary["goj_share_tco2"]),
            f"Credits acquired by the Government of Japan, stated for {summary['issuances_with_goj_share']} "
            f"of {total} issuances.",
        ),
        (
            "Registered projects",
            f"{status['registered']:,}",
            f"Also {status['validation']} in validation, {status['planned']} planned, {status['withdrawn']} withdrawn.",
        ),
        ("Partner countries", f"{summary['partner_countries']:,}", "Countries with a signed JCM bilateral document."),
        (
            "Expected reductions / yr",
            format_tco2(summary["expected_annual_reductions_registered_tco2"], "t-CO2e/yr"),
            "Sum of the expected annual reductions of registered projects (ex-ante): from each project's own source, "
            "else UNEP's Article 6 Pipeline.",
        ),
    ]
    columns = container.columns(3)
    for i, (label, value, help_text) in enumerate(cards):
        columns[i % 3].metric(label, value, help=help_text, border=True)


def downloads(container: Any, table: pd.DataFrame, name: str, meta: ExportMeta, key: str) -> None:
    """CSV and Excel downloads of exactly ``table``, with header rows from ``meta``."""
    stem = exports.file_stem(name, meta.scope, meta.as_of)
    left, right = container.columns(2)
    left.download_button(
        "Download CSV",
        exports.to_csv(table, meta),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        "Download Excel",
        exports.to_xlsx(table, meta, sheet=name),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        icon=":material/download:",
        on_click="ignore",
    )


def chart_block(
    container: Any,
    figure: Any,
    table: pd.DataFrame,
    name: str,
    meta: ExportMeta,
    key: str,
    config: dict[str, Any] | None = None,
) -> None:
    """A chart, a table view of the same numbers, and CSV / Excel downloads of that table."""
    chart_tab, table_tab = container.tabs(["Chart", "Table"])
    chart_tab.plotly_chart(figure, key=key, width="stretch", config=config or {})
    table_tab.dataframe(table, hide_index=True, width="stretch")
    downloads(container, table, name, meta, key)
