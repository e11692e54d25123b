"""The proxy's transport: aiohttp server in, aiohttp client out.

Knows bytes and HTTP, not meaning: each request body goes to ``Guard.decide`` off the
event loop (a thread), which answers forward / forward rewritten / block; responses
stream back, with placeholders restored only when the session's vault holds any.
"""

from __future__ import annotations

import asyncio
import hmac
import sys
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, TCPConnector, web
from multidict import CIMultiDictProxy

from leakguard import __version__
from leakguard.proxy.guard import Decision, Guard
from leakguard.proxy.providers import PROVIDERS
from leakguard.proxy.providers.base import Provider
from leakguard.proxy.relay import STARTED, forward_headers, relay, relay_restored
from leakguard.proxy.routing import Route, route

TOKEN_HEADER = "x-leakguard-token"
TOKEN_PREFIX = "/t/"  # base URLs may carry the token as /t/TOKEN/<family>
SESSION_HEADERS = ("x-leakguard-session", "x-claude-code-session-id", "session_id",
                   "conversation_id")
_CHUNK = 64 * 1024

Log = Callable[[str], None]
ExtraRoutes = Iterable[web.RouteDef]


def _stderr(message: str) -> None:
    print(f"leakguard proxy: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class ProxyOptions:
    """How one proxy instance runs; the policy lives in the ``Guard``."""

    tool: str = "unknown"  # named in audit events (claude-code, codex, ...)
    session_id: str | None = None  # one session for every request (``run``)
    token: str | None = None  # required on every request when set
    log: Log = field(default=_stderr, compare=False)
    upstream_timeout: float = 600.0


class ProxyApp:
    """The aiohttp application and the state it shares across requests."""

    def __init__(
        self, guard: Guard, options: ProxyOptions, extra_routes: ExtraRoutes = ()
    ) -> None:
        self.guard, self.options = guard, options
        self._client: ClientSession | None = None
        # Bodies are read by ``_read_capped``, which answers an oversized one itself.
        self.app = web.Application(client_max_size=2**63)
        self.app.router.add_routes(list(extra_routes))
        self.app.router.add_get("/healthz", self._health)
        self.app.router.add_route("*", "/{tail:.*}", self._handle)
        self.app.on_startup.append(self._start_client)
        self.app.on_cleanup.append(self._stop_client)
        self.app.middlewares.append(self._auth)

    async def _start_client(self, _app: web.Application) -> None:
        self._client = ClientSession(
            connector=TCPConnector(limit=0, enable_cleanup_closed=True),
            timeout=ClientTimeout(
                total=None, sock_connect=30, sock_read=self.options.upstream_timeout
            ),
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept-Encoding", "Content-Type"),
        )

    async def _stop_client(self, _app: web.Application) -> None:
        if self._client is not None:
            await self._client.close()

    @web.middleware
    async def _auth(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        token = self.options.token
        if token is None or request.path == "/healthz":
            return await handler(request)
        given = request.headers.get(TOKEN_HEADER, "")
        if request.path.startswith(TOKEN_PREFIX):
            given = request.path[len(TOKEN_PREFIX) :].split("/", 1)[0]
        if not hmac.compare_digest(given.encode(), token.encode()):
            return web.json_response(
                {"error": {"message": "leakguard: missing or wrong access token"}}, status=401
            )
        return await handler(request)

    async def _health(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "version": __version__})

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if self.options.token is not None and path.startswith(TOKEN_PREFIX):
            path = "/" + path[len(TOKEN_PREFIX) :].split("/", 1)[1] if path.count("/") > 2 else "/"
        found = route(self.guard.policy, request.method, path)
        if found is None:
            return web.json_response(
                {"error": {"message": (
                    f"leakguard: cannot tell which API {request.method} {path} is for; point "
                    "the client at /anthropic, /openai or /gemini on this proxy")}},
                status=404,
            )
        provider = self.guard.provider(request.method, found)
        body = await _read_capped(request, self.guard.policy.proxy.max_body_bytes)
        if body is None:
            limit = self.guard.policy.proxy.max_body_bytes
            return self._blocked(found, provider, (
                f"leakguard blocked this request: its body is over the limit of {limit} bytes "
                "(proxy.max_body_bytes); nothing was sent"))
        if provider is None:
            if body:
                # A body we do not know how to read must not leave unscanned.
                message = (f"leakguard blocked this request: {request.method} {found.path} "
                           "is not an API leakguard can inspect")
                return self._blocked(found, None, message)
            return await self._forward(request, found, None, body, None)
        session = self.guard.sessions.get(self._session_id(request))
        decision = await self.guard.decide_async(
            provider, found, body, request.headers.get("Content-Encoding"), session,
            request_id=request.headers.get("x-client-request-id", ""),
            tool=self.options.tool if self.options.tool != "serve" else tool_of(request.headers),
        )
        if decision.blocked:
            return self._blocked(found, provider, decision.message)
        return await self._forward(request, found, provider, decision.body, decision)

    def _session_id(self, request: web.Request) -> str:
        if self.options.session_id is not None:
            return self.options.session_id
        for name in SESSION_HEADERS:
            value = request.headers.get(name)
            if value:
                return f"{name}:{value}"
        return "default"

    def _blocked(self, found: Route, provider: Provider | None, message: str) -> web.Response:
        self.options.log(message)
        provider = provider or _family_provider(found.family)
        body: dict[str, Any] = (
            provider.error_body(message) if provider is not None
            else {"error": {"message": message}}
        )
        return web.json_response(body, status=400)

    async def _forward(
        self,
        request: web.Request,
        found: Route,
        provider: Provider | None,
        body: bytes,
        decision: Decision | None,
    ) -> web.StreamResponse:
        assert self._client is not None
        rewritten = decision is not None and decision.rewritten
        headers = forward_headers(request.headers, rewritten, (TOKEN_HEADER, "x-leakguard-session"))
        restoring = decision is not None and provider is not None and decision.restore
        query = f"?{request.query_string}" if request.query_string else ""
        url = found.upstream + found.path + query
        try:
            async with self._client.request(
                request.method, url, headers=headers, data=body if body else None,
                auto_decompress=restoring, allow_redirects=False,
            ) as upstream:
                if restoring and upstream.status == 200 and provider is not None:
                    assert decision is not None
                    restorer = provider.restorer(decision.session.vault)
                    return await relay_restored(request, upstream, restorer)
                return await relay(request, upstream, decoded=False)
        except (ClientError, asyncio.TimeoutError, OSError) as exc:
            if request.get(STARTED):
                raise  # the answer has begun: cut the connection as the upstream did
            message = f"leakguard: upstream {found.upstream} failed: {type(exc).__name__}"
            self.options.log(message)
            provider = provider or _family_provider(found.family)
            error = provider.error_body(message) if provider else {"error": {"message": message}}
            return web.json_response(error, status=502)

async def _read_capped(request: web.Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it passes ``limit`` (not read further)."""
    if not request.can_read_body:
        return b""
    declared = request.content_length
    if declared is not None and declared > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


# (header, substring of its value, tool): how a served proxy tells its clients apart.
_TOOL_SIGNS = (
    ("x-app", "cli", "claude-code"),
    ("user-agent", "claude-cli", "claude-code"),
    ("user-agent", "codex", "codex"),
    ("originator", "codex", "codex"),
    ("user-agent", "geminicli", "gemini-cli"),
    ("user-agent", "aider", "aider"),
    ("user-agent", "litellm", "aider"),
)


def tool_of(headers: CIMultiDictProxy[str]) -> str:
    """The AI tool behind a request, from its headers, for the audit log."""
    for name, sign, tool in _TOOL_SIGNS:
        if sign in headers.get(name, "").lower():
            return tool
    agent = headers.get("user-agent", "").split("/", 1)[0].strip().lower()
    return agent[:40] or "unknown"


def _family_provider(family: str) -> Provider | None:
    return next((p for p in PROVIDERS.values() if p.name == family), None)

