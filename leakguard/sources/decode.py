"""Bytes to text without losing anything that could hide a secret."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes) -> str:
    """UTF-8 (or the BOM's encoding); bytes that do not decode become U+FFFD.

    Credentials are ASCII, so replacing the odd undecodable byte keeps them findable
    while offsets stay meaningful; NUL bytes are kept as they are.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _try_decode(data, encoding)
            if text is not None:
                return text
            break  # bytes that merely start like a BOM: read them as UTF-8
    return data.decode("utf-8", errors="replace")


def _try_decode(data: bytes, encoding: str) -> str | None:
    """Text in ``encoding`` if it decodes cleanly and reads as text, else None."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    sample = text[:2000]
    printable = sum(1 for c in sample if c.isprintable() or c in "\t\r\n")
    return text if not sample or printable / len(sample) >= 0.9 else None


def looks_binary(head: bytes) -> bool:
    """A NUL byte in the first block means binary, unless the text is UTF-16/32."""
    if not head or b"\0" not in head:
        return False
    return not any(head.startswith(bom) for bom, _ in _BOMS)
