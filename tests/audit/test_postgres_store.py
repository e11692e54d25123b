"""The PostgreSQL store against a real server: one chain from concurrent writers."""

from __future__ import annotations

from pathlib import Path

import pytest

from leakguard.audit.chain import verify
from leakguard.audit.record import AuditLog
from leakguard.audit.sqlbase import AuditStoreError
from leakguard.audit.store import open_store
from leakguard.policy.model import AuditSettings, Policy
from tests.audit.audit_helpers import T0, fill, fixed_clock
from tests.audit.test_sqlite_store import writer
from tests.helpers import run_cli


def test_two_writer_processes_keep_one_chain(pg_url: str, tmp_path: Path) -> None:
    procs = [writer({"store": pg_url, "count": 150, "tag": tag}) for tag in ("a", "b")]
    for p in procs:
        _out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err
    store = open_store(pg_url, None)
    events = store.events()
    result = verify(events, store.head(), None)
    store.close()
    assert result.ok, result.problem
    assert len(events) == 300
    assert {e.request_id for e in events} == {f"{t}-{i}" for t in "ab" for i in range(150)}
    check = run_cli("log", "verify", "--store", pg_url, cwd=tmp_path)
    assert check.returncode == 0 and "300 events" in check.stdout, check.stderr


def test_tamper_in_postgres_is_found(pg_url: str, tmp_path: Path) -> None:
    import psycopg

    log = AuditLog(Policy(audit=AuditSettings(store=pg_url)), clock=fixed_clock(T0))
    fill(log, 5)
    log.close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE audit_events SET body = replace(body, 'alice', 'eve') WHERE seq = 2")
    check = run_cli("log", "verify", "--store", pg_url, cwd=tmp_path)
    assert check.returncode == 1 and "position 2 (edited)" in check.stderr


def test_unreachable_server_fails_closed_without_password_in_message() -> None:
    url = "postgresql://user:s3cretpw@127.0.0.1:1/db"
    with pytest.raises(AuditStoreError) as info:
        AuditLog(Policy(audit=AuditSettings(store=url)))
    assert "s3cretpw" not in str(info.value) and "nothing was sent" in str(info.value)
