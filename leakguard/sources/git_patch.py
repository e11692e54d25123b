"""Parsing git's own output formats: ``--raw -z`` entries and ``-U0`` patches (plain and
combined), streamed line by line so a long history never sits in memory at once."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

COMMIT_MARK = b"\x1eleakguard-commit\x1f"
# One line per commit, before its patch; \x1e cannot start a patch line (they are prefixed).
LOG_FORMAT = "--format=%x1eleakguard-commit%x1f%H%x1f%P%x1f%an <%ae>%x1f%aI"

_HUNK = re.compile(rb"^(@@+) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@+")
_SUBMODULE_MODE = b"160000"
_ESCAPES = {ord("a"): 7, ord("b"): 8, ord("t"): 9, ord("n"): 10, ord("v"): 11, ord("f"): 12,
            ord("r"): 13, ord('"'): 34, ord("\\"): 92}


def decode_path(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def unquote(raw: bytes) -> bytes:
    """Undo git's C-style quoting of unusual paths (``"a\\tb"``, octal bytes)."""
    if not (raw.startswith(b'"') and raw.endswith(b'"') and len(raw) >= 2):
        return raw
    body, out, i = raw[1:-1], bytearray(), 0
    while i < len(body):
        ch = body[i]
        if ch == 92 and i + 1 < len(body):  # backslash
            nxt = body[i + 1]
            if 48 <= nxt <= 51 and i + 3 < len(body):
                out.append(int(body[i + 1:i + 4], 8))
                i += 4
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return bytes(out)


def file_target(line: bytes) -> bytes | None:
    """The new-side path of a ``+++ `` line, or None for ``/dev/null``."""
    raw = line[4:].rstrip(b"\n")
    if raw.endswith(b"\t"):  # git appends a tab when the name has a space
        raw = raw[:-1]
    target = unquote(raw)
    return target[2:] if target.startswith(b"b/") else None


def hunk_added(header: bytes) -> tuple[int, int, range] | None:
    """(parents, new start, added line range) of a hunk header, or None if not one."""
    match = _HUNK.match(header)
    if not match:
        return None
    start = int(match.group(2))
    count = 1 if match.group(3) is None else int(match.group(3))
    return len(match.group(1)) - 1, start, range(start, start + count)


@dataclass(frozen=True)
class RawEntry:
    """One line of ``git diff --raw -z``: what changed for one path."""

    status: str
    old_mode: str
    new_mode: str
    old_sha: str
    new_sha: str
    path: str
    old_path: str | None = None


def parse_raw_and_hunks(data: bytes) -> tuple[list[RawEntry], dict[str, frozenset[int]]]:
    """Split ``git diff --raw -z -p -U0`` output into entries and added lines per new path."""
    entries: list[RawEntry] = []
    parts = data.split(b"\0")
    i = 0
    while i < len(parts) and parts[i].startswith(b":"):
        meta = parts[i][1:].split(b" ")
        status = meta[4].decode()[:1]
        if status in "RC":
            old, new = parts[i + 1], parts[i + 2]
            i += 3
        else:
            old, new = parts[i + 1], parts[i + 1]
            i += 2
        entries.append(RawEntry(status, meta[0].decode(), meta[1].decode(), meta[2].decode(),
                                meta[3].decode(),
                                decode_path(new), decode_path(old) if old != new else None))
    patch = b"\0".join(parts[i:])
    added: dict[str, set[int]] = {}
    current: set[int] | None = None
    for line in patch.split(b"\n"):
        if line.startswith(b"+++ "):
            target = file_target(line)
            current = None if target is None else added.setdefault(decode_path(target), set())
        elif line.startswith(b"@@") and current is not None:
            parsed = hunk_added(line)
            if parsed:
                current.update(parsed[2])
        elif line.startswith(b"diff "):
            current = None
    return entries, {path: frozenset(lines) for path, lines in added.items()}


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
