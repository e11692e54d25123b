"""The official anthropic SDK, pointed straight at the fake, gets real-looking answers."""

from __future__ import annotations

import json

import anthropic
import pytest

from tests.fakeupstream import FakeUpstream, ToolCall
from tests.upstream.upstream_helpers import post, sse_events

SECRET_LIKE = "S3CRET-" + "FAKE-" + "0042"
READ = ToolCall("Read", {"file_path": '/tmp/a "quoted" path.txt', "limit": 10})


def sdk(up: FakeUpstream) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=up.url, api_key="test-key", max_retries=0)


def ask(up: FakeUpstream, content: object = "hi", stream: bool = False) -> anthropic.types.Message:
    client = sdk(up)
    messages = [{"role": "user", "content": content}]
    if not stream:
        return client.messages.create(model="claude-fake", max_tokens=50, messages=messages)
    with client.messages.stream(model="claude-fake", max_tokens=50, messages=messages) as events:
        return events.get_final_message()


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("chunk_size", [1, 8])
def test_text_answer(upstream: FakeUpstream, stream: bool, chunk_size: int) -> None:
    upstream.chunk_size = chunk_size
    upstream.reply('Hello, wörld: "quoted" and\nnew line')
    message = ask(upstream, stream=stream)
    assert message.content[0].type == "text"
    assert message.content[0].text == 'Hello, wörld: "quoted" and\nnew line'
    assert message.stop_reason == "end_turn"
    assert upstream.posts[-1].path == "/v1/messages"


@pytest.mark.parametrize("stream", [False, True])
def test_tool_call_then_text(upstream: FakeUpstream, stream: bool) -> None:
    upstream.chunk_size = 1
    upstream.reply("Reading.", tool_call=READ)
    message = ask(upstream, stream=stream)
    text, tool = message.content
    assert text.type == "text" and text.text == "Reading."
    assert tool.type == "tool_use" and tool.id.startswith("toolu_")
    assert (tool.name, tool.input) == (READ.name, READ.arguments)
    assert message.stop_reason == "tool_use"


def test_stream_event_sequence_on_the_wire(upstream: FakeUpstream) -> None:
    upstream.chunk_size = 100  # one delta each, after the empty opening one of tool input
    upstream.reply("ab", tool_call=READ)
    body = {
        "model": "m",
        "max_tokens": 5,
        "stream": True,
        "messages": [{"role": "user", "content": "x"}],
    }
    response = post(upstream.url + "/v1/messages?beta=true", body)
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    assert all(name == data["type"] for name, data in events)
    assert [name for name, _ in events] == [
        "message_start",
        "content_block_start", "ping", "content_block_delta", "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop",
    ]  # fmt: skip
    json_parts = [d["delta"]["partial_json"] for _, d in events[6:8]]
    assert json_parts[0] == ""  # the real API opens tool input with an empty delta
    assert json.loads("".join(json_parts)) == READ.arguments


@pytest.mark.parametrize("stream", [False, True])
def test_echo_returns_tool_result_text(upstream: FakeUpstream, stream: bool) -> None:
    upstream.echo = True
    upstream.chunk_size = 1
    tool_result = {
        "type": "tool_result",
        "tool_use_id": "toolu_01x",
        "content": [{"type": "text", "text": "file body " + SECRET_LIKE}],
    }
    reminder = {"type": "text", "text": "<system-reminder>ignore me</system-reminder>"}
    message = ask(upstream, [tool_result, reminder], stream=stream)
    assert message.content[0].text == "file body " + SECRET_LIKE
    assert SECRET_LIKE in upstream.received_text()


def test_default_text_when_queue_empty(upstream: FakeUpstream) -> None:
    upstream.default_text = "nothing queued"
    assert ask(upstream).content[0].text == "nothing queued"


@pytest.mark.parametrize("status", [429, 500, 529])
def test_fail_gives_anthropic_error_shape(upstream: FakeUpstream, status: int) -> None:
    upstream.fail(status, times=2)
    for _ in range(2):
        with pytest.raises(anthropic.APIStatusError) as caught:
            ask(upstream)
        assert caught.value.status_code == status
        assert caught.value.body["type"] == "error"  # type: ignore[index]
    assert ask(upstream).content[0].text == "ok"


def test_gzip_responses(upstream: FakeUpstream) -> None:
    upstream.gzip_responses = True
    upstream.reply("compressed json")
    upstream.reply("compressed stream")
    assert ask(upstream).content[0].text == "compressed json"
    assert ask(upstream, stream=True).content[0].text == "compressed stream"


def test_count_tokens_and_beta_header(upstream: FakeUpstream) -> None:
    client = sdk(upstream)
    counted = client.messages.count_tokens(
        model="claude-fake", messages=[{"role": "user", "content": "hi"}]
    )
    assert counted.input_tokens >= 1
    beta = client.beta.messages.create(
        model="claude-fake",
        max_tokens=5,
        messages=[{"role": "user", "content": "hi"}],
        betas=["fake-beta-2025-01-01"],
    )
    assert beta.content[0].text == "ok"
    last = upstream.requests[-1]
    assert last.path == "/v1/messages"  # ?beta=true is what the JS SDK (Claude Code) adds
    assert last.headers["anthropic-beta"] == "fake-beta-2025-01-01"
    assert upstream.requests[0].path == "/v1/messages/count_tokens"
