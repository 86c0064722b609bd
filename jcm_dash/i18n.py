"""Interface text in English and Japanese.

Every string the dashboard writes lives in one catalogue per language, ``jcm_dash/locales/en.toml``
and ``ja.toml`` (TOML tables flatten to dotted keys: ``[overview] title`` is ``overview.title``).
tests/test_i18n.py checks that both have the same keys and placeholders. Partner-country names in
Japanese come from the Unicode CLDR via Babel (ISO3 → ISO2 through CLDR's own territory aliases),
except where the catalogue's ``[country]`` table gives the name Japanese officials use (MOFA writes
ミャンマー where CLDR has ミャンマー (ビルマ)); technology types and the known targets are translated
once, in each catalogue's ``[technology]`` and ``[target]`` tables. Data values that exist only in
English (project titles, notes) are shown as they are.

Amounts read two ways: tables keep tonnes with thousands separators (``tco2``); cards, sentences and
chart labels use ``amount``: Mt in English (``24.8 Mt``), 万t / 億t in Japanese as government
documents write them (``2,480万t``, ``1億9,930万t``). Counted words follow the language's plural
rules (Babel's CLDR data): a catalogue entry with ``one`` / ``other`` forms is read by ``plural``.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import tomllib
from pathlib import Path
from typing import Any

from babel import Locale
from babel.core import get_global

LANGUAGES = {"en": "English", "ja": "日本語"}
DEFAULT_LANG = "en"
LOCALES_DIR = Path(__file__).parent / "locales"
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
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
        self._locale = Locale.parse(self.lang)
        self._territories = self._locale.territories

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

    def md_plural(self, key: str, n: int, **values: Any) -> Markdown:
        """``plural`` as Markdown, every substituted text escaped (as ``md`` does)."""
        safe = {
            name: value if isinstance(value, Markdown | numbers.Number) else escape_markdown(value)
            for name, value in values.items()
        }
        return Markdown(self.plural(key, n, **safe))

    def value(self, table: str, value: str) -> str:
        """A data value translated by the catalogue's ``[table]`` (kept as in the data when not listed)."""
        return self.text.get(f"{table}.{value}", value)

    def fy(self, fy: int | None) -> str:
        """A fiscal year: ``FY2030`` / ``2030年度``; the catalogue's "date unknown" for None."""
        return self("fy.unknown") if fy is None else self("fy.label", fy=int(fy))

    def date_as_known(self, text: object) -> str:
        """A date known to the day, month or year, written only as precisely as it is known.

        ``2013-01-08`` / ``2013-08`` / ``2013`` read ``8 Jan 2013`` / ``Aug 2013`` / ``2013`` in English
        and ``2013年1月8日`` / ``2013年8月`` / ``2013年`` in Japanese; other text is kept as it is.
        """
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", str(text).strip())
        if not match or not 1 <= int(match.group(2) or 1) <= 12:
            return str(text)
        year, month, day = match.group(1), match.group(2), match.group(3)
        if self.lang == "ja":
            return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")
        name = _MONTHS_EN[int(month) - 1] if month else ""
        if day:
            return f"{int(day)} {name} {year}"
        return f"{name} {year}" if month else year

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

        ``compact`` gives the cards' form instead (``amount``): ``25.0 Mt/yr``, ``2,500万t/年``.
        """
        if compact:
            return self.amount(value, per_year=unit == self.per_year())
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self("unit.unknown")
        return f"{value:,.0f} {unit}"

    def amount(self, value: float | None, per_year: bool = False, digits: int | None = None) -> str:
        """A tonnage (t-CO2e) as cards and sentences write it; "unknown" when missing.

        English: ``24.8 Mt`` from 1 Mt, ``0.13 Mt`` / ``0.045 Mt`` from 10,000 t, else ``499 t``.
        Japanese: ``1億9,930万t`` from 1億, ``2,480万t`` from 100万, ``13.2万t`` from 1万, else ``499t``.
        ``digits`` fixes the decimals of the Mt / 万 figure (targets: ``digits=0`` gives ``100 Mt``).
        """
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self("unit.unknown")
        value = float(value)
        suffix = self("unit.per_year_suffix") if per_year else ""
        size = abs(value)
        if self.lang == "ja":
            if size >= 1e8:
                oku, man = divmod(round(size / 1e4), 10_000)
                text = f"{oku:,}億" + (f"{man:,}万" if man else "")
                return ("-" if value < 0 else "") + text + "t" + suffix
            if size >= 1e4:
                decimals = digits if digits is not None else (0 if size >= 1e6 else 1)
                figure = f"{value / 1e4:,.{decimals}f}".removesuffix(".0")  # 70万t, as documents write it
                return f"{figure}万t{suffix}"
            return f"{value:,.0f}t{suffix}"
        if size >= 1e4:
            decimals = digits if digits is not None else (1 if size >= 1e6 else 2 if size >= 1e5 else 3)
            return f"{value / 1e6:,.{decimals}f} Mt{suffix}"
        return f"{value:,.0f} t{suffix}"

    def tick(self, value: float) -> str:
        """An axis tick for a tonnage: ``100,000 t`` / ``50 Mt``; ``10万t`` / ``1億5,000万t`` in Japanese; ``0``."""
        if value == 0:
            return "0"
        if self.lang == "ja":
            return self.amount(value, digits=0) if value >= 1e4 else f"{value:,.0f}t"
        if abs(value) >= 1e6:
            return f"{value / 1e6:,.{0 if float(value / 1e6).is_integer() else 1}f} Mt"
        return f"{value:,.0f} t"

    def plural(self, key: str, n: int, **values: Any) -> str:
        """The catalogue entry ``key`` in the form the language uses for ``n`` (``key.one`` / ``key.other``)."""
        form = self._locale.plural_form(abs(n))
        text = self.text.get(f"{key}.{form}", self.text[f"{key}.other"])
        return text.format(n=n, **values)

    def ordinal(self, n: int) -> str:
        """A rank: ``1st``, ``2nd``, ``23rd`` / ``1位``."""
        form = self._locale.ordinal_form(n) if self.lang == "en" else "other"
        return self(f"unit.ordinal_{form}", n=n)

    def per_year(self) -> str:
        """The unit of an annual amount: ``t-CO2e/yr`` / ``t-CO2e/年``."""
        return self("unit.tco2_per_year")

    def pct(self, value: float | None) -> str:
        """A share: ``13.9%``; below 1% two significant digits (``0.70%``, ``0.066%``), so it is never shown as 0."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return self("unit.unknown")
        if value == 0:
            return "0%"
        if abs(value) < 1:  # two significant digits, so a small share is never shown as 0
            return f"{value:.{max(2, 1 - math.floor(math.log10(abs(value))))}f}%"
        return f"{value:,.1f}%"

    def country(self, iso3: str, english_name: str | None = None) -> str:
        """A partner country's name: the data's own in English, else the catalogue's ``[country]`` or CLDR's.

        The ``[country]`` table holds the spelling Japanese officials use where CLDR differs.
        """
        code = str(iso3).upper()
        if self.lang == "en" and english_name:
            return english_name
        official = self.text.get(f"country.{code}")
        if official:
            return official
        iso2 = _iso2_by_iso3().get(code)
        return self._territories.get(iso2) or english_name or code

    def target(self, name: str) -> str:
        """A target's name: the catalogue's ``[target]`` entry for a known target, else as in the data."""
        return self.text.get(f"target.{name}", name)

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
