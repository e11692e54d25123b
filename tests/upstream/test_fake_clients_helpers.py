"""tests/clients.py: finding clients, skip-or-fail, the environment and argv it builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests import clients


def test_missing_client_skips_locally_and_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEAKGUARD_TEST_CLIENTS", str(tmp_path))
    assert clients.find_client("claude") is None
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"install-clients\.sh"):
        clients.require_client("codex")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must have it"):
        clients.require_client("codex")
    with pytest.raises(ValueError, match="unknown client"):
        clients.find_client("cursor")


def test_installed_versions_match_the_pins() -> None:
    for name, version in clients.VERSIONS.items():
        if clients.find_client(name) is not None:
            assert clients.client_version(name) == version, name


def test_client_env_is_offline_and_fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_AUTH_TOKEN", "from-the-developer")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    home = tmp_path / "home"
    env = clients.client_env(home, "http://127.0.0.1:9", extra={"EXTRA": "1"})
    assert env["HOME"] == str(home) and env["EXTRA"] == "1"
    assert "ANTHROPIC_AUTH_TOKEN" not in env and "HTTPS_PROXY" not in env
    assert env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"
    assert env["ANTHROPIC_BASE_URL"] == env["GOOGLE_GEMINI_BASE_URL"] == "http://127.0.0.1:9"
    assert Path(env["CODEX_HOME"]).is_dir()
    settings = json.loads((home / ".gemini" / "settings.json").read_text())
    assert settings["security"]["auth"]["selectedType"] == "gemini-api-key"
    assert settings["privacy"]["usageStatisticsEnabled"] is False
    assert "ANTHROPIC_BASE_URL" not in clients.client_env(tmp_path / "other")
    if clients.find_client("aider") is not None:
        cache = home / ".aider" / "caches" / "model_prices_and_context_window.json"
        assert "gpt-4o" in json.loads(cache.read_text())


def test_argv_builders_point_at_the_base_url() -> None:
    if any(clients.find_client(name) is None for name in clients.VERSIONS):
        pytest.skip("needs every client installed (argv starts with its path)")
    url = "http://127.0.0.1:9"
    assert clients.prompt_argv("claude", "p")[1:] == ["-p", "p"]
    codex = clients.prompt_argv("codex", "p", url)
    assert codex[codex.index("exec") :] == ["exec", "--skip-git-repo-check", "p"]
    assert any('base_url="http://127.0.0.1:9/v1"' in arg for arg in codex[: codex.index("exec")])
    assert "supports_websockets=false" in " ".join(codex)
    assert clients.prompt_argv("gemini", "p")[1:] == ["-p", "p"]
    aider = clients.prompt_argv("aider", "p", url, files=["a.py"])
    assert aider[aider.index("--openai-api-base") + 1] == url + "/v1"
    assert aider[-3:] == ["--message", "p", "a.py"]
    assert "--openai-api-base" not in clients.prompt_argv("aider", "p")


def test_fake_keys_are_low_entropy_and_distinct() -> None:
    keys = {clients.fake_api_key(p) for p in ("anthropic", "openai", "gemini")}
    assert len(keys) == 3 and all("test-leakguard" in key for key in keys)
