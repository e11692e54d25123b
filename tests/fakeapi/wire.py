"""Transport details of the fake: request body decoding, strings of a JSON body."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from typing import Any

import brotli
from backports import zstd

DECODE_ERRORS = (ValueError, OSError, EOFError, zlib.error, brotli.error, zstd.ZstdError)


def decode_body(data: bytes, content_encoding: str) -> bytes:
    """Undo ``Content-Encoding`` (gzip, deflate, br, zstd; listed in applied order)."""
    for coding in reversed([c.strip().lower() for c in content_encoding.split(",") if c.strip()]):
        if coding in ("gzip", "x-gzip"):
            data = gzip.decompress(data)
        elif coding == "deflate":
            try:
                data = zlib.decompress(data)
            except zlib.error:  # raw deflate without the zlib header, as some clients send
                data = zlib.decompress(data, -zlib.MAX_WBITS)
        elif coding == "br":
            data = brotli.decompress(data)
        elif coding == "zstd":
            data = zstd.decompress(data)
        elif coding != "identity":
            raise ValueError(f"unknown content-encoding {coding!r}")
    return data


def json_strings(value: Any) -> Iterator[str]:
    """Every key and string in parsed JSON, JSON-in-strings unpacked (tool arguments)."""
    if isinstance(value, str):
        yield value
        if value[:1] in "{[":
            try:
                inner = json.loads(value)
            except ValueError:
                return
            yield from json_strings(inner)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)
