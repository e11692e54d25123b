"""The sample settings in hooks/ are what the installers write (with `leakguard` on PATH)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from leakguard.integrations.install import hooks_block

HOOKS = Path(__file__).resolve().parents[2] / "hooks"
SAMPLES = {"claude-code": "claude-code-settings.json", "codex": "codex-hooks.json",
           "gemini": "gemini-settings.json", "cursor": "cursor-hooks.json"}


@pytest.mark.parametrize(("tool", "name"), SAMPLES.items())
def test_samples_match_the_installer(tool: str, name: str) -> None:
    sample = json.loads((HOOKS / name).read_text())
    assert sample["hooks"] == hooks_block(tool, command=f"leakguard hook {tool} || exit 2")


def test_managed_sample_allows_managed_hooks_only() -> None:
    managed = json.loads((HOOKS / "claude-code-managed-settings.json").read_text())
    assert managed["allowManagedHooksOnly"] is True
    command = "/usr/local/bin/leakguard hook claude-code || exit 2"
    assert managed["hooks"] == hooks_block("claude-code", command=command)
