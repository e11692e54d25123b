"""The parsed-rules cache: rule packs as plain rows in one marshal file per set of packs.

Start-up reads this instead of YAML. The entry is trusted while every pack file keeps
its stat stamp (size, mtime, ctime, inode: what git's index trusts), so a clean scan
neither reads nor hashes the packs. When a stamp differs, the packs' SHA-256 decides:
same content, the entry is kept and re-stamped; new content, the packs are parsed
afresh. A file changed within the clock's resolution of being stamped could keep its
stamp, so files changed in the last few seconds are never stamped ("racy" in git's
terms) and are hashed next time instead.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from leakguard import cache

FORMAT = "rules-v9"
_RACY_NS = 3 * 1_000_000_000  # younger files than this are not stamped

Row = tuple[Any, ...]
Stamp = tuple[tuple[str, int, int, int, int], ...]


def _stamp(paths: Sequence[Path]) -> Stamp | None:
    entries = []
    for path in paths:
        try:
            info = os.stat(path)
        except OSError:
            return None
        entries.append((str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns,
                        info.st_ino))
    return tuple(entries)


def _name(paths: Sequence[Path], mode: str) -> str:
    # Names only spread entries out; the stamp and digest inside decide a hit.
    where = zlib.crc32("\0".join(str(p) for p in paths).encode("utf-8", "surrogatepass"))
    tag = sys.implementation.cache_tag or "py"  # marshal's format follows the interpreter
    return f"{FORMAT}-{mode}-{tag}-{where:08x}.marshal"


def _digest(blobs: Sequence[tuple[Path, bytes]]) -> str:
    import hashlib

    digest = hashlib.sha256()
    for path, data in blobs:
        digest.update(path.name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _read(name: str) -> tuple[Stamp | None, str, tuple[Row, ...]] | None:
    entry = cache.read_marshal(name)
    if not (isinstance(entry, tuple) and len(entry) == 4 and entry[0] == FORMAT):
        return None
    _, stamp, digest, rows = entry
    if not (isinstance(digest, str) and isinstance(rows, tuple)):
        return None
    return stamp, digest, rows


def _write(name: str, paths: Sequence[Path], digest: str, rows: tuple[Row, ...]) -> None:
    stamp = _stamp(paths)
    now = time.time_ns()
    if stamp is not None and any(now - max(e[2], e[3]) < _RACY_NS for e in stamp):
        stamp = None  # too fresh to trust by stamp: hash it next time
    cache.write_bytes(name, marshal.dumps((FORMAT, stamp, digest, rows)))


def load_rows(
    paths: Sequence[Path],
    mode: str,
    parse: Callable[[list[tuple[Path, bytes]]], tuple[Row, ...]],
    *,
    fresh: bool = False,
) -> tuple[Row, ...]:
    """Rows for the packs at ``paths`` (sorted), from the cache or from ``parse``;
    ``fresh`` ignores the cached entry."""
    name = _name(paths, mode)
    cached = None if fresh else _read(name)
    if cached is not None and cached[0] is not None and cached[0] == _stamp(paths):
        return cached[2]
    blobs = [(p, p.read_bytes()) for p in paths]
    digest = _digest(blobs)
    if cached is not None and cached[1] == digest:
        _write(name, paths, digest, cached[2])  # same content, new stamp
        return cached[2]
    rows = parse(blobs)
    _write(name, paths, digest, rows)
    return rows
