"""The embedded default store: one SQLite file in WAL mode.

Appends take the database's write lock first (BEGIN IMMEDIATE), read the chain head,
insert and move the head in one transaction: concurrent processes queue on the lock
instead of forking the chain, and a process killed mid-append leaves no half event.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from leakguard.audit.sqlbase import SCHEMA, AuditStoreError, SqlStore

BUSY_TIMEOUT_S = 30.0
# PRAGMA user_version once the tables and the chain head exist: later opens (every hook
# call opens the log) skip the schema statements and their write lock.
SCHEMA_VERSION = 1


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Turn on WAL, waiting out a process that is creating the same new log.

    Changing the journal mode can answer "database is locked" at once, without
    SQLite's busy handler, while another connection sets the file up.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class SqliteStore(SqlStore):
    placeholder = "?"

    def __init__(self, path: Path, key: bytes | None, create: bool = True) -> None:
        super().__init__(key)
        self.path = path
        self.url = f"sqlite:///{path}"
        if not create and not path.exists():
            raise AuditStoreError(f"no audit log at {path}")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
            _switch_to_wal(self._conn)
            # NORMAL in WAL mode survives a killed process; only power loss can drop
            # the last commits, and then whole events, never half of one.
            self._conn.execute("PRAGMA synchronous=NORMAL")
            if self._conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                with self._locked() as cur:
                    for statement in SCHEMA:
                        cur.execute(statement)
                    self._init_head(cur)
                    cur.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise AuditStoreError(
                f"audit log {path} is unusable ({exc}); it was not reset"
            ) from None
        except OSError as exc:
            raise AuditStoreError(f"cannot open audit log {path}: {exc.strerror}") from None

    @contextmanager
    def _locked(self) -> Iterator[Any]:
        cur = self._conn.cursor()
        try:
            cur.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise AuditStoreError(
                f"audit log {self.path}: cannot lock for writing ({exc})"
            ) from None
        try:
            yield cur
        except BaseException:
            self._conn.rollback()
            raise
        try:
            cur.execute("COMMIT")
        except sqlite3.Error as exc:
            self._conn.rollback()
            raise AuditStoreError(f"audit log {self.path}: write failed ({exc})") from None

    def _cursor(self) -> Any:
        return self._conn.cursor()

    def close(self) -> None:
        self._conn.close()
