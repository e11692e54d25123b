"""Reports of a scan: text for people, JSON for scripts, SARIF for dashboards.

An explicit registry maps a format name to its renderer; every renderer is a pure
function ``render(result, options) -> str``. None of them ever prints a finding's
value: they show ``Finding.masked`` and keyed fingerprints only.
"""

from __future__ import annotations

from collections.abc import Callable

from leakguard.errors import ConfigError
from leakguard.models import ScanResult
from leakguard.report.options import ReportOptions

Renderer = Callable[[ScanResult, ReportOptions], str]


# Each format's module is imported on first use, so a scan pays only for the
# format it prints (start-up matters on a clean commit).
def _text(result: ScanResult, options: ReportOptions) -> str:
    from leakguard.report import text

    return text.render(result, options)


def _json(result: ScanResult, options: ReportOptions) -> str:
    from leakguard.report import json_report

    return json_report.render(result, options)


def _sarif(result: ScanResult, options: ReportOptions) -> str:
    from leakguard.report import sarif

    return sarif.render(result, options)


FORMATS: dict[str, Renderer] = {"text": _text, "json": _json, "sarif": _sarif}


def render_report(result: ScanResult, fmt: str, options: ReportOptions | None = None) -> str:
    """Render ``result`` in format ``fmt``; an unknown format is a usage error."""
    renderer = FORMATS.get(fmt)
    if renderer is None:
        known = ", ".join(sorted(FORMATS))
        raise ConfigError(f"unknown report format {fmt!r} (choose one of: {known})")
    return renderer(result, options or ReportOptions())


__all__ = ["FORMATS", "Renderer", "ReportOptions", "render_report"]
