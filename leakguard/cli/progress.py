"""A progress display for long scans on a terminal, and nothing anywhere else."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from leakguard.models import Fragment, Skip

OnItem = Callable[[Fragment | Skip], None]


@contextmanager
def progress(enabled: bool, label: str = "scanning") -> Iterator[OnItem | None]:
    """Yields a per-item callback that advances a rich spinner on stderr, or None.

    Only on an interactive stderr: JSON/SARIF output, pipes and CI logs stay clean.
    """
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label)
        count = 0
        size = 0

        def advance(item: Fragment | Skip) -> None:
            nonlocal count, size
            count += 1
            if isinstance(item, Fragment):
                size += len(item.text)
            if count % 25 == 0:
                bar.update(task, description=f"{label}: {count} files, {size / 1e6:.1f} MB")

        yield advance
