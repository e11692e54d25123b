"""The hook endpoint of `leakguard serve`: POST /hooks/{tool} with the hook JSON, the
tool's answer back, so a hook costs a local request instead of a Python start.

Answers are always 200 with the tool's JSON, blocks included (Claude Code's ``http``
hooks read no exit codes); a failure with no JSON form answers 500, which the
installer's curl command turns into exit 2. Scanning runs in the default executor,
never on the event loop, under the same deadline as the command hook. The policy is
loaded per request (cheap: validation is cached); detectors and the audit log are
built once per distinct policy.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from leakguard.integrations.answer import HookAnswer
from leakguard.integrations.hookrun import HANDLERS, failed, failure_message, run

if TYPE_CHECKING:
    from leakguard.audit.record import AuditLog
    from leakguard.detectors import Detector
    from leakguard.policy.model import Policy

DEADLINE_SECONDS = 10.0


class CachedServices:
    """Policy per request; detectors and audit logs per distinct policy."""

    def __init__(self, policy_file: Path | None = None) -> None:
        self.policy_file = policy_file
        self._lock = threading.Lock()
        self._detectors: dict[str, Sequence[Detector]] = {}
        self._logs: dict[str, AuditLog] = {}

    @staticmethod
    def _key(policy: Policy) -> str:
        return hashlib.sha256(repr(policy).encode()).hexdigest()

    def policy(self, cwd: Path) -> Policy:
        from leakguard.policy import load_policy

        return load_policy(cwd, self.policy_file)

    def detectors(self, policy: Policy) -> Sequence[Detector]:
        from leakguard.detectors.build import build_detectors

        key = self._key(policy)
        with self._lock:
            if key not in self._detectors:
                self._detectors[key] = build_detectors(policy)
            return self._detectors[key]

    def audit(self, policy: Policy, **fields: Any) -> str:
        from leakguard.audit.record import AuditLog

        key = self._key(policy)
        with self._lock:
            log = self._logs.get(key)
            if log is None:
                log = self._logs[key] = AuditLog(policy)
        return log.record(**fields).verdict

    def close(self) -> None:
        with self._lock:
            for log in self._logs.values():
                log.close()
            self._logs.clear()


def respond(answer: HookAnswer) -> web.Response:
    if answer.output is not None:
        return web.json_response(answer.output)
    if answer.blocks:
        return web.Response(status=500, text=answer.message)
    return web.json_response({})


def hook_routes(services: CachedServices | None = None,
                deadline: float = DEADLINE_SECONDS) -> list[web.RouteDef]:
    """Routes for an aiohttp app: POST /hooks/claude-code|codex|gemini|cursor."""
    shared = services or CachedServices()

    async def answer(request: web.Request) -> web.Response:
        tool = request.match_info["tool"]
        if tool not in HANDLERS:
            raise web.HTTPNotFound(text=f"no hook for {tool!r}")
        raw = await request.read()
        loop = asyncio.get_running_loop()
        work = loop.run_in_executor(None, lambda: run(tool, raw, shared, http=True))
        try:
            result = await asyncio.wait_for(work, timeout=deadline)
        except asyncio.TimeoutError:
            try:
                event = json.loads(raw)
            except ValueError:
                event = {}
            message = failure_message(f"the hook did not finish within {deadline:g} s")
            result = failed(tool, event if isinstance(event, dict) else {}, message, http=True)
        return respond(result)

    return [web.post("/hooks/{tool}", answer)]
