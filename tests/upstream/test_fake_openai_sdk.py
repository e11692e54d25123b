"""The official openai SDK (Chat Completions and Responses) against the fake."""

from __future__ import annotations

import json

import openai
import pytest

from tests.fakeupstream import FakeUpstream, ToolCall
from tests.upstream.upstream_helpers import post, sse_events

READ = ToolCall("Read", {"file_path": '/tmp/ünïcode "q".txt'})
TEXT = 'Answer with "quotes", ünïcode and\nlines'


def sdk(up: FakeUpstream) -> openai.OpenAI:
    return openai.OpenAI(base_url=up.url + "/v1", api_key="test-key", max_retries=0)


def chat(up: FakeUpstream, messages: list[dict[str, object]], stream: bool) -> tuple[str, str]:
    """(text, tool call arguments) of one chat completion, streamed or not."""
    client = sdk(up)
    if not stream:
        message = client.chat.completions.create(model="gpt-fake", messages=messages).choices[0]
        calls = message.message.tool_calls or []
        return message.message.content or "", "".join(c.function.arguments for c in calls)
    text, args = "", ""
    chunks = client.chat.completions.create(
        model="gpt-fake", messages=messages, stream=True, stream_options={"include_usage": True}
    )
    for chunk in chunks:
        if not chunk.choices:
            assert chunk.usage is not None and chunk.usage.total_tokens > 0
            continue
        delta = chunk.choices[0].delta
        text += delta.content or ""
        args += "".join(call.function.arguments or "" for call in delta.tool_calls or [])
    return text, args


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("chunk_size", [1, 8])
def test_chat_text_and_tool_call(upstream: FakeUpstream, stream: bool, chunk_size: int) -> None:
    upstream.chunk_size = chunk_size
    upstream.reply(TEXT)
    upstream.reply(tool_call=READ)
    assert chat(upstream, [{"role": "user", "content": "hi"}], stream) == (TEXT, "")
    text, args = chat(upstream, [{"role": "user", "content": "hi"}], stream)
    assert text == "" and json.loads(args) == READ.arguments


def test_chat_stream_wire_shape(upstream: FakeUpstream) -> None:
    upstream.reply("hey", tool_call=READ)
    body = {"model": "m", "stream": True, "messages": [{"role": "user", "content": "x"}]}
    events = sse_events(post(upstream.url + "/v1/chat/completions", body).text)
    assert events[-1] == (None, "[DONE]")
    chunks = [data for _, data in events[:-1]]
    assert chunks[0]["choices"][0]["delta"]["role"] == "assistant"
    opening = next(c for c in chunks if c["choices"][0]["delta"].get("tool_calls"))
    call = opening["choices"][0]["delta"]["tool_calls"][0]
    assert call["id"].startswith("call_") and call["function"] == {"name": "Read", "arguments": ""}
    assert chunks[-1]["choices"][0]["finish_reason"] == "tool_calls"
    assert "usage" not in chunks[-1]  # only with stream_options.include_usage


@pytest.mark.parametrize("stream", [False, True])
def test_chat_echo_of_user_and_tool_messages(upstream: FakeUpstream, stream: bool) -> None:
    upstream.echo = True
    upstream.chunk_size = 1
    user = [{"role": "user", "content": "first"}, {"role": "system", "content": "reminder"}]
    assert chat(upstream, user, stream)[0] == "first"
    tool = [
        {"role": "user", "content": "read it"},
        {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function",
                                              "function": {"name": "Read", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": [{"type": "text", "text": "body"}]},
    ]  # fmt: skip
    assert chat(upstream, tool, stream)[0] == "body"


def respond(up: FakeUpstream, items: object, stream: bool) -> tuple[str, list[object]]:
    """(output text, output items) of one Responses call."""
    client = sdk(up)
    if not stream:
        response = client.responses.create(model="gpt-fake", input=items)  # type: ignore[arg-type]
        return response.output_text, list(response.output)
    with client.responses.stream(model="gpt-fake", input=items) as events:  # type: ignore[arg-type]
        deltas = "".join(e.delta for e in events if e.type == "response.output_text.delta")
        final = events.get_final_response()
    assert deltas == final.output_text
    return final.output_text, list(final.output)


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("chunk_size", [1, 8])
def test_responses_text_and_function_call(
    upstream: FakeUpstream, stream: bool, chunk_size: int
) -> None:
    upstream.chunk_size = chunk_size
    upstream.reply(TEXT)
    upstream.reply(tool_call=READ)
    assert respond(upstream, "hi", stream)[0] == TEXT
    text, output = respond(upstream, "hi", stream)
    (call,) = output
    assert text == "" and call.type == "function_call"  # type: ignore[attr-defined]
    assert call.name == "Read" and json.loads(call.arguments) == READ.arguments  # type: ignore[attr-defined]


def test_responses_stream_wire_sequence(upstream: FakeUpstream) -> None:
    upstream.chunk_size = 100
    upstream.reply("hey", tool_call=READ)
    body = {"model": "m", "stream": True, "input": "x"}
    events = sse_events(post(upstream.url + "/v1/responses", body).text)
    assert all(name == data["type"] for name, data in events)
    assert [data["sequence_number"] for _, data in events] == list(range(len(events)))
    assert [name for name, _ in events] == [
        "response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added",
        "response.output_text.delta", "response.output_text.done",
        "response.content_part.done", "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta",
        "response.function_call_arguments.done", "response.output_item.done",
        "response.completed",
    ]  # fmt: skip
    completed = events[-1][1]["response"]
    assert completed["status"] == "completed" and completed["usage"]["total_tokens"] > 0
    assert [item["type"] for item in completed["output"]] == ["message", "function_call"]


@pytest.mark.parametrize("stream", [False, True])
def test_responses_echo_of_user_text_and_function_output(
    upstream: FakeUpstream, stream: bool
) -> None:
    upstream.echo = True
    user = [
        {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "d"}]},
        {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "mine"}]},
    ]
    assert respond(upstream, user, stream)[0] == "mine"
    output = [
        {"role": "user", "content": "read"},
        {"type": "function_call", "call_id": "call_1", "name": "Read", "arguments": "{}"},
        {"type": "function_call_output", "call_id": "call_1", "output": "file body"},
    ]
    assert respond(upstream, output, stream)[0] == "file body"


@pytest.mark.parametrize("status", [429, 500])
def test_fail_gives_openai_error_shape(upstream: FakeUpstream, status: int) -> None:
    upstream.fail(status)
    with pytest.raises(openai.APIStatusError) as caught:
        respond(upstream, "hi", stream=False)
    assert caught.value.status_code == status
    assert caught.value.body["message"] == f"fake upstream error {status}"  # type: ignore[index]
    assert respond(upstream, "hi", stream=False)[0] == "ok"


def test_gzip_responses_and_models(upstream: FakeUpstream) -> None:
    upstream.gzip_responses = True
    upstream.chunk_size = 1
    upstream.reply("zipped chat")
    upstream.reply("zipped stream")
    assert chat(upstream, [{"role": "user", "content": "x"}], stream=False)[0] == "zipped chat"
    assert respond(upstream, "x", stream=True)[0] == "zipped stream"
    assert "gpt-4o" in [model.id for model in sdk(upstream).models.list()]
