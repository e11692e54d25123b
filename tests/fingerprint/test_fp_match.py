"""Matching real code: snippets of indexed stdlib modules are found after every
transformation; unrelated code and boilerplate are not."""

from __future__ import annotations

import functools
import random
from pathlib import Path

import numpy as np
import pytest
from fp_corpus import STDLIB, UNRELATED
from fp_transforms import TRANSFORMS, embed, pick_snippets

from leakguard.fingerprint import match as match_module
from leakguard.fingerprint.build import build
from leakguard.fingerprint.index import FingerprintIndex
from leakguard.fingerprint.match import Matcher, Thresholds, _in_order


@pytest.fixture(scope="module")
def matcher(stdlib_index: tuple[FingerprintIndex, Path]) -> Matcher:
    return Matcher(stdlib_index[0])


@functools.cache
def snippets(index: FingerprintIndex, length: int, count: int) -> list:  # type: ignore[type-arg]
    rng = random.Random(length)
    found = []
    for entry in sorted(index.files, key=lambda f: f.path):
        text = (STDLIB / entry.path).read_text(encoding="utf-8")
        found += pick_snippets(entry.path, text, length, 1, rng)
    return rng.sample(found, min(count, len(found)))


def hits(matcher: Matcher, text: str, path: str, start: int, length: int) -> bool:
    return any(
        m.path == path and m.source_start <= start + length and m.source_end >= start
        for m in matcher.match(text)
    )


@pytest.mark.parametrize("length", [10, 20, 40])
@pytest.mark.parametrize("transform", [*TRANSFORMS, "embedded"])
def test_snippets_are_found(matcher: Matcher, length: int, transform: str) -> None:
    rng = random.Random(5)
    host = (STDLIB / UNRELATED[0]).read_text(encoding="utf-8")
    picked = snippets(matcher.index, length, 12)
    found = 0
    for snippet in picked:
        if transform == "embedded":
            text = embed(snippet.text, host, rng)
        else:
            text = TRANSFORMS[transform](snippet, rng)
        found += hits(matcher, text, snippet.path, snippet.start, length)
    # The benchmark measures recall on hundreds of snippets; here a floor on a dozen.
    # Ten lines are often under 30 normalized tokens, some mostly idioms left out of
    # the index (bench/results/fingerprint.txt: about 80%); their floor is lower.
    assert found >= (len(picked) * 2 // 3 if length == 10 else len(picked) - 1)


def test_a_match_names_file_lines_and_share(matcher: Matcher) -> None:
    source = (STDLIB / "textwrap.py").read_text(encoding="utf-8").splitlines(keepends=True)
    text = "Please review:\n\n```python\n" + "".join(source[204:244]) + "```\n"
    [match] = matcher.match(text)
    assert match.path == "textwrap.py"
    # A k-gram may begin with the last token of the line before (here the ":" that ends
    # "Please review:" and the def on line 197): the match can reach back that far.
    assert 197 <= match.source_start <= 208 and 225 <= match.source_end <= 245
    assert 1 <= match.query_start <= 6 and match.query_end >= 28
    assert match.coverage > 0.8
    assert match.describe().startswith("matches textwrap.py:")


def test_a_list_of_names_is_found_by_its_string_literals(matcher: Matcher) -> None:
    """Twelve names in quotes, one a line, are twelve tokens: a single k-gram, were a
    literal not counted as two. Each one is specific, so a few fingerprints suffice."""
    source = (STDLIB / "statistics.py").read_text(encoding="utf-8")
    start = source.index("__all__ = [")
    names = "".join(source[start:].splitlines(keepends=True)[1:13])
    text = f"Which of these are deprecated?\n\n{names}\n"
    [match] = matcher.match(text)
    # Too short to be found by its k-grams' length and order: its literals find it.
    assert match.path == "statistics.py" and match.matched_tokens < Thresholds().min_tokens
    assert match.informative >= 10 and match.query_end - match.query_start >= 8
    # Shuffled, the same names say nothing about the module.
    shuffled = "\n".join(sorted(names.splitlines(), reverse=True))
    assert matcher.match(f"names = [\n{shuffled}\n]\n") == []


@pytest.mark.parametrize("name", UNRELATED)
def test_unrelated_modules_do_not_match(matcher: Matcher, name: str) -> None:
    path = STDLIB / name
    if not path.is_file():
        pytest.skip(f"{name} not in this Python")
    assert matcher.match(path.read_text(encoding="utf-8")) == []


LICENSE = "".join(
    f"# {line}\n"
    for line in (
        "Licensed under the Apache License, Version 2.0 (the \"License\");",
        "you may not use this file except in compliance with the License.",
        "You may obtain a copy of the License at",
        "    http://www.apache.org/licenses/LICENSE-2.0",
        "Unless required by applicable law or agreed to in writing, software",
        "distributed under the License is distributed on an \"AS IS\" BASIS,",
    )
)
MAIN = 'if __name__ == "__main__":\n    import sys\n    sys.exit(main(sys.argv[1:]))\n'
GENERATED = "".join(
    f"FIELD_{n} = _descriptor.FieldDescriptor(name='field_{n}', index={n}, number={n + 1},"
    f" type=9, cpp_type=9, label=1, has_default_value=False, default_value=b'')\n"
    for n in range(200)
)
DATACLASS = "".join(
    f"class Model{n}:\n    def __init__(self, a, b):\n        self.a = a\n        self.b = b\n\n"
    f"    def __repr__(self):\n        return f'Model{n}({{self.a!r}}, {{self.b!r}})'\n\n"
    for n in range(30)
)


@pytest.mark.parametrize("text", [LICENSE, MAIN, GENERATED, DATACLASS, LICENSE + MAIN * 5])
def test_boilerplate_and_generated_code_do_not_match(matcher: Matcher, text: str) -> None:
    assert matcher.match(text) == []


def test_hits_count_only_in_the_order_the_source_has_them() -> None:
    at = np.array([0, 5, 9, 14, 20, 26], np.int64)  # query positions
    assert _in_order(at, np.array([3, 4, 7, 8, 11, 12], np.int64)).tolist() == [0, 1, 2, 3, 4, 5]
    assert len(_in_order(at, np.array([12, 11, 8, 7, 4, 3], np.int64))) == 1  # reversed
    # One query k-gram hitting several postings extends a chain at most once.
    chain = _in_order(np.array([0, 0, 0, 5], np.int64), np.array([1, 2, 3, 4], np.int64))
    assert len(chain) == 2 and chain[-1] == 3
    # A stray posting out of order is left out of the chain (and of the region).
    postings = np.array([3, 4, 90, 7, 8, 11], np.int64)
    assert postings[_in_order(at, postings)].tolist() == [3, 4, 7, 8, 11]
    assert len(_in_order(at[:0], postings[:0])) == 0


def test_a_snippet_with_its_statements_reversed_is_not_a_copy(matcher: Matcher) -> None:
    lines = (STDLIB / "textwrap.py").read_text(encoding="utf-8").splitlines(keepends=True)
    body = [line for line in lines[204:244] if line.strip()]
    assert hits(matcher, "".join(body), "textwrap.py", 205, 40)
    flat = [line.strip() + "\n" for line in body]
    assert not hits(matcher, "".join(reversed(flat)), "textwrap.py", 205, 40)


def test_text_repeated_in_the_query_counts_once(matcher: Matcher) -> None:
    block = 'if __name__ == "__main__":\n    import sys\n    sys.exit(main())\n\n'
    assert matcher.match(block * 20) == []


def test_a_short_region_copied_whole_needs_one_fingerprint_fewer(
    stdlib_index: tuple[FingerprintIndex, Path],
) -> None:
    # The first six lines of heapq's _siftup hold 5 of this index's fingerprints (its
    # key decides which): too few for min_fingerprints (6), but all of the region's.
    lines = (STDLIB / "heapq.py").read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines, 1) if line.startswith("def _siftup("))
    text = "".join(lines[start - 1 : start + 5])
    for old, new in (("_siftup", "bubble"), ("heap", "items"), ("endpos", "stop"),
                     ("startpos", "first"), ("newitem", "moving"), ("childpos", "kid")):
        text = text.replace(old, new)
    index = stdlib_index[0]

    def found(thresholds: Thresholds) -> list[str]:
        return [m.describe() for m in Matcher(index, thresholds).match(text)
                if m.path == "heapq.py"]

    [match] = Matcher(index).match(text)
    assert match.path == "heapq.py" and match.source_start == start
    assert match.fingerprints == 5 and match.informative == 0 and match.coverage >= 0.8
    assert found(Thresholds(dense_coverage=1.01)) == []  # a sparser chain of 5 is not
    assert found(Thresholds(dense_fingerprints=6)) == []
    # The policy's min_matches moves both counts.
    assert Thresholds.from_policy(0.3, 8).dense_fingerprints == 7
    assert found(Thresholds.from_policy(0.3, 6)) == [match.describe()]
    assert found(Thresholds.from_policy(0.3, 7)) == []


def test_code_a_file_repeats_is_found_at_its_own_copy(
    stdlib_index: tuple[FingerprintIndex, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # heapq's nsmallest and nlargest hold the same loop twice each (with and without a
    # key): the longest ordered chain of a snippet's hits hops between the copies and
    # spans too much code to be dense. The chain within a stretch of source as long as
    # the snippet is the snippet's own copy.
    lines = (STDLIB / "heapq.py").read_text(encoding="utf-8").splitlines(keepends=True)
    nsmallest, nlargest = (
        next(n for n, line in enumerate(lines, 1) if line.startswith(f"def {name}("))
        for name in ("nsmallest", "nlargest")
    )
    start = 1 + next(  # in nsmallest, after the heap of keyed items is made
        n for n in range(nsmallest, nlargest)
        if lines[n - 1].strip() == "_heapify_max(result)" and "key(" in "".join(lines[n : n + 6])
    )
    text = "".join(lines[start - 1 : start + 9])
    for old, new in (("result", "best"), ("elem", "item"), ("order", "rank"), ("top", "cut")):
        text = text.replace(old, new)
    index = stdlib_index[0]

    def found(thresholds: Thresholds) -> list[tuple[int, int]]:
        return [(m.source_start, m.source_end) for m in Matcher(index, thresholds).match(text)
                if m.path == "heapq.py" and m.source_start <= start + 10
                and m.source_end >= start]

    [(first, last)] = found(Thresholds())
    assert start - 2 <= first and last <= start + 10 < nlargest
    assert found(Thresholds(compact_coverage=1.01)) == []
    # The search is bounded (a scan has a deadline): past _COMPACT_HITS hits in a
    # region it is not tried.
    monkeypatch.setattr(match_module, "_COMPACT_HITS", 8)
    assert found(Thresholds()) == []


COPIED = '''def copy_{n}(source, target):
    handle = source.open_reader(target.location)
    payload = handle.read_block(source.block_size)
    target.write_block(payload, handle.position)
    handle.close_reader(source.flush_mode, target.sync_mode)
    return target.finish_copy(payload)
def pad_{n}():
{filler}    return 0
'''


def test_a_specific_match_spread_thin_by_repeats_falls_back_to_the_ordered_chain(
    tmp_path: Path,
) -> None:
    # A file holding one function three times, a few lines of other code between: the
    # hits of a copy's attribute names (specific evidence) land on all three, and over
    # the whole stretch they are too sparse. The ordered chain is one copy, dense.
    filler = "".join(
        f"    t{i} = (a{i} + b{i}) * c{i} - [d{i} / e{i} for x in range(f{i})][{i} % 3]"
        f" + g{i}(h{i}, j{i}) ** k{i}\n"
        for i in range(5)
    )
    copies = [COPIED.format(n=n, filler=filler) for n in range(3)]
    (tmp_path / "mod.py").write_text("".join(copies), encoding="utf-8")
    index = build(["mod.py"], base=tmp_path, key=b"fallback-test" * 3)[0]
    query = copies[0].split("def pad_")[0].replace("handle", "h").replace("payload", "p")
    [match] = Matcher(index).match(query)
    starts = [1 + sum(c.count("\n") for c in copies[:n]) for n in range(3)]
    assert match.path == "mod.py" and match.source_start in starts
    assert match.region_lines == 6 and match.coverage >= 0.9
    # Without the chain (out of reach) the specific evidence alone is not a match.
    assert Matcher(index, Thresholds(min_fingerprints=99, dense_fingerprints=99)).match(
        query
    ) == []
