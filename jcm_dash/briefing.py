"""Briefing pack for COP meetings: a PPTX deck, a one-page PDF and every chart as PNG and SVG.

Every figure comes from jcm_dash.views and jcm_dash.charts, the functions the pages use, so the pack
and the dashboard cannot disagree. Static images are rendered by kaleido with the system Chromium
(``BROWSER_PATH``, default /usr/bin/chromium) in one batch; the PDF is the same Chromium printing an
HTML page, so Japanese text is set in Noto Sans CJK JP and the font is embedded. No network is used.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import os
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import plotly.graph_objects as go

from jcm_dash import charts, exports, headline, pdf_text, projections, queries, views
from jcm_dash.i18n import EN, Translator, translator
from jcm_dash.scope import describe, short_name, years_words

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
# Chart images: 1200 × 680 CSS px at scale 2.5 = 3000 × 1700 px, 300 dpi across a 10-inch slide.
IMAGE_WIDTH, IMAGE_HEIGHT, IMAGE_SCALE = 1200, 680, 2.5
PNG_SIZE = (round(IMAGE_WIDTH * IMAGE_SCALE), round(IMAGE_HEIGHT * IMAGE_SCALE))
FONT = "Noto Sans CJK JP"
TOP_COUNTRIES = 12
TOP_PROJECTS = 10
PDF_SOURCES = 8

Progress = Callable[[str], None]


@dataclass
class Chart:
    """One chart of the pack: a file name, its title (in the pack's language) and the figure."""

    name: str
    title: str
    figure: go.Figure


@dataclass
class Content:
    """Everything the pack says, computed once from the views, in one language."""

    lang: str
    scope: str
    file_scope: str
    as_of: str
    generated: str
    key_figures: list[headline.Card]
    pdf_figures: list[headline.Card]
    basis_note: str
    findings: list[str]
    outlook_lines: list[str]
    charts: list[Chart]
    top_projects: pd.DataFrame
    notes: list[str]
    sources: list[str]
    summary: dict[str, Any] = field(default_factory=dict)


def _findings(
    country_table: pd.DataFrame,
    overview: dict[str, Any],
    outlook: pd.DataFrame,
    as_of_fy: int,
    filters: queries.Filters,
    names: dict[str, str],
    t: Translator,
    scope_contribution: pd.DataFrame | None = None,
) -> list[str]:
    """Three plain-language findings computed from the data, following the scope.

    1. The scope's place: for the whole JCM the leading partner and its share; for one country or
       technology its share of the whole JCM and its rank (never a share of itself).
    2. Progress toward the first national target, by the best-known figure, with the pace needed.
    3. The outlook for the next target (for a narrower scope: what it is projected to contribute).
    """
    findings = []
    summary = overview["summary"]
    contribution = overview["contribution"]
    years = years_words(filters, t)
    if not summary["credits_issued_tco2"]:
        findings.append(t("briefing.finding_no_credits"))
    elif contribution is None:
        known = country_table[country_table["credits_issued_tco2"].fillna(0) > 0]
        top = known.sort_values("credits_issued_tco2", ascending=False).iloc[0]
        findings.append(
            t.plural(
                "briefing.finding_country",
                len(known),
                country=t.country(top["iso3"], top["country"]),
                share=t.pct(float(top["share_of_issued_pct"])),
                amount=t.amount(float(top["credits_issued_tco2"])),
            )
        )
    else:
        rank = contribution["rank"]
        findings.append(
            t(
                "briefing.finding_scope",
                scope=short_name(filters, names, t),
                share=t.pct(contribution["share_pct"]) if contribution["share_pct"] is not None else "–",
                amount=t.amount(summary["credits_issued_tco2"]),
                years=years,
                rank=""
                if rank is None
                else t(
                    f"briefing.finding_rank_{contribution['rank_among']}",
                    rank=t.ordinal(rank),
                    n=contribution["of_n"],
                ),
            )
        )
    national = overview["national_targets"]
    best = overview["best_known"]
    if len(national):
        target = national.iloc[0]
        deadline = int(target["deadline_fy"])
        rate = target["required_annual_tco2"]
        findings.append(
            t(
                f"briefing.finding_progress_{best['basis']}",
                target=charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t),
                share=t.pct(target["share_pct"]),
                value=t.amount(best["value_tco2"]),
                date=(overview["whole_published"] or {}).get("as_of_date", ""),
                gap=t.amount(target["gap_tco2"]),
                rate=t("projections.deadline_passed")
                if rate is None or pd.isna(rate)
                else t.amount(rate, per_year=True),
                years=t.fy_range(int(target["first_fy"]), deadline),
            )
        )
    current = outlook[~outlook["is_superseded"]].sort_values("deadline_fy")
    if len(current) > 1:
        target = current.iloc[1]
        deadline = int(target["deadline_fy"])
        label = charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t)
        reached_fy = None if pd.isna(target["reached_fy"]) else int(target["reached_fy"])
        if contribution is None:
            findings.append(
                t(
                    "briefing.finding_outlook",
                    target=label,
                    projected=t.amount(target["projected_at_deadline_tco2"]),
                    reached=projections.reached_label(reached_fy, as_of_fy, t),
                )
            )
        elif scope_contribution is not None:
            own = scope_contribution.set_index("target_name").loc[target["target_name"]]
            findings.append(
                t(
                    "briefing.finding_outlook_scope",
                    scope=short_name(filters, names, t),
                    projected=t.amount(own["projected_at_deadline_tco2"]),
                    fy=t.fy(deadline),
                    target=label,
                )
            )
    return findings[:3]


def content(
    con: duckdb.DuckDBPyConnection,
    filters: queries.Filters,
    overrides: dict[str, Any] | None = None,
    lang: str = "en",
    today: dt.date | None = None,
) -> Content:
    """Compute the pack's figures, findings, charts and tables for ``filters`` and a scenario."""
    t = translator(lang)
    names = dict(zip(*[queries.partner_countries(con)[c] for c in ("iso3", "country")], strict=True))
    overview = views.overview(con, filters)
    projection = views.projection(con, filters, overrides)
    countries = views.countries(con, filters)
    technologies = views.technologies(con, filters, "type")
    explorer = views.project_explorer(con, filters)
    summary = overview["summary"]
    as_of_fy = overview["as_of_fy"]

    country_table = countries["table"]
    # The top partners, plus any chosen partner outside them (it is the scope), highlighted.
    by_credits = country_table.sort_values("credits_issued_tco2", ascending=False, na_position="last")
    top_countries = by_credits.head(TOP_COUNTRIES)
    chosen = by_credits[by_credits["selected"] & ~by_credits["iso3"].isin(top_countries["iso3"])]
    if filters.countries and len(chosen):
        top_countries = pd.concat([top_countries, chosen])
    answer = headline.progress(overview, filters, names, t)
    chart_list = [
        Chart(
            "required",
            t("chart.required_title"),
            charts.required_path_chart(
                overview["whole_cumulative"],
                overview["national_targets"],
                overview["best_known"]["value_tco2"],
                as_of_fy,
                t=t,
                as_of=summary["as_of"],
                published=overview["whole_published_points"],
            ),
        ),
        Chart(
            "progress",
            t("chart.progress_title"),
            charts.progress_chart(
                overview["cumulative_issued"],
                overview["cumulative_expected"],
                overview["targets"],
                as_of_fy,
                t=t,
                as_of=summary["as_of"],
                published=overview["published_points"],
            ),
        ),
        Chart("issued_by_fy", t("chart.issued_title"), charts.issued_chart(overview["cumulative_issued"], t)),
        Chart(
            "projection",
            t("chart.projection_title", fy=t.fy(2040)),
            charts.projection_chart(
                projection["actual"],
                projection["projection"],
                projection["targets"],
                projection["as_of_fy"],
                t=t,
                start=projection["projection_start"],
                published=projection["published_points"],
                central_name=t("projections.central_line", method=t(f"method.{projection['method']}")),
            ),
        ),
        Chart(
            "countries",
            t("chart.ranking_title", measure=charts.measure_label("credits_issued_tco2", t)),
            charts.country_ranking_chart(top_countries, "credits_issued_tco2", t),
        ),
        Chart(
            "technologies",
            t(
                "chart.technology_title",
                measure=charts.measure_label("credits_issued_tco2", t),
                level=t("technologies.level_type"),
            ),
            charts.technology_chart(technologies["table"], "credits_issued_tco2", t("technologies.level_type"), t),
        ),
    ]
    outlook = projection["outlook"]
    projects = explorer["projects"]
    top = projects.sort_values("credits_issued_tco2", ascending=False, na_position="last").head(TOP_PROJECTS)
    top_projects = pd.DataFrame(
        {
            t("table.reference"): top["project_ref"],
            t("table.title"): top["title"],
            t("table.country"): [t.country(i, n) for i, n in zip(top["country_iso3"], top["country"], strict=True)],
            t("table.technology"): [t.tech(v) for v in top["unep_type"]],
            t("projects.col_issued"): [t.number(None if pd.isna(v) else v) for v in top["credits_issued_tco2"]],
            t("projects.col_expected"): [
                t.number(None if pd.isna(v) else v) for v in top["expected_annual_reductions_tco2"]
            ],
        }
    )

    answer_cards = [*answer.scope_cards, *[card for _, row in answer.targets for card in row], *answer.trend_cards]
    other_cards = headline.key_figures(summary, t, filters)
    notes = [
        answer.basis_note,
        *headline.data_notes(summary, overview["published"], t),
        t("briefing.method_note", method=t(f"method.{projection['method']}")),
    ]
    # Sources behind the figures, the most cited first (the one-pager has room for a few).
    cited = pd.concat([explorer["issuances"]["source_url"], explorer["projects"]["source_url"]]).dropna()
    sources = list(cited.value_counts(sort=True).index)
    return Content(
        lang=t.lang,
        scope=describe(filters, names, t),
        file_scope=describe(filters, names, EN),
        as_of=summary["as_of"],
        generated=(today or dt.date.today()).isoformat(),
        key_figures=[*answer_cards, *other_cards],
        # The one-pager: the answer at a glance, then the project and partner counts.
        pdf_figures=[*answer_cards, *other_cards[2:4]],
        basis_note=answer.basis_note,
        findings=_findings(
            country_table, overview, outlook, as_of_fy, filters, names, t, scope_contribution=projection["contribution"]
        ),
        outlook_lines=headline.outlook_lines(
            projection["outlook"],
            projection["as_of_fy"],
            t,
            "briefing.outlook_line",
            contribution=projection["contribution"],
            scope=short_name(filters, names, t),
        ),
        charts=chart_list,
        top_projects=top_projects,
        notes=notes,
        sources=sources,
        summary=summary,
    )


def render_images(chart_list: list[Chart]) -> dict[str, bytes]:
    """Every chart as ``<name>.png`` (print resolution) and ``<name>.svg``, in one kaleido session."""
    os.environ.setdefault("BROWSER_PATH", CHROMIUM)
    import kaleido  # noqa: PLC0415  (imported late: it starts Chromium and needs BROWSER_PATH set first)

    with tempfile.TemporaryDirectory() as folder:
        jobs = []
        for chart in chart_list:
            figure = go.Figure(chart.figure)
            figure.update_layout(width=IMAGE_WIDTH, height=IMAGE_HEIGHT, font={"family": charts.FONT_FAMILY})
            size = {"width": IMAGE_WIDTH, "height": IMAGE_HEIGHT}
            jobs.append({"fig": figure, "path": f"{folder}/{chart.name}.png", "opts": {**size, "scale": IMAGE_SCALE}})
            jobs.append({"fig": figure, "path": f"{folder}/{chart.name}.svg", "opts": {**size, "format": "svg"}})
        kaleido.write_fig_from_object_sync(jobs)
        return {Path(job["path"]).name: Path(job["path"]).read_bytes() for job in jobs}


def _font(run: Any, size: float | None = None, bold: bool = False, colour: str | None = None) -> None:
    """Set Latin and East Asian typefaces so Japanese is set in a Japanese font, not a fallback."""
    from pptx.dml.color import RGBColor  # noqa: PLC0415
    from pptx.oxml.ns import qn  # noqa: PLC0415
    from pptx.util import Pt  # noqa: PLC0415

    run.font.name = FONT
    properties = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = properties.find(qn(tag))
        if element is None:
            element = properties.makeelement(qn(tag), {})
            properties.append(element)
        element.set("typeface", FONT)
    if size:
        run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def _text(frame: Any, lines: list[str], size: float, bold_first: bool = False) -> None:
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = line
        _font(run, size, bold=bold_first and i == 0)


def pptx(pack: Content, images: dict[str, bytes]) -> bytes:
    """The deck: title, key figures, progress, projection, countries, technologies, top projects, notes."""
    from pptx import Presentation  # noqa: PLC0415
    from pptx.util import Inches, Pt  # noqa: PLC0415

    t = translator(pack.lang)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    def slide(title: str) -> Any:
        page = deck.slides.add_slide(blank)
        box = page.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9))
        box.name = "Title"
        _text(box.text_frame, [title], 28, bold_first=True)
        footer = page.shapes.add_textbox(Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4))
        _text(footer.text_frame, [t("briefing.footer", scope=pack.scope, as_of=pack.as_of)], 10)
        return page

    def picture(page: Any, name: str, left: float, top: float, width: float) -> None:
        page.shapes.add_picture(io.BytesIO(images[f"{name}.png"]), Inches(left), Inches(top), width=Inches(width))

    first = slide(t("briefing.deck_title"))
    body = first.shapes.add_textbox(Inches(0.5), Inches(2.0), Inches(12.3), Inches(3.5))
    _text(
        body.text_frame,
        [pack.scope, t("briefing.as_of", as_of=pack.as_of), t("briefing.generated", date=pack.generated)],
        20,
    )

    figures = slide(t("briefing.slide_key_figures"))
    rows = len(pack.key_figures)
    table = figures.shapes.add_table(rows, 3, Inches(0.5), Inches(1.2), Inches(12.3), Inches(0.3 * rows))
    table.name = "Key figures"
    for row, card in enumerate(pack.key_figures):
        note = _card_note(card)
        for column, (text, size, bold) in enumerate(
            ((card.label, 11, False), (card.value, 13, True), (note, 9, False))
        ):
            cell = table.table.cell(row, column)
            cell.text_frame.paragraphs[0].text = ""
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = text
            _font(run, size, bold=bold)
    table.table.columns[0].width, table.table.columns[1].width = Inches(5.0), Inches(2.6)
    table.table.columns[2].width = Inches(4.7)
    basis = figures.shapes.add_textbox(Inches(0.5), Inches(6.35), Inches(12.3), Inches(0.6))
    _text(basis.text_frame, [pack.basis_note], 10)

    # The gap at true scale first, then the log view of the history's shape, each with how to read it.
    progress = slide(t("briefing.slide_progress"))
    picture(progress, "required", 0.4, 1.1, 6.2)
    picture(progress, "progress", 6.75, 1.1, 6.2)
    side = progress.shapes.add_textbox(Inches(0.5), Inches(4.75), Inches(12.3), Inches(2.1))
    _text(
        side.text_frame,
        [
            *pack.findings[1:2],
            t("overview.read_true_scale").replace("**", ""),
            t("overview.log_note").replace("**", "").split(". ", 3)[0] + ".",
        ],
        11,
    )

    outlook = slide(t("briefing.slide_projection"))
    picture(outlook, "projection", 0.5, 1.2, 8.6)
    side = outlook.shapes.add_textbox(Inches(9.3), Inches(1.4), Inches(3.6), Inches(5.0))
    _text(side.text_frame, pack.outlook_lines, 13)

    for key, name in (("briefing.slide_countries", "countries"), ("briefing.slide_technologies", "technologies")):
        page = slide(t(key))
        picture(page, name, 1.6, 1.2, 10.1)

    top = slide(t("briefing.slide_top_projects"))
    rows, columns = pack.top_projects.shape
    grid = top.shapes.add_table(rows + 1, columns, Inches(0.5), Inches(1.3), Inches(12.3), Inches(0.4 * (rows + 1)))
    widths = [1.0, 5.3, 1.6, 1.6, 1.4, 1.4]
    for c, header in enumerate(pack.top_projects.columns):
        grid.table.columns[c].width = Inches(widths[c])
        cell = grid.table.cell(0, c)
        run = cell.text_frame.paragraphs[0].add_run()
        run.text = str(header)
        _font(run, 11, bold=True)
    for r, record in enumerate(pack.top_projects.itertuples(index=False), start=1):
        for c, value in enumerate(record):
            cell = grid.table.cell(r, c)
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = "" if value is None else str(value)
            _font(run, 10)
    if rows == 0:
        _text(
            top.shapes.add_textbox(Inches(0.5), Inches(2), Inches(12), Inches(1)).text_frame,
            [t("projects.nothing_matches")],
            14,
        )

    notes = slide(t("briefing.slide_notes"))
    box = notes.shapes.add_textbox(Inches(0.5), Inches(1.2), Inches(12.3), Inches(2.6))
    _text(box.text_frame, pack.notes, 12)
    box = notes.shapes.add_textbox(Inches(0.5), Inches(3.9), Inches(12.3), Inches(3.0))
    _text(box.text_frame, [t("briefing.sources_heading"), *pack.sources], 8, bold_first=True)
    for run in box.text_frame.paragraphs[0].runs:
        run.font.size = Pt(12)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _card_note(card: headline.Card) -> str:
    """A card's muted line and its source's name, as the deck and the one-pager print them."""
    return " · ".join(part for part in (card.note, card.link[0] if card.link else "") if part)


def pdf_html(pack: Content, images: dict[str, bytes]) -> str:
    """The one-pager as HTML (A4): key figures, the progress chart, three findings, sources."""
    t = translator(pack.lang)
    esc = html.escape
    figures = "".join(
        f'<div class="card"><div class="label">{esc(card.label)}</div><div class="value">{esc(card.value)}</div>'
        f'<div class="sub">{esc(_card_note(card))}</div></div>'
        for card in pack.pdf_figures
    )
    findings = "".join(f"<li>{esc(text)}</li>" for text in pack.findings)
    shown = pack.sources[:PDF_SOURCES]
    more = len(pack.sources) - len(shown)
    sources = "".join(f"<li>{esc(url)}</li>" for url in shown)
    if more > 0:
        sources += f"<li>{esc(t('briefing.more_sources', n=more))}</li>"
    svg = images["required.svg"].decode("utf-8")
    return f"""<!doctype html>
<html lang="{pack.lang}"><head><meta charset="utf-8"><title>{esc(t("briefing.pdf_title"))}</title>
<style>
@page {{ size: A4; margin: 11mm 12mm; }}
body {{ font-family: "{FONT}", "Noto Sans", sans-serif; font-size: 9.5pt; color: #1a1a1a; margin: 0;
  font-variant-ligatures: none; }}
h1 {{ font-size: 17pt; margin: 0 0 2pt; }}
h2 {{ font-size: 11pt; margin: 8pt 0 3pt; }}
.scope {{ color: #444; margin-bottom: 6pt; }}
.cards {{ display: grid; grid-template-columns: repeat(4, 1fr); gap: 3pt; }}
.card {{ border: 1px solid #ccd; border-radius: 4pt; padding: 3pt 5pt; }}
.label {{ font-size: 7pt; color: #555; }} .value {{ font-size: 11.5pt; font-weight: bold; }}
.sub {{ font-size: 6.5pt; color: #666; }}
.chart svg {{ width: 80%; height: auto; display: block; margin: 0 auto; }}
ol {{ margin: 0; padding-left: 16pt; }} li {{ margin-bottom: 2pt; }}
.sources {{ font-size: 6.5pt; color: #444; word-break: break-all; }}
.note {{ font-size: 7.5pt; color: #555; }}
</style></head><body>
<h1>{esc(t("briefing.pdf_title"))}</h1>
<div class="scope">{esc(pack.scope)} {esc(t("briefing.as_of", as_of=pack.as_of))}</div>
<div class="cards">{figures}</div>
<p class="note">{esc(pack.basis_note)}</p>
<div class="chart">{svg}</div>
<h2>{esc(t("briefing.findings_heading"))}</h2>
<ol>{findings}</ol>
<p class="note">{esc(pack.notes[1])}</p>
<h2>{esc(t("briefing.sources_heading"))}</h2>
<ul class="sources">{sources}</ul>
</body></html>"""


def pdf(pack: Content, images: dict[str, bytes]) -> bytes:
    """The one-pager printed to PDF by headless Chromium (fonts embedded, text extractable)."""
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "briefing.html"
        out = Path(folder) / "briefing.pdf"
        page.write_text(pdf_html(pack, images), encoding="utf-8")
        command = [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--user-data-dir={folder}/profile",
            f"--print-to-pdf={out}",
            page.as_uri(),
        ]
        finished = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if not out.exists():
            raise RuntimeError(f"Chromium ({CHROMIUM}) did not print the PDF: {finished.stderr.strip()[-500:]}")
        # Chromium's text map gives shared CJK glyphs their look-alike code points (⽇ for 日): fixed here.
        return pdf_text.fix_text(out.read_bytes())


@dataclass
class Pack:
    """The generated files: name → bytes."""

    stem: str
    files: dict[str, bytes]

    def write(self, folder: Path) -> list[Path]:
        """Write every file into ``folder`` (created if needed); return their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in self.files.items():
            path = folder / name
            path.write_bytes(data)
            written.append(path)
        return written

    def zip(self) -> bytes:
        """All files in one ZIP archive (for a single download)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                archive.writestr(name, data)
        return buffer.getvalue()


def build(
    con: duckdb.DuckDBPyConnection,
    filters: queries.Filters,
    overrides: dict[str, Any] | None = None,
    lang: str = "en",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> Pack:
    """Compute, render and assemble the whole pack; ``progress`` is told each step (in ``lang``)."""
    t = translator(lang)
    report = progress or (lambda _message: None)
    report(t("briefing.step_figures"))
    pack = content(con, filters, overrides, lang, today)
    report(t("briefing.step_images", n=len(pack.charts)))
    images = render_images(pack.charts)
    stem = f"{exports.file_stem('briefing', pack.file_scope, pack.as_of)}_{pack.lang}"
    files = {f"{stem}_{name}": data for name, data in images.items()}
    report(t("briefing.step_pptx"))
    files[f"{stem}.pptx"] = pptx(pack, images)
    report(t("briefing.step_pdf"))
    files[f"{stem}.pdf"] = pdf(pack, images)
    return Pack(stem, dict(sorted(files.items())))
