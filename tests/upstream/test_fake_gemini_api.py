"""Gemini endpoints of the fake, over raw HTTP (no Gemini SDK in the test deps)."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.fakeupstream import FakeUpstream, ToolCall
from tests.upstream.upstream_helpers import post, sse_events

MODEL = "/v1beta/models/gemini-fake"
READ = ToolCall("read_file", {"file_path": "notes.txt"})


def user(*parts: dict[str, object]) -> dict[str, object]:
    return {"contents": [{"role": "user", "parts": list(parts)}]}


def parts_of(chunk: dict[str, object]) -> list[dict[str, object]]:
    return chunk["candidates"][0]["content"]["parts"]  # type: ignore[index,no-any-return]


def test_generate_content_text_and_function_call(upstream: FakeUpstream) -> None:
    upstream.reply("hello", tool_call=READ)
    answer = post(upstream.url + MODEL + ":generateContent", user({"text": "hi"})).json()
    assert parts_of(answer) == [
        {"text": "hello"},
        {"functionCall": {"name": "read_file", "args": READ.arguments}},
    ]
    assert answer["candidates"][0]["finishReason"] == "STOP"
    assert answer["modelVersion"] == "gemini-fake"
    assert answer["usageMetadata"]["totalTokenCount"] > 0


@pytest.mark.parametrize("gzip", [False, True])
def test_stream_generate_content_sse(upstream: FakeUpstream, gzip: bool) -> None:
    upstream.chunk_size, upstream.gzip_responses = 1, gzip
    upstream.reply("héllo", tool_call=READ)
    url = upstream.url + MODEL + ":streamGenerateContent?alt=sse"
    response = post(url, user({"text": "hi"}))
    assert ("\r\n\r\n" in response.text) and response.headers.get("content-encoding") == (
        "gzip" if gzip else None
    )
    chunks = [data for _, data in sse_events(response.text)]
    texts = [part.get("text") for chunk in chunks for part in parts_of(chunk)]
    assert texts[:5] == list("héllo")
    assert parts_of(chunks[-1]) == [{"functionCall": {"name": "read_file", "args": READ.arguments}}]
    assert [c["candidates"][0].get("finishReason") for c in chunks][-2:] == [None, "STOP"]


def test_json_mode_answers_the_schema_and_keeps_the_queue(upstream: FakeUpstream) -> None:
    upstream.reply("for the conversation")
    schema = {
        "type": "OBJECT",
        "properties": {
            "complexity_reasoning": {"type": "STRING"},
            "complexity_score": {"type": "INTEGER"},
            "next_speaker": {"type": "string", "enum": ["user", "model"]},
        },
    }
    router = user({"text": "classify"}) | {
        "generationConfig": {"responseMimeType": "application/json", "responseJsonSchema": schema}
    }
    answer = post(upstream.url + MODEL + ":generateContent", router).json()
    routed = json.loads(parts_of(answer)[0]["text"])  # type: ignore[arg-type]
    assert routed == {"complexity_reasoning": "fake reasoning", "complexity_score": 1,
                      "next_speaker": "user"}  # fmt: skip
    answer = post(upstream.url + MODEL + ":generateContent", user({"text": "x"})).json()
    assert parts_of(answer) == [{"text": "for the conversation"}]


def test_echo_of_function_response_and_text(upstream: FakeUpstream) -> None:
    upstream.echo = True
    url = upstream.url + MODEL + ":generateContent"
    context = {"text": "<session_context>dir listing</session_context>"}
    assert parts_of(post(url, user(context, {"text": "mine"})).json()) == [{"text": "mine"}]
    response = {"functionResponse": {"name": "read_file", "response": {"output": "file body"}}}
    body = {"contents": [
        {"role": "user", "parts": [{"text": "read"}]},
        {"role": "model", "parts": [{"functionCall": {"name": "read_file", "args": {}}}]},
        {"role": "user", "parts": [response]},
    ]}  # fmt: skip
    assert parts_of(post(url, body).json()) == [{"text": "file body"}]


def test_errors_count_tokens_and_models(upstream: FakeUpstream) -> None:
    upstream.fail(429)
    failed = post(upstream.url + MODEL + ":generateContent", user({"text": "x"}))
    assert failed.status_code == 429
    assert failed.json()["error"]["status"] == "RESOURCE_EXHAUSTED"
    counted = post(upstream.url + MODEL + ":countTokens", user({"text": "x"})).json()
    assert counted["totalTokens"] >= 1
    listing = httpx.get(upstream.url + "/v1beta/models", timeout=10).json()
    assert listing["models"][0]["name"].startswith("models/")
