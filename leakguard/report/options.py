"""How a report is rendered: a value passed down, never global state."""

from __future__ import annotations

from leakguard import __version__
from leakguard.record import Record, record


@record
class ReportOptions(Record):
    """Rendering choices shared by every format.

    ``color`` and ``width`` only affect the text format. ``show_suppressed`` lists
    suppressed findings in text and JSON (SARIF always carries them, marked
    suppressed, because dashboards rely on that).
    """

    color: bool = False
    width: int | None = None
    tool_version: str = __version__
    show_suppressed: bool = False
