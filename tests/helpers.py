"""Shared test helpers: run the real CLI, and build fake secrets at test time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m leakguard ARGS`` in a subprocess, as a user would run it."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "leakguard", *args],
        cwd=cwd,
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=120,
    )


def fake_aws_key_id() -> str:
    return "AKIA" + "Q3ZL7WX2" + "M5TN4RVB"


def fake_github_pat() -> str:
    return "ghp_" + "r8Kq2Lm5Np9Xw3Vb7Tc1" + "Hd6Gf4Js0YaZe2Ru"
