"""`leakguard canary new`: plant a unique token and register it in the policy."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("canary")
def canary_group() -> None:
    """Canary tokens: planted strings that always block when they head out."""


@canary_group.command("new")
@click.option("--label", default="", help="What the canary marks (e.g. billing-core).")
@click.option(
    "--policy-file", type=click.Path(dir_okay=False), default=".leakguard.yaml",
    show_default=True, help="Policy file to register the canary in (created if missing).",
)
def new_command(label: str, policy_file: str) -> int:
    """Print a new canary token and register its keyed hash in the policy.

    Put the token in a comment or string of the code you want to recognise; any
    outbound text that carries it is blocked. Only a keyed hash is stored, so the
    policy file does not itself reveal the token.
    """
    from leakguard.canary import register_canary

    token = register_canary(Path(policy_file), label)
    click.echo(token)
    click.echo(f"registered in {policy_file}", err=True)
    return 0


def register(cli: click.Group) -> None:
    cli.add_command(canary_group)
