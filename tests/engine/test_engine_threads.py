"""One Hyperscan engine shared by threads (the proxy scans requests in a pool): each
thread scans with its own scratch space and gets the owner's answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from leakguard.engine.hyperscan_engine import HyperscanEngine
from leakguard.rulepack import builtin_rules


def test_threads_get_the_same_windows() -> None:
    rules = builtin_rules(examples=False)
    engine = HyperscanEngine(rules)
    texts = [f"line {n}\npassword = hunter{n}\ntoken: ghp_{'x' * n}\n" * 40 for n in range(24)]
    expected = [engine.windows(t) for t in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(3):
            assert list(pool.map(engine.windows, texts)) == expected
