"""Cursor's hooks: the only local control there, since Cursor sends requests through its
own backend (no proxy can see them). Cursor cannot rewrite anything, so whatever the
policy would anonymize is denied, with a message that says so.

beforeSubmitPrompt -> {continue}; beforeReadFile (Cursor passes the content) ->
{permission}; beforeShellExecution (files the command reads) and beforeMCPExecution
(the tool input going to an MCP server) -> {permission, user_message, agent_message}.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any

from leakguard.integrations import hookfiles
from leakguard.integrations.answer import HookAnswer, leaves, require
from leakguard.integrations.hookscan import HookSession, block_reason, cannot_rewrite_reason
from leakguard.models import Action, Fragment, Verdict

TOOL = "cursor"
DESTINATION = None  # Cursor's own backend: the policy's defaults apply
NAME = "Cursor"
STOPS = (Action.BLOCK, Action.ANONYMIZE)


def handle(event: dict[str, Any], session: HookSession) -> HookAnswer:
    name = event.get("hook_event_name")
    if name == "beforeSubmitPrompt":
        return submit_prompt(event, session)
    if name == "beforeReadFile":
        return read_file(event, session)
    if name == "beforeShellExecution":
        return shell(event, session)
    if name == "beforeMCPExecution":
        return mcp(event, session)
    return HookAnswer()


def deny(reason: str, *, prompt: bool = False) -> HookAnswer:
    if prompt:
        return HookAnswer(output={"continue": False, "user_message": reason})
    return HookAnswer(output={"permission": "deny", "user_message": reason,
                              "agent_message": reason})


def allow(*, prompt: bool = False) -> HookAnswer:
    return HookAnswer(output={"continue": True} if prompt else {"permission": "allow"})


def _decide(session: HookSession, verdict: Verdict, what: str, payload: bytes, *,
            prompt: bool = False) -> HookAnswer:
    if verdict.action in STOPS:
        session.record(Verdict(Action.BLOCK, verdict.decisions), b"")
        noun = "a prompt" if prompt else "what a tool reads or sends"
        reason = (block_reason(what, verdict) if verdict.action is Action.BLOCK
                  else cannot_rewrite_reason(what, verdict, NAME, noun))
        return deny(reason, prompt=prompt)
    if session.record(verdict, payload):
        return deny(f"leakguard blocked {what}: the audit budget for today is used up.",
                    prompt=prompt)
    return allow(prompt=prompt)


def submit_prompt(event: dict[str, Any], session: HookSession) -> HookAnswer:
    text = require(event, "prompt", str)
    verdict = session.scan([Fragment(text=text, path="<prompt>", kind="hook")]).verdict
    return _decide(session, verdict, "this prompt", text.encode("utf-8", "replace"),
                   prompt=True)


def read_file(event: dict[str, Any], session: HookSession) -> HookAnswer:
    raw = require(event, "file_path", str)
    shown = session.display(Path(raw))
    content = event.get("content")
    if isinstance(content, str):
        items: list[Any] = [Fragment(text=content, path=shown, kind="file")]
    else:  # no content given: read it ourselves
        full = Path(raw) if Path(raw).is_absolute() else session.cwd / raw
        items = [hookfiles.read_whole(full, shown, session.policy.scan.max_file_bytes)]
    checked = hookfiles.check(session, items)
    if checked.problems:
        session.record(Verdict(Action.BLOCK, ()), b"")
        return deny(f"leakguard blocked reading {shown}: {'; '.join(checked.problems)}.")
    if checked.verdict is None:
        return allow()
    return _decide(session, checked.verdict, f"reading {shown}", checked.payload)


def shell(event: dict[str, Any], session: HookSession) -> HookAnswer:
    command = require(event, "command", str)
    folder = event.get("cwd")
    cwd = Path(folder) if isinstance(folder, str) and folder else session.cwd
    items, searched = hookfiles.command_items(session, command, cwd)
    checked = hookfiles.check(session, items, searched)
    what = f"the command ({', '.join([i.path for i in items] + searched) or 'no file'})"
    if checked.problems:
        session.record(Verdict(Action.BLOCK, ()), b"")
        return deny(f"leakguard blocked {what}: {'; '.join(checked.problems)}.")
    if checked.verdict is None:
        return allow()
    return _decide(session, checked.verdict, what, checked.payload)


def mcp(event: dict[str, Any], session: HookSession) -> HookAnswer:
    tool_input = event.get("tool_input")
    if isinstance(tool_input, str):  # Cursor sends a JSON string; scan what it holds
        with contextlib.suppress(ValueError):
            tool_input = json.loads(tool_input)
    name = event.get("tool_name") or "an MCP tool"
    fragments = [Fragment(text=leaf.text, path=f"<{name} input {i}>", kind="hook")
                 for i, leaf in enumerate(leaves(tool_input))]
    if not fragments:
        return allow()
    verdict = session.scan(fragments).verdict
    payload = "".join(f.text for f in fragments).encode("utf-8", "replace")
    return _decide(session, verdict, f"the input of {name}", payload)


def failure(event: dict[str, Any], message: str) -> HookAnswer | None:
    name = event.get("hook_event_name")
    if name == "beforeSubmitPrompt":
        return deny(message, prompt=True)
    if name in ("beforeReadFile", "beforeShellExecution", "beforeMCPExecution"):
        return deny(message)
    return None
