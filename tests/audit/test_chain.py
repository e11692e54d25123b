"""Tamper evidence: every kind of edit to a stored chain is found by `log verify`."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from leakguard.audit.chain import GENESIS, head_mac, verify
from leakguard.audit.record import AuditLog
from leakguard.audit.store import open_store
from tests.audit.audit_helpers import T0, fill, fixed_clock, sqlite_policy
from tests.helpers import run_cli

KEY = "k" * 32


def _log(path: Path, n: int, keyed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    if keyed:
        monkeypatch.setenv("LEAKGUARD_AUDIT_KEY", KEY)
    else:
        monkeypatch.delenv("LEAKGUARD_AUDIT_KEY", raising=False)
    log = AuditLog(sqlite_policy(path), clock=fixed_clock(T0))
    fill(log, n)
    log.close()


def _verify(path: Path, keyed: bool) -> tuple[int, str]:
    env = {"LEAKGUARD_AUDIT_KEY": KEY} if keyed else {}
    result = run_cli("log", "verify", "--store", f"sqlite:///{path}", env=env, cwd=path.parent)
    return result.returncode, result.stdout + result.stderr


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for s in statements:
            conn.execute(s)
    conn.close()


def _swap(a: int, b: int) -> tuple[str, ...]:
    return (
        f"UPDATE audit_events SET seq = -1 WHERE seq = {a}",
        f"UPDATE audit_events SET seq = {a} WHERE seq = {b}",
        f"UPDATE audit_events SET seq = {b} WHERE seq = -1",
    )


@pytest.mark.parametrize("keyed", [False, True], ids=["unkeyed", "keyed"])
def test_clean_chain_verifies(tmp_path: Path, keyed: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "audit.db"
    _log(db, 5, keyed, monkeypatch)
    code, out = _verify(db, keyed)
    assert code == 0, out
    assert "ok: 5 events" in out and ("keyed" in out if keyed else "unkeyed" in out)


def _forge_row(seq: int, prev: str) -> str:
    """An attacker's event: a well-formed, self-consistent unkeyed event body."""
    import hashlib

    body = (
        '{"bytes_received":0,"bytes_sent":1,"content":null,"destination":"anthropic",'
        '"door":"proxy","findings":[],"host":"box","mac":"sha256","payload_sha256":"",'
        '"proprietary_bytes":0,"reason":"","request_id":"x","session_id":"",'
        '"terms":{},"tool":"t","ts":"2026-11-28T09:30:00.000000Z","user":"mallory",'
        '"v":1,"verdict":"allow"}'
    )
    digest = hashlib.sha256(prev.encode() + b"\n" + body.encode()).hexdigest()
    return (
        "INSERT INTO audit_events VALUES "
        f"({seq}, '2026-11-28T09:30:00.000000Z', 'mallory', 't', 'anthropic', 'allow', 0, 0,"
        f" '{body}', '{prev}', '{digest}')"
    )


def _hash_of(db: Path, seq: int) -> str:
    conn = sqlite3.connect(db)
    (value,) = conn.execute("SELECT hash FROM audit_events WHERE seq = ?", (seq,)).fetchone()
    conn.close()
    return str(value)


TAMPERS = {
    # name: (statements, expected position, expected kind)
    "edit-field": (
        ("UPDATE audit_events SET body = replace(body, '\"alice\"', '\"bob\"') WHERE seq = 3",),
        3,
        "edited",
    ),
    "edit-verdict": (
        ("UPDATE audit_events SET body = replace(body, '\"allow\"', '\"block\"') WHERE seq = 4",),
        4,
        "edited",
    ),
    "edit-column-only": (("UPDATE audit_events SET verdict = 'block' WHERE seq = 2",), 2, "edited"),
    "garbage-body": (("UPDATE audit_events SET body = 'not json' WHERE seq = 5",), 5, "edited"),
    "body-not-event": (("UPDATE audit_events SET body = '[1, 2]' WHERE seq = 1",), 1, "edited"),
    "delete": (("DELETE FROM audit_events WHERE seq = 3",), 3, "deleted"),
    "delete-renumber": (
        (
            "DELETE FROM audit_events WHERE seq = 3",
            "UPDATE audit_events SET seq = seq - 1 WHERE seq > 3",
        ),
        3,
        "deleted",
    ),
    "reorder": (_swap(3, 4), 3, "reordered"),
    "truncate-tail": (("DELETE FROM audit_events WHERE seq >= 5",), 5, "truncated"),
}


@pytest.mark.parametrize("keyed", [False, True], ids=["unkeyed", "keyed"])
@pytest.mark.parametrize("tamper", sorted(TAMPERS))
def test_tamper_is_found_with_position(
    tmp_path: Path, tamper: str, keyed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "audit.db"
    _log(db, 6, keyed, monkeypatch)
    statements, position, kind = TAMPERS[tamper]
    _sql(db, *statements)
    code, out = _verify(db, keyed)
    assert code == 1, out
    assert f"FAILED at position {position} ({kind})" in out


@pytest.mark.parametrize("keyed", [False, True], ids=["unkeyed", "keyed"])
def test_inserted_event_is_found(
    tmp_path: Path, keyed: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "audit.db"
    _log(db, 5, keyed, monkeypatch)
    prev = _hash_of(db, 2)
    _sql(
        db,
        "UPDATE audit_events SET seq = seq + 100 WHERE seq >= 3",
        "UPDATE audit_events SET seq = seq - 99 WHERE seq >= 103",
        _forge_row(3, prev),
        "UPDATE audit_head SET count = 6",
    )
    code, out = _verify(db, keyed)
    assert code == 1, out
    # Without the key the forged event is self-consistent: the break shows at its
    # successor, which still links to event 2. With the key its MAC is wrong.
    expected = "position 3 (inserted)" if not keyed else "position 3 (unkeyed)"
    assert expected in out


def test_truncated_tail_with_rewritten_head_needs_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone who drops the tail and rewrites the head: the key makes the difference."""
    for keyed, caught in ((True, True), (False, False)):
        db = tmp_path / f"audit-{keyed}.db"
        _log(db, 6, keyed, monkeypatch)
        last = _hash_of(db, 4)
        forged_mac = head_mac(4, last, None)  # the attacker has no key
        _sql(
            db,
            "DELETE FROM audit_events WHERE seq >= 5",
            f"UPDATE audit_head SET count = 4, last_hash = '{last}', mac = '{forged_mac}'",
        )
        code, out = _verify(db, keyed)
        if caught:
            assert code == 1 and "(truncated)" in out, out
        else:  # documented limit of an unkeyed chain
            assert code == 0, out


def test_recomputed_chain_is_caught_only_with_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An attacker without the key re-hashes everything after an edit."""
    from dataclasses import replace

    from leakguard.audit.chain import link

    db = tmp_path / "audit.db"
    _log(db, 4, True, monkeypatch)
    store = open_store(f"sqlite:///{db}", KEY.encode())
    events = store.events()
    store.close()
    prev, rows = GENESIS, []
    for e in events:
        edited = replace(e, user="bob")
        linked = link(edited, e.seq, prev, None)
        rows.append(linked)
        prev = linked.hash
    from leakguard.audit.event import canonical

    conn = sqlite3.connect(db)
    with conn:
        for r in rows:
            conn.execute(
                "UPDATE audit_events SET body = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (canonical(r.body()).decode(), r.prev_hash, r.hash, r.seq),
            )
        conn.execute(
            "UPDATE audit_head SET last_hash = ?, mac = ?", (prev, head_mac(4, prev, None))
        )
    conn.close()
    code, out = _verify(db, True)
    assert code == 1 and "position 1 (unkeyed)" in out, out
    # and without the key this forgery passes: that is what the key is for
    store = open_store(f"sqlite:///{db}", None)
    assert verify(store.events(), store.head(), None).ok
    store.close()


def test_keyed_chain_without_key_is_a_clear_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "audit.db"
    _log(db, 2, True, monkeypatch)
    monkeypatch.delenv("LEAKGUARD_AUDIT_KEY")
    code, out = _verify(db, False)
    assert code == 1 and "LEAKGUARD_AUDIT_KEY" in out


def test_wrong_key_fails_at_first_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "audit.db"
    _log(db, 3, True, monkeypatch)
    result = run_cli(
        "log",
        "verify",
        "--store",
        f"sqlite:///{db}",
        env={"LEAKGUARD_AUDIT_KEY": "other"},
        cwd=tmp_path,
    )
    assert result.returncode == 1 and "position 1 (edited)" in result.stderr


def test_key_file_outside_the_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEAKGUARD_AUDIT_KEY", raising=False)
    key_file = tmp_path / "keys" / "audit.key"
    key_file.parent.mkdir()
    key_file.write_text(KEY + "\n")
    db = tmp_path / "audit.db"
    log = AuditLog(sqlite_policy(db, key_file=str(key_file)), clock=fixed_clock(T0))
    fill(log, 3)
    log.close()
    ok = run_cli(
        "log", "verify", "--store", f"sqlite:///{db}", "--key-file", str(key_file), cwd=tmp_path
    )
    assert ok.returncode == 0, ok.stderr
    assert "keyed" in ok.stdout
    no_key = run_cli("log", "verify", "--store", f"sqlite:///{db}", cwd=tmp_path)
    assert no_key.returncode == 1


def test_checkpoint_catches_an_unkeyed_rewrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a key, a truncated tail with a rewritten head passes verify alone; a
    checkpoint kept elsewhere still catches it."""
    db = tmp_path / "audit.db"
    _log(db, 6, False, monkeypatch)
    store = ["--store", f"sqlite:///{db}"]
    saved = run_cli("log", "checkpoint", *store, cwd=tmp_path)
    assert saved.returncode == 0, saved.stderr
    anchor = tmp_path / "checkpoint.json"
    anchor.write_text(saved.stdout)
    ok = run_cli("log", "verify", *store, "--checkpoint", str(anchor), cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    last = _hash_of(db, 4)
    _sql(
        db,
        "DELETE FROM audit_events WHERE seq >= 5",
        f"UPDATE audit_head SET count = 4, last_hash = '{last}', mac = '{head_mac(4, last, None)}'",
    )
    assert run_cli("log", "verify", *store, cwd=tmp_path).returncode == 0
    caught = run_cli("log", "verify", *store, "--checkpoint", str(anchor), cwd=tmp_path)
    assert caught.returncode == 1 and "position 5 (truncated)" in caught.stderr
