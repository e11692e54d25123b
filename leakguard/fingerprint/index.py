"""The on-disk fingerprint index: keyed hashes and (file, line range) references, no code.

File layout (little-endian)::

    b"LGFPIDX2" | u32 length | zlib(header, JSON) | zlib(hashes u32[n])
                | xz(first-line deltas i32[n]) | xz(line spans u16[n])

Fingerprints are stored file by file (the header lists each file with its count), in
token order inside a file, so line deltas are small and compress to under a byte each
(xz packs these small numbers about a quarter tighter than zlib; the header's paths and
digests compress by half); the 32-bit keyed hashes are incompressible and dominate the
size (~4.4 bytes per fingerprint in all). The header holds the parameters, the indexed
files (path, content digest, size, token count, lexer profile) and the hashing key.

The key trade-off: with the key in the header, whoever holds the index can test code
against it (what a scanner, CI job or gateway needs) but cannot read code out of it: it
holds no text, only 32-bit keyed hashes of normalized k-grams (identifiers already gone),
which can confirm a guessed stretch of code but not reveal one. Without the key
(``index build --key-env NAME``: the header keeps only a check value, the key lives in
that environment variable) the index cannot even be tested against, so a leaked copy
confirms nothing; every scanner then needs the secret. Paths and line numbers are
stored in clear either way.
"""

from __future__ import annotations

import hashlib
import json
import lzma
import os
import struct
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from leakguard.errors import ConfigError
from leakguard.fingerprint.normalize import NORMALIZER_VERSION
from leakguard.fingerprint.winnow import Hashes, Params

MAGIC = b"LGFPIDX2"
FORMAT = 2
DEFAULT_PATH = ".leakguard/index"
KEY_ENV = "LEAKGUARD_INDEX_KEY"


@dataclass(frozen=True)
class IndexedFile:
    path: str
    digest: str  # blake2b of the file's bytes: unchanged files are skipped on update
    size: int
    tokens: int
    profile: str
    count: int  # fingerprints of this file in the index


@dataclass(frozen=True, eq=False)
class FingerprintIndex:
    """An index in memory. Arrays are parallel, file by file in ``files`` order."""

    key: bytes
    params: Params
    files: tuple[IndexedFile, ...]
    roots: tuple[str, ...]
    hashes: Hashes
    first_lines: npt.NDArray[np.int32]
    spans: npt.NDArray[np.uint16]
    key_env: str | None = None  # set when the key is read from this variable, not stored
    common: tuple[str, ...] = ()  # public code whose k-grams were left out (see common.py)
    _offsets: npt.NDArray[np.int64] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        counts = np.array([f.count for f in self.files], np.int64)
        offsets = np.concatenate([np.zeros(1, np.int64), np.cumsum(counts)])
        if int(offsets[-1]) != self.hashes.shape[0]:
            raise ConfigError("fingerprint index is inconsistent (counts do not add up)")
        object.__setattr__(self, "_offsets", offsets)

    @property
    def offsets(self) -> npt.NDArray[np.int64]:
        """Start of each file's fingerprints in the arrays (one extra end entry)."""
        return self._offsets

    @property
    def profiles(self) -> tuple[str, ...]:
        return tuple(sorted({f.profile for f in self.files}))

    def file_ids(self) -> npt.NDArray[np.int32]:
        counts = np.diff(self._offsets)
        return np.repeat(np.arange(len(self.files), dtype=np.int32), counts)


def empty(key: bytes, params: Params, roots: tuple[str, ...] = ()) -> FingerprintIndex:
    return FingerprintIndex(
        key=key,
        params=params,
        files=(),
        roots=roots,
        hashes=np.zeros(0, np.uint32),
        first_lines=np.zeros(0, np.int32),
        spans=np.zeros(0, np.uint16),
    )


def save(index: FingerprintIndex, path: str | os.PathLike[str]) -> int:
    """Write atomically (temp file + rename); returns the size in bytes."""
    deltas = np.diff(index.first_lines, prepend=np.int32(0)).astype("<i4")
    sections = [
        zlib.compress(index.hashes.astype("<u4").tobytes(), 6),
        lzma.compress(deltas.tobytes(), preset=6),
        lzma.compress(index.spans.astype("<u2").tobytes(), preset=6),
    ]
    header: dict[str, object] = {
        "format": FORMAT,
        "normalizer": NORMALIZER_VERSION,
        "k": index.params.k,
        "w": index.params.w,
        "roots": list(index.roots),
        "common": list(index.common),
        "files": [
            [f.path, f.digest, f.size, f.tokens, f.profile, f.count] for f in index.files
        ],
        "sections": [len(s) for s in sections],
    }
    if index.key_env:
        header["key_env"] = index.key_env
        header["key_check"] = _key_check(index.key)
    else:
        header["key"] = index.key.hex()
    raw_header = zlib.compress(json.dumps(header, separators=(",", ":")).encode(), 9)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".index-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + struct.pack("<I", len(raw_header)) + raw_header)
            for section in sections:
                out.write(section)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target.stat().st_size


def load(path: str | os.PathLike[str]) -> FingerprintIndex:
    """Read an index; a missing, foreign or damaged file is a ConfigError (exit 2)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"cannot read fingerprint index {path}: {exc.strerror}") from exc
    if data[:8] != MAGIC:
        if data[:7] == MAGIC[:7]:
            raise ConfigError(f"{path} was built by another leakguard version: rebuild it")
        raise ConfigError(f"{path} is not a leakguard fingerprint index")
    try:
        (length,) = struct.unpack_from("<I", data, 8)
        header = json.loads(zlib.decompress(data[12 : 12 + length]))
        if header["format"] != FORMAT:
            raise ConfigError(f"{path}: index format {header['format']} is not supported")
        if header["normalizer"] != NORMALIZER_VERSION:
            raise ConfigError(f"{path} was built by another leakguard version: rebuild it")
        cursor = 12 + length
        arrays = []
        for number, size in enumerate(header["sections"]):
            section = data[cursor : cursor + size]
            arrays.append(lzma.decompress(section) if number else zlib.decompress(section))
            cursor += size
        files = tuple(IndexedFile(*entry) for entry in header["files"])
        key_env = header.get("key_env")
        key = _env_key(key_env, header["key_check"]) if key_env else bytes.fromhex(header["key"])
        return FingerprintIndex(
            key=key,
            params=Params(k=header["k"], w=header["w"]),
            files=files,
            roots=tuple(header["roots"]),
            hashes=np.frombuffer(arrays[0], "<u4").astype(np.uint32),
            first_lines=np.cumsum(np.frombuffer(arrays[1], "<i4"), dtype=np.int32),
            spans=np.frombuffer(arrays[2], "<u2").astype(np.uint16),
            key_env=key_env,
            common=tuple(header.get("common", ())),
        )
    except (KeyError, TypeError, ValueError, IndexError, struct.error, zlib.error,
            lzma.LZMAError) as exc:
        raise ConfigError(f"fingerprint index {path} is damaged ({type(exc).__name__})") from exc


def _key_check(key: bytes) -> str:
    return hashlib.blake2b(b"key-check", key=key, digest_size=8).hexdigest()


def _env_key(name: str, check: str) -> bytes:
    value = os.environ.get(name)
    if not value:
        raise ConfigError(f"the fingerprint index key is kept in ${name}, which is not set")
    key = bytes.fromhex(value)
    if _key_check(key) != check:
        raise ConfigError(f"${name} does not hold the key this index was built with")
    return key


def stats(index: FingerprintIndex, size_on_disk: int | None = None) -> dict[str, object]:
    """Figures for `leakguard index stats` (no paths of individual files)."""
    source = sum(f.size for f in index.files)
    by_profile: dict[str, int] = {}
    for f in index.files:
        by_profile[f.profile] = by_profile.get(f.profile, 0) + 1
    result: dict[str, object] = {
        "files": len(index.files),
        "source_bytes": source,
        "tokens": sum(f.tokens for f in index.files),
        "fingerprints": int(index.hashes.shape[0]),
        "distinct_hashes": int(np.unique(index.hashes).shape[0]),
        "k": index.params.k,
        "w": index.params.w,
        "profiles": by_profile,
        "roots": list(index.roots),
        "common": list(index.common),
        "key": f"from ${index.key_env}" if index.key_env else "stored in the index",
    }
    if size_on_disk is not None:
        result["index_bytes"] = size_on_disk
        result["index_share_of_source"] = round(size_on_disk / source, 4) if source else 0.0
    return result
