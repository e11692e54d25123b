"""Provider adapters, request side: every outbound string found and named, opaque
fields skipped by rule, replace() writes back where the slot says, and each API's
own path matching and error shape.

Bodies follow the structure of requests captured from Claude Code, Codex, Gemini CLI,
aider and the SDKs (shared/ai-clients/shapes), with fake content. Every string that
must be scanned is unique and mapped to the label a person should see; every opaque
one contains "opaque" and must never be returned.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from leakguard.proxy.providers import PROVIDERS, for_request
from leakguard.proxy.providers.base import Provider, replace
from leakguard.proxy.providers.walk import tool_call

READ = "Read(/repo/.env)"

ANTHROPIC_BODY: dict[str, Any] = {
    "model": "claude-opus",
    "max_tokens": 64000,
    "stream": True,
    "metadata": {"user_id": "opaque-user-id"},
    "thinking": {"type": "adaptive"},
    "system": [
        {"type": "text", "text": "sys one"},
        {"type": "text", "text": "sys two", "cache_control": {"type": "ephemeral"}},
    ],
    "messages": [
        {"role": "user", "content": [
            {"type": "text", "text": "<system-reminder>claude md</system-reminder>"},
            {"type": "text", "text": "read the env file"},
        ]},
        {"role": "system", "content": "reminder as a system message"},
        {"role": "assistant", "content": [
            {"type": "thinking", "thinking": "opaque thought", "signature": "opaque-sig"},
            {"type": "redacted_thinking", "data": "opaque-redacted"},
            {"type": "text", "text": "I will read it"},
            {"type": "tool_use", "id": "toolu_01", "name": "Read",
             "input": {"file_path": "/repo/.env", "limit": 20, "extra": {"deep": ["nested arg"]}}},
        ]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_01", "content": "1\tAWS_KEY=value",
             "cache_control": {"type": "ephemeral"}},
        ]},
        {"role": "assistant", "content": [
            {"type": "tool_use", "id": "toolu_02", "name": "Bash",
             "input": {"command": "cat secrets.env", "description": "show"}},
        ]},
        {"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "toolu_02", "is_error": False, "content": [
                {"type": "text", "text": "bash stdout"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                             "data": "opaque-png"}},
            ]},
            {"type": "document", "title": "doc title",
             "source": {"type": "text", "media_type": "text/plain", "data": "doc body"}},
            {"type": "document", "source": {"type": "base64", "media_type": "application/pdf",
                                            "data": "opaque-pdf"}},
            {"type": "image", "source": {"type": "url", "url": "https://img.example/a.png"}},
            {"type": "search_result", "source": "https://kb.example", "title": "kb title",
             "content": [{"type": "text", "text": "kb text"}]},
        ]},
        {"role": "user", "content": "plain string prompt"},
    ],
    "tools": [
        {"name": "Read", "description": "Reads a file",
         "input_schema": {"type": "object", "properties": {
             "file_path": {"type": "string", "description": "absolute path"}},
             "required": ["file_path"]}},
    ],
}
ANTHROPIC_SLOTS = {
    "sys one": "system prompt",
    "sys two": "system prompt",
    "<system-reminder>claude md</system-reminder>": "user message 1",
    "read the env file": "user message 1",
    "reminder as a system message": "system message 2",
    "I will read it": "assistant message 3",
    "/repo/.env": "input of Read",
    "nested arg": "input of Read",
    "1\tAWS_KEY=value": f"output of {READ}",
    "cat secrets.env": "input of Bash",
    "show": "input of Bash",
    "bash stdout": "output of Bash(cat secrets.env)",
    "doc title": "document in user message 6",
    "doc body": "document in user message 6",
    "https://img.example/a.png": "image URL in user message 6",
    "https://kb.example": "user message 6",
    "kb title": "user message 6",
    "kb text": "user message 6",
    "plain string prompt": "user message 7",
    "Reads a file": "description of tool Read",
    "absolute path": "description of tool Read",
}

CHAT_BODY: dict[str, Any] = {
    "model": "gpt-4o",
    "stream": True,
    "stream_options": {"include_usage": True},
    "user": "opaque-user",
    "messages": [
        {"role": "system", "content": "aider system prompt"},
        {"role": "user", "content": [
            {"type": "text", "text": "look at this"},
            {"type": "image_url", "image_url": {"url": "data:image/png;base64,opaque"}},
        ]},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_1", "type": "function",
             "function": {"name": "Read", "arguments": '{"file_path": "/repo/.env"}'}},
        ]},
        {"role": "tool", "tool_call_id": "call_1", "content": "AWS_KEY=value"},
        {"role": "assistant", "content": "Ok."},
        {"role": "tool", "tool_call_id": "call_unknown", "content": [
            {"type": "text", "text": "orphan output"}]},
    ],
    "tools": [{"type": "function", "function": {
        "name": "Read", "description": "Reads a file",
        "parameters": {"type": "object", "properties": {
            "file_path": {"type": "string", "description": "absolute path"}}}}}],
    "response_format": {"type": "json_schema", "json_schema": {"description": "opaque schema"}},
}
CHAT_SLOTS = {
    "aider system prompt": "system message 1",
    "look at this": "user message 2",
    '{"file_path": "/repo/.env"}': "input of Read",
    "AWS_KEY=value": f"output of {READ}",
    "Ok.": "assistant message 5",
    "orphan output": "output of a tool call",
    "Reads a file": "description of tool Read",
    "absolute path": "description of tool Read",
}

RESPONSES_BODY: dict[str, Any] = {
    "model": "gpt-codex",
    "stream": True,
    "instructions": "codex instructions",
    "prompt_cache_key": "opaque-cache-key",
    "reasoning": {"effort": "low"},
    "include": ["reasoning.encrypted_content"],
    "client_metadata": {"x-codex-turn-metadata": "opaque-metadata"},
    "text": {"format": {"type": "json_schema", "schema": {"description": "opaque schema"}}},
    "input": [
        {"type": "additional_tools", "id": "opaque-id", "role": "developer", "tools": [
            {"type": "namespace", "name": "functions", "description": "namespace doc", "tools": [
                {"type": "custom", "name": "exec", "description": "exec doc",
                 "format": {"type": "grammar", "syntax": "lark", "definition": "opaque-lark"}},
                {"type": "function", "name": "wait", "description": "wait doc", "parameters": {
                    "type": "object", "properties": {
                        "cell_id": {"type": "string", "description": "cell doc"}}}},
            ]}]},
        {"type": "message", "id": "opaque-msg-id", "role": "developer",
         "content": [{"type": "input_text", "text": "developer text"}]},
        {"role": "user", "content": "user string"},
        {"type": "message", "role": "user", "content": [
            {"type": "input_text", "text": "user part"},
            {"type": "input_image", "image_url": "data:image/png;base64,opaque"},
            {"type": "input_file", "file_data": "opaque-file", "filename": "opaque.pdf"},
        ]},
        {"type": "reasoning", "id": "rs_1", "encrypted_content": "opaque-encrypted",
         "summary": [{"type": "summary_text", "text": "reasoning summary text"}]},
        {"type": "function_call", "call_id": "call_1", "name": "shell",
         "arguments": '{"command": ["bash", "-lc", "cat .env"]}'},
        {"type": "function_call_output", "call_id": "call_1", "output": "AWS_KEY=value"},
        {"type": "custom_tool_call", "call_id": "call_2", "name": "apply_patch",
         "input": "*** Begin Patch\n*** Update File: a.py"},
        {"type": "custom_tool_call_output", "call_id": "call_2",
         "output": [{"type": "input_text", "text": "patch applied"}]},
        {"type": "message", "role": "assistant", "content": [
            {"type": "output_text", "text": "assistant said", "annotations": []}]},
    ],
    "tools": [{"type": "function", "name": "Read", "description": "Reads a file",
               "parameters": {"type": "object", "properties": {}}}],
}
RESPONSES_SLOTS = {
    "codex instructions": "system prompt",
    "namespace doc": "description of tool functions",
    "exec doc": "description of tool exec",
    "wait doc": "description of tool wait",
    "cell doc": "description of tool wait",
    "developer text": "developer message 2",
    "user string": "user message 3",
    "user part": "user message 4",
    "reasoning summary text": "reasoning summary",
    '{"command": ["bash", "-lc", "cat .env"]}': "input of shell",
    "AWS_KEY=value": "output of shell(bash -lc cat .env)",
    "*** Begin Patch\n*** Update File: a.py": "input of apply_patch",
    "patch applied": "output of apply_patch(*** Begin Patch)",
    "assistant said": "assistant message 10",
    "Reads a file": "description of tool Read",
}

GEMINI_BODY: dict[str, Any] = {
    "contents": [
        {"role": "user", "parts": [{"text": "directory listing"}, {"text": "say hi"}]},
        {"role": "model", "parts": [
            {"text": "thinking aloud", "thought": True, "thoughtSignature": "opaque-sig"},
            {"functionCall": {"id": "fc-1", "name": "read_file", "args": {
                "file_path": "secrets.env", "opts": {"encoding": "utf8 arg"}}},
             "thoughtSignature": "opaque-sig-2"},
        ]},
        {"role": "user", "parts": [
            {"functionResponse": {"id": "fc-1", "name": "read_file",
                                  "response": {"output": "AWS_KEY=value"}}},
            {"inlineData": {"mimeType": "image/png", "data": "opaque-png"}},
            {"fileData": {"mimeType": "application/pdf", "fileUri": "opaque-uri"}},
        ]},
    ],
    "systemInstruction": {"role": "user", "parts": [{"text": "gemini system"}]},
    "tools": [{"functionDeclarations": [{
        "name": "read_file", "description": "Reads a file",
        "parametersJsonSchema": {"type": "object", "properties": {
            "file_path": {"type": "string", "description": "path doc"}}}}]}],
    "generationConfig": {"responseMimeType": "application/json", "responseJsonSchema": {
        "type": "OBJECT", "properties": {"x": {"type": "STRING", "description": "opaque d"}}}},
}
GEMINI_SLOTS = {
    "directory listing": "user message 1",
    "say hi": "user message 1",
    "thinking aloud": "model message 2",
    "secrets.env": "input of read_file",
    "utf8 arg": "input of read_file",
    "AWS_KEY=value": "output of read_file(secrets.env)",
    "gemini system": "system prompt",
    "Reads a file": "description of tool read_file",
    "path doc": "description of tool read_file",
}

CASES = {
    "anthropic": (ANTHROPIC_BODY, ANTHROPIC_SLOTS),
    "openai-chat": (CHAT_BODY, CHAT_SLOTS),
    "openai-responses": (RESPONSES_BODY, RESPONSES_SLOTS),
    "gemini": (GEMINI_BODY, GEMINI_SLOTS),
}


@pytest.mark.parametrize("api", CASES)
def test_every_outbound_string_is_found_with_its_label(api: str) -> None:
    body, expected = CASES[api]
    slots = list(PROVIDERS[api].text_slots(copy.deepcopy(body)))
    found: dict[str, set[str]] = {}
    for slot in slots:
        found.setdefault(slot.text, set()).add(slot.label)
    assert found == {text: {label} for text, label in expected.items()}


@pytest.mark.parametrize("api", CASES)
def test_opaque_fields_are_never_returned(api: str) -> None:
    body, _ = CASES[api]
    assert "opaque" in json.dumps(body)
    assert not [s.text for s in PROVIDERS[api].text_slots(body) if "opaque" in s.text]


@pytest.mark.parametrize("api", CASES)
def test_replace_writes_back_at_the_slot_path(api: str) -> None:
    body = copy.deepcopy(CASES[api][0])
    provider = PROVIDERS[api]
    before = list(provider.text_slots(body))
    for number, slot in enumerate(before):
        replace(body, slot.path, f"<{number}:{slot.text}>")
    after = list(provider.text_slots(body))
    assert [s.text for s in after] == [f"<{n}:{s.text}>" for n, s in enumerate(before)]
    assert [s.path for s in after] == [s.path for s in before]
    # Nothing else moved: opaque and structural values are as they were.
    for slot in after:
        replace(body, slot.path, slot.text.split(":", 1)[1][:-1])
    assert body == CASES[api][0]


SOURCES = [
    ("anthropic", "1\tAWS_KEY=value", "/repo/.env"),
    ("anthropic", "bash stdout", None),
    ("openai-chat", "AWS_KEY=value", "/repo/.env"),
    ("openai-responses", "AWS_KEY=value", None),
    ("gemini", "AWS_KEY=value", "secrets.env"),
    ("gemini", "say hi", None),
]


@pytest.mark.parametrize(("api", "text", "source"), SOURCES)
def test_a_file_reading_tools_output_names_its_source(
    api: str, text: str, source: str | None
) -> None:
    slots = [s for s in PROVIDERS[api].text_slots(CASES[api][0]) if s.text == text]
    assert [s.source for s in slots] == [source]


TITLES = [
    ("Read", {"file_path": "/repo/.env"}, "Read(/repo/.env)", "/repo/.env"),
    ("Bash", {"command": "cat .env", "description": "show"}, "Bash(cat .env)", None),
    ("Bash", {"command": "x" * 100}, "Bash(" + "x" * 59 + "…)", None),
    ("Grep", {"pattern": "AKIA", "path": "src"}, "Grep(src)", None),
    ("read_file", {"path": "a.txt"}, "read_file(a.txt)", "a.txt"),
    ("shell", '{"command": ["bash", "-lc", "ls"]}', "shell(bash -lc ls)", None),
    ("apply_patch", "*** Begin Patch\nrest", "apply_patch(*** Begin Patch)", None),
    ("TodoWrite", {"todos": []}, "TodoWrite", None),
    ("Bash", {"command": "curl -H 'x-api-key: " + "sk-" + "Q3ZL7WX2" * 4 + "' api"},
     "Bash(curl -H 'x-api-key: sk-Q…' api)", None),
    ("Read", {"file_path": "/repo/src/VeryLongComponentName.tsx"},
     "Read(/repo/src/VeryLongComponentName.tsx)", "/repo/src/VeryLongComponentName.tsx"),
    ("", None, "a tool", None),
]


@pytest.mark.parametrize(("name", "arguments", "title", "source"), TITLES)
def test_tool_call_titles(name: str, arguments: Any, title: str, source: str | None) -> None:
    call = tool_call(name, arguments)
    assert (call.title, call.source) == (title, source)


def test_count_tokens_request_wrapped_for_gemini() -> None:
    body = {"generateContentRequest": {"model": "models/g", "contents": [
        {"role": "user", "parts": [{"text": "count me"}]}]}}
    slots = list(PROVIDERS["gemini"].text_slots(body))
    assert [(s.path, s.label) for s in slots] == [
        (("generateContentRequest", "contents", 0, "parts", 0, "text"), "user message 1")]


def test_string_input_and_system_are_slots() -> None:
    assert [(s.path, s.label) for s in PROVIDERS["openai-responses"].text_slots(
        {"input": "hi", "instructions": "be brief"})] == [
        (("instructions",), "system prompt"), (("input",), "user message 1")]
    assert [(s.path, s.label) for s in PROVIDERS["anthropic"].text_slots(
        {"system": "be brief", "messages": [{"role": "user", "content": "hi"}]})] == [
        (("system",), "system prompt"), (("messages", 0, "content"), "user message 1")]


ROUTES = [
    ("POST", "/v1/messages", "anthropic"),
    ("POST", "/v1/messages?beta=true", "anthropic"),
    ("POST", "/gateway/v1/messages", "anthropic"),
    ("POST", "/v1/messages/count_tokens", "anthropic"),
    ("HEAD", "/", None),
    ("GET", "/v1/models", None),
    ("POST", "/v1/chat/completions", "openai-chat"),
    ("POST", "/openai/deployments/gpt/chat/completions", "openai-chat"),
    ("POST", "/v1/responses", "openai-responses"),
    ("POST", "/v1/responses/compact", "openai-responses"),
    ("GET", "/v1/responses", None),  # Codex's WebSocket upgrade attempt
    ("POST", "/v1beta/models/gemini-pro:generateContent", "gemini"),
    ("POST", "/v1beta/models/gemini-pro:streamGenerateContent?alt=sse", "gemini"),
    ("POST", "/v1/models/gemini-pro:countTokens", "gemini"),
    ("POST", "/v1/projects/p/locations/l/publishers/google/models/g:generateContent", "gemini"),
    ("POST", "/v1beta/models/gemini-pro:embedContent", None),
]


@pytest.mark.parametrize(("method", "path", "api"), ROUTES)
def test_matches(method: str, path: str, api: str | None) -> None:
    found = for_request(method, path)
    assert found is (PROVIDERS[api] if api else None)


ERRORS: list[tuple[str, dict[str, Any]]] = [
    ("anthropic", {"type": "error", "error": {"type": "invalid_request_error", "message": "M"}}),
    ("openai-chat", {"error": {"message": "M", "type": "invalid_request_error", "param": None,
                               "code": "leakguard_blocked"}}),
    ("openai-responses", {"error": {"message": "M", "type": "invalid_request_error",
                                    "param": None, "code": "leakguard_blocked"}}),
    ("gemini", {"error": {"code": 400, "message": "M", "status": "INVALID_ARGUMENT"}}),
]


@pytest.mark.parametrize(("api", "expected"), ERRORS)
def test_error_body_in_the_apis_own_shape(api: str, expected: dict[str, Any]) -> None:
    provider: Provider = PROVIDERS[api]
    assert provider.error_body("M") == expected
    assert provider.name == {"anthropic": "anthropic", "gemini": "gemini"}.get(api, "openai")


def test_non_object_bodies_yield_nothing() -> None:
    for provider in PROVIDERS.values():
        assert list(provider.text_slots([1, "x"])) == []
        assert list(provider.text_slots({"messages": "x", "input": 3, "contents": None})) in (
            [], [])


def test_a_long_file_path_keeps_its_file_name_in_the_label() -> None:
    from leakguard.proxy.providers.walk import tool_call

    path = "/home/someone/work/" + "deeply/nested/" * 6 + "deploy.env"
    call = tool_call("Read", {"file_path": path})
    assert call.title.endswith("deploy.env)") and "…" in call.title
    assert len(call.title) <= len("Read()") + 60
    command = tool_call("Bash", {"command": "grep -r needle " + "x/" * 40})
    assert command.title.startswith("Bash(grep -r needle")
