"""What an event holds: never a secret in clear; the doors' API; show and export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leakguard.audit.record import AuditLog, record
from leakguard.errors import ConfigError
from leakguard.models import Action, Category
from leakguard.policy.model import Destination, Policy
from tests.audit.audit_helpers import (
    T0,
    fake_token,
    finding,
    fixed_clock,
    plain_request,
    sqlite_policy,
    verdict,
)
from tests.helpers import run_cli


def _secret_request(secret: str, overall: Action) -> dict[str, object]:
    payload = f"token = '{secret}'\nemail bob@example.com\n".encode()
    f1 = finding("github-pat", Category.SECRET, secret, 9)
    f2 = finding("email", Category.PII, "bob@example.com", len(secret) + 18)
    return {
        **plain_request(),
        "payload_sent": payload,
        "verdict": verdict(overall, (f1, Action.WARN), (f2, Action.ANONYMIZE)),
    }


def test_no_secret_in_clear_anywhere(tmp_path: Path) -> None:
    secret = fake_token(7)
    db = tmp_path / "audit.db"
    log = AuditLog(sqlite_policy(db, content="redacted"), clock=fixed_clock(T0))
    event = log.record(**_secret_request(secret, Action.WARN))
    log.close()
    assert event.content is not None and "ghp_…(44 chars)" in event.content
    assert secret not in json.dumps(event.to_json())
    assert secret.encode() not in db.read_bytes()
    for name in ("audit.db-wal",):
        if (tmp_path / name).exists():
            assert secret.encode() not in (tmp_path / name).read_bytes()
    assert [(f.rule_id, f.category, f.action, f.count) for f in event.findings] == [
        ("email", "pii", "anonymize", 1),
        ("github-pat", "secret", "warn", 1),
    ]
    assert all(f.fingerprint.startswith("sha256:") for f in event.findings)


def test_event_fields(tmp_path: Path) -> None:
    terms = {"trains_on_inputs": False, "retention_days": 30}
    policy = sqlite_policy(tmp_path / "a.db", content="none")
    policy = Policy(
        audit=policy.audit, destinations={"anthropic": Destination("anthropic", terms=terms)}
    )
    event = record(policy, **plain_request(3))
    assert (event.seq, event.user, event.host, event.tool, event.door) == (
        1,
        "alice",
        "box",
        "claude-code",
        "proxy",
    )
    assert dict(event.terms) == terms
    assert event.bytes_sent == len(b"print('request 3')\n") and event.bytes_received == 103
    assert len(event.payload_sha256) == 64 and event.content is None
    assert event.ts.endswith("Z") and len(event.prev_hash) == 64


def test_blocked_request_sent_nothing(tmp_path: Path) -> None:
    log = AuditLog(sqlite_policy(tmp_path / "a.db"), clock=fixed_clock(T0))
    event = log.record(**_secret_request(fake_token(), Action.BLOCK))
    log.close()
    assert (event.verdict, event.bytes_sent, event.payload_sha256, event.content) == (
        "block",
        0,
        "",
        None,
    )


def test_full_content_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="encrypted"):
        record(sqlite_policy(tmp_path / "a.db", content="full"), **plain_request())


def test_show_and_export(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    log = AuditLog(sqlite_policy(db), clock=fixed_clock(T0))
    log.record(**_secret_request(fake_token(), Action.WARN))
    log.record(**plain_request(2, tool="codex", destination="openai"))
    log.close()
    store = ["--store", f"sqlite:///{db}"]
    shown = run_cli("log", "show", *store, cwd=tmp_path, env={"COLUMNS": "200"})
    assert shown.returncode == 0 and "github-pat:warnx1" in shown.stdout and "codex" in shown.stdout
    only = run_cli("log", "show", *store, "--json", "--tool", "codex", cwd=tmp_path)
    rows = [json.loads(line) for line in only.stdout.splitlines()]
    assert [r["seq"] for r in rows] == [2]
    cat = run_cli("log", "show", *store, "--json", "--category", "pii", cwd=tmp_path)
    assert [json.loads(x)["seq"] for x in cat.stdout.splitlines()] == [1]
    since = run_cli("log", "show", *store, "--json", "--since", "2026-11-29", cwd=tmp_path)
    assert since.stdout == ""
    out = tmp_path / "events.jsonl"
    run_cli("log", "export", *store, "-o", str(out), cwd=tmp_path)
    assert [json.loads(x)["request_id"] for x in out.read_text().splitlines()] == ["r0", "r2"]
    cef = run_cli("log", "export", *store, "--format", "cef", cwd=tmp_path).stdout.splitlines()
    assert len(cef) == 2 and cef[0].startswith("CEF:0|leakguard|leakguard|")
    assert "suser=alice" in cef[0] and "cs2=email:anonymizex1,github-pat:warnx1" in cef[0]
    assert "act=allow" in cef[1] and "dhost=openai" in cef[1]


def test_terms_from_yaml_with_a_date_chain_cleanly(tmp_path: Path) -> None:
    import datetime

    from leakguard.audit.chain import verify
    from leakguard.audit.store import open_store

    terms = {"retention_days": 30, "reviewed": datetime.date(2026, 1, 5), "regions": ["eu"]}
    base = sqlite_policy(tmp_path / "a.db", content="none")
    policy = Policy(
        audit=base.audit, destinations={"anthropic": Destination("anthropic", terms=terms)}
    )
    record(policy, **plain_request())
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}", None)
    events = store.events()
    assert verify(events, store.head(), None).ok
    assert events[0].terms["reviewed"] == "2026-01-05"
    store.close()
