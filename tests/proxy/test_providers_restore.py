"""Provider adapters, response side: placeholders back to values in whole JSON
answers and in SSE streams cut anywhere (down to one character per event), with
values JSON-escaped inside streamed tool arguments."""

from __future__ import annotations

import copy
import itertools
import json
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leakguard.proxy.providers import PROVIDERS
from leakguard.proxy.providers.base import SseEvent
from leakguard.transform.restore import restore
from leakguard.transform.vault import Vault
from tests.helpers import fake_aws_key_id
from tests.proxy.provider_streams import STREAMS, cut, run, sse

TRICKY = 'pa"ss\\w\u00f6rd \u2013 \u2713\n\tend'  # quote, backslash, non-ASCII, controls
EMAIL = "jane" + "@" + "example.org"


def make_vault() -> Vault:
    vault = Vault("a3f9")
    vault.placeholder_for(fake_aws_key_id(), "SECRET")  # SECRET_1_a3f9
    vault.placeholder_for(TRICKY, "SECRET")  # SECRET_2_a3f9
    vault.placeholder_for(EMAIL, "EMAIL")  # EMAIL_1_a3f9
    for number in range(12):  # IP_1 is a prefix of IP_10, IP_11, IP_12
        vault.placeholder_for(f"10.0.0.{number}", "IP")
    return vault


VAULT = make_vault()
TEXT = ("Key SECRET_1_a3f9 then SECRET_2_a3f9; mail EMAIL_1_a3f9. IPs IP_1_a3f9/IP_11_a3f9/"
        "IP_12_a3f9x IP_1 alone, EMAIL_ and SECRET_9_a3f9 stay. Ünïcødé ✓ SECRET_1_a3f9")
ARGS_OBJECT = {"command": "echo SECRET_2_a3f9 > IP_1_a3f9", "note": "SECRET_1_a3f9EMAIL_1_a3f9",
               "ünï": ["plain", "IP_12_a3f9"]}
ARGS = json.dumps(ARGS_OBJECT)


def restored(value: Any) -> Any:
    if isinstance(value, str):
        return restore(value, VAULT).text
    if isinstance(value, dict):
        return {k: restored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [restored(v) for v in value]
    return value


def test_fixture_values_need_escaping() -> None:
    assert json.dumps(TRICKY)[1:-1] != TRICKY
    assert restored(ARGS_OBJECT)["command"] == f"echo {TRICKY} > 10.0.0.0"
    assert restored(TEXT).endswith(fake_aws_key_id())


@pytest.mark.parametrize("size", [1, 2, 3, 7, 0], ids=["1", "2", "3", "7", "whole"])
@pytest.mark.parametrize("api", STREAMS)
def test_streams_restore_text_and_tool_arguments(api: str, size: int) -> None:
    build, receive = STREAMS[api]
    restorer = PROVIDERS[api].restorer(VAULT)
    out = run(restorer, build(cut(TEXT, size), cut(ARGS, size)))
    received = receive(out)
    assert received.text == restored(TEXT)
    assert received.arguments == restored(ARGS_OBJECT)
    sent = "".join(event.data for event in out)
    for placeholder in ("SECRET_1_a3f9", "SECRET_2_a3f9", "EMAIL_1_a3f9", "IP_11_a3f9"):
        assert placeholder not in sent
    assert "SECRET_9_a3f9" in received.text  # unknown to the vault: left as written


@pytest.mark.parametrize("api", STREAMS)
def test_events_pass_untouched_when_nothing_is_restored(api: str) -> None:
    build, _ = STREAMS[api]
    events = build(cut("plain words, no placeholders", 3), cut('{"a": "b"}', 3))
    assert run(PROVIDERS[api].restorer(VAULT), events) == events


def _anthropic_text(restorer: Any, text: str) -> list[str]:
    event = sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                        "delta": {"type": "text_delta", "text": text}})
    return [json.loads(e.data)["delta"]["text"] for e in restorer.restore_event(event)]


def test_text_that_cannot_be_a_placeholder_goes_on_at_once() -> None:
    restorer = PROVIDERS["anthropic"].restorer(VAULT)
    assert _anthropic_text(restorer, "hello ") == ["hello "]
    assert _anthropic_text(restorer, "EMAIL_2") == ["EMAIL_2"]  # no known one starts so
    assert _anthropic_text(restorer, " SECRET_1") == [" "]  # the rest may be a placeholder
    assert _anthropic_text(restorer, "_a3f") == []  # dropped: nothing to send yet
    assert _anthropic_text(restorer, "9 ok IP_1") == [fake_aws_key_id() + " ok "]
    assert _anthropic_text(restorer, "_a3f9.") == ["10.0.0.0."]
    stop = sse("content_block_stop", {"type": "content_block_stop", "index": 0})
    assert _anthropic_text(restorer, "IP_1") == []
    flushed = restorer.restore_event(stop)
    assert [json.loads(e.data)["delta"]["text"] for e in flushed[:-1]] == ["IP_1"]
    assert flushed[-1] == stop


def test_gemini_sends_no_empty_text_parts_while_holding() -> None:
    restorer = PROVIDERS["gemini"].restorer(VAULT)
    events = STREAMS["gemini"][0](cut("ab SECRET_1_a3f9 cd", 1), ["{}"])
    out = run(restorer, events)
    for event in out[:-1]:  # the last chunk is the upstream's own empty STOP part
        parts = json.loads(event.data)["candidates"][0]["content"]["parts"]
        assert all(p.get("text") != "" for p in parts), event
    assert len(out) < len(events)  # chunks whose text was all held were dropped


def test_anthropic_thinking_is_left_as_written() -> None:
    restorer = PROVIDERS["anthropic"].restorer(VAULT)
    event = sse("content_block_delta", {"type": "content_block_delta", "index": 0,
                                        "delta": {"type": "thinking_delta",
                                                  "thinking": "SECRET_1_a3f9"}})
    assert restorer.restore_event(event) == [event]
    body = {"content": [{"type": "thinking", "thinking": "SECRET_1_a3f9", "signature": "s"},
                        {"type": "text", "text": "SECRET_1_a3f9"}]}
    out = restorer.restore_json(copy.deepcopy(body))
    assert out["content"][0] == body["content"][0]
    assert out["content"][1]["text"] == fake_aws_key_id()


def test_finish_flushes_a_stream_cut_short() -> None:
    for api, (build, _) in STREAMS.items():
        restorer = PROVIDERS[api].restorer(VAULT)
        events = build(cut("see SECRET_1_a3f9", 1), cut("{}", 1))[:-4]
        out = run(restorer, events)
        text = "".join(json.loads(e.data).get("delta", {}).get("text", "") if api == "anthropic"
                       else e.data for e in out)
        assert fake_aws_key_id() in text or api != "anthropic", api


JSON_BODIES: dict[str, tuple[dict[str, Any], list[tuple[Any, ...]]]] = {
    "anthropic": (
        {"type": "message", "content": [
            {"type": "text", "text": TEXT},
            {"type": "tool_use", "id": "t", "name": "Bash", "input": ARGS_OBJECT}]},
        [("content", 0, "text"), ("content", 1, "input")],
    ),
    "openai-chat": (
        {"object": "chat.completion", "choices": [{"index": 0, "message": {
            "role": "assistant", "content": TEXT, "tool_calls": [{
                "id": "c", "type": "function",
                "function": {"name": "Bash", "arguments": ARGS}}]}}]},
        [("choices", 0, "message", "content"),
         ("choices", 0, "message", "tool_calls", 0, "function", "arguments", "json")],
    ),
    "openai-responses": (
        {"object": "response", "output_text": TEXT, "output": [
            {"type": "reasoning", "summary": [{"type": "summary_text", "text": "SECRET_1_a3f9"}]},
            {"type": "message", "content": [{"type": "output_text", "text": TEXT}]},
            {"type": "function_call", "name": "Bash", "arguments": ARGS},
            {"type": "custom_tool_call", "name": "exec", "input": TEXT}]},
        [("output_text",), ("output", 1, "content", 0, "text"),
         ("output", 2, "arguments", "json"), ("output", 3, "input")],
    ),
    "gemini": (
        {"candidates": [{"content": {"role": "model", "parts": [
            {"text": TEXT}, {"functionCall": {"name": "Bash", "args": ARGS_OBJECT}}]}}]},
        [("candidates", 0, "content", "parts", 0, "text"),
         ("candidates", 0, "content", "parts", 1, "functionCall", "args")],
    ),
}


def _at(body: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        body = json.loads(body) if key == "json" else body[key]
    return body


@pytest.mark.parametrize("api", JSON_BODIES)
def test_whole_json_answers_are_restored(api: str) -> None:
    body, paths = JSON_BODIES[api]
    out = PROVIDERS[api].restorer(VAULT).restore_json(copy.deepcopy(body))
    out = json.loads(json.dumps(out))  # as sent: valid JSON throughout
    for path in paths:
        assert _at(out, path) == restored(_at(body, path)), path
    if api == "openai-responses":
        assert out["output"][0] == body["output"][0]  # reasoning left as written
    if api == "gemini":  # the array a stream without alt=sse returns
        whole = PROVIDERS[api].restorer(VAULT).restore_json([copy.deepcopy(body)])
        assert whole[0] == out


PIECES = st.sampled_from([
    "SECRET_1_a3f9", "SECRET_2_a3f9", "EMAIL_1_a3f9", "IP_1_a3f9", "IP_11_a3f9", "IP_1",
    "SECRET_", "_a3f9", "EMAIL_9_a3f9", " ", "\n", "x", "é", '"', "\\",
]) | st.text(max_size=5)


@settings(max_examples=150, deadline=None)
# A held text tail flushed before a function call must not skip restoring its args.
@example(api="gemini", text="IP_1", args="SECRET_1_a3f9", cuts=[])
@given(
    api=st.sampled_from(sorted(STREAMS)),
    text=st.lists(PIECES, max_size=25).map("".join),
    args=st.lists(PIECES, max_size=10).map("".join),
    cuts=st.lists(st.integers(min_value=1, max_value=300), max_size=15),
)
def test_any_chunking_gives_the_restored_whole(
    api: str, text: str, args: str, cuts: list[int]
) -> None:
    """Whatever the upstream's chunking, the client sees exactly the restored text,
    and tool arguments that parse to the restored values."""
    def pieces(whole: str) -> list[str]:
        points = sorted({0, *[c for c in cuts if c < len(whole)], len(whole)})
        return [whole[a:b] for a, b in itertools.pairwise(points)] or [""]

    build, receive = STREAMS[api]
    arguments = {"value": args, "list": [args, "k"]}
    received = receive(run(PROVIDERS[api].restorer(VAULT),
                           build(pieces(text), pieces(json.dumps(arguments)))))
    assert received.text == restore(text, VAULT).text
    assert received.arguments == restored(arguments)


def test_unparseable_or_foreign_events_pass_through() -> None:
    for provider in PROVIDERS.values():
        restorer = provider.restorer(VAULT)
        for event in (SseEvent(None, "not json SECRET_1_a3f9"), SseEvent("ping", "{}"),
                      SseEvent(None, "[1, 2]")):
            assert restorer.restore_event(event) in ([event], [])
