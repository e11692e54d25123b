"""Files read by an AI tool arrive with a line-number gutter; the index has none."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fp_corpus import STDLIB

from leakguard.detectors.proprietary import ProprietaryDetector
from leakguard.fingerprint.build import build
from leakguard.fingerprint.gutter import without_gutters
from leakguard.fingerprint.match import Matcher
from leakguard.models import Fragment
from leakguard.proxy.inspection import SEPARATOR

SOURCE = (STDLIB / "textwrap.py").read_text(encoding="utf-8")
LINES = SOURCE.splitlines()
FIRST, LAST = 205, 244  # TextWrapper._wrap_chunks and around


def read_tool(first: int, last: int) -> str:
    """As Claude Code's Read answers: "N<TAB>line"."""
    return "".join(f"{n}\t{LINES[n - 1]}\n" for n in range(first, last + 1))


def cat_n_arrow(first: int, last: int) -> str:
    """As older Claude Code versions answered: right-aligned number, then an arrow."""
    return "".join(f"{n:>6}\u2192{LINES[n - 1]}\n" for n in range(first, last + 1))


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    base = tmp_path_factory.mktemp("src")
    (base / "textwrap.py").write_text(SOURCE, encoding="utf-8")
    return Matcher(build(["textwrap.py"], base=base)[0])


def test_gutters_are_cut_and_lines_kept() -> None:
    text = "Here is the file:\n   12\tdef f(x):\n   13\t    return x\n    14\u2192y = 1\n"
    assert without_gutters(text) == "Here is the file:\ndef f(x):\n    return x\ny = 1\n"
    # Not a gutter: a dict entry, a table row, a number inside a line, a tab-indented line.
    kept = '    1: "one",\n2 | two\nx = 12\ty\n\tindent\n'
    assert without_gutters(kept) == kept


@pytest.mark.parametrize("shape", [read_tool, cat_n_arrow])
def test_a_file_read_with_a_gutter_is_found(
    matcher: Matcher, shape: Callable[[int, int], str]
) -> None:
    prompt = "Explain this code.\n" + shape(FIRST, LAST) + "Thanks\n"
    [match] = matcher.match(prompt)
    assert match.path == "textwrap.py"
    assert match.source_start >= FIRST and match.source_end <= LAST
    # Query lines count the prompt's own lines (the gutter was cut, not the lines).
    assert match.query_start - 1 == match.source_start - FIRST + 1


def test_a_proxied_request_holding_a_read_result(matcher: Matcher) -> None:
    detector = ProprietaryDetector(matcher)
    # The proxy scans a request's texts joined by its separator, as one "request".
    text = "Refactor the wrapper." + SEPARATOR + read_tool(FIRST, LAST)
    [finding] = detector.detect(Fragment(text=text, path="request", kind="proxy"))
    assert finding.message.startswith("matches textwrap.py:")
    assert finding.value in text and LINES[FIRST + 5] in finding.value

