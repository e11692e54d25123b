"""Between transport and inspection: one request body in, one decision out.

Decodes and parses the body, runs the inspection off the event loop with a deadline,
records the audit event, and fails closed: a body that cannot be decoded, parsed or
scanned in time is blocked, unless its destination says ``on_scan_error:
allow-unscanned`` (then it goes out as it came, and the log says so loudly). One
outcome is recorded per request: the scan's, or the deadline's if it passed first.
"""

from __future__ import annotations

import asyncio
import json
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
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
from leakguard.proxy.vaultstore import open_vault_store

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


@dataclass
class Stats:
    """Counters for the run summary. Requests are decided in worker threads, and
    ``+=`` on an attribute is a read, an add and a write: ``add`` holds a lock."""

    requests: int = 0
    blocked: int = 0
    anonymized: int = 0
    replaced: int = 0
    unscanned: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)


class Claim:
    """Who settles one request: the worker whose scan finished, the waiter whose
    deadline passed, or a client that hung up. The first ``take`` wins and records the
    outcome (audit event, counters; nothing for a hang-up), so the log holds only the
    decision that was acted on."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def take(self) -> bool:
        # A lock that is never released: acquiring it is an atomic set-once flag.
        return self._lock.acquire(blocking=False)


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
        self.sessions = Sessions(shared=open_vault_store(policy))  # proxy.vault: store
        self.audit = audit
        self.stats = Stats()
        # Scans run in worker threads (detectors are thread-safe: Hyperscan scratch per
        # thread, engines built once under a lock), so the event loop stays free and a
        # large request does not hold the small ones behind it.
        self._executor = ThreadPoolExecutor(workers, thread_name_prefix="leakguard-scan")

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        self.sessions.close()
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
        tool: str | None = None,
    ) -> Decision:
        loop = asyncio.get_running_loop()
        claim = Claim()
        work = loop.run_in_executor(
            self._executor, self.decide, provider, found, body, content_encoding, session,
            request_id, tool, claim,
        )
        seconds = self.policy.proxy.scan_timeout_seconds
        try:
            # Shielded: at the deadline the worker may be writing the outcome it settled.
            return await asyncio.wait_for(asyncio.shield(work), seconds)
        except asyncio.TimeoutError:
            if not claim.take():
                return await work  # settled in time; its decision is the one recorded
            work.cancel()  # not started: it never will; running: it records nothing
            self.stats.add(requests=1)
            request = self._request(found, session, body, request_id, tool)
            return self._unscanned(request, body, f"the scan took over {seconds:g} s")
        except asyncio.CancelledError:
            # The client hung up: nothing is forwarded, so nothing is recorded (the log
            # and the egress budgets hold what left). A scan still running settles
            # into nothing; one that settled first has recorded its outcome already.
            claim.take()
            work.cancel()
            raise

    def decide(
        self,
        provider: Provider,
        found: Route,
        body: bytes,
        content_encoding: str | None,
        session: Session,
        request_id: str = "",
        tool: str | None = None,
        claim: Claim | None = None,
    ) -> Decision:
        """Scan and record the outcome; with a ``claim`` already taken (the deadline
        passed, or the client hung up), record nothing: what it returns is not acted on."""
        request = self._request(found, session, body, request_id, tool)
        limit = self.policy.proxy.max_body_bytes
        settle: Callable[[], Decision]
        try:
            if len(body) > limit:
                raise BodyTooLarge(
                    f"request body of {len(body)} bytes is over the limit of {limit}"
                )
            data = decode_body(body, content_encoding, limit)
            parsed = _parse(data)
            inspection = self.inspector.inspect(provider, parsed, session, found.destination)
            settle = partial(self._outcome, inspection, request, body)
        except BodyTooLarge as exc:
            settle = partial(self._block, request, f"leakguard blocked this request: {exc} "
                             "(proxy.max_body_bytes)")
        except Exception as exc:  # fail closed on anything, including detector bugs
            reason = str(exc) if isinstance(exc, LeakguardError) else type(exc).__name__
            settle = partial(self._unscanned, request, body, reason)
        if claim is not None and not claim.take():
            return Decision(blocked=True, body=b"", session=session,
                            message="leakguard: the scan finished after its deadline")
        self.stats.add(requests=1)
        return settle()

    def _request(
        self, found: Route, session: Session, body: bytes, request_id: str, tool: str | None
    ) -> _Request:
        return _Request(found, session, len(body), request_id or uuid.uuid4().hex,
                        tool or self.tool)

    def _outcome(self, inspection: Inspection, request: _Request, body: bytes) -> Decision:
        sent = inspection.body if inspection.body is not None else body
        if inspection.action is Action.BLOCK:
            return self._block(request, inspection.message, inspection.verdict)
        try:
            event = self._record(request, inspection.verdict, sent)
        except LeakguardError as exc:
            return self._block(request, f"leakguard blocked this request: {exc}", audit=False)
        if event is not None and event.verdict == "block":
            reason = getattr(event, "reason", "") or "a daily budget is used up"
            return self._block(request, f"leakguard blocked this request: {reason}",
                               audit=False)
        if inspection.body is not None:
            self.stats.add(anonymized=1, replaced=inspection.replaced)
        session = request.session
        return Decision(
            blocked=False, body=sent, session=session, rewritten=inspection.body is not None,
            restore=len(session.vault) > 0,
        )

    def _block(
        self, request: _Request, message: str, verdict: Verdict | None = None,
        audit: bool = True,
    ) -> Decision:
        self.stats.add(blocked=1)
        if audit:
            try:
                self._record(request, verdict or Verdict(Action.BLOCK, ()), b"")
            except LeakguardError as exc:
                self.log(f"audit log not written: {exc}")
        return Decision(blocked=True, body=b"", session=request.session, message=message)

    def _unscanned(self, request: _Request, body: bytes, reason: str) -> Decision:
        found = request.route
        dest = destination_for(self.policy, found.destination)
        if dest is not None and dest.on_scan_error == "allow-unscanned":
            self.stats.add(unscanned=1)
            self.log(
                f"WARNING: request to {found.destination} sent UNSCANNED ({reason}); "
                "the destination's on_scan_error is allow-unscanned"
            )
            try:
                self._record(request, Verdict(Action.WARN, ()), body)
            except LeakguardError as exc:
                self.log(f"audit log not written: {exc}")
            return Decision(blocked=False, body=body, session=request.session,
                            restore=len(request.session.vault) > 0)
        message = (f"leakguard blocked this request: it could not be scanned ({reason}); "
                   "nothing was sent (fail closed)")
        return self._block(request, message)

    def _record(self, request: _Request, verdict: Verdict, sent: bytes) -> Any:
        if self.audit is None:
            return None
        return self.audit.record(
            door="proxy", tool=request.tool, destination=request.route.destination,
            payload_sent=sent, bytes_received=request.received, verdict=verdict,
            session_id=request.session.id, request_id=request.request_id,
        )


@dataclass(frozen=True)
class _Request:
    """What the audit log needs to know about the request being decided."""

    route: Route
    session: Session
    received: int  # bytes of the body as the tool sent it
    request_id: str
    tool: str


def _parse(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise LeakguardError(f"the request body is not JSON ({type(exc).__name__})") from None
