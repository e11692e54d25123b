"""Parsing git's ``--raw -z`` entries and ``-U0`` patches of a diff (staged, --diff).

``git_log`` parses ``git log -p`` streams for history scans, with the helpers here."""

from __future__ import annotations

import re

from leakguard.record import Record, record

_HUNK = re.compile(rb"^(@@+) (?:-\d+(?:,\d+)? )+\+(\d+)(?:,(\d+))? @@+")
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


@record
class RawEntry(Record):
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
