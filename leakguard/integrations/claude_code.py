"""Claude Code's hooks (and Codex's, which use the same JSON): prompts, file reads
before they happen, and tool output before the model sees it.

- UserPromptSubmit: block a prompt the policy blocks; one the policy would anonymize
  is blocked too, with a reason that says why (Claude Code cannot rewrite a prompt).
- PreToolUse: Read (its line window), Bash commands that read files, Grep on files
  or over protected folders, and text going to MCP servers or the web: deny.
- PostToolUse: the output the model is about to see, scanned again (it catches what
  the pre-check could not predict); anonymized or withheld through
  ``updatedToolOutput``, since a PostToolUse block would not stop it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from leakguard.integrations import hookfiles
from leakguard.integrations.answer import (
    HookAnswer,
    HookError,
    Leaf,
    leaves,
    replaced,
    require,
    withheld,
)
from leakguard.integrations.hookscan import (
    HookSession,
    anonymize_fragment,
    block_reason,
    cannot_rewrite_reason,
    warn_message,
)
from leakguard.models import Action, Fragment, Skip, Verdict
from leakguard.record import replace

TOOL = "claude-code"
DESTINATION = "anthropic"
NAME = "Claude Code"
# Tools whose input leaves the machine for someone other than the model's provider.
OUTBOUND_TOOLS = ("WebFetch", "WebSearch")


def handle(event: dict[str, Any], session: HookSession) -> HookAnswer:
    name = event.get("hook_event_name")
    if name == "UserPromptSubmit":
        return prompt(event, session, NAME)
    if name == "PreToolUse":
        return pre_tool(event, session)
    if name == "PostToolUse":
        return post_tool(event, session)
    return HookAnswer()  # other events carry nothing that leaves


def blocked(verdict: Verdict) -> Verdict:
    return replace(verdict, action=Action.BLOCK)


# -- prompts -----------------------------------------------------------------------------


def prompt(event: dict[str, Any], session: HookSession, tool_name: str) -> HookAnswer:
    text = require(event, "prompt", str)
    verdict = session.scan([Fragment(text=text, path="<prompt>", kind="hook")]).verdict
    reason = None
    if verdict.action is Action.BLOCK:
        reason = block_reason("this prompt", verdict, "Nothing was sent.")
    elif verdict.action is Action.ANONYMIZE:
        reason = cannot_rewrite_reason("this prompt", verdict, tool_name)
    if reason is None and session.record(verdict, text.encode("utf-8", "replace")):
        reason = "leakguard blocked this prompt: the audit budget for today is used up."
    elif reason is not None:
        session.record(blocked(verdict), b"")
    if reason is not None:
        return HookAnswer(output={"decision": "block", "reason": reason})
    return _warned(verdict)


def _warned(verdict: Verdict) -> HookAnswer:
    message = warn_message(verdict)
    return HookAnswer(output={"systemMessage": message} if message else None)


# -- before a tool runs -----------------------------------------------------------------


def deny(reason: str) -> HookAnswer:
    return HookAnswer(output={"hookSpecificOutput": {
        "hookEventName": "PreToolUse", "permissionDecision": "deny",
        "permissionDecisionReason": reason}})


def pre_tool(event: dict[str, Any], session: HookSession) -> HookAnswer:
    tool = require(event, "tool_name", str)
    tool_input = require(event, "tool_input", dict)
    items: list[Fragment | Skip]
    searched: list[str]
    if tool == "Read":
        items, searched = [_read_window(session, tool_input)], []
    elif tool in ("Bash", "shell", "local_shell"):
        items, searched = hookfiles.command_items(session, _command(tool_input))
    elif tool == "Grep":
        items, searched = _grep_items(session, tool_input)
    elif tool.startswith("mcp__") or tool in OUTBOUND_TOOLS:
        return _outbound(tool, tool_input, session)
    else:
        return HookAnswer()
    checked = hookfiles.check(session, items, searched)
    what = f"{tool} ({', '.join(_names(items, searched)) or 'no file'})"
    if checked.problems:
        session.record(blocked(checked.verdict or Verdict(Action.BLOCK, ())), b"")
        return deny(f"leakguard blocked {what}: {'; '.join(checked.problems)}.")
    if checked.verdict is not None and checked.verdict.action is Action.BLOCK:
        session.record(checked.verdict, b"")
        return deny(block_reason(what, checked.verdict, "The tool did not run."))
    return HookAnswer()  # anonymize and warn are applied to the output (PostToolUse)


def _names(items: list[Fragment | Skip], searched: list[str]) -> list[str]:
    return [i.path for i in items] + searched


def _command(tool_input: dict[str, Any]) -> str:
    command = tool_input.get("command")
    if isinstance(command, list):  # Codex sends argv
        import shlex

        return shlex.join(str(c) for c in command)
    if not isinstance(command, str):
        raise HookError("hook input has no shell command")
    return command


def _read_window(session: HookSession, tool_input: dict[str, Any]) -> Fragment | Skip:
    path = Path(require(tool_input, "file_path", str))
    offset, limit = tool_input.get("offset"), tool_input.get("limit")
    # One line of slack each side: scanning a little more is safe, a little less is not.
    first = max(int(offset) - 1, 1) if isinstance(offset, int) and offset > 1 else 1
    count = int(limit) + 2 if isinstance(limit, int) and limit > 0 else \
        hookfiles.DEFAULT_READ_LINES + 1
    full = path if path.is_absolute() else session.cwd / path
    return hookfiles.read_window(full, session.display(full), first, count,
                                 session.policy.scan.max_file_bytes)


def _grep_items(session: HookSession,
                tool_input: dict[str, Any]) -> tuple[list[Fragment | Skip], list[str]]:
    raw = tool_input.get("path")
    path = Path(raw) if isinstance(raw, str) and raw else session.cwd
    full = path if path.is_absolute() else session.cwd / path
    shown = session.display(full)
    if full.is_file():
        return [hookfiles.read_whole(full, shown, session.policy.scan.max_file_bytes)], []
    # Only "content" mode shows lines; file lists and counts reveal names alone.
    return [], [shown] if tool_input.get("output_mode") == "content" else []


def _outbound(tool: str, tool_input: dict[str, Any], session: HookSession) -> HookAnswer:
    found = list(leaves(tool_input))
    if not found:
        return HookAnswer()
    fragments = [Fragment(text=leaf.text, path=f"<{tool} input {i}>", kind="hook")
                 for i, leaf in enumerate(found)]
    verdict = session.scan(fragments).verdict
    if verdict.action is Action.BLOCK:
        session.record(verdict, b"")
        return deny(block_reason(f"the input of {tool}", verdict, "The tool did not run."))
    return HookAnswer()


# -- after a tool ran ---------------------------------------------------------------------


def output_fragments(event: dict[str, Any], session: HookSession) -> list[tuple[Leaf, Fragment]]:
    """The strings of a tool's response as fragments; a Read's content is named by
    its file, so protected paths apply to it."""
    response = event.get("tool_response")
    tool = event.get("tool_name")
    tool_input = event.get("tool_input") if isinstance(event.get("tool_input"), dict) else {}
    file_path = tool_input.get("file_path") if isinstance(tool_input, dict) else None
    pairs = []
    for index, leaf in enumerate(leaves(response)):
        if tool == "Read" and leaf.path == ("file", "content") and isinstance(file_path, str):
            start = response.get("file", {}).get("startLine", 1)  # type: ignore[union-attr]
            path = session.display(Path(file_path))
            fragment = Fragment(text=leaf.text, path=path, kind="file",
                                line_start=start if isinstance(start, int) else 1)
        else:
            fragment = Fragment(text=leaf.text, path=f"<{tool} output {index}>", kind="hook")
        pairs.append((leaf, fragment))
    return pairs


def post_tool(event: dict[str, Any], session: HookSession, *,
              rewrite: bool = True) -> HookAnswer:
    """``rewrite``: answer with ``updatedToolOutput`` (Claude Code); otherwise with a
    block whose reason carries the text the model may see (Codex)."""
    response = event.get("tool_response")
    pairs = output_fragments(event, session)
    if not pairs:
        return HookAnswer()
    verdict = session.scan([f for _, f in pairs]).verdict
    tool = event.get("tool_name") or "tool"
    if verdict.action is Action.BLOCK:
        session.record(verdict, b"")
        reason = block_reason(f"the output of {tool}", verdict)
        return _replace_output(event, withheld(response, reason), reason, rewrite)
    if verdict.action is not Action.ANONYMIZE:
        payload = "".join(f.text for _, f in pairs).encode("utf-8", "replace")
        if session.record(verdict, payload):
            reason = "the audit budget for today is used up"
            return _replace_output(event, withheld(response, reason), reason, rewrite)
        return _warned(verdict)
    by_path = {leaf.path: fragment for leaf, fragment in pairs}
    with session.vault() as vault:
        new_texts = {p: anonymize_fragment(session, verdict, f, vault) for p, f in by_path.items()}
    updated = replaced(response, lambda path, text: new_texts.get(path, text))
    payload = "".join(new_texts.values()).encode("utf-8", "replace")
    if session.record(verdict, payload):
        reason = "the audit budget for today is used up"
        return _replace_output(event, withheld(response, reason), reason, rewrite)
    note = f"leakguard replaced values in the output of {tool} with placeholders"
    if rewrite:
        return _replace_output(event, updated, note, rewrite)
    text = "\n".join(new_texts.values())
    return _replace_output(event, updated, f"{note}; the output with placeholders:\n{text}",
                           rewrite)


def _replace_output(event: dict[str, Any], updated: Any, reason: str,
                    rewrite: bool) -> HookAnswer:
    if rewrite:
        return HookAnswer(output={"hookSpecificOutput": {
            "hookEventName": "PostToolUse", "updatedToolOutput": updated}})
    return HookAnswer(output={"decision": "block", "reason": reason})


def failure(event: dict[str, Any], message: str, *, rewrite: bool = True) -> HookAnswer | None:
    """A JSON answer that blocks after an internal error, where exit 2 would not
    (PostToolUse) or cannot be used (HTTP hooks); None when no such form exists."""
    name = event.get("hook_event_name")
    if name == "UserPromptSubmit":
        return HookAnswer(output={"decision": "block", "reason": message})
    if name == "PreToolUse":
        return deny(message)
    if name == "PostToolUse" and "tool_response" in event:
        answer = _replace_output(event, withheld(event["tool_response"], message), message,
                                 rewrite)
        output = dict(answer.output or {})
        output["systemMessage"] = message
        return HookAnswer(output=output)
    return None
