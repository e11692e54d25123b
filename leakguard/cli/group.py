"""The click group: help, version, and every command through COMMAND_MODULES.

Loaded only when a command needs click (see ``leakguard.cli.main``): the hot paths
parse their own plain arguments first.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from leakguard import __version__
from leakguard.cli import COMMAND_MODULES, EXIT_INTERNAL, EXIT_USAGE, fail


def subgroup(cli: click.Group, name: str, help_text: str) -> click.Group:
    """A command group several modules add to (``install`` holds git and AI tools)."""
    existing = cli.commands.get(name)
    if isinstance(existing, click.Group):
        return existing
    group = click.Group(name, help=help_text)
    cli.add_command(group)
    return group


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


def run_click(args: list[str]) -> Any:
    """Parse and run ``args`` with click; click's own errors become exit codes here,
    everything else goes on to main's funnel."""
    try:
        return cli.main(args=args, prog_name="leakguard", standalone_mode=False)
    except click.exceptions.Abort:
        fail("aborted", EXIT_INTERNAL)
    except click.ClickException as exc:  # usage errors: exit 2
        exc.show()
        sys.exit(EXIT_USAGE if exc.exit_code == 2 else exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
