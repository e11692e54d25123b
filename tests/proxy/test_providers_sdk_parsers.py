"""What the restorers emit, one character per upstream event, parsed by the official
SDKs' own stream accumulators: the final message carries the restored values."""

from __future__ import annotations

import json
from typing import Any

import pytest

from leakguard.proxy.providers import PROVIDERS
from tests.proxy.provider_streams import STREAMS, cut, run
from tests.proxy.test_providers_restore import ARGS, ARGS_OBJECT, TEXT, VAULT, restored


def _events(api: str) -> list[Any]:
    build, _ = STREAMS[api]
    return run(PROVIDERS[api].restorer(VAULT), build(cut(TEXT, 1), cut(ARGS, 1)))


def test_anthropic_sdk_accumulates_the_restored_message() -> None:
    anthropic = pytest.importorskip("anthropic")
    from anthropic._models import construct_type
    from anthropic.lib.streaming._messages import accumulate_event

    snapshot = None
    buffers: dict[int, bytes] = {}
    for event in _events("anthropic"):
        parsed = construct_type(type_=anthropic.types.RawMessageStreamEvent,
                                value=json.loads(event.data))
        snapshot = accumulate_event(event=parsed, current_snapshot=snapshot, json_bufs=buffers)
    assert snapshot is not None
    text, tool = snapshot.content
    assert text.text == restored(TEXT)
    assert tool.input == restored(ARGS_OBJECT)


def test_openai_sdk_accumulates_the_restored_chat_completion() -> None:
    pytest.importorskip("openai")
    from openai.lib.streaming.chat import ChatCompletionStreamState
    from openai.types.chat import ChatCompletionChunk

    state: Any = ChatCompletionStreamState()
    for event in _events("openai-chat"):
        if event.data != "[DONE]":
            state.handle_chunk(ChatCompletionChunk.model_validate(json.loads(event.data)))
    message = state.get_final_completion().choices[0].message
    assert message.content == restored(TEXT)
    assert json.loads(message.tool_calls[0].function.arguments) == restored(ARGS_OBJECT)


def test_openai_sdk_accumulates_the_restored_response() -> None:
    pytest.importorskip("openai")
    from openai import omit
    from openai._models import construct_type_unchecked
    from openai.lib.streaming.responses import ResponseStreamState
    from openai.types.responses import ResponseStreamEvent
    from openai.types.responses.response_function_call_arguments_delta_event import (
        ResponseFunctionCallArgumentsDeltaEvent,
    )

    state: Any = ResponseStreamState(input_tools=[], text_format=omit)
    deltas = ""
    for event in _events("openai-responses"):
        parsed = construct_type_unchecked(type_=ResponseStreamEvent,  # type: ignore[arg-type]
                                          value=json.loads(event.data))
        for out in state.handle_event(parsed):
            if isinstance(out, ResponseFunctionCallArgumentsDeltaEvent):
                deltas += out.delta
    response = state._completed_response or state._ResponseStreamState__current_snapshot
    assert response.output_text == restored(TEXT)
    call = response.output[1]
    assert json.loads(call.arguments) == json.loads(deltas) == restored(ARGS_OBJECT)
