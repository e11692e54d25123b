"""The real AI CLIs, pointed straight at the fake (no proxy), complete a turn.

Proves the fake is faithful enough for the proxy and hook tests, and pins what
each CLI sends. Measured here: claude ~1.3 s, codex ~0.8 s, gemini ~2.2 s, aider ~9 s.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clients import fake_api_key, require_client, run_client
from tests.fakeupstream import FakeUpstream, ToolCall

ANSWER = 'Fake upstream says: h\u00e9llo "there"'
MARKER = "MARKER-" + "7f3a-" + "0042"


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    """(home, work): a fresh HOME and a project folder holding notes.txt."""
    work = tmp_path / "work"
    work.mkdir()
    (work / "notes.txt").write_text(f"first line\nthe marker is {MARKER}\n")
    return tmp_path / "home", work


def run(name: str, up: FakeUpstream, dirs: tuple[Path, Path], prompt: str, **kw: object) -> str:
    require_client(name)
    home, work = dirs
    done = run_client(name, prompt, base_url=up.url, home=home, cwd=work, timeout=120, **kw)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_claude_prints_the_answer(upstream: FakeUpstream, dirs: tuple[Path, Path]) -> None:
    upstream.reply(ANSWER)
    assert ANSWER in run("claude", upstream, dirs, "say hi")
    head, message = upstream.requests
    assert (head.method, head.path) == ("HEAD", "/")
    assert (message.path, message.query) == ("/v1/messages", "beta=true")
    assert message.headers["x-api-key"] == fake_api_key("anthropic")
    assert message.headers["x-app"] == "cli" and "anthropic-beta" in message.headers
    assert message.json["stream"] is True


def test_claude_read_round_trip(upstream: FakeUpstream, dirs: tuple[Path, Path]) -> None:
    upstream.chunk_size, upstream.gzip_responses, upstream.echo = 1, True, True
    notes = dirs[1] / "notes.txt"
    upstream.reply(tool_call=ToolCall("Read", {"file_path": str(notes)}))
    out = run("claude", upstream, dirs, "read notes.txt")
    assert MARKER in out  # the echo of the tool result, printed
    first, second = upstream.posts
    assert MARKER not in first.body.decode()
    (result,) = [b for b in second.json["messages"][-1]["content"] if b["type"] == "tool_result"]
    assert MARKER in str(result["content"])


@pytest.mark.parametrize("chunk_size, gzip", [(8, False), (1, True)])
def test_codex_exec_prints_the_answer(
    upstream: FakeUpstream, dirs: tuple[Path, Path], chunk_size: int, gzip: bool
) -> None:
    upstream.chunk_size, upstream.gzip_responses = chunk_size, gzip
    upstream.reply(ANSWER)
    assert ANSWER in run("codex", upstream, dirs, "say hi")
    (message,) = upstream.requests
    assert (message.method, message.path) == ("POST", "/v1/responses")
    assert message.headers["authorization"] == "Bearer " + fake_api_key("openai")
    assert message.json["stream"] is True
    assert "say hi" in upstream.received_text()


def test_gemini_prints_the_answer(upstream: FakeUpstream, dirs: tuple[Path, Path]) -> None:
    upstream.reply(ANSWER)
    assert ANSWER in run("gemini", upstream, dirs, "say hi")
    router, message = upstream.requests
    assert router.path.endswith(":generateContent")
    assert router.json["generationConfig"]["responseMimeType"] == "application/json"
    assert message.path.endswith(":streamGenerateContent") and message.query == "alt=sse"
    assert message.headers["x-goog-api-key"] == fake_api_key("gemini")


def test_gemini_read_file_round_trip(upstream: FakeUpstream, dirs: tuple[Path, Path]) -> None:
    upstream.chunk_size, upstream.gzip_responses, upstream.echo = 1, True, True
    upstream.reply(tool_call=ToolCall("read_file", {"file_path": str(dirs[1] / "notes.txt")}))
    assert MARKER in run("gemini", upstream, dirs, "read notes.txt")
    last = upstream.posts[-1].json["contents"][-1]["parts"][0]["functionResponse"]
    assert MARKER in last["response"]["output"]


def test_gemini_api_error_is_shown_and_its_report_kept_in_home(
    upstream: FakeUpstream, dirs: tuple[Path, Path]
) -> None:
    require_client("gemini")
    upstream.fail(400, times=2)  # the router call, then the conversation
    home, work = dirs
    done = run_client("gemini", "say hi", base_url=upstream.url, home=home, cwd=work)
    assert done.returncode == 1 and "fake upstream error 400" in done.stderr
    # It dumps the whole conversation to $TMPDIR on API errors; client_env points that home.
    assert list((home / "tmp").glob("gemini-client-error-*.json"))


@pytest.mark.slow
def test_aider_prints_the_answer(upstream: FakeUpstream, dirs: tuple[Path, Path]) -> None:
    upstream.reply(ANSWER)
    assert ANSWER in run("aider", upstream, dirs, "say hi", files=["notes.txt"])
    (message,) = upstream.posts
    assert message.path == "/v1/chat/completions" and message.json["stream"] is True
    assert message.headers["authorization"] == "Bearer " + fake_api_key("openai")
    assert MARKER in upstream.received_text()  # aider sends whole files inline
