"""The command line: a thin click shell over the pipeline, and the one error funnel.

Each command group lives in its own module here (the only importers of click) and is
registered explicitly below. Commands import the pipeline lazily so that start-up stays
small: `leakguard scan` on a clean file must not pay for presidio, rich or jsonschema.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any, NoReturn

import click

from leakguard import __version__
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


class LazyGroup(click.Group):
    """A click group that imports a command's module the first time it is needed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._loaded: set[str] = set()

    def _load(self, name: str) -> None:
        for module_name in COMMAND_MODULES.get(name, ()):
            if module_name in self._loaded:
                continue
            self._loaded.add(module_name)
            module = importlib.import_module(f"leakguard.cli.{module_name}")
            module.register(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        self._load(cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leakguard")
def cli() -> None:
    """Find secrets, PII and proprietary code before they reach an external AI tool.

    Exit codes: 0 nothing blocked, 1 blocked findings, 2 usage or configuration
    error, 3 internal failure (the data was not let through).
    """


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error for a person (never a traceback) and exit with ``code``."""
    click.echo(f"leakguard: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every failure into a message and an exit code."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["hook"] and not {"-h", "--help"} & set(args):
        from leakguard.integrations.hookmain import fast_main  # hooks: no click parsing

        sys.exit(fast_main(args[1:]))
    try:
        code = cli.main(args=argv, prog_name="leakguard", standalone_mode=False)
    except click.exceptions.Abort:
        fail("aborted", EXIT_INTERNAL)
    except click.ClickException as exc:  # usage errors: exit 2
        exc.show()
        sys.exit(EXIT_USAGE if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
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
