"""`leakguard policy check|show|schema`: validate, print and publish the policy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from leakguard.policy import Policy

_POLICY_OPTION = click.option(
    "--policy",
    "policy_file",
    type=click.Path(dir_okay=False),
    envvar="LEAKGUARD_POLICY",
    help="Organisation policy file (also LEAKGUARD_POLICY).",
)


@click.group("policy")
def policy_group() -> None:
    """Check, show or publish the schema of the policy (.leakguard.yaml)."""


@policy_group.command("check")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@_POLICY_OPTION
def check_command(file: str | None, policy_file: str | None) -> int:
    """Validate FILE, or the effective policy for the current directory.

    Prints "ok" and a summary; every problem is listed as FILE:LINE: key: what.
    Exit 0 when valid, 2 when not.
    """
    from leakguard.policy import load_policy, load_policy_file
    from leakguard.policy.summary import summary_lines

    if file is not None:
        policy = load_policy_file(Path(file))
    else:
        policy = load_policy(Path.cwd(), Path(policy_file) if policy_file else None)
    for warning in (*policy.warnings, *_rule_id_warnings(policy)):
        click.echo(f"leakguard: warning: {warning}", err=True)
    content = _audit_content_line(policy)  # ConfigError (exit 2) if doors would refuse it
    lines = (*summary_lines(policy), content)  # ConfigError too (e.g. no PII encrypt key)
    click.echo("ok")
    for line in lines:
        click.echo(f"  {line}")
    return 0


def _audit_content_line(policy: Policy) -> str:
    from leakguard.audit.content import content_key_for

    key = content_key_for(policy.audit)  # needs flag and key for full, a readable key file
    mode = policy.audit.content
    if mode == "none":
        return "audit content: none"
    return f"audit content: {mode}, " + ("encrypted" if key is not None else "not encrypted")


def _rule_id_warnings(policy: Policy) -> list[str]:
    from leakguard.errors import LeakguardError
    from leakguard.policy.summary import unknown_rule_ids
    from leakguard.rulepack import builtin_rules

    try:
        known = [rule.id for rule in builtin_rules()]
    except LeakguardError:
        return []  # a broken built-in pack is `leakguard rules check`'s to report
    return unknown_rule_ids(policy, known)


@policy_group.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of YAML.")
@_POLICY_OPTION
def show_command(as_json: bool, policy_file: str | None) -> int:
    """Print the effective policy for the current directory, with the files merged.

    The YAML output is itself a valid policy file.
    """
    from leakguard.policy import load_policy
    from leakguard.policy.convert import to_raw

    policy = load_policy(Path.cwd(), Path(policy_file) if policy_file else None)
    raw = to_raw(policy)
    if as_json:
        document = {"sources": list(policy.sources), "locked": list(policy.locked), "policy": raw}
        click.echo(json.dumps(document, indent=2))
        return 0
    import yaml

    click.echo(f"# sources: {', '.join(policy.sources) or 'built-in defaults only'}")
    if policy.locked:
        click.echo(f"# locked by the organisation: {', '.join(policy.locked)}")
    click.echo(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), nl=False)
    return 0


@policy_group.command("schema")
def schema_command() -> int:
    """Print the policy file's JSON Schema (draft 2020-12)."""
    from leakguard.policy.schema import policy_schema

    click.echo(json.dumps(policy_schema(), indent=2))
    return 0


def register(cli: click.Group) -> None:
    cli.add_command(policy_group)
