"""The ``encrypt`` operator: a value sealed with Presidio's Encrypt, opened with its Decrypt.

A value becomes ``ENC_<TYPE>_<payload>_<tag>``, e.g. ``ENC_EMAIL_q3x...7a_5c1e09b2d4f6a871``:

- ``payload`` is Presidio's AES-CBC output (random IV + ciphertext) re-encoded as
  lower-case base32 without padding. Presidio's own base64url text carries ``-``,
  ``_`` and ``=``: a ``-`` breaks an identifier and splits tokens, a ``_`` would make the
  wrapper ambiguous. Base32 keeps the whole wrapper letters, digits and underscores, like
  the placeholders, so it stays valid in string literals, comments, identifiers, JSON and
  URLs, and the upper-case type / lower-case payload split parses without doubt.
- ``tag`` is 16 hex digits of HMAC-SHA256 over type and ciphertext, under a key derived
  from the encryption key. Presidio's CBC is not authenticated: the tag is what tells
  a wrong key or a value changed on the way (a model that altered one character) from
  a good one, and what lets restore ignore look-alikes it did not make.

Restoring needs only the key, not the vault. The IV is random (Presidio's choice), so
the same value gets a new token on every call; within one text it is made once and
reused. Use ``placeholder`` where prompt caches need stable text across calls.

The key: env LEAKGUARD_PII_ENCRYPT_KEY, else the policy's ``pii.encrypt_key_file``
(refused if others can read it); base64url of 16, 24 or 32 bytes (AES-128/192/256),
or a text of 16, 24 or 32 characters as Presidio takes it. presidio_anonymizer (which
imports presidio_analyzer and spaCy, ~2.5 s) is imported on the first seal or open.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leakguard.errors import ConfigError, ScanError
from leakguard.keyfile import read_private

KEY_ENV = "LEAKGUARD_PII_ENCRYPT_KEY"
KEY_HINT = (
    f"set {KEY_ENV} or pii.encrypt_key_file (a file readable by you only) to a key of 16, "
    "24 or 32 random bytes, base64url (e.g. python -c \"import base64,os;"
    " print(base64.urlsafe_b64encode(os.urandom(32)).decode())\")"
)
MARK = "ENC_"
_TAG_BYTES = 8
_MAC_LABEL = b"leakguard pii encrypt mac v1"
# 32 bytes at least (IV + one block) = 52 base32 characters. No word boundaries: the
# shape delimits itself (fixed-length tag), so two values side by side both open.
TOKEN = re.compile(
    r"ENC_([A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*)*)_([a-z2-7]{52,})"
    rf"_([0-9a-f]{{{_TAG_BYTES * 2}}})"
)
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+={0,2}")
_SIZES = (16, 24, 32)


# -- keys ---------------------------------------------------------------------------


def decode_key(text: str, where: str) -> bytes:
    text = text.strip().replace("+", "-").replace("/", "_")
    if _BASE64URL.fullmatch(text):
        try:
            key = base64.urlsafe_b64decode(text + "=" * (-len(text.rstrip("=")) % 4))
        except (ValueError, binascii.Error):
            key = b""
        if len(key) in _SIZES:
            return key
    raw = text.encode()  # Presidio's own form: the key text's UTF-8 bytes
    if len(raw) in _SIZES:
        return raw
    raise ConfigError(f"{where} is not a PII encrypt key: {KEY_HINT}")


def _read_key_file(path: Path) -> bytes:
    what = "PII encrypt key file"
    return decode_key(read_private(path, what), f"{what} {path}")


def load_key(key_file: str | None, environ: Mapping[str, str] | None = None) -> bytes | None:
    """The key from the environment, else from ``key_file``; None when neither is set."""
    env = os.environ if environ is None else environ
    if env.get(KEY_ENV):
        return decode_key(env[KEY_ENV], f"${KEY_ENV}")
    return _read_key_file(Path(key_file).expanduser()) if key_file else None


def require_key(key_file: str | None, environ: Mapping[str, str] | None = None) -> bytes:
    key = load_key(key_file, environ)
    if key is None:
        raise ConfigError(f"pii.operators chooses encrypt, but there is no key: {KEY_HINT}")
    return key


def key_source(key_file: str | None, environ: Mapping[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    return f"${KEY_ENV}" if env.get(KEY_ENV) else f"file {key_file}"


# -- tokens -------------------------------------------------------------------------


@functools.cache
def _operators() -> tuple[Any, Any]:
    from presidio_anonymizer.operators import Decrypt, Encrypt

    return Encrypt(), Decrypt()


def _tag(key: bytes, type_name: str, sealed: bytes) -> str:
    mac_key = hmac.new(key, _MAC_LABEL, hashlib.sha256).digest()
    mac = hmac.new(mac_key, type_name.encode() + b"\0" + sealed, hashlib.sha256)
    return mac.hexdigest()[: _TAG_BYTES * 2]


def seal(value: str, type_name: str, key: bytes) -> str:
    """``value`` as an ``ENC_`` token (new random IV each call)."""
    encrypt, _ = _operators()
    params = {"key": key}
    encrypt.validate(params)
    text: str = encrypt.operate(value, params)
    sealed = base64.urlsafe_b64decode(text)
    payload = base64.b32encode(sealed).decode().rstrip("=").lower()
    return f"{MARK}{type_name}_{payload}_{_tag(key, type_name, sealed)}"


def open_token(match: re.Match[str], key: bytes) -> str | None:
    """The value in a TOKEN match, or None when it does not verify under ``key``."""
    type_name, payload, tag = match.groups()
    try:
        sealed = base64.b32decode(payload.upper() + "=" * (-len(payload) % 8))
    except (ValueError, binascii.Error):
        return None
    if len(sealed) % 16 or not hmac.compare_digest(tag, _tag(key, type_name, sealed)):
        return None
    _, decrypt = _operators()
    try:
        value: str = decrypt.operate(base64.urlsafe_b64encode(sealed).decode(), {"key": key})
    except (ValueError, UnicodeDecodeError):  # authenticated, so only a leakguard bug
        raise ScanError("an encrypted value verified but did not decrypt") from None
    return value


def candidates(text: str) -> list[re.Match[str]]:
    """Every token-shaped match, also those starting inside a longer look-alike
    (``ENC_X_ENC_EMAIL_...`` holds a real token after a bogus prefix)."""
    if MARK not in text:
        return []
    found = []
    at = text.find(MARK)
    while at >= 0:
        match = TOKEN.match(text, at)
        if match is not None:
            found.append(match)
        at = text.find(MARK, at + 1)
    return found


def open_all(
    tokens: list[re.Match[str]], key: bytes | None
) -> tuple[list[tuple[int, int, str]], int]:
    """The ``candidates`` that open under ``key`` as (start, end, value), and how many
    token-shaped strings are left (no key, or they do not verify), overlaps counted once."""
    opened: list[tuple[int, int, str]] = []
    failed: list[tuple[int, int]] = []
    for match in tokens:  # by start; a later one may sit inside a bogus longer one
        if opened and match.start() < opened[-1][1]:
            continue
        value = open_token(match, key) if key is not None else None
        if value is None:
            failed.append(match.span())
        else:
            opened.append((match.start(), match.end(), value))
    left = end = 0
    for start, stop in failed:
        if start >= end and not any(start < o[1] and o[0] < stop for o in opened):
            left += 1
            end = stop
    return opened, left
