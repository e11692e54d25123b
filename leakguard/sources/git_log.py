"""Parsing ``git log -p -U0`` streams (plain and combined patches) for history scans,
line by line so a long history never sits in memory at once. Apart from ``git_patch``
so that staged and diff scans do not load it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from leakguard.sources.git_patch import decode_path, file_target, hunk_added, unquote

COMMIT_MARK = b"\x1eleakguard-commit\x1f"
# One line per commit, before its patch; \x1e cannot start a patch line (they are prefixed).
LOG_FORMAT = "--format=%x1eleakguard-commit%x1f%H%x1f%P%x1f%an <%ae>%x1f%aI"

_SUBMODULE_MODE = b"160000"


@dataclass(frozen=True)
class CommitInfo:
    sha: str
    parents: tuple[str, ...]
    author: str
    date: str


@dataclass
class FileChange:
    """Added lines of one path in one commit, gathered while its patch streams by."""

    commit: CommitInfo
    path: str = ""
    binary: bool = False
    submodule: bool = False
    too_large: bool = False
    size: int = 0
    added: list[tuple[int, str]] = field(default_factory=list)


def _path_from_diff_line(line: bytes) -> str:
    rest = line.split(b" ", 2)[-1]  # "a/P b/P" (diff --git) or "P" (diff --cc)
    if line.startswith(b"diff --cc "):
        return decode_path(unquote(rest))
    half = (len(rest) - 1) // 2
    return decode_path(unquote(rest[half + 1:])[2:]) if len(rest) > 4 else decode_path(rest)


def parse_log(lines: Iterable[bytes], max_bytes: int) -> Iterator[FileChange]:
    """Yield one FileChange per (commit, path) of a ``git log -p -U0`` stream."""
    commit: CommitInfo | None = None
    change: FileChange | None = None
    parents = 1
    new_line = 0
    for line in lines:
        if line.startswith(COMMIT_MARK):
            if change is not None:
                yield change
                change = None
            fields = line[len(COMMIT_MARK):].rstrip(b"\n").split(b"\x1f")
            sha, parent_list, author, date = (f.decode("utf-8", "replace") for f in fields)
            commit = CommitInfo(sha, tuple(parent_list.split()), author, date)
            new_line = 0
            continue
        if commit is None:
            continue
        first = line[:1]
        if change is not None and new_line and first in (b"+", b"-", b" ", b"\\"):
            prefix = line[:parents]
            if b"-" in prefix or first == b"\\":
                continue
            if prefix == b"+" * parents and not change.submodule and not change.too_large:
                text = line[parents:].rstrip(b"\n").rstrip(b"\r")
                change.size += len(text) + 1
                if b"\0" in text:  # our own binary test: .gitattributes cannot hide text
                    change.binary, change.added = True, []
                elif change.binary:
                    pass
                elif change.size > max_bytes:
                    change.too_large, change.added = True, []
                else:
                    change.added.append((new_line, text.decode("utf-8", "replace")))
            new_line += 1
            continue
        new_line = 0
        if line.startswith(b"diff "):
            if change is not None:
                yield change
            change = FileChange(commit, path=_path_from_diff_line(line.rstrip(b"\n")))
        elif change is None:
            continue
        elif line.startswith(b"@@"):
            parsed = hunk_added(line)
            if parsed:
                parents, new_line = parsed[0], parsed[1]
        elif line.startswith(b"+++ "):
            target = file_target(line)
            if target is not None:
                change.path = decode_path(target)
        elif line.startswith(b"rename to "):
            change.path = decode_path(unquote(line[10:].rstrip(b"\n")))
        elif line.startswith(b"Binary files "):
            change.binary = True
        elif (line.startswith((b"new file mode ", b"index ", b"new mode "))
              and line.rstrip(b"\n").endswith(_SUBMODULE_MODE)):
            change.submodule = True
    if change is not None:
        yield change


def coalesce(added: list[tuple[int, str]], max_gap: int = 64) -> list[tuple[int, str,
                                                                               frozenset[int]]]:
    """Join added lines into (line_start, text, lines) runs, filling small gaps with blank
    lines so offsets stay true to the file and fewer fragments reach the detectors."""
    runs: list[tuple[int, str, frozenset[int]]] = []
    start = prev = 0
    texts: list[str] = []
    numbers: list[int] = []
    for number, text in added:
        if texts and (number <= prev or number - prev > max_gap):
            runs.append((start, "\n".join(texts), frozenset(numbers)))
            texts, numbers = [], []
        if not texts:
            start = number
        else:
            texts.extend([""] * (number - prev - 1))
        texts.append(text)
        numbers.append(number)
        prev = number
    if texts:
        runs.append((start, "\n".join(texts), frozenset(numbers)))
    return runs
