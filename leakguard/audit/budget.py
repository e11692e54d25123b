"""Egress budget: caps per user per UTC day, counted from the audit store.

Checked inside the store's write lock (see record.py), so two processes cannot both
take the last unit of a cap. The day window comes from the caller's clock, which tests
inject.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from leakguard.audit.event import AuditEvent
from leakguard.audit.sqlbase import Usage
from leakguard.policy.model import Budget


def day_window(now: datetime) -> tuple[datetime, datetime]:
    start = now.astimezone(timezone.utc).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def _resets(until: datetime) -> str:
    return until.strftime("%Y-%m-%dT%H:%M:%SZ")


def has_caps(budget: Budget) -> bool:
    """Whether any cap can block (else the day's usage need not be read)."""
    return budget.on_exceeded.value == "block" and (
        budget.proprietary_bytes_per_day is not None
        or budget.anonymized_findings_per_day is not None
        or bool(budget.requests_per_day)
    )


def check_budget(budget: Budget, used: Usage, event: AuditEvent, until: datetime) -> str | None:
    """A message naming the cap the event would exceed and when it resets, or None."""
    if not has_caps(budget):
        return None
    cap = budget.proprietary_bytes_per_day
    if (
        cap is not None
        and event.proprietary_bytes
        and used.proprietary_bytes + event.proprietary_bytes > cap
    ):
        return (
            f"budget: proprietary_bytes_per_day {cap} reached ({used.proprietary_bytes} sent today,"
            f" this request {event.proprietary_bytes}); resets at {_resets(until)}"
        )
    anonymized = sum(f.count for f in event.findings if f.action == "anonymize")
    cap = budget.anonymized_findings_per_day
    if cap is not None and anonymized and used.anonymized_findings + anonymized > cap:
        return (
            f"budget: anonymized_findings_per_day {cap} reached ({used.anonymized_findings} today,"
            f" this request {anonymized}); resets at {_resets(until)}"
        )
    for name in (event.destination, "*"):
        cap = budget.requests_per_day.get(name)
        if cap is None:
            continue
        count = (
            used.requests.get(event.destination, 0) if name != "*" else sum(used.requests.values())
        )
        if count + 1 > cap:
            return f"budget: requests_per_day[{name}] {cap} reached; resets at {_resets(until)}"
    return None
