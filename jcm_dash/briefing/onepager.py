"""The pack's one-page PDF: an A4 HTML page printed by headless Chromium.

Chromium sets Japanese in Noto Sans CJK JP and embeds the font; its text map is then fixed so the
text extracts as written (jcm_dash.pdf_text). Every text from the data is escaped: it is text, never
markup. An optional section (``contents.Section``) adds its title and first paragraph before the
sources (``_section_html``).
"""

from __future__ import annotations

import html
import subprocess
import tempfile
from pathlib import Path

from jcm_dash import pdf_text
from jcm_dash.briefing.contents import Content, Section
from jcm_dash.briefing.deck import FONT, card_note
from jcm_dash.briefing.images import CHROMIUM, ONEPAGER_CHART, ONEPAGER_PREFIX
from jcm_dash.i18n import translator

PDF_SOURCES = 8
# The page has no room to spare: each optional section's paragraph takes the place of this many
# source lines (the rest are counted in "and N more"), so the one-pager stays one page
# (tests/test_briefing.py::test_the_article6_slide_appears_only_when_asked_for).
SOURCES_PER_SECTION = 5
# ... and the chart gives up this share of its width (its text then prints a little smaller).
CHART_SHARE_PER_SECTION = 0.15

esc = html.escape


def _section_html(section: Section) -> str:
    """An optional section as the one-pager prints it: a heading and one short paragraph."""
    return f"<h2>{esc(section.title)}</h2><p>{esc(section.paragraphs[0]) if section.paragraphs else ''}</p>"


def pdf_html(pack: Content, images: dict[str, bytes]) -> str:
    """The one-pager as HTML (A4): key figures, the progress chart, three findings, sources."""
    t = translator(pack.lang)
    # Each group of cards under its heading; a group of one or two cards takes half the width,
    # so two small groups share a row.
    figures = "".join(
        f'<div class="group{" half" if len(cards) <= 2 else ""}"><h3>{esc(heading)}</h3><div class="cards">'
        + "".join(
            f'<div class="card"><div class="label">{esc(card.label)}</div><div class="value">{esc(card.value)}</div>'
            f'<div class="sub">{esc(card_note(card))}</div></div>'
            for card in cards
        )
        + "</div></div>"
        for heading, cards in pack.pdf_groups
    )
    findings = "".join(f"<li>{esc(text)}</li>" for text in pack.findings)
    sections = "".join(_section_html(section) for section in pack.sections)
    shown = pack.sources[: max(2, PDF_SOURCES - SOURCES_PER_SECTION * len(pack.sections))]
    more = len(pack.sources) - len(shown)
    # One run of text, not a list: the sources take two or three lines, not one each.
    sources = " · ".join(esc(url) for url in shown)
    if more > 0:
        sources += f" · {esc(t('briefing.more_sources', n=more))}"
    chart_width = max(60, round(100 * (1 - CHART_SHARE_PER_SECTION * len(pack.sections))))
    chart = next(c for c in pack.charts if c.name == ONEPAGER_CHART)
    svg = images[f"{ONEPAGER_PREFIX}{ONEPAGER_CHART}.svg"].decode("utf-8")
    return f"""<!doctype html>
<html lang="{pack.lang}"><head><meta charset="utf-8"><title>{esc(t("briefing.pdf_title"))}</title>
<style>
@page {{ size: A4; margin: 9mm 12mm; }}
body {{ font-family: "{FONT}", "Noto Sans", sans-serif; font-size: 9.5pt; color: #1a1a1a; margin: 0;
  font-variant-ligatures: none; }}
h1 {{ font-size: 17pt; margin: 0 0 2pt; }}
h2 {{ font-size: 11pt; margin: 6pt 0 2pt; }}
.scope {{ color: #444; margin-bottom: 3pt; }}
.groups {{ display: flex; flex-wrap: wrap; column-gap: 6pt; }}
.group {{ flex: 1 1 100%; }} .group.half {{ flex: 1 1 40%; }}
.group h3 {{ font-size: 9pt; margin: 2pt 0 1pt; }}
.cards {{ display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 3pt; }}
.half .cards {{ grid-template-columns: repeat(2, minmax(0, 1fr)); }}
.card {{ border: 1px solid #ccd; border-radius: 4pt; padding: 3pt 5pt; }}
.label {{ font-size: 7pt; color: #555; }} .value {{ font-size: 11.5pt; font-weight: bold; }}
.sub {{ font-size: 6.5pt; color: #666; }}
/* The chart spans the column: its text then prints at 10.4 pt (images.ONEPAGER_WIDTH). */
.chart svg {{ width: {chart_width}%; height: auto; display: block; margin: 0 auto; }}
/* Japanese breaks between phrases (Chromium's auto-phrase), never inside a word or before 。、）. */
:lang(ja) .label, :lang(ja) .sub, :lang(ja) h3, :lang(ja) li, :lang(ja) p {{
  word-break: auto-phrase; line-break: strict; }}
ol {{ margin: 0; padding-left: 16pt; }} li {{ margin-bottom: 2pt; }}
.sources {{ font-size: 6.5pt; color: #444; word-break: break-all; margin: 0; }}
.note {{ font-size: 7.5pt; color: #555; }}
/* A section's paragraph (the only p right after a heading; the sources' own class wins over this). */
h2 + p {{ font-size: 8.5pt; margin: 0; }}
</style></head><body>
<h1>{esc(t("briefing.pdf_title"))}</h1>
<div class="scope">{esc(pack.scope)} {esc(t("briefing.as_of", as_of=pack.as_of))}</div>
<div class="groups">{figures}</div>
<p class="note">{esc(pack.basis_note)}</p>
<h2>{esc(chart.title)}</h2>
<div class="chart">{svg}</div>
<h2>{esc(t("briefing.findings_heading"))}</h2>
<ol>{findings}</ol>
<p class="note">{esc(pack.notes[1])}</p>
{sections}
<h2>{esc(t("briefing.sources_heading"))}</h2>
<p class="sources">{sources}</p>
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
