"""A fake AI provider on 127.0.0.1 for proxy and client tests (no mocks: real HTTP).

Speaks Anthropic Messages, OpenAI Chat Completions and Responses, and Gemini, in
JSON and SSE, shaped like the real APIs (see ../shared/ai-clients/). Answers come
from a queue (``reply``), else the echo of the last user-side text, else
``default_text``. Every request is recorded, decoded, for "never reached upstream"
asserts. Runs its own event loop in a daemon thread::

    with FakeUpstream() as up:
        up.reply(tool_call=ToolCall("Read", {"file_path": "/abs/file"}))
        up.reply("done")
        ...  # point a client at up.url
        assert secret not in up.received_text()
"""

from __future__ import annotations

import asyncio
import gzip
import json
import threading
import zlib
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakeapi import anthropic_messages, gemini, openai_chat, openai_responses
from tests.fakeapi.common import ToolCall
from tests.fakeapi.wire import DECODE_ERRORS, decode_body, json_strings

__all__ = ["FakeUpstream", "Received", "ToolCall", "decode_body"]


@dataclass(frozen=True)
class Received:
    """One request as the fake saw it; ``body`` is decompressed, ``json`` parsed if JSON."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    json: Any | None


def _api(path: str) -> str | None:
    last = path.rsplit("/", 1)[-1]
    if ":" in last and "/models/" in path:
        return "gemini"
    for suffix, name in (
        ("/messages/count_tokens", "count_tokens"),
        ("/messages", "anthropic"),
        ("/chat/completions", "chat"),
        ("/responses", "responses"),
    ):
        if path.endswith(suffix):
            return name
    return None


_ERRORS = {
    "anthropic": anthropic_messages.error_body,
    "count_tokens": anthropic_messages.error_body,
    "chat": openai_chat.error_body,
    "responses": openai_chat.error_body,
    "gemini": gemini.error_body,
}


class FakeUpstream:
    """The fake provider; a context manager (``start``/``close`` also work)."""

    def __init__(
        self,
        *,
        chunk_size: int = 8,
        echo: bool = False,
        default_text: str = "ok",
        gzip_responses: bool = False,
        event_delay: float = 0.0,
    ) -> None:
        self.url = ""
        self.requests: list[Received] = []
        self.chunk_size = chunk_size
        self.gzip_responses = gzip_responses
        self.echo = echo
        self.default_text = default_text
        self.event_delay = event_delay  # seconds before each SSE event (slow streams)
        self.streams_cut = 0  # streams whose client went away before the end
        self.reset_after: int | None = None  # drop the connection after this many events
        self._lock = threading.Lock()
        self._answers: deque[tuple[str, ToolCall | None]] = deque()
        self._failures: deque[int] = deque()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None

    # -- the test-facing API -------------------------------------------------------
    def reply(self, text: str = "", tool_call: ToolCall | None = None) -> None:
        """Queue the next model answer (any API): text, a tool call, or both."""
        with self._lock:
            self._answers.append((text, tool_call))

    def fail(self, status: int, times: int = 1) -> None:
        """The next ``times`` POSTs get the provider's error body with ``status``."""
        with self._lock:
            self._failures.extend([status] * times)

    def received_text(self) -> str:
        """Request lines and decoded bodies of all requests, plus every JSON string
        unescaped (so a value JSON escaping would disguise is still found)."""
        with self._lock:
            received = list(self.requests)
        out: list[str] = []
        for req in received:
            out += [f"{req.method} {req.path}?{req.query}", req.body.decode("utf-8", "replace")]
            if req.json is not None:
                out.extend(json_strings(req.json))
        return "\n".join(out)

    @property
    def posts(self) -> list[Received]:
        """The POST requests (model calls), without HEAD pre-connects and GETs."""
        with self._lock:
            return [req for req in self.requests if req.method == "POST"]

    # -- lifecycle -----------------------------------------------------------------
    def __enter__(self) -> FakeUpstream:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._serve, args=(ready,), daemon=True, name="fake-upstream"
        )
        self._thread.start()
        if not ready.wait(10) or not self.url:
            raise RuntimeError("fake upstream did not start")

    def close(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop = self._thread = None

    def _serve(self, ready: threading.Event) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            app = web.Application(client_max_size=256 * 1024 * 1024)
            app.router.add_route("*", "/{tail:.*}", self._handle)
            # Bodies are decoded here, not by aiohttp, so what clients send is visible.
            self._runner = web.AppRunner(
                app, auto_decompress=False, access_log=None, shutdown_timeout=1
            )
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        finally:
            ready.set()
        loop.run_forever()
        loop.run_until_complete(self._runner.cleanup())
        loop.close()

    # -- HTTP ----------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        headers: dict[str, str] = {}
        for key, value in request.headers.items():
            key = key.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        try:
            body, decoded = decode_body(raw, headers.get("content-encoding", "")), True
        except DECODE_ERRORS:
            body, decoded = raw, False
        try:
            parsed = json.loads(body) if body else None
        except ValueError:
            parsed = None
        with self._lock:
            self.requests.append(
                Received(request.method, request.path, request.query_string, headers, body, parsed)
            )
        return await self._answer(request, parsed, decoded)

    async def _answer(self, request: web.Request, body: Any, decoded: bool) -> web.StreamResponse:
        path, api = request.path, _api(request.path)
        if request.method == "HEAD":
            return web.Response(status=200)
        if request.method == "GET" and path.endswith("/models"):
            listing = gemini.models() if "/v1beta/" in path else openai_chat.models()
            return self._json(200, listing)
        if api is None or request.method != "POST":
            return self._json(404, {"error": {"message": f"fake upstream: no route {path}"}})
        if not decoded or not isinstance(body, dict):
            return self._json(400, _ERRORS[api](400, "fake upstream: body is not JSON"))
        with self._lock:
            status = self._failures.popleft() if self._failures else None
        if status is not None:
            error = _ERRORS[api](status, f"fake upstream error {status}")
            return self._json(status, error, {"retry-after": "0"})
        if api == "count_tokens":
            return self._json(200, anthropic_messages.count_tokens(body))
        if api == "gemini" and path.endswith(":countTokens"):
            return self._json(200, gemini.count_tokens(body))
        text, tool = self._next(api, body)
        return await self._respond(request, api, body, text, tool)

    def _next(self, api: str, body: Any) -> tuple[str, ToolCall | None]:
        if api == "gemini" and gemini.json_schema(body) is not None:
            return "", None  # answered from the schema; the queue is for the conversation
        with self._lock:
            if self._answers:
                return self._answers.popleft()
        echo = {
            "anthropic": anthropic_messages.echo_text,
            "chat": openai_chat.echo_text,
            "responses": openai_responses.echo_text,
            "gemini": gemini.echo_text,
        }[api]
        text = echo(body) if self.echo else None
        return (self.default_text if text is None else text), None

    async def _respond(
        self, request: web.Request, api: str, body: Any, text: str, tool: ToolCall | None
    ) -> web.StreamResponse:
        size, path = self.chunk_size, request.path
        if api == "gemini":
            if ":streamGenerateContent" not in path:
                return self._json(200, gemini.answer_json(body, path, text, tool))
            if request.query.get("alt") != "sse":  # without alt=sse: one JSON array
                return self._json(200, gemini.answer_chunks(body, path, text, tool, size))
            return await self._stream(request, gemini.answer_sse(body, path, text, tool, size))
        module = {
            "anthropic": anthropic_messages,
            "chat": openai_chat,
            "responses": openai_responses,
        }[api]
        if body.get("stream") is True:
            return await self._stream(request, module.answer_sse(body, text, tool, size))
        return self._json(200, module.answer_json(body, text, tool))

    def _json(self, status: int, obj: Any, extra: dict[str, str] | None = None) -> web.Response:
        data = json.dumps(obj).encode()
        headers = {"Content-Type": "application/json", **(extra or {})}
        if self.gzip_responses:
            data, headers["Content-Encoding"] = gzip.compress(data), "gzip"
        return web.Response(status=status, body=data, headers=headers)

    async def _stream(self, request: web.Request, frames: list[bytes]) -> web.StreamResponse:
        response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream; charset=utf-8",
                "Cache-Control": "no-cache",
            }
        )
        # One gzip stream flushed after every event, so compressed SSE still streams.
        packer = zlib.compressobj(wbits=31) if self.gzip_responses else None
        if packer is not None:
            response.headers["Content-Encoding"] = "gzip"
        await response.prepare(request)
        try:
            for sent, frame in enumerate(frames):
                if self.reset_after is not None and sent >= self.reset_after:
                    if request.transport is not None:
                        request.transport.abort()  # a reset mid-stream, as networks do
                    return response
                if self.event_delay:
                    await asyncio.sleep(self.event_delay)
                if packer is not None:
                    frame = packer.compress(frame) + packer.flush(zlib.Z_SYNC_FLUSH)
                await response.write(frame)
            if packer is not None:
                await response.write(packer.flush())
            await response.write_eof()
        except (ConnectionResetError, asyncio.CancelledError):
            with self._lock:  # the client went away mid-stream
                self.streams_cut += 1
        return response
