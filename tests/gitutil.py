"""Real git repositories in temp dirs for the git door tests (no mocks of git)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(cwd: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
        stdin: str | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, input=stdin, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout.strip()


def init_repo(path: Path, branch: str = "main") -> Path:
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", branch)
    git(path, "config", "commit.gpgsign", "false")
    return path


def write(repo: Path, name: str, text: str | bytes) -> Path:
    target = repo / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def commit(repo: Path, files: dict[str, str | bytes] | None = None, message: str = "change",
           remove: tuple[str, ...] = ()) -> str:
    """Write ``files``, remove ``remove``, commit everything; the new commit's sha."""
    for name, text in (files or {}).items():
        write(repo, name, text)
        git(repo, "add", "--", name)
    for name in remove:
        git(repo, "rm", "-q", "--", name)
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def fake_aws_key() -> str:
    return "AKIA" + "Z7YQ4MXW" + "2PLK9TRC"


def other_fake_aws_key() -> str:
    return "AKIA" + "J3HD8NVS" + "6QWE1BXM"
