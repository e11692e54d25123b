"""Spans to replacements, applied right to left: placeholder, mask, hash, encrypt or redact.

Overlapping findings from different detectors yield one replacement (the most severe
wins: action, then severity, then the longer span), so nothing is replaced twice.
Text that already looks like one of the vault's placeholders is itself replaced by a
placeholder standing for that literal text, and so is anything shaped like an encrypted
value (``ENC_...``), so restoring gives back the input exactly; every reversible result
is checked by restoring it before anyone sees it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from leakguard.errors import ConfigError, ScanError
from leakguard.masking import value_hash
from leakguard.models import Action, Decision
from leakguard.transform import encrypt, placeholders
from leakguard.transform.restore import known_pattern, restore
from leakguard.transform.vault import Vault

PLACEHOLDER = "placeholder"
ENCRYPT = "encrypt"
_REVERSIBLE = frozenset({PLACEHOLDER, ENCRYPT})


@dataclass(frozen=True)
class Target:
    """A span to replace, what it is, how, and how much it matters in an overlap."""

    start: int
    end: int
    type_name: str
    operator: str = PLACEHOLDER
    rank: tuple[int, int] = (0, 0)  # (action rank, severity rank)


@dataclass(frozen=True)
class Applied:
    """What was done to one span (never the original value)."""

    start: int
    end: int
    type_name: str
    operator: str
    replacement: str


@dataclass(frozen=True)
class Redacted:
    text: str
    applied: tuple[Applied, ...]


def targets(decisions: Iterable[Decision], operators: Mapping[str, str]) -> list[Target]:
    """The spans the policy said to anonymize, each with its entity's operator."""
    out = []
    for decision in decisions:
        if decision.suppressed_by is not None or decision.action is not Action.ANONYMIZE:
            continue
        finding = decision.finding
        operator = operators.get(finding.entity or "", PLACEHOLDER)
        out.append(
            Target(
                finding.start, finding.end, placeholders.placeholder_type(finding), operator,
                (decision.action.rank, finding.severity.rank),
            )
        )
    return out


def resolve(found: Iterable[Target]) -> list[Target]:
    """Non-overlapping targets, most severe first, returned in text order."""
    ranked = sorted(found, key=lambda t: (t.rank, t.end - t.start, -t.start), reverse=True)
    kept: list[Target] = []
    for target in ranked:
        if target.end > target.start and all(
            target.end <= k.start or target.start >= k.end for k in kept
        ):
            kept.append(target)
    return sorted(kept, key=lambda t: t.start)


def _literals(text: str, vault: Vault) -> list[Target]:
    top = (99, 99)  # an escaped literal must never be left half-replaced
    known = known_pattern(vault)
    found = [m.span() for m in known.finditer(text)] if known is not None else []
    # Every encrypted-value look-alike, with or without a key here: restore must
    # never open one the input already held.
    found += [m.span() for m in encrypt.TOKEN.finditer(text)] if encrypt.MARK in text else []
    return [Target(start, end, placeholders.LITERAL, PLACEHOLDER, top) for start, end in found]


def _replacement(
    value: str, target: Target, vault: Vault, text: str, sealed: dict[tuple[str, str], str],
    key: bytes | None,
) -> str:
    if target.operator == PLACEHOLDER:
        return vault.placeholder_for(value, target.type_name, avoid=text)
    if target.operator == ENCRYPT:
        if key is None:
            raise ConfigError(f"pii.operators chooses encrypt, but there is no key: "
                              f"{encrypt.KEY_HINT}")
        # Made once per value and type in a text: a random IV would differ each time.
        known = sealed.get((value, target.type_name))
        if known is None:
            known = sealed[value, target.type_name] = encrypt.seal(value, target.type_name, key)
        return known
    if target.operator == "mask":
        keep = 4 if len(value) >= 12 else 0
        return "*" * (len(value) - keep) + value[len(value) - keep :]
    if target.operator == "hash":
        return f"{target.type_name}_{value_hash(value)[7:19]}"
    if target.operator == "redact":
        return ""
    raise ScanError(f"unknown anonymization operator {target.operator!r}")


def anonymize(
    text: str, found: Iterable[Target], vault: Vault, encrypt_key: bytes | None = None
) -> Redacted:
    """Replace every chosen span; raise ScanError (nothing returned) if the result
    would not restore to ``text`` exactly. ``encrypt_key`` is needed by ``encrypt``
    targets only (ConfigError without it)."""
    chosen = resolve([*_literals(text, vault), *found])
    # Placeholders are numbered in reading order; the text is then rebuilt right to
    # left so earlier offsets stay valid.
    sealed: dict[tuple[str, str], str] = {}
    replacements = [
        _replacement(text[t.start : t.end], t, vault, text, sealed, encrypt_key) for t in chosen
    ]
    pieces: list[str] = []
    applied: list[Applied] = []
    cursor = len(text)
    for target, replacement in zip(reversed(chosen), reversed(replacements), strict=True):
        pieces.append(text[target.end : cursor])
        pieces.append(replacement)
        cursor = target.start
        applied.append(
            Applied(target.start, target.end, target.type_name, target.operator, replacement)
        )
    pieces.append(text[:cursor])
    result = "".join(reversed(pieces))
    reversible = all(t.operator in _REVERSIBLE for t in chosen)
    if reversible and restore(result, vault, key=encrypt_key).text != text:
        raise ScanError("anonymized text would not restore exactly; nothing was output")
    return Redacted(result, tuple(reversed(applied)))
