"""Phone runs: valid for a region and grouped as that region writes them."""

from __future__ import annotations

import pytest

from leakguard.detectors.pii_phone import phone_in

REGIONS = ("US", "GB", "DE", "FR", "IL", "IN", "CA", "BR")


@pytest.mark.parametrize(
    "run",
    ["(212) 555-0199", "212-555-0199", "212.555.0199", "+1 212 555 0199", "1-800-273-8255",
     "+44 20 7946 0958", "020 7946 0958", "+49 30 901820", "+91 98765 43210", "4155552671",
     "+44 7700 900123", "555-123-4567", "(11) 91234-5678",
     "+34 912 345 678", "+49 (0)30 12345678", "+44 (0)20 7946 0958",  # grouped by hand
     "+49 151 23456789"],
)
def test_phone_runs(run: str) -> None:
    assert phone_in(run, REGIONS) == (0, len(run))


@pytest.mark.parametrize(
    "run",
    ["12345-67890", "2023-456-789", "0-306-40615-2", "536-22-8745", "2024-01-15",
     "14:22:31 2024", "123456", "1234567890123456789",
     "02110-1301", "94043-1351",  # US ZIP+4 codes (the GNU licence header has the first)
     "1234.5678901", "0.4444444444", "345678.5432",  # decimal numbers
     "1 12345678000", "1 -12345678901"],  # a 1, then an ungrouped run
)
def test_not_phone_runs(run: str) -> None:
    assert phone_in(run, REGIONS) is None
