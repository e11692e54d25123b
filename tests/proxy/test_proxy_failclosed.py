"""Fail closed: whatever cannot be scanned is blocked with a clear, provider-shaped
error, and nothing reaches the upstream (unless a destination opts out, loudly)."""

from __future__ import annotations

import gzip
import json

import httpx
import pytest

from leakguard.models import Finding, Fragment
from tests.fakeupstream import FakeUpstream
from tests.proxy.conftest import ProxyFactory

HEADERS = {"content-type": "application/json", "x-api-key": "k", "anthropic-version": "2023-06-01"}


def _messages(text: str) -> bytes:
    return json.dumps({"model": "m", "max_tokens": 5,
                       "messages": [{"role": "user", "content": text}]}).encode()


class BrokenDetector:
    """A detector with a bug: every scan raises."""

    name = "broken"

    def detect(self, fragment: Fragment) -> list[Finding]:
        raise RuntimeError("detector bug")


def _error_message(response: httpx.Response) -> str:
    body = response.json()
    assert body["type"] == "error" and body["error"]["type"] == "invalid_request_error"
    return str(body["error"]["message"])


def test_a_detector_that_raises_blocks_the_request(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    with proxy_for(detectors=[BrokenDetector()]) as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=_messages("hello"),
                              headers=HEADERS)
    assert response.status_code == 400
    message = _error_message(response)
    assert "could not be scanned" in message and "fail closed" in message
    assert upstream.posts == []


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00garbage", b""])
def test_a_body_that_is_not_json_is_blocked(
    proxy_for: ProxyFactory, upstream: FakeUpstream, body: bytes
) -> None:
    with proxy_for() as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=body, headers=HEADERS)
    assert response.status_code == 400
    assert "not JSON" in _error_message(response)
    assert upstream.posts == []


@pytest.mark.parametrize("compressed", [False, True])
def test_a_body_over_the_size_cap_is_blocked(
    proxy_for: ProxyFactory, upstream: FakeUpstream, compressed: bool
) -> None:
    body = _messages("a" * 20_000)
    headers = dict(HEADERS)
    if compressed:  # small on the wire, over the cap once decoded
        body = gzip.compress(body)
        headers["content-encoding"] = "gzip"
    with proxy_for("proxy: {max_body_bytes: 8192}\n") as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=body, headers=headers)
    assert response.status_code == 400
    message = _error_message(response)
    assert "limit" in message and "8192" in message
    assert upstream.posts == []


def test_a_corrupt_compressed_body_is_blocked(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    headers = {**HEADERS, "content-encoding": "gzip"}
    with proxy_for() as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=b"\x1f\x8bnope",
                              headers=headers)
    assert response.status_code == 400
    assert "could not be scanned" in _error_message(response)
    assert upstream.posts == []


def test_an_api_path_leakguard_cannot_read_is_blocked(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    with proxy_for() as px:
        response = httpx.post(px.url + "/anthropic/v1/files", content=b"anything",
                              headers=HEADERS)
    assert response.status_code == 400
    assert "not an API leakguard can inspect" in _error_message(response)
    assert upstream.posts == []


def test_allow_unscanned_destination_forwards_and_says_so_loudly(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    extra = ("destinations:\n"
             f"  anthropic: {{upstream: '{upstream.url}', on_scan_error: allow-unscanned}}\n")
    with proxy_for(extra, destinations=False) as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=b"{not json",
                              headers=HEADERS)
    assert response.status_code != 400 or "leakguard" not in response.text
    assert [r.body for r in upstream.posts] == [b"{not json"]
    assert any("UNSCANNED" in m for m in px.messages)  # type: ignore[attr-defined]


def test_a_scan_over_the_deadline_is_blocked(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    class SlowDetector:
        name = "slow"

        def detect(self, fragment: Fragment) -> list[Finding]:
            import time

            time.sleep(1.5)
            return []

    with proxy_for("proxy: {scan_timeout_seconds: 0.3}\n", detectors=[SlowDetector()]) as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=_messages("hi"),
                              headers=HEADERS, timeout=10)
    assert response.status_code == 400
    assert "took over 0.3 s" in _error_message(response)
    assert upstream.posts == []


def test_a_slow_scan_does_not_hold_back_other_requests(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    """Scans run in worker threads: while one request's scan takes a second, a small
    request is scanned, forwarded and answered."""
    import threading
    import time

    class SlowOnMarker:
        name = "slow-on-marker"

        def detect(self, fragment: Fragment) -> list[Finding]:
            if "SLOW-MARKER" in fragment.text:
                time.sleep(2.0)
            return []

    finished: dict[str, float] = {}

    def send(name: str, text: str, url: str) -> None:
        httpx.post(url, content=_messages(text), headers=HEADERS, timeout=30)
        finished[name] = time.monotonic()

    with proxy_for(detectors=[SlowOnMarker()]) as px:
        url = px.url + "/anthropic/v1/messages"
        slow = threading.Thread(target=send, args=("slow", "SLOW-MARKER", url))
        slow.start()
        time.sleep(0.3)  # the slow scan is under way
        began = time.monotonic()
        send("fast", "hello", url)
        slow.join()
    assert finished["fast"] - began < 1.0
    assert finished["fast"] < finished["slow"]
