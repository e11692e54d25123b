"""Transport: compression both ways, upstream errors untouched, many streams at once."""

from __future__ import annotations

import asyncio
import gzip
import json

import anthropic
import httpx
import pytest

from tests.fakeupstream import FakeUpstream
from tests.helpers import fake_aws_key_id, fake_github_pat
from tests.proxy.conftest import ProxyFactory

ANONYMIZE_SECRETS = "default_action: {secret: anonymize}\n"
HEADERS = {"content-type": "application/json", "x-api-key": "k", "anthropic-version": "2023-06-01"}


def _messages(text: str, stream: bool = False) -> dict[str, object]:
    return {"model": "m", "max_tokens": 5, "stream": stream,
            "messages": [{"role": "user", "content": text}]}


def test_a_gzip_request_body_is_scanned(proxy_for: ProxyFactory, upstream: FakeUpstream) -> None:
    body = gzip.compress(json.dumps(_messages(f"key {fake_aws_key_id()}")).encode())
    with proxy_for() as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=body,
                              headers={**HEADERS, "content-encoding": "gzip"})
    assert response.status_code == 400
    assert upstream.posts == []


def test_a_clean_gzip_request_goes_upstream_still_compressed(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    raw = json.dumps(_messages("hello")).encode()
    with proxy_for() as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=gzip.compress(raw),
                              headers={**HEADERS, "content-encoding": "gzip"})
    assert response.status_code == 200
    assert upstream.posts[0].headers["content-encoding"] == "gzip"
    assert upstream.posts[0].body == raw  # the fake decodes what it received


def test_an_anonymized_gzip_request_goes_upstream_rewritten_and_plain(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    secret = fake_github_pat()
    body = gzip.compress(json.dumps(_messages(f"token {secret}")).encode())
    with proxy_for(ANONYMIZE_SECRETS) as px:
        response = httpx.post(px.url + "/anthropic/v1/messages", content=body,
                              headers={**HEADERS, "content-encoding": "gzip"})
    assert response.status_code == 200
    seen = upstream.posts[0]
    assert "content-encoding" not in seen.headers
    assert secret not in seen.body.decode() and "SECRET_1_" in seen.body.decode()


@pytest.mark.parametrize("stream", [False, True])
def test_gzip_responses_are_decoded_and_restored(
    proxy_for: ProxyFactory, upstream: FakeUpstream, stream: bool
) -> None:
    secret = fake_github_pat()
    upstream.echo, upstream.gzip_responses, upstream.chunk_size = True, True, 3
    with proxy_for(ANONYMIZE_SECRETS) as px:
        client = anthropic.Anthropic(base_url=px.url + "/anthropic", api_key="k", max_retries=0)
        if stream:
            with client.messages.stream(model="m", max_tokens=5,
                                        messages=[{"role": "user", "content": secret}]) as s:
                text = "".join(s.text_stream)
        else:
            reply = client.messages.create(model="m", max_tokens=5,
                                           messages=[{"role": "user", "content": secret}])
            text = reply.content[0].text  # type: ignore[union-attr]
    assert text == secret
    assert secret not in upstream.received_text()


@pytest.mark.parametrize("status", [429, 500, 529])
def test_upstream_errors_pass_through_unchanged(
    proxy_for: ProxyFactory, upstream: FakeUpstream, status: int
) -> None:
    upstream.fail(status)
    with proxy_for() as px:
        through = httpx.post(px.url + "/anthropic/v1/messages",
                             content=json.dumps(_messages("hi")).encode(), headers=HEADERS)
    upstream.fail(status)
    direct = httpx.post(upstream.url + "/v1/messages",
                        content=json.dumps(_messages("hi")).encode(), headers=HEADERS)
    assert through.status_code == direct.status_code == status
    assert through.json()["error"] == direct.json()["error"]  # request ids differ
    assert through.headers.get("retry-after") == direct.headers.get("retry-after")


def test_an_unreachable_upstream_is_a_502_in_the_providers_shape(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from leakguard.policy import load_policy
    from leakguard.proxy.runner import ProxyThread, build_guard
    from leakguard.proxy.server import ProxyOptions

    (tmp_path / ".leakguard.yaml").write_text(
        "version: 1\ndestinations:\n  anthropic: {upstream: 'http://127.0.0.1:9'}\n")
    options = ProxyOptions(log=lambda m: None)
    guard = build_guard(load_policy(tmp_path, None), options, audit=False)
    with ProxyThread(guard, options) as px:
        response = httpx.post(px.url + "/anthropic/v1/messages",
                              content=json.dumps(_messages("hi")).encode(), headers=HEADERS)
    assert response.status_code == 502
    assert response.json()["type"] == "error"


def test_head_preconnect_is_forwarded(proxy_for: ProxyFactory, upstream: FakeUpstream) -> None:
    with proxy_for() as px:
        response = httpx.head(px.url + "/anthropic/")
    assert response.status_code == 200
    assert [(r.method, r.path) for r in upstream.requests] == [("HEAD", "/")]


def test_gemini_sse_stream_is_restored(proxy_for: ProxyFactory, upstream: FakeUpstream) -> None:
    secret = fake_aws_key_id()
    upstream.echo, upstream.chunk_size = True, 1
    body = {"contents": [{"role": "user", "parts": [{"text": f"key {secret}"}]}]}
    with proxy_for(ANONYMIZE_SECRETS) as px:
        response = httpx.post(
            px.url + "/gemini/v1beta/models/g:streamGenerateContent?alt=sse",
            content=json.dumps(body).encode(),
            headers={"content-type": "application/json", "x-goog-api-key": "k"},
        )
    text = "".join(
        part.get("text", "")
        for line in response.text.splitlines() if line.startswith("data: ")
        for cand in json.loads(line[6:]).get("candidates", [])
        for part in cand.get("content", {}).get("parts", [])
    )
    assert text == f"key {secret}"
    assert secret not in upstream.received_text()
    assert upstream.posts[0].query == "alt=sse"


def test_fifty_concurrent_streams_each_get_their_own_answer(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    upstream.echo, upstream.chunk_size = True, 2
    secrets = [fake_github_pat()[:-2] + f"{i:02d}" for i in range(50)]

    async def one(client: anthropic.AsyncAnthropic, index: int) -> str:
        # Half carry a secret (anonymized, restored), half are clean (relayed as is).
        content = f"#{index} {secrets[index]}" if index % 2 else f"#{index} plain text"
        async with client.messages.stream(
            model="m", max_tokens=5, messages=[{"role": "user", "content": content}]
        ) as stream:
            return "".join([t async for t in stream.text_stream])

    async def many(url: str) -> list[str]:
        client = anthropic.AsyncAnthropic(base_url=url + "/anthropic", api_key="k",
                                          max_retries=0)
        return await asyncio.gather(*(one(client, i) for i in range(50)))

    with proxy_for(ANONYMIZE_SECRETS) as px:
        answers = asyncio.run(many(px.url))
    for index, answer in enumerate(answers):
        expected = f"#{index} {secrets[index]}" if index % 2 else f"#{index} plain text"
        assert answer == expected
    received = upstream.received_text()
    assert not any(s in received for s in secrets)
    assert len(upstream.posts) == 50


def test_a_client_that_goes_away_cancels_the_upstream_stream(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    import time

    upstream.event_delay, upstream.chunk_size = 0.05, 1
    upstream.default_text = "x" * 400  # ~20 s if read to the end
    body = json.dumps(_messages("hi", stream=True)).encode()
    with proxy_for() as px:
        with httpx.stream("POST", px.url + "/anthropic/v1/messages", content=body,
                          headers=HEADERS, timeout=10) as response:
            next(response.iter_bytes())  # the stream has started; now hang up
        deadline = time.monotonic() + 10
        while upstream.streams_cut == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert upstream.streams_cut == 1


@pytest.mark.parametrize("anonymized", [False, True])
def test_an_upstream_reset_mid_stream_reaches_the_client_as_a_cut_stream(
    proxy_for: ProxyFactory, upstream: FakeUpstream, anonymized: bool
) -> None:
    """The answer had begun: no second response is invented, the client's stream ends
    short, and the proxy serves the next request normally."""
    upstream.chunk_size, upstream.reset_after = 1, 6
    upstream.default_text = "y" * 200
    text = f"token {fake_github_pat()}" if anonymized else "hello"
    body = json.dumps(_messages(text, stream=True)).encode()
    with proxy_for(ANONYMIZE_SECRETS) as px:
        url = px.url + "/anthropic/v1/messages"
        with pytest.raises(httpx.HTTPError), httpx.stream(
            "POST", url, content=body, headers=HEADERS, timeout=10
        ) as response:
            assert response.status_code == 200
            for _ in response.iter_bytes():
                pass
        upstream.reset_after = None
        after = httpx.post(url, content=json.dumps(_messages("again")).encode(),
                           headers=HEADERS, timeout=10)
    assert after.status_code == 200
