"""Git commands: hooks (install/uninstall), `baseline create`, `pre-push`, and the
git variants of `scan` (--staged, --diff, --history) that scan_cmd hands over to."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from leakguard.cli.group import subgroup

# The git doors of `scan` live beside it, without click (scan_run); named here too.
from leakguard.cli.scan_run import (
    find_ignore_file,
    finish,
    git_scan,
    ignore_tracker,
    scan_items,
    with_stale,
)
from leakguard.cli.scan_run import render_annotations as github_annotations
from leakguard.errors import ConfigError

__all__ = [
    "find_ignore_file", "finish", "git_scan", "github_annotations", "ignore_tracker",
    "register", "scan_items", "with_stale",
]

PRE_COMMIT_SNIPPET = """\
repos:
  - repo: local
    hooks:
      - id: leakguard
        name: leakguard (secrets, PII, proprietary code)
        entry: leakguard scan --staged
        language: system
        pass_filenames: false
        stages: [pre-commit]
"""
REMOTE_SNIPPET = """\
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: leakguard
"""


# --- hooks ------------------------------------------------------------------------------

HOOK_CHOICE = click.Choice(["pre-commit", "pre-push"])


@click.command("git-hook")
@click.option("--hook-type", "-t", "hook_types", type=HOOK_CHOICE, multiple=True,
              help="Which hook (repeatable). Default: pre-commit.")
@click.option("--repo", default=".", type=click.Path(file_okay=False, exists=True),
              show_default=True, help="Repository to install into.")
def install_git_hook(hook_types: tuple[str, ...], repo: str) -> int:
    """Install leakguard as a plain git hook (respects core.hooksPath).

    An existing hook is kept as <hook>.leakguard-chained and runs first; running this
    twice changes nothing.
    """
    from leakguard.githooks import install

    for change in install(repo, hook_types or ("pre-commit",), python=sys.executable):
        click.echo(change.describe())
    return 0


@click.command("git-hook")
@click.option("--hook-type", "-t", "hook_types", type=HOOK_CHOICE, multiple=True,
              help="Which hook (repeatable). Default: both.")
@click.option("--repo", default=".", type=click.Path(file_okay=False, exists=True),
              show_default=True)
def uninstall_git_hook(hook_types: tuple[str, ...], repo: str) -> int:
    """Remove leakguard's git hooks, restoring any hook they had chained."""
    from leakguard.githooks import HOOKS, uninstall

    for change in uninstall(repo, hook_types or HOOKS):
        click.echo(change.describe())
    return 0


@click.command("pre-commit")
@click.option("--repo-url", help="Use this hook repository (with --rev) instead of a local hook.")
@click.option("--rev", help="Tag or commit of --repo-url.")
def install_pre_commit(repo_url: str | None, rev: str | None) -> int:
    """Write a .pre-commit-config.yaml using leakguard (or print the snippet to add)."""
    if bool(repo_url) != bool(rev):
        raise ConfigError("--repo-url and --rev go together")
    snippet = REMOTE_SNIPPET.format(repo=repo_url, rev=rev) if repo_url else PRE_COMMIT_SNIPPET
    config = Path(".pre-commit-config.yaml")
    if config.exists():
        if "leakguard" in config.read_text(encoding="utf-8", errors="replace"):
            click.echo(f"{config} already uses leakguard; nothing changed")
            return 0
        click.echo(f"{config} exists; add this under its `repos:` list:\n")
        click.echo(snippet.split("\n", 1)[1])
        return 0
    config.write_text(snippet, encoding="utf-8")
    click.echo(f"wrote {config}; now run: pre-commit install")
    return 0


@click.command("pre-push")
@click.argument("remote", required=False)
@click.argument("url", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              envvar="LEAKGUARD_POLICY")
def pre_push(remote: str | None, url: str | None, fmt: str, policy_file: str | None) -> int:
    """Scan the commits a push sends: git's pre-push lines on stdin, or the pre-commit
    framework's PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF."""
    from leakguard.sources import git as gitsrc

    root = gitsrc.toplevel(".")
    remote = remote or os.environ.get("PRE_COMMIT_REMOTE_NAME")
    to_ref = os.environ.get("PRE_COMMIT_TO_REF")
    if to_ref:
        updates = [(to_ref, os.environ.get("PRE_COMMIT_FROM_REF") or gitsrc.ZERO)]
    elif os.environ.get("PRE_COMMIT"):  # pre-commit read git's stdin; a new root branch
        updates = [(os.environ.get("PRE_COMMIT_LOCAL_BRANCH") or "HEAD", gitsrc.ZERO)]
    else:
        updates = []
        for line in sys.stdin.read().splitlines():
            fields = line.split()
            if len(fields) == 4:
                updates.append((fields[1], fields[3]))
            elif fields:
                raise ConfigError(f"unexpected pre-push input line: {line[:80]!r}")
    items = gitsrc.push_fragments(root, updates, remote)
    return finish(items, root, label="push", complete=False, fmt=fmt, output=None,
                  policy_file=policy_file, destination=None, color=None, annotate=False)


# --- baseline ---------------------------------------------------------------------------

@click.command("create")
@click.argument("path", required=False, default=".", type=click.Path(exists=True))
@click.option("--output", "-o", default=None,
              help="Ignore file to write. Default: .leakguardignore at the repository root.")
@click.option("--path-scoped", is_flag=True,
              help="Limit each entry to the file it was found in.")
@click.option("--policy", "policy_file", type=click.Path(dir_okay=False),
              envvar="LEAKGUARD_POLICY")
def baseline_create(path: str, output: str | None, path_scoped: bool,
                    policy_file: str | None) -> int:
    """Accept the current findings: write them to .leakguardignore as sorted fingerprints
    (no line numbers, no timestamps), so they pass from now on and branches merge cleanly.
    """
    from leakguard.cli.scan_cmd import file_items
    from leakguard.detectors.build import build_detectors
    from leakguard.policy import load_policy
    from leakguard.scan import run_pipeline
    from leakguard.suppressions import GITATTRIBUTES_LINE, IGNORE_FILE, baseline_text

    target = Path(path)
    root = target if target.is_dir() else target.parent
    repo_root = _repo_root(root)
    policy = load_policy(root, Path(policy_file) if policy_file else None)
    settings = policy.scan
    result = run_pipeline(file_items((path,), settings.max_file_bytes, settings.respect_gitignore),
                          build_detectors(policy), policy)
    findings = [d.finding for d in result.verdict.active]
    out = Path(output) if output else (repo_root or root) / IGNORE_FILE
    out.write_text(baseline_text(findings, path_scoped=path_scoped), encoding="utf-8")
    click.echo(f"wrote {out}: {len({f.fingerprint for f in findings})} entries")
    if repo_root is not None and out.resolve() == (repo_root / IGNORE_FILE).resolve():
        _ensure_union_merge(repo_root / ".gitattributes", GITATTRIBUTES_LINE)
    return 0


def _repo_root(start: Path) -> Path | None:
    from leakguard.sources import git as gitsrc

    try:
        return gitsrc.toplevel(start)
    except ConfigError:
        return None


def _ensure_union_merge(attributes: Path, line: str) -> None:
    """Two branches adding entries then merge line by line with git's built-in union."""
    text = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if line in text.splitlines():
        return
    attributes.write_text(text + ("" if not text or text.endswith("\n") else "\n") + line + "\n",
                          encoding="utf-8")
    click.echo(f"added '{line}' to {attributes.name}")


def register(cli: click.Group) -> None:
    install_group = subgroup(cli, "install", "Install leakguard into git or an AI tool.")
    install_group.add_command(install_git_hook)
    install_group.add_command(install_pre_commit)
    subgroup(cli, "uninstall", "Remove what `leakguard install` wrote.").add_command(
        uninstall_git_hook)
    subgroup(cli, "baseline", "Accept current findings in .leakguardignore.").add_command(
        baseline_create)
    cli.add_command(pre_push)
