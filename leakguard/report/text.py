"""The text report, for people at a terminal.

Layout is built once as lines of (text, style) segments. Without colour the
segments are joined as they are, so a clean scan never imports rich; with colour
rich paints the very same characters (only this module imports rich for findings).
"""

from __future__ import annotations

import io
import re

from leakguard.lazyre import lazy_compile
from leakguard.models import Action, Decision, ScanResult, Severity, Skip
from leakguard.report.common import action_counts, active, scrub, suppressed
from leakguard.report.options import ReportOptions

Segment = tuple[str, str]  # (text, rich style; "" for none)
Line = list[Segment]

_SEVERITY_STYLE = {
    Severity.CRITICAL: "bold red",
    Severity.HIGH: "red",
    Severity.MEDIUM: "yellow",
    Severity.LOW: "blue",
}
_ACTION_STYLE = {
    Action.BLOCK: "bold red",
    Action.ANONYMIZE: "magenta",
    Action.WARN: "yellow",
    Action.ALLOW: "green",
}
_ACTION_WORD = {
    Action.BLOCK: "blocked",
    Action.ANONYMIZE: "anonymized",
    Action.WARN: "warned",
    Action.ALLOW: "allowed",
}

# Scanned content and file names may carry terminal escapes, bidi overrides or
# undecodable bytes; show them escaped rather than let them act on the terminal.
_UNSAFE = lazy_compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _escape(char: re.Match[str]) -> str:
    code = ord(char.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str) -> str:
    return _UNSAFE.sub(_escape, text).replace("\t", " ")


def human_bytes(n: int) -> str:
    if n < 1000:
        return f"{n} bytes" if n != 1 else "1 byte"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            return f"{value:.1f} {unit}"
    raise AssertionError("unreachable")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _clip(text: str, room: int | None) -> str:
    if room is None or len(text) <= room:
        return text
    return text[: max(room - 1, 0)] + "…"


def _finding_lines(decision: Decision, width: int | None) -> list[Line]:
    f = decision.finding
    where = f"{safe(f.path)}:{f.line}:{f.column}"
    head: Line = [
        (where, "bold"),
        ("  ", ""),
        (f.severity.value.upper(), _SEVERITY_STYLE[f.severity]),
        ("  ", ""),
        (safe(f.rule_id), "cyan"),
        ("  ", ""),
        (safe(scrub(f.message, f)), ""),
    ]
    detail: Line = [
        ("    action ", "dim"),
        (decision.action.value, _ACTION_STYLE[decision.action]),
        (", value ", "dim"),
        (safe(f.masked), "yellow"),
    ]
    if decision.suppressed_by:
        detail += [(", suppressed by ", "dim"), (decision.suppressed_by, "")]
    if f.commit:
        detail += [(", commit ", "dim"), (safe(f.commit[:12]), "")]
    lines = [head, detail]
    if f.context:
        prefix = "    > "
        room = None if width is None else width - len(prefix)
        lines.append([(prefix, "dim"), (_clip(safe(scrub(f.context, f)), room), "dim")])
    return lines


def _skip_line(skip: Skip) -> Line:
    detail = f" ({safe(skip.detail)})" if skip.detail else ""
    reason = safe(skip.reason) + detail
    return [("  ", ""), (safe(skip.path), "bold"), (": ", ""), (reason, "yellow")]


def _summary(result: ScanResult, findings: list[Decision]) -> str:
    scanned = f"in {_plural(result.files, 'file')}, {human_bytes(result.bytes)} scanned"
    if findings:
        counts = ", ".join(f"{n} {_ACTION_WORD[a]}" for a, n in action_counts(findings).items())
        text = f"{_plural(len(findings), 'finding')} ({counts}) {scanned}"
    else:
        text = f"No findings {scanned}"
    if result.suppressed:
        text += f"; {result.suppressed} suppressed"
    if result.skipped:
        text += f"; {len(result.skipped)} skipped (not scanned)"
    if result.stale_suppressions:
        text += f"; {_plural(len(result.stale_suppressions), 'stale suppression')}"
    return text


def layout(result: ScanResult, options: ReportOptions) -> list[Line]:
    """The whole report as styled lines; both output paths render exactly this."""
    findings = active(result)
    lines: list[Line] = []
    for decision in findings:
        lines += _finding_lines(decision, options.width)
        lines.append([])
    hidden = suppressed(result)
    if options.show_suppressed and hidden:
        lines.append([(f"Suppressed ({len(hidden)}):", "bold")])
        for decision in hidden:
            lines += _finding_lines(decision, options.width)
            lines.append([])
    if result.skipped:
        lines.append([(f"Skipped, not scanned ({len(result.skipped)}):", "bold yellow")])
        lines += [_skip_line(s) for s in result.skipped]
        lines.append([])
    if result.stale_suppressions:
        title = f"Stale suppressions ({len(result.stale_suppressions)}), matching nothing now:"
        lines.append([(title, "bold")])
        lines += [[("  ", ""), (safe(s), "")] for s in result.stale_suppressions]
        lines.append([])
    style = "bold green" if not findings and not result.skipped else "bold"
    lines.append([(_summary(result, findings), style)])
    action = result.verdict.action
    if findings or action is not Action.ALLOW:
        lines.append([("Decision: ", "bold"), (action.value, _ACTION_STYLE[action])])
    return lines


def _plain(lines: list[Line]) -> str:
    return "".join("".join(text for text, _ in line) + "\n" for line in lines)


def _colored(lines: list[Line], width: int | None) -> str:
    from rich.console import Console  # lazy: ~50 ms of start-up, only when painting
    from rich.text import Text

    out = io.StringIO()
    console = Console(
        file=out,
        force_terminal=True,
        color_system="standard",
        width=width or 100,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=True,
    )
    for line in lines:
        text = Text()
        for chunk, style in line:
            text.append(chunk, style=style or None)
        console.print(text)
    return out.getvalue()


def render(result: ScanResult, options: ReportOptions) -> str:
    lines = layout(result, options)
    # A clean scan has nothing worth colour: keep rich out of the fast path.
    worth_colour = bool(result.verdict.active or result.skipped or result.stale_suppressions)
    if options.color and worth_colour:
        return _colored(lines, options.width)
    return _plain(lines)
