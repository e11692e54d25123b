"""The hash chain: each event's hash covers the previous event's hash and its own body.

With a key (env LEAKGUARD_AUDIT_KEY, or ``audit.key_file`` kept outside the log) the
hashes are HMACs, so someone who can edit the log cannot recompute them. The store's
head (event count and last hash, itself hashed) catches a truncated tail.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from leakguard.audit.event import AuditEvent, canonical
from leakguard.errors import ConfigError
from leakguard.record import Record, record, replace

KEY_ENV = "LEAKGUARD_AUDIT_KEY"
GENESIS = "0" * 64


def load_key(key_file: str | None = None, environ: Mapping[str, str] | None = None) -> bytes | None:
    """The chain key from the environment or a key file; None means an unkeyed chain."""
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV):
        return env[KEY_ENV].encode()
    if key_file:
        path = Path(key_file).expanduser()
        try:
            key = path.read_bytes().strip()
        except OSError as exc:
            raise ConfigError(f"cannot read audit key file {path}: {exc.strerror}") from None
        if not key:
            raise ConfigError(f"audit key file {path} is empty")
        return key
    return None


def _builtin_sha256() -> Callable[[bytes], Any]:
    """SHA-256 from the interpreter's built-in module when it has one: importing
    hashlib sets up OpenSSL, ~10 M instructions on every hook call."""
    import importlib

    for name in ("_sha256", "_sha2"):  # Python 3.12+ calls it _sha2
        try:
            return importlib.import_module(name).sha256  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    import hashlib  # a build without the built-in modules

    return hashlib.sha256


_sha256 = _builtin_sha256()


def sha256_hex(data: bytes) -> str:
    return str(_sha256(data).hexdigest())


def digest(data: bytes, key: bytes | None) -> str:
    if key is None:
        return sha256_hex(data)
    import hashlib  # keyed chains only (see _builtin_sha256)
    import hmac

    return hmac.new(key, data, hashlib.sha256).hexdigest()


def event_hash(event: AuditEvent, prev_hash: str, key: bytes | None) -> str:
    return digest(prev_hash.encode() + b"\n" + canonical(event.body()), key)


def link(event: AuditEvent, seq: int, prev_hash: str, key: bytes | None) -> AuditEvent:
    """The event as it joins the chain at position ``seq`` after ``prev_hash``."""
    keyed = replace(event, mac="hmac-sha256" if key is not None else "sha256")
    return replace(keyed, seq=seq, prev_hash=prev_hash, hash=event_hash(keyed, prev_hash, key))


def head_mac(count: int, last_hash: str, key: bytes | None) -> str:
    return digest(f"head\n{count}\n{last_hash}".encode(), key)


@record
class Head(Record):
    """What the store says the chain ends with; ``mac`` binds count and last hash."""

    count: int = 0
    last_hash: str = GENESIS
    mac: str = ""


@record
class Problem(Record):
    position: int  # 1-based position in the chain where the first break shows
    kind: str  # edited | deleted | inserted | reordered | truncated | unkeyed | key
    message: str


@record
class VerifyResult(Record):
    count: int
    keyed: bool
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


def _classify_link(events: list[AuditEvent], i: int, prev_hash: str, key: bytes | None) -> Problem:
    """Event i is authentic but does not follow its predecessor: say why."""
    event, pos = events[i], i + 1
    later = {e.hash: e for e in events[i + 1 :]}
    earlier = {e.hash for e in events[:i]}
    if event.prev_hash in later:
        return Problem(pos, "reordered", f"event {pos} was moved: it follows a later event")
    if i + 1 < len(events) and events[i + 1].prev_hash == prev_hash:
        return Problem(pos, "inserted", f"event {pos} was inserted: the next event skips it")
    if i >= 2 and event.prev_hash == events[i - 2].hash:
        return Problem(pos - 1, "inserted", f"event {pos - 1} was inserted: event {pos} skips it")
    if event.prev_hash in earlier:
        return Problem(pos, "reordered", f"event {pos} was moved: it follows an earlier event")
    return Problem(pos, "deleted", f"event(s) missing before position {pos}")


def verify(events: Iterable[AuditEvent], head: Head, key: bytes | None) -> VerifyResult:
    """Walk the chain in stored order; report the first break and its position."""
    rows = list(events)
    prev = GENESIS
    for i, event in enumerate(rows):
        pos = i + 1
        if event.mac == "hmac-sha256" and key is None:
            return VerifyResult(
                i,
                True,
                Problem(pos, "key", f"event {pos} is keyed: set {KEY_ENV} or audit.key_file"),
            )
        if key is not None and event.mac == "sha256":
            return VerifyResult(
                i,
                True,
                Problem(
                    pos, "unkeyed", f"event {pos} is not keyed (forged or written without the key)"
                ),
            )
        if event_hash(event, event.prev_hash, key) != event.hash:
            kind = "edited" if event.prev_hash == prev else "inserted"
            what = "was edited" if kind == "edited" else "is not authentic (inserted or forged)"
            return VerifyResult(
                i,
                key is not None,
                Problem(pos, kind, f"event {pos} {what}: its hash does not match"),
            )
        if event.prev_hash != prev:
            return VerifyResult(i, key is not None, _classify_link(rows, i, prev, key))
        if event.seq != pos:
            return VerifyResult(
                i,
                key is not None,
                Problem(
                    pos,
                    "deleted",
                    f"event {pos} is stored as number {event.seq}: events were removed",
                ),
            )
        prev = event.hash
    keyed = key is not None
    if head.mac != head_mac(head.count, head.last_hash, key):
        return VerifyResult(
            len(rows), keyed, Problem(len(rows), "truncated", "the chain head was altered")
        )
    if head.count != len(rows) or head.last_hash != prev:
        return VerifyResult(
            len(rows),
            keyed,
            Problem(
                len(rows) + 1,
                "truncated",
                f"the log ends after event {len(rows)} but recorded {head.count} events:"
                " the tail was removed",
            ),
        )
    return VerifyResult(len(rows), keyed)


def check_anchor(events: list[AuditEvent], count: int, last_hash: str) -> Problem | None:
    """Compare with a head saved elsewhere (`log checkpoint`): the chain must still hold
    that event at that position. Catches a rewritten or truncated log even unkeyed."""
    if len(events) < count:
        return Problem(
            len(events) + 1,
            "truncated",
            f"the checkpoint recorded {count} events; only {len(events)} remain",
        )
    if count and events[count - 1].hash != last_hash:
        return Problem(
            count, "edited", f"event {count} differs from the checkpoint: history was rewritten"
        )
    return None
