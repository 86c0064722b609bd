"""The briefing pack, written by the command: PPTX slides, the PDF one-pager, PNG and SVG charts, in en and ja."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from pptx import Presentation
from pypdf import PdfReader

from jcm_dash import briefing, i18n

from .conftest import run_cli, summary_json
from .oracle import REAL as oracle

SLIDE_KEYS = (
    "deck_title",
    "slide_key_figures",
    "slide_progress",
    "slide_projection",
    "slide_countries",
    "slide_technologies",
    "slide_top_projects",
    "slide_notes",
)
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
    slides = slide_texts(english[".pptx"])
    t = i18n.EN
    assert [texts[0] for texts in slides] == [t(f"briefing.{k}") for k in SLIDE_KEYS]
    figures = slides[1]
    for value in key_figures(summary_json(real_db), t):
        assert value in figures, value
    scope = "Scope: all partner countries; all technologies; all fiscal years."
    assert any(scope in text.splitlines() for text in slides[0]), slides[0]
    assert len(slides[6]) == 2 + 6 * (briefing.TOP_PROJECTS + 1)  # title, footer; header + ten projects × six columns
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
    """Each PNG is 3000 × 1700 px and has real content (many colours, not one flat fill)."""
    for chart in CHARTS:
        with Image.open(english[f"_{chart}.png"]) as image:
            assert image.size == briefing.PNG_SIZE == (3000, 1700)
            rgb = image.convert("RGB")
            assert len(rgb.getcolors(maxcolors=1 << 20) or []) > 50, chart
            assert max(ImageStat.Stat(rgb).stddev) > 10, chart
        svg = english[f"_{chart}.svg"].read_text(encoding="utf-8")
        assert svg.startswith("<svg") and "main-svg" in svg


def test_japanese_pack_has_japanese_titles_and_a_japanese_font(japanese: dict[str, Path], real_db: Path) -> None:
    """Slide titles, PDF text and chart titles are Japanese and set in Noto Sans CJK JP (embedded in the PDF)."""
    ja = i18n.translator("ja")
    slides = slide_texts(japanese[".pptx"])
    assert [texts[0] for texts in slides] == [ja(f"briefing.{k}") for k in SLIDE_KEYS]
    assert all(CJK.search(texts[0]) for texts in slides)
    for value in key_figures(summary_json(real_db, "--country", "MNG"), ja):
        assert value in slides[1], value
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
    from jcm_dash.queries import Filters  # noqa: PLC0415

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
    con = store.connect_read_only(db)
    try:
        pack = briefing.content(con, Filters(), lang="en")
    finally:
        con.close()
    shown = pack.top_projects
    assert list(shown[i18n.EN("table.reference")]) == expected
    assert list(shown[i18n.EN("projects.col_issued")]) == [f"{totals[ref]:,.0f}" for ref in expected]
