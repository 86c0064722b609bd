"""The briefing pack, written by the command: PPTX slides, the PDF one-pager, PNG and SVG charts, in en and ja."""

from __future__ import annotations

import html
import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from jcm_dash import briefing, i18n

from .conftest import read_only, run_cli, summary_json
from .oracle import REAL as oracle
from .oracle import published_value

SLIDE_KEYS = (
    "deck_title",
    "slide_key_figures",
    "slide_progress",
    "slide_history",
    "slide_projection",
    "slide_countries",
    "slide_technologies",
    "slide_top_projects",
    "slide_notes",
)
PART = re.compile(r"\s?[(（]\d+/\d+[)）]$")  # "Key figures (1/2)": a slide that continues on the next
CHARTS = ("required", "progress", "issued_by_fy", "projection", "countries", "technologies")
CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def write_pack(db: Path, out: Path, *args: str) -> dict[str, Path]:
    """Run ``briefing`` and return the written files by suffix (``.pptx``, ``_progress.png``, ...)."""
    result = run_cli("briefing", "--db", str(db), "--out", str(out), *args)
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert sorted(written) == sorted(out.iterdir())
    files = {}
    for path in written:
        match = re.search(r"_(en|ja)(_\w+)?\.(\w+)$", path.name)
        assert match, path.name
        files[(match.group(2) or "") + "." + match.group(3)] = path
    return files


@pytest.fixture(scope="module")
def english(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The English pack for the whole JCM."""
    return write_pack(real_db, tmp_path_factory.mktemp("pack_en"))


@pytest.fixture(scope="module")
def japanese(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The Japanese pack for Mongolia."""
    return write_pack(real_db, tmp_path_factory.mktemp("pack_ja"), "--lang", "ja", "--country", "MNG")


def slide_texts(path: Path) -> list[list[str]]:
    """Every slide's text: the title first, then the other shapes' text and table cells."""
    slides = []
    for slide in Presentation(str(path)).slides:
        texts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
        slides.append(texts)
    return slides


def slide_titles(path: Path) -> list[str]:
    """The slide titles with any "(1/2)" part mark removed, one per run of parts (the deck's sequence)."""
    titles = [PART.sub("", texts[0]) for texts in slide_texts(path)]
    return [title for i, title in enumerate(titles) if i == 0 or titles[i - 1] != title]


def slides_titled(path: Path, title: str) -> list[list[str]]:
    """The texts of every slide titled ``title`` (each of its parts)."""
    return [texts for texts in slide_texts(path) if PART.sub("", texts[0]) == title]


def pdf_text(path: Path) -> str:
    """The PDF's text exactly as pypdf extracts it (no normalisation: what a search or a copy gets)."""
    reader = PdfReader(str(path))
    assert len(reader.pages) == 1, "the one-pager is one page"
    return reader.pages[0].extract_text()


def key_figures(summary: dict, t: i18n.Translator) -> list[str]:
    """The deck's figures from ``summary --json``, as the cards write them."""
    return [
        t.amount(summary["credits_issued_tco2"]),
        t.amount(summary["japan_side_tco2"]),
        t.amount(summary["goj_share_tco2"]),
        f"{summary['projects_by_status']['registered']:,}",
        f"{summary['partner_countries']:,}",
        t.amount(summary["expected_annual_reductions_registered_tco2"], per_year=True),
    ]


def pdf_figures(summary: dict, t: i18n.Translator) -> list[str]:
    """The figures the one-pager prints (the answer at a glance, then the counts)."""
    return [
        t.amount(summary["credits_issued_tco2"]),
        f"{summary['projects_by_status']['registered']:,}",
        f"{summary['partner_countries']:,}",
    ]


def test_files_are_named_with_scope_date_and_language(english: dict[str, Path], japanese: dict[str, Path]) -> None:
    """One deck, one PDF and a PNG and an SVG per chart; names carry the scope, the data date and the language."""
    expected = {".pptx", ".pdf", *(f"_{c}.png" for c in CHARTS), *(f"_{c}.svg" for c in CHARTS)}
    assert set(english) == set(japanese) == expected
    as_of = oracle.as_of()
    assert (
        english[".pptx"].name == f"jcm_briefing_all-partner-countries-all-technologies-all-fiscal-years_{as_of}_en.pptx"
    )
    assert japanese[".pdf"].name == f"jcm_briefing_Mongolia-all-technologies-all-fiscal-years_{as_of}_ja.pdf"


def test_deck_slides_and_key_figures_equal_the_summary(english: dict[str, Path], real_db: Path) -> None:
    """Slide titles in order, and the key-figures slide shows exactly the figures of summary --json."""
    t = i18n.EN
    assert slide_titles(english[".pptx"]) == [t(f"briefing.{k}") for k in SLIDE_KEYS]
    slides = slide_texts(english[".pptx"])
    figures = [text for part in slides_titled(english[".pptx"], t("briefing.slide_key_figures")) for text in part]
    for value in key_figures(summary_json(real_db), t):
        assert value in figures, value
    scope = "Scope: all partner countries; all technologies; all fiscal years."
    assert any(scope in text.splitlines() for text in slides[0]), slides[0]
    (top,) = slides_titled(english[".pptx"], t("briefing.slide_top_projects"))
    # title, footer, header + ten projects × six columns, the note on "–" and "unknown"
    assert len(top) == 2 + 6 * (briefing.TOP_PROJECTS + 1) + 1
    row = oracle.published_total()
    published = t.amount(oracle.published_value(row)[0])
    assert any(published in text for text in figures) and any(row["as_of_date"] in text for text in figures)
    assert any("lower bound" in text for text in figures)


def test_pdf_one_pager_has_the_figures_three_findings_and_sources(english: dict[str, Path], real_db: Path) -> None:
    """The PDF's text has the title, every key figure, three numbered findings and the sources heading."""
    text = pdf_text(english[".pdf"])
    summary = summary_json(real_db)
    assert "JCM progress toward Japan's NDC goals: one-page briefing" in text
    for value in pdf_figures(summary, i18n.EN):
        assert value in text, value
    assert "Three findings" in text and "Sources" in text
    leader = max(oracle.issued_by_country().items(), key=lambda item: item[1])
    share = i18n.EN.pct(leader[1] / oracle.issued_total() * 100)
    words = " ".join(text.split())
    assert f"{oracle.country_names()[leader[0]]} leads with {share} of the credits itemized in this data" in words
    row = oracle.published_total()
    value, approximate = oracle.published_value(row)
    shown = i18n.EN.amount(value)
    shown = i18n.EN("progress.approximately", value=shown) if approximate else shown  # the publisher's "approx."
    assert f"published total ({shown}, {row['as_of_date']})" in words


def test_png_charts_are_print_resolution_and_not_blank(english: dict[str, Path]) -> None:
    """Each PNG is 3000 × 1700 px at 300 dpi (pHYs: 10 inches wide in print) and has real content."""
    for chart in CHARTS:
        with Image.open(english[f"_{chart}.png"]) as image:
            assert image.size == briefing.PNG_SIZE == (3000, 1700)
            assert tuple(round(v) for v in image.info["dpi"]) == (300, 300), chart
            rgb = image.convert("RGB")
            assert len(rgb.getcolors(maxcolors=1 << 20) or []) > 50, chart
            assert max(ImageStat.Stat(rgb).stddev) > 10, chart
        svg = english[f"_{chart}.svg"].read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "main-svg" in svg


def svg_texts(path: Path) -> list[str]:
    """The text of every <text> element of an exported SVG, entities decoded."""
    return [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<text[^>]*>(.*?)</text>", path.read_text())]


def test_every_exported_chart_says_its_scope(english: dict[str, Path], japanese: dict[str, Path]) -> None:
    """A chart pasted elsewhere still says what it covers: the scope is written under its title."""
    ja = i18n.translator("ja")
    for pack, scope in (
        (english, "Scope: all partner countries; all technologies; all fiscal years."),
        (japanese, "対象: モンゴル／全技術／全年度。"),
    ):
        for chart in CHARTS:
            assert scope in svg_texts(pack[f"_{chart}.svg"]), chart
    assert ja("chart.required_title") in svg_texts(japanese["_required.svg"])


def svg_min_font_px(path: Path) -> tuple[float, float]:
    """The smallest font size (px) of any text in an exported SVG, and the SVG's width (px)."""
    svg = path.read_text(encoding="utf-8")
    sizes = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)px", svg)]
    width = float(re.search(r'<svg[^>]*\swidth="([\d.]+)"', svg).group(1))
    return min(sizes), width


def test_chart_text_is_readable_at_print_size(english: dict[str, Path]) -> None:
    """Chart text prints at 9 pt or more: on every slide picture (at its width) and across the one-pager.

    A chart's smallest text (its SVG's smallest font size, the PNG is the same figure) scales with
    the width the image is printed at: px × 72 / figure width per inch.
    """
    smallest = {chart: svg_min_font_px(english[f"_{chart}.svg"]) for chart in CHARTS}
    deck = Presentation(str(english[".pptx"]))
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) >= 5  # every chart but the FY bars (the one-pager's and the files' only)
    for shape in pictures:
        width_in = shape.width / 914_400
        px, figure_width = min(smallest.values())
        assert px * 72 * width_in / figure_width >= 9, (shape.name, px, width_in)
    # The one-pager: every piece of text drawn between the chart's heading and the findings' (the
    # chart's ticks, labels and legend), as pypdf finds it: font size × the text matrix's scale.
    drawn = []

    def visit(text: str, cm: list, tm: list, font: dict, size: float) -> None:
        if text.strip():
            drawn.append((text.strip(), size * abs(tm[2] * cm[1] + tm[3] * cm[3])))

    PdfReader(str(english[".pdf"])).pages[0].extract_text(visitor_text=visit)
    texts = [text for text, _ in drawn]
    start = texts.index(i18n.EN("chart.required_title")) + 1
    chart = drawn[start : texts.index(i18n.EN("briefing.findings_heading"))]
    assert any(text == "FY2030" or text == "2030" for text, _ in chart), chart  # the ticks are there
    assert min(size for _, size in chart) >= 9, chart


def test_japanese_pack_has_japanese_titles_and_a_japanese_font(japanese: dict[str, Path], real_db: Path) -> None:
    """Slide titles, PDF text and chart titles are Japanese and set in Noto Sans CJK JP (embedded in the PDF)."""
    ja = i18n.translator("ja")
    slides = slide_texts(japanese[".pptx"])
    assert slide_titles(japanese[".pptx"]) == [ja(f"briefing.{k}") for k in SLIDE_KEYS]
    assert all(CJK.search(texts[0]) for texts in slides)
    figures = [text for part in slides_titled(japanese[".pptx"], ja("briefing.slide_key_figures")) for text in part]
    for value in key_figures(summary_json(real_db, "--country", "MNG"), ja):
        assert value in figures, value
    text = pdf_text(japanese[".pdf"])
    assert ja("briefing.findings_heading") in text
    assert "モンゴル" in text
    # A scoped pack never gives the country a 100% share of itself.
    words = "".join(text.split())
    assert "100.0%" not in words and ja.pct(oracle.issued_total("MNG") / oracle.issued_total() * 100) in words
    # Chromium embeds the glyph outlines (Type3 fonts), so no viewer substitutes a font or draws boxes.
    families = {
        str(font.get_object()["/FontDescriptor"].get("/FontFamily"))
        for page in PdfReader(str(japanese[".pdf"])).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert families == {"Noto Sans CJK JP"}, families
    svg = japanese["_progress.svg"].read_text(encoding="utf-8")
    assert ja("chart.progress_title") in svg and "Noto Sans CJK JP" in svg
    deck = Presentation(str(japanese[".pptx"]))
    title_run = deck.slides[0].shapes[0].text_frame.paragraphs[0].runs[0]
    assert title_run._r.rPr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea").get("typeface") == (
        "Noto Sans CJK JP"
    )


def test_japanese_pdf_text_extracts_as_written(japanese: dict[str, Path]) -> None:
    """Pypdf extracts 日本 and the title exactly as the catalogue writes them, not Kangxi look-alikes (⽇ ⽬ ⾏).

    Chromium writes each shared CJK glyph's text as the lowest code point the font maps to it;
    jcm_dash.pdf_text rewrites those maps (see its docstring).
    """
    ja = i18n.translator("ja")
    text = pdf_text(japanese[".pdf"])
    assert "日本" in text
    assert ja("briefing.pdf_title") in text
    assert ja("briefing.findings_heading") in text
    look_alikes = sorted({c for c in text if 0x2E80 <= ord(c) <= 0x2FDF or c in "\u2215\u2027"})
    assert look_alikes == []
    assert "対象: モンゴル／全技術／全年度。" in text


def test_look_alike_characters_map_back_to_what_was_written() -> None:
    """The text-map fix turns radicals and shared symbols into the characters the interface writes."""
    from jcm_dash import pdf_text as fix  # noqa: PLC0415

    cmap = b"1 begincodespacerange\n<00> <FF>\nendcodespacerange\n2 beginbfchar\n<4B> <2F47>\n<4C> <2215>\nendbfchar\n"
    cmap += b"1 beginbfrange\n<50> <51> <2F6C>\nendbfrange\nendcmap"
    fixed = fix.fix_cmap(cmap)
    assert b"<4B> <65E5>" in fixed and b"<4C> <FF0F>" in fixed  # 日, ／
    assert b"<50> <76EE>" in fixed and b"<51> <2F6D>" not in fixed  # ⽬ -> 目; ⽭ -> 矛
    assert fix.fix_cmap(b"1 beginbfchar\n<01> <0041>\nendbfchar") == b"1 beginbfchar\n<01> <0041>\nendbfchar"


def test_the_chart_font_is_installed_so_japanese_is_not_tofu() -> None:
    """Fontconfig resolves the charts' first font to a real CJK font file (what kaleido's Chromium uses)."""
    found = subprocess.run(
        ["fc-match", "-f", "%{family}|%{file}", "Noto Sans CJK JP:lang=ja"], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto Sans CJK JP" in found and "NotoSansCJK" in found


def test_briefing_rejects_an_unknown_country(real_db: Path, tmp_path: Path) -> None:
    """A bad filter says what is allowed and writes nothing."""
    result = run_cli("briefing", "--db", str(real_db), "--out", str(tmp_path / "out"), "--country", "XXX")
    assert result.returncode == 2
    assert "unknown partner country XXX" in result.stderr
    assert not (tmp_path / "out").exists()


def test_top_projects_rank_every_project_not_the_first_thousand(tmp_path: Path) -> None:
    """In a store of over 1,000 projects the top ten are those with most credits, wherever their reference sorts.

    The synthetic store (bench/synth.py, fixed seed, 1,099 projects) is changed in one place: an
    issuance of the project last by reference states more credits than any project has in all,
    so that project must lead the table.
    """
    import csv  # noqa: PLC0415

    from bench import synth  # noqa: PLC0415
    from jcm_dash import store  # noqa: PLC0415
    from jcm_dash.scope import Filters  # noqa: PLC0415

    folder = tmp_path / "csv"
    synth.generate(7, folder)
    with (folder / "issuances.csv").open(encoding="utf-8", newline="") as handle:
        issuances = list(csv.DictReader(handle))
    with (folder / "projects.csv").open(encoding="utf-8", newline="") as handle:
        refs = sorted(row["project_ref"] for row in csv.DictReader(handle))
    assert len(refs) > 1_000
    named_alone = [row for row in issuances if row["project_refs"] and ";" not in row["project_refs"]]
    last = max(row["project_refs"] for row in named_alone)
    assert refs.index(last) >= 1_000, "the chosen project sorts beyond the first 1,000 by reference"
    totals: dict[str, float] = {}
    for row in named_alone:
        totals.setdefault(row["project_refs"], 0.0)
        totals[row["project_refs"]] += float(row["credits_issued_tco2"] or 0)
    changed = next(row for row in named_alone if row["project_refs"] == last)
    totals[last] -= float(changed["credits_issued_tco2"] or 0)
    changed.update(credits_issued_tco2=str(int(max(totals.values()) * 10)), japan_side_tco2="", partner_side_tco2="")
    totals[last] += float(changed["credits_issued_tco2"])
    with (folder / "issuances.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(issuances[0]))
        writer.writeheader()
        writer.writerows(issuances)
    db = tmp_path / "synth.duckdb"
    store.build(folder, db)
    expected = sorted(totals, key=lambda ref: (-totals[ref], ref))[: briefing.TOP_PROJECTS]
    with read_only(db) as con:
        pack = briefing.content(con, Filters(), lang="en")
    shown = pack.top_projects
    assert list(shown[i18n.EN("table.reference")]) == expected
    assert list(shown[i18n.EN("projects.col_issued")]) == [f"{totals[ref]:,.0f}" for ref in expected]


def key_figure_tables(path: Path, title: str) -> list:
    """The key-figures table of each part of the slide titled ``title``."""
    return [
        shape.table
        for slide in Presentation(str(path)).slides
        if PART.sub("", slide.shapes[0].text_frame.text) == title
        for shape in slide.shapes
        if shape.has_table
    ]


def test_key_figures_table_has_a_header_row_and_scope_headings(
    english: dict[str, Path], japanese: dict[str, Path]
) -> None:
    """The first row of the key figures is a styled header, and headings say what each group covers.

    A one-country pack heads its own figures with its name (its contribution) and the targets as
    Japan's national ones, for the whole JCM.
    """
    for pack, t in ((english, i18n.EN), (japanese, i18n.translator("ja"))):
        tables = key_figure_tables(pack[".pptx"], t("briefing.slide_key_figures"))
        # every part of the slide holds a table (the basis note never sits on a slide alone)
        assert len(tables) == len(slides_titled(pack[".pptx"], t("briefing.slide_key_figures"))) >= 1
        for table in tables:
            assert table.first_row  # PowerPoint styles row 0 as the header
            header = [cell.text for cell in table.rows[0].cells]
            assert header == [t("briefing.col_figure"), t("briefing.col_value"), t("briefing.col_note")]
            assert all(run.font.bold for cell in table.rows[0].cells for run in cell.text_frame.paragraphs[0].runs)
    ja = i18n.translator("ja")
    cells = [
        c.text
        for table in key_figure_tables(japanese[".pptx"], ja("briefing.slide_key_figures"))
        for row in table.rows
        for c in row.cells
    ]
    assert ja("progress.heading_scope", scope="モンゴル") in cells
    assert ja("progress.national_heading") in cells
    english_cells = [
        c.text
        for table in key_figure_tables(english[".pptx"], i18n.EN("briefing.slide_key_figures"))
        for row in table.rows
        for c in row.cells
    ]
    assert i18n.EN("progress.heading") in english_cells


def estimated_height(paragraphs: list[tuple[str, float]], width_in: float) -> float:
    """A generous estimate of the height (inches) text needs: 0.6 em per Latin character, 1 em per CJK one."""
    import math  # noqa: PLC0415
    import unicodedata  # noqa: PLC0415

    usable = (width_in - 0.2) * 72 * 0.9
    points = 0.0
    for text, size in paragraphs:
        ems = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
        points += max(1, math.ceil(ems * size / usable)) * size * 1.2
    return points / 72


def test_no_text_leaves_a_slide(english: dict[str, Path], japanese: dict[str, Path]) -> None:
    """Every shape lies in its slide, each text box and table row is as tall as its text, and all sources are listed.

    Sources that do not fit continue on further slides rather than run off the bottom.
    """
    emu = 914_400
    for pack in (english, japanese):
        deck = Presentation(str(pack[".pptx"]))
        listed = set()
        for number, slide in enumerate(deck.slides, start=1):
            for shape in slide.shapes:
                where = f"slide {number}, {shape.name}"
                assert shape.left >= 0 and shape.top >= 0, where
                assert shape.left + shape.width <= deck.slide_width, where
                assert shape.top + shape.height <= deck.slide_height, where
                if shape.has_text_frame:
                    paragraphs = [
                        (p.text, max(r.font.size.pt for r in p.runs)) for p in shape.text_frame.paragraphs if p.runs
                    ]
                    listed |= {p.text for p in shape.text_frame.paragraphs}
                    assert estimated_height(paragraphs, shape.width / emu) <= shape.height / emu + 0.01, where
                if shape.has_table:
                    table = shape.table
                    widths = [column.width / emu for column in table.columns]
                    for r, row in enumerate(table.rows):
                        for c, cell in enumerate(row.cells):
                            if cell.is_spanned:
                                continue
                            width = sum(widths[c : c + cell.span_width])
                            runs = [run for p in cell.text_frame.paragraphs for run in p.runs]
                            if runs:
                                need = estimated_height([(cell.text, max(x.font.size.pt for x in runs))], width)
                                assert need <= row.height / emu, (where, r, c, cell.text)
                    assert sum(row.height for row in table.rows) <= shape.height + 1, where
        cited = {row["source_url"] for name in ("issuances", "projects") for row in oracle.rows(name)}
        if pack is japanese:
            cited = {row["source_url"] for row in oracle.issuances("MNG")} | {
                row["source_url"] for row in oracle.rows("projects") if row["country"] == "Mongolia"
            }
        missing = sorted(url for url in cited if url and url not in listed)
        assert missing == []


def test_country_ranking_leaves_out_partners_with_nothing_itemized(english: dict[str, Path]) -> None:
    """The deck's top partners never show a partner with nothing itemized as 0; the slide says how many are left out."""
    issued = oracle.issued_by_country()
    names = oracle.country_names()
    labels = set(svg_texts(english["_countries.svg"]))
    nothing = [iso3 for iso3 in names if not issued.get(iso3)]
    assert nothing, "the real data has partners with nothing itemized"
    assert not any(i18n.EN.country(iso3, names[iso3]) in labels for iso3 in nothing)
    top = sorted((v, iso3) for iso3, v in issued.items() if v)[-briefing.TOP_COUNTRIES :]
    assert all(i18n.EN.country(iso3, names[iso3]) in labels for _, iso3 in top)
    (slide,) = slides_titled(english[".pptx"], i18n.EN("briefing.slide_countries"))
    assert i18n.EN.plural("briefing.countries_left_out", len(nothing)) in slide


def test_top_projects_say_dash_for_nothing_itemized_and_unknown_for_no_amount() -> None:
    """A project no issuance names alone reads "–", one whose issuances state no amount "unknown", never 0."""
    import pandas as pd  # noqa: PLC0415

    from jcm_dash.briefing.contents import project_table, ranked_projects  # noqa: PLC0415

    projects = pd.DataFrame(
        {
            "project_ref": ["AA001", "AA002", "AA003", "AA004"],
            "title": ["Known", "Nothing", "No amount", "Bigger"],
            "country_iso3": ["MNG"] * 4,
            "country": ["Mongolia"] * 4,
            "unep_type": ["Solar"] * 4,
            "credits_issued_tco2": [120.0, 0.0, float("nan"), 5_000.0],
            "expected_annual_reductions_tco2": [10.0, 900.0, float("nan"), 10.0],
        }
    )
    for t in (i18n.EN, i18n.translator("ja")):
        table = project_table(ranked_projects(projects), t)
        assert list(table[t("table.reference")]) == ["AA004", "AA001", "AA002", "AA003"]
        assert list(table[t("projects.col_issued")]) == ["5,000", "120", "–", t("unit.unknown")]
        assert list(table[t("projects.col_expected")]) == ["10", "10", "900", t("unit.unknown")]


def test_an_optional_section_gets_a_slide_and_a_paragraph(tiny_con, monkeypatch: pytest.MonkeyPatch) -> None:
    """A function in SECTIONS adds its slide before the notes and its paragraph to the one-pager, as text."""
    import io  # noqa: PLC0415

    from jcm_dash.briefing import deck, onepager  # noqa: PLC0415
    from jcm_dash.scope import Filters  # noqa: PLC0415

    def buyers(con, filters, t):  # noqa: ANN001, ANN202
        return briefing.Section("buyers", "The JCM among <b>buyers</b>", ["First paragraph & more.", "Second."])

    monkeypatch.setattr(briefing.contents, "SECTIONS", [buyers, lambda con, filters, t: None])
    pack = briefing.content(tiny_con, Filters(), lang="en")
    assert [s.key for s in pack.sections] == ["buyers"]
    png = io.BytesIO()
    Image.new("RGB", (300, 170), "white").save(png, format="PNG")
    images = {f"{c.name}.png": png.getvalue() for c in pack.all_charts}
    images |= {f"{c.name}.svg": b"<svg></svg>" for c in pack.all_charts} | {"onepager_required.svg": b"<svg></svg>"}
    titles = [s.shapes[0].text_frame.text for s in Presentation(io.BytesIO(deck.pptx(pack, images))).slides]
    assert titles.index("The JCM among <b>buyers</b>") == titles.index(i18n.EN("briefing.slide_notes")) - 1
    page = onepager.pdf_html(pack, images)
    assert "<h2>The JCM among &lt;b&gt;buyers&lt;/b&gt;</h2><p>First paragraph &amp; more.</p>" in page


def test_the_article6_slide_appears_only_when_asked_for(
    english: dict[str, Path], real_db: Path, tmp_path: Path
) -> None:
    """Issue 19: no Article 6 slide, chart or paragraph by default; with --article6 one slide and a PDF paragraph."""
    t = i18n.EN
    title = t("briefing.article6_title")
    assert title not in slide_titles(english[".pptx"])
    assert title not in pdf_text(english[".pdf"])
    assert not [name for name in english if "article6" in name]
    asked = write_pack(real_db, tmp_path / "a6", "--article6")
    titles = [t(f"briefing.{k}") for k in SLIDE_KEYS]
    assert slide_titles(asked[".pptx"]) == [*titles[:-1], title, titles[-1]]  # before the notes
    assert set(asked) == set(english) | {"_article6_agreements.png", "_article6_agreements.svg"}
    agreements = oracle.rows("article6/agreements")
    japan = sum(1 for row in agreements if row["buyer_country"] == "Japan")
    said = f"Japan has {japan} of the {len(agreements)} bilateral Article 6 agreements"
    texts = [text for part in slides_titled(asked[".pptx"], title) for text in part]
    assert any(said in text for text in texts)
    first = min(r["as_of_date"] for r in oracle.rows("aggregates") if r["metric"] == "first_itmo_issuance")
    assert any(f"first ITMO issuance: {first}" in text for text in texts)
    words = " ".join(pdf_text(asked[".pdf"]).split())  # still one page
    assert title in words and said in words


def test_the_progress_finding_keeps_the_publishers_approximately(real_db: Path) -> None:
    """The finding on the first target quotes the published total as the overview's card does (~0.70 Mt)."""
    from jcm_dash.scope import Filters  # noqa: PLC0415

    row = oracle.published_total()
    value, approximate = published_value(row)
    with read_only(real_db) as con:
        pack = briefing.content(con, Filters(), lang="en")
    amount = i18n.EN.amount(value)
    quoted = i18n.EN("progress.approximately", value=amount) if approximate else amount
    progress = next(f for f in pack.findings if row["as_of_date"] in f)
    assert quoted in progress
