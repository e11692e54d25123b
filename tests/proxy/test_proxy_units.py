"""Tables for the proxy's pure parts: body decoding, SSE framing, routing, wrapping."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import brotli
import pytest

from leakguard.errors import ConfigError, ScanError
from leakguard.policy import load_policy
from leakguard.proxy.codec import BodyTooLarge, decode_body
from leakguard.proxy.providers.base import SseEvent
from leakguard.proxy.routing import route, split_family
from leakguard.proxy.sse import SseParser, encode
from leakguard.proxy.wrap import codex_options, infer_tool, prepare

try:
    from compression import zstd  # type: ignore[import-not-found]
except ImportError:
    from backports import zstd

BODY = json.dumps({"messages": [{"role": "user", "content": "hi " * 500}]}).encode()


@pytest.mark.parametrize(
    ("coding", "encoded"),
    [
        (None, BODY),
        ("identity", BODY),
        ("gzip", gzip.compress(BODY)),
        ("deflate", zlib.compress(BODY)),
        ("br", brotli.compress(BODY)),
        ("zstd", zstd.compress(BODY)),
        ("gzip, br", brotli.compress(gzip.compress(BODY))),  # last applied is undone first
    ],
)
def test_decode_body_undoes_every_coding(coding: str | None, encoded: bytes) -> None:
    assert decode_body(encoded, coding, 10**6) == BODY


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br", "zstd"])
def test_decode_body_stops_a_bomb_at_the_limit(coding: str) -> None:
    big = b"0" * 2_000_000
    packed = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress,
              "zstd": zstd.compress}[coding](big)
    assert len(packed) < 10_000
    with pytest.raises(BodyTooLarge):
        decode_body(packed, coding, 100_000)


@pytest.mark.parametrize(
    ("coding", "data"),
    [("gzip", b"not gzip"), ("br", b"\xff\xff"), ("zstd", b"junk"), ("compress", b"x"),
     ("gzip", gzip.compress(BODY)[:-12])],
)
def test_decode_body_refuses_what_it_cannot_read(coding: str, data: bytes) -> None:
    with pytest.raises(ScanError):
        decode_body(data, coding, 10**6)


SSE = (b'event: message_start\ndata: {"a":1}\n\n: keep-alive comment\n\n'
       b'data: {"b":"x"}\r\n\r\nevent: multi\ndata: one\ndata: two\n\ndata: [DONE]')


@pytest.mark.parametrize("step", [1, 2, 3, 7, len(SSE)])
def test_sse_parser_gives_the_same_events_however_the_bytes_are_cut(step: int) -> None:
    parser = SseParser()
    events: list[SseEvent] = []
    for start in range(0, len(SSE), step):
        events += parser.feed(SSE[start : start + step])
    events += parser.finish()
    assert events == [
        SseEvent("message_start", '{"a":1}'),
        SseEvent(None, '{"b":"x"}'),
        SseEvent("multi", "one\ntwo"),
        SseEvent(None, "[DONE]"),
    ]


def test_sse_encode_round_trips() -> None:
    events = [SseEvent("content_block_delta", '{"x":"é"}'), SseEvent(None, "a\nb")]
    parser = SseParser()
    assert parser.feed(b"".join(encode(e) for e in events)) == events


def test_sse_parser_keeps_multibyte_characters_split_across_chunks() -> None:
    data = 'data: {"t":"naïve ☃"}\n\n'.encode()
    parser = SseParser()
    events = [e for i in range(len(data)) for e in parser.feed(data[i : i + 1])]
    assert events == [SseEvent(None, '{"t":"naïve ☃"}')]


@pytest.mark.parametrize(
    ("path", "family", "rest"),
    [
        ("/anthropic/v1/messages", "anthropic", "/v1/messages"),
        ("/openai/v1/responses", "openai", "/v1/responses"),
        ("/gemini/v1beta/models/m:generateContent", "gemini",
         "/v1beta/models/m:generateContent"),
        ("/anthropic", "anthropic", "/"),
        ("/v1/messages", None, "/v1/messages"),
        ("/anthropics/v1", None, "/anthropics/v1"),
    ],
)
def test_split_family(path: str, family: str | None, rest: str) -> None:
    assert split_family(path) == (family, rest)


def _policy(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    (tmp_path / ".leakguard.yaml").write_text("version: 1\n" + text)
    return load_policy(tmp_path, None)


def test_route_defaults_to_the_official_endpoints(tmp_path: Path) -> None:
    policy = _policy(tmp_path, "")
    found = route(policy, "POST", "/anthropic/v1/messages")
    assert found is not None
    assert (found.upstream, found.destination) == ("https://api.anthropic.com", "anthropic")


def test_route_matches_the_destination_by_upstream_host(tmp_path: Path) -> None:
    policy = _policy(
        tmp_path,
        "proxy: {upstreams: {openai: 'https://llm.corp.example/openai'}}\n"
        "destinations:\n  corp-gateway: {upstream: 'https://llm.corp.example'}\n",
    )
    found = route(policy, "POST", "/openai/v1/chat/completions")
    assert found is not None
    assert found.upstream == "https://llm.corp.example/openai"
    assert found.destination == "corp-gateway"


def test_route_to_an_undeclared_host_is_the_unknown_destination(tmp_path: Path) -> None:
    policy = _policy(tmp_path, "proxy: {upstreams: {anthropic: 'http://127.0.0.1:9'}}\n")
    found = route(policy, "POST", "/anthropic/v1/messages")
    assert found is not None and found.destination == "unknown"


@pytest.mark.parametrize(
    ("argv", "tool"),
    [(["claude", "-p", "x"], "claude"), (["/usr/local/bin/codex", "exec"], "codex"),
     (["gemini"], "gemini"), (["aider", "--yes"], "aider"), (["python", "a.py"], "generic"),
     (["claude-code"], "claude")],
)
def test_infer_tool(argv: list[str], tool: str) -> None:
    assert infer_tool(argv) == tool


def test_prepare_points_each_tool_at_the_proxy(tmp_path: Path) -> None:
    url = "http://127.0.0.1:4242"
    claude = prepare("claude", ["claude", "-p", "hi"], url, {"PATH": "/bin"}, tmp_path)
    assert claude.argv == ("claude", "-p", "hi")
    assert claude.env["ANTHROPIC_BASE_URL"] == url + "/anthropic"
    assert claude.env["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] == "1"
    codex = prepare("codex", ["codex", "exec", "hi"], url, {}, tmp_path)
    assert codex.argv[0] == "codex" and codex.argv[-2:] == ("exec", "hi")
    assert codex.argv[1:5] == tuple(codex_options(url + "/openai/v1"))
    assert "supports_websockets=false" in codex.argv[2]
    aider = prepare("aider", ["aider", "--yes"], url, {}, tmp_path)
    assert aider.argv == ("aider", "--openai-api-base", url + "/openai/v1", "--yes")
    generic = prepare("generic", ["python", "x.py"], url, {}, tmp_path)
    assert generic.env["OPENAI_BASE_URL"] == url + "/openai/v1"
    assert generic.env["GOOGLE_GEMINI_BASE_URL"] == url + "/gemini"


def test_prepare_gemini_merges_system_settings_without_editing_them(tmp_path: Path) -> None:
    system = tmp_path / "system.json"
    system.write_text(json.dumps({"telemetry": {"enabled": False},
                                  "security": {"auth": {"selectedType": "oauth-personal"}}}))
    before = system.read_text()
    work = tmp_path / "work"
    work.mkdir()
    launch = prepare("gemini", ["gemini", "-p", "x"], "http://127.0.0.1:1",
                     {"GEMINI_CLI_SYSTEM_SETTINGS_PATH": str(system)}, work)
    written = json.loads(Path(launch.env["GEMINI_CLI_SYSTEM_SETTINGS_PATH"]).read_text())
    assert written["telemetry"] == {"enabled": False}
    assert written["security"]["auth"]["selectedType"] == "gemini-api-key"
    assert system.read_text() == before


def test_prepare_rejects_an_unknown_tool(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        prepare("vim", ["vim"], "http://127.0.0.1:1", {}, tmp_path)
