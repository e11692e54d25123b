"""`leakguard scan`: files, folders or stdin through the pipeline, then a report.

The click command for help and unusual spellings; scan_args parses the plain ones
without click, and both run scan_run.scan.
"""

from __future__ import annotations

import click

from leakguard.cli.scan_run import FORMATS, file_items, scan, write_output

__all__ = ["FORMATS", "file_items", "register", "scan_command", "write_output"]


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
    return scan(
        paths, fmt=fmt, output=output, policy_file=policy_file, destination=destination,
        color=color, staged=staged, diff_range=diff_range, history_range=history_range,
        github_annotations=github_annotations,
    )


def register(cli: click.Group) -> None:
    cli.add_command(scan_command)
