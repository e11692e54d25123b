"""What the fake records: decoded bodies, headers, text for "never reached upstream"."""

from __future__ import annotations

import gzip
import json
import zlib

import brotli
import httpx
import pytest
from backports import zstd

from tests.fakeupstream import FakeUpstream
from tests.upstream.upstream_helpers import post

SECRET_LIKE = "S3CRET/" + "FAKE\u00e9" + "0042"
BODY = {"model": "m", "max_tokens": 5, "messages": [{"role": "user", "content": SECRET_LIKE}]}
RAW = json.dumps(BODY).encode()  # ASCII-escaped: the value is not in the raw bytes as is

ENCODINGS = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "br": brotli.compress,
    "zstd": zstd.compress,
    "gzip, br": lambda data: brotli.compress(gzip.compress(data)),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_compressed_request_bodies_are_decoded(upstream: FakeUpstream, encoding: str) -> None:
    upstream.echo = True
    response = post(upstream.url + "/v1/messages", ENCODINGS[encoding](RAW),
                    {"content-encoding": encoding})  # fmt: skip
    assert response.json()["content"][0]["text"] == SECRET_LIKE
    (received,) = upstream.requests
    assert received.body == RAW and received.json == BODY
    assert received.headers["content-encoding"] == encoding


def test_received_text_unescapes_json_and_nested_json(upstream: FakeUpstream) -> None:
    assert SECRET_LIKE.encode() not in RAW
    post(upstream.url + "/v1/messages", RAW)
    arguments = json.dumps({"command": "cat " + SECRET_LIKE[::-1]})
    item = {"type": "function_call", "call_id": "c", "name": "exec", "arguments": arguments}
    post(upstream.url + "/v1/responses", {"model": "m", "input": [item]})
    text = upstream.received_text()
    assert SECRET_LIKE in text and SECRET_LIKE[::-1] in text
    assert "POST /v1/responses?" in text


def test_records_method_path_query_headers(upstream: FakeUpstream) -> None:
    httpx.head(upstream.url + "/", timeout=10)
    post(upstream.url + "/prefix/v1/messages?beta=true", BODY, {"X-Api-Key": "k", "X-App": "cli"})
    head, message = upstream.requests
    assert (head.method, head.path, head.body, head.json) == ("HEAD", "/", b"", None)
    assert (message.path, message.query) == ("/prefix/v1/messages", "beta=true")
    assert message.headers["x-api-key"] == "k" and message.headers["x-app"] == "cli"
    assert upstream.posts == [message]


def test_bad_bodies_and_unknown_paths(upstream: FakeUpstream) -> None:
    upstream.fail(500)  # not used up by requests the fake refuses anyway
    assert post(upstream.url + "/v1/unknown", BODY).status_code == 404
    not_json = post(upstream.url + "/v1/chat/completions", b"{not json")
    assert not_json.status_code == 400 and "error" in not_json.json()
    broken = post(upstream.url + "/v1/messages", b"\x1f\x8bnope", {"content-encoding": "gzip"})
    assert broken.status_code == 400 and broken.json()["type"] == "error"
    assert upstream.requests[-1].body == b"\x1f\x8bnope"
    assert post(upstream.url + "/v1/messages", BODY).status_code == 500


def test_fail_counts_and_retry_after(upstream: FakeUpstream) -> None:
    upstream.fail(429, times=2)
    statuses = [post(upstream.url + "/v1/chat/completions", {"messages": []}) for _ in range(3)]
    assert [r.status_code for r in statuses] == [429, 429, 200]
    assert statuses[0].headers["retry-after"] == "0"
    assert statuses[0].json()["error"]["code"] == "rate_limit_exceeded"


def test_event_delay_slows_streams() -> None:
    with FakeUpstream(event_delay=0.05, chunk_size=100) as up:
        body = {"model": "m", "stream": True, "input": "x"}
        elapsed = post(up.url + "/v1/responses", body).elapsed.total_seconds()
    assert elapsed >= 0.05 * 9  # created, in_progress, 6 events of the message, completed
