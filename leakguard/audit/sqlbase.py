"""The SQL both stores share: one events table, one chain-head row, appends under a lock.

A subclass supplies the connection, the placeholder style and how the head is locked
(SQLite: BEGIN IMMEDIATE; PostgreSQL: SELECT ... FOR UPDATE on the head row), so that
any number of processes appending at once still build one chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from leakguard.audit.chain import GENESIS, Head, head_mac, link
from leakguard.audit.event import AuditEvent, canonical
from leakguard.errors import LeakguardError
from leakguard.record import Record, field, record

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS audit_events ("
    " seq BIGINT PRIMARY KEY, ts TEXT NOT NULL, usr TEXT NOT NULL, tool TEXT NOT NULL,"
    " destination TEXT NOT NULL, verdict TEXT NOT NULL, proprietary_bytes BIGINT NOT NULL,"
    " anonymized BIGINT NOT NULL, body TEXT NOT NULL, prev_hash TEXT NOT NULL,"
    " hash TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS audit_events_usr_ts ON audit_events (usr, ts)",
    # Daily counters per person and destination, moved in the same transaction as each
    # append: the budget check costs one indexed read however long the day's log is.
    "CREATE TABLE IF NOT EXISTS audit_usage ("
    " usr TEXT NOT NULL, day TEXT NOT NULL, destination TEXT NOT NULL, requests BIGINT NOT NULL,"
    " proprietary_bytes BIGINT NOT NULL, anonymized BIGINT NOT NULL,"
    " PRIMARY KEY (usr, day, destination))",
    "CREATE TABLE IF NOT EXISTS audit_head ("
    " id INTEGER PRIMARY KEY, count BIGINT NOT NULL, last_hash TEXT NOT NULL, mac TEXT NOT NULL)",
)


class AuditStoreError(LeakguardError):
    """The audit store cannot be opened, read or written. Exit 3: nothing was let through."""


@record
class Usage(Record):
    """What one user sent in a window (events not blocked)."""

    proprietary_bytes: int = 0
    anonymized_findings: int = 0
    requests: dict[str, int] = field(default_factory=dict)  # per destination


@record
class Filters(Record):
    since: str | None = None  # ISO timestamps, compared as text (all UTC, same format)
    until: str | None = None
    tool: str | None = None
    destination: str | None = None
    verdict: str | None = None
    user: str | None = None
    category: str | None = None  # applied after reading (lives inside findings)


def _anonymized(event: AuditEvent) -> int:
    if event.verdict == "block":
        return 0
    return sum(f.count for f in event.findings if f.action == "anonymize")


class Txn:
    """Appends and reads inside one locked transaction."""

    def __init__(self, store: SqlStore, cursor: Any, head: Head) -> None:
        self._store, self._cur, self._head = store, cursor, head

    @property
    def head(self) -> Head:
        return self._head

    def usage(self, user: str, day: str) -> Usage:
        """What ``user`` sent on the UTC ``day`` (YYYY-MM-DD), from the daily counters."""
        p = self._store.placeholder
        self._cur.execute(
            "SELECT destination, requests, proprietary_bytes, anonymized FROM audit_usage"
            f" WHERE usr = {p} AND day = {p}",
            (user, day),
        )
        rows = self._cur.fetchall()
        return Usage(
            proprietary_bytes=sum(int(r[2]) for r in rows),
            anonymized_findings=sum(int(r[3]) for r in rows),
            requests={str(r[0]): int(r[1]) for r in rows},
        )

    def append(self, event: AuditEvent) -> AuditEvent:
        key, p = self._store.key, self._store.placeholder
        linked = link(event, self._head.count + 1, self._head.last_hash, key)
        self._cur.execute(
            "INSERT INTO audit_events (seq, ts, usr, tool, destination, verdict,"
            " proprietary_bytes, anonymized, body, prev_hash, hash)"
            f" VALUES ({', '.join([p] * 11)})",
            (
                linked.seq,
                linked.ts,
                linked.user,
                linked.tool,
                linked.destination,
                linked.verdict,
                linked.proprietary_bytes,
                _anonymized(linked),
                canonical(linked.body()).decode(),
                linked.prev_hash,
                linked.hash,
            ),
        )
        if linked.verdict != "block":  # nothing left: nothing counts against a budget
            self._cur.execute(
                "INSERT INTO audit_usage (usr, day, destination, requests, proprietary_bytes,"
                f" anonymized) VALUES ({p}, {p}, {p}, 1, {p}, {p})"
                " ON CONFLICT (usr, day, destination) DO UPDATE SET"
                " requests = audit_usage.requests + 1,"
                " proprietary_bytes = audit_usage.proprietary_bytes + excluded.proprietary_bytes,"
                " anonymized = audit_usage.anonymized + excluded.anonymized",
                (
                    linked.user,
                    linked.ts[:10],
                    linked.destination,
                    linked.proprietary_bytes,
                    _anonymized(linked),
                ),
            )
        self._head = Head(linked.seq, linked.hash, head_mac(linked.seq, linked.hash, key))
        self._cur.execute(
            f"UPDATE audit_head SET count = {p}, last_hash = {p}, mac = {p} WHERE id = 1",
            (self._head.count, self._head.last_hash, self._head.mac),
        )
        return linked


class SqlStore:
    """Shared logic; subclasses implement ``_connect``-time setup and ``_locked``."""

    placeholder = "?"
    url = ""

    def __init__(self, key: bytes | None) -> None:
        self.key = key

    # -- subclass hooks -------------------------------------------------------------
    @contextmanager
    def _locked(self) -> Iterator[Any]:  # yields a cursor inside a write transaction
        raise NotImplementedError
        yield

    def _cursor(self) -> Any:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    # -- shared ---------------------------------------------------------------------
    def _init_head(self, cur: Any) -> None:
        p = self.placeholder
        cur.execute(
            "INSERT INTO audit_head (id, count, last_hash, mac)"
            f" VALUES (1, 0, {p}, {p}) ON CONFLICT (id) DO NOTHING",
            (GENESIS, head_mac(0, GENESIS, self.key)),
        )

    @contextmanager
    def transaction(self) -> Iterator[Txn]:
        with self._locked() as cur:
            cur.execute(
                "SELECT count, last_hash, mac FROM audit_head WHERE id = 1" + self._lock_suffix
            )
            row = cur.fetchone()
            if row is None:
                raise AuditStoreError(
                    f"audit store {self.url} has no chain head: not a leakguard log"
                )
            yield Txn(self, cur, Head(int(row[0]), str(row[1]), str(row[2])))

    _lock_suffix = ""

    def append(self, event: AuditEvent) -> AuditEvent:
        with self.transaction() as txn:
            return txn.append(event)

    def head(self) -> Head:
        cur = self._cursor()
        cur.execute("SELECT count, last_hash, mac FROM audit_head WHERE id = 1")
        row = cur.fetchone()
        return Head() if row is None else Head(int(row[0]), str(row[1]), str(row[2]))

    def events(self, filters: Filters | None = None) -> list[AuditEvent]:
        f, p = filters or Filters(), self.placeholder
        clauses, args = [], []
        for column, value, op in (
            ("ts", f.since, ">="),
            ("ts", f.until, "<"),
            ("tool", f.tool, "="),
            ("destination", f.destination, "="),
            ("verdict", f.verdict, "="),
            ("usr", f.user, "="),
        ):
            if value is not None:
                clauses.append(f"{column} {op} {p}")
                args.append(value)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        cur = self._cursor()
        cur.execute(
            f"SELECT seq, body, prev_hash, hash FROM audit_events{where} ORDER BY seq", args
        )
        out = []
        for seq, body, prev_hash, digest in cur.fetchall():
            event = _event(body, {"seq": seq, "prev_hash": prev_hash, "hash": digest})
            if f.category is None or f.category in event.categories:
                out.append(event)
        return out

    def index_mismatch(self) -> int | None:
        """The first position whose query columns disagree with its hashed body (an edit
        that verify's hashes alone would not see, yet filters and budgets would)."""
        cur = self._cursor()
        cur.execute(
            "SELECT seq, ts, usr, tool, destination, verdict, proprietary_bytes, body"
            " FROM audit_events ORDER BY seq"
        )
        for seq, ts, usr, tool, dest, verdict, prop, body in cur.fetchall():
            e = _event(body, {"seq": seq})
            if (ts, usr, tool, dest, verdict, int(prop)) != (
                e.ts,
                e.user,
                e.tool,
                e.destination,
                e.verdict,
                e.proprietary_bytes,
            ):
                return int(seq)
        return None


_UNREADABLE = {
    "ts": "",
    "user": "",
    "host": "",
    "tool": "",
    "door": "",
    "destination": "",
    "verdict": "",
    "reason": "<unreadable event body>",
    "mac": "unreadable",
}


def _event(body: str, stored: dict[str, Any]) -> AuditEvent:
    """The event from its stored body; an unreadable body yields a placeholder whose hash
    cannot match, so verify reports it as edited instead of crashing."""
    try:
        raw = json.loads(body)
        return AuditEvent.from_json({**raw, **stored})
    except (ValueError, KeyError, TypeError, AttributeError):
        return AuditEvent.from_json({**_UNREADABLE, **stored})
