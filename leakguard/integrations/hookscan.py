"""What every AI-tool hook shares: the project's policy, one scan over a few texts,
reasons that name findings masked, placeholders from the session's vault, and the
audit event for each decision.

A ``HookSession`` is one hook call's view of the world; the ``Services`` behind it
are fresh per process for command hooks and cached for the resident HTTP endpoint.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from leakguard.models import Action, Decision, Fragment, ScanResult, Skip, Verdict

if TYPE_CHECKING:
    from leakguard.detectors import Detector
    from leakguard.policy.model import Policy
    from leakguard.transform.vault import Vault

SHOWN_FINDINGS = 5


class Services(Protocol):
    """Where a hook gets its policy, detectors and audit log."""

    def policy(self, cwd: Path) -> Policy: ...

    def detectors(self, policy: Policy) -> Sequence[Detector]: ...

    def audit(self, policy: Policy, **fields: Any) -> str:
        """Record one decision; returns the stored verdict (a budget may block)."""
        ...


class DirectServices:
    """One-shot services for a command hook: load, build and record once."""

    def __init__(self, policy_file: Path | None = None) -> None:
        self.policy_file = policy_file

    def policy(self, cwd: Path) -> Policy:
        from leakguard.policy import load_policy

        return load_policy(cwd, self.policy_file)

    def detectors(self, policy: Policy) -> Sequence[Detector]:
        from leakguard.detectors.build import build_detectors

        return build_detectors(policy)

    def audit(self, policy: Policy, **fields: Any) -> str:
        from leakguard.audit.record import record

        return record(policy, **fields).verdict


class HookSession:
    """One hook call: which tool, where, for which session, under which policy (loaded,
    like the detectors, when first needed). A plain mutable class: a dataclass would
    compile its methods at every start."""

    def __init__(self, tool: str, destination: str | None, cwd: Path, session_id: str,
                 services: Services) -> None:
        self.tool, self.destination, self.cwd = tool, destination, cwd
        self.session_id, self.services = session_id, services
        self._policy: Policy | None = None
        self._detectors: Sequence[Detector] | None = None

    def __repr__(self) -> str:
        return (f"HookSession(tool={self.tool!r}, destination={self.destination!r}, "
                f"cwd={self.cwd!r}, session_id={self.session_id!r})")

    @property
    def policy(self) -> Policy:
        if self._policy is None:
            self._policy = self.services.policy(self.cwd)
        return self._policy

    def scan(self, items: Sequence[Fragment | Skip]) -> ScanResult:
        from leakguard.scan import run_pipeline

        if self._detectors is None:
            self._detectors = self.services.detectors(self.policy)
        return run_pipeline(items, self._detectors, self.policy, self.destination)

    def record(self, verdict: Verdict, payload: bytes) -> bool:
        """The audit event for a decision; True when the log turned an allow into a
        block (a daily budget is used up)."""
        stored = self.services.audit(
            self.policy, door="hook", tool=self.tool, destination=self.destination or "",
            payload_sent=payload, bytes_received=0, verdict=verdict,
            session_id=self.session_id,
        )
        return verdict.action is not Action.BLOCK and stored == "block"

    def display(self, path: Path) -> str:
        """A file's path as policy globs see it: relative to the repository policy's
        folder (else the session's folder) when inside it."""
        absolute = path if path.is_absolute() else self.cwd / path
        absolute = Path(os.path.normpath(absolute))
        for base in (self.policy.root, str(self.cwd)):
            if not base:
                continue
            try:
                return absolute.relative_to(Path(os.path.normpath(base))).as_posix()
            except ValueError:
                continue
        return absolute.as_posix()

    def is_protected(self, shown: str) -> bool:
        """Under the policy's protected globs (content or not: binaries count too)."""
        from leakguard.allowlist import path_matches

        return any(path_matches(shown, g) for g in self.policy.proprietary.paths)

    @contextmanager
    def vault(self) -> Iterator[Vault]:
        """This session's vault, so one value keeps one placeholder across calls."""
        from leakguard.transform import vault as vaults

        with vaults.opened(session_vault_path(self.tool, self.session_id),
                           vaults.vault_key()) as opened:
            yield opened


def session_vault_path(tool: str, session_id: str) -> Path:
    import hashlib  # here: most hook calls never open a vault (start-up)

    from leakguard.transform.vault import state_dir

    digest = hashlib.sha256(f"{tool}\0{session_id}".encode()).hexdigest()[:24]
    return state_dir() / "hooks" / f"{tool}-{digest}.vault"


def decisions_for(verdict: Verdict, path: str) -> list[Decision]:
    return [d for d in verdict.decisions if d.finding.path == path]


def anonymize_fragment(session: HookSession, verdict: Verdict, fragment: Fragment,
                       vault: Vault) -> str:
    """``fragment``'s text with its anonymize findings replaced by placeholders."""
    from leakguard.transform.anonymize import anonymize, targets

    found = targets(decisions_for(verdict, fragment.path), session.policy.pii.operators)
    return anonymize(fragment.text, found, vault).text if found else fragment.text


def restore_text(text: str, vault: Vault) -> str:
    from leakguard.transform.restore import restore

    return restore(text, vault).text if len(vault) else text


def _shown(decision: Decision) -> str:
    f = decision.finding
    where = f" in {f.path}" if not f.path.startswith("<") else ""
    return f"{f.category.value} {f.rule_id} {f.masked}{where} line {f.line}"


def summary(verdict: Verdict, *, actions: Sequence[Action] = (Action.BLOCK,)) -> str:
    """The findings behind a decision, masked, at most a few."""
    chosen = [d for d in verdict.active if d.action in actions]
    if not chosen:
        return "the destination is not allowed by the policy"
    shown = "; ".join(_shown(d) for d in chosen[:SHOWN_FINDINGS])
    more = f" (and {len(chosen) - SHOWN_FINDINGS} more)" if len(chosen) > SHOWN_FINDINGS else ""
    return f"{len(chosen)} finding(s): {shown}{more}"


def block_reason(what: str, verdict: Verdict, advice: str = "") -> str:
    text = f"leakguard blocked {what}: {summary(verdict)}."
    return f"{text} {advice}".rstrip()


def cannot_rewrite_reason(what: str, verdict: Verdict, tool_name: str,
                          noun: str = "a prompt") -> str:
    found = summary(verdict, actions=(Action.BLOCK, Action.ANONYMIZE))
    return (
        f"leakguard blocked {what}: {found}. The policy says to anonymize these values, "
        f"but {tool_name} cannot rewrite {noun}, so nothing was sent. Remove the values, "
        "or start the tool through leakguard's proxy (`leakguard run -- <command>`), "
        "which replaces them with placeholders."
    )


def warn_message(verdict: Verdict) -> str | None:
    warned = [d for d in verdict.active if d.action is Action.WARN]
    if not warned:
        return None
    return f"leakguard: warning: {summary(verdict, actions=(Action.WARN,))}"
