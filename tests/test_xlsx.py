"""jcm_dash.xlsx: the streaming workbook reader reads every cell as openpyxl does, and refuses damage clearly.

The oracle is openpyxl itself (the reader the import used before): each workbook here is read by
both, and the texts must be equal cell by cell. Workbooks come from openpyxl and from xlsxwriter,
which stores text the way Excel does (a shared-strings table, numbers without a type); a few are
edited at the XML level for what neither writes (phonetic runs, the Japanese built-in date formats,
a namespace prefix, damage).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from jcm_dash import importer, validate, xlsx
from jcm_dash.tables import ISSUANCES

from .conftest import issuance_row

# One row of every kind of value a user's sheet may hold.
VALUES = [
    "plain",
    "R&D <tag> \"quoted\" 'single'",
    "  leading and trailing  ",
    "two\nlines",
    "日本語の注記",
    70,
    70.0,
    0.1,
    -5,
    1e20,
    True,
    False,
    dt.datetime(2019, 5, 1),
    dt.datetime(2019, 5, 1, 13, 30),
    dt.date(2016, 3, 31),
    dt.time(12, 30),
    None,
    "after a gap",
]


def openpyxl_texts(path: Path, sheet: str) -> dict[int, list[str]]:
    """What the import read before: openpyxl's read-only values as CSV texts, by row number, empty rows left out."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        rows = {}
        for number, row in enumerate(book[sheet].iter_rows(values_only=True), start=1):
            texts = [xlsx.cell_text(v) for v in row]
            while texts and texts[-1] == "":
                texts.pop()
            if texts:
                rows[number] = texts
        return rows
    finally:
        book.close()


def reader_texts(path: Path, sheet: str) -> dict[int, list[str]]:
    """The reader's texts by row number, empty rows left out; its fast path and its expat path must agree."""
    both = []
    for fast in (True, False):
        original, xlsx._FAST = xlsx._FAST, fast
        try:
            with xlsx.Workbook(path) as book:
                found = next(s for s in book.sheets if s.name == sheet)
                both.append({row.number: row.cells for row in book.rows(found, 1000) if row.cells})
        finally:
            xlsx._FAST = original
    assert both[0] == both[1]
    return both[0]


def rewrite(path: Path, part: str, change) -> Path:
    """Rewrite one part of a saved workbook with ``change(text) -> text``."""
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[part] = change(members[part].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members.items():
            target.writestr(name, data)
    return path


def openpyxl_book(path: Path, epoch: dt.datetime | None = None) -> Path:
    book = openpyxl.Workbook()
    if epoch is not None:
        book.epoch = epoch
    sheet = book.active
    sheet.title = "values"
    sheet.append(VALUES)
    sheet.append(["rich", CellRichText(["x", TextBlock(InlineFont(b=True), "y")]), "=1+1", '=A1&"!"'])
    sheet["C5"] = 5  # a row with a gap before it and a cell not in column A
    sheet["H9"].number_format = "yyyy-mm-dd"  # a styled, empty cell: no value, no column
    book.save(path)
    return path


def test_openpyxl_workbook_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    """Every kind of value (text, escapes, numbers, booleans, dates, times, rich text, formulas) reads alike."""
    path = openpyxl_book(tmp_path / "book.xlsx")
    got = reader_texts(path, "values")
    assert got == openpyxl_texts(path, "values")
    assert got[1][12:16] == ["2019-05-01", "2019-05-01T13:30:00", "2016-03-31", "12:30:00"]
    assert got[1][5:12] == ["70", "70", "0.1", "-5", "100000000000000000000", "True", "False"]
    assert got[2] == ["rich", "xy", "=1+1", '=A1&"!"']
    assert got[5] == ["", "", "5"]


def test_plain_and_other_chunks_of_one_sheet(tmp_path: Path) -> None:
    """A long sheet whose plain rows are read fast and whose rows with a formula, an entity or rich text are not."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("values")
    for i in range(4_000):
        row: list = [f"X{i}", i, i + 0.5, dt.datetime(1901, 1, 1) + dt.timedelta(days=i), "note " * (i % 7)]
        if i == 1_500:
            row.append("=B1500*2")
        if i == 2_500:
            row.append("R&D <a>")
        if i == 3_000:
            row.append(CellRichText(["x", TextBlock(InlineFont(b=True), "y")]))
        sheet.append(row)
    book.save(tmp_path / "long.xlsx")
    got = reader_texts(tmp_path / "long.xlsx", "values")
    assert got == openpyxl_texts(tmp_path / "long.xlsx", "values")
    assert got[1501][5] == "=B1500*2" and got[2501][5] == "R&D <a>" and got[3001][5] == "xy"
    assert got[4000][:4] == ["X3999", "3999", "3999.5", "1911-12-14"]


def test_a_row_too_long_to_hold_is_read_by_expat(tmp_path: Path) -> None:
    """A row of 1,000 cells of 600 characters (600,000 in one row) is read with flat memory, as openpyxl reads it."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("values")
    sheet.append(["before"])
    sheet.append([f"{col:04d}" + "w" * 596 for col in range(1_000)])
    sheet.append(["after", 1])
    book.save(tmp_path / "wide.xlsx")
    got = reader_texts(tmp_path / "wide.xlsx", "values")
    assert got == openpyxl_texts(tmp_path / "wide.xlsx", "values")
    assert len(got[2]) == 1_000 and got[3] == ["after", "1"]


def test_1904_date_system(tmp_path: Path) -> None:
    """A workbook saved with the 1904 date system (old Mac Excel) gives the same dates."""
    path = openpyxl_book(tmp_path / "mac.xlsx", epoch=openpyxl.utils.datetime.CALENDAR_MAC_1904)
    assert 'date1904="1"' in zipfile.ZipFile(path).read("xl/workbook.xml").decode()
    assert reader_texts(path, "values")[1][12:15] == ["2019-05-01", "2019-05-01T13:30:00", "2016-03-31"]
    assert reader_texts(path, "values") == openpyxl_texts(path, "values")


def test_excel_style_workbook_with_shared_strings(tmp_path: Path) -> None:
    """An Excel-style workbook (xlsxwriter: shared strings, untyped numbers, date styles) reads as openpyxl reads it."""
    path = tmp_path / "excel.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("values")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    duration = book.add_format({"num_format": "[h]:mm:ss"})
    sheet.write_row(0, 0, ["plain", "R&D <tag>", " spaced ", "日本語", "two\nlines", "_x000D_ literal"])
    sheet.write_row(1, 0, [70, 70.5, 1e20, -0.25, True])
    sheet.write_datetime(2, 0, dt.datetime(2019, 5, 1), date)
    sheet.write_datetime(2, 1, dt.datetime(2019, 5, 1, 8, 15), stamp)
    sheet.write_number(2, 2, 1.5, duration)
    sheet.write_formula(3, 0, "=A2*2", None, 140)
    sheet.write_string(5, 3, "far")
    book.close()
    got, expected = reader_texts(path, "values"), openpyxl_texts(path, "values")
    assert got == expected
    assert got[3] == ["2019-05-01", "2019-05-01T08:15:00", "1 day, 12:00:00"]
    assert got[4] == ["=A2*2"]
    assert got[6] == ["", "", "", "far"]


def test_phonetic_runs_and_escapes_in_shared_strings(tmp_path: Path) -> None:
    """Furigana (rPh) are not part of the text; _x000D_ is Excel's escape of a carriage return; runs are joined."""
    path = tmp_path / "kana.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("values").write_row(0, 0, ["KANJI", "RICH", "ESCAPED"])
    book.close()
    rewrite(
        path,
        "xl/sharedStrings.xml",
        lambda text: (
            text.replace(
                "<t>KANJI</t>", '<t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/>'
            )
            .replace("<t>RICH</t>", "<r><t>bo</t></r><r><rPr><b/></rPr><t>ld</t></r>")
            .replace("<t>ESCAPED</t>", "<t>a_x000D_b_x005F_x000D_</t>")
        ),
    )
    assert reader_texts(path, "values") == {1: ["東京", "bold", "a\rb_x000D_"]}


@pytest.mark.parametrize("format_id", [14, 31, 57, 58])
def test_japanese_built_in_date_formats(tmp_path: Path, format_id: int) -> None:
    """A date in Japanese Excel's built-in formats (31: yyyy年m月d日, 57/58: the era) reads as a date, not 43586."""
    path = tmp_path / "ja.xlsx"
    book = xlsxwriter.Workbook(path)
    book.add_worksheet("values").write_datetime(0, 0, dt.datetime(2019, 5, 1), book.add_format({"num_format": 14}))
    book.close()
    rewrite(path, "xl/styles.xml", lambda text: text.replace('numFmtId="14"', f'numFmtId="{format_id}"'))
    assert reader_texts(path, "values") == {1: ["2019-05-01"]}


def test_prefixed_and_strict_namespaces(tmp_path: Path) -> None:
    """A sheet written with a namespace prefix (<x:c>), or in strict OOXML's namespace, reads the same."""
    path = openpyxl_book(tmp_path / "book.xlsx")
    expected = reader_texts(path, "values")

    def prefixed(text: str) -> str:
        text = re.sub(r"<(/?)(\w+)([ >/])", r"<\1x:\2\3", text)
        return text.replace('xmlns="', 'xmlns:x="', 1)

    rewrite(path, "xl/worksheets/sheet1.xml", prefixed)
    assert "<x:c " in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert reader_texts(path, "values") == expected
    strict = "http://purl.oclc.org/ooxml/spreadsheetml/main"
    rewrite(path, "xl/worksheets/sheet1.xml", lambda t: t.replace(xlsx._MAIN[0], strict))
    assert reader_texts(path, "values") == expected


def test_sheets_states_and_merged_ranges(tmp_path: Path) -> None:
    """Sheet names, hidden and very hidden states, and merged ranges come from the workbook's XML."""
    book = openpyxl.Workbook()
    book.active.title = "shown"
    book.active.merge_cells("A1:B1")
    book.active.merge_cells("C3:D9")
    book.create_sheet("tucked").sheet_state = "hidden"
    book.create_sheet("buried").sheet_state = "veryHidden"
    book.create_chartsheet("chart")  # holds no cells: left out
    book.save(tmp_path / "states.xlsx")
    with xlsx.Workbook(tmp_path / "states.xlsx") as reader:
        assert [(s.name, s.state) for s in reader.sheets] == [
            ("shown", "visible"),
            ("tucked", "hidden"),
            ("buried", "veryHidden"),
        ]
        assert sorted(reader.merged_ranges(reader.sheets[0])) == ["A1:B1", "C3:D9"]


def test_url_check_is_the_same_character_set() -> None:
    """The source-link check's regex refuses exactly the characters str.isspace() or category Cc name."""
    refused = validate._URL_SPACE_OR_CONTROL
    assert all(
        (c.isspace() or unicodedata.category(c) == "Cc") == bool(refused.match(c)) for c in map(chr, range(0x110000))
    )


# Damaged workbooks: one problem naming the file, never a traceback ----------------------------------


def valid_book(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "issuances"
    sheet.append(ISSUANCES.column_names)
    sheet.append(issuance_row().split(","))
    book.save(path)
    return path


def single_problem(path: Path) -> str:
    incoming, problems = importer.read_update(path)
    assert incoming == [] and len(problems) == 1, problems
    return str(problems[0])


def test_not_a_zip_and_old_or_encrypted_workbooks(tmp_path: Path) -> None:
    """A CSV renamed .xlsx, and an .xls or password-protected file (OLE2), are named with what to do."""
    (tmp_path / "text.xlsx").write_text("issuance_id,country\n", encoding="utf-8")
    assert single_problem(tmp_path / "text.xlsx").startswith(
        "text.xlsx:1:-: not a readable .xlsx workbook: it is not a zip archive"
    )
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "old Excel workbook (.xls) or a password-protected one" in single_problem(tmp_path / "old.xlsx")


def test_truncated_zip(tmp_path: Path) -> None:
    """A workbook cut short (an interrupted download) is one problem."""
    whole = valid_book(tmp_path / "whole.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
    assert single_problem(tmp_path / "cut.xlsx").startswith("cut.xlsx:1:-: not a readable .xlsx workbook: ")


@pytest.mark.parametrize(
    ("part", "change", "message"),
    [
        (
            "xl/workbook.xml",
            lambda t: t.replace("</sheets>", "<sheets>"),
            "its part xl/workbook.xml is not well-formed",
        ),
        ("xl/worksheets/sheet1.xml", lambda t: t.replace("</row>", "", 1), "is not well-formed XML (mismatched tag"),
        (
            "xl/worksheets/sheet1.xml",
            lambda t: t.replace('<c r="A2" t="inlineStr"><is><t>I6</t></is>', '<c r="A2" t="s"><v>99</v>'),
            "cell A2 refers to shared text number 99, which the workbook does not hold",
        ),
        ("xl/worksheets/sheet1.xml", lambda t: t.replace('<row r="2"', '<row r="x"'), "a row's number is 'x'"),
        (
            "xl/worksheets/sheet1.xml",
            lambda t: '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>' + t.split("?>", 1)[-1],
            "declares a DTD",
        ),
    ],
)
def test_damaged_parts_are_one_problem(tmp_path: Path, part: str, change, message: str) -> None:
    """Broken XML, a DTD (entity bombs), a bad shared-string number or row number: one problem, no traceback."""
    path = rewrite(valid_book(tmp_path / "bad.xlsx"), part, change)
    found = single_problem(path)
    assert found.startswith("bad.xlsx") and message in found, found


def test_missing_sheet_part(tmp_path: Path) -> None:
    """A workbook whose sheet part is gone names the sheet and the part."""
    path = valid_book(tmp_path / "gone.xlsx")
    with zipfile.ZipFile(path) as source:
        members = {i.filename: source.read(i) for i in source.infolist() if i.filename != "xl/worksheets/sheet1.xml"}
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    assert single_problem(path) == (
        "gone.xlsx[issuances]:1:-: the sheet cannot be read: the workbook has no part xl/worksheets/sheet1.xml; "
        "it is incomplete or not an Excel workbook"
    )


def test_part_inflating_past_the_limit_is_refused_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A part whose inflated size is over the limit (a zip bomb) is refused by its declared size."""
    path = valid_book(tmp_path / "bomb.xlsx")
    monkeypatch.setattr(xlsx, "MAX_XML_BYTES", 1000)
    assert "inflates to" in single_problem(path) and "zip bomb" in single_problem(path)


def test_cell_over_excels_limit(tmp_path: Path) -> None:
    """A cell of 200,000 characters (Excel holds 32,767) is one problem naming the cell."""
    book = openpyxl.Workbook()
    book.active.title = "issuances"
    book.active.append(ISSUANCES.column_names)
    book.active.append([*issuance_row().split(",")[:-1], "LONG"])
    book.save(tmp_path / "long.xlsx")  # openpyxl itself cuts a text at 32,767 characters: write it in the XML
    rewrite(tmp_path / "long.xlsx", "xl/worksheets/sheet1.xml", lambda t: t.replace("LONG", "x" * 200_000))
    found = single_problem(tmp_path / "long.xlsx")
    assert found.startswith("long.xlsx[issuances]:1:-: the sheet cannot be read: ") and "32,767" in found


def test_row_limit_stops_the_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past MAX_ROWS the sheet is not read on: XML broken after the limit is never reached."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("issuances")
    sheet.append(ISSUANCES.column_names)
    for i in range(3_000):
        sheet.append(issuance_row(f"X{i}", project_refs="").split(","))
    book.save(tmp_path / "many.xlsx")
    rewrite(tmp_path / "many.xlsx", "xl/worksheets/sheet1.xml", lambda t: t.replace('<row r="2900">', "<row r=", 1))
    monkeypatch.setattr(importer, "MAX_ROWS", 1_000)
    assert (
        single_problem(tmp_path / "many.xlsx") == "many.xlsx[issuances]:1002:-: more than 1,000 rows; split the sheet"
    )
    monkeypatch.setattr(importer, "MAX_ROWS", 5_000)
    assert "is not well-formed XML" in single_problem(tmp_path / "many.xlsx")


def test_values_without_a_header_are_named_not_dropped(tmp_path: Path) -> None:
    """A value right of the last header (an unnamed column) is a problem: its value would be lost."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "issuances"
    sheet.append(ISSUANCES.column_names)
    sheet.append([*issuance_row().split(","), "", "checked by phone"])
    sheet.append(issuance_row("I7", project_refs="").split(","))
    book.save(tmp_path / "extra.xlsx")
    letter = xlsx.column_letter(len(ISSUANCES.column_names) + 2)
    _, problems = importer.read_update(tmp_path / "extra.xlsx")
    assert [str(p) for p in problems] == [
        f"extra.xlsx[issuances]:2:{letter}: cell {letter}2 holds a value ('checked by phone') but column {letter} "
        "has no header, so it would be lost; name the column in row 1 or delete the value"
    ]


def test_header_below_row_1_and_very_hidden_sheets(tmp_path: Path) -> None:
    """Title rows above the header are named as in a CSV; a very hidden sheet says how it differs from hidden."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "issuances"
    sheet["A2"] = "JCM issuances, update of May"
    for col, name in enumerate(ISSUANCES.column_names, start=1):
        sheet.cell(row=4, column=col, value=name)
    book.create_sheet("macros").sheet_state = "veryHidden"
    book.save(tmp_path / "titled.xlsx")
    _, problems = importer.read_update(tmp_path / "titled.xlsx")
    assert [str(p) for p in problems] == [
        "titled.xlsx[issuances]:1:-: the header of issuances.csv is on row 4: remove the 3 rows above it "
        "(titles, notes, empty rows) so the header is row 1",
        "titled.xlsx[macros]:1:-: sheet 'macros' is very hidden (only a macro or Excel's VBA editor can show it); "
        "check it there, then delete it or make it visible to import it",
    ]
