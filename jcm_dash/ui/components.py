"""Render helpers shared by pages; each takes the container it draws into and the page's Translator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from jcm_dash import exports, headline
from jcm_dash.exports import ExportMeta
from jcm_dash.i18n import EN, Translator
from jcm_dash.queries import Filters
from jcm_dash.scope import describe


def export_meta(
    title: str, selection: Filters, ref: dict[str, Any], as_of: Any, sources: list[str], t: Translator
) -> ExportMeta:
    """Header rows for a download: scope in the page's language, file name in English codes."""
    names = ref["country_names"]
    return ExportMeta(
        title,
        describe(selection, names, t),
        str(as_of),
        list(sources),
        lang=t.lang,
        file_scope=describe(selection, names, EN),
    )


def headline_cards(container: Any, summary: dict[str, Any], t: Translator = EN) -> None:
    """The overview's headline figures as metric cards (``headline.key_figures``)."""
    columns = container.columns(3)
    for i, (label, value, help_text) in enumerate(headline.key_figures(summary, t)):
        columns[i % 3].metric(label, value, help=help_text, border=True)


def downloads(
    container: Any,
    table: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    meta: ExportMeta,
    key: str,
    t: Translator = EN,
) -> None:
    """CSV and Excel downloads of exactly ``table``, with header rows from ``meta``.

    The files are produced only when a button is clicked (a callable ``data``): writing an Excel file
    of a large table on every rerun would cost more than the page itself. ``table`` may itself be a
    callable, for a table too large to fetch before anyone asks for it.
    """

    def rows() -> pd.DataFrame:
        return table() if callable(table) else table

    stem = exports.file_stem(name, meta.file_scope or meta.scope, meta.as_of)
    left, right = container.columns(2)
    left.download_button(
        t("export.download_csv"),
        lambda: exports.to_csv(rows(), meta),
        file_name=f"{stem}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    right.download_button(
        t("export.download_excel"),
        lambda: exports.to_xlsx(rows(), meta, sheet=name),
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
    t: Translator = EN,
) -> None:
    """A chart, a table view of the same numbers, and CSV / Excel downloads of that table."""
    chart_tab, table_tab = container.tabs([t("export.tab_chart"), t("export.tab_table")])
    chart_tab.plotly_chart(figure, key=key, width="stretch", config=config or {})
    table_tab.dataframe(table, hide_index=True, width="stretch")
    downloads(container, table, name, meta, key, t)
