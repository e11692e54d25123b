"""Start and stop a proxy: in a background thread (``run``, tests) or in the
foreground until a signal (``serve``)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from types import TracebackType

from aiohttp import web

from leakguard.errors import ConfigError
from leakguard.policy import Policy
from leakguard.proxy.guard import Guard
from leakguard.proxy.inspection import Inspector
from leakguard.proxy.server import ProxyApp, ProxyOptions

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def build_guard(policy: Policy, options: ProxyOptions, audit: bool = True) -> Guard:
    from leakguard.audit.record import AuditLog
    from leakguard.detectors.build import build_detectors
    inspector = Inspector(policy, build_detectors(policy))
    return Guard(policy, inspector, tool=options.tool, log=options.log,
                 audit=AuditLog(policy) if audit else None)


def check_exposure(host: str, token: str | None) -> None:
    """Anything but loopback carries prompts from other machines: it needs a token."""
    if host not in LOOPBACK and not token:
        raise ConfigError(
            f"refusing to listen on {host} without an access token: set --token or "
            "LEAKGUARD_SERVE_TOKEN (clients send it as X-Leakguard-Token or in the base "
            "URL as /t/TOKEN/...)"
        )


class ProxyThread:
    """A proxy on its own event loop in a daemon thread; ``url`` once started."""

    def __init__(
        self,
        guard: Guard,
        options: ProxyOptions,
        host: str = "127.0.0.1",
        port: int = 0,
        extra_routes: Iterable[web.RouteDef] = (),
    ) -> None:
        check_exposure(host, options.token)
        self.guard, self.options, self.host, self.port = guard, options, host, port
        self._extra = list(extra_routes)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._main, name="leakguard-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> ProxyThread:
        self._thread.start()
        self._ready.wait(30)
        if self._error is not None:
            raise ConfigError(f"the proxy did not start: {self._error}")
        return self

    def stop(self) -> None:
        if self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)
        self.guard.close()

    def __enter__(self) -> ProxyThread:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._serve())
        except BaseException as exc:  # reported by start()
            self._error = exc
            self._ready.set()
        finally:
            self._loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        runner = await start_site(self.guard, self.options, self.host, self.port, self._extra)
        self.port = _bound_port(runner)
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            await runner.cleanup()


async def start_site(
    guard: Guard, options: ProxyOptions, host: str, port: int,
    extra_routes: Iterable[web.RouteDef] = (),
) -> web.AppRunner:
    app = ProxyApp(guard, options, extra_routes).app
    # Bodies stay as the client encoded them: the guard decodes for scanning and an
    # allowed request goes upstream byte for byte.
    runner = web.AppRunner(
        app, handler_cancellation=True, access_log=None, auto_decompress=False,
        shutdown_timeout=5,
    )
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def _bound_port(runner: web.AppRunner) -> int:
    for site in runner.sites:
        server = getattr(site, "_server", None)
        if server is not None and server.sockets:
            return int(server.sockets[0].getsockname()[1])
    raise ConfigError("the proxy has no listening socket")
