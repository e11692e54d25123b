"""The proxy's audit trail: one event per request, with what left and why, no secret.

One proxy (in process) on a SQLite store; requests that are allowed, anonymized,
blocked for a finding and blocked as unscannable. Each leaves exactly one event that
says door, tool, destination and its terms, session, request id, bytes in and out,
the SHA-256 of what left, findings (rule, category, count, keyed fingerprint, action)
and the verdict; the database file holds no secret in clear.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import httpx

from leakguard.audit.event import AuditEvent, FindingRecord
from leakguard.audit.store import open_store
from leakguard.masking import fingerprint
from tests.fakeupstream import FakeUpstream
from tests.helpers import fake_aws_key_id, fake_github_pat, run_cli
from tests.proxy.conftest import ProxyFactory

SESSION = "x-claude-code-session-id"


def _anthropic(text: str) -> bytes:
    return json.dumps(
        {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": text}]}
    ).encode()


def _chat(text: str) -> bytes:
    return json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]}).encode()


def _policy(url: str, db: Path) -> str:
    return (
        "destinations:\n"
        f"  anthropic: {{upstream: '{url}', actions: {{secret: anonymize}},"
        " terms: {trains_on_inputs: false, retention_days: 30}}\n"
        f"  openai: {{upstream: '{url}'}}\n"
        f"audit: {{store: 'sqlite:///{db}', content: redacted}}\n"
    )


def _events(db: Path) -> list[AuditEvent]:
    store = open_store(f"sqlite:///{db}", None, create=False)
    try:
        return store.events()
    finally:
        store.close()


def test_every_request_leaves_one_complete_event_and_no_secret(
    proxy_for: ProxyFactory, upstream: FakeUpstream, tmp_path: Path
) -> None:
    aws, pat = fake_aws_key_id(), fake_github_pat()
    db = tmp_path / "audit.db"
    sent = [  # (path, body, session, request id)
        ("/anthropic/v1/messages", _anthropic("hello, nothing here"), "conv-1", "req-clean"),
        ("/anthropic/v1/messages", _anthropic(f"k={aws} again {aws} and {pat}"), "conv-1",
         "req-anon"),
        ("/openai/v1/chat/completions", _chat(f"key {aws}"), "conv-2", "req-block"),
        ("/anthropic/v1/messages", b"{not json", "conv-2", "req-broken"),
    ]
    statuses = []
    with proxy_for(_policy(upstream.url, db), destinations=False, audit=True) as px:
        for path, body, session, request_id in sent:
            headers = {"content-type": "application/json", "x-api-key": "k", SESSION: session,
                       "x-client-request-id": request_id}
            statuses.append(httpx.post(px.url + path, content=body, headers=headers,
                                       timeout=30).status_code)
    assert statuses == [200, 200, 400, 400]
    forwarded = upstream.posts
    assert len(forwarded) == 2  # the clean and the anonymized request

    events = _events(db)
    assert len(events) == len(sent)
    by_id = {e.request_id: e for e in events}
    assert set(by_id) == {r for *_x, r in sent}
    for (_path, body, session, request_id), event in zip(sent, events, strict=True):
        assert event.request_id == request_id  # in order, one each
        assert (event.door, event.tool) == ("proxy", "test")
        assert event.session_id == f"{SESSION}:{session}"
        assert event.bytes_received == len(body)

    clean, anon, block, broken = (by_id[r] for r in ("req-clean", "req-anon", "req-block",
                                                     "req-broken"))
    assert (clean.verdict, clean.destination, clean.findings) == ("allow", "anthropic", ())
    assert dict(clean.terms) == {"trains_on_inputs": False, "retention_days": 30}
    for event, received in ((clean, forwarded[0]), (anon, forwarded[1])):
        assert event.bytes_sent == len(received.body)
        assert event.payload_sha256 == hashlib.sha256(received.body).hexdigest()

    assert (anon.verdict, anon.destination) == ("anonymize", "anthropic")
    assert set(anon.findings) == {
        FindingRecord("aws-access-key-id", "secret", "anonymize",
                      fingerprint("aws-access-key-id", aws), 2, 2 * len(aws)),
        FindingRecord("github-pat-classic", "secret", "anonymize",
                      fingerprint("github-pat-classic", pat), 1, len(pat)),
    }
    assert anon.content is not None and "SECRET_1_" in anon.content  # as sent: placeholders

    assert (block.verdict, block.destination) == ("block", "openai")
    assert (block.bytes_sent, block.payload_sha256, block.content) == (0, "", None)
    assert [(f.rule_id, f.action, f.count) for f in block.findings] == [
        ("aws-access-key-id", "block", 1)
    ]
    assert (broken.verdict, broken.findings, broken.bytes_sent) == ("block", (), 0)

    # Nothing in clear: not in the file (nor its WAL), not in any column of any table.
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("audit.db*"))
    with sqlite3.connect(db) as conn:
        dumped = "\n".join(conn.iterdump())
    for secret in (aws, pat):
        assert secret.encode() not in raw and secret not in dumped
        assert hashlib.sha256(secret.encode()).hexdigest() not in dumped  # hashes are keyed

    check = run_cli("log", "verify", "--store", f"sqlite:///{db}", cwd=tmp_path)
    assert check.returncode == 0 and f"{len(sent)} events" in check.stdout, check.stderr
