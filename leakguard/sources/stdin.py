"""Standard input as one fragment."""

from __future__ import annotations

import sys
from typing import BinaryIO

from leakguard.models import Fragment
from leakguard.sources.decode import decode_bytes


def read_stdin(stream: BinaryIO | None = None, path: str = "-") -> Fragment:
    data = (stream or sys.stdin.buffer).read()
    return Fragment(text=decode_bytes(data), path=path, kind="stdin")
