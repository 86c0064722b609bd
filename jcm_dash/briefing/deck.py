"""The pack as a PPTX deck (16:9): one function per slide, in the order of SLIDES.

Text is set in Noto Sans CJK JP for Latin and East Asian runs alike, so Japanese is never drawn
in a fallback font. An optional section (``contents.Section``) gets a slide of its own before the
notes (``_section_slide``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from jcm_dash import headline
from jcm_dash.briefing.contents import Content, Section
from jcm_dash.i18n import Translator, translator

FONT = "Noto Sans CJK JP"
Box = tuple[float, float, float, float]  # left, top, width, height (inches)


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


def card_note(card: headline.Card) -> str:
    """A card's muted line and its source's name, as the deck and the one-pager print them."""
    return " · ".join(part for part in (card.note, card.link[0] if card.link else "") if part)


class Deck:
    """The presentation being built, with the pack it shows and the helpers every slide uses."""

    def __init__(self, pack: Content, images: dict[str, bytes]) -> None:
        """Start an empty 16:9 deck for ``pack`` with its rendered ``images`` (name → bytes)."""
        from pptx import Presentation  # noqa: PLC0415
        from pptx.util import Inches  # noqa: PLC0415

        self.pack = pack
        self.images = images
        self.t: Translator = translator(pack.lang)
        self.presentation = Presentation()
        self.presentation.slide_width, self.presentation.slide_height = Inches(13.333), Inches(7.5)
        self._blank = self.presentation.slide_layouts[6]

    def slide(self, title: str) -> Any:
        """A new slide with ``title`` and the footer (scope and data date)."""
        from pptx.util import Inches  # noqa: PLC0415

        page = self.presentation.slides.add_slide(self._blank)
        box = page.shapes.add_textbox(Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9))
        box.name = "Title"
        _text(box.text_frame, [title], 28, bold_first=True)
        footer = page.shapes.add_textbox(Inches(0.5), Inches(7.0), Inches(12.3), Inches(0.4))
        _text(footer.text_frame, [self.t("briefing.footer", scope=self.pack.scope, as_of=self.pack.as_of)], 10)
        return page

    def text(self, page: Any, place: Box, lines: list[str], size: float, bold_first: bool = False) -> Any:
        """A text box at ``place`` (left, top, width, height in inches) holding ``lines`` at ``size`` pt."""
        from pptx.util import Inches  # noqa: PLC0415

        box = page.shapes.add_textbox(*(Inches(v) for v in place))
        _text(box.text_frame, lines, size, bold_first=bold_first)
        return box

    def picture(self, page: Any, name: str, left: float, top: float, width: float) -> None:
        """The chart ``name``'s PNG at (``left``, ``top``) inches, ``width`` inches wide."""
        from pptx.util import Inches  # noqa: PLC0415

        page.shapes.add_picture(io.BytesIO(self.images[f"{name}.png"]), Inches(left), Inches(top), width=Inches(width))

    def save(self) -> bytes:
        """The deck as PPTX bytes."""
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        return buffer.getvalue()


def _title_slide(deck: Deck) -> None:
    t, pack = deck.t, deck.pack
    first = deck.slide(t("briefing.deck_title"))
    deck.text(
        first,
        (0.5, 2.0, 12.3, 3.5),
        [pack.scope, t("briefing.as_of", as_of=pack.as_of), t("briefing.generated", date=pack.generated)],
        20,
    )


def _key_figures_slide(deck: Deck) -> None:
    from pptx.util import Inches  # noqa: PLC0415

    t, pack = deck.t, deck.pack
    figures = deck.slide(t("briefing.slide_key_figures"))
    rows = len(pack.key_figures)
    table = figures.shapes.add_table(rows, 3, Inches(0.5), Inches(1.2), Inches(12.3), Inches(0.3 * rows))
    table.name = "Key figures"
    for row, card in enumerate(pack.key_figures):
        note = card_note(card)
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
    deck.text(figures, (0.5, 6.35, 12.3, 0.6), [pack.basis_note], 10)


def _progress_slide(deck: Deck) -> None:
    # The gap at true scale first, then the log view of the history's shape, each with how to read it.
    t, pack = deck.t, deck.pack
    progress = deck.slide(t("briefing.slide_progress"))
    deck.picture(progress, "required", 0.4, 1.1, 6.2)
    deck.picture(progress, "progress", 6.75, 1.1, 6.2)
    deck.text(
        progress,
        (0.5, 4.75, 12.3, 2.1),
        [
            *pack.findings[1:2],
            t("overview.read_true_scale").replace("**", ""),
            t("overview.log_note").replace("**", "").split(". ", 3)[0] + ".",
        ],
        11,
    )


def _projection_slide(deck: Deck) -> None:
    outlook = deck.slide(deck.t("briefing.slide_projection"))
    deck.picture(outlook, "projection", 0.5, 1.2, 8.6)
    deck.text(outlook, (9.3, 1.4, 3.6, 5.0), deck.pack.outlook_lines, 13)


def _countries_slide(deck: Deck) -> None:
    page = deck.slide(deck.t("briefing.slide_countries"))
    deck.picture(page, "countries", 1.6, 1.2, 10.1)


def _technologies_slide(deck: Deck) -> None:
    page = deck.slide(deck.t("briefing.slide_technologies"))
    deck.picture(page, "technologies", 1.6, 1.2, 10.1)


def _top_projects_slide(deck: Deck) -> None:
    from pptx.util import Inches  # noqa: PLC0415

    t, pack = deck.t, deck.pack
    top = deck.slide(t("briefing.slide_top_projects"))
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
        deck.text(top, (0.5, 2, 12, 1), [t("projects.nothing_matches")], 14)


def _section_slide(deck: Deck, section: Section) -> None:
    """An optional section: its chart on the left (when it has one) and its paragraphs beside it."""
    page = deck.slide(section.title)
    if section.chart is not None:
        deck.picture(page, section.chart.name, 0.5, 1.2, 8.6)
        deck.text(page, (9.3, 1.4, 3.6, 5.0), section.paragraphs, 13)
    else:
        deck.text(page, (0.5, 1.3, 12.3, 5.5), section.paragraphs, 16)


def _sections_slides(deck: Deck) -> None:
    for section in deck.pack.sections:
        _section_slide(deck, section)


def _notes_slide(deck: Deck) -> None:
    from pptx.util import Pt  # noqa: PLC0415

    t, pack = deck.t, deck.pack
    notes = deck.slide(t("briefing.slide_notes"))
    deck.text(notes, (0.5, 1.2, 12.3, 2.6), pack.notes, 12)
    box = deck.text(notes, (0.5, 3.9, 12.3, 3.0), [t("briefing.sources_heading"), *pack.sources], 8, bold_first=True)
    for run in box.text_frame.paragraphs[0].runs:
        run.font.size = Pt(12)


# The deck's slides in order; the optional sections come after the tables, before the notes.
SLIDES: tuple[Callable[[Deck], None], ...] = (
    _title_slide,
    _key_figures_slide,
    _progress_slide,
    _projection_slide,
    _countries_slide,
    _technologies_slide,
    _top_projects_slide,
    _sections_slides,
    _notes_slide,
)


def pptx(pack: Content, images: dict[str, bytes]) -> bytes:
    """The deck: title, key figures, progress, projection, countries, technologies, top projects, notes."""
    deck = Deck(pack, images)
    for build_slide in SLIDES:
        build_slide(deck)
    return deck.save()
