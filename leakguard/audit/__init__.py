"""The audit log: what was sent where, chained so nobody can quietly edit it.

Doors call ``record`` (one-shot) or keep an ``AuditLog`` open (the proxy); both fail
closed per ``audit.on_failure``. See record.py.
"""

from __future__ import annotations

from leakguard.audit.event import AuditEvent, FindingRecord
from leakguard.audit.record import AuditLog, build_event, record
from leakguard.audit.sqlbase import AuditStoreError, Filters

__all__ = [
    "AuditEvent",
    "AuditLog",
    "AuditStoreError",
    "Filters",
    "FindingRecord",
    "build_event",
    "record",
]
