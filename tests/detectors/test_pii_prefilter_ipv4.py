"""The fast dotted-quad finder gives exactly the spans of the plain regex."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.detectors.pii_prefilter import _IPV4, ipv4_spans


@settings(max_examples=3000)
@given(st.text(alphabet="0123456789.. ab\n:²٣", max_size=60))
def test_ipv4_spans_match_the_plain_regex(text: str) -> None:
    assert ipv4_spans(text) == [m.span() for m in _IPV4.finditer(text)]


def test_ipv4_spans_examples() -> None:
    text = "a 10.0.0.1 b 1234.5.6.7 c 1.2.3.4.5 d 192.168.001.200x"
    assert [text[s:e] for s, e in ipv4_spans(text)] == ["10.0.0.1", "1.2.3.4", "192.168.001.200"]
