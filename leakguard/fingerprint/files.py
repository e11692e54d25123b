"""Which files an index covers: code files under the roots, by extension."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from leakguard.fingerprint.lexers import profile_for

SKIP_DIRS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "venv", "vendor", "third_party"}
)
MAX_BYTES = 4_000_000  # larger "source" files are generated or minified



def display_path(path: Path, base: Path) -> str:
    """The stored name of a file: relative to ``base`` when under it, with symbolic
    links resolved (a root is resolved once, then only a file that is a link: resolving
    every file's path took 7% of a build)."""
    resolved = path.resolve() if path.is_symlink() else path
    try:
        return resolved.relative_to(base).as_posix()
    except ValueError:
        return resolved.as_posix()


def walk(roots: Iterable[str], base: Path) -> Iterator[tuple[str, Path, str]]:
    """(stored path, real path, profile) for each code file under the roots, sorted."""
    seen: set[str] = set()
    for root in roots:
        start = ((base / root) if not os.path.isabs(root) else Path(root)).resolve()
        if start.is_file():
            candidates: Iterable[Path] = [start]
        else:
            candidates = _files(start)
        for path in candidates:
            profile = profile_for(path.name)
            stored = display_path(path, base)
            if profile and stored not in seen:
                seen.add(stored)
                yield stored, path, profile


def _files(top: Path) -> Iterator[Path]:
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS)
        for name in sorted(files):
            yield Path(directory) / name
