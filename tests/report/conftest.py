"""Fixtures for the report tests; the data itself lives in report_samples."""

from __future__ import annotations

import pytest
from report_samples import clean_result, sample_result

from leakguard.models import ScanResult


@pytest.fixture
def result() -> ScanResult:
    return sample_result()


@pytest.fixture
def clean() -> ScanResult:
    return clean_result()
