"""`leakguard run -- CLI ...` and `leakguard serve`: the guarding proxy's two doors.

run: start the proxy on a random loopback port, run the AI tool pointed at it, attached
to the terminal, and exit with the tool's exit code. serve: the same proxy as a
resident service (plus the AI-tool hook endpoints), until SIGINT or SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from leakguard.errors import ConfigError

if TYPE_CHECKING:
    from leakguard.policy.model import Policy
    from leakguard.proxy.guard import Stats

_FORWARDED = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
    if hasattr(signal, name)
)


def _policy(policy_file: str | None) -> Policy:
    from leakguard.policy import load_policy

    return load_policy(Path.cwd(), Path(policy_file) if policy_file else None)


def _log_to(path: Path) -> Any:
    """Proxy messages go to a file during ``run``: the tool owns the terminal."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a", encoding="utf-8")

    def log(message: str) -> None:
        handle.write(message + "\n")
        handle.flush()

    return log


@click.command("run", context_settings={"ignore_unknown_options": True})
@click.option("--tool", type=click.Choice(["claude", "codex", "gemini", "aider", "generic"]),
              help="How to point the command at the proxy (default: from its name).")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              envvar="LEAKGUARD_POLICY", help="Organisation policy file (also LEAKGUARD_POLICY).")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
def run_command(tool: str | None, policy_file: str | None, command: tuple[str, ...]) -> int:
    """Run an AI coding CLI with its API traffic through a guarding proxy.

    \b
      leakguard run -- claude
      leakguard run -- codex exec "fix the tests"
      leakguard run --tool generic -- python agent.py

    Every request is scanned; secrets, PII and proprietary code are blocked or
    replaced by placeholders per the policy, and placeholders in the answers are put
    back. Exits with the tool's exit code.
    """
    from leakguard.proxy.runner import ProxyThread, build_guard
    from leakguard.proxy.server import ProxyOptions
    from leakguard.proxy.wrap import AUDIT_NAMES, infer_tool, prepare
    from leakguard.transform.vault import state_dir

    chosen = tool or infer_tool(command)
    policy = _policy(policy_file)
    log_path = state_dir() / "proxy.log"
    options = ProxyOptions(
        tool=AUDIT_NAMES.get(chosen, Path(command[0]).name),
        session_id=f"run-{uuid.uuid4().hex[:12]}",
        log=_log_to(log_path),
    )
    guard = build_guard(policy, options)
    # Private files for the tool (Gemini CLI ignores settings under a world-writable
    # directory such as /tmp): under the user's state directory, mode 0700.
    runs = state_dir() / "run"
    runs.mkdir(parents=True, exist_ok=True, mode=0o700)
    with ProxyThread(guard, options) as proxy, tempfile.TemporaryDirectory(
        prefix="run-", dir=runs
    ) as workdir:
        launch = prepare(chosen, command, proxy.url, os.environ, Path(workdir))
        code = _run_attached(list(launch.argv), dict(launch.env))
        stats = guard.stats
    _summary(stats, log_path)
    return code


def _run_attached(argv: list[str], env: dict[str, str]) -> int:
    try:
        child = subprocess.Popen(argv, env=env)
    except FileNotFoundError:
        raise ConfigError(f"command not found: {argv[0]}") from None
    except PermissionError:
        raise ConfigError(f"cannot run {argv[0]}: permission denied") from None

    def forward(signum: int, _frame: Any) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in _FORWARDED}
    # Ctrl-C reaches the tool directly (same process group); the wrapper waits for it.
    previous[signal.SIGINT] = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        code = child.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code


def _summary(stats: Stats, log_path: Path) -> None:
    if not stats.requests:
        return
    parts = [f"{stats.requests} request(s)"]
    if stats.anonymized:
        parts.append(f"{stats.anonymized} anonymized ({stats.replaced} value(s) replaced)")
    if stats.blocked:
        parts.append(f"{stats.blocked} blocked")
    if stats.unscanned:
        parts.append(f"{stats.unscanned} sent UNSCANNED")
    click.echo(f"leakguard: {', '.join(parts)}; details: {log_path}", err=True)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8787, show_default=True, type=int,
              help="Port to listen on (0: any free port).")
@click.option("--token", envvar="LEAKGUARD_SERVE_TOKEN",
              help="Access token required on every request (required off loopback; "
              "also LEAKGUARD_SERVE_TOKEN).")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              envvar="LEAKGUARD_POLICY", help="Organisation policy file (also LEAKGUARD_POLICY).")
def serve_command(host: str, port: int, token: str | None, policy_file: str | None) -> int:
    """Run the guarding proxy as a resident service.

    Point clients at http://HOST:PORT/anthropic, /openai/v1 or /gemini. Health check:
    GET /healthz. Stops cleanly on SIGINT or SIGTERM.
    """
    import asyncio

    from leakguard.proxy.runner import build_guard, check_exposure, start_site
    from leakguard.proxy.server import ProxyOptions

    check_exposure(host, token)
    policy = _policy(policy_file)
    options = ProxyOptions(tool="serve", token=token)
    guard = build_guard(policy, options)

    async def serve() -> None:
        runner = await start_site(guard, options, host, port, _hook_routes())
        bound = runner.addresses[0][1] if runner.addresses else port
        click.echo(f"leakguard: serving on http://{host}:{bound} (Ctrl-C to stop)", err=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            await runner.cleanup()

    try:
        asyncio.run(serve())
    finally:
        guard.close()
    click.echo("leakguard: stopped", err=True)
    return 0


def _hook_routes() -> list[Any]:
    """The AI-tool hook endpoints, when that integration is installed."""
    try:
        from leakguard.integrations.http_hook import hook_routes
    except ModuleNotFoundError as exc:
        if exc.name != "leakguard.integrations.http_hook":
            raise
        return []
    return list(hook_routes())


def register(cli: click.Group) -> None:
    cli.add_command(run_command)
    cli.add_command(serve_command)

