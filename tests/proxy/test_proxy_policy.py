"""Per-destination decisions, unknown destinations, and who may use a served proxy."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

import httpx
import pytest

from leakguard.errors import ConfigError
from leakguard.proxy.runner import ProxyThread, build_guard
from leakguard.proxy.server import ProxyOptions
from tests.fakeupstream import FakeUpstream
from tests.helpers import fake_aws_key_id
from tests.proxy.conftest import ProxyFactory

HEADERS = {"content-type": "application/json", "x-api-key": "k"}


def _anthropic(text: str) -> bytes:
    return json.dumps({"model": "m", "max_tokens": 5,
                       "messages": [{"role": "user", "content": text}]}).encode()


def _chat(text: str) -> bytes:
    return json.dumps({"model": "m", "messages": [{"role": "user", "content": text}]}).encode()


def _gemini(text: str) -> bytes:
    return json.dumps({"contents": [{"role": "user", "parts": [{"text": text}]}]}).encode()


REQUESTS = {
    "anthropic": ("/anthropic/v1/messages", _anthropic),
    "openai": ("/openai/v1/chat/completions", _chat),
    "gemini": ("/gemini/v1beta/models/m:generateContent", _gemini),
}


def test_each_destination_applies_its_own_action(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    """One policy: anthropic allows secrets, openai anonymizes them, gemini blocks."""
    secret = fake_aws_key_id()
    url = upstream.url
    # Three destinations on one fake: the host matches each, so name them by family.
    policy = (
        "destinations:\n"
        f"  anthropic: {{upstream: '{url}', actions: {{secret: allow}}}}\n"
        f"  openai: {{upstream: '{url}', actions: {{secret: anonymize}}}}\n"
        f"  gemini: {{upstream: '{url}', actions: {{secret: block}}}}\n"
    )
    results = {}
    with proxy_for(policy, destinations=False) as px:
        for family, (path, build) in REQUESTS.items():
            before = len(upstream.posts)
            response = httpx.post(px.url + path, content=build(f"key {secret}"),
                                  headers=HEADERS, timeout=10)
            forwarded = upstream.posts[before:]
            results[family] = (response.status_code, forwarded[0].body if forwarded else None)
    assert results["anthropic"][0] == 200 and secret.encode() in results["anthropic"][1]
    assert results["openai"][0] == 200
    assert secret.encode() not in results["openai"][1] and b"SECRET_1_" in results["openai"][1]
    assert results["gemini"] == (400, None)


def test_an_upstream_no_destination_declares_is_blocked_even_when_clean(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    extra = f"proxy: {{upstreams: {{anthropic: '{upstream.url}'}}}}\n"
    with proxy_for(extra, destinations=False) as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=_anthropic("hello"),
                              headers=HEADERS)
    assert response.status_code == 400
    assert "destination 'unknown' is not allowed" in response.json()["error"]["message"]
    assert upstream.posts == []


def test_clean_requests_pass_through_byte_for_byte(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    body = b'{"model":"m",  "max_tokens":5,"messages":[{"role":"user","content":"hi"}]}'
    with proxy_for() as px:
        response = httpx.post(
            px.url + "/anthropic/v1/messages?beta=true", content=body,
            headers={**HEADERS, "anthropic-version": "2023-06-01",
                     "anthropic-beta": "a-2025,b-2026"},
        )
    assert response.status_code == 200
    seen = upstream.posts[0]
    assert seen.body == body  # not re-serialised
    assert seen.query == "beta=true"
    assert seen.headers["anthropic-beta"] == "a-2025,b-2026"
    assert seen.headers["x-api-key"] == "k"


def test_non_loopback_without_token_is_refused(proxy_for: ProxyFactory) -> None:
    options = ProxyOptions(token=None)
    with proxy_for() as px, pytest.raises(ConfigError, match="access token"):
        ProxyThread(px.guard, options, host="0.0.0.0")


def test_serve_command_refuses_non_loopback_without_token() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "leakguard", "serve", "--host", "0.0.0.0", "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "without an access token" in result.stderr


def test_a_token_is_checked_on_every_request(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    token = "tok-" + "9" * 20
    with proxy_for(token=token) as px:
        url = px.url + "/anthropic/v1/messages"
        missing = httpx.post(url, content=_anthropic("hi"), headers=HEADERS)
        wrong = httpx.post(url, content=_anthropic("hi"),
                           headers={**HEADERS, "x-leakguard-token": "nope"})
        header = httpx.post(url, content=_anthropic("hi"),
                            headers={**HEADERS, "x-leakguard-token": token})
        in_path = httpx.post(f"{px.url}/t/{token}/anthropic/v1/messages",
                             content=_anthropic("hi"), headers=HEADERS)
        health = httpx.get(px.url + "/healthz")
    assert (missing.status_code, wrong.status_code) == (401, 401)
    assert (header.status_code, in_path.status_code) == (200, 200)
    assert health.json()["status"] == "ok"
    assert len(upstream.posts) == 2
    assert all("x-leakguard-token" not in r.headers for r in upstream.posts)
    assert all(token not in r.path for r in upstream.posts)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_command_answers_health_and_stops_on_sigterm(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import signal
    import time

    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "leakguard", "serve", "--port", str(port)],
        cwd=tmp_path, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert health.json()["status"] == "ok"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        assert proc.stderr is not None and "stopped" in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()


def test_build_guard_is_reusable_for_two_proxies(proxy_for: ProxyFactory) -> None:
    with proxy_for() as px:
        guard = build_guard(px.guard.policy, ProxyOptions(), audit=False)
        with ProxyThread(guard, ProxyOptions()) as other:
            assert other.port != px.port
