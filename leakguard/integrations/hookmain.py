"""`leakguard hook TOOL` without click: an AI tool's hook JSON on stdin, its answer on
stdout.

Outside ``leakguard.cli`` (whose package imports click) and parsing its few options
by hand, so that a hook, which runs on every prompt and every tool call, starts as
little as it can: ``python -m leakguard hook ...`` dispatches here first. A deadline
watchdog answers for it when the scan takes too long: the tools let an action through
when their hook times out, so leakguard must answer (and block) before they give up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

DEFAULT_TIMEOUT = 10.0
TIMEOUT_ENV = "LEAKGUARD_HOOK_TIMEOUT"
USAGE = ("usage: leakguard hook claude-code|codex|gemini|cursor "
         "[--destination NAME] [--policy FILE] [--timeout SECONDS]\n")


def _write(answer: Any) -> int:
    import json

    if answer.output is not None:
        sys.stdout.write(json.dumps(answer.output))
        sys.stdout.flush()
    if answer.message:
        sys.stderr.write(answer.message + "\n")
        sys.stderr.flush()
    return int(answer.exit_code)


def _watchdog(tool: str, seconds: float, holder: dict[str, Any]) -> None:
    """After ``seconds``, answer with a block and end the process, whatever it is doing.
    A C-level backstop (faulthandler, no interpreter lock needed) ends it 2 s later with
    exit 1, which the installed command (``... || exit 2``) turns into a block too."""
    import _thread  # not threading: its import costs more than the rest of this module
    import faulthandler
    import time

    def expire() -> None:
        from leakguard.integrations.hookrun import failed, failure_message

        message = failure_message(f"the hook did not finish within {seconds:g} s")
        try:
            code = _write(failed(tool, holder.get("event") or {}, message, http=False))
        except Exception:
            sys.stderr.write(message + "\n")
            code = 2
        os._exit(code)

    def wait() -> None:
        time.sleep(seconds)
        expire()

    _thread.start_new_thread(wait, ())  # ends with the process, like a daemon thread
    faulthandler.dump_traceback_later(seconds + 2, exit=True)


def run_hook(tool: str, *, destination: str | None = None, policy_file: str | None = None,
             timeout: float | None = None) -> int:
    from leakguard.integrations.hookrun import DEFAULT, run
    from leakguard.integrations.hookscan import DirectServices

    seconds = timeout if timeout is not None else float(
        os.environ.get(TIMEOUT_ENV) or DEFAULT_TIMEOUT)
    holder: dict[str, Any] = {}
    _watchdog(tool, seconds, holder)
    raw = sys.stdin.buffer.read()
    services = DirectServices(Path(policy_file) if policy_file else None)
    answer = run(tool, raw, services, destination=destination or DEFAULT, holder=holder)
    return _write(answer)


def fast_main(args: list[str]) -> int:
    """`leakguard hook ...` without click. Usage errors block too (exit 2)."""
    options: dict[str, str] = {}
    positional: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        name, _, value = arg.partition("=")
        if name in ("--destination", "--policy", "--timeout"):
            if not value:
                index += 1
                if index >= len(args):
                    sys.stderr.write(USAGE)
                    return 2
                value = args[index]
            options[name[2:]] = value
        elif arg.startswith("-"):
            sys.stderr.write(USAGE)
            return 2
        else:
            positional.append(arg)
        index += 1
    if len(positional) != 1:
        sys.stderr.write(USAGE)
        return 2
    try:
        timeout = float(options["timeout"]) if "timeout" in options else None
    except ValueError:
        sys.stderr.write(USAGE)
        return 2
    return run_hook(positional[0], destination=options.get("destination"),
                    policy_file=options.get("policy") or os.environ.get("LEAKGUARD_POLICY"),
                    timeout=timeout)
