"""Render helpers shared by pages; each takes the container it draws into."""

from __future__ import annotations

from typing import Any

from jcm_dash.formatting import format_tco2


def headline_cards(container: Any, summary: dict[str, Any]) -> None:
    """The overview's headline figures as metric cards."""
    total = summary["issuances_total"]
    status = summary["projects_by_status"]
    cards = [
        (
            "Credits issued to date",
            format_tco2(summary["credits_issued_tco2"]),
            f"Sum of the known amounts of {total} issuance decisions; "
            f"{summary['issuances_without_amount']} have no amount in any readable source.",
        ),
        (
            "Japanese side (where known)",
            format_tco2(summary["japan_side_tco2"]),
            f"Credits notified to the Japanese side, stated for {summary['issuances_with_japan_side']} "
            f"of {total} issuances.",
        ),
        (
            "Acquired by GoJ (where known)",
            format_tco2(summary["goj_share_tco2"]),
            f"Credits acquired by the Government of Japan, stated for {summary['issuances_with_goj_share']} "
            f"of {total} issuances.",
        ),
        (
            "Registered projects",
            f"{status['registered']:,}",
            f"Also {status['validation']} in validation, {status['planned']} planned, {status['withdrawn']} withdrawn.",
        ),
        ("Partner countries", f"{summary['partner_countries']:,}", "Countries with a signed JCM bilateral document."),
        (
            "Expected reductions / yr",
            format_tco2(summary["expected_annual_reductions_registered_tco2"], "t-CO2e/yr"),
            "Sum of the expected annual reductions of registered projects (ex-ante): from each project's own source, "
            "else UNEP's Article 6 Pipeline.",
        ),
    ]
    columns = container.columns(3)
    for i, (label, value, help_text) in enumerate(cards):
        columns[i % 3].metric(label, value, help=help_text, border=True)
