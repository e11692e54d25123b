"""Gemini CLI's hooks: full anonymization without a proxy.

- BeforeAgent: a prompt the policy blocks is denied (anonymize waits for BeforeModel).
- BeforeModel: every text message of the outgoing ``llm_request`` is scanned; blocked,
  or rewritten with placeholders from the session's vault (the CLI merges the messages
  back onto its request by position, keeping non-text parts).
- AfterModel: placeholders in each response chunk are put back; a placeholder cut
  across two chunks is held back (in a small per-session file) and finished in the next.
- BeforeTool: reads of files (read_file with its window, read_many_files, shell
  commands, searches) are scanned and denied; placeholders the model wrote into a tool's
  input are restored, so files get real values.
- AfterTool: tool output is not visible to BeforeModel (function responses are not
  text parts), so it is scanned here; a denial's reason replaces the output the model
  sees, which carries the output with placeholders, or the notice that it was withheld.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leakguard.integrations import hookfiles, streamhold
from leakguard.integrations.answer import HookAnswer, leaves, replaced, require
from leakguard.integrations.hookscan import (
    HookSession,
    anonymize_fragment,
    block_reason,
    restore_text,
    session_vault_path,
)
from leakguard.models import Action, Fragment, Skip, Verdict

TOOL = "gemini"
DESTINATION = "gemini"
READ_TOOLS = ("read_file", "read_many_files")
SHELL_TOOLS = ("run_shell_command",)
SEARCH_TOOLS = ("search_file_content", "grep", "grep_search")
OUTBOUND_TOOLS = ("web_fetch", "google_web_search")


def deny(reason: str) -> HookAnswer:
    return HookAnswer(output={"decision": "deny", "reason": reason})


def handle(event: dict[str, Any], session: HookSession) -> HookAnswer:
    name = event.get("hook_event_name")
    if name == "AfterModel":
        return after_model(event, session)  # first: it runs per chunk and needs no policy
    if name == "BeforeAgent":
        return before_agent(event, session)
    if name == "BeforeModel":
        return before_model(event, session)
    if name == "BeforeTool":
        return before_tool(event, session)
    if name == "AfterTool":
        return after_tool(event, session)
    return HookAnswer()


def before_agent(event: dict[str, Any], session: HookSession) -> HookAnswer:
    text = require(event, "prompt", str)
    verdict = session.scan([Fragment(text=text, path="<prompt>", kind="hook")]).verdict
    if verdict.action is Action.BLOCK:
        session.record(verdict, b"")
        return deny(block_reason("this prompt", verdict, "Nothing was sent."))
    return HookAnswer()  # recorded when it leaves, in BeforeModel


def before_model(event: dict[str, Any], session: HookSession) -> HookAnswer:
    request = require(event, "llm_request", dict)
    messages = request.get("messages") or []
    if not isinstance(messages, list):
        raise ValueError("llm_request.messages is not a list")
    streamhold.clear(session)
    fragments = []
    for index, message in enumerate(messages):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str) and content:
            fragments.append((index, Fragment(text=content, path=f"<message {index}>",
                                              kind="hook")))
    if not fragments:
        return HookAnswer()
    verdict = session.scan([f for _, f in fragments]).verdict
    if verdict.action is Action.BLOCK:
        session.record(verdict, b"")
        return deny(block_reason("this request", verdict, "Nothing was sent."))
    rewritten = list(messages)
    if verdict.action is Action.ANONYMIZE:
        with session.vault() as vault:
            for index, fragment in fragments:
                text = anonymize_fragment(session, verdict, fragment, vault)
                rewritten[index] = {**messages[index], "content": text}
    payload = "".join(str(m.get("content", "")) for m in rewritten if isinstance(m, dict))
    if session.record(verdict, payload.encode("utf-8", "replace")):
        return deny("leakguard blocked this request: the audit budget for today is used up.")
    if verdict.action is not Action.ANONYMIZE:
        return HookAnswer()
    return HookAnswer(output={"hookSpecificOutput": {
        "hookEventName": "BeforeModel", "llm_request": {"messages": rewritten}}})


def after_model(event: dict[str, Any], session: HookSession) -> HookAnswer:
    if not session_vault_path(TOOL, session.session_id).exists():
        return HookAnswer()  # nothing was replaced in this session: nothing to restore
    response = require(event, "llm_response", dict)
    restored = streamhold.restore_chunk(session, response)
    if restored is None:
        return HookAnswer()
    return HookAnswer(output={"hookSpecificOutput": {
        "hookEventName": "AfterModel", "llm_response": restored}})


def _tool_items(session: HookSession, tool: str,
                tool_input: dict[str, Any]) -> tuple[list[Fragment | Skip], list[str]]:
    limit = session.policy.scan.max_file_bytes
    if tool == "read_file":
        raw = tool_input.get("absolute_path") or tool_input.get("file_path")
        if not isinstance(raw, str):
            return [], []
        full = Path(raw) if Path(raw).is_absolute() else session.cwd / raw
        offset, count = tool_input.get("offset"), tool_input.get("limit")
        first = max(int(offset), 1) if isinstance(offset, int) else 1  # 0-based: slack
        lines = int(count) + 2 if isinstance(count, int) and count > 0 else None
        return [hookfiles.read_window(full, session.display(full), first, lines, limit)], []
    if tool == "read_many_files":
        paths = [p for p in tool_input.get("paths") or [] if isinstance(p, str)]
        return hookfiles.command_items(session, "cat " + " ".join(_quoted(paths)))
    if tool in SHELL_TOOLS:
        folder = tool_input.get("dir_path") or tool_input.get("directory")
        cwd = session.cwd / folder if isinstance(folder, str) else session.cwd
        return hookfiles.command_items(session, require(tool_input, "command", str), cwd)
    if tool in SEARCH_TOOLS:
        raw = tool_input.get("dir_path") or tool_input.get("path") or "."
        full = session.cwd / str(raw)
        if full.is_file():
            return [hookfiles.read_whole(full, session.display(full), limit)], []
        return [], [session.display(full)]
    return [], []


def _quoted(paths: list[str]) -> list[str]:
    import shlex

    return [p if any(c in p for c in "*?[") else shlex.quote(p) for p in paths]


def before_tool(event: dict[str, Any], session: HookSession) -> HookAnswer:
    tool = require(event, "tool_name", str)
    tool_input = require(event, "tool_input", dict)
    if tool.startswith("mcp_") or tool in OUTBOUND_TOOLS:
        fragments = [Fragment(text=leaf.text, path=f"<{tool} input {i}>", kind="hook")
                     for i, leaf in enumerate(leaves(tool_input))]
        verdict = session.scan(fragments).verdict if fragments else None
        if verdict is not None and verdict.action is Action.BLOCK:
            session.record(verdict, b"")
            return deny(block_reason(f"the input of {tool}", verdict, "The tool did not run."))
    else:
        items, searched = _tool_items(session, tool, tool_input)
        checked = hookfiles.check(session, items, searched)
        what = f"{tool} ({', '.join([i.path for i in items] + searched) or 'no file'})"
        if checked.problems:
            session.record(Verdict(Action.BLOCK, ()), b"")
            return deny(f"leakguard blocked {what}: {'; '.join(checked.problems)}.")
        if checked.verdict is not None and checked.verdict.action is Action.BLOCK:
            session.record(checked.verdict, b"")
            return deny(block_reason(what, checked.verdict, "The tool did not run."))
    return _restored_input(session, tool_input)


def _restored_input(session: HookSession, tool_input: dict[str, Any]) -> HookAnswer:
    if not session_vault_path(TOOL, session.session_id).exists():
        return HookAnswer()
    with session.vault() as vault:
        if not len(vault) or not any("_" + vault.tag in leaf.text for leaf in leaves(tool_input)):
            return HookAnswer()
        restored = replaced(tool_input, lambda _path, text: restore_text(text, vault))
    changed = {k: v for k, v in restored.items() if v != tool_input.get(k)}
    if not changed:
        return HookAnswer()
    return HookAnswer(output={"hookSpecificOutput": {
        "hookEventName": "BeforeTool", "tool_input": changed}})


def after_tool(event: dict[str, Any], session: HookSession) -> HookAnswer:
    response = event.get("tool_response")
    content = response.get("llmContent") if isinstance(response, dict) else None
    found = list(leaves(content))
    if not found:
        return HookAnswer()
    tool = event.get("tool_name") or "tool"
    fragments = [Fragment(text=leaf.text, path=f"<{tool} output {i}>", kind="hook")
                 for i, leaf in enumerate(found)]
    verdict = session.scan(fragments).verdict
    if verdict.action is Action.BLOCK:
        session.record(verdict, b"")
        return deny("[leakguard withheld this output: "
                    + block_reason(f"the output of {tool}", verdict) + "]")
    if verdict.action is not Action.ANONYMIZE:
        payload = "".join(f.text for f in fragments).encode("utf-8", "replace")
        if session.record(verdict, payload):
            return deny("[leakguard withheld this output: the audit budget is used up]")
        return HookAnswer()
    with session.vault() as vault:
        texts = [anonymize_fragment(session, verdict, f, vault) for f in fragments]
    session.record(verdict, "".join(texts).encode("utf-8", "replace"))
    return deny("leakguard replaced values in this output with placeholders; the output "
                "follows.\n" + "\n".join(texts))


def failure(event: dict[str, Any], message: str) -> HookAnswer | None:
    """Gemini reads exit 2 as a block for every event that can block: no JSON needed."""
    if event.get("hook_event_name") in ("BeforeAgent", "BeforeModel", "BeforeTool",
                                        "AfterTool", "AfterModel"):
        return deny(message)
    return None
