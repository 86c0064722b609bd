"""Interface text in English and Japanese.

Every string the dashboard writes lives in one catalogue per language, ``jcm_dash/locales/en.toml``
and ``ja.toml`` (TOML tables flatten to dotted keys: ``[overview] title`` is ``overview.title``).
tests/test_i18n.py checks that both have the same keys and placeholders. Partner-country names in
Japanese come from the Unicode CLDR via Babel (ISO3 → ISO2 through CLDR's own territory aliases);
technology types are translated once, in each catalogue's ``[technology]`` table. Data values that
exist only in English (project titles, target names, notes) are shown as they are.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import string
import tomllib
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import get_global

LANGUAGES = {"en": "English", "ja": "日本語"}
DEFAULT_LANG = "en"
LOCALES_DIR = Path(__file__).parent / "locales"
MIXED_PREFIX = "Mixed: "  # how jcm_dash.queries labels an issuance whose projects differ in technology


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in table.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{key}."))
        else:
            flat[key] = str(value)
    return flat


class Markdown(str):
    """Text that is Markdown already (a catalogue string, or outside text escaped): ``Translator.md`` keeps it."""


# The characters that start inline Markdown in Streamlit: emphasis, code, links and images ([ ]),
# autolinks and HTML (< >), math ($), directives, icons, emoji and http:// (a colon before a
# non-space; "Scope: …" keeps its plain colon), strikethrough (~), entities
# (&), e-mail autolinks (@) and tables (|). Each backslash-escaped is only itself (CommonMark lets any
# ASCII punctuation be escaped). Others (- . # + > =) only matter at the start of a line: escaped
# there. Dates, numbers and parentheses stay as typed, so the Markdown source stays readable.
_MARKDOWN_INLINE = re.compile(r"([\\`*_\[\]<>$~&@|]|:(?=\S))")
_LINE_START = re.compile(r"^(\s*)([-+#>=.])|^(\s*\d+)([.)])")
# Streamlit's GFM also turns http://…, www.… and a@b.c into links *after* escapes are resolved, when
# they follow a space or punctuation: an invisible WORD JOINER (U+2060) before them stops that.
_AUTOLINK = re.compile(r"(?i)(https?(?=\\?:/)|www(?=\\?\.)|(?=\\@))")
WORD_JOINER = "\u2060"
_URL_UNSAFE = re.compile(r"[()<>\[\]\\`\s]")


def escape_markdown(text: object) -> Markdown:
    """``text`` from the data or the URL as Markdown that shows exactly that text, inline.

    For every Streamlit call that reads Markdown (st.markdown, st.caption, st.subheader, st.warning,
    st.error, st.info, st.success, st.spinner, widget labels): a title such as ``[Log in](http://…)``
    or ``![x](http://…)`` then shows as typed and is never a link or an outside image
    (tests/test_hardening.py::test_markdown_in_data_and_url_is_shown_as_text).
    """
    flat = " ".join(str(text).splitlines())
    escaped = _MARKDOWN_INLINE.sub(r"\\\1", flat)
    escaped = _AUTOLINK.sub(lambda m: WORD_JOINER + m.group(1), escaped)
    escaped = _LINE_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}", escaped
    )
    return Markdown(escaped)


def markdown_url(url: str) -> Markdown:
    """An http(s) URL from the data as a Markdown link destination: the characters that could end it percent-encoded."""
    return Markdown(_URL_UNSAFE.sub(lambda m: "%" + "".join(f"{b:02X}" for b in m.group(0).encode()), str(url)))


def code_span(text: object) -> Markdown:
    """``text`` as an inline code span, fenced with more backticks than it holds (nothing inside is Markdown)."""
    flat = " ".join(str(text).splitlines())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    return Markdown(f"{fence} {flat} {fence}" if longest else f"`{flat}`")


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every interface string of ``lang``, by dotted key."""
    with (LOCALES_DIR / f"{lang}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders in a catalogue string."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def normalise(lang: str | None) -> str:
    """A supported language code (``en`` for anything unknown or missing)."""
    return lang if lang in LANGUAGES else DEFAULT_LANG


@functools.cache
def _iso2_by_iso3() -> dict[str, str]:
    aliases = get_global("territory_aliases")
    return {code: targets[0] for code, targets in aliases.items() if len(code) == 3 and code.isalpha()}


class Translator:
    """Looks up interface strings and formats figures for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise(lang)
        self.text = catalogue(self.lang)
        self._territories = Locale.parse(self.lang).territories

    def __call__(self, key: str, **values: Any) -> str:
        """The catalogue string ``key`` with ``values`` substituted (KeyError names a missing key)."""
        text = self.text[key]
        return text.format(**values) if values else text

    def md(self, key: str, **values: Any) -> Markdown:
        """The catalogue string ``key`` as Markdown, every substituted text escaped (``escape_markdown``).

        Use this, not ``__call__``, wherever the result is rendered as Markdown. Numbers keep their
        format specs (``{n:,}``); a value that is ``Markdown`` already (another ``md`` result) is kept.
        """
        safe = {
            name: value if isinstance(value, Markdown | numbers.Number) else escape_markdown(value)
            for name, value in values.items()
        }
        return Markdown(self(key, **safe))

    def value(self, table: str, value: str) -> str:
        """A data value translated by the catalogue's ``[table]`` (kept as in the data when not listed)."""
        return self.text.get(f"{table}.{value}", value)

    def fy(self, fy: int | None) -> str:
        """A fiscal year: ``FY2030`` / ``2030年度``; the catalogue's "date unknown" for None."""
        return self("fy.unknown") if fy is None else self("fy.label", fy=int(fy))

    def fy_range(self, first: int, last: int) -> str:
        """A range of fiscal years: ``FY2015–FY2025`` / ``2015〜2025年度``."""
        return self("fy.range", first=int(first), last=int(last))

    def number(self, value: float | None, decimals: int = 0) -> str:
        """A number with thousands separators; the catalogue's "unknown" when missing."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self("unit.unknown")
        return f"{value:,.{decimals}f}"

    def tco2(self, value: float | None, unit: str = "t-CO2e", compact: bool = False) -> str:
        """A tonnage with thousands separators: ``129,902 t-CO2e``; "unknown" when missing.

        ``compact`` shortens a million and more: ``25.0 Mt-CO2e`` in English, ``2,500万t-CO2e`` in Japanese.
        """
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self("unit.unknown")
        if compact and abs(value) >= 1_000_000:
            if self.lang == "ja":
                return f"{value / 10_000:,.0f}万{unit}"
            return f"{value / 1_000_000:,.1f} M{unit}"
        return f"{value:,.0f} {unit}"

    def per_year(self) -> str:
        """The unit of an annual amount: ``t-CO2e/yr`` / ``t-CO2e/年``."""
        return self("unit.tco2_per_year")

    def pct(self, value: float | None) -> str:
        """A share of a target: small shares keep enough digits to be non-zero (``0.130%``)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self("unit.unknown")
        if value == 0:
            return "0%"
        if abs(value) < 1:
            return f"{value:.3f}%"
        return f"{value:,.1f}%"

    def country(self, iso3: str, english_name: str | None = None) -> str:
        """A partner country's name: the data's own name in English, CLDR's in other languages."""
        if self.lang == "en" and english_name:
            return english_name
        iso2 = _iso2_by_iso3().get(str(iso3).upper())
        return self._territories.get(iso2) or english_name or str(iso3)

    def countries(self, english_names: dict[str, str]) -> dict[str, str]:
        """``{iso3: name}`` in this language, from ``{iso3: English name}``."""
        return {iso3: self.country(iso3, name) for iso3, name in english_names.items()}

    def tech(self, label: Any) -> str:
        """A technology label (UNEP type or subtype, or "Mixed: A + B") in this language.

        Values missing from the ``[technology]`` table (such as keyword details) stay as in the data.
        """
        if label is None or (isinstance(label, float) and math.isnan(label)):
            return self("technology.Not classified")
        text = str(label)
        if text.startswith(MIXED_PREFIX):
            parts = [self.text.get(f"technology.{p}", p) for p in text.removeprefix(MIXED_PREFIX).split(" + ")]
            return self("technology_mixed", parts=" + ".join(parts))
        return self.text.get(f"technology.{text}", text)

    def status(self, code: str) -> str:
        """A project status code (registered, validation, planned, withdrawn) in words."""
        return self.value("status", code)


@functools.cache
def translator(lang: str | None = DEFAULT_LANG) -> Translator:
    """The (shared, immutable) Translator for ``lang``."""
    return Translator(normalise(lang))


EN = translator("en")
