"""The command line: a thin click shell over the pipeline, and the one error funnel.

Each command group lives in its own module here (the only importers of click) and is
registered explicitly below. Commands import the pipeline lazily so that start-up stays
small: `leakguard scan` on a clean file must not pay for presidio, rich or jsonschema.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import NoReturn

import click

from leakguard import __version__
from leakguard.errors import LeakguardError


EXIT_CLEAN = 0
EXIT_BLOCKED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="leakguard")
def cli() -> None:
    """Find secrets, PII and proprietary code before they reach an external AI tool.

    Exit codes: 0 nothing blocked, 1 blocked findings, 2 usage or configuration
    error, 3 internal failure (the data was not let through).
    """


def _register() -> None:
    # Explicit registry: each module adds its commands to `cli`.
    from leakguard.cli import audit_cmd, git_cmd, policy_cmd, rules_cmd, scan_cmd

    for module in (scan_cmd, policy_cmd, rules_cmd, git_cmd, audit_cmd):
        module.register(cli)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print an error for a person (never a traceback) and exit with ``code``."""
    click.echo(f"leakguard: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every failure into a message and an exit code."""
    _register()
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
            traceback.print_exc()
        fail(
            f"internal error ({type(exc).__name__}); nothing was let through. "
            "Set LEAKGUARD_DEBUG=1 for a traceback.",
            EXIT_INTERNAL,
        )
    sys.exit(code if isinstance(code, int) else EXIT_CLEAN)
