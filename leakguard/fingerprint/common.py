"""Code everybody has: k-grams of public code, left out of the index.

An organisation's code is full of idioms (a property with getter and setter, a guarded
`__main__`, an argparse preamble) that also fill every open-source package. Fingerprints
of such idioms match unrelated text, so a build can be given public code (for example a
virtualenv's site-packages) and drops every fingerprint that also occurs there: the
"base code" exclusion of plagiarism detectors such as MOSS. Only the surviving hashes of
the organisation's code are stored; the public code's hashes are not kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

from leakguard.fingerprint.files import MAX_BYTES, walk
from leakguard.fingerprint.lexers import Lexers
from leakguard.fingerprint.winnow import Hasher

COMMON_LIMIT = 64_000_000  # bytes of public code read at most (the rest adds little)


def common_hashes(
    roots: Iterable[str], hasher: Hasher, lexers: Lexers, base: Path, limit: int = COMMON_LIMIT
) -> npt.NDArray[np.uint32]:
    """Sorted distinct hashes of every k-gram (not just winnowed ones) of the public code."""
    chunks = []
    read = 0
    for _, path, profile in walk(roots, base):
        try:
            data = path.read_bytes()
        except OSError:
            continue  # public code that cannot be read only weakens the filter
        if len(data) > MAX_BYTES or b"\0" in data[:8192]:
            continue
        stream = lexers.tokenize(
            profile, data.decode("utf-8", errors="replace"), fenced=False, telling=False
        )
        chunks.append(np.unique(hasher.kgrams(stream, winnowed=False)[0]))
        chunks.append(hasher.items(stream)[0])
        read += len(data)
        if read >= limit:
            break
    if not chunks:
        return np.zeros(0, np.uint32)
    return np.unique(hasher.seal(np.unique(np.concatenate(chunks))))


def contains(
    sorted_hashes: npt.NDArray[np.uint32], hashes: npt.NDArray[np.uint32]
) -> npt.NDArray[np.bool_]:
    """Membership by binary search (np.isin would sort the large common set every call)."""
    if sorted_hashes.shape[0] == 0:
        return np.zeros(hashes.shape[0], bool)
    at = np.minimum(np.searchsorted(sorted_hashes, hashes), sorted_hashes.shape[0] - 1)
    return np.asarray(sorted_hashes[at] == hashes, bool)
