"""One hook call: hook JSON in, the tool's answer out, every failure turned into a
block. Shared by the command hook (`leakguard hook TOOL`) and the HTTP endpoint.

Fail closed: unparseable input, a policy that does not load, a scan that raises, an
audit log that cannot be written all give an answer that blocks: exit 2 (the tools'
blocking convention), or a blocking JSON answer where exit 2 would not stop the data
(Claude Code's PostToolUse) or cannot be given (HTTP hooks).
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path
from types import ModuleType
from typing import Any

from leakguard.integrations.answer import EXIT_BLOCK, HookAnswer, HookError
from leakguard.integrations.hookscan import HookSession, Services

# Explicit registry: tool name -> handler module (each has TOOL, DESTINATION, handle,
# failure).
HANDLERS: dict[str, str] = {
    "claude-code": "leakguard.integrations.claude_code",
    "codex": "leakguard.integrations.codex",
    "gemini": "leakguard.integrations.gemini_cli",
    "cursor": "leakguard.integrations.cursor",
}
ALIASES = {"claude": "claude-code", "gemini-cli": "gemini"}
# Events where a command hook's exit 2 does not stop the data: answer in JSON instead.
JSON_FAILURE_EVENTS = {"claude-code": frozenset({"PostToolUse"})}
DEFAULT = object()  # "the tool's own destination"


def tool_name(name: str) -> str:
    name = ALIASES.get(name, name)
    if name not in HANDLERS:
        raise HookError(f"unknown tool {name!r}; choose one of {', '.join(HANDLERS)}")
    return name


def handler(tool: str) -> ModuleType:
    return importlib.import_module(HANDLERS[tool_name(tool)])


def parse(raw: bytes) -> dict[str, Any]:
    try:
        event = json.loads(raw)
    except ValueError:
        raise HookError("the hook input is not JSON") from None
    if not isinstance(event, dict):
        raise HookError("the hook input is not a JSON object")
    return event


def _cwd(event: dict[str, Any]) -> Path:
    cwd = event.get("cwd")
    if not isinstance(cwd, str) or not cwd:
        roots = event.get("workspace_roots")  # Cursor
        cwd = roots[0] if isinstance(roots, list) and roots and isinstance(roots[0], str) \
            else os.getcwd()
    return Path(cwd)


def _session_id(event: dict[str, Any]) -> str:
    for key in ("session_id", "conversation_id"):
        value = event.get(key)
        if isinstance(value, str) and value:
            return value
    return ""


def describe(exc: BaseException) -> str:
    """A failure for a person; messages of other exceptions might quote input, so
    only their type is shown."""
    from leakguard.errors import LeakguardError

    if isinstance(exc, (HookError, LeakguardError)):
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return f"internal error ({type(exc).__name__})"


def failure_message(what: str) -> str:
    return (f"leakguard: {what}; blocked (leakguard fails closed: nothing was let through). "
            "Set LEAKGUARD_DEBUG=1 for details.")


def failed(tool: str, event: dict[str, Any], message: str, *, http: bool) -> HookAnswer:
    """The blocking answer after a failure."""
    name = event.get("hook_event_name")
    module = handler(tool)
    if http or name in JSON_FAILURE_EVENTS.get(tool_name(tool), frozenset()):
        answer = module.failure(event, message)
        if isinstance(answer, HookAnswer):
            return answer
    return HookAnswer(exit_code=EXIT_BLOCK, message=message)


def run(tool: str, raw: bytes, services: Services, *, destination: Any = DEFAULT,
        http: bool = False, holder: dict[str, Any] | None = None) -> HookAnswer:
    """Answer one hook call. ``holder`` receives the parsed event (for a deadline
    watchdog that must answer on its own)."""
    event: dict[str, Any] = {}
    try:
        tool = tool_name(tool)
        module = handler(tool)
        event = parse(raw)
        if holder is not None:
            holder["event"] = event
        session = HookSession(
            tool=module.TOOL,
            destination=module.DESTINATION if destination is DEFAULT else destination,
            cwd=_cwd(event), session_id=_session_id(event), services=services)
        answer = module.handle(event, session)
        if not isinstance(answer, HookAnswer):
            raise TypeError("handler gave no answer")
        return answer
    except Exception as exc:  # the funnel: every failure blocks
        if os.environ.get("LEAKGUARD_DEBUG"):
            import traceback

            traceback.print_exc()
        if tool not in HANDLERS:
            return HookAnswer(exit_code=EXIT_BLOCK, message=failure_message(describe(exc)))
        return failed(tool, event, failure_message(describe(exc)), http=http)
