"""Shapes of strings that sit where secrets sit but are not secrets: data literals,
paths and URLs, templates and references, hashes, base64 of text.

Each predicate answers one question about a candidate value; wordshape.py answers
the questions about words and names; filters.py combines both into a verdict.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections import Counter

from leakguard.detectors.wordshape import CAMEL_WORDS, IDENT_PART, is_wordy
from leakguard.lazyre import lazy_compile

_VERSION = lazy_compile(
    r"[~^<>=!]*v?\d+(?:\.\d+)+(?:[-+.][\w.]+)?(?:,[<>=!~^]*\d+(?:\.\d+)*)*", re.I
)
_DATE = lazy_compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?"
                   r"|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}")
_UUID = lazy_compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
_HEX = lazy_compile(r"[0-9a-fA-F]+")
_B64 = re.compile(r"[A-Za-z0-9+/_-]+={0,2}")
_EMAIL = lazy_compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?:/\d+)?")
_URL = lazy_compile(r"[a-z][a-z0-9+.-]*://", re.I)
_FILE_EXT = lazy_compile(
    r"[\w.~-]*\.(?:pem|key|crt|cer|csr|p12|pfx|jks|keystore|der|pub|asc|gpg|pgp|json|ya?ml|"
    r"txt|env|ini|cfg|conf|toml|xml|properties|ppk|kdbx|gz|zip|sh|py|js|ts|log|db|sqlite)",
    re.I)
# ... or a regex literal, anchored at its start ("/^Unexpected token/").
_REGEX_HINT = lazy_compile(
    r"\\[dwsDWSbB]|\(\?[=!:<]|\[[^\]]*-[^\]]*\]\{?|\{\d+,\d*\}|^\^.*\$$|^/\^")
# Template and reference syntaxes: ${X} $X $(x) %X% %(x)s %s {x} {{x}} #{x} <%= %> @X@
# __X__ [[x]] :name @name ?  env:X vault:... !Ref ENC(...)
_TEMPLATE = lazy_compile(
    r"\$\{|\$\(|^\$[A-Za-z_]\w*$|^%[A-Za-z_]\w*%$|%\(\w+\)[sdr]|^%[sdrif]$|\{[\w.\s|:-]*\}"
    r"|#\{|<%|^@[A-Za-z_]\w*@$|__[A-Z0-9_]+__|\[\[|^[:@?][A-Za-z_]\w*$|^\?$"
    r"|^(?:env|vault|secret|secrets|ref|op|awssm|gcpsm|azkv|sops|file|keyring|arn)[:+]"
    r"|^![A-Za-z]\w*$|^ENC\(|^\{cipher\}|^<[^>]*>$|^\[[^\]]*\]$|^\([^)]*\)$",
    re.I)
_CRYPT_HASH = lazy_compile(r"^\$(?:2[abxy]?|1|5|6|y|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*)\$"
                         r"|^(?:pbkdf2_sha\d+|bcrypt|argon2|sha\d+|md5)\$|^\{S?SHA\d*\}|^\{MD5\}",
                         re.I)
_DIGEST_PREFIX = lazy_compile(
    r"(?:sha\d{1,3}|md5|sha)[-:][A-Za-z0-9+/=_-]{16,}$|h1:[A-Za-z0-9+/=]+$",
                            re.I)



def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``'s own character distribution."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


def _is_nested_pair(value: str) -> bool:
    """``Description=`` or ``userId=alice``: a key=value option, not a secret."""
    name, sep, rest = value.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z]*", name) or rest.startswith("="):
        return False
    names = CAMEL_WORDS.findall(name)
    return all(is_wordy(w, False) for w in names) and (
        rest == "" or (rest.isalpha() and is_wordy(rest, True)))


# A Perl or PHP variable's member, element or package name: $self->{pass}, $_ENV['X'],
# $CPAN::Config (a value cut at "->" ends in "-").
_VARIABLE_ACCESS = lazy_compile(r"\$[A-Za-z_]\w*(?:::\w+)*(?:->?|::|\[|\{)")


def is_code_or_reference(value: str) -> bool:
    """A template, environment reference, call or expression rather than a literal."""
    if _TEMPLATE.search(value) or _is_nested_pair(value) or _VARIABLE_ACCESS.match(value):
        return True
    if "(" in value and ")" in value:
        return True
    return bool(re.search(r"\]\s*$|\[['\"]", value))


def _name_like(segment: str) -> bool:
    """A path segment made of words: ``secrets``, ``db_password``, ``id_ed25519``."""
    pieces = [p for p in re.split(r"[-_.]+", segment) if p]
    return bool(pieces) and all(
        p.isdigit()
        or (IDENT_PART.fullmatch(p) and all(is_wordy(w, True) for w in CAMEL_WORDS.findall(p)))
        for p in pieces
    )


def is_path_or_url(value: str) -> bool:
    """A URL (credentials in URLs belong to the URL rules), file name, e-mail or path."""
    if _URL.match(value) or _FILE_EXT.fullmatch(value) or _EMAIL.fullmatch(value):
        return True
    if re.match(r"(?:~|\.{1,2})/|[A-Za-z]:\\|\\\\", value):
        return True
    if "/" in value or "\\" in value:
        parts = [p for p in re.split(r"[/\\]", value) if p]
        return bool(parts) and (len(parts) >= 2 or value.startswith("/")) \
            and all(_name_like(p) for p in parts)
    return False


_ALGORITHM = lazy_compile(
    r"(?:AWS4-)?HMAC-SHA\d+|(?:RSA-|SCRAM-)?SHA-?\d+|[HREP]S\d{3}|MD5|AES-?\d+(?:-\w+)?", re.I)


def is_data_literal(value: str) -> bool:
    """Numbers, versions, dates, IPs, colours, algorithm names: data, not secrets."""
    v = value.strip()
    return bool(
        _ALGORITHM.fullmatch(v)
        or re.fullmatch(r"[-+]?[\d_,.]+(?:e[-+]?\d+)?[a-z]{0,3}", v, re.I)
        or _VERSION.fullmatch(v) or _DATE.fullmatch(v) or _IPV4.fullmatch(v)
        or re.fullmatch(r"#[0-9a-f]{3,8}", v, re.I)
    )


def is_uuid(value: str) -> bool:
    return bool(_UUID.fullmatch(value))


def is_hex(value: str) -> bool:
    return bool(_HEX.fullmatch(value))


def is_hash_literal(value: str) -> bool:
    """A password hash (bcrypt, crypt, pbkdf2) or a content digest (SRI, go.sum, docker)."""
    return bool(_CRYPT_HASH.search(value) or _DIGEST_PREFIX.match(value))


def looks_like_regex(value: str) -> bool:
    return bool(_REGEX_HINT.search(value))


def b64_decode(value: str) -> bytes | None:
    """Bytes behind a base64 (standard or url-safe) value, or None."""
    if len(value) < 8 or not _B64.fullmatch(value):
        return None
    text = value.rstrip("=")
    padded = text + "=" * (-len(text) % 4)
    try:
        return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        return None


def is_b64_of_prose(value: str) -> bool:
    """Base64 whose content is ordinary text (``SGVsbG8gd29ybGQ=``), not key material."""
    if len(value) < 12:
        return False
    raw = b64_decode(value)
    if raw is None:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if not text:
        return False
    printable = sum(c.isprintable() or c in "\r\n\t" for c in text) / len(text)
    words = re.findall(r"[A-Za-z]{2,}", text)
    wordy = sum(len(w) for w in words) / len(text)
    return printable > 0.95 and (" " in text or "\n" in text) and wordy > 0.6


