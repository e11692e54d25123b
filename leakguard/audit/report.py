"""`leakguard report`: totals over audit events, and what they were worth.

Value at risk is what left in clear (findings allowed or warned in requests that were
sent); value protected is what was stopped (findings blocked or anonymized, and every
finding of a blocked request). Values come from the policy's ``values`` section: per
rule first, else per KB of proprietary code, else per finding of the category.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from leakguard.audit.event import AuditEvent, FindingRecord
from leakguard.policy.model import Values

VERDICTS = ("allow", "warn", "anonymize", "block")


def finding_value(f: FindingRecord, values: Values) -> float:
    if f.rule_id in values.per_rule:
        return float(values.per_rule[f.rule_id]) * f.count
    if f.category == "proprietary" and values.proprietary_per_kb is not None:
        return float(values.proprietary_per_kb) * f.bytes / 1024
    return float(values.per_category.get(f.category, 0)) * f.count


def _stopped(event: AuditEvent, f: FindingRecord) -> bool:
    return event.verdict == "block" or f.action in ("block", "anonymize")


@dataclass
class Group:
    """Totals for one value of a dimension (a destination, a tool, a person...)."""

    events: int = 0
    bytes_sent: int = 0
    findings: int = 0
    verdicts: Counter[str] = field(default_factory=Counter)
    at_risk: float = 0.0
    protected: float = 0.0


@dataclass
class Report:
    currency: str
    total: Group = field(default_factory=Group)
    by_destination: dict[str, Group] = field(default_factory=lambda: defaultdict(Group))
    by_tool: dict[str, Group] = field(default_factory=lambda: defaultdict(Group))
    by_person: dict[str, Group] = field(default_factory=lambda: defaultdict(Group))
    by_category: dict[str, Group] = field(default_factory=lambda: defaultdict(Group))
    by_rule: dict[str, Group] = field(default_factory=lambda: defaultdict(Group))
    by_day: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    first: str = ""
    last: str = ""


def build_report(events: Iterable[AuditEvent], values: Values) -> Report:
    report = Report(values.currency)
    for e in events:
        report.first = report.first or e.ts
        report.last = e.ts
        report.by_day[e.ts[:10]][e.verdict] += 1
        at_risk = protected = 0.0
        count = 0
        for f in e.findings:
            worth = finding_value(f, values)
            stopped = _stopped(e, f)
            for g in (report.by_category[f.category], report.by_rule[f.rule_id]):
                g.findings += f.count
                g.verdicts["block" if e.verdict == "block" else f.action] += f.count
                g.protected += worth if stopped else 0.0
                g.at_risk += 0.0 if stopped else worth
            protected += worth if stopped else 0.0
            at_risk += 0.0 if stopped else worth
            count += f.count
        for g in (
            report.total,
            report.by_destination[e.destination],
            report.by_tool[e.tool],
            report.by_person[e.user],
        ):
            g.events += 1
            g.bytes_sent += e.bytes_sent
            g.findings += count
            g.verdicts[e.verdict] += 1
            g.at_risk += at_risk
            g.protected += protected
    return report


def money(amount: float, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _table(title: str, groups: dict[str, Group], currency: str, by_findings: bool) -> list[str]:
    lines = [f"{title}:"]
    ranked = sorted(
        groups.items(), key=lambda kv: (-(kv[1].findings if by_findings else kv[1].events), kv[0])
    )
    for name, g in ranked:
        counts = " ".join(f"{v}={g.verdicts[v]}" for v in VERDICTS if g.verdicts[v])
        head = (
            f"{g.findings} findings"
            if by_findings
            else f"{g.events} events, {g.bytes_sent} bytes sent"
        )
        lines.append(
            f"  {name}: {head} ({counts}); at risk {money(g.at_risk, currency)},"
            f" protected {money(g.protected, currency)}"
        )
    return lines


def text_lines(report: Report) -> Sequence[str]:
    t, c = report.total, report.currency
    if not t.events:
        return ["No audit events in this period."]
    lines = [
        f"leakguard report: {t.events} events from {report.first[:19]}Z to {report.last[:19]}Z",
        "Verdicts: " + ", ".join(f"{v} {t.verdicts[v]}" for v in VERDICTS),
        f"Bytes sent: {t.bytes_sent}; findings: {t.findings}",
        f"Value at risk (left in clear): {money(t.at_risk, c)}",
        f"Value protected (blocked or anonymized): {money(t.protected, c)}",
        "",
    ]
    for title, groups, by_findings in (
        ("By category", report.by_category, True),
        ("By destination", report.by_destination, False),
        ("By tool", report.by_tool, False),
        ("By person", report.by_person, False),
        ("By rule", report.by_rule, True),
    ):
        lines += [*_table(title, groups, c, by_findings), ""]
    return lines[:-1]
