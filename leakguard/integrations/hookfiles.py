"""Files a tool is about to read, as fragments: a line window (Read with offset and
limit), whole files named by a shell command, protected folders a search would cover.

A file that exists but cannot be scanned (too large, unreadable) blocks when the policy
says ``scan.on_unreadable: block`` (the default); a missing file passes, since the tool
itself will fail on it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from leakguard.integrations.hookscan import HookSession
from leakguard.models import Fragment, Skip, Verdict
from leakguard.record import Record, record

DEFAULT_READ_LINES = 2000  # what Claude Code's Read returns without a limit


@record
class ReadCheck(Record):
    """The scan of what a tool would read: the verdict, and reasons it cannot pass
    whatever the verdict says (protected binaries, unscannable files)."""

    verdict: Verdict | None
    problems: tuple[str, ...]
    fragments: tuple[Fragment, ...]

    @property
    def payload(self) -> bytes:
        return "".join(f.text for f in self.fragments).encode("utf-8", "replace")


def read_window(path: Path, shown: str, first_line: int, max_lines: int | None,
                max_bytes: int) -> Fragment | Skip:
    """Lines ``first_line`` (1-based) onward, at most ``max_lines``, at most
    ``max_bytes``: the part of the file a windowed read returns."""
    from leakguard.sources.decode import looks_binary

    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
            if looks_binary(head):
                return Skip(shown, "binary", "NUL bytes")
            handle.seek(0)
            lines: list[bytes] = []
            size = 0
            for number, line in enumerate(handle, start=1):
                if number < first_line:
                    continue
                if max_lines is not None and len(lines) >= max_lines:
                    break
                size += len(line)
                if size > max_bytes:
                    return Skip(shown, "too-large", f"window over {max_bytes} bytes")
                lines.append(line)
    except FileNotFoundError:
        return Skip(shown, "missing")
    except IsADirectoryError:
        return Skip(shown, "not-a-file")
    except OSError as exc:
        return Skip(shown, "unreadable", exc.strerror or type(exc).__name__)
    from leakguard.sources.decode import decode_bytes

    return Fragment(text=decode_bytes(b"".join(lines)), path=shown,
                    line_start=max(first_line, 1), kind="file")


def read_whole(path: Path, shown: str, max_bytes: int) -> Fragment | Skip:
    from leakguard.sources.files import WalkOptions, read_file

    if not path.exists():
        return Skip(shown, "missing")
    return read_file(path, WalkOptions(max_bytes=max_bytes), shown)


def check(session: HookSession, items: Sequence[Fragment | Skip],
          searched: Sequence[str] = ()) -> ReadCheck:
    """Scan what would be read; ``searched`` are folders a recursive search covers."""
    problems = [f"{s.path} is a protected path" for s in items
                if isinstance(s, Skip) and session.is_protected(s.path)]
    strict = session.policy.scan.on_unreadable == "block"
    problems += [f"{s.path} cannot be scanned ({s.reason}{': ' + s.detail if s.detail else ''})"
                 for s in items if isinstance(s, Skip) and strict
                 and s.reason in ("too-large", "unreadable") and not session.is_protected(s.path)]
    problems += [f"a search of {folder} would cover protected paths"
                 for folder in searched if covers_protected(session, folder)]
    fragments = tuple(i for i in items if isinstance(i, Fragment))
    verdict = session.scan(list(items)).verdict if fragments else None
    return ReadCheck(verdict, tuple(problems), fragments)


def covers_protected(session: HookSession, folder: str) -> bool:
    """Whether searching ``folder`` (a display path) reaches a protected glob."""
    from leakguard.allowlist import path_matches

    if os.path.isabs(folder):
        return bool(session.policy.proprietary.paths) and _contains_root(session, folder)
    if folder in ("", "."):
        return bool(session.policy.proprietary.paths)
    prefix = folder.rstrip("/") + "/"
    return any(path_matches(folder, g) or g.startswith(prefix)
               for g in session.policy.proprietary.paths)


def _contains_root(session: HookSession, folder: str) -> bool:
    """An absolute folder outside the project covers protected globs when it holds
    the project's root (`grep -r x /home/me`)."""
    root = session.policy.root or str(session.cwd)
    return (root + "/").startswith(folder.rstrip("/") + "/")


def command_items(session: HookSession, command: str,
                  cwd: Path | None = None) -> tuple[list[Fragment | Skip], list[str]]:
    """(files a shell command reads, as fragments or skips; folders it searches)."""
    from leakguard.integrations.shellread import files_read  # shlex: only for commands

    limit = session.policy.scan.max_file_bytes
    items: list[Fragment | Skip] = []
    searched: list[str] = []
    for read in files_read(command, str(cwd or session.cwd)):
        path = Path(read.path)
        shown = session.display(path)
        if path.is_dir():
            if read.recursive:
                searched.append(shown)
            continue
        items.append(read_whole(path, shown, limit))
    return items, searched
