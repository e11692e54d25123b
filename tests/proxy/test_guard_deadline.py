"""The scan deadline settles a request once: the audit log and the run counters hold the
outcome that was acted on, never a second, late verdict from a scan that ran on.

A real proxy on 127.0.0.1 with one scan worker, the real detectors behind a gate
detector that holds a marked request until the test lets it go, and a real SQLite audit
log. One worker runs scans in order, so a later request is decided only once the held
scan has finished: after its answer, whatever the late scan was going to record is in.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from leakguard.audit.event import AuditEvent
from leakguard.audit.record import AuditLog
from leakguard.audit.store import open_store
from leakguard.detectors.build import build_detectors
from leakguard.models import Finding, Fragment
from leakguard.policy import load_policy
from leakguard.proxy.guard import Guard
from leakguard.proxy.inspection import Inspector
from leakguard.proxy.runner import ProxyThread
from leakguard.proxy.server import ProxyOptions
from tests.fakeupstream import FakeUpstream
from tests.helpers import fake_aws_key_id

MARKER = "HOLD-THIS-SCAN"
TIMEOUT = 0.5


class Gate:
    """A detector that holds text with ``MARKER`` until released (or 30 s pass)."""

    name = "gate"

    def __init__(self) -> None:
        self.release = threading.Event()

    def detect(self, fragment: Fragment) -> list[Finding]:
        if MARKER in fragment.text:
            self.release.wait(30)
        return []


class SlowAuditLog(AuditLog):
    """The real SQLite log, slow to write the marked request's event: the worker has
    settled the request when the deadline passes, and is still recording it."""

    def record(self, **fields: Any) -> AuditEvent:
        if fields.get("request_id") == "req-slow-write":
            threading.Event().wait(TIMEOUT * 3)
        return super().record(**fields)


@dataclass
class Run:
    url: str
    guard: Guard
    gate: Gate
    db: Path

    def post(self, text: str, request_id: str) -> httpx.Response:
        body = json.dumps({"model": "m", "max_tokens": 5,
                           "messages": [{"role": "user", "content": text}]}).encode()
        headers = {"content-type": "application/json", "x-api-key": "k",
                   "anthropic-version": "2023-06-01", "x-client-request-id": request_id}
        return httpx.post(self.url + "/anthropic/v1/messages", content=body,
                          headers=headers, timeout=30)

    def events(self, request_id: str) -> list[AuditEvent]:
        store = open_store(f"sqlite:///{self.db}", None, create=False)
        try:
            return [e for e in store.events() if e.request_id == request_id]
        finally:
            store.close()


@contextmanager
def guarded(
    tmp_path: Path, upstream: FakeUpstream, on_scan_error: str = "block",
    audit_log: type[AuditLog] = AuditLog,
) -> Iterator[Run]:
    db = tmp_path / "audit.db"
    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\n"
        "destinations:\n"
        f"  anthropic: {{upstream: '{upstream.url}', actions: {{secret: anonymize}},"
        f" on_scan_error: {on_scan_error}}}\n"
        f"audit: {{store: 'sqlite:///{db}'}}\n"
        f"proxy: {{scan_timeout_seconds: {TIMEOUT}}}\n"
    )
    policy = load_policy(tmp_path, None)
    gate = Gate()
    inspector = Inspector(policy, (gate, *build_detectors(policy)))
    options = ProxyOptions(tool="test", log=lambda _message: None)
    guard = Guard(policy, inspector, tool="test", log=options.log, audit=audit_log(policy),
                  workers=1)
    try:
        with ProxyThread(guard, options) as proxy:
            yield Run(proxy.url, guard, gate, db)
    finally:
        gate.release.set()


@pytest.mark.parametrize(("on_scan_error", "status", "verdict"), [
    ("block", 400, "block"),
    ("allow-unscanned", 200, "warn"),
])
def test_a_scan_past_its_deadline_records_only_what_was_done(
    tmp_path: Path, upstream: FakeUpstream, on_scan_error: str, status: int, verdict: str
) -> None:
    secret = fake_aws_key_id()
    with guarded(tmp_path, upstream, on_scan_error) as run:
        late = run.post(f"{MARKER} key {secret}", "req-late")
        run.gate.release.set()  # the held scan finishes now, long after its deadline
        after = run.post("hello", "req-after")  # one worker: decided after the late scan
        stats = run.guard.stats
        late_events, after_events = run.events("req-late"), run.events("req-after")
    assert (late.status_code, after.status_code) == (status, 200)
    if status == 400:
        assert "took over 0.5 s" in late.json()["error"]["message"]
    assert [e.verdict for e in late_events] == [verdict]  # not also the late "anonymize"
    assert [e.verdict for e in after_events] == ["allow"]
    assert (stats.requests, stats.anonymized, stats.replaced) == (2, 0, 0)
    assert (stats.blocked, stats.unscanned) == ((1, 0) if status == 400 else (0, 1))
    assert len(upstream.posts) == (2 if status == 200 else 1)  # unscanned: as it came


@pytest.mark.parametrize("audit_log", [AuditLog, SlowAuditLog], ids=["quick", "slow-write"])
def test_a_scan_settled_in_time_records_one_event(
    tmp_path: Path, upstream: FakeUpstream, audit_log: type[AuditLog]
) -> None:
    """Also when the deadline passes while the settled scan's event is being written
    (slow-write): the request goes out as decided (anonymized), once, one event."""
    secret = fake_aws_key_id()
    with guarded(tmp_path, upstream, audit_log=audit_log) as run:
        response = run.post(f"key {secret}", "req-in-time")
        stats = run.guard.stats
        events = run.events("req-in-time")
    assert response.status_code == 200
    assert [e.verdict for e in events] == ["anonymize"]
    assert (stats.requests, stats.anonymized, stats.blocked, stats.unscanned) == (1, 1, 0, 0)
    assert len(upstream.posts) == 1 and secret not in upstream.posts[0].body.decode()


def test_a_request_whose_client_hung_up_mid_scan_is_neither_sent_nor_logged(
    tmp_path: Path, upstream: FakeUpstream
) -> None:
    """The audit log and the egress budgets hold what left: a request the client gave up
    on while its scan ran never leaves, so its late verdict is not recorded either."""
    secret = fake_aws_key_id()
    with guarded(tmp_path, upstream) as run:
        with pytest.raises(httpx.TimeoutException):
            body = json.dumps({"model": "m", "max_tokens": 5, "messages": [
                {"role": "user", "content": f"{MARKER} key {secret}"}]}).encode()
            httpx.post(run.url + "/anthropic/v1/messages", content=body, timeout=TIMEOUT / 5,
                       headers={"content-type": "application/json", "x-api-key": "k",
                                "anthropic-version": "2023-06-01",
                                "x-client-request-id": "req-gone"})
        threading.Event().wait(TIMEOUT / 5)  # the proxy sees the hang-up
        run.gate.release.set()  # the held scan finishes now
        after = run.post("hello", "req-after")  # one worker: decided after the held scan
        gone_events, after_events = run.events("req-gone"), run.events("req-after")
        stats = run.guard.stats
    assert after.status_code == 200
    assert gone_events == []
    assert [e.verdict for e in after_events] == ["allow"]
    assert (stats.requests, stats.anonymized, stats.blocked) == (1, 0, 0)
    assert len(upstream.posts) == 1 and secret not in upstream.posts[0].body.decode()
