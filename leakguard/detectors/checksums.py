"""Checksums embedded in provider token formats (cheap, exact validators).

A validator gets the extracted secret and the whole match and answers whether the
candidate still looks like a real credential. Validators here recompute a checksum
the provider builds into the token, so a hand-typed or truncated look-alike fails
while a genuine token always passes. When a candidate does not have the shape the
checksum applies to, the validator answers True: it only rejects what it can judge.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

_BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

# GitHub (2021 formats) and npm (2021 format) tokens: a short type prefix and "_",
# then 30 random base62 characters and 6 characters of checksum: the CRC32 of the
# random part, written in base62 and left-padded with "0".
_CRC_PREFIXES = ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "npm_")
_CRC_BODY_LENGTH = 36
_CRC_DIGITS = 6


def base62_encode(number: int, width: int) -> str:
    """``number`` in base62 (digits, upper, lower), left-padded with "0" to ``width``."""
    digits: list[str] = []
    while number:
        number, remainder = divmod(number, 62)
        digits.append(_BASE62[remainder])
    return "".join(reversed(digits)).rjust(width, "0")


def crc32_base62(payload: str) -> str:
    """The six-character checksum GitHub and npm append to a token's random part."""
    return base62_encode(zlib.crc32(payload.encode("ascii")), _CRC_DIGITS)


def github_checksum(secret: str, match: str) -> bool:
    """False when a GitHub/npm-style token's trailing CRC32 does not match its body."""
    del match  # the secret alone carries the checksum
    prefix = secret[:4]
    body = secret[4:]
    if prefix not in _CRC_PREFIXES or len(body) != _CRC_BODY_LENGTH:
        return True
    if not body.isascii() or not body.isalnum():
        return True
    payload, checksum = body[:-_CRC_DIGITS], body[-_CRC_DIGITS:]
    return crc32_base62(payload) == checksum


CHECKSUM_VALIDATORS: dict[str, Callable[[str, str], bool]] = {
    "github-checksum": github_checksum,
    "npm-checksum": github_checksum,
}
"""Named checks a rule can ask for, by name, in its `validators:` list."""
