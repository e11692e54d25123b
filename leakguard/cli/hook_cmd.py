"""`leakguard hook TOOL` as a click command (help, option checks); the work, and the
fast path that skips click, live in ``leakguard.integrations.hookmain``."""

from __future__ import annotations

import sys

import click

from leakguard.integrations.hookmain import DEFAULT_TIMEOUT, TIMEOUT_ENV, run_hook


def register(cli: click.Group) -> None:
    @cli.command("hook", context_settings={"ignore_unknown_options": True})
    @click.argument("tool", type=click.Choice(["claude-code", "codex", "gemini", "cursor"]))
    @click.option("--destination", help="Apply this destination's rules (default: the "
                  "tool's provider; none for Cursor).")
    @click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
                  envvar="LEAKGUARD_POLICY", help="Organisation policy file.")
    @click.option("--timeout", type=float, default=None,
                  help=f"Deadline in seconds (default {DEFAULT_TIMEOUT:g}, or ${TIMEOUT_ENV}).")
    def hook(tool: str, destination: str | None, policy_file: str | None,
             timeout: float | None) -> None:
        """Answer an AI tool's hook: its JSON on stdin, the decision on stdout.

        Blocks (exit 2, or the tool's JSON block) on any finding the policy blocks and
        on any failure: unparseable input, a policy error, a timeout.
        """
        sys.exit(run_hook(tool, destination=destination, policy_file=policy_file,
                          timeout=timeout))
