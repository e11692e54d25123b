"""A parsed request body -> what to do with it: forward as is, forward rewritten, block.

Knows meaning, not transport: it gets the provider adapter, the parsed JSON and the
session, and returns an ``Inspection``. Text not seen before in the session is joined
into one fragment (cheaper than one per slot) and scanned once; the findings are cut
back to their slots and cached, so a resent conversation costs only its new turns.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from leakguard.allowlist import AllowList
from leakguard.detectors import Detector
from leakguard.detectors.protected import ProtectedPathDetector
from leakguard.models import Action, Decision, Finding, Fragment, Verdict
from leakguard.policy import Policy, decide
from leakguard.proxy.providers.base import Provider, TextSlot
from leakguard.proxy.providers.base import replace as replace_at
from leakguard.proxy.session import Session
from leakguard.record import replace
from leakguard.scan import detect, line_text
from leakguard.textpos import LineIndex
from leakguard.transform.anonymize import anonymize, targets

# Between slots in the joined fragment: no rule's pattern crosses a record separator
# on its own line, and nothing matched can straddle two slots unnoticed.
SEPARATOR = "\n\x1e\n"


@dataclass(frozen=True)
class Inspection:
    action: Action  # ALLOW/WARN: forward as is; ANONYMIZE: forward ``body``; BLOCK
    verdict: Verdict
    body: bytes | None = None  # the rewritten body when anonymized
    message: str = ""  # why it was blocked, for the person at the CLI
    replaced: int = 0  # values replaced by placeholders


class Inspector:
    """Scans request bodies for one policy; shared by all sessions (stateless)."""

    def __init__(self, policy: Policy, detectors: Sequence[Detector]) -> None:
        self.policy = policy
        self.detectors = tuple(detectors)
        self._allow = AllowList.from_policy(policy)
        self._protected = (
            ProtectedPathDetector(policy.proprietary.paths) if policy.proprietary.paths else None
        )
        self._root = Path(policy.root) if policy.root else None

    def inspect(
        self, provider: Provider, body: Any, session: Session, destination: str
    ) -> Inspection:
        slots = list(provider.text_slots(body))
        per_slot = self._findings(slots, session)
        candidates: list[tuple[Finding, str | None]] = []
        owners: list[int] = []  # the slot of each candidate (labels may repeat)
        for index, (slot, findings) in enumerate(zip(slots, per_slot, strict=True)):
            for finding in findings:
                line = line_text(slot.text, finding.start)
                candidates.append((finding, self._allow.reason(finding, line)))
                owners.append(index)
        verdict = decide(candidates, self.policy, destination)
        if verdict.action is Action.BLOCK:
            return Inspection(Action.BLOCK, verdict, message=block_message(verdict, destination))
        by_slot: dict[int, list[Decision]] = {}
        for owner, decision in zip(owners, verdict.decisions, strict=True):
            if decision.action is Action.ANONYMIZE and decision.suppressed_by is None:
                by_slot.setdefault(owner, []).append(decision)
        if not by_slot:
            # Placeholders another instance made in this conversation are restored here too.
            session.refresh()
            return Inspection(verdict.action, verdict)
        replaced = 0
        operators = self.policy.pii.operators
        with session.updating() as vault:
            for index, decisions in sorted(by_slot.items()):
                slot = slots[index]
                redacted = anonymize(slot.text, targets(decisions, operators), vault)
                replace_at(body, slot.path, redacted.text)
                replaced += len(redacted.applied)
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return Inspection(Action.ANONYMIZE, verdict, body=data, replaced=replaced)

    def _findings(
        self, slots: Sequence[TextSlot], session: Session
    ) -> list[tuple[Finding, ...]]:
        """Findings per slot, offsets relative to the slot's text, path = its label."""
        out: list[tuple[Finding, ...]] = []
        todo: list[int] = []
        keys = [Session.key(s.label, s.text) for s in slots]
        for index, key in enumerate(keys):
            cached = session.cached(key)
            out.append(cached if cached is not None else ())
            if cached is None:
                todo.append(index)
        if todo:
            fresh = self._scan([slots[i] for i in todo])
            for index, findings in zip(todo, fresh, strict=True):
                out[index] = findings
                session.remember(keys[index], findings)
        if self._protected is not None:
            for index, slot in enumerate(slots):
                if slot.source:
                    out[index] = out[index] + self._protected_findings(slot)
        return out

    def _scan(self, slots: Sequence[TextSlot]) -> list[tuple[Finding, ...]]:
        starts: list[int] = []
        pieces: list[str] = []
        offset = 0
        for slot in slots:
            starts.append(offset)
            pieces.append(slot.text)
            offset += len(slot.text) + len(SEPARATOR)
        joined = SEPARATOR.join(pieces)
        found = detect(Fragment(text=joined, path="request", kind="proxy"), self.detectors)
        per_slot: list[list[Finding]] = [[] for _ in slots]
        for finding in found:
            per_slot[bisect.bisect_right(starts, finding.start) - 1].append(finding)
        return [
            _rebased(hits, slot, base) if hits else ()
            for hits, slot, base in zip(per_slot, slots, starts, strict=True)
        ]

    def _protected_findings(self, slot: TextSlot) -> tuple[Finding, ...]:
        assert self._protected is not None and slot.source is not None
        path = _relative(slot.source, self._root)
        fragment = Fragment(text=slot.text, path=path, kind="proxy")
        return tuple(
            replace(f, path=slot.label) for f in self._protected.detect(fragment)
        )


def _rebased(found: Sequence[Finding], slot: TextSlot, base: int) -> tuple[Finding, ...]:
    """Findings of the joined text as findings of one slot: offsets, lines, label."""
    lines = LineIndex(slot.text, 1)
    out = []
    for finding in found:
        start, end = finding.start - base, min(finding.end - base, len(slot.text))
        line, column = lines.position(start)
        end_line, end_column = lines.position(max(end - 1, start))
        out.append(replace(
            finding, path=slot.label, start=start, end=end, line=line, column=column,
            end_line=end_line, end_column=end_column + 1,
        ))
    return tuple(out)


def _relative(path: str, root: Path | None) -> str:
    """A tool's absolute path relative to the repository, so the policy's globs apply."""
    if root is None:
        return path
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return path


def block_message(verdict: Verdict, destination: str) -> str:
    """What the person sees in the AI tool: what was found, and where in the request."""
    blocked = [d for d in verdict.active if d.action is Action.BLOCK]
    if not blocked:
        return (
            f"leakguard blocked this request: the destination {destination!r} is not "
            "allowed by the policy"
        )
    parts = []
    for decision in blocked[:3]:
        f = decision.finding
        place = f.path if not f.path.startswith(("output", "input")) else "the " + f.path
        parts.append(f"{f.message} ({f.masked}) in {place}")
    more = len(blocked) - len(parts)
    tail = f" and {more} more finding(s)" if more > 0 else ""
    return "leakguard blocked this request: " + "; ".join(parts) + tail
