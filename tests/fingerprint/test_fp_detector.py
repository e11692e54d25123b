"""The proprietary detector: findings that locate the copy and name the source, not the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from fp_corpus import STDLIB

from leakguard.detectors.proprietary import RULE_ID, ProprietaryDetector
from leakguard.errors import ConfigError
from leakguard.fingerprint.index import FingerprintIndex
from leakguard.fingerprint.match import Matcher
from leakguard.models import Category, Fragment


@pytest.fixture(scope="module")
def detector(stdlib_index: tuple[FingerprintIndex, Path]) -> ProprietaryDetector:
    return ProprietaryDetector(Matcher(stdlib_index[0]))


def excerpt(name: str, first: int, last: int) -> str:
    lines = (STDLIB / name).read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(lines[first - 1 : last])


def test_a_copied_function_in_a_prompt(detector: ProprietaryDetector) -> None:
    code = excerpt("shlex.py", 133, 190)
    text = "Why does this loop forever?\n\n" + code + "\nThanks!\n"
    [finding] = detector.detect(Fragment(text=text, path="-", kind="stdin"))
    assert finding.rule_id == RULE_ID and finding.category is Category.PROPRIETARY
    assert finding.message.startswith("matches shlex.py:")
    assert "% of a " in finding.message
    assert finding.line >= 3 and finding.end_line <= 3 + 58
    assert text[finding.start : finding.end] == finding.value
    assert finding.value in code
    assert "shlex.py" in finding.masked and finding.value not in finding.masked
    assert finding.context == ""
    assert finding.fingerprint.startswith("sha256:")


def test_fragment_offsets_and_diff_lines(detector: ProprietaryDetector) -> None:
    code = excerpt("textwrap.py", 205, 245)
    fragment = Fragment(text=code, path="src/wrap.py", line_start=100)
    [finding] = detector.detect(fragment)
    assert 100 <= finding.line <= 103
    assert detector.detect(Fragment(text=code, path="src/wrap.py", lines=frozenset({500}))) == []


def test_same_match_same_fingerprint_wherever_it_appears(detector: ProprietaryDetector) -> None:
    code = excerpt("heapq.py", 260, 300)
    one = detector.detect(Fragment(text=code, path="a.py"))
    two = detector.detect(Fragment(text="x = 1\n" * 30 + code, path="b.py"))
    assert [f.fingerprint for f in one] == [f.fingerprint for f in two] != []


def test_clean_text_has_no_findings(detector: ProprietaryDetector) -> None:
    text = "Please write a function that adds two numbers.\n\ndef add(a, b):\n    return a + b\n"
    assert detector.detect(Fragment(text=text, path="-")) == []
    assert detector.detect(Fragment(text="", path="-")) == []


def test_a_missing_index_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        ProprietaryDetector.from_index(tmp_path / "nope")
