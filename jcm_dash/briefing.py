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

from jcm_dash import charts, exports, headline, projections, queries, views
from jcm_dash.i18n import EN, Translator, translator
from jcm_dash.scope import describe

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
    key_figures: list[tuple[str, str, str]]
    findings: list[str]
    outlook_lines: list[str]
    charts: list[Chart]
    top_projects: pd.DataFrame
    notes: list[str]
    sources: list[str]
    summary: dict[str, Any] = field(default_factory=dict)


def _findings(
    country_table: pd.DataFrame, overview: dict[str, Any], outlook: pd.DataFrame, as_of_fy: int, t: Translator
) -> list[str]:
    """Three plain-language findings computed from the data: leading country, progress, outlook."""
    findings = []
    known = country_table[country_table["credits_issued_tco2"].fillna(0) > 0]
    if known.empty:
        findings.append(t("briefing.finding_no_credits"))
    else:
        top = known.sort_values("credits_issued_tco2", ascending=False).iloc[0]
        findings.append(
            t(
                "briefing.finding_country",
                country=t.country(top["iso3"], top["country"]),
                share=t.pct(float(top["share_of_issued_pct"])),
                amount=t.tco2(float(top["credits_issued_tco2"])),
                n=len(known),
            )
        )
    current = outlook[~outlook["is_superseded"]].sort_values("deadline_fy")
    progress = overview["target_progress"]
    for position, (_, target) in enumerate(current.iterrows()):
        deadline = int(target["deadline_fy"])
        label = charts.target_label(target["value_tco2"], target["value_tco2"], deadline, t)
        reached_fy = None if pd.isna(target["reached_fy"]) else int(target["reached_fy"])
        reached = projections.reached_label(reached_fy, as_of_fy, t)
        if position == 0:
            share = progress.loc[progress["target_name"] == target["target_name"], "pct_of_high"]
            rate = target["required_annual_tco2"]
            findings.append(
                t(
                    "briefing.finding_progress",
                    issued=t.tco2(overview["summary"]["credits_issued_tco2"]),
                    share=t.pct(float(share.iloc[0])) if len(share) else t("unit.unknown"),
                    target=label,
                    rate=t("projections.deadline_passed")
                    if pd.isna(rate)
                    else t.tco2(rate, t.per_year(), compact=True),
                )
            )
        elif position == 1:
            findings.append(
                t(
                    "briefing.finding_outlook",
                    target=label,
                    projected=t.tco2(target["projected_at_deadline_tco2"]),
                    reached=reached,
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
    top_countries = country_table.sort_values("credits_issued_tco2", ascending=False, na_position="last").head(
        TOP_COUNTRIES
    )
    chart_list = [
        Chart(
            "progress",
            t("chart.progress_title"),
            charts.progress_chart(
                overview["cumulative_issued"], overview["cumulative_expected"], overview["targets"], as_of_fy, t=t
            ),
        ),
        Chart("issued_by_fy", t("chart.issued_title"), charts.issued_chart(overview["cumulative_issued"], t)),
        Chart(
            "projection",
            t("chart.projection_title", fy=t.fy(2040)),
            charts.projection_chart(
                projection["actual"], projection["projection"], projection["targets"], projection["as_of_fy"], t=t
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
            t("projects.col_issued"): [t.number(v) for v in top["credits_issued_tco2"]],
            t("projects.col_expected"): [t.number(v) for v in top["expected_annual_reductions_tco2"]],
        }
    )

    notes = headline.data_notes(summary, overview["published"], t, "briefing.published")
    notes.append(t("briefing.method_note", method=t(f"method.{projection['method']}")))
    # Sources behind the figures, the most cited first (the one-pager has room for a few).
    cited = pd.concat([explorer["issuances"]["source_url"], explorer["projects"]["source_url"]]).dropna()
    sources = list(cited.value_counts(sort=True).index)
    return Content(
        lang=t.lang,
        scope=describe(filters, names, t),
        file_scope=describe(filters, names, EN),
        as_of=summary["as_of"],
        generated=(today or dt.date.today()).isoformat(),
        key_figures=headline.key_figures(summary, t),
        findings=_findings(country_table, overview, outlook, as_of_fy, t),
        outlook_lines=headline.outlook_lines(projection["outlook"], projection["as_of_fy"], t, "briefing.outlook_line"),
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
    table = figures.shapes.add_table(len(pack.key_figures), 3, Inches(0.5), Inches(1.4), Inches(12.3), Inches(5.2))
    table.name = "Key figures"
    for row, (label, value, note) in enumerate(pack.key_figures):
        for column, (text, size, bold) in enumerate(((label, 16, False), (value, 20, True), (note, 11, False))):
            cell = table.table.cell(row, column)
            cell.text_frame.paragraphs[0].text = ""
            run = cell.text_frame.paragraphs[0].add_run()
            run.text = text
            _font(run, size, bold=bold)
    table.table.columns[0].width, table.table.columns[1].width = Inches(3.3), Inches(3.2)
    table.table.columns[2].width = Inches(5.8)

    progress = slide(t("briefing.slide_progress"))
    picture(progress, "progress", 0.5, 1.2, 8.6)
    side = progress.shapes.add_textbox(Inches(9.3), Inches(1.4), Inches(3.6), Inches(5.0))
    _text(side.text_frame, pack.findings[1:2] + [t("overview.log_note").split("**")[0]], 13)

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
    _text(box.text_frame, [n.replace("**", "") for n in pack.notes], 12)
    box = notes.shapes.add_textbox(Inches(0.5), Inches(3.9), Inches(12.3), Inches(3.0))
    _text(box.text_frame, [t("briefing.sources_heading"), *pack.sources], 8, bold_first=True)
    for run in box.text_frame.paragraphs[0].runs:
        run.font.size = Pt(12)

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def pdf_html(pack: Content, images: dict[str, bytes]) -> str:
    """The one-pager as HTML (A4): key figures, the progress chart, three findings, sources."""
    t = translator(pack.lang)
    esc = html.escape
    figures = "".join(
        f'<div class="card"><div class="label">{esc(label)}</div><div class="value">{esc(value)}</div></div>'
        for label, value, _ in pack.key_figures
    )
    findings = "".join(f"<li>{esc(text)}</li>" for text in pack.findings)
    shown = pack.sources[:PDF_SOURCES]
    more = len(pack.sources) - len(shown)
    sources = "".join(f"<li>{esc(url)}</li>" for url in shown)
    if more > 0:
        sources += f"<li>{esc(t('briefing.more_sources', n=more))}</li>"
    svg = images["progress.svg"].decode("utf-8")
    return f"""<!doctype html>
<html lang="{pack.lang}"><head><meta charset="utf-8"><title>{esc(t("briefing.pdf_title"))}</title>
<style>
@page {{ size: A4; margin: 11mm 12mm; }}
body {{ font-family: "{FONT}", "Noto Sans", sans-serif; font-size: 9.5pt; color: #1a1a1a; margin: 0; }}
h1 {{ font-size: 17pt; margin: 0 0 2pt; }}
h2 {{ font-size: 11pt; margin: 8pt 0 3pt; }}
.scope {{ color: #444; margin-bottom: 6pt; }}
.cards {{ display: grid; grid-template-columns: repeat(3, 1fr); gap: 4pt; }}
.card {{ border: 1px solid #ccd; border-radius: 4pt; padding: 4pt 6pt; }}
.label {{ font-size: 8pt; color: #555; }} .value {{ font-size: 12.5pt; font-weight: bold; }}
.chart svg {{ width: 100%; height: auto; }}
ol {{ margin: 0; padding-left: 16pt; }} li {{ margin-bottom: 2pt; }}
.sources {{ font-size: 6.5pt; color: #444; word-break: break-all; }}
.note {{ font-size: 7.5pt; color: #555; }}
</style></head><body>
<h1>{esc(t("briefing.pdf_title"))}</h1>
<div class="scope">{esc(pack.scope)} {esc(t("briefing.as_of", as_of=pack.as_of))}</div>
<div class="cards">{figures}</div>
<div class="chart">{svg}</div>
<h2>{esc(t("briefing.findings_heading"))}</h2>
<ol>{findings}</ol>
<p class="note">{esc(pack.notes[0].replace("**", ""))}</p>
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
        return out.read_bytes()


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
