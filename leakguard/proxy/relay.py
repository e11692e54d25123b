"""Upstream responses back to the client: as they came, or with placeholders restored
(SSE event by event while it streams, JSON whole)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from leakguard.proxy.providers.base import ResponseRestorer
from leakguard.proxy.sse import SseParser, encode

HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
        "trailers", "transfer-encoding", "upgrade", "host", "content-length",
    }
)
# Set on the request once the response has started: an upstream failure after that
# cannot become an error answer any more.
STARTED: web.RequestKey[bool] = web.RequestKey("leakguard.started", bool)


def forward_headers(
    headers: CIMultiDictProxy[str], rewritten: bool, private: Iterable[str] = ()
) -> CIMultiDict[str]:
    """The client's headers as they go upstream: hop-by-hop and leakguard's own
    dropped; no content coding when the body was rewritten (it is sent plain)."""
    return _without(headers, HOP_BY_HOP | {p.lower() for p in private}, rewritten)


def response_headers(headers: Any, decoded: bool) -> CIMultiDict[str]:
    """The upstream's headers as they go to the client: hop-by-hop dropped; no content
    coding when the body was decoded."""
    return _without(headers, HOP_BY_HOP, decoded)


def _without(headers: Any, dropped: frozenset[str], plain: bool) -> CIMultiDict[str]:
    out: CIMultiDict[str] = CIMultiDict()
    for name, value in headers.items():
        lower = name.lower()
        if lower in dropped or (plain and lower == "content-encoding"):
            continue
        out.add(name, value)
    return out


async def _start(request: web.Request, response: web.StreamResponse) -> None:
    request[STARTED] = True
    await response.prepare(request)


async def relay(request: web.Request, upstream: Any, decoded: bool) -> web.StreamResponse:
    """Bytes as they arrive, status and headers as they were."""
    response = web.StreamResponse(status=upstream.status, reason=upstream.reason,
                                  headers=response_headers(upstream.headers, decoded))
    await _start(request, response)
    if request.method != "HEAD":
        async for chunk in upstream.content.iter_any():
            await response.write(chunk)
    await response.write_eof()
    return response


async def relay_restored(
    request: web.Request, upstream: Any, restorer: ResponseRestorer
) -> web.StreamResponse:
    """A decoded response with the session's placeholders put back."""
    content_type = upstream.headers.get("Content-Type", "")
    headers = response_headers(upstream.headers, decoded=True)
    if "text/event-stream" in content_type:
        response = web.StreamResponse(status=upstream.status, headers=headers)
        await _start(request, response)
        parser = SseParser()
        async for chunk in upstream.content.iter_any():
            out = [e for event in parser.feed(chunk) for e in restorer.restore_event(event)]
            if out:
                await response.write(b"".join(encode(e) for e in out))
        tail = [e for event in parser.finish() for e in restorer.restore_event(event)]
        tail += restorer.finish()
        if tail:
            await response.write(b"".join(encode(e) for e in tail))
        await response.write_eof()
        return response
    if "json" in content_type:
        raw = await upstream.read()
        try:
            restored = restorer.restore_json(json.loads(raw))
        except ValueError:  # not JSON after all: as it came
            return web.Response(status=upstream.status, body=raw, headers=headers)
        data = json.dumps(restored, ensure_ascii=False, separators=(",", ":")).encode()
        return web.Response(status=upstream.status, body=data, headers=headers)
    return await relay(request, upstream, decoded=True)
