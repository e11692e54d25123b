"""Codex CLI's hooks: Claude Code's JSON family, read from ``$CODEX_HOME/hooks.json``.

Differences that matter here: a PostToolUse hook cannot replace a tool's output, but
``decision: block`` replaces it with the reason, so the reason carries the output with
placeholders (or the notice that it was withheld). Codex runs a non-managed hook only
once a person has reviewed and trusted it (`/hooks`), or with
``--dangerously-bypass-hook-trust``.
"""

from __future__ import annotations

from typing import Any

from leakguard.integrations import claude_code
from leakguard.integrations.answer import HookAnswer
from leakguard.integrations.hookscan import HookSession

TOOL = "codex"
DESTINATION = "openai"
NAME = "Codex"


def handle(event: dict[str, Any], session: HookSession) -> HookAnswer:
    name = event.get("hook_event_name")
    if name == "UserPromptSubmit":
        return claude_code.prompt(event, session, NAME)
    if name == "PreToolUse":
        return claude_code.pre_tool(event, session)
    if name == "PostToolUse":
        return claude_code.post_tool(event, session, rewrite=False)
    return HookAnswer()


def failure(event: dict[str, Any], message: str) -> HookAnswer | None:
    return claude_code.failure(event, message, rewrite=False)
