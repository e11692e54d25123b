"""The class-byte scans of the PII prefilter find exactly what its regexes find."""

from __future__ import annotations

import random
import sysconfig
from pathlib import Path

import pytest

from leakguard.detectors.pii_prefilter import (
    _CLASSES,
    _DIGITS,
    _IBAN,
    _digit_spans,
    _iban_spans,
)


def _texts() -> list[str]:
    rng = random.Random(5)
    alphabet = "0123456789 \t().:/-AZBQxy\n+#_,"
    made = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 400))) for _ in range(400)]
    made += [
        "DE44 5001 0517 5407 3249 31", "GB82WEST12345698765432", "call +1 (415) 555-0132",
        "AB12 CD34", "ssn 078-05-1120", "x" * 50, "", "1234567", "12:30:45.123456 2024-01-02",
    ]
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in sorted(stdlib.glob("*.py"))[:40]:
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.isascii():
            made.append(text)
    return made


@pytest.mark.parametrize("text", _texts())
def test_class_scans_equal_the_regexes(text: str) -> None:
    classes = text.encode("ascii").translate(_CLASSES)
    assert _digit_spans(text, classes) == [m.span() for m in _DIGITS.finditer(text)]
    assert _iban_spans(text, classes) == [m.span() for m in _IBAN.finditer(text)]


def test_non_ascii_text_takes_the_regexes() -> None:
    text = "Tél. ٠١٢٣٤٥٦٧٨ and DE44500105175407324931 €"
    assert _digit_spans(text, None) == [m.span() for m in _DIGITS.finditer(text)]
    assert _iban_spans(text, None) == [(text.index("DE44"), text.index("DE44") + 8)]
