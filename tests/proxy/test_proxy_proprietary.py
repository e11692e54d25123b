"""Proprietary code through the proxy: a planted canary always blocks (and flags its audit
event); a file under `proprietary.paths` read through a tool call is blocked whatever
it says, while the same text read from elsewhere passes."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from leakguard.audit.store import open_store
from leakguard.detectors.markers import new_canary
from tests.fakeupstream import FakeUpstream
from tests.proxy.conftest import ProxyFactory

HEADERS = {"content-type": "application/json", "x-api-key": "k"}
MESSAGES = "/anthropic/v1/messages"
CODE = "def settle(ledger, day):\n    return sum(e.amount for e in ledger if e.day == day)\n"


def _anthropic(messages: list[dict[str, object]]) -> bytes:
    return json.dumps({"model": "m", "max_tokens": 5, "messages": messages}).encode()


def _read_then_result(file_path: str, content: str) -> bytes:
    """The conversation after Claude Code's Read tool ran: the call, then its result."""
    return _anthropic([
        {"role": "user", "content": "Why is settle slow?"},
        {"role": "assistant", "content": [
            {"type": "tool_use", "id": "toolu_1", "name": "Read",
             "input": {"file_path": file_path}},
        ]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_1", "content": content},
        ]},
    ])


def test_a_canary_in_a_prompt_is_blocked_and_its_audit_event_flagged(
    proxy_for: ProxyFactory, upstream: FakeUpstream, tmp_path: Path
) -> None:
    canary = new_canary()
    db = tmp_path / "audit.db"
    policy = (
        "default_action: {proprietary: allow}\n"  # a canary blocks whatever the policy says
        f"proprietary: {{canaries: [{{label: billing, token: {canary}}}]}}\n"
        f"audit: {{store: 'sqlite:///{db}'}}\n"
    )
    text = f"Refactor this:\n```python\n# {canary}\n{CODE}```\n"
    with proxy_for(policy, audit=True) as px:
        response = httpx.post(px.url + MESSAGES, headers=HEADERS, timeout=10,
                              content=_anthropic([{"role": "user", "content": text}]))
        clean = httpx.post(px.url + MESSAGES, headers=HEADERS, timeout=10,
                           content=_anthropic([{"role": "user", "content": CODE}]))
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert "canary" in message.lower() and canary not in message
    assert clean.status_code == 200
    assert len(upstream.posts) == 1 and canary.encode() not in upstream.posts[0].body
    store = open_store(f"sqlite:///{db}", None, create=False)
    try:
        events = store.events()
    finally:
        store.close()
    assert [(e.verdict, e.canary) for e in events] == [("block", True), ("allow", False)]
    assert canary not in json.dumps([e.to_json() for e in events])


def test_a_read_of_a_protected_path_is_blocked(
    proxy_for: ProxyFactory, upstream: FakeUpstream, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"  # the policy root proxy_for writes .leakguard.yaml into
    policy = "proprietary: {paths: ['src/core/**']}\n"
    with proxy_for(policy) as px:
        protected = httpx.post(
            px.url + MESSAGES, headers=HEADERS, timeout=10,
            content=_read_then_result(str(repo / "src" / "core" / "ledger.py"), CODE),
        )
        elsewhere = httpx.post(
            px.url + MESSAGES, headers=HEADERS, timeout=10,
            content=_read_then_result(str(repo / "scripts" / "ledger.py"), CODE),
        )
    assert protected.status_code == 400
    message = protected.json()["error"]["message"]
    assert "protected path" in message and "src/core/ledger.py" in message
    assert elsewhere.status_code == 200
    assert len(upstream.posts) == 1  # only the read from outside the protected paths
