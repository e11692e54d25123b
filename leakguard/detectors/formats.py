"""Format checks for provider rules: decode what a token claims to be and reject look-alikes.

Each validator gets the extracted secret and the whole match and answers whether the
candidate still looks like a real credential. They are cheap (no network) and total:
anything that fails to decode is "not real", never an exception.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable

from leakguard.detectors.filters import plausible_secret
from leakguard.detectors.keynames import KeyKind
from leakguard.lazyre import lazy_compile

_B64_NOISE = lazy_compile(r"\\[rn]|\s")
_PGP_HEADER = lazy_compile(r"^[A-Za-z-]+: .*$", re.MULTILINE)


def _b64url_json(part: str) -> object:
    """Decode one base64url JWT segment to JSON; None when it is not JSON."""
    import json  # here: only a JWT-shaped candidate needs it, and start-up pays per import

    try:
        raw = base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
        return json.loads(raw.decode("utf-8"))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def _jwt_parts(secret: str) -> tuple[object, object] | None:
    pieces = secret.split(".")
    if len(pieces) != 3:
        return None
    return _b64url_json(pieces[0]), _b64url_json(pieces[1])


def jwt_header(secret: str, match: str) -> bool:
    """A JWT: header is a JSON object naming an algorithm, payload is a JSON object."""
    parts = _jwt_parts(secret)
    if parts is None:
        return False
    header, payload = parts
    return (
        isinstance(header, dict)
        and isinstance(header.get("alg"), str)
        and header.get("alg", "").lower() != "none"
        and isinstance(payload, dict)
        and not _sample_claims(payload)
    )


def _sample_claims(payload: dict[str, object]) -> bool:
    """The claims of the token every JWT tutorial copies (jwt.io's default)."""
    return payload.get("sub") == "1234567890" or payload.get("name") == "John Doe"


def supabase_service_role(secret: str, match: str) -> bool:
    """A Supabase key JWT whose payload grants the RLS-bypassing service role."""
    parts = _jwt_parts(secret)
    if parts is None or not jwt_header(secret, match):
        return False
    payload = parts[1]
    return isinstance(payload, dict) and payload.get("role") == "service_role"


_CONCAT = lazy_compile(r"""["']\s*\+?\s*["']""")


def _pem_payload(secret: str) -> str:
    """The base64 text of a PEM/armored body: escapes, quotes, whitespace and headers removed."""
    joined = _CONCAT.sub("", secret).replace('"', "").replace("'", "")  # "..." + "..." in code
    body = _PGP_HEADER.sub("", joined.replace("\\r", "\n").replace("\\n", "\n"))
    lines = [line for line in body.splitlines() if not line.startswith("=")]  # PGP CRC24 line
    return _B64_NOISE.sub("", "".join(lines))


def _b64decode(text: str) -> bytes | None:
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (ValueError, binascii.Error):
        return None


def pem_body(secret: str, match: str) -> bool:
    """A key body that is real base64 of some length, not a placeholder run of one letter."""
    text = _pem_payload(secret)
    return len(text) >= 64 and len(set(text)) >= 20 and _b64decode(text) is not None


def pem_der(secret: str, match: str) -> bool:
    """A PEM body that decodes to a DER SEQUENCE (every PKCS#1/#8, SEC1 and DSA key does)."""
    text = _pem_payload(secret)
    raw = _b64decode(text)
    return raw is not None and len(raw) >= 32 and raw[0] == 0x30 and len(set(text)) >= 20


_INNER_PEM = lazy_compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(.+?)-----END", re.DOTALL)


def b64_private_key(secret: str, match: str) -> bool:
    """Base64 of a PEM private key (kubeconfig client-key-data, Kubernetes secrets)."""
    raw = _b64decode(secret)
    if raw is None:
        return False
    found = _INNER_PEM.search(raw.decode("ascii", errors="replace"))
    return found is not None and pem_body(found.group(1), "")


# Values people write where a password would go in docs, templates and samples.
_PLACEHOLDER_WORDS = (
    "password", "passwd", "passw0rd", "changeme", "change_me", "change-me", "example",
    "placeholder", "redacted", "secret", "dummy", "sample", "your", "mypass", "xxx",
)
_PLACEHOLDER_EXACT = {
    "pass", "pwd", "pw", "p", "test", "testing", "admin", "root", "user", "username",
    "guest", "foo", "bar", "baz", "qwerty", "letmein", "12345", "123456", "1234", "none",
    "null", "nil", "undefined", "default", "todo", "tbd", "fixme", "token", "key", "apikey",
    "anonymous", "demo", "public", "tiger",
}
_TEMPLATE = lazy_compile(
    r"\$\{|\$\(|^\$[A-Za-z_]|#\{|\{\{|\{[A-Za-z_]\w*\}|^\{|%\(|%[sdv](?![A-Za-z0-9])"
    r"|%[A-Za-z_]\w*%|<[^>]*>|^<|^\[.*\]$|\*\*|\.\.\.|\u2026|^_+$"
)


# RFC 2606 / 6761 names reserved for documentation and tests.
_DOC_HOST = lazy_compile(
    r"@(?:[\w-]+\.)*(?:example(?:\.(?:com|org|net|edu))?|test|invalid)(?![\w.-])", re.IGNORECASE
)


def password_not_placeholder(secret: str, match: str) -> bool:
    """A password in a URL or connection string that is not a template or stand-in."""
    value = secret.strip("'\"")
    if len(value) < 3 or _TEMPLATE.search(value) or _DOC_HOST.search(match):
        return False
    lowered = value.lower()
    if f"{value}:{value}@" in match:  # guest:guest@, admin:admin@: a default, not a secret
        return False
    if lowered in _PLACEHOLDER_EXACT or len(set(lowered)) <= 2:
        return False
    if any(word in lowered for word in _PLACEHOLDER_WORDS):
        return False
    # The same bar the generic password rules set: length, mixed classes, not a word.
    return plausible_secret(value, KeyKind.PASSWORD)


def has_digit(secret: str, match: str) -> bool:
    """Random lower-case or hex tokens of this length practically always contain a digit."""
    return re.search(r"[0-9]", secret) is not None and re.search(r"[A-Za-z]", secret) is not None


def random_case(secret: str, match: str) -> bool:
    """Random mixed-case tokens have upper and lower case in similar measure; camelCase does not."""
    letters = [c for c in secret if c.isalpha()]
    if len(letters) < 8:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    return 0.2 <= upper <= 0.8


_SEGMENTS = lazy_compile(r"[_./+=:-]")
_PARTS = lazy_compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])|[0-9]+")


def not_identifier(secret: str, match: str) -> bool:
    """Reject values whose main part reads as words (camelCase, snake_case): names, not keys."""
    words = [w for w in re.split(r"[_-]", secret) if w]
    if len(words) >= 3 and all(w.isalpha() and w.islower() for w in words):
        return False
    longest = max(_SEGMENTS.split(secret), key=len)
    if len(longest) < 8:
        return True
    parts = _PARTS.findall(longest)
    letters = [p for p in parts if p.isalpha()]
    digits_inside = any(p.isdigit() for p in parts[:-1])
    if digits_inside or not letters:
        return True
    # Words average well over three letters, start with at most one capital and are over a
    # third vowels; random mixed case breaks into short runs, is half upper case and a
    # fifth vowels.
    text = "".join(letters)
    mean = len(text) / len(letters)
    upper = sum(c.isupper() for c in text) / len(text)
    vowels = sum(c in "aeiouAEIOU" for c in text) / len(text)
    if len(letters) == 1 and text.islower():
        return vowels < 0.38  # one lower-case run: only a clearly pronounceable one is a word
    return not (mean >= 3.5 and vowels >= 0.28 and (upper <= 0.35 or upper == 1.0))


FORMAT_VALIDATORS: dict[str, Callable[[str, str], bool]] = {
    "jwt-header": jwt_header,
    "supabase-service-role": supabase_service_role,
    "pem-body": pem_body,
    "pem-der": pem_der,
    "b64-private-key": b64_private_key,
    "password-not-placeholder": password_not_placeholder,
    "has-digit": has_digit,
    "random-case": random_case,
    "not-identifier": not_identifier,
}
