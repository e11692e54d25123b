"""Phone numbers in a digit run: valid for a region and grouped the way that region
writes them. Used by the PII detector's phone recognizer on short runs only (running
python-phonenumbers' matcher over whole windows for eight regions was the slow part).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from leakguard.lazyre import lazy_compile

PHONE_RUN = lazy_compile(r"[+(]?\d[\d \t().-]{5,24}\d")
# (212) 555-0199, 212-555-0199, 212.555.0199, +1 212 555 0199: separated groups only.
# People write the fictional 555 numbers too, which phonenumbers calls invalid.
_NANP = lazy_compile(
    r"(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}"
)
# A US ZIP+4 code alone ("Boston, MA 02110-1301", the GNU licence header): Italian and
# German numbers of ten digits validate, and merged groups are accepted below.
_ZIP_PLUS_4 = lazy_compile(r"\d{5}-\d{4}")
# One dot between two digit groups is a decimal number (1234.5678901, 0.4444444444):
# phones written with dots have three groups (212.555.0199).
_DECIMAL = lazy_compile(r"\d+\.\d+")
_NOT_PHONE = lazy_compile(
    r"(?<!\d)\d{3}[- .]\d{2}[- .]\d{4}(?!\d)"  # SSN grouping
    r"|(?:19|20)\d\d[-./]\d\d?[-./]\d\d?|\d\d?[-./]\d\d?[-./](?:19|20)\d\d"  # dates
    r"|\d\d?:\d\d"  # times
    r"|\d\.\.\d"  # ranges (0951..0954)
)


def phone_in(run: str, regions: Iterable[str]) -> tuple[int, int] | None:
    """The span of ``run`` if it is a valid phone number in one of ``regions``.

    ``parse`` + ``is_valid_number`` per region (what the matcher's VALID leniency
    checks) on the run alone; shapes that are never phones are skipped first.
    """
    import phonenumbers  # Presidio's own dependency; loaded with the engine

    digits = sum(c.isdigit() for c in run)
    if digits < 7 or digits > 15 or _never_phone(run):
        return None
    if _NANP.fullmatch(run):
        return 0, len(run)  # North American shape, 555 numbers included
    international = run.lstrip("(").startswith("+")
    # "+49 (0)30 ...": the trunk 0 in brackets is dialled only from inside the country.
    shown = run.replace("(0)", "", 1) if international else run
    for region in (None,) if international else tuple(regions):
        try:
            number = phonenumbers.parse(run, region)
        except phonenumbers.NumberParseException:
            continue
        # An international number may sit in a range kept for fiction or tests
        # (+44 7700 900xxx): a '+' and a possible length are evidence enough.
        valid = phonenumbers.is_valid_number(number) or (
            international and phonenumbers.is_possible_number(number)
        )
        if valid and (_grouped_like(shown, number) or (international and _grouped_by_hand(shown))):
            return 0, len(run)
    return None


def _grouped_by_hand(run: str) -> bool:
    """'+34 912 345 678', '+49 151 23456789': an international number in groups of two
    or more digits, as people write it, though not as phonenumbers formats it (+34 912
    34 56 78, +49 1512 3456789). The '+' and a valid number are the evidence."""
    groups = re.findall(r"\d+", run)[1:]  # after the country code
    return len(groups) >= 2 and all(len(g) >= 2 for g in groups)


def _never_phone(run: str) -> bool:
    """Shapes that are valid digits somewhere but that nobody writes a phone as."""
    return bool(_NOT_PHONE.search(run) or _ZIP_PLUS_4.fullmatch(run) or _DECIMAL.fullmatch(run))


def _boundaries(text: str) -> tuple[str, frozenset[int]]:
    """The digits of ``text`` and where its digit groups end (counted in digits)."""
    groups = re.findall(r"\d+", text)
    ends, total = set(), 0
    for group in groups[:-1]:
        total += len(group)
        ends.add(total)
    return "".join(groups), frozenset(ends)


def _grouped_like(run: str, number: Any) -> bool:
    """Digits grouped as the number's own national or international format groups
    them (like phonenumbers' STRICT_GROUPING): '12345-67890', '2023-456-789' and
    ISBNs are valid digit strings somewhere, but nobody writes a phone that way."""
    import phonenumbers

    digits, ends = _boundaries(run)
    if not ends:
        return True  # one bare run: scored low, reported only with a context word
    formats = (phonenumbers.PhoneNumberFormat.NATIONAL,
               phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    for style in formats:
        formatted_digits, formatted_ends = _boundaries(phonenumbers.format_number(number, style))
        if formatted_digits == digits and ends <= formatted_ends:
            return True
        # '1-800-...' or '0176 ...': the run carries a prefix the format leaves out.
        # The number after the prefix must still be grouped: '1 12345678000' is a 1 and
        # a bare run (two numbers in a table), not a grouped phone.
        if digits.endswith(formatted_digits):
            shift = len(digits) - len(formatted_digits)
            inner = {e - shift for e in ends if e > shift}
            if inner and inner <= formatted_ends:
                return True
    return False
