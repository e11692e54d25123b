"""`leakguard run` as a wrapper: exit codes, signals, and any SDK script guarded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.fakeupstream import FakeUpstream
from tests.helpers import fake_aws_key_id
from tests.proxy.conftest import destinations_yaml


def _run(args: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "leakguard", "run", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, **kwargs)  # type: ignore[call-overload]


def test_run_exits_with_the_tools_exit_code(tmp_path: Path) -> None:
    result = _run(["--", "sh", "-c", "exit 7"], tmp_path)
    assert result.returncode == 7


def test_run_reports_a_missing_command(tmp_path: Path) -> None:
    result = _run(["--", "no-such-tool-xyz"], tmp_path)
    assert result.returncode == 2
    assert "command not found: no-such-tool-xyz" in result.stderr


def test_run_forwards_sigterm_to_the_tool(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    script = f"trap 'exit 42' TERM; touch {ready}; while true; do sleep 0.1; done"
    proc = subprocess.Popen([sys.executable, "-m", "leakguard", "run", "--", "sh", "-c", script],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not ready.exists():
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 42


def test_any_sdk_script_is_pointed_at_the_proxy_and_guarded(tmp_path: Path) -> None:
    """`leakguard run -- python agent.py`: the script's SDK reads ANTHROPIC_BASE_URL."""
    secret = fake_aws_key_id()
    agent = tmp_path / "agent.py"
    agent.write_text(
        "import os, sys, anthropic\n"
        "client = anthropic.Anthropic(api_key='k', max_retries=0)\n"
        "try:\n"
        "    client.messages.create(model='m', max_tokens=5,\n"
        "        messages=[{'role': 'user', 'content': sys.argv[1]}])\n"
        "except anthropic.BadRequestError as exc:\n"
        "    print('BLOCKED', exc.message)\n"
        "    sys.exit(9)\n"
        "print('SENT', os.environ['ANTHROPIC_BASE_URL'].startswith('http://127.0.0.1:'))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANTHROPIC_")}
    with FakeUpstream() as upstream:
        (tmp_path / ".leakguard.yaml").write_text("version: 1\n" + destinations_yaml(upstream.url))
        clean = _run(["--", sys.executable, str(agent), "hello"], tmp_path, env=env)
        dirty = _run(["--", sys.executable, str(agent), f"key {secret}"], tmp_path, env=env)
        received = upstream.received_text()
    assert clean.returncode == 0 and "SENT True" in clean.stdout
    assert dirty.returncode == 9 and "leakguard blocked this request" in dirty.stdout
    assert secret not in received
    assert "1 request(s), 1 blocked" in dirty.stderr
