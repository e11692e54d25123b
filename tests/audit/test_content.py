"""audit.content: full (and redacted with a key): content sealed with AES-256-GCM, never
in clear in the store; read back with the content key; refused without flag and key."""

from __future__ import annotations

import base64
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from leakguard.audit.content import CONTENT_KEY_ENV, PREFIX, open_content
from leakguard.audit.record import AuditLog
from leakguard.errors import ConfigError
from leakguard.models import Action, Category
from tests.audit.audit_helpers import T0, fake_token, finding, fixed_clock, sqlite_policy, verdict
from tests.helpers import run_cli


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in (CONTENT_KEY_ENV, "LEAKGUARD_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)
    yield


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _request(secret: str, n: int = 0) -> dict[str, object]:
    """A payload whose secret was allowed through (warn) and whose email was not."""
    payload = f"deploy {n}: token = '{secret}'\nmail bob@example.com ü\n".encode()
    f1 = finding("github-pat", Category.SECRET, secret, 17)
    return dict(
        door="proxy",
        tool="claude-code",
        destination="anthropic",
        payload_sent=payload,
        bytes_received=10,
        verdict=verdict(Action.WARN, (f1, Action.WARN)),
        session_id="s1",
        request_id=f"r{n}",
        user="alice",
        host="box",
    )


def _full_log(db: Path, key: str, **audit: object) -> AuditLog:
    policy = sqlite_policy(db, content="full", allow_full_content=True, **audit)
    return AuditLog(policy, clock=fixed_clock(T0), environ={CONTENT_KEY_ENV: key})


def _store_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


def _windows(secret: str, width: int = 8) -> list[bytes]:
    return [secret[i : i + width].encode() for i in range(len(secret) - width + 1)]


def _cli_store(db: Path) -> list[str]:
    return ["--store", f"sqlite:///{db}"]


def test_full_content_is_sealed_and_reads_back_exactly(tmp_path: Path) -> None:
    secret, key, db = fake_token(41), _key(), tmp_path / "audit.db"
    log = _full_log(db, key)
    requests = [_request(secret, n) for n in range(3)]
    events = [log.record(**r) for r in requests]
    raw = _store_bytes(db)  # db and -wal, before the last connection checkpoints
    log.close()
    raw += _store_bytes(db)
    assert all(e.content is not None and e.content.startswith(PREFIX) for e in events)
    assert len({e.content for e in events}) == 3  # a fresh nonce per event
    leaked = [w for w in _windows(secret) if w in raw]
    assert leaked == [] and b"bob@example.com" not in raw and b"deploy 1" not in raw

    env = {CONTENT_KEY_ENV: key}
    shown = run_cli("log", "show", *_cli_store(db), "--json", "--content", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    rows = [json.loads(line) for line in shown.stdout.splitlines()]
    expected = [r["payload_sent"].decode() for r in requests]  # type: ignore[attr-defined]
    assert [r["content_text"] for r in rows] == expected
    assert {r["content_status"] for r in rows} == {"decrypted"}
    assert all(r["content"].startswith(PREFIX) for r in rows)  # the stored field, as hashed

    table = run_cli("log", "show", *_cli_store(db), "--content", cwd=tmp_path, env=env)
    assert table.returncode == 0 and "event 2 content (decrypted" in table.stdout
    assert expected[1] in table.stdout

    out = tmp_path / "export.jsonl"
    exported = run_cli(
        "log", "export", *_cli_store(db), "--content", "-o", str(out), cwd=tmp_path, env=env
    )
    assert exported.returncode == 0, exported.stderr
    assert [json.loads(x)["content_text"] for x in out.read_text().splitlines()] == expected

    check = run_cli("log", "verify", *_cli_store(db), cwd=tmp_path)  # no content key
    assert check.returncode == 0 and "ok: 3 events" in check.stdout, check.stderr
    hidden = run_cli("log", "show", *_cli_store(db), "--json", cwd=tmp_path)
    assert hidden.returncode == 0 and "content_text" not in hidden.stdout
    assert secret not in hidden.stdout


def test_without_the_key_content_stays_sealed_and_says_so(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    log = _full_log(db, _key())
    log.record(**_request(fake_token(42)))
    log.close()
    result = run_cli("log", "show", *_cli_store(db), "--content", cwd=tmp_path)
    assert result.returncode == 2
    assert "1 event(s) hold encrypted content and no content key is set" in result.stderr
    assert CONTENT_KEY_ENV in result.stderr and result.stdout == ""


def test_wrong_key_and_tampered_or_moved_ciphertext_do_not_authenticate(tmp_path: Path) -> None:
    db, key = tmp_path / "audit.db", _key()
    log = _full_log(db, key)
    first, second = (log.record(**_request(fake_token(43), n)) for n in range(2))
    log.close()
    raw_key = base64.urlsafe_b64decode(key + "=")
    assert open_content(first, raw_key).status == "decrypted"
    assert open_content(replace(second, content=first.content), raw_key).status == "unauthentic"

    wrong = run_cli(
        "log", "show", *_cli_store(db), "--content", cwd=tmp_path, env={CONTENT_KEY_ENV: _key()}
    )
    assert wrong.returncode == 1
    assert "content of event(s) 1, 2 does not authenticate: wrong content key" in wrong.stderr

    assert second.content is not None
    body = second.content
    flipped = body[:-3] + ("A" if body[-3] != "A" else "B") + body[-2:]
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE audit_events SET body = replace(body, ?, ?)", (body, flipped))
    conn.close()
    env = {CONTENT_KEY_ENV: key}
    tampered = run_cli("log", "show", *_cli_store(db), "--json", "--content", cwd=tmp_path, env=env)
    assert tampered.returncode == 1 and "content of event(s) 2 does not" in tampered.stderr
    statuses = [json.loads(x)["content_status"] for x in tampered.stdout.splitlines()]
    assert statuses == ["decrypted", "unauthentic"]
    check = run_cli("log", "verify", *_cli_store(db), cwd=tmp_path)
    assert check.returncode == 1 and "position 2 (edited)" in check.stderr


def test_key_file_and_redacted_content_sealed_too(tmp_path: Path) -> None:
    key_file = tmp_path / "content.key"
    key_file.write_text(_key() + "\n")
    key_file.chmod(0o600)
    db, secret = tmp_path / "audit.db", fake_token(44)
    policy = sqlite_policy(db, content="redacted", content_key_file=str(key_file))
    log = AuditLog(policy, clock=fixed_clock(T0), environ={})
    event = log.record(**_request(secret))
    log.close()
    assert event.content is not None and event.content.startswith(PREFIX)
    assert b"bob@example.com" not in _store_bytes(db)
    shown = run_cli(
        "log", "show", *_cli_store(db), "--json", "--content",
        "--content-key-file", str(key_file), cwd=tmp_path,
    )  # fmt: skip
    text = json.loads(shown.stdout)["content_text"]
    assert shown.returncode == 0 and "bob@example.com" in text and secret not in text
    assert "ghp_…(44 chars)" in text

    key_file.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by others"):
        AuditLog(policy, environ={})


@pytest.mark.parametrize(
    ("flag", "with_key", "named", "not_named"),
    [
        (False, True, "audit.allow_full_content: true", "content key"),
        (True, False, CONTENT_KEY_ENV, "allow_full_content"),
        (False, False, "allow_full_content: true and a content key", None),
    ],
)
def test_full_is_refused_without_flag_or_key(
    tmp_path: Path, flag: bool, with_key: bool, named: str, not_named: str | None
) -> None:
    env = {CONTENT_KEY_ENV: _key()} if with_key else {}
    policy = sqlite_policy(tmp_path / "a.db", content="full", allow_full_content=flag)
    with pytest.raises(ConfigError) as info:
        AuditLog(policy, environ=env)
    assert named in str(info.value)
    if not_named:
        assert not_named not in str(info.value)
    assert not (tmp_path / "a.db").exists()  # refused before anything was written


def test_malformed_key_is_refused(tmp_path: Path) -> None:
    policy = sqlite_policy(tmp_path / "a.db", content="full", allow_full_content=True)
    with pytest.raises(ConfigError, match="not an audit content key"):
        AuditLog(policy, environ={CONTENT_KEY_ENV: "short"})


def test_policy_check_reports_full_without_flag_or_key(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("audit: {content: full}\n")
    refused = run_cli("policy", "check", str(policy), cwd=tmp_path)
    assert refused.returncode == 2
    assert "allow_full_content: true and a content key" in refused.stderr
    policy.write_text("audit: {content: full, allow_full_content: true}\n")
    ok = run_cli("policy", "check", str(policy), cwd=tmp_path, env={CONTENT_KEY_ENV: _key()})
    assert ok.returncode == 0 and "audit content: full, encrypted" in ok.stdout, ok.stderr


def test_org_can_lock_the_flag(tmp_path: Path) -> None:
    org = tmp_path / "org.yaml"
    org.write_text("locked: [audit.allow_full_content]\naudit: {allow_full_content: false}\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / ".leakguard.yaml").write_text("audit: {content: full, allow_full_content: true}\n")
    result = run_cli("policy", "check", "--policy", str(org), cwd=repo)
    assert result.returncode == 2
    assert "audit.allow_full_content: locked by the organisation policy" in result.stderr


def test_postgres_keeps_content_sealed(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    from leakguard.policy.model import AuditSettings, Policy

    secret, key = fake_token(46), _key()
    settings = AuditSettings(store=pg_url, content="full", allow_full_content=True)
    log = AuditLog(Policy(audit=settings), clock=fixed_clock(T0), environ={CONTENT_KEY_ENV: key})
    request = _request(secret)
    log.record(**request)
    log.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        dump = "".join(str(row) for row in conn.execute("SELECT * FROM audit_events"))
    assert PREFIX in dump and [w for w in _windows(secret) if w.decode() in dump] == []
    env = {CONTENT_KEY_ENV: key}
    shown = run_cli("log", "show", "--store", pg_url, "--json", "--content", cwd=tmp_path, env=env)
    assert shown.returncode == 0, shown.stderr
    payload = request["payload_sent"]
    assert isinstance(payload, bytes)
    assert json.loads(shown.stdout)["content_text"] == payload.decode()
    check = run_cli("log", "verify", "--store", pg_url, cwd=tmp_path)
    assert check.returncode == 0, check.stderr


def test_redact_door_with_full_content(tmp_path: Path) -> None:
    """End to end: a secret the policy lets through is kept, sealed, by `leakguard redact`."""
    secret, key, db = fake_token(45), _key(), tmp_path / "audit.db"
    (tmp_path / ".git").mkdir()
    (tmp_path / ".leakguard.yaml").write_text(
        "default_action: {secret: warn}\n"
        f"audit: {{store: 'sqlite:///{db}', content: full, allow_full_content: true}}\n"
    )
    text = f"token = '{secret}'\n"
    env = {CONTENT_KEY_ENV: key}
    vault = ["--vault", str(tmp_path / "v.bin")]
    sent = run_cli("redact", *vault, "-", cwd=tmp_path, stdin=text.encode(), env=env)
    assert sent.returncode == 0, sent.stderr
    assert [w for w in _windows(secret) if w in _store_bytes(db)] == []
    shown = run_cli("log", "show", "--json", "--content", cwd=tmp_path, env=env)
    assert json.loads(shown.stdout)["content_text"] == sent.stdout
    refused = run_cli("redact", *vault, "-", cwd=tmp_path, stdin=text.encode())
    assert refused.returncode == 2 and CONTENT_KEY_ENV in refused.stderr
    assert refused.stdout == ""  # nothing went out
