"""Events out to SIEMs: JSON Lines, or one CEF line per event."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping

from leakguard import __version__
from leakguard.audit.content import Opened
from leakguard.audit.event import AuditEvent

_SEVERITY = {"allow": 1, "warn": 4, "anonymize": 5, "block": 8}


def jsonl(
    events: Iterable[AuditEvent], contents: Mapping[int, Opened] | None = None
) -> Iterator[str]:
    """One object per event; with ``contents`` (`--content`), also the content read
    back (``content_text``) and how (``content_status``), beside the stored field."""
    for event in events:
        row = event.to_json()
        if contents is not None:
            opened = contents.get(event.seq, Opened("none"))
            row["content_text"], row["content_status"] = opened.text, opened.status
        yield json.dumps(row, sort_keys=True, ensure_ascii=False)


def _header(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|")


def _ext(value: object) -> str:
    text = str(value).replace("\\", "\\\\").replace("=", "\\=")
    return text.replace("\r", "\\r").replace("\n", "\\n")


def cef(events: Iterable[AuditEvent]) -> Iterator[str]:
    """ArcSight CEF:0; custom fields labelled (cs1 door, cs2 rules, cs3 chain hash)."""
    for e in events:
        rules = ",".join(f"{f.rule_id}:{f.action}x{f.count}" for f in e.findings)
        fields = {
            "rt": e.ts,
            "suser": e.user,
            "shost": e.host,
            "dhost": e.destination,
            "app": e.tool,
            "act": e.verdict,
            "out": e.bytes_sent,
            "in": e.bytes_received,
            "fileHash": e.payload_sha256,
            "cs1Label": "door",
            "cs1": e.door,
            "cs2Label": "findings",
            "cs2": rules,
            "cs3Label": "chainHash",
            "cs3": e.hash,
            "cn1Label": "seq",
            "cn1": e.seq,
            "externalId": e.request_id,
            "reason": e.reason,
        }
        ext = " ".join(f"{k}={_ext(v)}" for k, v in fields.items() if v not in ("", None))
        name = _header(f"outbound request {e.verdict}")
        yield (
            f"CEF:0|leakguard|leakguard|{_header(__version__)}|{_header(e.verdict)}|{name}|"
            f"{_SEVERITY.get(e.verdict, 5)}|{ext}"
        )
