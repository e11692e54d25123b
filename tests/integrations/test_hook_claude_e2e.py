"""The real Claude Code CLI (-p mode) with leakguard's hooks injected through
--settings, against the fake upstream: what reaches the provider, and what does not.

`claude -p` exits 0 when a hook blocks a prompt, so these tests assert on its output
and on the upstream's log, never on the exit code alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from leakguard.integrations.install import hooks_block, leakguard_command
from tests.clients import require_client, run_client
from tests.fakeupstream import FakeUpstream, ToolCall
from tests.helpers import fake_aws_key_id

KEY = fake_aws_key_id()
pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def upstream() -> Iterator[FakeUpstream]:
    with FakeUpstream() as up:
        yield up


@pytest.fixture
def work(tmp_path: Path) -> Path:
    require_client("claude")
    root = tmp_path / "work"
    (root / ".git").mkdir(parents=True)
    (root / "creds.txt").write_text(f"region = eu-west-1\naws_access_key_id = {KEY}\n")
    settings = {"hooks": hooks_block("claude-code", command=leakguard_command("claude-code"))}
    (tmp_path / "settings.json").write_text(json.dumps(settings))
    return root


def claude(up: FakeUpstream, work: Path, prompt: str,
           env: dict[str, str] | None = None, extra: tuple[str, ...] = ()) -> str:
    done = run_client("claude", prompt, base_url=up.url, home=work.parent / "home", cwd=work,
                      extra=["--settings", str(work.parent / "settings.json"), *extra],
                      env_extra=env, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout + done.stderr


def assert_absent(text: str) -> None:
    if KEY in text:  # raised here: a failing assert would print the value
        raise AssertionError("the fake secret reached the upstream")


def tool_results(up: FakeUpstream) -> list[str]:
    last = up.posts[-1].json["messages"]
    return [json.dumps(block.get("content")) for message in last
            if isinstance(message.get("content"), list)
            for block in message["content"] if block.get("type") == "tool_result"]


def test_a_prompt_with_a_secret_never_reaches_the_upstream(upstream: FakeUpstream,
                                                          work: Path) -> None:
    out = claude(upstream, work, f"deploy with key {KEY} now")
    assert "leakguard blocked this prompt" in out
    assert upstream.posts == []
    assert_absent(upstream.received_text())  # (Claude Code itself echoes the prompt locally)


def test_a_read_of_a_file_with_a_secret_is_denied(upstream: FakeUpstream, work: Path) -> None:
    upstream.reply(tool_call=ToolCall("Read", {"file_path": str(work / "creds.txt")}))
    upstream.reply("understood")
    claude(upstream, work, "show me creds.txt")
    assert len(upstream.posts) == 2  # the prompt, then the (denied) tool result
    (result,) = tool_results(upstream)
    assert "leakguard blocked Read" in result
    assert_absent(upstream.received_text())


def test_a_bash_command_reading_the_file_is_denied(upstream: FakeUpstream,
                                                   work: Path) -> None:
    upstream.reply(tool_call=ToolCall("Bash", {"command": "cat creds.txt | head -5",
                                               "description": "show the file"}))
    upstream.reply("understood")
    claude(upstream, work, "print creds.txt", extra=("--allowedTools", "Bash(cat:*)"))
    (result,) = tool_results(upstream)
    assert "leakguard blocked Bash (creds.txt)" in result
    assert_absent(upstream.received_text())


def test_with_anonymize_the_upstream_gets_the_placeholder(upstream: FakeUpstream,
                                                         work: Path) -> None:
    (work / ".leakguard.yaml").write_text(
        "version: 1\nrule_actions:\n  aws-access-key-id: anonymize\n")
    upstream.reply(tool_call=ToolCall("Read", {"file_path": str(work / "creds.txt")}))
    upstream.reply("noted")
    claude(upstream, work, "what is in creds.txt?")
    (result,) = tool_results(upstream)
    assert "SECRET_1_" in result and "region = eu-west-1" in result
    assert_absent(upstream.received_text())


def test_a_hook_that_fails_blocks(upstream: FakeUpstream, work: Path) -> None:
    out = claude(upstream, work, "a harmless prompt",
                 env={"LEAKGUARD_POLICY": str(work / "missing-policy.yaml")})
    assert "fails closed" in out and "missing-policy.yaml" in out
    assert upstream.posts == []
