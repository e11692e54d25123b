"""Build findings, verdicts and events for audit tests (fake values made at run time)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from leakguard.audit.record import AuditLog, Clock
from leakguard.masking import fingerprint, mask
from leakguard.models import Action, Category, Decision, Finding, Severity, Verdict
from leakguard.policy.model import AuditSettings, Budget, Policy


def finding(rule: str, category: Category, value: str, start: int = 0) -> Finding:
    return Finding(
        rule_id=rule,
        category=category,
        severity=Severity.HIGH,
        message=rule,
        path="-",
        start=start,
        end=start + len(value),
        line=1,
        column=start + 1,
        end_line=1,
        end_column=start + len(value) + 1,
        masked=mask(value),
        fingerprint=fingerprint(rule, value),
        value=value,
    )


def verdict(overall: Action, *decided: tuple[Finding, Action]) -> Verdict:
    return Verdict(overall, tuple(Decision(f, a) for f, a in decided))


def fake_token(n: int = 0) -> str:
    return "ghp_" + "A1b2" * 8 + f"{n:08d}"


def sqlite_policy(path: Path, **audit: Any) -> Policy:
    budget = audit.pop("budget", Budget())
    return Policy(audit=AuditSettings(store=f"sqlite:///{path}", **audit), budget=budget)


def fixed_clock(moment: datetime) -> Clock:
    return lambda: moment


T0 = datetime(2026, 11, 28, 9, 30, tzinfo=timezone.utc)


def plain_request(
    n: int = 0, tool: str = "claude-code", destination: str = "anthropic"
) -> dict[str, Any]:
    payload = f"print('request {n}')\n".encode()
    return dict(
        door="proxy",
        tool=tool,
        destination=destination,
        payload_sent=payload,
        bytes_received=100 + n,
        verdict=verdict(Action.ALLOW),
        session_id="s1",
        request_id=f"r{n}",
        user="alice",
        host="box",
    )


def fill(log: AuditLog, n: int) -> None:
    for i in range(n):
        log.record(**plain_request(i))
