"""A fake upstream and a proxy in front of it, both on 127.0.0.1, per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from leakguard.policy import load_policy
from leakguard.proxy.runner import ProxyThread, build_guard
from leakguard.proxy.server import ProxyOptions
from tests.fakeupstream import FakeUpstream


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as fake:
        yield fake


def destinations_yaml(url: str) -> str:
    """Every provider's destination pointed at ``url`` (the fake)."""
    families = ("anthropic", "openai", "gemini")
    return "destinations:\n" + "".join(f"  {name}: {{upstream: '{url}'}}\n" for name in families)


ProxyFactory = Callable[..., AbstractContextManager[ProxyThread]]


@pytest.fixture
def proxy_for(tmp_path: Path, upstream: FakeUpstream) -> ProxyFactory:
    """``with proxy_for(extra_yaml) as px:`` a proxy whose policy points at the fake."""

    @contextmanager
    def start(
        extra: str = "", *, destinations: bool = True, audit: bool = False,
        detectors: list[object] | None = None, **options: object,
    ) -> Iterator[ProxyThread]:
        repo = tmp_path / "repo"
        repo.mkdir(exist_ok=True)
        text = "version: 1\n" + (destinations_yaml(upstream.url) if destinations else "") + extra
        (repo / ".leakguard.yaml").write_text(text)
        policy = load_policy(repo, None)
        messages: list[str] = []
        opts = ProxyOptions(tool="test", log=messages.append, **options)  # type: ignore[arg-type]
        guard = build_guard(policy, opts, audit=audit)
        if detectors is not None:
            guard.inspector.detectors = tuple(detectors)  # type: ignore[assignment]
        with ProxyThread(guard, opts) as proxy:
            proxy.messages = messages  # type: ignore[attr-defined]
            yield proxy

    return start
