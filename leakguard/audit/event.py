"""One audit event per outbound decision: what left, to where, under which terms.

An event never holds a secret in clear: findings are summarised as rule, category,
count, keyed fingerprint and action; the optional content is the payload as sent with
every finding's value masked, or (``full``) whole but sealed with a content key (content.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from leakguard.policy.model import frozen_map
from leakguard.record import Record, field, record

EVENT_VERSION = 1


@record
class FindingRecord(Record):
    """A finding as the log keeps it: no value, no span, only what a report needs."""

    rule_id: str
    category: str
    action: str
    fingerprint: str
    count: int = 1
    bytes: int = 0  # characters the findings covered (values proprietary code per KB)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "action": self.action,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "bytes": self.bytes,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> FindingRecord:
        return cls(
            rule_id=str(raw["rule_id"]),
            category=str(raw["category"]),
            action=str(raw["action"]),
            fingerprint=str(raw["fingerprint"]),
            count=int(raw.get("count", 1)),
            bytes=int(raw.get("bytes", 0)),
        )


@record
class AuditEvent(Record):
    """An outbound decision. ``seq``, ``prev_hash`` and ``hash`` are set by the store
    when the event joins the chain (``seq`` is its 1-based position)."""

    ts: str  # UTC, ISO 8601 with microseconds and a trailing Z
    user: str
    host: str
    tool: str
    door: str  # proxy | hook | redact | scan
    destination: str
    verdict: str  # allow | warn | anonymize | block
    terms: Mapping[str, Any] = field(default_factory=frozen_map)
    session_id: str = ""
    request_id: str = ""
    bytes_sent: int = 0
    bytes_received: int = 0
    payload_sha256: str = ""
    proprietary_bytes: int = 0  # proprietary code that actually left (budget)
    findings: tuple[FindingRecord, ...] = ()
    reason: str = ""  # why blocked beyond findings (budget cap, store failure...)
    content: str | None = None  # audit.content: masked or full; "enc:v1:..." when sealed
    mac: str = "sha256"  # sha256 | hmac-sha256: how ``hash`` was computed
    canary: bool = False  # a planted canary token was in the payload: an incident
    seq: int = 0
    prev_hash: str = ""
    hash: str = ""

    def body(self) -> dict[str, Any]:
        """The hashed part: everything but position and hashes (order lives in the links).

        ``canary`` is in the body only when set, so events written before the flag
        existed keep their canonical form (and their hashes verify)."""
        body = {
            "v": EVENT_VERSION,
            "ts": self.ts,
            "user": self.user,
            "host": self.host,
            "tool": self.tool,
            "door": self.door,
            "destination": self.destination,
            "verdict": self.verdict,
            "terms": dict(self.terms),
            "session_id": self.session_id,
            "request_id": self.request_id,
            "bytes_sent": self.bytes_sent,
            "bytes_received": self.bytes_received,
            "payload_sha256": self.payload_sha256,
            "proprietary_bytes": self.proprietary_bytes,
            "findings": [f.to_json() for f in self.findings],
            "reason": self.reason,
            "content": self.content,
            "mac": self.mac,
        }
        if self.canary:
            body["canary"] = True
        return body

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, **self.body(), "prev_hash": self.prev_hash, "hash": self.hash}

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> AuditEvent:
        return cls(
            ts=str(raw["ts"]),
            user=str(raw["user"]),
            host=str(raw["host"]),
            tool=str(raw["tool"]),
            door=str(raw["door"]),
            destination=str(raw["destination"]),
            verdict=str(raw["verdict"]),
            terms=frozen_map(raw.get("terms") or {}),
            session_id=str(raw.get("session_id", "")),
            request_id=str(raw.get("request_id", "")),
            bytes_sent=int(raw.get("bytes_sent", 0)),
            bytes_received=int(raw.get("bytes_received", 0)),
            payload_sha256=str(raw.get("payload_sha256", "")),
            proprietary_bytes=int(raw.get("proprietary_bytes", 0)),
            findings=tuple(FindingRecord.from_json(f) for f in raw.get("findings") or ()),
            reason=str(raw.get("reason", "")),
            content=raw.get("content"),
            mac=str(raw.get("mac", "sha256")),
            canary=raw.get("canary") is True,
            seq=int(raw.get("seq", 0)),
            prev_hash=str(raw.get("prev_hash", "")),
            hash=str(raw.get("hash", "")),
        )

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({f.category for f in self.findings}))


def canonical(body: Mapping[str, Any]) -> bytes:
    """One byte string per body, whichever store or language wrote it."""
    # default=str: policy terms are YAML, which may hold dates; stored as text, they
    # hash the same when read back.
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return text.encode()
