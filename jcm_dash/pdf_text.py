"""Make the text of a PDF printed by Chromium extract as the characters that were written (no Streamlit).

Why it is needed: Noto Sans CJK maps several code points to one glyph, for example 日 (U+65E5) and
the Kangxi radical ⽇ (U+2F47), or ／ (U+FF0F) and ∕ (U+2215). When Chromium (Skia) embeds the font
it writes each glyph's ToUnicode entry from the font's character map, keeping the *lowest* code
point that reaches the glyph, so 日本 is stored as ⽇本: a search for 日本 fails and copied text
carries the look-alikes (tests/test_briefing.py::test_japanese_pdf_text_extracts_as_written).

The fix rewrites each ToUnicode map: a look-alike that has a plain form is mapped to it (Unicode's
compatibility mapping, NFKC, takes every Kangxi radical to its ideograph) and the few symbols that
share a glyph with a full-width form are mapped to that form. The glyphs drawn are untouched.
"""

from __future__ import annotations

import io
import re
import unicodedata

from pypdf import PdfReader, PdfWriter
from pypdf.generic import DictionaryObject, IndirectObject

# Blocks Japanese text never uses but whose code points Noto shares with ideographs: Kangxi Radicals
# and CJK Radicals Supplement. NFKC gives each Kangxi radical its ideograph.
_RADICALS = range(0x2E80, 0x2FE0)
# Latin ligatures (ﬁ, ﬂ ...): the one-pager turns them off, and any left are spelt out.
_LIGATURES = range(0xFB00, 0xFB07)
# Symbols Noto Sans CJK JP draws with the glyph of a full-width form the interface writes.
_SHARED_SYMBOLS = {
    "\u2215": "\uff0f",  # ∕ DIVISION SLASH  -> ／ FULLWIDTH SOLIDUS (the scope separator)
    "\u2027": "\u00b7",  # ‧ HYPHENATION POINT -> · MIDDLE DOT (between a card's notes)
}
_BLOCK = re.compile(rb"(\d+)\s+begin(bfchar|bfrange)\s+(.*?)\s*end\2", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>|\[([^\]]*)\]")


def plain_character(char: str) -> str:
    """The character a look-alike stands for (itself when it is not one)."""
    if char in _SHARED_SYMBOLS:
        return _SHARED_SYMBOLS[char]
    if ord(char) in _RADICALS:
        plain = unicodedata.normalize("NFKC", char)
        if len(plain) == 1:
            return plain
    if ord(char) in _LIGATURES:
        return unicodedata.normalize("NFKC", char)
    return char


def _decode(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode("ascii")).decode("utf-16-be", errors="surrogatepass")


def _encode(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be", errors="surrogatepass").hex().upper().encode("ascii") + b">"


def _mappings(cmap: bytes) -> list[tuple[bytes, str]]:
    """Every (source code, destination text) of a ToUnicode CMap, ranges expanded."""
    pairs: list[tuple[bytes, str]] = []
    for _count, kind, body in _BLOCK.findall(cmap):
        tokens = _HEX.findall(body)
        step = 2 if kind == b"bfchar" else 3
        for i in range(0, len(tokens) - step + 1, step):
            source = tokens[i][0]
            if kind == b"bfchar":
                pairs.append((source, _decode(tokens[i + 1][0])))
                continue
            first, last = int(source, 16), int(tokens[i + 1][0], 16)
            width = len(source)
            target, array = tokens[i + 2]
            if array:  # [<dst1> <dst2> ...]: one destination per code
                for offset, hex_text in enumerate(re.findall(rb"<([0-9A-Fa-f]*)>", array)):
                    pairs.append((f"{first + offset:0{width}X}".encode(), _decode(hex_text)))
                continue
            start = _decode(target)
            for offset in range(last - first + 1):
                # A range increments the last character of its destination.
                text = start[:-1] + chr(ord(start[-1]) + offset) if start else ""
                pairs.append((f"{first + offset:0{width}X}".encode(), text))
    return pairs


def fix_cmap(cmap: bytes) -> bytes:
    """``cmap`` with every look-alike destination replaced by its plain character (unchanged if none)."""
    pairs = _mappings(cmap)
    fixed = [(source, "".join(plain_character(c) for c in text)) for source, text in pairs]
    if fixed == pairs:
        return cmap
    blocks = []
    for i in range(0, len(fixed), 100):  # at most 100 entries a block (PDF 32000-1, 9.10.3)
        chunk = fixed[i : i + 100]
        lines = b"\n".join(b"<" + source + b"> " + _encode(text) for source, text in chunk)
        blocks.append(str(len(chunk)).encode() + b" beginbfchar\n" + lines + b"\nendbfchar")
    spans = [match.span() for match in _BLOCK.finditer(cmap)]
    return cmap[: spans[0][0]] + b"\n".join(blocks) + cmap[spans[-1][1] :]


def _fonts(resources: object, seen: set[int]) -> list[DictionaryObject]:
    """Every font dictionary reachable from a resource dictionary (forms and Type3 fonts nest their own)."""
    if isinstance(resources, IndirectObject):
        if resources.idnum in seen:
            return []
        seen.add(resources.idnum)
    resources = resources.get_object() if resources is not None else None
    if not isinstance(resources, DictionaryObject):
        return []
    found = []
    for font in (resources.get("/Font") or DictionaryObject()).get_object().values():
        font = font.get_object()
        found.append(font)
        found += _fonts(font.get("/Resources"), seen)
    for xobject in (resources.get("/XObject") or DictionaryObject()).get_object().values():
        found += _fonts(xobject.get_object().get("/Resources"), seen)
    return found


def fix_text(pdf: bytes) -> bytes:
    """The PDF with its fonts' ToUnicode maps corrected (``fix_cmap``); the pages are drawn as before."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    changed = False
    seen: set[int] = set()
    for page in writer.pages:
        for font in _fonts(page.get("/Resources"), seen):
            stream = font.get("/ToUnicode")
            if stream is None:
                continue
            stream = stream.get_object()
            data = stream.get_data()
            fixed = fix_cmap(data)
            if fixed != data:
                stream.set_data(fixed)
                changed = True
    if not changed:
        return pdf
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
