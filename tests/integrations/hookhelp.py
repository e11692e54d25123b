"""Shared pieces of the hook tests: call a handler in process, build hook inputs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from leakguard.integrations.answer import HookAnswer
from leakguard.integrations.hookrun import run
from leakguard.integrations.hookscan import DirectServices

SESSION = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def call(tool: str, event: dict[str, Any], policy_file: Path | None = None) -> HookAnswer:
    """One hook call in this process, through the same funnel as the command."""
    return run(tool, json.dumps(event).encode(), DirectServices(policy_file))


def claude_event(name: str, cwd: Path, **fields: Any) -> dict[str, Any]:
    """A Claude Code hook input with the fields every event has (see the recorded
    shapes in ../shared/ai-clients/shapes/claude-code_hooks_stdin_samples.json)."""
    return {"session_id": SESSION, "transcript_path": str(cwd / "transcript.jsonl"),
            "cwd": str(cwd), "permission_mode": "default", "hook_event_name": name, **fields}


def pre_tool(cwd: Path, tool: str, tool_input: dict[str, Any]) -> dict[str, Any]:
    return claude_event("PreToolUse", cwd, tool_name=tool, tool_input=tool_input,
                        tool_use_id="toolu_01")


def post_tool(cwd: Path, tool: str, tool_input: dict[str, Any],
              response: Any) -> dict[str, Any]:
    return claude_event("PostToolUse", cwd, tool_name=tool, tool_input=tool_input,
                        tool_response=response, tool_use_id="toolu_01")


def read_response(path: Path, content: str) -> dict[str, Any]:
    lines = content.count("\n") + 1
    return {"type": "text", "file": {"filePath": str(path), "content": content,
                                     "numLines": lines, "startLine": 1, "totalLines": lines}}


def bash_response(stdout: str) -> dict[str, Any]:
    return {"stdout": stdout, "stderr": "", "interrupted": False, "isImage": False,
            "noOutputExpected": False}


def decision(answer: HookAnswer) -> str:
    """allow | block | deny | rewrite, read off a Claude-format answer."""
    out = answer.output or {}
    if answer.exit_code == 2 or out.get("decision") == "block":
        return "block"
    specific = out.get("hookSpecificOutput", {})
    if specific.get("permissionDecision") == "deny":
        return "deny"
    if "updatedToolOutput" in specific:
        return "rewrite"
    return "allow"


def hidden(secret: str, text: str) -> bool:
    """``secret not in text``; fails on its own, so pytest's report of a failing
    assert never prints the value."""
    if secret in text:
        raise AssertionError("a fake secret appeared unmasked")
    return True
