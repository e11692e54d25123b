"""GitHub Actions workflow commands: one annotation per active finding, values masked."""

from __future__ import annotations

from leakguard.models import Action, ScanResult
from leakguard.report.common import scrub

_LEVEL = {Action.BLOCK: "error", Action.ANONYMIZE: "warning", Action.WARN: "warning",
          Action.ALLOW: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render_annotations(result: ScanResult) -> str:
    lines = []
    for decision in result.verdict.active:
        f = decision.finding
        where = (f"file={_prop(f.path)},line={f.line},endLine={f.end_line},col={f.column},"
                 f"endColumn={f.end_column},title={_prop('leakguard ' + f.rule_id)}")
        commit = f" in commit {f.commit[:12]}" if f.commit else ""
        text = scrub(f"{f.message}: {f.masked}{commit} [{decision.action.value}]", f)
        lines.append(f"::{_LEVEL[decision.action]} {where}::{_data(text)}")
    return "".join(line + "\n" for line in lines)
