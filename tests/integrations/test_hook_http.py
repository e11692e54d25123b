"""The HTTP hook routes in a bare aiohttp app, as `leakguard serve` mounts them."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from leakguard.integrations.http_hook import hook_routes
from leakguard.integrations.install import curl_command
from tests.helpers import fake_aws_key_id
from tests.integrations.hookhelp import bash_response, claude_event, hidden, post_tool, pre_tool

KEY = fake_aws_key_id()


@pytest.fixture
def server() -> Iterator[str]:
    """A bare aiohttp app with only the hook routes, on 127.0.0.1, in a thread."""
    loop = asyncio.new_event_loop()
    app = web.Application()
    app.add_routes(hook_routes())
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


def post(url: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_claude_code_answers_in_its_http_format(server: str, tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "a.env").write_text(f"K={KEY}\n")
    url = server + "/hooks/claude-code"
    clean = claude_event("UserPromptSubmit", tmp_path, prompt="hello")
    assert post(url, json.dumps(clean).encode()) == (200, {})
    status, body = post(url, json.dumps(
        claude_event("UserPromptSubmit", tmp_path, prompt=f"k {KEY}")).encode())
    assert status == 200 and body["decision"] == "block" and hidden(KEY, json.dumps(body))
    status, body = post(url, json.dumps(
        pre_tool(tmp_path, "Read", {"file_path": str(tmp_path / "a.env")})).encode())
    assert body["hookSpecificOutput"]["permissionDecision"] == "deny"
    status, body = post(url, json.dumps(
        post_tool(tmp_path, "Bash", {"command": "env"}, bash_response(f"K={KEY}"))).encode())
    assert "withheld" in body["hookSpecificOutput"]["updatedToolOutput"]["stdout"]


def test_failures_block_in_json_where_they_can(server: str) -> None:
    # An event with a JSON blocking form: blocked in JSON (http hooks read no exit code).
    status, body = post(server + "/hooks/claude-code",
                        json.dumps({"hook_event_name": "UserPromptSubmit"}).encode())
    assert status == 200 and body["decision"] == "block" and "fails closed" in body["reason"]
    # No event at all: 500, which the installer's curl command turns into exit 2.
    status, text = post(server + "/hooks/claude-code", b"not json")
    assert status == 500 and "blocked" in text
    assert post(server + "/hooks/nope", b"{}")[0] == 404


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl not installed")
def test_the_curl_command_blocks_when_the_server_is_down(server: str, tmp_path: Path) -> None:
    event = json.dumps(claude_event("UserPromptSubmit", tmp_path, prompt=f"k {KEY}"))
    up = subprocess.run(["sh", "-c", curl_command("claude-code", server)], input=event,
                        capture_output=True, text=True, timeout=60)
    assert up.returncode == 0 and json.loads(up.stdout)["decision"] == "block"
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    down = subprocess.run(["sh", "-c", curl_command("claude-code", dead)], input=event,
                          capture_output=True, text=True, timeout=60)
    assert down.returncode == 2 and "did not answer; blocked" in down.stderr
