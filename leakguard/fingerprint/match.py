"""Query text against an index: fingerprint it the same way, look up, cluster, measure.

Hits (a query fingerprint found at a source fingerprint) are grouped by source file and
then into regions: a new region starts where consecutive hits are more than
``region_gap`` source lines (or ``query_gap`` query tokens) apart. A region is reported
when it is dense (``min_coverage``: the share of the source region's fingerprints seen
in the query; ``shape_coverage`` when no string literal or attribute name matched, only
the shape of the code; ``worded_coverage`` for a specific match holding words) and
either long and in order (``min_tokens`` tokens under matched k-grams, and
``min_fingerprints`` source fingerprints that the query holds in the order the source
has them: a few hits in order are rarely chance, more scattered ones often are; the
region is then that ordered chain, not every posting of a k-gram the file repeats, or
where that chain hops between copies of code the file repeats, the longest chain within
a stretch of source as long as the query, held to ``compact_coverage``; a chain of
``dense_fingerprints`` will do when it holds ``dense_coverage`` of a region of
``dense_lines`` or more: a short region copied whole, like a constructor) or
specific (``min_informative``, or ``worded_informative`` when a string literal or
docstring is among the evidence: what matched string literals, attribute names, long
numbers and items tell, items being imported modules and names, pairs of neighbouring
literals and docstrings, see ``imports`` and ``docstrings``: a list of names, a table
of messages, an import block, a class and its docstrings; few tokens, each one telling,
a literal or docstring more the more words it holds). Hashes that occur in more than
``max_postings`` places in the index (several files, or one file over and over, like a
run of one-line getters) are idioms and never count; an item may occur in up to
``item_postings``.

The defaults were chosen on bench/fingerprint.py (the standard library) and checked on
bench/fingerprint_heldout.py (third-party packages): false positives at most 0.5% on
both (bench/results/fingerprint.txt).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leakguard.fingerprint.gutter import without_gutters
from leakguard.fingerprint.index import FingerprintIndex
from leakguard.fingerprint.lexers import Lexers
from leakguard.fingerprint.normalize import ITEM_TELLING, TokenStream, telling
from leakguard.fingerprint.winnow import Fingerprints, Hasher

_FEWEST = 2  # fingerprints in any region that can be reported
_COMPACT_HITS, _COMPACT_STARTS = 512, 64  # bounds on the search for a compact chain


@dataclass(frozen=True)
class Thresholds:
    """When a cluster of hits is a match; the policy may override each."""

    min_tokens: int = 26
    min_fingerprints: int = 6  # found in the order the source has them
    # A shorter chain that holds nearly all of its region: on three index keys, 5 at 0.8
    # found 1.1 points more stdlib and 2.6 more held-out 10-line snippets with no more
    # false positives on either bench; at 0.7 two more stdlib files were flagged, and
    # chains of 4 flagged two held-out files.
    dense_fingerprints: int = 5
    dense_coverage: float = 0.8
    # ... over 4 source lines or more: one long statement (a call with many arguments)
    # is shared by unrelated code more often; at 4, no snippet found was lost and one
    # JDK file less was flagged.
    dense_lines: int = 4
    # A chain found by trying windows of the source (``_compact_chain``) must be denser
    # than one region's: of many windows, some are dense enough by chance. At 0.5 no
    # snippet found was lost on ten keys and one Perl file less was flagged.
    compact_coverage: float = 0.5
    min_coverage: float = 0.3
    shape_coverage: float = 0.4  # the bar when no literal or attribute name matched
    min_informative: int = 10
    worded_informative: int = 6  # the bar when a string literal or docstring matched
    worded_coverage: float = 0.2  # min_coverage for such a specific match
    # 8, not 4: with one index key on both benches, 8 found 0.7 points more held-out
    # 10-line snippets at the same false positives, and on an index 20 times larger it
    # won back 1.4 of the 3.6 points that repeated k-grams of a big code base cost.
    max_postings: int = 8
    # An import item that many files share still tells which package (or, with others,
    # which file) a block of imports came from; clustering by file sorts it out.
    item_postings: int = 32
    region_gap: int = 12
    query_gap: int = 48  # query tokens between hits still in one region

    @property
    def shortest_chain(self) -> int:
        """The fewest fingerprints in order that can make a shape match."""
        return min(self.min_fingerprints, self.dense_fingerprints)

    @classmethod
    def from_policy(cls, similarity: float, min_matches: int) -> Thresholds:
        """The policy's `proprietary.similarity` and `proprietary.min_matches`."""
        return cls(min_coverage=similarity, worded_coverage=similarity * 2 / 3,
                   min_fingerprints=min_matches, dense_fingerprints=max(min_matches - 1, 1))


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
    informative: int = 0  # what matched literals, attribute names and items tell

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

    def match(
        self, text: str, profiles: Sequence[str] | None = None, fenced: bool = True
    ) -> list[Match]:
        """Matches of ``text`` lexed with each profile (default: every profile indexed);
        ``fenced=False`` for the text of a source file (see ``Tokenizer.tokenize``). A
        prompt may also hold files read with a line-number gutter (``gutter``)."""
        if fenced:
            text = without_gutters(text)
        found: dict[tuple[str, int, int, int], Match] = {}
        for profile in profiles if profiles is not None else self.index.profiles:
            for match in self.match_stream(self._lexers.tokenize(profile, text, fenced)):
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
        # What the tokens before each position tell: all of them, and the string
        # literals that hold words alone (not numbers, not attribute names).
        told = telling(stream)
        rich = np.zeros((2, len(stream) + 1), np.int64)
        np.cumsum(told, out=rich[0, 1:])
        if stream.worded is not None:
            np.cumsum(np.where(stream.worded, told, 0), out=rich[1, 1:])
        least = min(self.thresholds.min_fingerprints, _FEWEST)
        matches = []
        for lo, hi in itertools.pairwise(bounds.tolist()):
            if hi - lo >= least:
                match = self._region(stream.profile, prints, rich, query[lo:hi], postings[lo:hi])
                if match is not None:
                    matches.append(match)
        return matches

    def _lookup(self, prints: Fingerprints) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        """(query fingerprint number, index posting) for each hit on an uncommon hash."""
        lo = np.searchsorted(self._sorted, prints.hashes, "left")
        hi = np.searchsorted(self._sorted, prints.hashes, "right")
        counts = hi - lo
        limit = np.full(counts.shape[0], self.thresholds.max_postings)
        limit[prints.kgrams if prints.kgrams >= 0 else len(prints) :] = (
            self.thresholds.item_postings
        )
        keep = np.flatnonzero((counts > 0) & (counts <= limit))
        counts = counts[keep]
        total = int(counts.sum())
        query = np.repeat(keep, counts)
        within = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        postings = self._order[np.repeat(lo[keep], counts) + within]
        return query.astype(np.int64), postings.astype(np.int64)

    def _chain(self, query: IntArray, postings: IntArray, lo: int, hi: int) -> _Hits:
        """A chain of hits, measured against its file's fingerprints (``lo:hi`` in the
        index): each of its postings is one fingerprint of the region."""
        start = int(self.index.first_lines[postings].min())
        end = int(self._last_lines[postings].max())
        inside = (self.index.first_lines[lo:hi] >= start) & (self._last_lines[lo:hi] <= end)
        found = int(postings.shape[0])
        return _Hits(query, postings, start, end, found / max(int(inside.sum()), found))

    def _dense_enough(self, chain: _Hits, bar: float) -> bool:
        """A chain of ``min_fingerprints`` needs ``bar``; a shorter one ``dense_coverage``
        over ``dense_lines``."""
        limits = self.thresholds
        if len(chain) < limits.shortest_chain:
            return False
        if len(chain) >= limits.min_fingerprints:
            return chain.coverage >= bar
        return chain.lines >= limits.dense_lines and chain.coverage >= max(
            bar, limits.dense_coverage
        )

    def _compact_chain(
        self, prints: Fingerprints, query: IntArray, postings: IntArray, lo: int, hi: int,
        bar: float,
    ) -> _Hits | None:
        """The longest chain dense enough for ``bar`` among hits in a stretch of source
        lines as long as the query's stretch (plus ``region_gap``), starting at each hit's
        line: a stretch that starts a few lines early may take in the end of another
        copy. A region of many hits costs a bounded time (a scan has a deadline): at most
        _COMPACT_HITS hits, and _COMPACT_STARTS starts spread over the lines."""
        if postings.shape[0] > _COMPACT_HITS:
            return None  # a long chain of this many hits, if any, was the one above
        lines = self.index.first_lines[postings]
        at = prints.positions[query]
        width = int(prints.last_lines[query].max() - prints.first_lines[query].min())
        width += self.thresholds.region_gap
        starts = np.unique(lines)
        if starts.shape[0] > _COMPACT_STARTS:
            starts = starts[np.linspace(0, starts.shape[0] - 1, _COMPACT_STARTS).astype(int)]
        best: _Hits | None = None
        for first in starts.tolist():
            window = np.flatnonzero((lines >= first) & (lines <= first + width))
            if best is not None and window.shape[0] <= len(best):
                continue  # cannot hold a longer chain
            hits = window[_in_order(at[window], postings[window])]
            chain = self._chain(query[hits], postings[hits], lo, hi)
            if self._dense_enough(chain, bar) and (best is None or len(chain) > len(best)):
                best = chain
        return best

    def _region(
        self,
        profile: str,
        prints: Fingerprints,
        rich: npt.NDArray[np.int64],
        query: npt.NDArray[np.int64],
        postings: npt.NDArray[np.int64],
    ) -> Match | None:
        all_query, all_postings = query, postings
        limits = self.thresholds
        distinct = int(np.unique(postings).shape[0])
        # Items (imported names, pairs of literals, docstrings: after the k-grams in
        # ``prints``) are informative, each distinct one worth ITEM_TELLING (a docstring
        # more); they have no length or order.
        first_item = prints.kgrams if prints.kgrams >= 0 else len(prints)
        item = query >= first_item
        named_at = np.unique(query[item])
        _, once = np.unique(prints.hashes[named_at], return_index=True)
        prose = 0  # what docstrings tell (the items that tell more than ITEM_TELLING)
        if prints.item_tells is None:
            named = ITEM_TELLING * int(once.shape[0])
        else:
            tells = prints.item_tells[named_at[once] - first_item]
            named = int(tells.sum())
            prose = int(tells[tells > ITEM_TELLING].sum())
        query, postings = query[~item], postings[~item]
        covered = telling = worded = 0
        density = 0.0
        if query.shape[0]:
            # Text repeated in the query is no more evidence than one copy of it: each
            # k-gram counts once (ten pasted `__main__` blocks are not ten literals).
            _, once = np.unique(prints.hashes[query], return_index=True)
            positions = np.unique(prints.positions[query[once]])
            k = self.index.params.k
            covered = int(np.minimum(np.diff(positions), k).sum()) + k
            # Tokens under matched k-grams, each counted once: from each k-gram's start
            # to the next one's (or its own end).
            ends = np.minimum(positions + k, np.append(positions[1:], positions[-1] + k))
            telling, worded = (int(n) for n in (rich[:, ends] - rich[:, positions]).sum(axis=1))
            density = covered / (int(positions[-1] - positions[0]) + k)
        # Evidence that holds the code's own words (a string literal, a docstring) clears
        # a lower bar than names and numbers alone: import blocks, attribute chains
        # (``java.io.Serial``) and tables of bit flags are shared by the files of one code
        # base far more often than a message is.
        enough = limits.min_informative if worded + prose == 0 else limits.worded_informative
        telling += named
        specific = distinct >= _FEWEST and telling >= enough
        shaped = int(np.unique(postings).shape[0])
        long = shaped >= limits.shortest_chain and covered >= limits.min_tokens
        if not specific and not long:
            return None
        file_id = int(self._file_ids[all_postings[0]])
        lo, hi = int(self.index.offsets[file_id]), int(self.index.offsets[file_id + 1])
        # A match of shape alone (identifiers and numbers are classes) must be denser:
        # runs of calls like `forward(90)` or comparison methods repeat everywhere.
        bar = limits.min_coverage if telling else max(limits.min_coverage, limits.shape_coverage)
        found: _Hits | None = None
        if specific:  # every hit, items too, tells where
            source_start = int(self.index.first_lines[all_postings].min())
            source_end = int(self._last_lines[all_postings].max())
            lines = self.index.first_lines[lo:hi]
            in_region = int(
                np.searchsorted(lines, source_end, "right") - np.searchsorted(lines, source_start)
            )
            # Words found spread over a region (a message, then a docstring a dozen lines
            # on) are the region's own text, sparse as the hits around them may be.
            specific_bar = limits.worded_coverage if worded + prose else bar
            coverage = distinct / max(in_region, distinct)
            if coverage >= specific_bar:
                found = _Hits(all_query, all_postings, source_start, source_end, coverage)
        if found is None and long:
            # A shape match is the ordered chain: a repeated k-gram's other postings in the
            # file would stretch the region over code the query does not hold (so would
            # the hits of a specific match that the file's repeats spread too thin).
            chain = _in_order(prints.positions[query], postings)
            found = self._chain(query[chain], postings[chain], lo, hi)
            if not self._dense_enough(found, bar):
                # The longest chain may hop between copies of code the file repeats (four
                # near-identical functions) and sprawl over all of them; the query's own
                # copy is a chain within a stretch of source as long as the query.
                found = self._compact_chain(
                    prints, query, postings, lo, hi, max(bar, limits.compact_coverage)
                )
        if found is None:
            return None
        query, postings, coverage = found.query, found.postings, found.coverage
        source_start, source_end = found.first_line, found.last_line
        distinct = int(np.unique(postings).shape[0])
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
            informative=telling,
        )


IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class _Hits:
    """The hits a match reports (every hit of a specific match, or a chain in the
    order the source has them, ``_in_order``), the source lines they span, and the
    share of those lines' fingerprints they are."""

    query: IntArray
    postings: IntArray
    first_line: int
    last_line: int
    coverage: float

    def __len__(self) -> int:
        return int(self.postings.shape[0])

    @property
    def lines(self) -> int:
        return self.last_line - self.first_line + 1


def _in_order(at: IntArray, postings: IntArray) -> IntArray:
    """Which hits (indices into ``at`` and ``postings``) hold source fingerprints in the
    source's order: the longest chain rising in both (postings of a file are in token
    order). Copied code keeps its order under renaming, reformatting and embedding;
    idioms that two unrelated files share one by one seldom line up."""
    order = np.lexsort((-postings, at))  # one posting per query position in a chain
    seen = postings[order].tolist()
    tails: list[int] = []  # the smallest last posting of a chain of each length
    ends: list[int] = []  # where (in ``seen``) that chain ends
    before = [-1] * len(seen)  # the element before each one in its chain
    for i, posting in enumerate(seen):
        slot = bisect.bisect_left(tails, posting)
        if slot:
            before[i] = ends[slot - 1]
        if slot == len(tails):
            tails.append(posting)
            ends.append(i)
        else:
            tails[slot], ends[slot] = posting, i
    chain: list[int] = []
    i = ends[-1] if ends else -1
    while i >= 0:
        chain.append(i)
        i = before[i]
    return np.asarray(order[chain[::-1]], np.int64)


def _breaks(groups: IntArray, values: IntArray, gap: int) -> npt.NDArray[np.bool_]:
    """True where a new cluster starts: a new group, or a jump of more than ``gap``."""
    breaks = np.ones(groups.shape[0], bool)
    breaks[1:] = (np.diff(groups) != 0) | (np.diff(values) > gap)
    return breaks
