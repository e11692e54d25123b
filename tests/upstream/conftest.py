"""A fresh fake upstream per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakeupstream import FakeUpstream


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as up:
        yield up
