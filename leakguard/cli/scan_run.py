"""The work of `leakguard scan`, without click: files, folders, stdin and the git doors.

scan_cmd (click) and scan_args (the click-free fast path) both call ``scan``, so the
command behaves the same whichever parsed its arguments. Heavy parts (policy,
detectors, reports, git) are imported when a scan needs them.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from leakguard.errors import ConfigError

if TYPE_CHECKING:
    from leakguard.models import Finding, Fragment, ScanResult, Skip
    from leakguard.suppressions import IgnoreTracker

FORMATS = ("text", "json", "sarif")


def scan(
    paths: tuple[str, ...],
    fmt: str = "text",
    output: str | None = None,
    policy_file: str | None = None,
    destination: str | None = None,
    color: bool | None = None,
    staged: bool = False,
    diff_range: str | None = None,
    history_range: str | None = None,
    github_annotations: bool = False,
) -> int:
    """`leakguard scan` once its arguments are parsed; returns the exit code."""
    if staged or diff_range is not None or history_range is not None:
        if len(paths) > 1 or "-" in paths:
            raise ConfigError("--staged, --diff and --history take at most one repository path")
        return git_scan(
            paths[0] if paths else ".", staged=staged, diff=diff_range, history=history_range,
            fmt=fmt, output=output, policy_file=policy_file, destination=destination,
            color=color, annotations=github_annotations,
        )
    paths = paths or (".",)
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise ConfigError(f"no such file or folder: {', '.join(missing)}")
    root = _scan_root(paths)
    with paused_gc():
        from leakguard.cli.progress import progress
        from leakguard.detectors.build import build_detectors
        from leakguard.models import Action
        from leakguard.policy import load_policy
        from leakguard.report import ReportOptions, render_report
        from leakguard.scan import run_pipeline, unread

        policy = load_policy(root, Path(policy_file) if policy_file else None)
        detectors = build_detectors(policy)
    settings = policy.scan
    items = file_items(paths, settings.max_file_bytes, settings.respect_gitignore)
    with progress(fmt == "text" and output is None) as on_item:
        tracker = ignore_tracker(root)
        result = run_pipeline(
            items, detectors, policy, destination, suppressors=_suppressors(tracker),
            on_item=on_item,
        )
    result = with_stale(result, tracker)
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    write_output(render_report(result, fmt, ReportOptions(color=use_color)), output)
    if github_annotations:
        sys.stdout.write(render_annotations(result))
    not_read = unread(result)
    if not_read and settings.on_unreadable == "block":
        names = ", ".join(s.path for s in not_read[:5])
        error(
            f"leakguard: error: {len(not_read)} item(s) could not be read ({names}); "
            "treating the scan as failed. Set scan.on_unreadable: skip to report them only."
        )
        return 3
    return 1 if result.verdict.action is Action.BLOCK else 0


@contextmanager
def paused_gc() -> Iterator[None]:
    """Start-up (imports, policy, rules, engines) allocates thousands of objects that live
    as long as the process and frees almost none: cyclic collections meanwhile only cost
    time. They are then frozen (moved out of the collector's sight), so the first
    collection of the scan does not walk them all; the scan runs with the collector on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def error(line: str) -> None:
    """One line for a person on stderr (what click.echo(err=True) wrote)."""
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


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

    options = WalkOptions(max_bytes=max_bytes, respect_gitignore=gitignore)
    files = [Path(p) for p in paths if p != "-"]
    if "-" in paths:
        from leakguard.sources.stdin import read_stdin

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


# --- suppressions ---------------------------------------------------------------------

IGNORE_FILE = ".leakguardignore"  # suppressions.IGNORE_FILE, without importing it


def find_ignore_file(start: Path) -> Path | None:
    """The .leakguardignore of the repository (or folder) being scanned, if any."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / IGNORE_FILE).is_file():
            return folder / IGNORE_FILE
        if (folder / ".git").exists():
            return None
    return None


def ignore_tracker(root: Path) -> IgnoreTracker | None:
    """A pipeline suppressor over the .leakguardignore that applies to ``root``, or
    None when there is none (the suppressions module then never loads)."""
    path = find_ignore_file(root)
    if path is None:
        return None
    from leakguard.suppressions import IgnoreTracker, load_ignore_file

    return IgnoreTracker(load_ignore_file(path))


def _suppressors(tracker: IgnoreTracker | None) -> list[Callable[[Finding], str | None]]:
    return [tracker] if tracker is not None else []


def with_stale(result: ScanResult, tracker: IgnoreTracker | None) -> ScanResult:
    """Stale entries mean something only when the scan saw everything (not added lines)."""
    if tracker is None or not tracker.ignore.entries:
        return result
    from leakguard.record import replace

    return replace(result, stale_suppressions=tracker.stale())


def render_annotations(result: ScanResult) -> str:
    """GitHub Actions workflow commands for ``--github-annotations``."""
    from leakguard.report.github import render_annotations as render

    return render(result)


# --- git doors ------------------------------------------------------------------------


def scan_items(items: Iterable[Fragment | Skip], root: Path, *, policy_file: str | None,
               destination: str | None, complete: bool,
               on_item: Callable[[Fragment | Skip], None] | None = None) -> ScanResult:
    with paused_gc():
        from leakguard.detectors.build import build_detectors
        from leakguard.policy import load_policy
        from leakguard.scan import run_pipeline

        policy = load_policy(root, Path(policy_file) if policy_file else None)
        detectors = build_detectors(policy)
    tracker = ignore_tracker(root)
    result = run_pipeline(items, detectors, policy, destination,
                          suppressors=_suppressors(tracker), on_item=on_item)
    return with_stale(result, tracker) if complete else result


def git_scan(repo: str, *, staged: bool, diff: str | None, history: str | None,
             fmt: str, output: str | None, policy_file: str | None, destination: str | None,
             color: bool | None, annotations: bool) -> int:
    """`leakguard scan --staged | --diff RANGE | --history [RANGE]` (history "" = all)."""
    with paused_gc():
        from leakguard.sources import git as gitsrc
    if sum((staged, diff is not None, history is not None)) != 1:
        raise ConfigError("choose one of --staged, --diff and --history")
    located = gitsrc.open_repo(repo, staged=staged)  # once: each git call costs ~10 ms
    root = gitsrc.toplevel(located)
    items: Iterator[Fragment | Skip]
    if staged:
        items = gitsrc.staged_fragments(located)
    elif diff is not None:
        items = gitsrc.diff_fragments(located, diff)
    else:
        items = gitsrc.history_fragments(located, history or None)
    label = "staged" if staged else "diff" if diff is not None else "history"
    return finish(items, root, label=label, complete=history == "", fmt=fmt, output=output,
                  policy_file=policy_file, destination=destination, color=color,
                  annotate=annotations)


def finish(items: Iterator[Fragment | Skip], root: Path, *, label: str, complete: bool,
           fmt: str, output: str | None, policy_file: str | None, destination: str | None,
           color: bool | None, annotate: bool) -> int:
    with paused_gc():
        from leakguard.cli.progress import progress
        from leakguard.report import ReportOptions, render_report
        from leakguard.scan import unread

    with progress(fmt == "text" and output is None, label=f"scanning {label}") as on_item:
        result = scan_items(items, root, policy_file=policy_file, destination=destination,
                            complete=complete, on_item=on_item)
    if label in ("history", "push"):
        from leakguard.history import collapse_history
        from leakguard.sources.git import commit_meta

        result = collapse_history(result, lambda shas: commit_meta(root, shas))
    use_color = color if color is not None else (output is None and sys.stdout.isatty())
    write_output(render_report(result, fmt, ReportOptions(color=use_color)), output)
    if annotate:
        sys.stdout.write(render_annotations(result))
        sys.stdout.flush()
    # Git content that could not be read (unmerged entries) is never passed silently.
    if unread(result):
        names = ", ".join(s.path for s in unread(result)[:5])
        error(f"leakguard: error: could not read {names}; nothing was let through.")
        return 3
    return 1 if result.blocked else 0
