"""Request bodies as the client compressed them, decoded for scanning.

Decoding is capped: a small compressed body must not expand past the proxy's size
limit (a zip bomb would otherwise be scanned, or worse, forwarded unscanned).
"""

from __future__ import annotations

import zlib

from leakguard.errors import ScanError

_CHUNK = 64 * 1024


class BodyTooLarge(ScanError):
    """The body, decoded, is over the proxy's limit."""


def decode_body(data: bytes, content_encoding: str | None, limit: int) -> bytes:
    """``data`` with every content coding undone (last applied first)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    for coding in reversed(codings):
        data = _decode_one(data, coding, limit)
    if len(data) > limit:
        raise BodyTooLarge(f"request body of {len(data)} bytes is over the limit of {limit}")
    return data


def _decode_one(data: bytes, coding: str, limit: int) -> bytes:
    try:
        if coding == "identity":
            return data
        if coding in ("gzip", "x-gzip"):
            return _zlib(data, zlib.MAX_WBITS | 16, limit)
        if coding == "deflate":
            try:
                return _zlib(data, zlib.MAX_WBITS, limit)
            except zlib.error:  # some clients send raw deflate without the zlib header
                return _zlib(data, -zlib.MAX_WBITS, limit)
        if coding == "br":
            return _brotli(data, limit)
        if coding == "zstd":
            return _zstd(data, limit)
    except BodyTooLarge:
        raise
    except Exception as exc:
        raise ScanError(f"request body is not valid {coding} ({type(exc).__name__})") from None
    raise ScanError(f"request body uses an unsupported content coding {coding!r}")


def _zlib(data: bytes, wbits: int, limit: int) -> bytes:
    decoder = zlib.decompressobj(wbits)
    out = decoder.decompress(data, limit + 1)
    if len(out) > limit or decoder.unconsumed_tail:
        raise BodyTooLarge(f"request body decodes to more than the limit of {limit} bytes")
    out += decoder.flush()
    if not decoder.eof:
        raise ScanError("request body is a truncated compressed stream")
    return out


def _brotli(data: bytes, limit: int) -> bytes:
    import brotli

    decoder = brotli.Decompressor()
    out = bytearray()
    for start in range(0, len(data), _CHUNK):
        out += decoder.process(data[start : start + _CHUNK])
        if len(out) > limit:
            raise BodyTooLarge(f"request body decodes to more than the limit of {limit} bytes")
    if not decoder.is_finished():
        raise ScanError("request body is a truncated brotli stream")
    return bytes(out)


def _zstd(data: bytes, limit: int) -> bytes:
    try:
        from compression import zstd  # type: ignore[import-not-found]
    except ImportError:
        from backports import zstd

    decoder = zstd.ZstdDecompressor()
    out = decoder.decompress(data, max_length=limit + 1)
    if len(out) > limit:
        raise BodyTooLarge(f"request body decodes to more than the limit of {limit} bytes")
    if not decoder.eof:
        raise ScanError("request body is a truncated zstd stream")
    return bytes(out)
