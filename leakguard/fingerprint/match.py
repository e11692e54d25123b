"""Query text against an index: fingerprint it the same way, look up, cluster, measure.

Hits (a query fingerprint found at a source fingerprint) are grouped by source file and
then into regions: a new region starts where consecutive hits are more than
``region_gap`` source lines apart. A region is reported when enough of the query is
covered (``min_tokens`` tokens under matched k-grams, ``min_fingerprints`` distinct
source fingerprints) and the match is dense (``min_coverage``: the share of the source
region's fingerprints seen in the query). Hashes that occur in more than
``max_postings`` places in the index (several files, or one file over and over, like a
run of one-line getters) are idioms and never count.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leakguard.fingerprint.index import FingerprintIndex
from leakguard.fingerprint.lexers import Lexers
from leakguard.fingerprint.normalize import TokenStream
from leakguard.fingerprint.winnow import Fingerprints, Hasher


@dataclass(frozen=True)
class Thresholds:
    """When a cluster of hits is a match; the policy may override each."""

    min_tokens: int = 40
    min_fingerprints: int = 5
    min_coverage: float = 0.3
    max_postings: int = 4
    region_gap: int = 12
    query_gap: int = 48  # query tokens between hits still in one region

    @classmethod
    def from_policy(cls, similarity: float, min_matches: int) -> Thresholds:
        """The policy's `proprietary.similarity` and `proprietary.min_matches`."""
        return cls(min_coverage=similarity, min_fingerprints=min_matches)


@dataclass(frozen=True)
class Match:
    """Query lines ``query_start..query_end`` reproduce ``path:source_start..source_end``."""

    path: str
    source_start: int
    source_end: int
    query_start: int
    query_end: int
    matched_tokens: int
    fingerprints: int
    coverage: float  # share of the source region's fingerprints found in the query
    density: float  # share of the query stretch (first to last hit) under matched k-grams
    profile: str

    @property
    def region_lines(self) -> int:
        return self.source_end - self.source_start + 1

    def describe(self) -> str:
        return (
            f"matches {self.path}:{self.source_start}-{self.source_end}, "
            f"{round(self.coverage * 100)}% of a {self.region_lines}-line region"
        )


class Matcher:
    """Looks text up in one loaded index; build once, query many times."""

    def __init__(self, index: FingerprintIndex, thresholds: Thresholds | None = None) -> None:
        self.index = index
        self.thresholds = thresholds or Thresholds()
        self._hasher = Hasher(index.key, index.params)
        self._lexers = Lexers()
        self._file_ids = index.file_ids()
        self._order = np.argsort(index.hashes, kind="stable")
        self._sorted = index.hashes[self._order]
        self._last_lines = index.first_lines + index.spans.astype(np.int32)

    def match(self, text: str, profiles: Sequence[str] | None = None) -> list[Match]:
        """Matches of ``text`` lexed with each profile (default: every profile indexed)."""
        found: dict[tuple[str, int, int, int], Match] = {}
        for profile in profiles if profiles is not None else self.index.profiles:
            for match in self.match_stream(self._lexers.tokenize(profile, text)):
                slot = (match.path, match.source_start, match.source_end, match.query_start)
                if slot not in found or found[slot].matched_tokens < match.matched_tokens:
                    found[slot] = match
        return sorted(found.values(), key=lambda m: (m.query_start, m.path, m.source_start))

    def match_stream(self, stream: TokenStream) -> list[Match]:
        prints = self._hasher.fingerprints(stream, winnowed=False)
        query, postings = self._lookup(prints)
        if postings.shape[0] == 0:
            return []
        files = self._file_ids[postings].astype(np.int64)
        starts = self.index.first_lines[postings].astype(np.int64)
        at = prints.positions[query]
        # Regions compact on both sides: split by query distance first, then by source.
        order = np.lexsort((at, files))
        query, postings, files, starts, at = (
            a[order] for a in (query, postings, files, starts, at)
        )
        segment = np.cumsum(_breaks(files, at, self.thresholds.query_gap)).astype(np.int64)
        order = np.lexsort((starts, segment))
        query, postings, segment, starts = (a[order] for a in (query, postings, segment, starts))
        breaks = _breaks(segment, starts, self.thresholds.region_gap)
        bounds = np.append(np.flatnonzero(breaks), segment.shape[0])
        matches = []
        for lo, hi in itertools.pairwise(bounds.tolist()):
            if hi - lo >= self.thresholds.min_fingerprints:
                match = self._region(stream.profile, prints, query[lo:hi], postings[lo:hi])
                if match is not None:
                    matches.append(match)
        return matches

    def _lookup(self, prints: Fingerprints) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(query fingerprint number, index posting) for each hit on an uncommon hash."""
        lo = np.searchsorted(self._sorted, prints.hashes, "left")
        hi = np.searchsorted(self._sorted, prints.hashes, "right")
        counts = hi - lo
        keep = np.flatnonzero((counts > 0) & (counts <= self.thresholds.max_postings))
        counts = counts[keep]
        total = int(counts.sum())
        query = np.repeat(keep, counts)
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        postings = self._order[np.repeat(lo[keep], counts) + within]
        return query.astype(np.int64), postings.astype(np.int64)

    def _region(
        self,
        profile: str,
        prints: Fingerprints,
        query: npt.NDArray[np.int64],
        postings: npt.NDArray[np.int64],
    ) -> Match | None:
        limits = self.thresholds
        distinct = int(np.unique(postings).shape[0])
        positions = np.unique(prints.positions[query])
        k = self.index.params.k
        covered = int(np.minimum(np.diff(positions), k).sum()) + k
        density = covered / (int(positions[-1] - positions[0]) + k)
        if distinct < limits.min_fingerprints or covered < limits.min_tokens:
            return None
        file_id = int(self._file_ids[postings[0]])
        source_start = int(self.index.first_lines[postings].min())
        source_end = int(self._last_lines[postings].max())
        lo, hi = int(self.index.offsets[file_id]), int(self.index.offsets[file_id + 1])
        lines = self.index.first_lines[lo:hi]
        in_region = int(
            np.searchsorted(lines, source_end, "right") - np.searchsorted(lines, source_start)
        )
        coverage = distinct / max(in_region, distinct)
        if coverage < limits.min_coverage:
            return None
        return Match(
            path=self.index.files[file_id].path,
            source_start=source_start,
            source_end=source_end,
            query_start=int(prints.first_lines[query].min()),
            query_end=int(prints.last_lines[query].max()),
            matched_tokens=covered,
            density=round(density, 3),
            fingerprints=distinct,
            coverage=coverage,
            profile=profile,
        )


IntArray = npt.NDArray[np.int64]


def _breaks(groups: IntArray, values: IntArray, gap: int) -> npt.NDArray[np.bool_]:
    """True where a new cluster starts: a new group, or a jump of more than ``gap``."""
    breaks = np.ones(groups.shape[0], bool)
    breaks[1:] = (np.diff(groups) != 0) | (np.diff(values) > gap)
    return breaks
