"""The strings every match of a pattern must hold, read from the parsed pattern."""

from __future__ import annotations

import re

import pytest

from leakguard.detectors.secrets import _holds
from leakguard.rulepack import builtin_rules
from leakguard.rulereq import keyword_on_first_line, required_strings


@pytest.mark.parametrize(
    ("pattern", "flags", "needs", "folded"),
    [
        (r"ghp_[A-Za-z0-9]{36}", 0, (("ghp_",),), False),
        (r"(?i)token[ \t]*[=:]", 0, ((":", "="), ("token",)), True),
        (r"key\s*=", re.IGNORECASE, (("=",), ("key",)), True),
        (r"(?:abc|xyz)=", 0, (("=",), ("abc", "xyz")), False),
        (r"(?:abc)?\d+", 0, (), False),  # optional parts need nothing
        (r"(?:abc)+\d", 0, (("abc",),), False),
        (r"a\db", 0, (), False),  # single letters narrow nothing
        (r"(?:abc|\d+)x", 0, (), False),  # one alternative needs nothing: the branch neither
        (r"[^=]+", 0, (), False),  # a negated class needs nothing
        (r"AKIA(?=[A-Z0-9]{16})", 0, (("AKIA",),), False),
        (r"(?i:ab)cde", 0, (("cde",),), True),  # a group ends a run; any folding folds all
    ],
)
def test_needs_of_patterns(
    pattern: str, flags: int, needs: tuple[tuple[str, ...], ...], folded: bool
) -> None:
    got, got_folded = required_strings(pattern, flags | re.ASCII)
    assert sorted(got) == sorted(needs)
    assert got_folded == folded


def test_an_unreadable_pattern_needs_nothing() -> None:
    assert required_strings("(", 0) == ((), False)


def test_every_builtin_example_holds_its_rules_needs() -> None:
    # The check is a filter before the regex: it must never turn a real match away.
    checked = 0
    for rule in builtin_rules():
        compiled = re.compile(rule.pattern, rule.flags)
        for sample in rule.examples:
            match = compiled.search(sample)
            assert match is not None, rule.id
            text = match.group(0)
            assert _holds(text.lower() if rule.required_folded else text, rule.required), rule.id
            checked += 1
    assert checked >= 300


def test_holds_needs_one_string_of_every_need() -> None:
    assert _holds("api_key = 'x'", (("key", "token"), ("=", ":")))
    assert not _holds("api_key 'x'", (("key", "token"), ("=", ":")))
    assert _holds("anything", ())


@pytest.mark.parametrize(
    ("pattern", "keywords", "leads"),
    [
        (r"-----BEGIN KEY-----\n[A-Z=\n]+", ("begin key",), True),
        (r"name: \w+\n *value: (\S+)", ("value",), False),  # a line break comes first
        (r"(?:token|secret)\s*=\s*(\S+)", ("token", "secret"), True),
        (r"(?:token|pswd)\s*\n(\S+)", ("token",), False),  # one alternative has no keyword
        (r"\w{0,9}key[ \t]*\n(\S+)", ("key",), True),  # the prefix cannot cross lines
        (r"\s*key\n(\S+)", ("key",), False),  # this one can
    ],
)
def test_keyword_on_first_line(pattern: str, keywords: tuple[str, ...], leads: bool) -> None:
    assert keyword_on_first_line(pattern, re.ASCII | re.IGNORECASE, keywords) is leads


def test_every_keyword_leading_builtin_example_has_a_keyword_on_its_first_line() -> None:
    for rule in builtin_rules():
        if not rule.keyword_leads:
            continue
        match = re.compile(rule.pattern, rule.flags).search(rule.examples[0])
        assert match is not None, rule.id
        first_line = match.group(0).split("\n", 1)[0].lower()
        assert any(k in first_line for k in rule.keywords), rule.id
