"""Filters that reject look-alikes: placeholders, identifiers, natural language, hashes.

``is_placeholder`` is the universal check the detector applies to every rule's
secret, so it only rejects obvious stand-ins. ``FILTER_VALIDATORS`` holds the
stricter, context-aware checks a rule opts into by name (``validators: [...]``);
generic ``key = value`` rules depend on them for their precision.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from leakguard.detectors import valueshape as shape
from leakguard.detectors import wordshape as wshape
from leakguard.detectors.keynames import KeyKind, key_before, key_kind, key_words
from leakguard.lazyre import lazy_compile

_MARKERS = (
    "example", "xxxx", "****", "changeme", "change_me", "change-me", "your_", "your-",
    "placeholder", "redacted", "dummy", "insert", "replace_me", "replace-me", "replaceme",
    "${", "{{", "<your", "•••", "…", "...", "todo:", "fixme",
)
_YOUR_THING = lazy_compile(
    r"your(?:api|access|secret|token|key|password|pass|app|client|auth|own|private)", re.I)
_ANGLE = lazy_compile(r"<[A-Za-z][\w .:/-]*>")
# Values copied from public documentation (jwt.io, Stripe and AWS docs) and digests of
# empty input; stored split so they are not whole tokens in the source.
_DOC_VALUES = tuple("".join(parts) for parts in (
    ("SflKxwRJSMeKKF2QT4fw", "pMeJf36POk6yJV_adQssw5c"),
    ("4eC39HqLyjWD", "arjtT1zdp7dc"),
    ("TYooMQauvdED", "q54NiTphI7jx"),
    ("wJalrXUtnFEMI", "/K7MDENG"),
    ("d41d8cd98f00b204", "e9800998ecf8427e"),
    ("da39a3ee5e6b4b0d3255", "bfef95601890afd80709"),
    ("e3b0c44298fc1c149afbf4c8996fb924", "27ae41e4649b934ca495991b7852b855"),
    ("550e8400-e29b-41d4", "-a716-446655440000"),
    ("123e4567-e89b-12d3", "-a456-426614174000"),
))


def _runs(value: str) -> list[int]:
    """Lengths (>= 4) of stretches that repeat one character or count up: 0000, abcd, 1234."""
    runs: list[int] = []
    run, step = 1, None
    for a, b in itertools.pairwise(value):
        delta = ord(b) - ord(a)
        if a.isalnum() and b.isalnum() and delta in (0, 1) and (step is None or delta == step):
            run, step = run + 1, delta
        else:
            if run >= 4:
                runs.append(run)
            run, step = 1, (None)
            if a.isalnum() and b.isalnum() and delta in (0, 1):
                run, step = 2, delta
    if run >= 4:
        runs.append(run)
    return runs


_REPEAT_8 = lazy_compile(r"(.)\1{7}", re.DOTALL)
_UNICODE_ESCAPE = lazy_compile(r"\\u([0-9a-fA-F]{4})")
_ASCENDING_8 = tuple(
    alphabet[i : i + 8]
    for alphabet in ("0123456789", "abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for i in range(len(alphabet) - 7)
)


def _may_hold_long_run(value: str) -> bool:
    """Whether ``_runs`` can find a run of 8: a quick C-level test before its loop.

    An ASCII alphanumeric run of 8 repeats one character or counts up inside one of the
    three alphabets; other text goes to the loop.
    """
    if not value.isascii():
        return True
    return _REPEAT_8.search(value) is not None or any(s in value for s in _ASCENDING_8)


def is_placeholder(value: str) -> bool:
    """True when ``value`` is an obvious stand-in rather than a credential.

    Conservative on purpose: it runs on every rule's secret, provider tokens included,
    so random tokens (and test fixtures such as ``"A1b2" * 9``) must pass.
    """
    if not value.strip():
        return True
    lowered = value.lower()
    if any(marker in lowered for marker in _MARKERS) or _YOUR_THING.search(lowered):
        return True
    if _ANGLE.search(value) or any(known in value for known in _DOC_VALUES):
        return True
    if len(set(value)) == 1:
        return True
    if len(value) >= 8 and _may_hold_long_run(value):
        runs = _runs(value)
        if max(runs, default=0) >= 8 and sum(runs) * 5 >= len(value) * 3:
            return True
    return False


def _password_shape(value: str) -> bool:
    """Human-chosen secrets may be low-entropy; ask for length and mixed classes."""
    if value.isalpha():
        return len(value) >= 8 and wshape.looks_random(value) \
            and shape.shannon_entropy(value) >= 2.5
    return wshape.char_classes(value) >= 2 and any(c.isalpha() for c in value)


def _token_shape(value: str) -> bool:
    """Machine secrets: long enough, and random rather than word-like."""
    if len(value) < 8:
        return False
    entropy = shape.shannon_entropy(value)
    if shape.is_hex(value):
        return len(value) >= 20 and entropy >= 2.5  # 16 hex digits is an id or a digest
    if value.isalpha():
        return len(value) >= 12 and wshape.looks_random(value) and entropy >= 3.2
    classes = wshape.char_classes(value)
    if classes >= 3:
        return entropy >= 2.8
    if classes == 2 and any(c.isdigit() for c in value):
        return entropy >= 3.0 or wshape.looks_random(value)
    return entropy >= 3.5 and wshape.looks_random(value)


def _b64_text(value: str) -> str | None:
    """The printable text behind a base64 value (a Kubernetes Secret's ``data``, a Docker
    ``auth``), or None when it decodes to bytes, or not at all."""
    raw = shape.b64_decode(value)
    if raw is None or len(raw) < 4:
        return None
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    return text if text.isprintable() else None


def is_lookalike(value: str) -> bool:
    """Shapes that are never a credential literal whatever the key says."""
    return (
        wshape.is_prose(value)
        or wshape.is_word_list(value)
        or shape.is_code_or_reference(value)
        or shape.is_path_or_url(value)
        or shape.is_data_literal(value)
        or shape.is_hash_literal(value)
        or shape.looks_like_regex(value)
        or wshape.is_identifier(value)
        or wshape.is_sequential(value)
        or wshape.is_filler(value)
    )


def plausible_secret(value: str, kind: KeyKind) -> bool:
    """Whether ``value``, assigned to a key of ``kind``, still looks like a real secret."""
    value = value.strip()
    if not value.isascii() or is_placeholder(value) or _escaped_non_ascii(value):
        return False
    if len(value) < (6 if kind is KeyKind.PASSWORD else 8):
        return False
    if is_lookalike(value):
        return False
    decoded = _b64_text(value)
    if decoded is not None:
        # Judge what was encoded: user:password, a wrapped secret, or plain text.
        if ":" in decoded and " " not in decoded:
            return plausible_secret(decoded.split(":", 1)[1], KeyKind.PASSWORD)
        return not wshape.is_prose(decoded) and plausible_secret(decoded, KeyKind.PASSWORD)
    if shape.is_b64_of_prose(value):
        return False
    if kind is KeyKind.PASSWORD:
        return _password_shape(value)
    return _token_shape(value)


def _escaped_non_ascii(value: str) -> bool:
    """Text written with \\u escapes of non-ASCII letters (``n\\u00E3o``, a localized
    message in Java or JSON): a secret is ASCII, escaped or not."""
    if "\\u" not in value:
        return False
    return any(int(code, 16) > 0x7F for code in _UNICODE_ESCAPE.findall(value))


def _kind_from_key(secret: str, whole_match: str, default: KeyKind | None) -> KeyKind | None:
    key = key_before(secret, whole_match)
    if key is None:
        return default
    return key_kind(key)


def generic_value(secret: str, whole_match: str) -> bool:
    """Key-aware: the key decides whether a value is expected and of which kind.

    A match whose key names no secret (``author``, ``authority``) is not one.
    """
    kind = _kind_from_key(secret, whole_match, None)
    return kind is not None and plausible_secret(secret, kind)


def password_value(secret: str, whole_match: str) -> bool:
    """For contexts that hold a password without naming it (``curl -u``, ``.netrc``)."""
    kind = _kind_from_key(secret, whole_match, KeyKind.PASSWORD)
    return kind is not None and plausible_secret(secret, KeyKind.PASSWORD)


def token_value(secret: str, whole_match: str) -> bool:
    """For contexts that hold a machine token (``Bearer …``, ``X-API-Key: …``)."""
    return plausible_secret(secret, KeyKind.TOKEN)


def basic_auth_b64(secret: str, whole_match: str) -> bool:
    """Base64 of ``user:password`` (HTTP Basic, Docker ``auth``, npm ``_auth``)."""
    decoded = _b64_text(secret)
    if decoded is None or ":" not in decoded or " " in decoded:
        return False
    return plausible_secret(decoded.split(":", 1)[1], KeyKind.PASSWORD)


# ``<WORD>_KEY`` names that hold identifiers, paths or public values, not secrets.
_PUBLIC_KEY_WORDS = frozenset({
    "primary", "sort", "partition", "cache", "foreign", "public", "publishable", "pub",
    "site", "anon", "anonymous", "idempotency", "unique", "composite", "hash", "routing",
    "row", "shard", "lookup", "map", "dedup", "dedupe", "group", "order", "index", "s3",
    "object", "file", "bucket", "path", "ssh", "gpg", "pgp", "i18n", "translation",
    "message", "label", "cursor", "next", "prev", "hot", "short", "toggle", "menu",
    "search", "client", "browser", "frontend", "web", "js", "recaptcha", "captcha", "tenant",
    "customer", "user", "account", "event", "metric", "config", "setting", "env", "default",
})


def service_key_value(secret: str, whole_match: str) -> bool:
    """``<SERVICE>_KEY=<value>``: no secret word vouches for the key, so the value must
    look machine-made and the name must not be a public or structural key."""
    name = re.search(r"([A-Z][A-Z0-9_]*)_KEY", whole_match)
    words = key_words(name.group(1)) + name.group(1).lower().split("_") if name else []
    if name is None or any(w in _PUBLIC_KEY_WORDS for w in words):
        return False
    if not plausible_secret(secret, KeyKind.TOKEN):
        return False
    if shape.is_hex(secret):
        return len(secret) >= 32
    return (wshape.char_classes(secret) >= 2 and any(c.isdigit() for c in secret)
            and shape.shannon_entropy(secret) >= 3.5)


def not_hash_or_id(secret: str, whole_match: str) -> bool:
    """Rejects UUIDs, hex digests, versions and dates; for rules whose shape is loose."""
    return not (shape.is_uuid(secret) or shape.is_data_literal(secret)
                or shape.is_hash_literal(secret)
                or (shape.is_hex(secret) and len(secret) in (32, 40, 64, 128)))


FILTER_VALIDATORS: dict[str, Callable[[str, str], bool]] = {
    "generic-value": generic_value,
    "password-value": password_value,
    "token-value": token_value,
    "basic-auth-b64": basic_auth_b64,
    "service-key-value": service_key_value,
    "not-hash-or-id": not_hash_or_id,
}
