"""The SQLite store: concurrent writers, a corrupt file, an unavailable store."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from leakguard.audit.chain import verify
from leakguard.audit.record import AuditLog
from leakguard.audit.sqlbase import AuditStoreError
from leakguard.audit.store import default_path, open_store
from leakguard.policy.model import DEFAULT_AUDIT_STORE, AuditSettings, Policy
from tests.audit.audit_helpers import T0, fill, fixed_clock, plain_request, sqlite_policy
from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[2]


def writer(spec: dict[str, object]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "audit" / "writer.py"), json.dumps(spec)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_two_processes_keep_one_chain(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    store_url = f"sqlite:///{db}"
    procs = [writer({"store": store_url, "count": 150, "tag": tag}) for tag in ("a", "b")]
    for p in procs:
        _out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
    store = open_store(store_url, None)
    events = store.events()
    result = verify(events, store.head(), None)
    store.close()
    assert result.ok, result.problem
    assert len(events) == 300
    assert {e.request_id for e in events} == {f"{t}-{i}" for t in "ab" for i in range(150)}
    tools = [e.tool for e in events]
    assert sum(1 for x, y in itertools.pairwise(tools) if x != y) > 0, "writers never interleaved"
    check = run_cli("log", "verify", "--store", store_url, cwd=tmp_path)
    assert check.returncode == 0 and "300 events" in check.stdout


def test_default_store_is_under_xdg_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    log = AuditLog(Policy(audit=AuditSettings(store=DEFAULT_AUDIT_STORE)), clock=fixed_clock(T0))
    fill(log, 1)
    log.close()
    assert default_path() == tmp_path / "state" / "leakguard" / "audit.db"
    assert default_path().exists()


def test_corrupt_file_is_a_clear_error_not_a_reset(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    db.write_bytes(b"this is not a database, but it is someone's file\n" * 100)
    before = db.read_bytes()
    with pytest.raises(AuditStoreError, match=r"unusable.*not reset"):
        AuditLog(sqlite_policy(db))
    assert db.read_bytes() == before
    result = run_cli("log", "verify", "--store", f"sqlite:///{db}", cwd=tmp_path)
    assert (
        result.returncode == 3 and "unusable" in result.stderr and "Traceback" not in result.stderr
    )


def test_unavailable_store_fails_closed(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(AuditStoreError, match="nothing was sent"):
        AuditLog(sqlite_policy(blocker / "sub" / "audit.db"))


def test_unavailable_store_may_be_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    log = AuditLog(
        sqlite_policy(blocker / "sub" / "audit.db", on_failure="allow"), clock=fixed_clock(T0)
    )
    event = log.record(**plain_request(1))
    assert event.verdict == "allow" and event.seq == 0
    assert "audit log not written" in capsys.readouterr().err


def test_write_failure_after_open_fails_closed(tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    log = AuditLog(sqlite_policy(db), clock=fixed_clock(T0))
    fill(log, 1)
    import sqlite3

    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE audit_head")
    conn.commit()
    conn.close()
    with pytest.raises(AuditStoreError, match="nothing was sent"):
        log.record(**plain_request(2))
    log.close()


def test_missing_log_is_reported(tmp_path: Path) -> None:
    result = run_cli("log", "show", "--store", f"sqlite:///{tmp_path / 'none.db'}", cwd=tmp_path)
    assert result.returncode == 3 and "no audit log" in result.stderr


def test_write_failure_may_be_allowed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    db = tmp_path / "audit.db"
    log = AuditLog(sqlite_policy(db, on_failure="allow"), clock=fixed_clock(T0))
    fill(log, 1)
    conn = sqlite3.connect(db)
    conn.execute("DROP TABLE audit_events")
    conn.commit()
    conn.close()
    event = log.record(**plain_request(2))
    log.close()
    assert event.verdict == "allow" and event.seq == 0
    assert "audit log not written" in capsys.readouterr().err


def test_a_log_is_set_up_once_and_older_logs_are_upgraded(tmp_path: Path) -> None:
    """The schema runs on the first open only (PRAGMA user_version marks it): later
    opens append to the same chain; a log from before the mark is set up again (its
    statements change nothing there) and keeps its events."""
    import sqlite3

    db = tmp_path / "audit.db"
    for _ in range(3):  # one open per hook call
        log = AuditLog(sqlite_policy(db), clock=fixed_clock(T0))
        fill(log, 2)
        log.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    conn.execute("PRAGMA user_version = 0")  # as written before the mark existed
    conn.commit()
    conn.close()
    log = AuditLog(sqlite_policy(db), clock=fixed_clock(T0))
    fill(log, 1)
    log.close()
    store = open_store(f"sqlite:///{db}", None)
    try:
        assert len(store.events()) == 7 and verify(store.events(), store.head(), None).ok
    finally:
        store.close()


def test_a_marked_log_without_its_head_fails_closed(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "audit.db"
    AuditLog(sqlite_policy(db), clock=fixed_clock(T0)).close()
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM audit_head")
    conn.commit()
    conn.close()
    log = AuditLog(sqlite_policy(db), clock=fixed_clock(T0))
    with pytest.raises(AuditStoreError, match="nothing was sent"):
        log.record(**plain_request(1))
    log.close()
