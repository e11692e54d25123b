"""Building and updating an index from source trees.

Walks the roots (hidden directories, vendored and cache directories skipped), lexes each
code file by extension and fingerprints it. An update re-reads every file but only
re-fingerprints those whose content digest changed; deleted files drop out.
Paths are stored relative to the directory the index is built from (absolute when
outside it), so run `leakguard index update` from the same place.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from leakguard.fingerprint.index import FingerprintIndex, IndexedFile, empty
from leakguard.fingerprint.lexers import Lexers, profile_for
from leakguard.fingerprint.winnow import Hasher, Params
from leakguard.models import Skip

SKIP_DIRS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "venv", "vendor", "third_party"}
)
MAX_BYTES = 4_000_000  # larger "source" files are generated or minified


@dataclass(frozen=True)
class BuildReport:
    indexed: int
    reused: int
    removed: int
    bytes_read: int
    seconds: float
    skipped: tuple[Skip, ...] = ()


def display_path(path: Path, base: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix()


def walk(roots: Iterable[str], base: Path) -> Iterator[tuple[str, Path, str]]:
    """(stored path, real path, profile) for each code file under the roots, sorted."""
    seen: set[str] = set()
    for root in roots:
        start = (base / root) if not os.path.isabs(root) else Path(root)
        if start.is_file():
            candidates: Iterable[Path] = [start]
        else:
            candidates = _files(start)
        for path in candidates:
            profile = profile_for(path.name)
            stored = display_path(path, base)
            if profile and stored not in seen:
                seen.add(stored)
                yield stored, path, profile


def _files(top: Path) -> Iterator[Path]:
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(files):
            yield Path(directory) / name


def build(
    roots: Iterable[str],
    *,
    previous: FingerprintIndex | None = None,
    key: bytes | None = None,
    params: Params | None = None,
    base: Path | None = None,
) -> tuple[FingerprintIndex, BuildReport]:
    """A new index over ``roots``; with ``previous``, unchanged files are reused."""
    began = time.perf_counter()
    base = (base or Path.cwd()).resolve()
    roots = tuple(roots)
    if previous is not None:
        key, params = previous.key, previous.params
    template = empty(key or os.urandom(32), params or Params(), roots)
    hasher = Hasher(template.key, template.params)
    lexers = Lexers()
    old = {f.path: i for i, f in enumerate(previous.files)} if previous else {}
    files: list[IndexedFile] = []
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    skipped: list[Skip] = []
    reused = bytes_read = 0
    for stored, path, profile in walk(roots, base):
        try:
            data = path.read_bytes()
        except OSError as exc:
            skipped.append(Skip(stored, "unreadable", exc.strerror or ""))
            continue
        if len(data) > MAX_BYTES:
            skipped.append(Skip(stored, "too-large", f"{len(data)} bytes"))
            continue
        if b"\0" in data[:8192]:
            skipped.append(Skip(stored, "binary"))
            continue
        bytes_read += len(data)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if previous is not None and stored in old:
            index_of = old[stored]
            entry = previous.files[index_of]
            if entry.digest == digest and entry.profile == profile:
                lo, hi = int(previous.offsets[index_of]), int(previous.offsets[index_of + 1])
                parts.append(
                    (previous.hashes[lo:hi], previous.first_lines[lo:hi], previous.spans[lo:hi])
                )
                files.append(entry)
                reused += 1
                continue
        stream = lexers.tokenize(profile, data.decode("utf-8", errors="replace"))
        prints = hasher.fingerprints(stream)
        spans = np.minimum(prints.last_lines - prints.first_lines, 65535).astype(np.uint16)
        parts.append((prints.hashes, prints.first_lines, spans))
        files.append(IndexedFile(stored, digest, len(data), len(stream), profile, len(prints)))
    removed = len(set(old) - {f.path for f in files})
    index = FingerprintIndex(
        key=template.key,
        params=template.params,
        files=tuple(files),
        roots=roots,
        hashes=_concat([p[0] for p in parts], np.uint32),
        first_lines=_concat([p[1] for p in parts], np.int32),
        spans=_concat([p[2] for p in parts], np.uint16),
        key_env=previous.key_env if previous else None,
    )
    report = BuildReport(
        indexed=len(files) - reused,
        reused=reused,
        removed=removed,
        bytes_read=bytes_read,
        seconds=time.perf_counter() - began,
        skipped=tuple(skipped),
    )
    return index, report


def _concat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    if not arrays:
        return np.zeros(0, dtype)
    return np.concatenate(arrays).astype(dtype, copy=False)
