"""Briefing pack for COP meetings: a PPTX deck, a one-page PDF and every chart as PNG and SVG.

``contents.content`` computes what the pack says from jcm_dash.views (the functions the pages use, so the
pack and the dashboard cannot disagree); the renderers lay it out: ``images`` (kaleido, PNG and
SVG), ``deck`` (PPTX) and ``onepager`` (HTML printed to PDF by Chromium). ``build`` runs them all.
An optional section is a ``contents.Section`` returned by a function in ``contents.SECTIONS`` (always
asked) or ``contents.OPTIONAL_SECTIONS`` (only when ``build`` names it: ``article6``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from jcm_dash import exports
from jcm_dash.briefing import article6
from jcm_dash.briefing.contents import (
    OPTIONAL_SECTIONS,
    SECTIONS,
    TOP_COUNTRIES,
    TOP_PROJECTS,
    Chart,
    Content,
    Section,
    SectionSource,
    content,
)
from jcm_dash.briefing.deck import pptx
from jcm_dash.briefing.images import CHROMIUM, ONEPAGER_PREFIX, PNG_SIZE, render_images
from jcm_dash.briefing.onepager import pdf, pdf_html
from jcm_dash.i18n import translator
from jcm_dash.scope import Filters

OPTIONAL_SECTIONS[article6.KEY] = article6.section  # "The JCM among Article 6 buyers" (issue 19)

__all__ = [
    "CHROMIUM",
    "OPTIONAL_SECTIONS",
    "PNG_SIZE",
    "SECTIONS",
    "TOP_COUNTRIES",
    "TOP_PROJECTS",
    "Chart",
    "Content",
    "Pack",
    "Progress",
    "Section",
    "SectionSource",
    "build",
    "content",
    "pdf",
    "pdf_html",
    "pptx",
    "render_images",
]

Progress = Callable[[str], None]


@dataclass
class Pack:
    """The generated files: name → bytes."""

    stem: str
    files: dict[str, bytes]

    def write(self, folder: Path) -> list[Path]:
        """Write every file into ``folder`` (created if needed); return their paths."""
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for name, data in self.files.items():
            path = folder / name
            path.write_bytes(data)
            written.append(path)
        return written

    def zip(self) -> bytes:
        """All files in one ZIP archive (for a single download)."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                archive.writestr(name, data)
        return buffer.getvalue()


def build(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    overrides: dict[str, Any] | None = None,
    lang: str = "en",
    progress: Progress | None = None,
    today: dt.date | None = None,
    optional: tuple[str, ...] = (),
) -> Pack:
    """Compute, render and assemble the whole pack; ``progress`` is told each step (in ``lang``).

    ``optional`` names the optional sections to add (``OPTIONAL_SECTIONS``: ``article6``).
    """
    t = translator(lang)
    report = progress or (lambda _message: None)
    report(t("briefing.step_figures"))
    pack = content(con, filters, overrides, lang, today, optional)
    charts = pack.all_charts
    report(t("briefing.step_images", n=len(charts)))
    images = render_images(charts, pack.scope)
    stem = f"{exports.file_stem('briefing', pack.file_scope, pack.as_of)}_{pack.lang}"
    files = {f"{stem}_{name}": data for name, data in images.items() if not name.startswith(ONEPAGER_PREFIX)}
    report(t("briefing.step_pptx"))
    files[f"{stem}.pptx"] = pptx(pack, images)
    report(t("briefing.step_pdf"))
    files[f"{stem}.pdf"] = pdf(pack, images)
    return Pack(stem, dict(sorted(files.items())))
