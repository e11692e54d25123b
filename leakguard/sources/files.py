"""Files and folders as fragments: a .gitignore-aware walk with binary and size limits.

Every file passed over is reported as a Skip with its reason; nothing is dropped
silently. Symlinked folders are not followed (no loops, no escaping the tree);
symlinked files are read like files.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from leakguard.models import Fragment, Skip
from leakguard.record import Record, record
from leakguard.sources.decode import decode_bytes, looks_binary

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_BINARY_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".ico", ".webp", ".tif", ".tiff", ".pdf", ".zip",
        ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar", ".war", ".class", ".pyc", ".pyo",
        ".so", ".dll", ".dylib", ".exe", ".o", ".a", ".woff", ".woff2", ".ttf", ".otf", ".eot",
        ".mp3", ".mp4", ".mov", ".avi", ".wav", ".flac", ".ogg", ".webm", ".sqlite", ".db", ".whl",
        ".egg",
    }
)


@record
class WalkOptions(Record):
    max_bytes: int = DEFAULT_MAX_BYTES
    respect_gitignore: bool = True


def _display(path: Path) -> str:
    text = path.as_posix()
    return text[2:] if text.startswith("./") else text


def read_file(path: Path, options: WalkOptions, shown: str | None = None) -> Fragment | Skip:
    """One file as a Fragment, or the reason it was not read."""
    name = shown or _display(path)
    try:
        info = path.stat()
    except OSError as exc:
        return Skip(name, "unreadable", exc.strerror or type(exc).__name__)
    if not stat.S_ISREG(info.st_mode):
        return Skip(name, "not-a-file")
    if info.st_size > options.max_bytes:
        return Skip(name, "too-large", f"{info.st_size} bytes > limit {options.max_bytes}")
    if path.suffix.lower() in _BINARY_SUFFIXES:
        return Skip(name, "binary", f"{path.suffix} file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Skip(name, "unreadable", exc.strerror or type(exc).__name__)
    if looks_binary(data[:8192]):
        return Skip(name, "binary", "NUL bytes")
    return Fragment(text=decode_bytes(data), path=name, kind="file")


class _Ignores:
    """The .gitignore files that apply in one folder, nearest last."""

    def __init__(self, specs: tuple[tuple[Path, Any], ...] = ()) -> None:
        self.specs = specs

    def child(self, folder: Path) -> _Ignores:
        ignore_file = folder / ".gitignore"
        if not ignore_file.is_file():
            return self
        import pathspec  # only folder walks pay for it

        try:
            lines = ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return self
        return _Ignores((*self.specs, (folder, pathspec.GitIgnoreSpec.from_lines(lines))))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:
            relative = path.relative_to(base).as_posix() + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                verdict = bool(result.include)
        return verdict


def walk(root: Path, options: WalkOptions) -> Iterator[Fragment | Skip]:
    """Every file under ``root`` in a stable order, honouring .gitignore files."""
    stack: list[tuple[Path, _Ignores]] = [(root, _Ignores())]
    while stack:
        folder, ignores = stack.pop()
        if options.respect_gitignore:
            ignores = ignores.child(folder)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield Skip(_display(folder), "unreadable", exc.strerror or type(exc).__name__)
            continue
        subfolders: list[tuple[Path, _Ignores]] = []
        for entry in entries:
            path = Path(entry.path)
            if entry.name == ".git":
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                is_link = entry.is_symlink()
            except OSError as exc:
                yield Skip(_display(path), "unreadable", exc.strerror or type(exc).__name__)
                continue
            if options.respect_gitignore and ignores.specs and ignores.ignored(path, is_dir):
                continue
            if is_dir:
                subfolders.append((path, ignores))
            elif is_link and path.is_dir():
                yield Skip(_display(path), "symlink", "symlinked folder not followed")
            else:
                yield read_file(path, options)
        stack.extend(reversed(subfolders))


def file_sources(paths: Sequence[Path], options: WalkOptions) -> Iterator[Fragment | Skip]:
    """Named files are read whatever .gitignore says; folders are walked."""
    for path in paths:
        if path.is_dir():
            yield from walk(path, options)
        elif path.exists() or path.is_symlink():
            yield read_file(path, options)
        else:
            yield Skip(_display(path), "missing", "no such file or folder")
