"""Reports of a scan: text for people, JSON for scripts, SARIF for dashboards.

An explicit registry maps a format name to its renderer; every renderer is a pure
function ``render(result, options) -> str``. None of them ever prints a finding's
value: they show ``Finding.masked`` and keyed fingerprints only.
"""

from __future__ import annotations

from collections.abc import Callable

from leakguard.errors import ConfigError
from leakguard.models import ScanResult
from leakguard.report import json_report, sarif, text
from leakguard.report.options import ReportOptions

Renderer = Callable[[ScanResult, ReportOptions], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
}


def render_report(result: ScanResult, fmt: str, options: ReportOptions | None = None) -> str:
    """Render ``result`` in format ``fmt``; an unknown format is a usage error."""
    renderer = FORMATS.get(fmt)
    if renderer is None:
        known = ", ".join(sorted(FORMATS))
        raise ConfigError(f"unknown report format {fmt!r} (choose one of: {known})")
    return renderer(result, options or ReportOptions())


__all__ = ["FORMATS", "Renderer", "ReportOptions", "render_report"]
