"""A writer killed with SIGKILL mid-append loses at most that event; the chain verifies."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from leakguard.audit.chain import verify
from leakguard.audit.store import open_store
from tests.audit.test_sqlite_store import writer
from tests.helpers import run_cli


def _kill_midway(store_url: str, tag: str, after_lines: int) -> int:
    """Start a writer, SIGKILL it once it has reported ``after_lines`` appends; return
    how many appends it had confirmed (committed) before it died."""
    proc = writer({"store": store_url, "count": 100000, "tag": tag, "progress": True})
    assert proc.stdout is not None
    done = 0
    for _ in range(after_lines):
        if not proc.stdout.readline():
            break
        done += 1
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # Everything it confirmed before dying is still in the pipe.
    done += len(proc.stdout.read().splitlines())
    return done


def _check(store_url: str, expected: dict[str, int], tmp_path: Path) -> None:
    store = open_store(store_url, None)
    events = store.events()
    result = verify(events, store.head(), None)
    store.close()
    assert result.ok, result.problem
    for tag, reported in expected.items():
        ids = [e.request_id for e in events if e.tool == tag]
        # every reported append is there, in order; at most one more (the one in flight
        # whose commit landed before the kill) and nothing half-written
        assert ids == [f"{tag}-{i}" for i in range(len(ids))]
        assert reported <= len(ids) <= reported + 1
    check = run_cli("log", "verify", "--store", store_url, cwd=tmp_path)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("after", [3, 57, 211])
def test_sigkill_sqlite(tmp_path: Path, after: int) -> None:
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    done = _kill_midway(url, "k", after)
    _check(url, {"k": done}, tmp_path)
    # the log stays writable after the crash
    done2 = _kill_midway(url, "j", 5)
    _check(url, {"k": done, "j": done2}, tmp_path)


def test_sigkill_postgres(pg_url: str, tmp_path: Path) -> None:
    done = _kill_midway(pg_url, "k", 40)
    time.sleep(0.2)  # the server notices the dropped connection and rolls back
    _check(pg_url, {"k": done}, tmp_path)
