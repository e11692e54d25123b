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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from leakguard.fingerprint.common import common_hashes, contains
from leakguard.fingerprint.files import MAX_BYTES, walk
from leakguard.fingerprint.index import FingerprintIndex, IndexedFile, empty
from leakguard.fingerprint.lexers import Lexers
from leakguard.fingerprint.winnow import Hasher, Params
from leakguard.models import Skip


@dataclass(frozen=True)
class BuildReport:
    indexed: int
    reused: int
    removed: int
    bytes_read: int
    seconds: float
    skipped: tuple[Skip, ...] = ()
    common_dropped: int = 0  # fingerprints left out because public code has them too


def build(
    roots: Iterable[str],
    *,
    previous: FingerprintIndex | None = None,
    key: bytes | None = None,
    params: Params | None = None,
    base: Path | None = None,
    common: Iterable[str] | None = None,
) -> tuple[FingerprintIndex, BuildReport]:
    """A new index over ``roots``; with ``previous``, unchanged files are reused.

    ``common`` names public code (a virtualenv's site-packages, say): every k-gram also
    found there is an idiom, not the organisation's own, and is left out of the index.
    """
    began = time.perf_counter()
    base = (base or Path.cwd()).resolve()
    roots = tuple(roots)
    if previous is not None:
        key, params, common = previous.key, previous.params, previous.common
    common = tuple(common or ())
    template = empty(key or os.urandom(32), params or Params(), roots)
    hasher = Hasher(template.key, template.params)
    lexers = Lexers()
    shared = common_hashes(common, hasher, lexers, base) if common else None
    dropped = 0
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
        keep = np.ones(len(prints), bool) if shared is None else ~contains(shared, prints.hashes)
        dropped += len(prints) - int(keep.sum())
        first, last = prints.first_lines[keep], prints.last_lines[keep]
        spans = np.minimum(last - first, 65535).astype(np.uint16)
        parts.append((prints.hashes[keep], first, spans))
        files.append(IndexedFile(stored, digest, len(data), len(stream), profile, len(first)))
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
        common=common,
    )
    report = BuildReport(
        indexed=len(files) - reused,
        reused=reused,
        removed=removed,
        bytes_read=bytes_read,
        seconds=time.perf_counter() - began,
        skipped=tuple(skipped),
        common_dropped=dropped,
    )
    return index, report


def _concat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    if not arrays:
        return np.zeros(0, dtype)
    return np.concatenate(arrays).astype(dtype, copy=False)
