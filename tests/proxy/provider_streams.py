"""Streams as each API sends them (text deltas, then one tool call with streamed or
whole arguments), and what a client reassembles from the events it receives."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leakguard.proxy.providers.base import ResponseRestorer, SseEvent


def sse(name: str | None, body: Any) -> SseEvent:
    return SseEvent(name, json.dumps(body))


def cut(text: str, size: int) -> list[str]:
    """``text`` in pieces of ``size`` characters (0: whole)."""
    if size <= 0:
        return [text]
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


@dataclass
class Received:
    """What a client puts together: the text, the tool arguments, event names."""

    text: str
    arguments: Any  # parsed JSON object
    names: list[str]


def run(restorer: ResponseRestorer, events: list[SseEvent]) -> list[SseEvent]:
    out: list[SseEvent] = []
    for event in events:
        out.extend(restorer.restore_event(event))
    out.extend(restorer.finish())
    return out


# -- Anthropic ----------------------------------------------------------------------


def anthropic(text: list[str], args: list[str]) -> list[SseEvent]:
    message = {"id": "msg_1", "type": "message", "role": "assistant", "model": "claude",
               "content": [], "stop_reason": None, "stop_sequence": None,
               "usage": {"input_tokens": 3, "output_tokens": 0}}
    events = [sse("message_start", {"type": "message_start", "message": message}),
              sse("content_block_start", {"type": "content_block_start", "index": 0,
                                          "content_block": {"type": "text", "text": ""}}),
              sse("ping", {"type": "ping"})]
    events += [sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                           "delta": {"type": "text_delta", "text": t}})
               for t in text]
    events += [sse("content_block_stop", {"type": "content_block_stop", "index": 0}),
               sse("content_block_start", {"type": "content_block_start", "index": 1,
                                           "content_block": {"type": "tool_use", "id": "toolu_1",
                                                             "name": "Bash", "input": {}}})]
    events += [sse("content_block_delta", {"type": "content_block_delta", "index": 1,
                                           "delta": {"type": "input_json_delta",
                                                     "partial_json": a}}) for a in args]
    events += [sse("content_block_stop", {"type": "content_block_stop", "index": 1}),
               sse("message_delta", {"type": "message_delta", "delta": {
                   "stop_reason": "tool_use", "stop_sequence": None},
                   "usage": {"output_tokens": 9}}),
               sse("message_stop", {"type": "message_stop"})]
    return events


def anthropic_received(events: list[SseEvent]) -> Received:
    text, args, stopped = "", "", set()
    for event in events:
        body = json.loads(event.data)
        assert body["type"] == event.event
        if body["type"] == "content_block_delta":
            assert body["index"] not in stopped, "a delta after its block stopped"
            delta = body["delta"]
            text += delta.get("text", "")
            args += delta.get("partial_json", "")
        elif body["type"] == "content_block_stop":
            stopped.add(body["index"])
    return Received(text, json.loads(args), [str(e.event) for e in events])


# -- OpenAI Chat ----------------------------------------------------------------------


def _chunk(delta: dict[str, Any], finish: str | None = None) -> SseEvent:
    return sse(None, {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1,
                      "model": "gpt", "choices": [{"index": 0, "delta": delta,
                                                   "logprobs": None, "finish_reason": finish}]})


def chat(text: list[str], args: list[str]) -> list[SseEvent]:
    events = [_chunk({"role": "assistant", "content": ""})]
    events += [_chunk({"content": t}) for t in text]
    events.append(_chunk({"tool_calls": [{"index": 0, "id": "call_1", "type": "function",
                                          "function": {"name": "Bash", "arguments": ""}}]}))
    events += [_chunk({"tool_calls": [{"index": 0, "function": {"arguments": a}}]}) for a in args]
    events.append(_chunk({}, "tool_calls"))
    events.append(sse(None, {"id": "chatcmpl-1", "object": "chat.completion.chunk",
                             "created": 1, "model": "gpt", "choices": [],
                             "usage": {"prompt_tokens": 1, "completion_tokens": 2,
                                       "total_tokens": 3}}))
    return [*events, SseEvent(None, "[DONE]")]


def chat_received(events: list[SseEvent]) -> Received:
    text, args, finished = "", "", False
    for event in events:
        if event.data == "[DONE]":
            continue
        for choice in json.loads(event.data)["choices"]:
            assert not finished, "a delta after finish_reason"
            delta = choice["delta"]
            text += delta.get("content") or ""
            for call in delta.get("tool_calls") or ():
                args += call.get("function", {}).get("arguments") or ""
            finished = choice["finish_reason"] is not None
    return Received(text, json.loads(args), ["chunk"] * len(events))


# -- OpenAI Responses -------------------------------------------------------------------


def responses(text: list[str], args: list[str]) -> list[SseEvent]:
    whole_text, whole_args = "".join(text), "".join(args)
    message = {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
               "content": [{"type": "output_text", "text": whole_text, "annotations": []}]}
    call = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "Bash",
            "arguments": whole_args, "status": "completed"}
    response = {"id": "resp_1", "object": "response", "created_at": 1, "model": "gpt",
                "status": "in_progress", "output": [], "parallel_tool_calls": False,
                "tool_choice": "auto", "tools": []}
    seq = iter(range(1000))

    def ev(kind: str, **body: Any) -> SseEvent:
        return sse(kind, {"type": kind, "sequence_number": next(seq), **body})

    text_at = {"item_id": "msg_1", "output_index": 0, "content_index": 0}
    events = [ev("response.created", response=response),
              ev("response.output_item.added", output_index=0,
                 item={**message, "status": "in_progress", "content": []}),
              ev("response.content_part.added", **text_at,
                 part={"type": "output_text", "text": "", "annotations": []})]
    events += [ev("response.output_text.delta", **text_at, delta=t, logprobs=[]) for t in text]
    events += [ev("response.output_text.done", **text_at, text=whole_text, logprobs=[]),
               ev("response.content_part.done", **text_at, part=message["content"][0]),
               ev("response.output_item.done", output_index=0, item=message),
               ev("response.output_item.added", output_index=1,
                  item={**call, "arguments": "", "status": "in_progress"})]
    events += [ev("response.function_call_arguments.delta", item_id="fc_1", output_index=1,
                  delta=a) for a in args]
    events += [ev("response.function_call_arguments.done", item_id="fc_1", output_index=1,
                  arguments=whole_args),
               ev("response.output_item.done", output_index=1, item=call),
               ev("response.completed", response={**response, "status": "completed",
                                                  "output": [message, call]})]
    return events


def responses_received(events: list[SseEvent]) -> Received:
    text, args, done = "", "", set()
    finals: dict[str, Any] = {}
    for event in events:
        body = json.loads(event.data)
        kind = body["type"]
        assert kind == event.event
        if kind == "response.output_text.delta":
            assert "text" not in done
            text += body["delta"]
        elif kind == "response.function_call_arguments.delta":
            assert "args" not in done
            args += body["delta"]
        elif kind == "response.output_text.done":
            done.add("text")
            assert body["text"] == text, "the .done text repeats the deltas"
        elif kind == "response.function_call_arguments.done":
            done.add("args")
            assert body["arguments"] == args
        elif kind == "response.completed":
            finals = {item["type"]: item for item in body["response"]["output"]}
    assert finals["message"]["content"][0]["text"] == text
    assert finals["function_call"]["arguments"] == args
    return Received(text, json.loads(args), [str(e.event) for e in events])


# -- Gemini ----------------------------------------------------------------------------


def _gemini(parts: list[dict[str, Any]], finish: str | None = None) -> SseEvent:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": parts}, "index": 0}
    if finish:
        candidate["finishReason"] = finish
    return sse(None, {"candidates": [candidate], "modelVersion": "gemini",
                      "usageMetadata": {"promptTokenCount": 3}})


def gemini(text: list[str], args: list[str]) -> list[SseEvent]:
    # Gemini sends a function call whole; streamed pieces are joined into one.
    events = [_gemini([{"text": t}]) for t in text]
    events.append(_gemini([{"functionCall": {"name": "Bash", "args": json.loads("".join(args))},
                            "thoughtSignature": "c2ln"}]))
    return [*events, _gemini([{"text": ""}], "STOP")]


def gemini_received(events: list[SseEvent]) -> Received:
    text, args, called = "", None, False
    for event in events:
        for candidate in json.loads(event.data)["candidates"]:
            for part in candidate.get("content", {}).get("parts", []):
                if "text" in part:
                    assert not called or not part["text"], "text after the function call"
                    text += part["text"]
                if "functionCall" in part:
                    called, args = True, part["functionCall"]["args"]
    return Received(text, args, ["chunk"] * len(events))


STREAMS: dict[str, tuple[Callable[[list[str], list[str]], list[SseEvent]],
                         Callable[[list[SseEvent]], Received]]] = {
    "anthropic": (anthropic, anthropic_received),
    "openai-chat": (chat, chat_received),
    "openai-responses": (responses, responses_received),
    "gemini": (gemini, gemini_received),
}
