"""Plain records that flow through the pipeline: Fragment -> Finding -> Verdict.

Every stage passes these frozen values on; behaviour lives in functions elsewhere.
"""

from __future__ import annotations

import enum

from leakguard.record import Record, field, record


class Category(str, enum.Enum):
    SECRET = "secret"
    PII = "pii"
    PROPRIETARY = "proprietary"


class Severity(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.LOW: 0, Severity.MEDIUM: 1, Severity.HIGH: 2, Severity.CRITICAL: 3}


class Action(str, enum.Enum):
    """What happens to a finding; ordered from least to most restrictive."""

    ALLOW = "allow"
    WARN = "warn"
    ANONYMIZE = "anonymize"
    BLOCK = "block"

    @property
    def rank(self) -> int:
        return _ACTION_RANK[self]


_ACTION_RANK = {Action.ALLOW: 0, Action.WARN: 1, Action.ANONYMIZE: 2, Action.BLOCK: 3}


@record
class Fragment(Record):
    """A piece of text headed somewhere, and where it came from.

    ``line_start`` is the 1-based line number of the first line of ``text`` in its
    origin (a diff hunk starts mid-file). ``lines`` restricts findings to those
    1-based line numbers of the origin (the added lines of a diff); ``None`` means all.
    """

    text: str
    path: str
    line_start: int = 1
    kind: str = "file"  # file | stdin | staged | diff | history | proxy | hook
    commit: str | None = None
    author: str | None = None
    date: str | None = None
    lines: frozenset[int] | None = None


@record
class Skip(Record):
    """Content a source could not read or chose not to scan: reported, never silent."""

    path: str
    reason: str  # binary | too-large | unreadable | undecodable | symlink-loop | ...
    detail: str = ""


@record
class Finding(Record):
    """One detected item. ``start``/``end`` are offsets into the fragment's text.

    ``value`` is the matched secret itself: kept in memory for fingerprints and
    transforms, excluded from repr, and never written anywhere in clear.
    """

    rule_id: str
    category: Category
    severity: Severity
    message: str
    path: str
    start: int
    end: int
    line: int
    column: int
    end_line: int
    end_column: int
    masked: str
    fingerprint: str
    value: str = field(repr=False, compare=False)
    context: str = ""  # the finding's line with the value masked, trimmed for display
    commit: str | None = None
    entity: str | None = None  # PII entity type, proprietary match detail...
    detail: str | None = None
    confidence: float = 1.0


@record
class Decision(Record):
    """A finding and the action the policy chose for it."""

    finding: Finding
    action: Action
    suppressed_by: str | None = None  # inline | path | value | fingerprint | baseline


@record
class Verdict(Record):
    """The policy's answer: an overall action and one decision per finding."""

    action: Action
    decisions: tuple[Decision, ...]

    @property
    def active(self) -> tuple[Decision, ...]:
        """Decisions not suppressed by an allow-list, baseline or inline comment."""
        return tuple(d for d in self.decisions if d.suppressed_by is None)


@record
class ScanResult(Record):
    """Everything a report needs about one scan."""

    verdict: Verdict
    files: int
    bytes: int
    skipped: tuple[Skip, ...] = ()
    stale_suppressions: tuple[str, ...] = ()

    @property
    def blocked(self) -> int:
        return sum(1 for d in self.verdict.active if d.action is Action.BLOCK)

    @property
    def suppressed(self) -> int:
        return sum(1 for d in self.verdict.decisions if d.suppressed_by is not None)
