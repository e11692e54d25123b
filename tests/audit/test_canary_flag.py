"""A canary leaving is an incident: its audit event is flagged, in the hashed body."""

from __future__ import annotations

import json
from pathlib import Path

from leakguard.audit.event import AuditEvent, canonical
from leakguard.audit.record import AuditLog
from leakguard.detectors.markers import new_canary
from leakguard.models import Action, Category
from tests.audit.audit_helpers import (
    T0,
    finding,
    fixed_clock,
    plain_request,
    sqlite_policy,
    verdict,
)
from tests.helpers import run_cli


def _canary_request() -> dict[str, object]:
    token = new_canary()
    payload = f"# {token}\ndef billing(): pass\n".encode()
    found = finding("canary-token", Category.PROPRIETARY, token, 2)
    return {**plain_request(), "payload_sent": payload,
            "verdict": verdict(Action.BLOCK, (found, Action.BLOCK))}


def test_a_canary_event_is_flagged_stored_and_verified(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    log = AuditLog(sqlite_policy(db), clock=fixed_clock(T0))
    flagged = log.record(**_canary_request())
    plain = log.record(**plain_request(2))
    log.close()
    assert flagged.canary and flagged.verdict == "block"
    assert not plain.canary
    store = ["--store", f"sqlite:///{db}"]
    rows = [json.loads(x) for x in run_cli("log", "show", *store, "--json", cwd=tmp_path)
            .stdout.splitlines()]
    assert [r.get("canary") for r in rows] == [True, None]
    assert run_cli("log", "verify", *store, cwd=tmp_path).returncode == 0
    table = run_cli("log", "show", *store, cwd=tmp_path, env={"COLUMNS": "200"}).stdout
    assert "block (CANARY)" in table


def test_events_without_a_canary_keep_their_old_canonical_form() -> None:
    """Events written before the flag existed hash the same when read back."""
    old_body = AuditEvent.from_json({
        "ts": "2026-11-28T09:30:00.000000Z", "user": "alice", "host": "box", "tool": "t",
        "door": "proxy", "destination": "anthropic", "verdict": "allow",
    }).body()
    assert "canary" not in old_body
    assert canonical(AuditEvent.from_json(old_body).body()) == canonical(old_body)
    flagged = AuditEvent.from_json({**old_body, "canary": True})
    assert flagged.canary and flagged.body()["canary"] is True
