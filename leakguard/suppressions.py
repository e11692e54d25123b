"""Suppressions keyed on content, not position: ``.leakguardignore`` and inline comments.

An ignore entry is a fingerprint (``masking.fingerprint``: keyed hash of rule id and
secret value), optionally followed by a path glob that limits it to matching files::

    # comment
    sha256:3f1e...c9   # aws-access-key-id in config/app.ini
    sha256:77ab...02 tests/fixtures/**

Because the key is the value itself, an entry keeps working when the code moves (another
line, another file unless path-scoped) and can never hide a *different* secret that later
appears on the same line. Entries are one per line and carry no line numbers or dates, so
``baseline create`` output is sorted and stable and branches merge cleanly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from leakguard.errors import ConfigError
from leakguard.lazyre import lazy_compile
from leakguard.models import Finding

IGNORE_FILE = ".leakguardignore"
INLINE_MARKER = "leakguard:allow"
HEADER = (
    "# leakguard ignore file: findings accepted on purpose, one per line.\n"
    "# Each entry is a keyed hash of rule and secret value (no secret, no line number),\n"
    "# optionally followed by a path glob. Regenerate with `leakguard baseline create`.\n"
)
# Lets two branches that each add entries merge without a conflict (built-in driver).
GITATTRIBUTES_LINE = f"/{IGNORE_FILE} merge=union"

_ENTRY = lazy_compile(r"^(sha256:[0-9a-f]{64})(?:\s+(?!#)(\S+))?\s*(?:#.*)?$")
# A comment opener before the marker: #, //, /*, <!--, --, ;, %, ', REM.
_INLINE = lazy_compile(r"(?:#|//|/\*|<!--|--|;|%|'|\bREM\b).*?\bleakguard:allow\b", re.IGNORECASE)


def inline_allowed(line_text: str) -> bool:
    """True when the line carries a ``leakguard:allow`` comment, in any comment syntax."""
    return INLINE_MARKER in line_text.lower() and _INLINE.search(line_text) is not None


@dataclass(frozen=True)
class IgnoreEntry:
    fingerprint: str
    path_glob: str | None
    source: str
    line: int

    @property
    def key(self) -> str:
        """How the entry is named in reports: where it is and what it says."""
        scope = f" {self.path_glob}" if self.path_glob else ""
        return f"{self.source}:{self.line}: {self.fingerprint}{scope}"


@dataclass(frozen=True)
class IgnoreList:
    entries: tuple[IgnoreEntry, ...] = ()
    _by_fingerprint: dict[str, tuple[IgnoreEntry, ...]] = field(
        default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, entries: Iterable[IgnoreEntry]) -> IgnoreList:
        items = tuple(entries)
        index: dict[str, list[IgnoreEntry]] = {}
        for entry in items:
            index.setdefault(entry.fingerprint, []).append(entry)
        return cls(items, {k: tuple(v) for k, v in index.items()})

    def match(self, finding: Finding) -> str | None:
        """The key of the entry that suppresses ``finding``, or None."""
        for entry in self._by_fingerprint.get(finding.fingerprint, ()):
            if entry.path_glob is None or path_matches(finding.path, entry.path_glob):
                return entry.key
        return None

    def stale(self, used: Iterable[str]) -> tuple[str, ...]:
        """Keys of entries that matched nothing in a scan that saw everything."""
        seen = set(used)
        return tuple(e.key for e in self.entries if e.key not in seen)


class IgnoreTracker:
    """A pipeline suppressor over one IgnoreList, remembering which entries were used.

    One tracker per scan (no shared state); ``stale()`` afterwards lists the rest.
    """

    reason = "baseline"

    def __init__(self, ignore: IgnoreList) -> None:
        self.ignore = ignore
        self.used: set[str] = set()

    def __call__(self, finding: Finding) -> str | None:
        key = self.ignore.match(finding)
        if key is None:
            return None
        self.used.add(key)
        return self.reason

    def stale(self) -> tuple[str, ...]:
        return self.ignore.stale(self.used)


def parse_ignore(text: str, source: str = IGNORE_FILE) -> IgnoreList:
    entries = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _ENTRY.match(line)
        if not match:
            raise ConfigError(
                f"{source}:{number}: not an ignore entry (expected 'sha256:<64 hex> [path-glob]'"
                ", e.g. from `leakguard baseline create`)")
        entries.append(IgnoreEntry(match.group(1), match.group(2), source, number))
    return IgnoreList.of(entries)


def load_ignore_file(path: str | Path) -> IgnoreList:
    """Entries of an ignore file; a missing file is an empty list."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return IgnoreList()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {file}: {exc}") from None
    return parse_ignore(text, file.name if file.name == IGNORE_FILE else str(file))


def path_matches(path: str, glob: str) -> bool:
    """gitignore-style: ``*`` stays in one folder, ``**`` crosses folders, a glob without a
    slash matches the file name anywhere."""
    return _glob_regex(glob).match(path) is not None


def _glob_regex(glob: str) -> re.Pattern[str]:
    anchored = "/" in glob.rstrip("/")
    body = glob.lstrip("/").rstrip("/")
    out = []
    i = 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body):
            out.append(re.escape(body[i + 1]))
            i += 2
        elif body.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif body.startswith("**", i):
            out.append(".*")
            i += 2
        elif body[i] == "*":
            out.append("[^/]*")
            i += 1
        elif body[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(body[i]))
            i += 1
    # unanchored globs match at any depth; a match on a folder covers what is below it
    return re.compile(("" if anchored else "(?:.*/)?") + "".join(out) + r"(?:/.*)?\Z")


def baseline_text(findings: Iterable[Finding], path_scoped: bool = False) -> str:
    """An ignore file accepting ``findings``: fixed header, one sorted entry per line.

    The trailing comment (rule id, first path) helps a reviewer; it holds no secret and
    no line number, so it only changes when the finding itself does.
    """
    where: dict[tuple[str, str | None], tuple[str, set[str]]] = {}
    for f in findings:
        key = (f.fingerprint, f.path if path_scoped else None)
        where.setdefault(key, (f.rule_id, set()))[1].add(f.path)
    lines = []
    for (fp, scope), (rule, paths) in where.items():
        first = sorted(paths)[0]
        more = f" (+{len(paths) - 1} more)" if len(paths) > 1 else ""
        scope_text = f" {_escape_glob(scope)}" if scope else ""
        lines.append(f"{fp}{scope_text}  # {rule} in {first}{more}")
    return HEADER + "".join(line + "\n" for line in sorted(lines))


def _escape_glob(path: str) -> str:
    if any(c.isspace() for c in path):
        raise ConfigError(f"cannot path-scope an entry to {path!r}: it contains whitespace")
    return "/" + re.sub(r"([*?\\])", r"\\\1", path)
