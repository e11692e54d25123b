"""leakguard through the real pre-commit framework, as a user's .pre-commit-config.yaml uses it.

The hook repository is a snapshot of this checkout (committed in a temp repo), so the
test exercises the working tree on a laptop and the checked-out commit in CI alike.
pre-commit builds its environment (pip install of leakguard) once per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.gitutil import fake_aws_key, git, init_repo, other_fake_aws_key, write

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

REPO_ROOT = Path(__file__).resolve().parents[2]
_PACKAGE_PARTS = ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md",
                  ".pre-commit-hooks.yaml", "leakguard", "rules")


def _pre_commit() -> list[str]:
    exe = shutil.which("pre-commit")
    return [exe] if exe else [sys.executable, "-m", "pre_commit"]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A git repository holding this checkout's package, and its commit."""
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for part in _PACKAGE_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, snapshot / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        elif source.is_file():
            shutil.copy2(source, snapshot / part)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    git(snapshot, "init", "-q", "-b", "main")
    git(snapshot, "add", "-A")
    git(snapshot, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "snapshot", env=env)
    return snapshot, git(snapshot, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture()
def user_repo(tmp_path: Path, hook_repo: tuple[Path, str], pre_commit_home: Path,
              shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    path, rev = hook_repo
    repo = init_repo(tmp_path / "work")
    write(repo, ".pre-commit-config.yaml",
          f"repos:\n  - repo: {path}\n    rev: {rev}\n    hooks:\n      - id: leakguard\n"
          "      - id: leakguard-push\n")
    git(repo, "add", ".pre-commit-config.yaml")
    proc = subprocess.run([*_pre_commit(), "install", "-t", "pre-commit", "-t", "pre-push"],
                          cwd=repo, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Building the hook environment (pip install of leakguard) happens here, once.
    proc = subprocess.run([*_pre_commit(), "install-hooks"], cwd=repo, capture_output=True,
                          text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    yield repo


def commit(repo: Path, message: str = "change") -> tuple[int, str]:
    proc = subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo,
                          capture_output=True, text=True, check=False)
    return proc.returncode, proc.stdout + proc.stderr


def stage(repo: Path, name: str, text: str) -> None:
    write(repo, name, text)
    git(repo, "add", "--", name)


def test_pre_commit_framework_end_to_end(user_repo: Path) -> None:
    repo = user_repo
    key, other = fake_aws_key(), other_fake_aws_key()

    stage(repo, "app.py", "print('hello')\n")
    code, out = commit(repo, "clean")
    assert code == 0, out

    stage(repo, "config.py", f"AWS_KEY = '{key}'\n")
    code, out = commit(repo, "leak")
    assert code != 0, out
    assert "config.py" in out and key[:4] + "…(20 chars)" in out
    assert key not in out

    stage(repo, "config.py", f"AWS_KEY = '{key}'  # leakguard:allow test fixture\n")
    code, out = commit(repo, "allowed inline")
    assert code == 0, out

    # A baselined secret passes, still passes when moved, and never covers a new one.
    stage(repo, "settings.py", f"LEGACY = '{other}'\n")
    baseline = subprocess.run([sys.executable, "-m", "leakguard", "baseline", "create"],
                              cwd=repo, capture_output=True, text=True, check=False)
    assert baseline.returncode == 0, baseline.stderr
    git(repo, "add", ".leakguardignore", ".gitattributes")
    code, out = commit(repo, "baseline")
    assert code == 0, out

    stage(repo, "settings.py", f"# moved down\n\n\nLEGACY = '{other}'\n")
    code, out = commit(repo, "moved")
    assert code == 0, out

    fresh = "AKIA" + "W4RT6YUP" + "8NBV2CXZ"
    stage(repo, "settings.py", f"# moved down\n\n\nLEGACY = '{fresh}'\n")
    code, out = commit(repo, "new secret on the baselined line")
    assert code != 0, out
    assert "settings.py" in out and fresh not in out


def test_pre_push_hook_blocks_a_pushed_secret(user_repo: Path, tmp_path: Path) -> None:
    repo = user_repo
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    stage(repo, "app.py", "print('hello')\n")
    assert commit(repo, "clean")[0] == 0

    def push() -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "push", "-q", "origin", "HEAD:refs/heads/main"],
                              cwd=repo, capture_output=True, text=True, check=False)

    first = push()
    assert first.returncode == 0, first.stdout + first.stderr
    # Committed without hooks (--no-verify), then removed: the push still carries it.
    stage(repo, "leak.py", f"k = '{fake_aws_key()}'\n")
    git(repo, "commit", "-q", "--no-verify", "-m", "sneak")
    git(repo, "rm", "-q", "leak.py")
    assert commit(repo, "hide")[0] == 0
    blocked = push()
    out = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, out
    assert "leak.py" in out and fake_aws_key() not in out


def test_try_repo_runs_the_staged_hook(hook_repo: tuple[Path, str], tmp_path: Path,
                                       pre_commit_home: Path, shared_cache: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(shared_cache))
    path, rev = hook_repo
    repo = init_repo(tmp_path / "try")
    stage(repo, "leak.py", f"k = '{fake_aws_key()}'\n")
    proc = subprocess.run([*_pre_commit(), "try-repo", str(path), "leakguard", "--ref", rev],
                          cwd=repo, capture_output=True, text=True, check=False,
                          env={**os.environ})
    assert proc.returncode != 0
    assert "leak.py" in proc.stdout and fake_aws_key() not in proc.stdout
