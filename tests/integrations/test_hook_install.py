"""Installers: merged into each tool's settings, idempotent, and exactly reversible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leakguard.integrations.install import (
    TOOLS,
    install,
    is_ours,
    read_settings,
    settings_path,
    uninstall,
)
from tests.helpers import run_cli

THEIRS = {"type": "command", "command": "my-own-guard --strict"}


def user_settings(tool: str) -> dict[str, object]:
    if tool == "cursor":
        return {"version": 1, "hooks": {"beforeShellExecution": [{"command": "audit.sh"}],
                                        "stop": [{"command": "notify.sh"}]}}
    event = {"claude-code": "PreToolUse", "codex": "PreToolUse", "gemini": "BeforeTool"}[tool]
    return {"theme": "dark", "model": "best",
            "hooks": {event: [{"matcher": "Bash", "hooks": [THEIRS]}],
                      "Stop": [{"hooks": [{"type": "command", "command": "notify.sh"}]}]}}


@pytest.mark.parametrize("tool", TOOLS)
@pytest.mark.parametrize("scope", ["user", "project"])
def test_install_twice_then_uninstall_gives_back_the_file(tmp_path: Path, tool: str,
                                                         scope: str) -> None:
    env = {"HOME": str(tmp_path / "home"), "CODEX_HOME": str(tmp_path / "codex")}
    path = settings_path(tool, scope, tmp_path / "proj", env)
    path.parent.mkdir(parents=True)
    original = user_settings(tool)
    path.write_text(json.dumps(original, indent=2))
    assert install(tool, path).action == "installed"
    first = path.read_text()
    assert install(tool, path).action == "unchanged" and path.read_text() == first
    data = read_settings(path)
    assert data.get("theme") == original.get("theme")
    ours = [h for groups in data["hooks"].values() for g in groups
            for h in (g.get("hooks", [g]))
            if is_ours(h)]
    assert ours and all("leakguard hook " + tool in h["command"] for h in ours)
    assert all(h.get("failClosed") is True for h in ours) if tool == "cursor" else True
    assert uninstall(tool, path).action == "removed"
    assert read_settings(path) == original
    assert uninstall(tool, path).action == "absent"


def test_user_scope_paths(tmp_path: Path) -> None:
    env = {"HOME": "/h", "CODEX_HOME": "/c"}
    project = tmp_path
    assert settings_path("claude-code", "user", project, env) == Path("/h/.claude/settings.json")
    assert settings_path("codex", "user", project, env) == Path("/c/hooks.json")
    assert settings_path("gemini", "project", project, env) == project / ".gemini/settings.json"
    assert settings_path("cursor", "user", project, env) == Path("/h/.cursor/hooks.json")


def test_invalid_settings_are_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with pytest.raises(Exception, match="not valid JSON"):
        install("claude-code", path)
    assert path.read_text() == "{not json"


def test_http_modes(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    install("claude-code", path, url="http://127.0.0.1:8787")
    command = read_settings(path)["hooks"]["UserPromptSubmit"][0]["hooks"][0]["command"]
    assert "curl" in command and "/hooks/claude-code" in command and command.endswith("exit 2; }")
    install("claude-code", path, url="http://127.0.0.1:8787", native=True)
    entries = [h for g in read_settings(path)["hooks"]["PreToolUse"] for h in g["hooks"]]
    assert len(entries) == 1 and entries[0]["type"] == "http"  # replaced, not added
    uninstall("claude-code", path)
    assert read_settings(path) == {}


def test_cli_install_and_uninstall_on_a_temp_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"HOME": str(home), "CODEX_HOME": str(home / ".codex")}
    for tool in TOOLS:
        done = run_cli("install", tool, env=env)
        assert done.returncode == 0, done.stderr
    assert (home / ".claude" / "settings.json").exists()
    assert (home / ".codex" / "hooks.json").exists()
    codex = run_cli("install", "codex", env=env)
    assert "already has" in codex.stdout and "trust" in codex.stdout
    for tool in TOOLS:
        assert run_cli("uninstall", tool, env=env).returncode == 0
    assert json.loads((home / ".claude" / "settings.json").read_text()) == {}
