"""Stream an .xlsx workbook's cells as the texts a CSV would hold, with bounded memory and no openpyxl parser.

openpyxl's read-only mode spent 32-39 CPU seconds on a 9 MB, 145,000-row workbook, most of it in
its per-cell parser. Here a sheet is read in blocks and never held whole: a sheet in the plain form
Excel and openpyxl write is cut into chunks of whole rows, each read by one regex when it holds
only plain cells (every "<" of the chunk accounted for), and anything else is read by expat (the
standard library's C parser) with a few handlers (bench/bench_import.py; tests/test_xlsx.py reads
every workbook both ways and against openpyxl). openpyxl is used only for what it knows best and
is cheap: which number formats are dates (``is_date_format``, ``BUILTIN_FORMATS``) and the Excel
serial-date arithmetic (``from_excel``, ``from_ISO8601``).

The small parts (workbook, relationships, styles) are parsed whole by lxml with entities and
network off; the big ones (sheets, shared strings) are streamed, any DTD refused. Every way a file
can be damaged (not a zip, a missing part, broken XML, a bad cell value) raises ``WorkbookError``
with a reason in plain words; nothing else escapes.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple
from xml.parsers import expat

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel, from_ISO8601

# Main spreadsheet namespaces: transitional (what Excel and openpyxl write) and strict (ISO 29500).
_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
# Assume: a part of a workbook under the import's 10 MB limit never needs more than this when
# inflated (the bench's 9.1 MB workbook holds 116 MB of sheet XML); more is a "zip bomb". The
# declared size is a real bound: Python's zipfile never inflates a member past it.
MAX_XML_BYTES = 512 * 1024 * 1024
# Shared strings are held in memory (a sheet refers to them by number), so they get a tighter bound.
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_SMALL_PART_BYTES = 16 * 1024 * 1024
# Excel's own limits.
MAX_CELL_CHARS = 32_767
MAX_SHEET_ROWS = 1_048_576
# Built-in number formats that are dates in East Asian locales (ECMA-376 Part 1, 18.8.30: ja-JP
# 27-36 and 50-58, e.g. 31 = yyyy"年"m"月"d"日", 58 = the Japanese era). Japanese Excel writes no
# definition for them and openpyxl does not know them, so such a date would read as its serial number.
_EAST_ASIAN_DATE_FORMATS = frozenset(range(27, 37)) | frozenset(range(50, 59))
_BLOCK = 256 * 1024
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)$")
_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]+\d+(?::[A-Z]+\d+)?)\"")


class WorkbookError(Exception):
    """The workbook, or one of its sheets, cannot be read; the message says why in plain words."""


@dataclass(frozen=True)
class Sheet:
    """One sheet as the workbook lists it: name, ``visible``/``hidden``/``veryHidden``, and its part in the zip."""

    name: str
    state: str
    part: str
    kind: str  # "worksheet", or the relationship's kind for other sheets (dialogsheet, macrosheet)


class Row(NamedTuple):
    """One row of a sheet.

    ``cells`` holds the texts of columns 1..n (n: the last column holding a value, at most
    ``max_col``), ``""`` where a cell is missing or empty. ``formulas`` lists ``(column, "=…")`` for cells
    holding a formula. ``beyond`` is the first column past ``max_col`` holding a value, else 0.
    """

    number: int
    cells: list[str]
    formulas: list[tuple[int, str]]
    beyond: int


def column_letter(index: int) -> str:
    """Excel's column name of a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """The 1-based column number of Excel's column name (A → 1, AA → 27)."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


def range_start(ref: str) -> tuple[int, int]:
    """Row and column of a range's top-left cell (``B3:D4`` → (3, 2))."""
    match = _CELL_REF.match(ref.split(":")[0])
    return (int(match.group(2)), column_index(match.group(1))) if match else (1, 1)


def cell_text(value: Any) -> str:
    """A cell's value as the text a CSV would hold: dates as ISO, whole floats as integers."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _unescape(text: str) -> str:
    """Excel's escapes of characters XML cannot hold (``_x000D_`` is a carriage return, ``_x005F_`` an underscore)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _local(tag: Any) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _attr(element: Any, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (``r:id`` in either relationship namespace)."""
    for key, value in element.attrib.items():
        if key == name or key.endswith("}" + name):
            return value
    return None


_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


class Workbook:
    """An .xlsx file opened for streaming: its sheets, then each sheet's rows or merged ranges.

    Use as a context manager; every method raises only ``WorkbookError``.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as err:
            raise WorkbookError(self._not_a_zip(err)) from None
        try:
            self._members = {info.filename: info for info in self._zip.infolist()}
            self._read_workbook()
            self._read_styles()
            self._read_shared_strings()
        except WorkbookError:
            self.close()
            raise
        except Exception as err:  # noqa: BLE001 - a damaged file can fail in many ways; say which, never a traceback
            self.close()
            raise WorkbookError(f"the workbook is damaged ({type(err).__name__}: {err})") from None

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the zip file."""
        self._zip.close()

    def _not_a_zip(self, err: Exception) -> str:
        try:
            with open(self.path, "rb") as handle:
                magic = handle.read(8)
        except OSError:
            magic = b""
        if magic.startswith(b"\xd0\xcf\x11\xe0"):
            return (
                "this is an old Excel workbook (.xls) or a password-protected one; "
                "save it as an Excel workbook (.xlsx) without a password"
            )
        return f"it is not a zip archive, so not an Excel workbook ({err}); save it from Excel as .xlsx"

    # -- parts ---------------------------------------------------------------------------------

    def _info(self, part: str, limit: int) -> zipfile.ZipInfo:
        info = self._members.get(part)
        if info is None:
            raise WorkbookError(f"the workbook has no part {part}; it is incomplete or not an Excel workbook")
        if info.file_size > limit:
            raise WorkbookError(
                f"its part {part} inflates to {info.file_size:,} bytes, over the limit of {limit:,}; "
                "this is not an ordinary workbook (a zip bomb?)"
            )
        return info

    def _small(self, part: str) -> Any:
        """A small part parsed whole (entities and network off)."""
        info = self._info(part, MAX_SMALL_PART_BYTES)
        try:
            return etree.fromstring(self._zip.read(info), _SAFE_XML)
        except etree.XMLSyntaxError as err:
            raise WorkbookError(f"its part {part} is not well-formed XML ({err})") from None

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """``Id → (kind, target part)`` of a part's relationships; none when it has no .rels."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self._members:
            return {}
        found = {}
        for element in self._small(rels).iter():
            if _local(element.tag) != "Relationship" or element.get("TargetMode") == "External":
                continue
            target = element.get("Target") or ""
            target = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[element.get("Id")] = (
                (element.get("Type") or "").rpartition("/")[2],
                posixpath.normpath(target),
            )
        return found

    def _read_workbook(self) -> None:
        package = self._relationships("")
        main = next((target for kind, target in package.values() if kind == "officeDocument"), "xl/workbook.xml")
        root = self._small(main)
        related = self._relationships(main)
        self.epoch = WINDOWS_EPOCH
        self.sheets: list[Sheet] = []
        for element in root.iter():
            name = _local(element.tag)
            if name == "workbookPr" and (element.get("date1904") or "").lower() in ("1", "true"):
                self.epoch = MAC_EPOCH
            elif name == "sheet":
                kind, target = related.get(_attr(element, "id") or "", ("", ""))
                if kind == "chartsheet":
                    continue  # a chart on its own tab holds no cells
                if not target:
                    raise WorkbookError(f"sheet '{element.get('name')}' points at no part of the workbook")
                self.sheets.append(Sheet(element.get("name") or "", element.get("state") or "visible", target, kind))
        self._shared_part = next((t for kind, t in related.values() if kind == "sharedStrings"), None)
        self._styles_part = next((t for kind, t in related.values() if kind == "styles"), None)

    def _read_styles(self) -> None:
        """Which cell styles (``s=`` indexes into cellXfs) show a number as a date, and which as a duration."""
        self.date_styles: frozenset[int] = frozenset()
        self.duration_styles: frozenset[int] = frozenset()
        if self._styles_part is None or self._styles_part not in self._members:
            return
        root = self._small(self._styles_part)
        custom = {}
        dates, durations = set(), set()
        for section in root:
            if _local(section.tag) == "numFmts":
                for fmt in section:
                    if _local(fmt.tag) == "numFmt" and (fmt.get("numFmtId") or "").isdigit():
                        custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
            elif _local(section.tag) == "cellXfs":
                xfs = [xf for xf in section if _local(xf.tag) == "xf"]
                for index, xf in enumerate(xfs):
                    text = xf.get("numFmtId") or "0"
                    number = int(text) if text.isdigit() else 0
                    code = custom[number] if number in custom else BUILTIN_FORMATS.get(number)
                    if is_date_format(code) or (number not in custom and number in _EAST_ASIAN_DATE_FORMATS):
                        dates.add(index)
                    if is_timedelta_format(code):
                        durations.add(index)
        self.date_styles, self.duration_styles = frozenset(dates), frozenset(durations)

    def _read_shared_strings(self) -> None:
        """The shared strings: each item's text runs joined, phonetic (furigana) runs left out."""
        self.strings: list[str] = []
        if self._shared_part is None or self._shared_part not in self._members:
            return
        info = self._info(self._shared_part, MAX_SHARED_STRINGS_BYTES)
        strings = self.strings
        chunks: list[str] = []
        join = "".join
        mark = phonetic = 0
        parts: list[str] = []

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal mark, phonetic
            if name == "t":
                mark = len(chunks)
            elif name == "si":
                chunks.clear()
                parts.clear()
            elif name == "rPh":
                phonetic += 1

        def end(name: str) -> None:
            nonlocal phonetic
            if name == "t":
                if not phonetic:
                    parts.append(join(chunks[mark:]))
            elif name == "si":
                text = parts[0] if len(parts) == 1 else join(parts)
                strings.append(_unescape(text) if "_x" in text else text)
            elif name == "rPh":
                phonetic -= 1

        def bounded() -> None:
            if len(chunks) > 16 and sum(map(len, chunks)) > 4 * MAX_CELL_CHARS:
                raise WorkbookError(f"a shared text is longer than Excel's limit of {MAX_CELL_CHARS:,} characters")

        for _ in self._parse(info, "sst", lambda: (start, end, chunks.append), bounded):
            pass

    def _parse(
        self,
        info: zipfile.ZipInfo,
        root: str,
        handlers: Any,
        after_block: Any = None,
        head: bytes = b"",
        handle: Any = None,
    ) -> Iterator[None]:
        """Feed a part to expat block by block, yielding after each block (and calling ``after_block``).

        Expat runs without namespace processing, which costs a third of its time: the root element
        (``root``) must be in the main spreadsheet namespace, and its prefix ("" as Excel writes it,
        or e.g. "x:") is the one the handlers' element names are read with. ``handlers()`` returns
        the start, end and character-data handlers, called with local names. Any DTD is refused.
        ``head`` is fed first, then the rest of ``handle`` (the part, opened here when None).
        """
        parser = expat.ParserCreate()
        parser.buffer_text = True
        parser.buffer_size = 64 * 1024
        part = info.filename

        def on_root(name: str, attrs: dict[str, str]) -> None:
            prefix, _, local = name.rpartition(":")
            if local != root or attrs.get(f"xmlns:{prefix}" if prefix else "xmlns") not in _MAIN:
                raise WorkbookError(f"its part {part} is not a spreadsheet part (its root element is <{name[:40]}>)")
            start, end, data = handlers()
            if prefix:
                cut = len(prefix) + 1
                lead = prefix + ":"

                def start_prefixed(name: str, attrs: dict[str, str]) -> None:
                    start(name[cut:] if name.startswith(lead) else "", attrs)

                def end_prefixed(name: str) -> None:
                    end(name[cut:] if name.startswith(lead) else "")

                parser.StartElementHandler, parser.EndElementHandler = start_prefixed, end_prefixed
            else:
                parser.StartElementHandler, parser.EndElementHandler = start, end
            parser.CharacterDataHandler = data
            parser.StartElementHandler(name, attrs)

        def no_dtd(*_: object) -> None:
            raise WorkbookError(f"its part {part} declares a DTD, which no Excel workbook does")

        parser.StartElementHandler = on_root
        parser.StartDoctypeDeclHandler = no_dtd
        parser.EntityDeclHandler = no_dtd
        try:
            with contextlib.ExitStack() as stack:
                if handle is None:
                    handle = stack.enter_context(self._zip.open(info))
                block = head or handle.read(_BLOCK)
                while block:
                    parser.Parse(block, False)
                    if after_block is not None:
                        after_block()
                    yield
                    block = handle.read(_BLOCK)
                parser.Parse(b"", True)
        except WorkbookError:
            raise
        except expat.ExpatError as err:
            raise WorkbookError(
                f"its part {part} is not well-formed XML ({expat.ErrorString(err.code)}, line {err.lineno}, "
                f"column {err.offset})"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
            raise WorkbookError(f"its part {part} cannot be unpacked ({err})") from None
        except Exception as err:  # noqa: BLE001 - never a traceback for a strange file; say what failed
            raise WorkbookError(f"its part {part} cannot be read ({type(err).__name__}: {err})") from None
        yield

    # -- sheets --------------------------------------------------------------------------------

    def merged_ranges(self, sheet: Sheet) -> list[str]:
        """The sheet's merged cell ranges (``A1:B1``), in order, each once.

        The sheet's bytes are searched for ``<mergeCell ref="…"/>``, block by block, rather than
        parsed: the search costs little more than inflating the part.
        """
        info = self._info(sheet.part, MAX_XML_BYTES)
        found: list[str] = []
        tail = b""
        try:
            with self._zip.open(info) as handle:
                while block := handle.read(1 << 20):
                    chunk = tail + block
                    cut = max(0, len(chunk) - 512)  # a tag cut by the block's end is searched again with the next
                    if b"mergeCell" in chunk:
                        found.extend(m.group(1).decode() for m in _MERGE_CELL.finditer(chunk) if m.start() < cut)
                    tail = chunk[cut:]
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
            raise WorkbookError(f"its part {info.filename} cannot be unpacked ({err})") from None
        found.extend(m.group(1).decode() for m in _MERGE_CELL.finditer(tail))
        return list(dict.fromkeys(found))

    def rows(self, sheet: Sheet, max_col: int) -> Iterator[Row]:
        """The sheet's rows (each ``<row>`` element, empty ones too), in order, read as they are needed.

        Stopping the iteration stops the reading: memory holds one block of XML and its rows.
        This is the hot loop of a workbook import (millions of cells). Plain chunks go through
        ``fast``; the expat handlers (``start``/``end``) read the rest, expat handing every piece of
        text straight to ``chunks.append`` (no Python call) while the handlers only note where a
        value's text starts and ends.
        """
        info = self._info(sheet.part, MAX_XML_BYTES)
        strings, dates, durations, epoch = self.strings, self.date_styles, self.duration_styles, self.epoch
        columns: dict[str, int] = {}
        converted: dict[tuple[str | None, str | None, str], str] = {}
        done: list[Row] = []
        shared_formulas: dict[str, tuple[str, str]] = {}
        chunks: list[str] = []  # every piece of character data since the cell began
        join = "".join
        # The row and the cell being read.
        row_no = col = beyond = mark = 0
        cells: list[str] = []
        formulas: list[tuple[int, str]] = []
        ref: str | None = None
        kind: str | None = None
        style: str | None = None
        value: list[str] = []
        formula: str | None = None
        formula_attrs: dict[str, str] = {}
        inline = phonetic = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row_no, col, beyond, cells, formulas, ref, kind, style, formula, formula_attrs
            nonlocal inline, phonetic, mark
            if name == "c":
                get = attrs.get
                ref, kind, style = get("r"), get("t"), get("s")
                if ref:
                    col = columns.get(ref.rstrip("0123456789")) or _column_of(ref, columns) or col + 1
                else:
                    col += 1
                if chunks:
                    chunks.clear()
                formula, inline = None, False
            elif name == "v" or name == "t":
                mark = len(chunks)
            elif name == "is":
                inline = True
            elif name == "row":
                number = attrs.get("r")
                try:
                    row_no = int(number) if number else row_no + 1
                except ValueError:
                    raise WorkbookError(f"a row's number is '{number[:20]}', not a number") from None
                if not 0 < row_no <= MAX_SHEET_ROWS:
                    raise WorkbookError(f"row number {row_no:,} is outside Excel's rows 1 to {MAX_SHEET_ROWS:,}")
                col, beyond, cells, formulas = 0, 0, [], []
                chunks.clear()
            elif name == "f":
                formula_attrs, mark = attrs, len(chunks)
            elif name == "rPh":
                phonetic = True

        def end(name: str) -> None:
            nonlocal beyond, formula, phonetic
            if name == "c":
                if value:
                    raw = value[0] if len(value) == 1 else join(value)
                    value.clear()
                else:
                    raw = ""
                if kind == "inlineStr":
                    text = _unescape(raw) if "_x" in raw else raw
                elif kind == "s" and raw.isdecimal() and int(raw) < len(strings):
                    text = strings[int(raw)]
                elif kind is None and not style and raw.isdecimal():
                    text = str(int(raw))
                else:
                    # Dates and other styled numbers repeat (one decision date on many rows): each
                    # distinct (type, style, value) is converted once (the serial-date arithmetic was a
                    # fifth of reading an Excel-saved sheet).
                    key = (kind, style, raw)
                    text = converted.get(key)
                    if text is None:
                        text = _cell_value_text(
                            ref or f"{column_letter(col)}{row_no}", kind, style, raw, strings, dates, durations, epoch
                        )
                        if len(converted) >= 100_000:
                            converted.clear()
                        converted[key] = text
                if formula is not None:
                    text = _formula_text(
                        ref or f"{column_letter(col)}{row_no}", formula, formula_attrs, shared_formulas
                    )
                    if col <= max_col:
                        formulas.append((col, text))
                if text:
                    if col > max_col:
                        if not beyond and text.strip():
                            beyond = col
                        return
                    if len(text) > MAX_CELL_CHARS:
                        raise WorkbookError(
                            f"cell {ref} holds {len(text):,} characters, more than Excel's limit of {MAX_CELL_CHARS:,}"
                        )
                    size = len(cells)
                    if col == size + 1:
                        cells.append(text)
                    elif col > size:
                        cells.extend([""] * (col - size - 1))
                        cells.append(text)
                    else:
                        cells[col - 1] = text
                elif formula is not None and col > max_col and not beyond:
                    beyond = col
            elif name == "v":
                if not inline:
                    value.append(chunks[-1] if len(chunks) == mark + 1 else join(chunks[mark:]))
            elif name == "t":
                if inline and not phonetic:
                    value.append(chunks[-1] if len(chunks) == mark + 1 else join(chunks[mark:]))
            elif name == "is":
                return
            elif name == "row":
                done.append(Row(row_no, cells, formulas, beyond))
            elif name == "f":
                formula = join(chunks[mark:])
            elif name == "rPh":
                phonetic = False

        def bounded() -> None:
            # Text is gathered per cell; one far over Excel's cell limit (or text strewn outside the
            # cells) is refused here rather than held in memory.
            if len(chunks) > 16 or (chunks and len(chunks[-1]) > MAX_CELL_CHARS):
                if sum(map(len, chunks)) > 4 * MAX_CELL_CHARS:
                    raise WorkbookError(
                        f"near row {row_no:,} the sheet holds a text of more than {4 * MAX_CELL_CHARS:,} characters "
                        f"(Excel's cells hold at most {MAX_CELL_CHARS:,})"
                    )

        def handlers() -> tuple[Any, Any, Any]:
            return start, end, chunks.append

        def convert(kind: str | None, style: str | None, raw: str, col: int) -> str:
            # The fast path's conversion of a cell's raw text (the exact path's, in ``end``).
            if kind == "inlineStr":
                return _unescape(raw) if "_x" in raw else raw
            if kind == "s" and raw.isdecimal() and int(raw) < len(strings):
                return strings[int(raw)]
            if kind is None and not style and raw.isdecimal():
                return str(int(raw))
            key = (kind, style, raw)
            text = converted.get(key)
            if text is None:
                text = _cell_value_text(
                    f"{column_letter(col)}{row_no}", kind, style, raw, strings, dates, durations, epoch
                )
                if len(converted) >= 100_000:
                    converted.clear()
                converted[key] = text
            return text

        def exact(fragment: str) -> None:
            # A chunk of rows the fast path does not take (entities, formulas, rich text...), read by
            # expat with the same handlers, wrapped in the element it came from.
            wrapped = f'<sheetData xmlns="{_MAIN[0]}">{fragment}</sheetData>'.encode()
            for _ in self._parse(info, "sheetData", handlers, None, wrapped, io.BytesIO()):
                pass

        def fast(chunk: str) -> bool:
            """Rows of a chunk in the plain form Excel and openpyxl write, or False to read it exactly."""
            nonlocal row_no
            if "&" in chunk or "\r" in chunk or _XML_FORBIDDEN.search(chunk):
                return False
            found: list[Row] = []
            cell_limit = MAX_CELL_CHARS
            tags = 0  # every "<" of the chunk must belong to a tag read here, or the chunk is not plain
            row_cells: list[str] | None = None
            number = last = wide = 0
            for row_number, row_closed, letters, attrs, cell_closed, inner in _FAST_TOKENS.findall(chunk):
                if row_number:
                    if row_cells is not None:
                        found.append(Row(number, row_cells, [], wide))
                    number, wide = int(row_number), 0
                    if not 0 < number <= MAX_SHEET_ROWS:
                        return False
                    tags += 1 if row_closed else 2
                    row_cells = None if row_closed else []
                    if row_closed:
                        found.append(Row(number, [], [], 0))
                    last = number
                    continue
                if row_cells is None:
                    return False
                col = columns.get(letters) or _column_of(letters, columns)
                kind_style = plain_attrs.get(attrs)
                if not col or kind_style is None and (kind_style := _plain_attrs(attrs, plain_attrs)) is None:
                    return False
                if cell_closed:
                    tags += 1
                    continue
                if not inner:
                    tags += 2
                    continue
                if inner.startswith("<v>") and inner.endswith("</v>"):
                    raw, tags = inner[3:-4], tags + 4
                elif inner.startswith("<is><t>") and inner.endswith("</t></is>"):
                    raw, tags = inner[7:-9], tags + 6
                elif inner.startswith('<is><t xml:space="preserve">') and inner.endswith("</t></is>"):
                    raw, tags = inner[28:-9], tags + 6
                else:
                    return False  # formulas, rich text, phonetic runs, empty elements: the exact path
                if not raw:
                    continue
                kind, style = kind_style
                # The common cases inline (a "<" in raw makes the chunk's tag count fail later).
                if kind == "s" and raw.isdecimal() and int(raw) < len(strings):
                    text = strings[int(raw)]
                elif kind == "inlineStr":
                    text = _unescape(raw) if "_x" in raw else raw
                elif kind is None and not style and raw.isdecimal():
                    text = str(int(raw))
                elif (text := converted.get((kind, style, raw))) is None:
                    if "<" in raw:
                        return False
                    row_no = number
                    text = convert(kind, style, raw, col)
                if not text:
                    continue
                if col > max_col:
                    if not wide and text.strip():
                        wide = col
                    continue
                if len(text) > cell_limit:
                    return False
                size = len(row_cells)
                if col == size + 1:
                    row_cells.append(text)
                elif col > size:
                    row_cells.extend([""] * (col - size - 1))
                    row_cells.append(text)
                else:
                    row_cells[col - 1] = text
            if row_cells is not None:
                found.append(Row(number, row_cells, [], wide))
            if chunk.count("<") != tags:
                return False
            row_no = last
            done.extend(found)
            return True

        plain_attrs: dict[str, tuple[str | None, str | None]] = {}
        with contextlib.ExitStack() as stack:
            try:
                handle = stack.enter_context(self._zip.open(info))
                head = handle.read(_BLOCK)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
                raise WorkbookError(f"its part {info.filename} cannot be unpacked ({err})") from None
            opened = _plain_opening(head) if _FAST else None
            if opened is None:
                # Not the plain form (a prefix, a DTD, another encoding...): expat reads it all.
                for _ in self._parse(info, "worksheet", handlers, bounded, head, handle):
                    if done:
                        yield from done
                        done.clear()
                return
            decoder, root_tag, pending = opened
            while True:
                cut = pending.find("</sheetData>")
                ended = cut >= 0
                if not ended:
                    cut = pending.rfind("</row>")
                    cut = cut + 6 if cut >= 0 else 0
                chunk, pending = pending[:cut], pending[cut:]
                if chunk and not fast(chunk):
                    exact(chunk)
                if done:
                    yield from done
                    done.clear()
                if ended:
                    return  # what follows the rows (merged ranges...) is read by merged_ranges()
                if len(pending) > 4 * MAX_CELL_CHARS + _BLOCK:
                    # A row too long to hold as text: expat reads the rest, with flat memory.
                    rest = (root_tag + "<sheetData>" + pending).encode() + decoder.getstate()[0]
                    for _ in self._parse(info, "worksheet", handlers, bounded, rest, handle):
                        if done:
                            yield from done
                            done.clear()
                    return
                try:
                    block = handle.read(_BLOCK)
                    if not block:
                        raise WorkbookError(f"its part {info.filename} ends before its rows do")
                    pending += decoder.decode(block)
                except UnicodeDecodeError:
                    raise WorkbookError(f"its part {info.filename} is not UTF-8 text") from None
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as err:
                    raise WorkbookError(f"its part {info.filename} cannot be unpacked ({err})") from None


# The fast path (Workbook.rows): a sheet in the plain form Excel and openpyxl write (default
# namespace, no DTD, UTF-8) is cut into chunks of whole rows; a chunk with no entity, no character
# XML forbids, and only plain cells (<v>text</v> or <is><t>text</t></is>) is read by one regex,
# and every "<" in it must belong to a tag it read. Any other chunk is read by expat. tests/test_xlsx.py
# reads every workbook both ways and compares.
_FAST = True
_FAST_TOKENS = re.compile(
    r'<row r="([0-9]+)"[^>]*?(/?)>|<c r="([A-Z]{1,3})[0-9]+"((?: [a-zA-Z]+="[^"<]*")*)(?:(/)>|>(.*?)</c>)', re.S
)
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN_ROOT = re.compile(r"\ufeff?(?:<\?xml[^>]*\?>)?\s*(<worksheet\b[^>]*>)")
_ATTRIBUTE = re.compile(r' ([a-zA-Z]+)="([^"<]*)"')


def _plain_opening(head: bytes) -> tuple[Any, str, str] | None:
    """A decoder, the root tag and the text after ``<sheetData>`` when the sheet opens in the plain form, else None."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(head)
    except UnicodeDecodeError:
        return None
    start = text.find("<sheetData>")
    opening = _PLAIN_ROOT.match(text[:start]) if start >= 0 else None
    if opening is None or "<!" in text[:start] or "<?" in text[opening.end(1) : start]:
        return None
    declaration = text[: opening.start(1)]
    if "encoding" in declaration and not re.search(r"""encoding=["']utf-?8["']""", declaration, re.I):
        return None
    if not any(f'xmlns="{ns}"' in opening.group(1) for ns in _MAIN):
        return None
    return decoder, opening.group(1), text[start + len("<sheetData>") :]


def _plain_attrs(attrs: str, known: dict[str, tuple[str | None, str | None]]) -> tuple[str | None, str | None] | None:
    """A plain cell's type and style from its attributes after r (each at most once), or None."""
    found = dict(_ATTRIBUTE.findall(attrs))
    if len(found) != attrs.count("=") or not set(found) <= {"s", "t", "cm", "vm", "ph"}:
        return None
    result = (found.get("t"), found.get("s"))
    if len(known) < 1000:
        known[attrs] = result
    return result


def _column_of(ref: str, known: dict[str, int]) -> int:
    """The column number of a cell reference's letters (remembered), or 0 when they are not A to XFD."""
    letters = ref.rstrip("0123456789")
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha() and letters.isupper()):
        return 0
    known[letters] = column_index(letters)
    return known[letters]


def _cell_value_text(
    ref: str,
    kind: str | None,
    style: str | None,
    raw: str,
    strings: list[str],
    dates: frozenset[int],
    durations: frozenset[int],
    epoch: dt.datetime,
) -> str:
    """A cell's text as openpyxl's value would print (``cell_text``), from its type, style and raw text."""
    if kind is None or kind == "n":
        if raw == "":
            return ""
        try:
            number: int | float = float(raw) if ("." in raw or "e" in raw or "E" in raw) else int(raw)
        except ValueError:
            raise WorkbookError(f"cell {ref} should hold a number but holds '{raw[:40]}'") from None
        if style and style != "0":
            try:
                style_index = int(style)
            except ValueError:
                raise WorkbookError(f"cell {ref} has a broken style reference '{style[:20]}'") from None
            if style_index in dates:
                try:
                    return cell_text(from_excel(number, epoch, timedelta=style_index in durations))
                except (OverflowError, ValueError):
                    return "#VALUE!"  # a serial outside Excel's calendar, shown as Excel shows it (openpyxl too)
        return cell_text(number)
    if kind == "s":
        if raw == "":
            return ""
        try:
            return strings[int(raw)]
        except (ValueError, IndexError):
            raise WorkbookError(
                f"cell {ref} refers to shared text number {raw[:20]}, which the workbook does not hold"
            ) from None
    if kind == "inlineStr":
        return _unescape(raw)
    if kind == "b":
        return "" if raw == "" else str(raw.strip() not in ("0", "false"))
    if kind == "d":
        try:
            return cell_text(from_ISO8601(raw))
        except (ValueError, TypeError):
            raise WorkbookError(f"cell {ref} should hold a date but holds '{raw[:40]}'") from None
    return raw  # "str" (a formula's text result), "e" (an error such as #N/A)


def _formula_text(ref: str, body: str, attrs: dict[str, str], shared: dict[str, tuple[str, str]]) -> str:
    """The formula as Excel shows it (``=50+20``); a shared formula's copies are translated from its first cell."""
    text = "=" + body
    if attrs.get("t") == "shared":
        index = attrs.get("si", "")
        if text == "=" and index in shared:
            origin, first = shared[index]
            try:
                from openpyxl.formula.translate import Translator

                return Translator(first, origin).translate_formula(ref)
            except Exception:  # noqa: BLE001 - only quoted in the message; the cell is refused anyway
                return first
        if text != "=":
            shared.setdefault(index, (ref, text))
    return text
