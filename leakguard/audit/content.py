"""Event content sealed at rest: AES-256-GCM under a content key kept outside the log.

``audit.content: full`` keeps the payload as sent, secrets and all, so it is stored only
encrypted, and only when the policy says ``audit.allow_full_content: true`` and a content
key is set (env LEAKGUARD_AUDIT_CONTENT_KEY, or ``audit.content_key_file``; base64url of
32 bytes). With a key, ``redacted`` content is sealed too. Each event gets a fresh nonce;
its identity (time, user, host, session, request id, payload hash) is the associated
data, so a ciphertext moved to another event no longer authenticates. The chain hashes
the ciphertext: `log verify` needs no content key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from leakguard.audit.event import AuditEvent
from leakguard.errors import ConfigError
from leakguard.policy.model import AuditSettings
from leakguard.record import Record, record, replace

CONTENT_KEY_ENV = "LEAKGUARD_AUDIT_CONTENT_KEY"
PREFIX = "enc:v1:"
_NONCE = 12
_AAD_LABEL = b"leakguard audit content v1\n"
KEY_HINT = (
    f"set {CONTENT_KEY_ENV} or audit.content_key_file to a key of 32 random bytes,"
    ' base64url (e.g. python -c "import base64,os;'
    ' print(base64.urlsafe_b64encode(os.urandom(32)).decode())")'
)


# base64, json, secrets and the key-file reader load only when content is sealed or
# opened: most calls have no content key, and every hook call writes an event.


def _decode_key(text: str, where: str) -> bytes:
    from leakguard.keyfile import base64url

    key = base64url(text)
    if key is None or len(key) != 32:
        raise ConfigError(f"{where} is not an audit content key (32 bytes, base64url)")
    return key


def _read_key_file(path: Path) -> bytes:
    from leakguard.keyfile import read_private

    what = "audit content key file"
    return _decode_key(read_private(path, what), f"{what} {path}")


def load_content_key(
    settings: AuditSettings,
    environ: Mapping[str, str] | None = None,
    key_file: str | None = None,
) -> bytes | None:
    """The content key from ``key_file`` (a reader's option), the environment or the
    policy's file; None when none is set."""
    env = os.environ if environ is None else environ
    if key_file:
        return _read_key_file(Path(key_file).expanduser())
    if env.get(CONTENT_KEY_ENV):
        return _decode_key(env[CONTENT_KEY_ENV], f"${CONTENT_KEY_ENV}")
    path = settings.content_key_file
    return _read_key_file(Path(path).expanduser()) if path else None


def full_content_problem(settings: AuditSettings, key: bytes | None) -> str | None:
    """Why ``audit.content: full`` cannot be honoured, or None when it can (or is not asked)."""
    if settings.content != "full":
        return None
    missing = []
    if not settings.allow_full_content:
        missing.append("the explicit policy flag audit.allow_full_content: true")
    if key is None:
        missing.append(f"a content key ({KEY_HINT})")
    if not missing:
        return None
    return (
        "audit.content: full keeps payloads with their secrets, encrypted; it needs "
        + " and ".join(missing)
    )


def content_key_for(
    settings: AuditSettings, environ: Mapping[str, str] | None = None
) -> bytes | None:
    """The key a writer seals content with; ConfigError when ``full`` cannot be honoured."""
    key = load_content_key(settings, environ) if settings.content != "none" else None
    problem = full_content_problem(settings, key)
    if problem is not None:
        raise ConfigError(problem)
    return key


def _aad(event: AuditEvent) -> bytes:
    import json

    identity = [
        event.ts,
        event.user,
        event.host,
        event.session_id,
        event.request_id,
        event.payload_sha256,
    ]
    return _AAD_LABEL + json.dumps(identity, ensure_ascii=False).encode()


def seal_event(event: AuditEvent, key: bytes | None) -> AuditEvent:
    """The event with its content sealed; unchanged when there is no content or key."""
    if key is None or event.content is None:
        return event
    import base64
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    # surrogateescape: full content holds the payload's exact bytes, UTF-8 or not.
    plain = event.content.encode("utf-8", "surrogateescape")
    nonce = secrets.token_bytes(_NONCE)
    sealed = nonce + AESGCM(key).encrypt(nonce, plain, _aad(event))
    return replace(event, content=PREFIX + base64.urlsafe_b64encode(sealed).decode().rstrip("="))


def is_sealed(content: str | None) -> bool:
    return content is not None and content.startswith(PREFIX)


@record
class Opened(Record):
    """An event's content as a reader gets it: ``status`` is none (no content), plain
    (stored unencrypted, i.e. redacted), decrypted, no-key or unauthentic."""

    status: str
    data: bytes | None = None

    @property
    def text(self) -> str | None:
        return None if self.data is None else self.data.decode("utf-8", errors="replace")


def open_content(event: AuditEvent, key: bytes | None) -> Opened:
    if event.content is None:
        return Opened("none")
    if not is_sealed(event.content):
        return Opened("plain", event.content.encode("utf-8", "surrogateescape"))
    if key is None:
        return Opened("no-key")
    import base64

    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    body = event.content[len(PREFIX) :]
    try:
        sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if len(sealed) < _NONCE + 16:
            raise ValueError("truncated")
        plain = AESGCM(key).decrypt(sealed[:_NONCE], sealed[_NONCE:], _aad(event))
    except (ValueError, InvalidTag):
        return Opened("unauthentic")
    return Opened("decrypted", plain)


UNAUTHENTIC = (
    "does not authenticate: wrong content key, or the ciphertext was altered or moved"
    " from another event"
)


def open_all(
    events: list[AuditEvent], settings: AuditSettings, key_file: str | None = None
) -> dict[int, Opened]:
    """Each event's content by seq; the key is loaded only if some content is sealed,
    and ConfigError says so when there is none."""
    sealed = any(is_sealed(e.content) for e in events)
    key = load_content_key(settings, key_file=key_file) if sealed else None
    opened = {e.seq: open_content(e, key) for e in events}
    locked = sum(1 for o in opened.values() if o.status == "no-key")
    if locked:
        raise ConfigError(
            f"{locked} event(s) hold encrypted content and no content key is set: {KEY_HINT}"
            " (or --content-key-file)"
        )
    return opened
