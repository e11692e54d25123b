"""The doors' one call: turn an outbound decision into a chained audit event.

``AuditLog`` keeps the store open for a long-running door (the proxy); ``record``
opens, appends and closes for one-shot commands. Both fail closed: if the event cannot
be written the call raises AuditStoreError, and the door must not send the payload,
unless the policy says ``audit.on_failure: allow`` (then a warning goes to stderr).
The egress budget is checked inside the same locked transaction as the append, so the
cap holds across processes and instances.
"""

from __future__ import annotations

import _thread
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from leakguard.audit.budget import check_budget, day_window, has_caps
from leakguard.audit.chain import load_key, sha256_hex
from leakguard.audit.content import content_key_for, full_content_problem, seal_event
from leakguard.audit.event import AuditEvent, FindingRecord
from leakguard.audit.sqlbase import AuditStoreError, SqlStore
from leakguard.audit.store import open_store
from leakguard.errors import ConfigError
from leakguard.masking import mask
from leakguard.models import Action, Category, Decision, Verdict
from leakguard.policy.model import CANARY_PREFIX, Policy
from leakguard.record import replace

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _user() -> str:
    """getpass.getuser() without importing getpass (and termios) at every hook call."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, AttributeError, KeyError, OSError):  # no pwd: Windows
        return "unknown"


def _host() -> str:
    """socket.gethostname() without importing socket (~15 M instructions): the same
    name on POSIX systems."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


def finding_records(decisions: Iterable[Decision]) -> tuple[FindingRecord, ...]:
    """Group decisions by rule, category, fingerprint and action; values never kept."""
    groups: dict[tuple[str, str, str, str], list[int]] = {}
    for d in decisions:
        f = d.finding
        key = (f.rule_id, f.category.value, f.fingerprint, d.action.value)
        count_bytes = groups.setdefault(key, [0, 0])
        count_bytes[0] += 1
        count_bytes[1] += max(0, f.end - f.start)
    return tuple(
        FindingRecord(rule, cat, action, fp, count, size)
        for (rule, cat, fp, action), (count, size) in sorted(groups.items())
    )


def _masked_content(payload: bytes, decisions: Iterable[Decision]) -> str:
    text = payload.decode("utf-8", errors="replace")
    # Longest first so a value containing another is masked whole.
    for value in sorted(
        {d.finding.value for d in decisions if d.finding.value}, key=len, reverse=True
    ):
        text = text.replace(value, mask(value))
    return text


def _content(mode: str, payload: bytes, decisions: Iterable[Decision]) -> str | None:
    if mode == "full":  # exact bytes, sealed by build_event before anything stores them
        return payload.decode("utf-8", "surrogateescape")
    return _masked_content(payload, decisions) if mode == "redacted" else None


def build_event(
    policy: Policy,
    *,
    door: str,
    tool: str,
    destination: str,
    payload_sent: bytes,
    bytes_received: int,
    verdict: Verdict,
    session_id: str = "",
    request_id: str = "",
    user: str | None = None,
    host: str | None = None,
    now: datetime | None = None,
    content_key: bytes | None = None,
) -> AuditEvent:
    """The event for one decision, before it joins the chain; its content is sealed
    when there is a ``content_key`` (required for ``audit.content: full``)."""
    active = verdict.active
    records = finding_records(active)
    blocked = verdict.action is Action.BLOCK
    proprietary = (
        0
        if blocked
        else sum(
            r.bytes
            for r in records
            if r.category == Category.PROPRIETARY.value and r.action in ("allow", "warn")
        )
    )
    mode = policy.audit.content
    problem = full_content_problem(policy.audit, content_key)
    if problem is not None:
        raise ConfigError(problem)
    dest = policy.destinations.get(destination)
    event = AuditEvent(
        ts=iso(now or utc_now()),
        user=user or _user(),
        host=host or _host(),
        tool=tool,
        door=door,
        destination=destination,
        verdict=verdict.action.value,
        terms=dest.terms if dest is not None else {},
        session_id=session_id,
        request_id=request_id,
        bytes_sent=0 if blocked else len(payload_sent),
        bytes_received=bytes_received,
        payload_sha256="" if blocked else sha256_hex(payload_sent),
        proprietary_bytes=proprietary,
        findings=records,
        content=None if blocked else _content(mode, payload_sent, active),
        canary=any(d.finding.rule_id.startswith(CANARY_PREFIX) for d in verdict.decisions),
    )
    return seal_event(event, content_key)


class AuditLog:
    """An open audit store for one policy; ``record`` appends one decision."""

    def __init__(
        self,
        policy: Policy,
        *,
        clock: Clock = utc_now,
        environ: Mapping[str, str] | None = None,
        store: SqlStore | None = None,
    ) -> None:
        self.policy, self.clock = policy, clock
        self._store: SqlStore | None = store
        self._lock = _thread.allocate_lock()  # one connection; the proxy calls from threads
        self._environ = environ
        self._content_key = content_key_for(policy.audit, environ)
        if store is None:
            try:
                key = load_key(policy.audit.key_file, environ)
                self._store = open_store(policy.audit.store, key, environ=environ)
            except AuditStoreError as exc:
                self._failed(exc)

    def _failed(self, exc: Exception) -> None:
        if self.policy.audit.on_failure != "allow":
            raise AuditStoreError(f"{exc}; nothing was sent (audit.on_failure: block)") from None
        print(f"leakguard: warning: audit log not written: {exc}", file=sys.stderr)

    def record(self, **fields: Any) -> AuditEvent:
        """``build_event`` fields; returns the stored event (its verdict may have become
        ``block`` with a ``reason`` when a budget cap is reached)."""
        now = self.clock()
        event = build_event(self.policy, now=now, content_key=self._content_key, **fields)
        if self._store is None:
            return event
        try:
            with self._lock, self._store.transaction() as txn:
                until = day_window(now)[1]
                if event.verdict != "block" and has_caps(self.policy.budget):
                    breach = check_budget(
                        self.policy.budget,
                        txn.usage(event.user, event.ts[:10]),
                        event,
                        until,
                    )
                    if breach is not None:
                        event = replace(
                            event,
                            verdict="block",
                            reason=breach,
                            bytes_sent=0,
                            payload_sha256="",
                            content=None,
                            proprietary_bytes=0,
                        )
                return txn.append(event)
        except AuditStoreError as exc:
            self._failed(exc)
        except Exception as exc:  # driver errors: disk full, lost connection...
            self._failed(
                AuditStoreError(f"audit store {self._store.url}: {type(exc).__name__}: {exc}")
            )
        return event

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def record(policy: Policy, **fields: Any) -> AuditEvent:
    """One-shot: open the policy's store, append one decision, close."""
    log = AuditLog(policy)
    try:
        return log.record(**fields)
    finally:
        log.close()
