"""Between transport and inspection: one request body in, one decision out.

Decodes and parses the body, runs the inspection off the event loop with a deadline,
records the audit event, and fails closed: a body that cannot be decoded, parsed or
scanned in time is blocked, unless its destination says ``on_scan_error:
allow-unscanned`` (then it goes out as it came, and the log says so loudly).
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from leakguard.audit.record import AuditLog
from leakguard.errors import LeakguardError
from leakguard.models import Action, Verdict
from leakguard.policy import Policy
from leakguard.policy.decide import destination_for
from leakguard.proxy.codec import BodyTooLarge, decode_body
from leakguard.proxy.inspection import Inspection, Inspector
from leakguard.proxy.providers import PROVIDERS
from leakguard.proxy.providers.base import Provider
from leakguard.proxy.routing import Route
from leakguard.proxy.session import Session, Sessions

Log = Callable[[str], None]


@dataclass(frozen=True)
class Decision:
    """What the transport does with one request."""

    blocked: bool
    body: bytes  # what to forward (the original bytes unless rewritten)
    session: Session
    message: str = ""
    rewritten: bool = False  # body is new, uncompressed JSON
    restore: bool = False  # responses may hold placeholders to put back
    replaced: int = 0


@dataclass
class Stats:
    requests: int = 0
    blocked: int = 0
    anonymized: int = 0
    replaced: int = 0
    unscanned: int = 0


class Guard:
    """Shared by every request of one proxy: inspector, sessions, audit log, workers."""

    def __init__(
        self,
        policy: Policy,
        inspector: Inspector,
        *,
        tool: str,
        log: Log,
        audit: AuditLog | None = None,
        workers: int = 4,
    ) -> None:
        self.policy, self.inspector, self.tool, self.log = policy, inspector, tool, log
        self.sessions = Sessions()
        self.audit = audit
        self.stats = Stats()
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="leakguard-scan")
        # Detectors hold per-engine scratch space: one scan at a time (they are
        # CPU-bound Python under the GIL anyway); the event loop stays free.
        self._scan_lock = threading.Lock()

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self.audit is not None:
            self.audit.close()

    def provider(self, method: str, found: Route) -> Provider | None:
        for provider in PROVIDERS.values():
            if provider.name == found.family and provider.matches(method, found.path):
                return provider
        return None

    async def decide_async(
        self,
        provider: Provider,
        found: Route,
        body: bytes,
        content_encoding: str | None,
        session: Session,
        request_id: str = "",
    ) -> Decision:
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(
            self._executor, self.decide, provider, found, body, content_encoding, session,
            request_id,
        )
        try:
            return await asyncio.wait_for(work, self.policy.proxy.scan_timeout_seconds)
        except asyncio.TimeoutError:
            seconds = self.policy.proxy.scan_timeout_seconds
            return self._unscanned(found, body, session, f"the scan took over {seconds:g} s")

    def decide(
        self,
        provider: Provider,
        found: Route,
        body: bytes,
        content_encoding: str | None,
        session: Session,
        request_id: str = "",
    ) -> Decision:
        self.stats.requests += 1
        limit = self.policy.proxy.max_body_bytes
        try:
            if len(body) > limit:
                raise BodyTooLarge(
                    f"request body of {len(body)} bytes is over the limit of {limit}"
                )
            data = decode_body(body, content_encoding, limit)
            parsed = _parse(data)
            with self._scan_lock:
                inspection = self.inspector.inspect(provider, parsed, session, found.destination)
        except BodyTooLarge as exc:
            return self._block(session, f"leakguard blocked this request: {exc} "
                               "(proxy.max_body_bytes)", found, body)
        except Exception as exc:  # fail closed on anything, including detector bugs
            reason = str(exc) if isinstance(exc, LeakguardError) else type(exc).__name__
            return self._unscanned(found, body, session, reason)
        return self._outcome(inspection, found, body, session, request_id)

    def _outcome(
        self, inspection: Inspection, found: Route, body: bytes, session: Session,
        request_id: str,
    ) -> Decision:
        sent = inspection.body if inspection.body is not None else body
        if inspection.action is Action.BLOCK:
            self._record(inspection.verdict, found, b"", len(body), session, request_id)
            return self._block(session, inspection.message, found, body, audited=True)
        try:
            event = self._record(inspection.verdict, found, sent, len(body), session, request_id)
        except LeakguardError as exc:
            return self._block(session, f"leakguard blocked this request: {exc}", found, body,
                               audited=True)
        if event is not None and event.verdict == "block":
            reason = getattr(event, "reason", "") or "a daily budget is used up"
            return self._block(session, f"leakguard blocked this request: {reason}", found,
                               body, audited=True)
        if inspection.body is not None:
            self.stats.anonymized += 1
            self.stats.replaced += inspection.replaced
        return Decision(
            blocked=False, body=sent, session=session, rewritten=inspection.body is not None,
            restore=len(session.vault) > 0, replaced=inspection.replaced,
        )

    def _block(
        self, session: Session, message: str, found: Route, body: bytes, audited: bool = False
    ) -> Decision:
        self.stats.blocked += 1
        if not audited:
            verdict = Verdict(Action.BLOCK, ())
            try:
                self._record(verdict, found, b"", len(body), session, "")
            except LeakguardError as exc:
                self.log(f"audit log not written: {exc}")
        return Decision(blocked=True, body=b"", session=session, message=message)

    def _unscanned(self, found: Route, body: bytes, session: Session, reason: str) -> Decision:
        dest = destination_for(self.policy, found.destination)
        if dest is not None and dest.on_scan_error == "allow-unscanned":
            self.stats.unscanned += 1
            self.log(
                f"WARNING: request to {found.destination} sent UNSCANNED ({reason}); "
                "the destination's on_scan_error is allow-unscanned"
            )
            try:
                self._record(Verdict(Action.WARN, ()), found, body, len(body), session, "")
            except LeakguardError as exc:
                self.log(f"audit log not written: {exc}")
            return Decision(blocked=False, body=body, session=session,
                            restore=len(session.vault) > 0)
        message = (f"leakguard blocked this request: it could not be scanned ({reason}); "
                   "nothing was sent (fail closed)")
        return self._block(session, message, found, body)

    def _record(
        self, verdict: Verdict, found: Route, sent: bytes, received: int, session: Session,
        request_id: str,
    ) -> Any:
        if self.audit is None:
            return None
        return self.audit.record(
            door="proxy", tool=self.tool, destination=found.destination, payload_sent=sent,
            bytes_received=received, verdict=verdict, session_id=session.id,
            request_id=request_id or uuid.uuid4().hex,
        )


def _parse(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LeakguardError(f"the request body is not JSON ({type(exc).__name__})") from None
