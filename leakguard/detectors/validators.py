"""Named checks a rule can ask for, by name, in its `validators:` list.

A validator gets the extracted secret and the whole match and answers whether the
candidate still looks like a real credential. The registry is an explicit dict.
"""

from __future__ import annotations

from collections.abc import Callable

from leakguard.detectors.checksums import CHECKSUM_VALIDATORS
from leakguard.detectors.filters import FILTER_VALIDATORS
from leakguard.detectors.formats import FORMAT_VALIDATORS

Validator = Callable[[str, str], bool]

VALIDATORS: dict[str, Validator] = {
    **CHECKSUM_VALIDATORS,
    **FILTER_VALIDATORS,
    **FORMAT_VALIDATORS,
}
