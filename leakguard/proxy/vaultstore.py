"""Session vaults shared by several proxy instances (``proxy.vault: store``).

Each session's vault lives sealed (AES-GCM, ``LEAKGUARD_VAULT_KEY``) in a table of the
audit store's database, keyed by session id, with a version that grows on each save.
New placeholders are made only under the row's lock (PostgreSQL: SELECT ... FOR UPDATE;
SQLite: BEGIN IMMEDIATE), on the vault as stored: two instances anonymizing one
conversation at once queue on the row, so a value never gets two placeholders nor a
placeholder two values. A key-check row, sealed by the first instance, makes an
instance with another key fail at start instead of on its first request. Vaults that
gained no placeholder for ``proxy.vault_keep_days`` are deleted (at start, then at most
hourly, before a vault is updated): the values they seal should not outlive the
conversations that needed them.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from leakguard.errors import ConfigError, LeakguardError
from leakguard.policy.model import DEFAULT_AUDIT_STORE, Policy
from leakguard.transform.vault import KEY_ENV, Vault, seal, unseal, vault_key

_SAME_KEY = (
    f"every leakguard instance sharing this database needs the same {KEY_ENV} "
    "(base64url of 32 bytes, or one passphrase)"
)
_SCHEMA_LOCK = 0x6C6B7676  # "lkvv": concurrent CREATE TABLE IF NOT EXISTS can collide
_IDLE = 8  # connections kept open per instance
_TIMEOUT_S = 10
_EXPIRE_EVERY_S = 3600.0


class VaultStoreError(LeakguardError):
    """The shared vault cannot be read or written: the request is blocked."""


@dataclass
class StoredVault:
    """A session's vault as stored, and the version it was read at (saved: +1)."""

    vault: Vault
    version: int


class VaultStore:
    """Sealed session vaults in one SQL database; thread-safe (a small pool)."""

    def __init__(
        self, url: str, key: bytes, dialect: _Dialect, keep_days: int | None = None
    ) -> None:
        self.url, self._key, self._d = url, key, dialect
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._keep_days = keep_days
        self._expired_at = time.monotonic()
        with self._transaction() as cur:
            for statement in dialect.schema:
                cur.execute(statement)
            self._check_key(cur)
            self.expired = self._expire(cur)  # how many vaults the start deleted

    def _expire(self, cur: Any) -> int:
        """Delete the vaults that gained no placeholder for ``keep_days``."""
        self._expired_at = time.monotonic()
        if self._keep_days is None:
            return 0
        cutoff = _stamp(datetime.now(timezone.utc) - timedelta(days=self._keep_days))
        cur.execute(f"DELETE FROM proxy_vaults WHERE updated < {self._d.p}", (cutoff,))
        return max(int(cur.rowcount), 0)

    def _expire_now_and_then(self) -> None:
        """Expiry in its own transaction, at most every ``_EXPIRE_EVERY_S``; a failure
        waits for the next turn: housekeeping must not block a request."""
        if time.monotonic() - self._expired_at < _EXPIRE_EVERY_S:
            return
        try:
            with self._transaction() as cur:
                self._expire(cur)
        except VaultStoreError:
            self._expired_at = time.monotonic()

    def _check_key(self, cur: Any) -> None:
        p = self._d.p
        cur.execute(
            f"INSERT INTO proxy_vault_key (id, sealed) VALUES (1, {p}) ON CONFLICT (id) DO NOTHING",
            (seal(Vault(), self._key),),
        )
        cur.execute("SELECT sealed FROM proxy_vault_key WHERE id = 1")
        try:
            unseal(bytes(cur.fetchone()[0]), self._key, "the session vaults' key check")
        except ConfigError:
            raise ConfigError(
                f"proxy.vault: store: the session vaults in {self.url} are sealed with "
                f"another key; {_SAME_KEY}"
            ) from None

    @contextmanager
    def updating(self, session_id: str) -> Iterator[StoredVault]:
        """The stored vault under the row lock; saved (version + 1) if it changed."""
        self._expire_now_and_then()  # before the row lock: another transaction
        p = self._d.p
        with self._transaction() as cur:
            row = self._select(cur, session_id, self._d.lock_suffix)
            if row is None:  # first placeholder of this session: whoever inserts first wins
                cur.execute(
                    "INSERT INTO proxy_vaults (session_id, version, sealed, updated)"
                    f" VALUES ({p}, 0, {p}, {p}) ON CONFLICT (session_id) DO NOTHING",
                    (session_id, seal(Vault(), self._key), _now()),
                )
                row = self._select(cur, session_id, self._d.lock_suffix)
                assert row is not None
            stored = StoredVault(self._unseal(row[1]), int(row[0]))
            yield stored
            if stored.vault.changed:
                stored.version += 1
                cur.execute(
                    f"UPDATE proxy_vaults SET version = {p}, sealed = {p}, updated = {p}"
                    f" WHERE session_id = {p}",
                    (stored.version, seal(stored.vault, self._key), _now(), session_id),
                )
                stored.vault.changed = False

    def newer(self, session_id: str, version: int) -> StoredVault | None:
        """The stored vault if it is newer than ``version`` (one indexed read)."""
        p = self._d.p
        with self._connection() as conn:
            cur = conn.cursor()
            cur.execute(
                f"SELECT version, sealed FROM proxy_vaults WHERE session_id = {p}"
                f" AND version > {p}",
                (session_id, version),
            )
            row = cur.fetchone()
        return None if row is None else StoredVault(self._unseal(row[1]), int(row[0]))

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    # -- plumbing -------------------------------------------------------------------
    def _select(self, cur: Any, session_id: str, suffix: str) -> Any:
        cur.execute(
            f"SELECT version, sealed FROM proxy_vaults WHERE session_id = {self._d.p}" + suffix,
            (session_id,),
        )
        return cur.fetchone()

    def _unseal(self, data: Any) -> Vault:
        try:
            return unseal(bytes(data), self._key, f"a session vault in {self.url}")
        except ConfigError as exc:
            raise VaultStoreError(f"{exc} ({_SAME_KEY})") from None

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        try:
            if conn is None:
                conn = self._d.connect()
            yield conn
        except self._d.errors as exc:
            if conn is not None:
                conn.close()  # maybe broken: never reused
            raise VaultStoreError(f"session vault store {self.url}: {_first_line(exc)}") from None
        except Exception:
            self._release(conn)  # its transaction was rolled back: still good
            raise
        self._release(conn)

    def _release(self, conn: Any) -> None:
        with self._lock:
            if len(self._idle) < _IDLE:
                self._idle.append(conn)
                return
        conn.close()

    @contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._connection() as conn, self._d.transaction(conn) as cur:
            yield cur


@dataclass(frozen=True)
class _Dialect:
    p: str  # parameter placeholder
    lock_suffix: str
    schema: tuple[str, ...]  # run once, at start
    connect: Callable[[], Any]
    transaction: Callable[[Any], Any]
    errors: tuple[type[BaseException], ...]


def _schema(blob: str) -> tuple[str, ...]:
    return (
        "CREATE TABLE IF NOT EXISTS proxy_vaults (session_id TEXT PRIMARY KEY,"
        f" version BIGINT NOT NULL, sealed {blob} NOT NULL, updated TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS proxy_vault_key (id INTEGER PRIMARY KEY,"
        f" sealed {blob} NOT NULL)",
    )


def _postgres(url: str) -> _Dialect:
    try:
        import psycopg
    except ImportError:
        raise ConfigError(
            "proxy.vault: store on PostgreSQL needs psycopg: pip install 'psycopg[binary]'"
        ) from None

    @contextmanager
    def transaction(conn: Any) -> Iterator[Any]:
        with conn.transaction(), conn.cursor() as cur:
            yield cur

    def connect() -> Any:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
        # A stuck database must not hold a scan forever: the request fails closed instead.
        conn.execute(f"SET lock_timeout = '{_TIMEOUT_S}s'")
        conn.execute(f"SET statement_timeout = '{_TIMEOUT_S}s'")
        return conn

    setup = (f"SELECT pg_advisory_xact_lock({_SCHEMA_LOCK})", *_schema("BYTEA"))
    return _Dialect("%s", " FOR UPDATE", setup, connect, transaction, (psycopg.Error,))


def _sqlite(path: Path) -> _Dialect:
    import sqlite3

    @contextmanager
    def transaction(conn: Any) -> Iterator[Any]:
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")  # the database's write lock: one writer at a time
        try:
            yield cur
        except BaseException:
            conn.rollback()
            raise
        cur.execute("COMMIT")

    def connect() -> Any:
        path.parent.mkdir(parents=True, exist_ok=True)
        return sqlite3.connect(
            str(path), timeout=_TIMEOUT_S, isolation_level=None, check_same_thread=False
        )

    return _Dialect("?", "", _schema("BLOB"), connect, transaction, (sqlite3.Error,))


def open_vault_store(policy: Policy, environ: Mapping[str, str] | None = None) -> VaultStore | None:
    """The shared vault store the policy asks for; None with ``proxy.vault: memory``."""
    if policy.proxy.vault != "store":
        return None
    from leakguard.audit.postgres import shown_url
    from leakguard.audit.store import default_path

    url = policy.audit.store
    if url.startswith(("postgresql://", "postgres://")):
        dialect, shown = _postgres(url), shown_url(url)
    elif url == DEFAULT_AUDIT_STORE or url.startswith("sqlite:///"):
        path = (
            default_path(environ)
            if url == DEFAULT_AUDIT_STORE
            else Path(url[len("sqlite:///") :]).expanduser()
        )
        dialect, shown = _sqlite(path), f"sqlite:///{path}"
    else:
        raise ConfigError("proxy.vault: store needs audit.store to be sqlite:/// or postgresql://")
    env = os.environ if environ is None else environ
    try:
        return VaultStore(shown, vault_key(env), dialect, policy.proxy.vault_keep_days)
    except VaultStoreError as exc:
        raise ConfigError(f"proxy.vault: store: {exc}") from None


def _now() -> str:
    return _stamp(datetime.now(timezone.utc))


def _stamp(moment: datetime) -> str:
    """UTC, fixed width: stamps compare as text in either database."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
