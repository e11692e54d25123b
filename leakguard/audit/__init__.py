"""The audit log: what was sent where, chained so nobody can quietly edit it.

Doors call ``record`` (one-shot) or keep an ``AuditLog`` open (the proxy); both fail
closed per ``audit.on_failure``. See record.py.

Names load from their modules when first used: every hook call imports this package,
and most need only the writer (``leakguard.audit.record``).
"""

from __future__ import annotations

from typing import Any

_HOMES = {
    "AuditEvent": "leakguard.audit.event",
    "FindingRecord": "leakguard.audit.event",
    "AuditLog": "leakguard.audit.record",
    "build_event": "leakguard.audit.record",
    "AuditStoreError": "leakguard.audit.sqlbase",
    "Filters": "leakguard.audit.sqlbase",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(home), name)
