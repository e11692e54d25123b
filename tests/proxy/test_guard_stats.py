"""The proxy's run counters add up when many worker threads count at once."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from leakguard.proxy.guard import Stats


def test_counts_from_many_threads_are_not_lost() -> None:
    stats = Stats()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(8) as pool:
            for _ in range(8):
                pool.submit(lambda: [stats.add(requests=1, replaced=2) for _ in range(20_000)])
    finally:
        sys.setswitchinterval(interval)
    assert stats.requests == 160_000
    assert stats.replaced == 320_000
    assert stats.blocked == 0
