"""`leakguard run` around the REAL AI CLIs (pinned, installed by .ci/install-clients.sh),
offline against the fake upstream: what leaves is scanned, the answer comes back
restored, and a block reaches the person as leakguard's own message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.clients import client_env, prompt_argv, require_client
from tests.fakeupstream import FakeUpstream, ToolCall
from tests.helpers import fake_aws_key_id
from tests.proxy.conftest import destinations_yaml

ANONYMIZE = "default_action: {secret: anonymize}\n"


def _run(tool: str, prompt: str, repo: Path, home: Path, files: tuple[Path, ...] = (),
         timeout: float = 150) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "leakguard", "run", "--",
            *prompt_argv(tool, prompt, None, files=files)]
    return subprocess.run(argv, env=client_env(home), cwd=repo, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    path = tmp_path / "repo"
    path.mkdir()
    return path


def _policy(repo: Path, upstream: FakeUpstream, extra: str = "") -> None:
    (repo / ".leakguard.yaml").write_text("version: 1\n" + destinations_yaml(upstream.url) + extra)


def _secret_file(repo: Path) -> tuple[Path, str]:
    secret = fake_aws_key_id()
    path = repo / "deploy.env"
    path.write_text(f"AWS_ACCESS_KEY_ID={secret}\nREGION=eu-west-1\n")
    return path, secret


def test_claude_read_of_a_secret_is_anonymized_and_the_answer_restored(
    repo: Path, tmp_path: Path, upstream: FakeUpstream
) -> None:
    require_client("claude")
    path, secret = _secret_file(repo)
    _policy(repo, upstream, ANONYMIZE)
    upstream.echo = True
    upstream.reply(tool_call=ToolCall("Read", {"file_path": str(path)}))
    result = _run("claude", "what is in deploy.env?", repo, tmp_path / "home")
    assert result.returncode == 0, result.stderr
    posts = upstream.posts
    assert len(posts) >= 2  # the tool call, then its result went out
    assert secret not in upstream.received_text()
    assert "SECRET_1_" in posts[-1].body.decode()
    assert secret in result.stdout  # the echoed placeholder, restored for the person
    assert "anonymized" in result.stderr


def test_claude_blocked_read_prints_leakguards_message(
    repo: Path, tmp_path: Path, upstream: FakeUpstream
) -> None:
    require_client("claude")
    path, secret = _secret_file(repo)
    _policy(repo, upstream)
    upstream.reply(tool_call=ToolCall("Read", {"file_path": str(path)}))
    result = _run("claude", "what is in deploy.env?", repo, tmp_path / "home")
    assert "leakguard blocked this request" in result.stdout
    assert "output of Read(" in result.stdout and "deploy.env" in result.stdout
    assert secret not in result.stdout + result.stderr
    assert secret not in upstream.received_text()
    assert len(upstream.posts) == 1  # only the first turn, before the file was read


def test_codex_exec_prompt_secret_is_anonymized_and_restored(
    repo: Path, tmp_path: Path, upstream: FakeUpstream
) -> None:
    require_client("codex")
    secret = fake_aws_key_id()
    _policy(repo, upstream, ANONYMIZE)
    upstream.echo = True
    result = _run("codex", f"remember key {secret} please", repo, tmp_path / "home")
    assert result.returncode == 0, result.stderr[-2000:]
    assert any(r.path.endswith("/v1/responses") for r in upstream.posts)
    assert secret not in upstream.received_text()
    assert secret in result.stdout


def test_codex_exec_blocked_prompt_shows_the_message(
    repo: Path, tmp_path: Path, upstream: FakeUpstream
) -> None:
    require_client("codex")
    secret = fake_aws_key_id()
    _policy(repo, upstream)
    result = _run("codex", f"remember key {secret} please", repo, tmp_path / "home")
    assert result.returncode != 0
    assert "leakguard blocked this request" in result.stdout + result.stderr
    assert secret not in upstream.received_text()


def test_gemini_prompt_secret_is_anonymized_and_restored(
    repo: Path, tmp_path: Path, upstream: FakeUpstream
) -> None:
    require_client("gemini")
    secret = fake_aws_key_id()
    _policy(repo, upstream, ANONYMIZE)
    upstream.echo = True
    result = _run("gemini", f"remember key {secret} please", repo, tmp_path / "home")
    assert result.returncode == 0, result.stderr[-2000:]
    assert any(":streamGenerateContent" in r.path for r in upstream.posts)
    assert secret not in upstream.received_text()
    assert secret in result.stdout


@pytest.mark.slow
def test_aider_file_with_a_secret_is_anonymized(
    repo: Path, tmp_path: Path, upstream: FakeUpstream
) -> None:
    require_client("aider")
    path, secret = _secret_file(repo)
    _policy(repo, upstream, ANONYMIZE)
    result = _run("aider", "explain deploy.env", repo, tmp_path / "home", files=(path,))
    assert result.returncode == 0, result.stderr[-2000:]
    assert [r.path for r in upstream.posts] == ["/v1/chat/completions"]
    assert secret not in upstream.received_text()
    assert "SECRET_1_" in upstream.received_text()
