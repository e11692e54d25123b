"""The command line: a thin click shell over the pipeline, and the one error funnel.

Each command group lives in its own module here (the only importers of click) and is
registered explicitly below. Commands import the pipeline lazily so that start-up stays
small: `leakguard scan` on a clean file must not pay for presidio, rich or jsonschema,
nor for click itself: the hot commands parse their plain arguments without it
(FAST_COMMANDS), and the click group (``group.py``) loads only when they cannot.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from typing import Any, NoReturn

from leakguard.errors import LeakguardError

EXIT_CLEAN = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


# Explicit registry: top-level command -> the modules that add to it (each module has
# ``register(cli)``). Modules load only when their command runs, so `leakguard scan`
# does not pay for importing every other command.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "scan": ("scan_cmd",),
    "policy": ("policy_cmd",),
    "rules": ("rules_cmd",),
    "install": ("git_cmd", "aitool_cmd"),
    "uninstall": ("git_cmd", "aitool_cmd"),
    "baseline": ("git_cmd",),
    "pre-push": ("git_cmd",),
    "log": ("audit_cmd",),
    "report": ("audit_cmd",),
    "index": ("index_cmd",),
    "canary": ("canary_cmd",),
    "redact": ("transform_cmd",),
    "restore": ("transform_cmd",),
    "run": ("proxy_cmd",),
    "serve": ("proxy_cmd",),
    "hook": ("hook_cmd",),
}


# Commands whose plain arguments a click-free parser takes first: module -> its
# ``fast_main(args)``, returning the exit code, or None to let click parse the same
# arguments (help, unusual spellings, anything it might reject).
FAST_COMMANDS: dict[str, str] = {
    "scan": "leakguard.cli.scan_args",
}
COMPLETE_ENV = "_LEAKGUARD_COMPLETE"  # click's shell completion: click must see it


def __getattr__(name: str) -> Any:
    # The click group and its class, for code that reaches for them (tests, plugins).
    if name in ("cli", "LazyGroup"):
        from leakguard.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error for a person (never a traceback) and exit with ``code``."""
    sys.stderr.write(f"leakguard: error: {message}\n")
    sys.stderr.flush()
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every failure into a message and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["hook"] and not {"-h", "--help"} & set(args):
        from leakguard.integrations.hookmain import fast_main  # hooks: no click parsing

        sys.exit(fast_main(args[1:]))
    try:
        code = _run_fast(args)
        if code is None:
            from leakguard.cli.group import run_click

            code = run_click(list(args))
    except LeakguardError as exc:
        fail(str(exc), exc.exit_code)
    except KeyboardInterrupt:
        fail("interrupted; nothing was let through", EXIT_INTERNAL)
    except BrokenPipeError:
        sys.exit(EXIT_INTERNAL)
    except Exception as exc:  # the funnel: fail closed, never a bare traceback
        if os.environ.get("LEAKGUARD_DEBUG"):
            import traceback

            traceback.print_exc()
        fail(
            f"internal error ({type(exc).__name__}); nothing was let through. "
            "Set LEAKGUARD_DEBUG=1 for a traceback.",
            EXIT_INTERNAL,
        )
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)


def _run_fast(args: list[str]) -> int | None:
    """A FAST_COMMANDS command run without click, failing as click would fail it."""
    module_name = FAST_COMMANDS.get(args[0]) if args else None
    if module_name is None or os.environ.get(COMPLETE_ENV):
        return None
    fast_main = importlib.import_module(module_name).fast_main
    try:
        code: int | None = fast_main(list(args[1:]))
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\n")  # closes the terminal's ^C echo, as click does
        fail("aborted", EXIT_INTERNAL)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        _quiet_stdout()  # click's answer to a closed pipe: exit 1, no traceback at exit
        sys.exit(EXIT_BLOCKED)
    return code


def _quiet_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
