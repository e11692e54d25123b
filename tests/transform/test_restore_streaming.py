"""Streaming restore: holds back only what may still become a known placeholder,
writes values back encoded (JSON-escaped inside JSON text), and finds placeholders
exactly as an alternation of the vault's names would."""

from __future__ import annotations

import itertools
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.transform.restore import Matcher, StreamingRestorer, known_pattern, restore
from leakguard.transform.vault import Vault


def json_escape(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)[1:-1]


def sample_vault() -> Vault:
    vault = Vault("a3f9")
    vault.placeholder_for('say "hi"\\now ✓', "SECRET")  # SECRET_1_a3f9
    vault.placeholder_for("jane@acme-corp.com", "EMAIL")  # EMAIL_1_a3f9
    for number in range(12):  # IP_1 .. IP_12: IP_1_a3f9 is no prefix of IP_11_a3f9
        vault.placeholder_for(f"10.0.0.{number}", "IP")
    return vault


HOLDS = [
    ("plain text ", "plain text ", ""),
    ("ends with EMAIL_", "ends with ", "EMAIL_"),
    ("ends with EMAIL_2", "ends with EMAIL_2", ""),  # no known placeholder starts so
    ("ends with IP_1", "ends with ", "IP_1"),
    ("ends with IP_1_a3f", "ends with ", "IP_1_a3f"),
    ("glued xIP_1_a3f9", "glued x10.0.0.0", ""),
    ("lower-case email_", "lower-case email_", ""),
    ("IP_12_a3f9 IP_1_a3f9IP_2_a3f9", "10.0.0.11 10.0.0.010.0.0.1", ""),
    ("ends with S", "ends with ", "S"),
    ("ends with X", "ends with X", ""),
]


def test_only_a_possible_placeholder_prefix_is_held() -> None:
    vault = sample_vault()
    for chunk, sent, held in HOLDS:
        restorer = StreamingRestorer(vault)
        assert (restorer.feed(chunk), restorer.pending) == (sent, bool(held)), chunk
        assert restorer.finish() == restore(held, vault).text


def test_values_are_encoded_where_they_are_put_back() -> None:
    vault = sample_vault()
    restorer = StreamingRestorer(vault, json_escape)
    text = '{"cmd": "echo SECRET_1_a3f9", "to": "EMAIL_1_a3f9"}'
    out = "".join(restorer.feed(c) for c in text) + restorer.finish()
    assert json.loads(out) == {"cmd": 'echo say "hi"\\now ✓', "to": "jane@acme-corp.com"}
    assert restorer.restored == 2


PIECES = st.sampled_from([
    "SECRET_1_a3f9", "EMAIL_1_a3f9", "IP_1_a3f9", "IP_11_a3f9", "IP_12_a3f9", "IP_1",
    "IP_", "_a3f9", "EMAIL_9_a3f9", "SECRET_", "x", "X", " ", '"', "\\", "é",
]) | st.text(max_size=5)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PIECES, max_size=30), cuts=st.lists(st.integers(0, 300), max_size=15))
def test_encoded_stream_equals_encoded_whole(parts: list[str], cuts: list[int]) -> None:
    vault = sample_vault()
    text = "".join(parts)
    restorer = StreamingRestorer(vault, json_escape)
    points = sorted({0, *[c for c in cuts if c < len(text)], len(text)})
    out = "".join(restorer.feed(text[a:b]) for a, b in itertools.pairwise(points))
    out += restorer.finish()
    expected, count = Matcher(vault).sub(text, json_escape)
    assert out == expected
    assert restorer.restored == count


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(PIECES, max_size=30))
def test_matcher_finds_what_the_alternation_finds(parts: list[str]) -> None:
    vault = sample_vault()
    text = "".join(parts)
    pattern = known_pattern(vault)
    assert isinstance(pattern, re.Pattern)
    assert Matcher(vault).spans(text) == [m.span() for m in pattern.finditer(text)]


def test_an_empty_vault_restores_nothing_and_holds_nothing() -> None:
    restorer = StreamingRestorer(Vault("a3f9"))
    assert restorer.feed("IP_1_a3f9 S") == "IP_1_a3f9 S"
    assert restorer.finish() == ""
