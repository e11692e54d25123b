"""`leakguard rules check|list`: the rule packs and a user's own rules."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("rules")
def rules_group() -> None:
    """Inspect and check detection rules."""


@rules_group.command("check")
@click.argument("files", nargs=-1, type=click.Path(exists=True, dir_okay=False))
def check_command(files: tuple[str, ...]) -> int:
    """Check rules against their examples and counterexamples.

    Without FILES, checks the built-in rule packs. Exit 1 when a rule fails.
    """
    from leakguard.rulecheck import check_rules
    from leakguard.rulepack import builtin_rules, load_pack_files

    builtin = builtin_rules()
    rules = load_pack_files(Path(f) for f in files) if files else builtin
    problems = check_rules(rules, context=builtin)
    for problem in problems:
        click.echo(f"{problem.source}: {problem.rule_id}: {problem.problem}")
    status = "FAILED" if problems else "ok"
    click.echo(f"{status}: {len(rules)} rules, {len(problems)} problems")
    return 1 if problems else 0


@rules_group.command("list")
def list_command() -> int:
    """List the built-in rules: id, category, severity, description."""
    from leakguard.rulepack import builtin_rules

    for rule in builtin_rules():
        click.echo(f"{rule.id:40} {rule.category.value:11} {rule.severity.value:8} "
                   f"{rule.description}")
    return 0


def register(cli: click.Group) -> None:
    cli.add_command(rules_group)
