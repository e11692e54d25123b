"""Cheap PII candidates: one combined regex decides whether Presidio is needed at all.

Importing Presidio costs seconds and analysing whole files with it is slow, so the
detector only hands it small windows around what this pass finds: an '@' between
word characters, digit runs shaped like phones, cards or SSNs, IBAN and IP shapes,
deny-list terms and the policy's own patterns. Pure ``re``; no third-party import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from leakguard.errors import ConfigError
from leakguard.policy.model import PiiSettings

# Generous on purpose: Presidio and the validators decide; this only must not miss.
_SHAPES: dict[str, str] = {
    "EMAIL_ADDRESS": r"[\w.%+'-]@[\w-]+\.[\w.-]*[A-Za-z]",
    # Phones, cards and SSNs share one shape: 7+ digits with common separators.
    "PHONE_NUMBER": r"(?<![\w.])[+(]?\d[\d \t().-]{5,24}\d",
    "CREDIT_CARD": r"(?<!\d)\d(?:[ -]?\d){12,18}(?!\d)",
    "US_SSN": r"(?<!\d)\d{3}[- .]?\d{2}[- .]?\d{4}(?!\d)",
    "IBAN_CODE": r"\b[A-Za-z]{2}\d{2}[ -]?[A-Za-z0-9]{4}",
    "IP_ADDRESS": (
        r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])"
        r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){2,7}:?[0-9A-Fa-f]{1,4}"
        r"|(?<![\w:])(?:[0-9A-Fa-f]{1,4}:){1,6}:[0-9A-Fa-f]{1,4}"
        r"|(?<![\w:])::(?:ffff:)?[0-9A-Fa-f]{1,4}[:.]"
    ),
}
# Entities that a shape above covers; others (names via NER) need the whole text.
PATTERN_ENTITIES = frozenset(_SHAPES)

Span = tuple[int, int]
Offsets = list[tuple[int, int, int]]  # joined start, joined end, original start
# Windows are analysed joined by this separator, a few Presidio calls per fragment.
JOIN = "\n\n"
CHUNK = 16_000


@dataclass(frozen=True)
class Prefilter:
    """Finds candidate spans; ``windows`` widens them to what Presidio should see."""

    combined: re.Pattern[str] | None
    custom: tuple[re.Pattern[str], ...]

    def candidates(self, text: str) -> list[Span]:
        spans: list[Span] = []
        if self.combined is not None:
            spans.extend(m.span() for m in self.combined.finditer(text))
        for pattern in self.custom:
            spans.extend(m.span() for m in pattern.finditer(text) if m.end() > m.start())
        spans.sort()
        return spans

    def windows(
        self,
        text: str,
        keep: Callable[[str], bool] | None = None,
        before: int = 48,
        after: int = 24,
    ) -> list[Span]:
        """Merged windows around candidates (those ``keep`` accepts), clipped to their line.

        ``before`` leaves room for the context words Presidio looks for ("phone:",
        "SSN") ahead of a value; lines bound the window so code around it stays out.
        """
        spans = self.candidates(text)
        if keep is not None:
            spans = [s for s in spans if keep(text[s[0] : s[1]])]
        return merge_windows(text, spans, before, after)


def merge_windows(text: str, spans: Iterable[Span], before: int, after: int) -> list[Span]:
    merged: list[Span] = []
    for start, end in spans:
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if line_end < 0:
            line_end = len(text)
        low = max(line_start, start - before)
        high = min(line_end, end + after)
        # Do not cut a word in two: Presidio's patterns rely on word boundaries.
        while low > line_start and _is_word(text[low - 1]):
            low -= 1
        while high < line_end and _is_word(text[high]):
            high += 1
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_@.+-"


def _deny_terms(settings: PiiSettings) -> list[str]:
    terms = {t for values in settings.deny_lists.values() for t in values if t.strip()}
    return sorted(terms, key=len, reverse=True)


def build_prefilter(settings: PiiSettings) -> Prefilter:
    """The combined regex for the policy's entities, deny lists and custom patterns."""
    parts = [_SHAPES[e] for e in settings.entities if e in _SHAPES]
    terms = _deny_terms(settings)
    if terms:
        parts.append(r"(?i:\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b)")
    combined = re.compile("|".join(f"(?:{p})" for p in parts)) if parts else None
    custom = []
    for recognizer in settings.recognizers:
        try:
            custom.append(re.compile(recognizer.pattern))
        except re.error as exc:
            raise ConfigError(
                f"pii.recognizers: pattern for {recognizer.entity} is not a valid regex: {exc}"
            ) from None
    return Prefilter(combined, tuple(custom))


def line_chunks(text: str, size: int) -> list[tuple[int, int]]:
    chunks, start = [], 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        chunks.append((start, end))
        start = end
    return chunks


def batches(text: str, windows: list[tuple[int, int]]) -> list[tuple[str, Offsets]]:
    """Windows joined into few Presidio calls (one call costs more than its text);
    ``offsets`` map positions in a joined batch back to the original text."""
    batches: list[tuple[str, Offsets]] = []
    parts: list[str] = []
    offsets: Offsets = []
    size = 0
    for start, end in windows:
        if parts and size + end - start > CHUNK:
            batches.append(("".join(parts), offsets))
            parts, offsets, size = [], [], 0
        if parts:
            parts.append(JOIN)
            size += len(JOIN)
        offsets.append((size, size + end - start, start))
        parts.append(text[start:end])
        size += end - start
    if parts:
        batches.append(("".join(parts), offsets))
    return batches


def to_original(position: int, offsets: Offsets) -> int | None:
    for low, high, original in offsets:
        if low <= position < high:
            return original + position - low
    return None  # inside a separator: cannot happen for a real match
