"""One way for every detector to turn a span of a fragment into a Finding."""

from __future__ import annotations

from leakguard.masking import fingerprint, mask
from leakguard.models import Category, Finding, Fragment, Severity
from leakguard.textpos import LineIndex


def span_finding(
    fragment: Fragment,
    lines: LineIndex,
    start: int,
    end: int,
    *,
    rule_id: str,
    category: Category,
    severity: Severity,
    message: str,
    masked: str | None = None,
    fingerprint_of: str | None = None,
    key: bytes | None = None,
    entity: str | None = None,
    confidence: float = 1.0,
) -> Finding | None:
    """The finding for ``fragment.text[start:end]``, or None when its line is not one the
    fragment counts (a diff's added lines). ``masked`` defaults to the masked value and
    the fingerprint to a keyed hash of rule and value (``fingerprint_of`` overrides it)."""
    line, column = lines.position(start)
    if fragment.lines is not None and line not in fragment.lines:
        return None
    end_line, end_column = lines.position(max(end - 1, start))
    value = fragment.text[start:end]
    return Finding(
        rule_id=rule_id,
        category=category,
        severity=severity,
        message=message,
        path=fragment.path,
        start=start,
        end=end,
        line=line,
        column=column,
        end_line=end_line,
        end_column=end_column + 1,
        masked=mask(value) if masked is None else masked,
        fingerprint=fingerprint(rule_id, value if fingerprint_of is None else fingerprint_of, key),
        value=value,
        commit=fragment.commit,
        entity=entity,
        confidence=confidence,
    )
