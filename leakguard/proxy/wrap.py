"""Point an AI CLI at the proxy the way that tool supports, without touching the
user's own configuration files: environment variables, command-line options, and
for Gemini CLI a temporary system-settings file (the user's is merged in, not edited).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from leakguard.errors import ConfigError

TOOLS = ("claude", "codex", "gemini", "aider", "generic")
# What audit events call each tool.
AUDIT_NAMES = {"claude": "claude-code", "codex": "codex", "gemini": "gemini-cli",
               "aider": "aider"}
_ALIASES = {"claude": "claude", "claude-code": "claude", "codex": "codex",
            "gemini": "gemini", "gemini-cli": "gemini", "aider": "aider"}
_GEMINI_SYSTEM_SETTINGS = {
    "linux": "/etc/gemini-cli/settings.json",
    "darwin": "/Library/Application Support/GeminiCli/settings.json",
}


@dataclass(frozen=True)
class Launch:
    argv: tuple[str, ...]
    env: Mapping[str, str]


def infer_tool(command: Sequence[str]) -> str:
    """The tool a command runs, from its program name; ``generic`` for anything else."""
    name = Path(command[0]).name.lower()
    for suffix in (".exe", ".cmd", ".js"):
        name = name.removesuffix(suffix)
    return _ALIASES.get(name, "generic")


def base_urls(proxy_url: str) -> dict[str, str]:
    return {
        "anthropic": f"{proxy_url}/anthropic",
        "openai": f"{proxy_url}/openai/v1",
        "gemini": f"{proxy_url}/gemini",
    }


def prepare(
    tool: str, command: Sequence[str], proxy_url: str, environ: Mapping[str, str], workdir: Path
) -> Launch:
    """The argv and environment that run ``command`` through the proxy."""
    if tool not in TOOLS:
        raise ConfigError(f"unknown tool {tool!r}; choose one of {', '.join(TOOLS)}")
    urls = base_urls(proxy_url)
    env = dict(environ)
    # Every SDK's variable, whatever the tool: a helper script it spawns is guarded too.
    env.update(
        ANTHROPIC_BASE_URL=urls["anthropic"],
        OPENAI_BASE_URL=urls["openai"],
        OPENAI_API_BASE=urls["openai"],
        GOOGLE_GEMINI_BASE_URL=urls["gemini"],
        LEAKGUARD_PROXY_URL=proxy_url,
    )
    argv = list(command)
    if tool == "claude":
        # Without it Claude Code also calls its own hosts directly, past the base URL.
        env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1"
    elif tool == "codex":
        argv[1:1] = codex_options(urls["openai"])
    elif tool == "gemini":
        env["GEMINI_CLI_SYSTEM_SETTINGS_PATH"] = str(
            gemini_settings(environ, workdir / "gemini-system-settings.json")
        )
    elif tool == "aider":
        argv[1:1] = ["--openai-api-base", urls["openai"]]
        env["ANTHROPIC_API_BASE"] = urls["anthropic"]
    return Launch(tuple(argv), env)


def codex_options(openai_url: str) -> list[str]:
    """A model provider for this run only, given with ``-c`` (Codex ignores
    OPENAI_BASE_URL); WebSockets off, or it spends seconds trying to upgrade."""
    provider = (
        '{name="leakguard", base_url=' + json.dumps(openai_url)
        + ', env_key="OPENAI_API_KEY", wire_api="responses", supports_websockets=false}'
    )
    return ["-c", f"model_providers.leakguard={provider}", "-c", "model_provider=leakguard"]


def gemini_settings(environ: Mapping[str, str], target: Path) -> Path:
    """The system settings Gemini CLI would read, plus API-key auth (the base URL is
    honoured only with it). System settings override the user's, which stay as they are."""
    current = environ.get("GEMINI_CLI_SYSTEM_SETTINGS_PATH") or _GEMINI_SYSTEM_SETTINGS.get(
        sys.platform, ""
    )
    settings: dict[str, object] = {}
    if current and Path(current).is_file():
        try:
            loaded = json.loads(Path(current).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"cannot read Gemini CLI system settings {current}: {exc}") from None
        if isinstance(loaded, dict):
            settings = loaded
    security = settings.setdefault("security", {})
    if not isinstance(security, dict):
        raise ConfigError(f"Gemini CLI system settings {current}: 'security' is not an object")
    auth = security.setdefault("auth", {})
    if not isinstance(auth, dict):
        raise ConfigError(f"Gemini CLI system settings {current}: 'security.auth' is not an object")
    auth["selectedType"] = "gemini-api-key"
    target.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    os.chmod(target, 0o600)
    return target
