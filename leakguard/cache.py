"""A small on-disk cache under the user cache directory (compiled rules, validations).

Every failure here is harmless: a cache that cannot be read or written is a miss.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def cache_dir() -> Path:
    override = os.environ.get("LEAKGUARD_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "leakguard"


def read_bytes(name: str) -> bytes | None:
    try:
        return (cache_dir() / name).read_bytes()
    except OSError:
        return None


def write_bytes(name: str, data: bytes) -> None:
    import tempfile  # only writers pay for it

    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, directory / name)
    except OSError:
        return


def read_marshal(name: str) -> Any:
    """A marshalled entry, or None when it is missing or unreadable (a torn write)."""
    import marshal

    data = read_bytes(name)
    if data is None:
        return None
    try:
        return marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None


def read_json(name: str) -> Any:
    import json  # here: start-up reads only binary entries

    data = read_bytes(name)
    if data is None:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None


def write_json(name: str, value: Any) -> None:
    import json

    write_bytes(name, json.dumps(value, separators=(",", ":")).encode())
