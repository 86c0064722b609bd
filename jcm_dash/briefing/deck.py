"""The pack as a PPTX deck (16:9): one function per slide, in the order of SLIDES.

Text is set in Noto Sans CJK JP for Latin and East Asian runs alike, so Japanese is never drawn
in a fallback font. Text never leaves a slide: each text box and table row is given the height
its text needs (``text_height``), and a table or list that needs more room than one slide has
continues on the next, titled "(2/3)" and so on. An optional section (``contents.Section``) gets
a slide of its own before the notes (``_section_slide``).
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Callable
from typing import Any

from jcm_dash import headline
from jcm_dash.briefing.contents import Content, Section
from jcm_dash.i18n import Translator, translator

FONT = "Noto Sans CJK JP"
Box = tuple[float, float, float, float]  # left, top, width, height (inches)
SLIDE_WIDTH, SLIDE_HEIGHT = 13.333, 7.5
LEFT, WIDTH = 0.5, 12.3  # the body's left edge and width
BODY_TOP, BODY_BOTTOM = 1.25, 6.9  # below the title, above the footer (at 7.0 in)
# How much room text takes, for laying it out (PowerPoint wraps it when it opens the file):
# a Latin character about 0.6 em in Noto Sans (its mean is nearer 0.55), a CJK one 1 em, lines
# 1.2 em apart, and 10% of each line left for word-wrap waste; boxes have 0.1 in insets.
LATIN_EM, LINE_SPACING, WRAP_WASTE = 0.6, 1.2, 0.9
INSET_X, INSET_Y = 0.1, 0.05
CELL_MARGIN_Y = 0.04
Paragraph = tuple[str, float, bool]  # text, size (pt), bold


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


def _ems(text: str) -> float:
    """The width of ``text`` in ems: CJK and full-width characters 1 em, others LATIN_EM."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else LATIN_EM for c in text)


def text_height(paragraphs: list[Paragraph], width: float, inset_y: float = INSET_Y) -> float:
    """The height (inches) ``paragraphs`` take in a box ``width`` inches wide, insets included."""
    usable = (width - 2 * INSET_X) * 72 * WRAP_WASTE
    points = 0.0
    for text, size, _bold in paragraphs:
        lines = sum(max(1, math.ceil(_ems(line) * size / usable)) for line in (text.splitlines() or [""]))
        points += lines * size * LINE_SPACING
    return points / 72 + 2 * inset_y


def pages(heights: list[float], room: float) -> list[list[int]]:
    """Indices of items of ``heights`` filled into pages of ``room`` inches, in order (at least one page).

    An item taller than a whole page gets a page of its own (it is cut only by what PowerPoint does).
    """
    filled: list[list[int]] = [[]]
    used = 0.0
    for i, height in enumerate(heights):
        if filled[-1] and used + height > room:
            filled.append([])
            used = 0.0
        filled[-1].append(i)
        used += height
    return filled


def card_note(card: headline.Card) -> str:
    """A card's muted line and its source's name, as the deck and the one-pager print them."""
    return " · ".join(part for part in (card.note, card.link[0] if card.link else "") if part)


# A table row: its cells, or one heading (text, size) spanning every column.
Row = list[Paragraph] | tuple[str, float]
HEADING_FILL = "DCE6F0"


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
        self.presentation.slide_width, self.presentation.slide_height = Inches(SLIDE_WIDTH), Inches(SLIDE_HEIGHT)
        self._blank = self.presentation.slide_layouts[6]

    def slide(self, title: str, page: int = 1, of: int = 1) -> Any:
        """A new slide with ``title`` ("title (2/3)" when a part of several) and the footer."""
        page_slide = self.presentation.slides.add_slide(self._blank)
        heading = title if of == 1 else self.t("briefing.slide_part", title=title, page=page, pages=of)
        self.text(page_slide, (LEFT, 0.2, WIDTH, 1.0), [heading], 26, bold_first=True).name = "Title"
        footer = self.t("briefing.footer", scope=self.pack.scope, as_of=self.pack.as_of)
        self.text(page_slide, (LEFT, 7.0, WIDTH, 0.45), [footer], 10).name = "Footer"
        return page_slide

    def text(self, page: Any, place: Box, lines: list[str], size: float, bold_first: bool = False) -> Any:
        """A text box at ``place`` (left, top, width, height in inches) holding ``lines`` at ``size`` pt."""
        return self.paragraphs(page, place, [(line, size, bold_first and i == 0) for i, line in enumerate(lines)])

    def paragraphs(self, page: Any, place: Box, paragraphs: list[Paragraph]) -> Any:
        """A text box at ``place`` holding ``paragraphs``, each at its own size and weight."""
        from pptx.enum.text import MSO_AUTO_SIZE  # noqa: PLC0415
        from pptx.util import Inches  # noqa: PLC0415

        box = page.shapes.add_textbox(*(Inches(v) for v in place))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.NONE
        for i, (line, size, bold) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = line
            _font(run, size, bold=bold)
        return box

    def picture(self, page: Any, name: str, left: float, top: float, width: float) -> Any:
        """The chart ``name``'s PNG at (``left``, ``top``) inches, ``width`` inches wide."""
        from pptx.util import Inches  # noqa: PLC0415

        return page.shapes.add_picture(
            io.BytesIO(self.images[f"{name}.png"]), Inches(left), Inches(top), width=Inches(width)
        )

    def table(self, page: Any, top: float, widths: list[float], header: list[Paragraph], rows: list[Row]) -> float:
        """A table at ``top`` with a header row and ``rows``, each as tall as its text needs; returns its bottom."""
        from pptx.dml.color import RGBColor  # noqa: PLC0415
        from pptx.util import Inches  # noqa: PLC0415

        all_rows: list[Row] = [header, *rows]
        heights = [row_height(row, widths) for row in all_rows]
        shape = page.shapes.add_table(
            len(all_rows), len(widths), Inches(LEFT), Inches(top), Inches(sum(widths)), Inches(sum(heights))
        )
        grid = shape.table
        grid.first_row = True  # the header row is styled as one (bold, filled), not the first figure
        for c, width in enumerate(widths):
            grid.columns[c].width = Inches(width)
        for r, (row, height) in enumerate(zip(all_rows, heights, strict=True)):
            grid.rows[r].height = Inches(height)
            cells = [(row[0], row[1], True)] if isinstance(row, tuple) else row
            if isinstance(row, tuple):
                grid.cell(r, 0).merge(grid.cell(r, len(widths) - 1))
                grid.cell(r, 0).fill.solid()
                grid.cell(r, 0).fill.fore_color.rgb = RGBColor.from_string(HEADING_FILL)
            for c, (text, size, bold) in enumerate(cells):
                cell = grid.cell(r, c)
                cell.margin_top = cell.margin_bottom = Inches(CELL_MARGIN_Y)
                frame = cell.text_frame
                frame.word_wrap = True
                frame.paragraphs[0].text = ""
                run = frame.paragraphs[0].add_run()
                run.text = text
                _font(run, size, bold=bold)
        return top + sum(heights)

    def save(self) -> bytes:
        """The deck as PPTX bytes."""
        buffer = io.BytesIO()
        self.presentation.save(buffer)
        return buffer.getvalue()


def row_height(row: Row, widths: list[float]) -> float:
    """The height (inches) a table row needs: its tallest cell (a heading spans every column)."""
    if isinstance(row, tuple):
        return text_height([(row[0], row[1], True)], sum(widths), CELL_MARGIN_Y)
    return max(text_height([cell], width, CELL_MARGIN_Y) for cell, width in zip(row, widths, strict=True))


def _table_slides(
    deck: Deck,
    title: str,
    widths: list[float],
    header: list[Paragraph],
    rows: list[Row],
    after: list[Paragraph] | None = None,
) -> None:
    """``rows`` as a table over as many slides as they need, the header on each; ``after`` under the last part.

    A group heading (a tuple row) that would end a slide moves to the next, and a slide that starts
    inside a group repeats the group's heading. When ``after`` does not fit under the last rows,
    the last group (or the rows that make room) moves on with it.
    """
    after = after or []
    note_height = text_height(after, WIDTH) + 0.1 if after else 0.0
    room = BODY_BOTTOM - BODY_TOP - row_height(header, widths)
    heights = [row_height(row, widths) for row in rows]
    parts: list[list[Row]] = []
    current: list[Row] = []
    used = 0.0
    group: Row | None = None
    for row, height in zip(rows, heights, strict=True):
        if isinstance(row, tuple):
            group = row
        starts_group = isinstance(row, tuple)
        needed = height + (0.0 if not starts_group else min(heights))  # a heading keeps one row with it
        if current and used + needed > room:
            parts.append(current)
            current, used = [], 0.0
            if group is not None and not starts_group:
                current.append(group)
                used += row_height(group, widths)
        current.append(row)
        used += height
    if current and after and used + note_height > room:
        # The note does not fit under the last rows: rows move on with it until it fits, then on to
        # the start of their group, so no slide holds a note alone and no group is cut needlessly.
        grouped = any(isinstance(row, tuple) for row in current)
        moved: list[Row] = []

        def rows_left() -> int:
            return sum(not isinstance(row, tuple) for row in current)

        while rows_left() > 1 and (used + note_height > room or (grouped and not isinstance(moved[0], tuple))):
            row = current.pop()
            used -= row_height(row, widths)
            moved.insert(0, row)
        heading = next((row for row in reversed(current) if isinstance(row, tuple)), None)
        if moved and not isinstance(moved[0], tuple) and heading is not None:
            moved.insert(0, heading)  # the group began on this slide: its heading is repeated
        parts.append(current)
        current = moved
    parts.append(current)
    for number, part in enumerate(parts, start=1):
        page = deck.slide(title, number, len(parts))
        bottom = deck.table(page, BODY_TOP, widths, header, part) if part else BODY_TOP
        if number == len(parts) and after:
            deck.paragraphs(page, (LEFT, bottom + 0.1, WIDTH, text_height(after, WIDTH)), after)


def _title_slide(deck: Deck) -> None:
    t, pack = deck.t, deck.pack
    first = deck.slide(t("briefing.deck_title"))
    lines = [pack.scope, t("briefing.as_of", as_of=pack.as_of), t("briefing.generated", date=pack.generated)]
    deck.text(first, (LEFT, 2.0, WIDTH, 3.5), lines, 20)


def _key_figures_slide(deck: Deck) -> None:
    """Every key figure under a heading saying what it covers (the scope's own, the national targets)."""
    t, pack = deck.t, deck.pack
    header = [
        (t("briefing.col_figure"), 12, True),
        (t("briefing.col_value"), 12, True),
        (t("briefing.col_note"), 12, True),
    ]
    rows: list[Row] = []
    for heading, cards in pack.figure_groups:
        rows.append((heading, 12))
        rows += [[(card.label, 12, False), (card.value, 14, True), (card_note(card), 10, False)] for card in cards]
    _table_slides(deck, t("briefing.slide_key_figures"), [4.4, 2.7, 5.2], header, rows, [(pack.basis_note, 11, False)])


def _chart_slide(deck: Deck, title: str, chart: str, lines: list[str]) -> None:
    """A chart 8.6 inches wide with ``lines`` beside it (at a size that fits)."""
    page = deck.slide(title)
    deck.picture(page, chart, LEFT, BODY_TOP, 8.6)
    width, room = 3.6, BODY_BOTTOM - BODY_TOP - 0.15
    size = next(
        (s for s in (14, 13, 12, 11, 10) if text_height([(line, s, False) for line in lines], width) <= room), 10
    )
    deck.text(page, (9.3, BODY_TOP + 0.15, width, room), lines, size)


def _progress_slide(deck: Deck) -> None:
    # The gap at true scale first, then the log view of the history's shape, each with how to read it.
    t, pack = deck.t, deck.pack
    _chart_slide(
        deck,
        t("briefing.slide_progress"),
        "required",
        [*pack.findings[1:2], t("overview.read_true_scale").replace("**", "")],
    )


def _history_slide(deck: Deck) -> None:
    t = deck.t
    _chart_slide(deck, t("briefing.slide_history"), "progress", [t("briefing.history_note")])


def _projection_slide(deck: Deck) -> None:
    _chart_slide(deck, deck.t("briefing.slide_projection"), "projection", deck.pack.outlook_lines)


def _countries_slide(deck: Deck) -> None:
    """The top partners by credits itemized, and which partners the ranking leaves out."""
    page = deck.slide(deck.t("briefing.slide_countries"))
    deck.picture(page, "countries", 2.05, BODY_TOP, 9.2)  # 5.2 in tall: the note fits below
    note = deck.pack.countries_note
    if note:
        deck.text(page, (LEFT, 6.5, WIDTH, text_height([(note, 10, False)], WIDTH)), [note], 10)


def _technologies_slide(deck: Deck) -> None:
    page = deck.slide(deck.t("briefing.slide_technologies"))
    deck.picture(page, "technologies", 2.05, BODY_TOP, 9.2)


def _top_projects_slide(deck: Deck) -> None:
    t, pack = deck.t, deck.pack
    title = t("briefing.slide_top_projects")
    if pack.top_projects.empty:
        deck.text(deck.slide(title), (LEFT, 2, WIDTH, 1), [t("projects.nothing_matches")], 14)
        return
    header = [(str(column), 11, True) for column in pack.top_projects.columns]
    rows: list[Row] = [
        [("" if value is None else str(value), 10, False) for value in record]
        for record in pack.top_projects.itertuples(index=False)
    ]
    _table_slides(
        deck, title, [1.1, 5.0, 1.7, 1.7, 1.4, 1.4], header, rows, [(t("briefing.top_projects_note"), 10, False)]
    )


def _section_slide(deck: Deck, section: Section) -> None:
    """An optional section: its chart on the left (when it has one) and its paragraphs beside it."""
    if section.chart is not None:
        _chart_slide(deck, section.title, section.chart.name, section.paragraphs)
        return
    paragraphs = [(text, 16, False) for text in section.paragraphs]
    for number, part in enumerate(parts := _fill(paragraphs, WIDTH), start=1):
        page = deck.slide(section.title, number, len(parts))
        deck.paragraphs(page, (LEFT, BODY_TOP, WIDTH, BODY_BOTTOM - BODY_TOP), part)


def _sections_slides(deck: Deck) -> None:
    for section in deck.pack.sections:
        _section_slide(deck, section)


def _fill(paragraphs: list[Paragraph], width: float) -> list[list[Paragraph]]:
    """``paragraphs`` split into the parts that fit one slide's body each."""
    heights = [text_height([p], width, 0.0) for p in paragraphs]
    return [[paragraphs[i] for i in part] for part in pages(heights, BODY_BOTTOM - BODY_TOP - 2 * INSET_Y)]


def _notes_slide(deck: Deck) -> None:
    """The data notes, then every source, over as many slides as they need."""
    t, pack = deck.t, deck.pack
    paragraphs: list[Paragraph] = [
        *[(note, 12, False) for note in pack.notes],
        (t("briefing.sources_heading"), 12, True),
        *[(url, 10, False) for url in pack.sources],
    ]
    parts = _fill(paragraphs, WIDTH)
    for number, part in enumerate(parts, start=1):
        page = deck.slide(t("briefing.slide_notes"), number, len(parts))
        deck.paragraphs(page, (LEFT, BODY_TOP, WIDTH, BODY_BOTTOM - BODY_TOP), part)


# The deck's slides in order; the optional sections come after the tables, before the notes.
SLIDES: tuple[Callable[[Deck], None], ...] = (
    _title_slide,
    _key_figures_slide,
    _progress_slide,
    _history_slide,
    _projection_slide,
    _countries_slide,
    _technologies_slide,
    _top_projects_slide,
    _sections_slides,
    _notes_slide,
)


def pptx(pack: Content, images: dict[str, bytes]) -> bytes:
    """The deck: title, key figures, progress, history, projection, countries, technologies, top projects, notes."""
    deck = Deck(pack, images)
    for build_slide in SLIDES:
        build_slide(deck)
    return deck.save()
