"""The official SDKs through the proxy against the fake upstream: what leaves is
scanned, secrets never reach the upstream, placeholders come back restored."""

from __future__ import annotations

import json
import re

import anthropic
import openai
import pytest

from tests.fakeupstream import FakeUpstream, ToolCall
from tests.helpers import fake_aws_key_id, fake_github_pat
from tests.proxy.conftest import ProxyFactory

ANONYMIZE_SECRETS = "default_action: {secret: anonymize}\n"
API_KEY = "sk-" + "test" + "0" * 24


def _anthropic(url: str) -> anthropic.Anthropic:
    return anthropic.Anthropic(base_url=url + "/anthropic", api_key=API_KEY, max_retries=0)


def _openai(url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=url + "/openai/v1", api_key=API_KEY, max_retries=0)


TOOL = {"name": "Read", "description": "Read a file",
        "input_schema": {"type": "object", "properties": {"file_path": {"type": "string"}}}}


def _anthropic_history(secret: str) -> list[dict[str, object]]:
    """A user turn, a Read tool call and its result holding ``secret``."""
    return [
        {"role": "user", "content": "what is in .env?"},
        {"role": "assistant", "content": [
            {"type": "tool_use", "id": "toolu_01", "name": "Read",
             "input": {"file_path": "/repo/.env"}}]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_01",
             "content": f"     1\tAWS_ACCESS_KEY_ID={secret}\n"}]},
    ]


@pytest.mark.parametrize("stream", [False, True])
def test_anthropic_secret_in_tool_result_is_blocked_with_a_readable_message(
    proxy_for: ProxyFactory, upstream: FakeUpstream, stream: bool
) -> None:
    secret = fake_aws_key_id()
    with proxy_for() as px:
        client = _anthropic(px.url)
        with pytest.raises(anthropic.BadRequestError) as caught:
            client.messages.create(model="m", max_tokens=50, stream=stream,
                                   messages=_anthropic_history(secret), tools=[TOOL])
    message = caught.value.message
    assert "leakguard blocked this request" in message
    assert "output of Read(/repo/.env)" in message
    assert secret not in message and "AKIA" in message  # masked, never whole
    assert upstream.posts == []


@pytest.mark.parametrize("chunk_size", [1, 8])
@pytest.mark.parametrize("stream", [False, True])
def test_anthropic_anonymized_secret_never_reaches_upstream_and_comes_back(
    proxy_for: ProxyFactory, upstream: FakeUpstream, stream: bool, chunk_size: int
) -> None:
    secret = fake_aws_key_id()
    upstream.echo, upstream.chunk_size = True, chunk_size
    with proxy_for(ANONYMIZE_SECRETS) as px:
        client = _anthropic(px.url)
        kwargs = {"model": "m", "max_tokens": 50, "messages": _anthropic_history(secret),
                  "tools": [TOOL]}
        if stream:
            with client.messages.stream(**kwargs) as events:  # type: ignore[arg-type]
                text = "".join(events.text_stream)
        else:
            reply = client.messages.create(**kwargs)  # type: ignore[arg-type]
            text = "".join(b.text for b in reply.content if b.type == "text")
    assert secret not in upstream.received_text()
    assert "SECRET_1_" in upstream.received_text()
    assert secret in text and "SECRET_1_" not in text


def test_anthropic_streamed_tool_arguments_are_restored(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    secret = fake_github_pat()
    upstream.chunk_size = 1
    with proxy_for(ANONYMIZE_SECRETS) as px:
        client = _anthropic(px.url)
        first = [{"role": "user", "content": f"token is {secret}; save it"}]
        client.messages.create(model="m", max_tokens=50, messages=first)  # fills the vault
        found = re.search(r"SECRET_1_[0-9a-f]{4}", upstream.received_text())
        assert found is not None
        placeholder = found.group()
        upstream.reply(tool_call=ToolCall("Write", {"file_path": "/x", "content": placeholder}))
        with client.messages.stream(model="m", max_tokens=50, messages=first,
                                    tools=[TOOL]) as events:
            final = events.get_final_message()
    tool_use = next(b for b in final.content if b.type == "tool_use")
    assert tool_use.input == {"file_path": "/x", "content": secret}
    assert secret not in upstream.received_text()


def test_same_value_gets_the_same_placeholder_every_turn(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    secret = fake_aws_key_id()
    with proxy_for(ANONYMIZE_SECRETS, session_id="one-conversation") as px:
        client = _anthropic(px.url)
        history: list[dict[str, object]] = [{"role": "user", "content": f"key {secret}"}]
        client.messages.create(model="m", max_tokens=5, messages=history)
        history += [{"role": "assistant", "content": "ok"},
                    {"role": "user", "content": f"again {secret}"}]
        client.messages.create(model="m", max_tokens=5, messages=history)
    first, second = (r.json for r in upstream.posts)
    placeholder = first["messages"][0]["content"].split()[1]
    assert placeholder.startswith("SECRET_1_")
    assert second["messages"][0]["content"] == f"key {placeholder}"
    assert second["messages"][2]["content"] == f"again {placeholder}"


@pytest.mark.parametrize("stream", [False, True])
def test_openai_chat_tool_message_secret_is_anonymized_and_restored(
    proxy_for: ProxyFactory, upstream: FakeUpstream, stream: bool
) -> None:
    secret = fake_github_pat()
    upstream.echo, upstream.chunk_size = True, 1
    messages = [
        {"role": "user", "content": "read config"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "read_file", "arguments": json.dumps({"path": "cfg"})}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": f"token={secret}"},
    ]
    with proxy_for(ANONYMIZE_SECRETS) as px:
        client = _openai(px.url)
        if stream:
            chunks = client.chat.completions.create(model="m", messages=messages, stream=True)  # type: ignore[arg-type]
            text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        else:
            reply = client.chat.completions.create(model="m", messages=messages)  # type: ignore[arg-type]
            text = reply.choices[0].message.content or ""
    assert secret not in upstream.received_text()
    assert secret in text


@pytest.mark.parametrize("stream", [False, True])
def test_openai_responses_function_output_secret_is_anonymized_and_restored(
    proxy_for: ProxyFactory, upstream: FakeUpstream, stream: bool
) -> None:
    secret = fake_aws_key_id()
    upstream.echo, upstream.chunk_size = True, 1
    items = [
        {"role": "user", "content": "show env"},
        {"type": "function_call", "call_id": "c1", "name": "shell",
         "arguments": json.dumps({"command": "cat .env"})},
        {"type": "function_call_output", "call_id": "c1", "output": f"KEY={secret}"},
    ]
    with proxy_for(ANONYMIZE_SECRETS) as px:
        client = _openai(px.url)
        if stream:
            events = client.responses.create(model="m", input=items, stream=True)  # type: ignore[arg-type]
            text = "".join(e.delta for e in events if e.type == "response.output_text.delta")
        else:
            text = client.responses.create(model="m", input=items).output_text  # type: ignore[arg-type]
    assert secret not in upstream.received_text()
    assert secret in text


def test_openai_secret_blocked_with_openai_error_shape(
    proxy_for: ProxyFactory, upstream: FakeUpstream
) -> None:
    with proxy_for() as px, pytest.raises(openai.BadRequestError) as caught:
        _openai(px.url).chat.completions.create(
            model="m", messages=[{"role": "user", "content": f"use {fake_github_pat()}"}]
        )
    assert caught.value.status_code == 400
    assert "leakguard blocked this request" in str(caught.value)
    assert upstream.posts == []
