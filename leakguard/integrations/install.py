"""Write leakguard's hook entries into an AI tool's settings file, and take them out.

Merging keeps everything else in the file (other settings, other hooks, their order);
leakguard's own entries are recognised by their command (it contains ``leakguard hook``)
or, for Claude Code's native HTTP hooks, by an ``X-Leakguard-Hook`` header. Installing
twice gives the same file; uninstalling removes exactly what installing added.

Every command ends in ``|| exit 2``: if leakguard cannot start, crashes or is cut by
its own watchdog, the tool still sees its blocking exit code (they let an action
through on any other failure).
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from leakguard.errors import ConfigError
from leakguard.record import Record, record

MARK = "leakguard hook"
HEADER = "X-Leakguard-Hook"
TOOLS = ("claude-code", "codex", "gemini", "cursor")
HOOK_TIMEOUT = 30  # seconds; above leakguard's own 10 s deadline, which answers first
# Events each tool's hooks are installed for, and their tool matchers (None: all).
EVENTS: dict[str, dict[str, str | None]] = {
    "claude-code": {"UserPromptSubmit": None,
                    "PreToolUse": "Read|Bash|Grep|WebFetch|WebSearch|mcp__.*",
                    "PostToolUse": None},
    "codex": {"UserPromptSubmit": None, "PreToolUse": "Bash|mcp__.*", "PostToolUse": None},
    "gemini": {"BeforeAgent": None, "BeforeModel": None, "AfterModel": None,
               "BeforeTool": ".*", "AfterTool": ".*"},
    "cursor": {"beforeSubmitPrompt": None, "beforeReadFile": None,
               "beforeShellExecution": None, "beforeMCPExecution": None},
}


@record
class Change(Record):
    path: Path
    action: str  # installed | unchanged | removed | absent

    def describe(self) -> str:
        return {"installed": f"wrote leakguard's hooks into {self.path}",
                "unchanged": f"{self.path} already has leakguard's hooks; nothing changed",
                "removed": f"removed leakguard's hooks from {self.path}",
                "absent": f"{self.path} has no leakguard hooks; nothing changed"}[self.action]


def settings_path(tool: str, scope: str, project: Path,
                  environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    home = Path(env.get("HOME") or Path.home())
    user = scope == "user"
    if tool == "claude-code":
        return (home if user else project) / ".claude" / "settings.json"
    if tool == "codex":
        codex_home = Path(env["CODEX_HOME"]) if env.get("CODEX_HOME") else home / ".codex"
        return (codex_home if user else project / ".codex") / "hooks.json"
    if tool == "gemini":
        return (home if user else project) / ".gemini" / "settings.json"
    if tool == "cursor":
        return (home if user else project) / ".cursor" / "hooks.json"
    raise ConfigError(f"unknown tool {tool!r}; choose one of {', '.join(TOOLS)}")


def leakguard_command(tool: str, python: str | None = None) -> str:
    """The command hook: this interpreter running leakguard, a block if it fails."""
    runner = shlex.quote(python or sys.executable)
    return f"{runner} -m {MARK} {tool} || exit 2"


def curl_command(tool: str, url: str) -> str:
    """A command hook that asks `leakguard serve` (a local request, no Python start)
    and blocks when it cannot: curl fails on no answer, a timeout or an HTTP error."""
    endpoint = hook_url(tool, url)
    failure = shlex.quote(f"{MARK}: {endpoint} did not answer; blocked (fail closed)")
    return (f"curl -sS --fail --max-time {HOOK_TIMEOUT - 5} -H 'Content-Type: application/json' "
            f"--data-binary @- {shlex.quote(endpoint)} || {{ echo {failure} >&2; exit 2; }}")


def hook_url(tool: str, url: str) -> str:
    base = url.rstrip("/")
    return base if base.endswith(f"/hooks/{tool}") else f"{base}/hooks/{tool}"


def hook_entry(tool: str, command: str | None, url: str | None, native: bool) -> dict[str, Any]:
    if native:
        if tool != "claude-code" or not url:
            raise ConfigError("--native-http is for claude-code with --http URL only")
        return {"type": "http", "url": hook_url(tool, url), "timeout": HOOK_TIMEOUT,
                "headers": {HEADER: "1"}, "onFailure": "block"}
    text = command or (curl_command(tool, url) if url else leakguard_command(tool))
    if tool == "cursor":
        return {"command": text, "timeout": HOOK_TIMEOUT, "failClosed": True}
    if tool == "gemini":
        return {"type": "command", "command": text, "name": "leakguard",
                "timeout": HOOK_TIMEOUT * 1000}  # milliseconds
    entry: dict[str, Any] = {"type": "command", "command": text, "timeout": HOOK_TIMEOUT}
    if tool == "claude-code":
        # Claude Code 2.1.295 and later block on a hook that fails or times out with
        # this; earlier versions ignore the key (checked with 2.1.197).
        entry["onFailure"] = "block"
    return entry


def is_ours(entry: Any) -> bool:
    if not isinstance(entry, dict):
        return False
    command = entry.get("command")
    headers = entry.get("headers")
    return (isinstance(command, str) and MARK in command) or (
        isinstance(headers, dict) and HEADER in headers)


def hooks_block(tool: str, *, command: str | None = None, url: str | None = None,
                native: bool = False) -> dict[str, list[Any]]:
    """leakguard's entries for ``tool``, as they go under the file's ``hooks`` key."""
    entry = hook_entry(tool, command, url, native)
    if tool == "cursor":
        return {event: [entry] for event in EVENTS[tool]}
    block: dict[str, list[Any]] = {}
    for event, matcher in EVENTS[tool].items():
        group: dict[str, Any] = {"hooks": [entry]}
        if matcher is not None:
            group = {"matcher": matcher, **group}
        block[event] = [group]
    return block


def _without_ours(groups: list[Any], flat: bool) -> list[Any]:
    """An event's list with leakguard's entries taken out (groups left empty go)."""
    if flat:
        return [entry for entry in groups if not is_ours(entry)]
    kept = []
    for group in groups:
        inner = group.get("hooks") if isinstance(group, dict) else None
        if not isinstance(inner, list):
            kept.append(group)
            continue
        remaining = [h for h in inner if not is_ours(h)]
        if remaining:
            kept.append({**group, "hooks": remaining})
        elif len(remaining) == len(inner):
            kept.append(group)  # an empty group of the user's own: leave it be
    return kept


def read_settings(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        raise ConfigError(f"{path} is not valid JSON ({exc}); left as it is") from None
    if not isinstance(data, dict) or not isinstance(data.get("hooks", {}), dict):
        raise ConfigError(f"{path}: expected a JSON object with a 'hooks' object; left as it is")
    return data


def write_settings(path: Path, data: dict[str, Any]) -> None:
    """Atomically (temp file + rename), keeping an existing file's mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, indent=2) + "\n")
    os.replace(temporary, path)


def merged(tool: str, data: dict[str, Any], block: Mapping[str, list[Any]]) -> dict[str, Any]:
    flat = tool == "cursor"
    result = dict(data)
    hooks = {k: v for k, v in (data.get("hooks") or {}).items()}
    for event, ours in block.items():
        current = hooks.get(event)
        existing: list[Any] = current if isinstance(current, list) else []
        hooks[event] = [*_without_ours(existing, flat), *ours]
    result["hooks"] = hooks
    if flat:
        result.setdefault("version", 1)
    return result


def removed(tool: str, data: dict[str, Any]) -> dict[str, Any]:
    flat = tool == "cursor"
    hooks = dict(data.get("hooks") or {})
    for event in list(hooks):
        if not isinstance(hooks[event], list):
            continue
        remaining = _without_ours(hooks[event], flat)
        if remaining:
            hooks[event] = remaining
        else:
            del hooks[event]
    result = dict(data)
    if hooks:
        result["hooks"] = hooks
    else:
        result.pop("hooks", None)
    return result


def install(tool: str, path: Path, *, url: str | None = None, native: bool = False,
            command: str | None = None) -> Change:
    data = read_settings(path)
    updated = merged(tool, data, hooks_block(tool, command=command, url=url, native=native))
    if updated == data and path.exists():
        return Change(path, "unchanged")
    write_settings(path, updated)
    return Change(path, "installed")


def uninstall(tool: str, path: Path) -> Change:
    if not path.exists():
        return Change(path, "absent")
    data = read_settings(path)
    updated = removed(tool, data)
    if updated == data:
        return Change(path, "absent")
    write_settings(path, updated)
    return Change(path, "removed")
