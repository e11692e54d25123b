"""Find and drive the real AI coding CLIs offline, pointed at a local base URL.

The pinned clients live under ``$LEAKGUARD_TEST_CLIENTS`` (default
``~/.cache/leakguard-ci/clients`` of the real user, since tests run with a temp
HOME), installed by ``.ci/install-clients.sh``. ``base_url`` is always the
server root (``http://127.0.0.1:PORT``, no ``/v1``): each builder adds the path
its client expects. Facts behind the settings: ../shared/ai-clients/README.md.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

VERSIONS = {"claude": "2.1.197", "codex": "0.171.0", "gemini": "0.61.0", "aider": "0.86.2"}
_NPM_PACKAGES = {
    "claude": "@anthropic-ai/claude-code",
    "codex": "@openai/codex",
    "gemini": "@google/gemini-cli",
}
# Variables of the developer's own setup that would steer a client elsewhere.
_SCRUBBED_PREFIXES = ("ANTHROPIC_", "OPENAI_", "GEMINI_", "GOOGLE_", "CODEX_", "CLAUDE", "AIDER_")
_SCRUBBED = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


def clients_dir() -> Path:
    """Where the pinned clients are installed."""
    configured = os.environ.get("LEAKGUARD_TEST_CLIENTS")
    if configured:
        return Path(configured)
    return Path(pwd.getpwuid(os.getuid()).pw_dir) / ".cache" / "leakguard-ci" / "clients"


def find_client(name: str) -> Path | None:
    """The executable of ``claude``, ``codex``, ``gemini`` or ``aider``, if installed."""
    if name not in VERSIONS:
        raise ValueError(f"unknown client {name!r}; known: {', '.join(VERSIONS)}")
    base = clients_dir()
    path = (
        base / "aider-venv" / "bin" / "aider"
        if name == "aider"
        else (base / "node_modules" / ".bin" / name)
    )
    return path if path.exists() and os.access(path, os.X_OK) else None


def client_version(name: str) -> str | None:
    """The installed version, read from package metadata (no process start)."""
    base = clients_dir()
    if name == "aider":
        found = sorted(base.glob("aider-venv/lib/python*/site-packages/aider_chat-*.dist-info"))
        return found[-1].name.removesuffix(".dist-info").split("-")[1] if found else None
    manifest = base / "node_modules" / _NPM_PACKAGES[name] / "package.json"
    try:
        return str(json.loads(manifest.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return None


def require_client(name: str) -> Path:
    """The client's path; skips the test when missing, but fails it when ``CI`` is set."""
    path = find_client(name)
    if path is not None:
        return path
    message = (
        f"{name} {VERSIONS[name]} is not installed under {clients_dir()} "
        "(install with .ci/install-clients.sh, or set LEAKGUARD_TEST_CLIENTS)"
    )
    if os.environ.get("CI"):
        pytest.fail(message + "; CI must have it")
    pytest.skip(message)


def fake_api_key(provider: str) -> str:
    """A low-entropy key per provider (anthropic, openai, gemini): no detector fires on it."""
    prefixes = {"anthropic": "sk-ant-", "openai": "sk-", "gemini": "fake-"}
    return prefixes[provider] + "-".join(("test", "leakguard", provider))


def client_env(
    home: Path, base_url: str | None = None, *, extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Environment for any of the clients, run offline with ``home`` as a fresh HOME.

    Sets the keys, turns off telemetry, update checks and non-essential traffic,
    and writes what the clients need under ``home`` (Gemini settings, CODEX_HOME,
    aider's model price cache). With ``base_url`` the env-configured clients
    (Claude Code, Gemini CLI, SDKs) are pointed at it; without, the caller (e.g.
    ``leakguard run``) does the pointing.
    """
    home.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(_SCRUBBED_PREFIXES) and key not in _SCRUBBED
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
        NO_COLOR="1",
        # Claude Code: without the first it reaches its real host, bypassing the base URL.
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1",
        DISABLE_TELEMETRY="1",
        DISABLE_ERROR_REPORTING="1",
        DISABLE_AUTOUPDATER="1",
        ANTHROPIC_API_KEY=fake_api_key("anthropic"),
        OPENAI_API_KEY=fake_api_key("openai"),
        GEMINI_API_KEY=fake_api_key("gemini"),
        GEMINI_CLI_TRUST_WORKSPACE="true",
        GEMINI_CLI_NO_RELAUNCH="true",  # no second node process with a bigger heap
        CODEX_HOME=str(home / ".codex"),
        # Gemini CLI writes whole conversations to $TMPDIR/gemini-client-error-*.json on
        # API errors: keep them inside the test's home.
        TMPDIR=str(home / "tmp"),
    )
    if base_url is not None:
        env["ANTHROPIC_BASE_URL"] = base_url
        env["GOOGLE_GEMINI_BASE_URL"] = base_url
        env["OPENAI_BASE_URL"] = base_url + "/v1"  # SDK scripts; Codex and aider ignore it
    _prepare_home(home)
    env.update(extra or {})
    return env


def _prepare_home(home: Path) -> None:
    (home / ".codex").mkdir(exist_ok=True)
    (home / "tmp").mkdir(exist_ok=True)
    gemini = home / ".gemini"
    gemini.mkdir(exist_ok=True)
    settings = {
        "security": {"auth": {"selectedType": "gemini-api-key"}},
        "privacy": {"usageStatisticsEnabled": False},
        "telemetry": {"enabled": False},
        "general": {"enableAutoUpdate": False, "enableAutoUpdateNotification": False},
    }
    if not (gemini / "settings.json").exists():
        (gemini / "settings.json").write_text(json.dumps(settings, indent=2))
    # aider downloads litellm's model price list unless its cache holds a copy.
    cache = home / ".aider" / "caches" / "model_prices_and_context_window.json"
    found = sorted(
        clients_dir().glob(
            "aider-venv/lib/python*/site-packages/litellm/model_prices_and_context_window_backup.json"
        )
    )
    if found and not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(found[-1], cache)


def _exe(name: str) -> str:
    path = find_client(name)
    if path is None:
        raise FileNotFoundError(f"{name} is not installed under {clients_dir()}")
    return str(path)


def claude_argv(prompt: str, extra: Sequence[str] = ()) -> list[str]:
    """``claude -p PROMPT``; the base URL comes from ``ANTHROPIC_BASE_URL``. Flags such as
    ``--allowedTools`` go in ``extra`` (after the prompt, where Claude Code wants them)."""
    return [_exe("claude"), "-p", prompt, *extra]


def codex_provider_args(base_url: str) -> list[str]:
    """``-c`` overrides for a custom Responses provider (OPENAI_BASE_URL is ignored).
    ``supports_websockets=false`` saves ~7 s of WebSocket upgrade attempts."""
    provider = (
        f'{{name="lg", base_url="{base_url}/v1", env_key="OPENAI_API_KEY", '
        'wire_api="responses", supports_websockets=false}'
    )
    return ["-c", f"model_providers.lg={provider}", "-c", "model_provider=lg"]


def codex_argv(prompt: str, base_url: str | None = None, extra: Sequence[str] = ()) -> list[str]:
    """``codex [-c provider...] exec --skip-git-repo-check PROMPT`` (``-c`` before ``exec``)."""
    pointing = codex_provider_args(base_url) if base_url is not None else []
    return [_exe("codex"), *pointing, "exec", "--skip-git-repo-check", *extra, prompt]


def gemini_argv(prompt: str, extra: Sequence[str] = ()) -> list[str]:
    """``gemini -p PROMPT``; the base URL comes from ``GOOGLE_GEMINI_BASE_URL``."""
    return [_exe("gemini"), *extra, "-p", prompt]


def aider_argv(
    prompt: str,
    base_url: str | None = None,
    files: Sequence[str | Path] = (),
    extra: Sequence[str] = (),
) -> list[str]:
    """``aider --message PROMPT FILES`` with an OpenAI-compatible base, no git, no prompts."""
    pointing = [] if base_url is None else ["--openai-api-base", base_url + "/v1"]
    return [
        _exe("aider"), "--model", "openai/gpt-4o", *pointing,
        "--openai-api-key", fake_api_key("openai"), "--yes", "--no-git", "--no-check-update",
        "--no-show-model-warnings", "--analytics-disable", "--no-pretty",
        *extra, "--message", prompt, *map(str, files),
    ]  # fmt: skip


def prompt_argv(
    name: str,
    prompt: str,
    base_url: str | None = None,
    files: Sequence[str | Path] = (),
    extra: Sequence[str] = (),
) -> list[str]:
    """The one-shot argv of any client (``files``: aider only)."""
    if name == "claude":
        return claude_argv(prompt, extra)
    if name == "codex":
        return codex_argv(prompt, base_url, extra)
    if name == "gemini":
        return gemini_argv(prompt, extra)
    return aider_argv(prompt, base_url, files, extra)


def run_client(
    name: str,
    prompt: str,
    *,
    base_url: str,
    home: Path,
    cwd: Path,
    timeout: float = 120,
    files: Sequence[str | Path] = (),
    extra: Sequence[str] = (),
    env_extra: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one client once against ``base_url``, stdin closed, output captured."""
    return subprocess.run(
        prompt_argv(name, prompt, base_url, files, extra),
        env=client_env(home, base_url, extra=env_extra),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
