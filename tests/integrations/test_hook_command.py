"""`python -m leakguard hook ...` as the tools run it: exit codes, deadline, start-up."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integrations.hookhelp import claude_event, pre_tool

CLEAN_CODE = "".join(
    f"def handler_{i}(request, retries=3):\n    return request.get('/v1/items', timeout=30)\n"
    for i in range(700)
)  # ~50 KB of code without PII candidates


def hook(raw: str, *args: str, importtime: bool = False,
         env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run([sys.executable, *flags, "-m", "leakguard", "hook", *args],
                          input=raw, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def imported(stderr: str) -> set[str]:
    return {line.rsplit("|", 1)[1].strip() for line in stderr.splitlines()
            if line.startswith("import time:") and "|" in line}


def test_clean_hooks_import_neither_presidio_nor_click(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    big = tmp_path / "big.py"
    big.write_text(CLEAN_CODE)
    assert 45_000 <= big.stat().st_size <= 60_000
    bare = imported(subprocess.run([sys.executable, "-X", "importtime", "-c", "pass"],
                                   capture_output=True, text=True, timeout=60).stderr)
    for event in (claude_event("UserPromptSubmit", tmp_path, prompt="fix the flaky test"),
                  pre_tool(tmp_path, "Read", {"file_path": str(big)})):
        hook(json.dumps(event), "claude-code")  # warm: the rules and engine caches exist
        done = hook(json.dumps(event), "claude-code", importtime=True)
        assert done.returncode == 0 and done.stdout == "", done.stderr[-2000:]
        modules = imported(done.stderr)
        assert "leakguard.detectors.pii" in modules  # PII detection is on...
        assert "presidio_analyzer" not in modules and "spacy" not in modules  # ...nothing heavy
        assert "click" not in modules
        # Start-up (issue #8: <= 120 ms): each of these costs milliseconds at every call
        # (beyond what this interpreter's own start-up loads: site hooks may load some).
        slow = {"dataclasses", "inspect", "hashlib", "hmac", "socket", "secrets", "getpass",
                "threading", "base64"} - bare
        assert not slow & modules, sorted(slow & modules)


def test_garbage_input_exits_2_with_a_message() -> None:
    done = hook("{{{", "claude-code")
    assert done.returncode == 2 and "blocked" in done.stderr and done.stdout == ""


def test_usage_errors_exit_2() -> None:
    assert hook("{}", "no-such-tool").returncode == 2
    assert hook("{}").returncode == 2


def test_the_deadline_blocks_a_hook_that_hangs(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "leakguard", "hook", "claude-code", "--timeout", "0.5"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        process.wait(timeout=30)  # stdin stays open: the hook waits for input
        out, err = process.stdout.read(), process.stderr.read()  # type: ignore[union-attr]
    finally:
        process.kill()
        process.stdin.close()  # type: ignore[union-attr]
    assert process.returncode == 2
    assert "did not finish within 0.5 s" in err and out == ""


def test_the_click_command_gives_help() -> None:
    done = subprocess.run([sys.executable, "-m", "leakguard", "hook", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "claude-code" in done.stdout


def test_each_decision_is_in_the_audit_log_and_an_unwritable_log_blocks(tmp_path: Path) -> None:
    """Fail closed: the event is written before the answer; when it cannot be, the
    prompt is blocked (exit 2), unless the policy says audit.on_failure: allow."""
    import sqlite3

    (tmp_path / ".git").mkdir()
    db = tmp_path / "state" / "audit.db"
    policy = tmp_path / ".leakguard.yaml"
    policy.write_text(f"audit: {{store: 'sqlite:///{db}'}}\n")
    prompt = json.dumps(claude_event("UserPromptSubmit", tmp_path, prompt="fix the test"))
    for count in (1, 2):
        done = hook(prompt, "claude-code")
        assert done.returncode == 0 and done.stdout == "", done.stderr
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT tool, verdict FROM audit_events").fetchall()
        assert rows == [("claude-code", "allow")] * count
    blocker = tmp_path / "file"
    blocker.write_text("")
    policy.write_text(f"audit: {{store: 'sqlite:///{blocker / 'audit.db'}'}}\n")
    done = hook(prompt, "claude-code")
    assert done.returncode == 2 and "blocked" in done.stderr and done.stdout == ""
    policy.write_text(f"audit: {{store: 'sqlite:///{blocker / 'audit.db'}', "
                      "on_failure: allow}\n")
    done = hook(prompt, "claude-code")
    assert done.returncode == 0 and "audit log not written" in done.stderr
