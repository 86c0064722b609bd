"""Render helpers shared by pages; each takes the container it draws into and the page's Translator."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from jcm_dash import display, exports, headline
from jcm_dash.exports import ExportMeta
from jcm_dash.i18n import EN, Translator, escape_markdown
from jcm_dash.scope import Filters, Reference, describe


def md(text: str) -> str:
    """``text`` with Markdown markup escaped, for places Streamlit renders as Markdown (labels, values, headings).

    The one escape the pages use (``i18n.escape_markdown``): a value from the data shows as typed.
    """
    return escape_markdown(text)


def export_meta(
    title: str, selection: Filters, ref: Reference, as_of: Any, sources: list[str], t: Translator
) -> ExportMeta:
    """Header rows for a download: scope in the page's language, file name in English codes."""
    names = ref.country_names
    return ExportMeta(
        title,
        describe(selection, names, t),
        str(as_of),
        list(sources),
        lang=t.lang,
        file_scope=describe(selection, names, EN),
    )


def _css_text(text: str) -> str:
    """A catalogue string as a CSS string literal's contents."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def interface_style(t: Translator) -> str:
    """The style sheet (jcm_dash/ui/style.css) and, outside English, the uploader's words in ``t``'s language.

    Streamlit writes its file uploader's button and size line in English only; in another language
    they are replaced by the catalogue's text (``data.upload_button``, ``data.upload_types``); the
    limits are stated beside the uploader (``upload_limits``).
    """
    css = (Path(__file__).with_name("style.css")).read_text(encoding="utf-8")
    if t.lang != "en":
        css += f"""
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{_css_text(t("data.upload_button"))}"; font-size: 0.875rem;
}}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "{_css_text(t("data.upload_types"))}"; font-size: 0.875rem;
}}
"""
    return f"<style>{css}</style>"


def upload_limits(t: Translator) -> str:
    """The importer's limits in words (``server.maxUploadSize`` in .streamlit/config.toml is the CSV one)."""
    from jcm_dash import importer  # noqa: PLC0415  (only the data page needs it)

    return t(
        "data.upload_limits",
        csv_mb=importer.MAX_CSV_BYTES // 2**20,
        xlsx_mb=importer.MAX_XLSX_BYTES // 2**20,
        rows=f"{importer.MAX_ROWS:,}",
    )


def card(container: Any, figure: headline.Card) -> None:
    """One headline figure as a bordered metric, its note muted beneath, its source as a link inside the border.

    A card with a source is a bordered box holding the metric and the link, so the link reads as the
    card's own (below a bordered metric it sat between two cards where the columns stack).
    """
    box = container.container(border=True) if figure.link else container
    box.metric(
        md(figure.label),
        md(figure.value),
        delta=md(figure.note) if figure.note else None,
        delta_color="off",
        delta_arrow="off",
        help=md(figure.help) if figure.help else None,
        border=not figure.link,
    )
    if figure.link:
        label, url = figure.link
        box.link_button(md(label), url, type="tertiary", icon=":material/open_in_new:")


def cards(container: Any, figures: list[headline.Card], columns: int) -> None:
    """A row (or rows) of cards, ``columns`` a row; narrow screens stack them."""
    slots = container.columns(columns)
    for i, figure in enumerate(figures):
        card(slots[i % columns], figure)


def progress_block(container: Any, answer: headline.Progress, t: Translator = EN) -> None:
    """The answer at a glance (``headline.progress``): the scope's figures, the basis of the shares, each target."""
    container.subheader(md(answer.heading))
    # Keyed boxes, so style.css can put the targets' share, gap and pace first where the columns
    # stack (a narrow screen), and the scope's own figures after them.
    scope_box = container.container(key="progress_scope")
    targets_box = container.container(key="progress_targets")
    cards(scope_box, answer.scope_cards, 4)
    if answer.national_heading:
        targets_box.markdown(f"**{md(answer.national_heading)}**")
    targets_box.caption(md(answer.basis_note))
    for _, row in answer.targets:
        cards(targets_box, row, 3)
    if answer.trend_cards:  # a narrower scope's own pace, after the national answer
        trend_box = container.container(key="progress_trend")
        trend_box.markdown(f"**{md(answer.trend_heading)}**")
        cards(trend_box, answer.trend_cards, 4)


def show_table(
    container: Any,
    frame: pd.DataFrame,
    t: Translator = EN,
    *,
    percent: tuple[str, ...] = (),
    decimals: dict[str, int] | None = None,
    nothing: dict[str, Any] | None = None,
    **dataframe_args: Any,
) -> Any:
    """Show ``frame`` with one rendering of numbers: thousands separators, "unknown" for a missing amount.

    ``nothing`` marks the cells with nothing itemized, shown "–" (see ``display.styled``); the
    columns stay numeric, so sorting a column still sorts by value.
    """
    dataframe_args.setdefault("hide_index", True)
    dataframe_args.setdefault("width", "stretch")
    return container.dataframe(
        display.styled(frame, t, percent=percent, decimals=decimals, nothing=nothing), **dataframe_args
    )


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
    percent: tuple[str, ...] = (),
    nothing: dict[str, Any] | None = None,
) -> None:
    """A chart, a table view of the same numbers (``show_table``), and CSV / Excel downloads of that table."""
    chart_tab, table_tab = container.tabs([t("export.tab_chart"), t("export.tab_table")])
    # The title is set as text above the chart, where it wraps on a narrow screen; inside the figure
    # Plotly would cut it. Exported images (the briefing pack) keep it in the figure.
    title = figure.layout.title.text
    if title:
        # The figure's title is Plotly text (data escaped for its markup, charts.plain); as Markdown it is
        # the same text escaped for Markdown instead.
        chart_tab.markdown(f"**{md(html.unescape(title))}**")
        figure.layout.title.text = None
        figure.layout.margin.t = 36
    chart_tab.plotly_chart(figure, key=key, width="stretch", config=config or {})
    show_table(table_tab, table, t, percent=percent, nothing=nothing)
    downloads(container, table, name, meta, key, t)
