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
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

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


@dataclass(frozen=True, eq=False)
class _Part:
    """One file's fingerprints: stored hashes (a reused file) or ranks not sealed yet."""

    values: npt.NDArray[np.uint32] | npt.NDArray[np.uint64]
    first_lines: npt.NDArray[np.int32]
    spans: npt.NDArray[np.uint16]
    sealed: bool


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
    old = {f.path: i for i, f in enumerate(previous.files)} if previous else {}
    files: list[IndexedFile] = []
    parts: list[_Part] = []
    skipped: list[Skip] = []
    reused = bytes_read = 0
    for stored, path, profile in walk(roots, base):
        data = _read(stored, path, skipped)
        if data is None:
            continue
        bytes_read += len(data)
        digest = hashlib.blake2b(data, digest_size=16).hexdigest()
        if previous is not None and stored in old:
            entry = previous.files[old[stored]]
            if entry.digest == digest and entry.profile == profile:
                lo, hi = (int(x) for x in previous.offsets[old[stored] : old[stored] + 2])
                part = _Part(previous.hashes[lo:hi], previous.first_lines[lo:hi],
                             previous.spans[lo:hi], sealed=True)
                parts.append(part)
                files.append(entry)
                reused += 1
                continue
        stream = lexers.tokenize(
            profile, data.decode("utf-8", errors="replace"), fenced=False, telling=False
        )
        ranks, positions = hasher.kgrams(stream)
        first = stream.lines[positions]
        last = stream.lines[positions + (hasher.params.k - 1)] if len(positions) else first
        spans = np.minimum(last - first, 65535).astype(np.uint16)
        item_ranks, item_lines = hasher.items(stream)
        if item_ranks.shape[0]:  # merged in line order: a file's lines must not go back
            first = np.concatenate([first, item_lines])
            order = np.argsort(first, kind="stable")
            ranks, first = np.concatenate([ranks, item_ranks])[order], first[order]
            spans = np.concatenate([spans, np.zeros(item_ranks.shape[0], np.uint16)])[order]
        parts.append(_Part(ranks, first, spans, sealed=False))
        files.append(IndexedFile(stored, digest, len(data), len(stream), profile, len(first)))
    parts, dropped = _seal(parts, files, hasher, shared)
    index = FingerprintIndex(
        key=template.key,
        params=template.params,
        files=tuple(files),
        roots=roots,
        hashes=_concat([p.values for p in parts], np.uint32),
        first_lines=_concat([p.first_lines for p in parts], np.int32),
        spans=_concat([p.spans for p in parts], np.uint16),
        key_env=previous.key_env if previous else None,
        common=common,
    )
    report = BuildReport(
        indexed=len(files) - reused,
        reused=reused,
        removed=len(set(old) - {f.path for f in files}),
        bytes_read=bytes_read,
        seconds=time.perf_counter() - began,
        skipped=tuple(skipped),
        common_dropped=dropped,
    )
    return index, report


def _read(stored: str, path: Path, skipped: list[Skip]) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        skipped.append(Skip(stored, "unreadable", exc.strerror or ""))
        return None
    if len(data) > MAX_BYTES:
        skipped.append(Skip(stored, "too-large", f"{len(data)} bytes"))
        return None
    if b"\0" in data[:8192]:
        skipped.append(Skip(stored, "binary"))
        return None
    return data


def _seal(
    parts: list[_Part], files: list[IndexedFile], hasher: Hasher,
    shared: npt.NDArray[np.uint32] | None,
) -> tuple[list[_Part], int]:
    """Seal every new file's ranks in one SipHash pass (one call per file was slow), then
    leave out what public code also has; ``files`` get their new counts."""
    fresh = [p.values for p in parts if not p.sealed]
    sealed = hasher.seal(np.concatenate(fresh)) if fresh else np.zeros(0, np.uint32)
    out, dropped, cursor = [], 0, 0
    for number, part in enumerate(parts):
        if part.sealed:
            out.append(part)
            continue
        values = sealed[cursor : cursor + part.values.shape[0]]
        cursor += part.values.shape[0]
        keep = np.ones(values.shape[0], bool) if shared is None else ~contains(shared, values)
        dropped += int(values.shape[0] - keep.sum())
        out.append(_Part(values[keep], part.first_lines[keep], part.spans[keep], sealed=True))
        files[number] = replace(files[number], count=int(keep.sum()))
    return out, dropped


def _concat(arrays: list[np.ndarray], dtype: type) -> np.ndarray:
    if not arrays:
        return np.zeros(0, dtype)
    return np.concatenate(arrays).astype(dtype, copy=False)
