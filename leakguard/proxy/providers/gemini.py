"""Gemini: ``/v1beta/models/{m}:generateContent``, ``:streamGenerateContent``,
``:countTokens`` (also ``/v1/...``, tuned models and Vertex-style paths).

Text lives in ``contents[].parts[]`` (text, functionCall.args, functionResponse
.response, executable code and its results), ``systemInstruction.parts[].text`` and
tool descriptions. countTokens may wrap a whole request in ``generateContentRequest``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from leakguard.proxy.providers.base import JsonPath, ResponseRestorer, TextSlot
from leakguard.proxy.providers.gemini_stream import GeminiRestorer
from leakguard.proxy.providers.walk import (
    ToolCall,
    descriptions,
    input_label,
    message_label,
    output_label,
    route,
    strings,
    tool_call,
    tool_label,
)
from leakguard.transform.vault import Vault

ROUTE = re.compile(
    r"/(?:models|tunedModels)/[^/:]+:(?:generateContent|streamGenerateContent|countTokens)$"
)

# Not scanned, by rule: inlineData and fileData (media, base64 or a file URI),
# thoughtSignature (opaque), videoMetadata, ids, and every top-level field but
# contents, systemInstruction and tools (generationConfig with its responseSchema,
# safetySettings, toolConfig, cachedContent, labels).
SKIPPED_PARTS = ("inlineData", "fileData", "thoughtSignature", "videoMetadata")


class Gemini:
    name = "gemini"

    def matches(self, method: str, path: str) -> bool:
        return method.upper() == "POST" and ROUTE.search(route(path)) is not None

    def text_slots(self, body: Any) -> Iterator[TextSlot]:
        yield from _request(body, ())
        if isinstance(body, dict) and isinstance(body.get("generateContentRequest"), dict):
            yield from _request(body["generateContentRequest"], ("generateContentRequest",))

    def error_body(self, message: str) -> dict[str, Any]:
        return {"error": {"code": 400, "message": message, "status": "INVALID_ARGUMENT"}}

    def restorer(self, vault: Vault) -> ResponseRestorer:
        return GeminiRestorer(vault)


def _request(body: Any, path: JsonPath) -> Iterator[TextSlot]:
    if not isinstance(body, dict):
        return
    system = body.get("systemInstruction")
    if isinstance(system, str):
        yield TextSlot((*path, "systemInstruction"), system, "system prompt")
    elif isinstance(system, dict):
        yield from _parts(system.get("parts"), (*path, "systemInstruction", "parts"),
                          "system prompt", {})
    contents = body.get("contents")
    if isinstance(contents, list):
        calls = _tool_calls(contents)
        for index, content in enumerate(contents):
            if isinstance(content, dict):
                label = message_label(content.get("role") or "user", index)
                yield from _parts(content.get("parts"), (*path, "contents", index, "parts"),
                                  label, calls)
    tools = body.get("tools")
    for index, tool in enumerate(tools if isinstance(tools, list) else ()):
        declarations = tool.get("functionDeclarations") if isinstance(tool, dict) else None
        for number, declaration in enumerate(declarations if isinstance(declarations, list)
                                             else ()):
            if isinstance(declaration, dict):
                here = (*path, "tools", index, "functionDeclarations", number)
                yield from descriptions(declaration, here, tool_label(declaration.get("name")))


def _tool_calls(contents: list[Any]) -> dict[str, ToolCall]:
    """functionCall id (and name, for calls without one) -> ``read_file(.env)``."""
    calls: dict[str, ToolCall] = {}
    for content in contents:
        parts = content.get("parts") if isinstance(content, dict) else None
        for part in parts if isinstance(parts, list) else ():
            call = part.get("functionCall") if isinstance(part, dict) else None
            if isinstance(call, dict):
                name = str(call.get("name") or "")
                found = tool_call(name, call.get("args"))
                calls[f"name:{name}"] = found
                if call.get("id"):
                    calls[f"id:{call['id']}"] = found
    return calls


def _parts(
    parts: Any,
    path: JsonPath,
    label: str,
    calls: dict[str, ToolCall],
    source: str | None = None,
) -> Iterator[TextSlot]:
    for index, part in enumerate(parts if isinstance(parts, list) else ()):
        here = (*path, index)
        if not isinstance(part, dict):
            continue
        if isinstance(part.get("text"), str):
            yield TextSlot((*here, "text"), part["text"], label, source)
        call = part.get("functionCall")
        if isinstance(call, dict):
            name = str(call.get("name") or "")
            yield from strings(call.get("args"), (*here, "functionCall", "args"),
                               input_label(name))
        response = part.get("functionResponse")
        if isinstance(response, dict):
            name = str(response.get("name") or "")
            found = (calls.get(f"id:{response.get('id')}") or calls.get(f"name:{name}")
                     or ToolCall(name or "a tool"))
            result, read = output_label(found), found.source
            yield from strings(response.get("response"), (*here, "functionResponse", "response"),
                               result, (), read)
            yield from _parts(response.get("parts"), (*here, "functionResponse", "parts"),
                              result, calls, read)
        code = part.get("executableCode")
        if isinstance(code, dict) and isinstance(code.get("code"), str):
            yield TextSlot((*here, "executableCode", "code"), code["code"], f"code in {label}")
        ran = part.get("codeExecutionResult")
        if isinstance(ran, dict) and isinstance(ran.get("output"), str):
            yield TextSlot((*here, "codeExecutionResult", "output"), ran["output"],
                           "output of code execution")
