"""`leakguard scan`: files, folders or stdin through the pipeline, then a report."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from leakguard.errors import ConfigError
from leakguard.models import Action, Fragment, Skip

FORMATS = ("text", "json", "sarif")


def _scan_root(paths: tuple[str, ...]) -> Path:
    for raw in paths:
        if raw != "-":
            path = Path(raw)
            return path if path.is_dir() else path.parent
    return Path.cwd()


def file_items(
    paths: tuple[str, ...], max_bytes: int, gitignore: bool
) -> Iterator[Fragment | Skip]:
    """Fragments and skips for the named files, folders and stdin (-)."""
    from leakguard.sources.files import WalkOptions, file_sources
    from leakguard.sources.stdin import read_stdin

    options = WalkOptions(max_bytes=max_bytes, respect_gitignore=gitignore)
    files = [Path(p) for p in paths if p != "-"]
    if "-" in paths:
        yield read_stdin()
    yield from file_sources(files, options)


def write_output(text: str, output: str | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write {output}: {exc.strerror}") from None


@click.command("scan")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="Report format.",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write the report here.")
@click.option(
    "--policy", "policy_file", type=click.Path(dir_okay=False), envvar="LEAKGUARD_POLICY",
    help="Organisation policy file (also LEAKGUARD_POLICY).",
)
@click.option("--destination", help="Apply this destination's rules from the policy.")
@click.option("--color/--no-color", default=None, help="Colour the text report.")
@click.option("--staged", is_flag=True, help="Scan what is staged in git (added lines).")
@click.option("--diff", "diff_range", metavar="REV_RANGE", help="Scan lines added in BASE...HEAD.")
@click.option(
    "--history", "history_range", is_flag=False, flag_value="", default=None,
    metavar="[REV_RANGE]", help="Scan every commit's added lines (all refs, or a range).",
)
@click.option("--github-annotations", is_flag=True, help="Also print GitHub Actions annotations.")
def scan_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    policy_file: str | None,
    destination: str | None,
    color: bool | None,
    staged: bool,
    diff_range: str | None,
    history_range: str | None,
    github_annotations: bool,
) -> int:
    """Scan files, folders or stdin (-) for secrets, PII and proprietary code.

    Folders are walked honouring .gitignore; binary and oversized files are skipped
    and listed. Exit 0 when nothing is blocked, 1 when something is, 2 on a usage or
    policy error, 3 when something could not be scanned.
    """
    from leakguard.cli import git_cmd
    from leakguard.cli.progress import progress
    from leakguard.detectors.build import build_detectors
    from leakguard.policy import load_policy
    from leakguard.report import ReportOptions, render_report
    from leakguard.scan import run_pipeline, unread

    if staged or diff_range is not None or history_range is not None:
        if len(paths) > 1 or "-" in paths:
            raise ConfigError("--staged, --diff and --history take at most one repository path")
        return git_cmd.git_scan(
            paths[0] if paths else ".", staged=staged, diff=diff_range, history=history_range,
            fmt=fmt, output=output, policy_file=policy_file, destination=destination,
            color=color, annotations=github_annotations,
        )
    paths = paths or (".",)
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise ConfigError(f"no such file or folder: {', '.join(missing)}")
    policy = load_policy(_scan_root(paths), Path(policy_file) if policy_file else None)
    detectors = build_detectors(policy)
    settings = policy.scan
    items = file_items(paths, settings.max_file_bytes, settings.respect_gitignore)
    with progress(fmt == "text" and output is None) as on_item:
        tracker = git_cmd.ignore_tracker(_scan_root(paths))
        result = run_pipeline(
            items, detectors, policy, destination, suppressors=[tracker], on_item=on_item
        )
    result = git_cmd.with_stale(result, tracker)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    options = ReportOptions(color=use_color)
    write_output(render_report(result, fmt, options), output)
    if github_annotations:
        sys.stdout.write(git_cmd.github_annotations(result))
    not_read = unread(result)
    if not_read and settings.on_unreadable == "block":
        names = ", ".join(s.path for s in not_read[:5])
        click.echo(
            f"leakguard: error: {len(not_read)} item(s) could not be read ({names}); "
            "treating the scan as failed. Set scan.on_unreadable: skip to report them only.",
            err=True,
        )
        return 3
    return 1 if result.verdict.action is Action.BLOCK else 0


def register(cli: click.Group) -> None:
    cli.add_command(scan_command)
