"""The team store: PostgreSQL through psycopg 3, for several `serve` instances at once.

Appends lock the chain-head row (SELECT ... FOR UPDATE) for the length of their
transaction, so writers on any number of hosts queue on one row and extend one chain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from leakguard.audit.sqlbase import SCHEMA, AuditStoreError, SqlStore

# Taken while creating tables: concurrent CREATE TABLE IF NOT EXISTS can still collide.
_SCHEMA_LOCK = 0x6C6B6775  # "lkgu"


def shown_url(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(SqlStore):
    placeholder = "%s"
    _lock_suffix = " FOR UPDATE"

    def __init__(self, url: str, key: bytes | None) -> None:
        super().__init__(key)
        self.url = shown_url(url)
        try:
            import psycopg
        except ImportError:
            raise AuditStoreError(
                "audit.store is PostgreSQL but psycopg is not installed:"
                " pip install 'psycopg[binary]'"
            ) from None
        self._errors: tuple[type[BaseException], ...] = (psycopg.Error,)
        try:
            self._conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
            with self._locked() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
                for statement in SCHEMA:
                    cur.execute(statement)
                self._init_head(cur)
        except psycopg.Error as exc:
            raise AuditStoreError(f"audit store {self.url}: {_first_line(exc)}") from None

    @contextmanager
    def _locked(self) -> Iterator[Any]:
        try:
            with self._conn.transaction(), self._conn.cursor() as cur:
                yield cur
        except self._errors as exc:
            raise AuditStoreError(f"audit store {self.url}: {_first_line(exc)}") from None

    def _cursor(self) -> Any:
        return self._conn.cursor()

    def close(self) -> None:
        self._conn.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
