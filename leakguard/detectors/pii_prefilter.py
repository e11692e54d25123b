"""Cheap PII candidates: one combined regex decides whether Presidio is needed at all.

Importing Presidio costs seconds and analysing whole files with it is slow, so the
detector only hands it small windows around what this pass finds: an '@' between
word characters, digit runs shaped like phones, cards or SSNs, IBAN and IP shapes,
deny-list terms and the policy's own patterns. Pure ``re``; no third-party import.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from leakguard.errors import ConfigError
from leakguard.policy.model import PiiSettings
from leakguard.record import Record, record

# Generous on purpose: Presidio and the validators decide; this only must not miss.
# Each regex starts with a literal or a narrow class so ``re`` skips ahead quickly.
_EMAIL = re.compile(r"@[\w-]+(?:\.[\w-]+)*\.[A-Za-z][\w-]*")
# Phones, cards, SSNs and IBAN digits: at least seven digits, separators between them.
# Requiring the seven digits in the regex (not after it) keeps code's short numbers,
# such as the line numbers AI tools prefix to file contents, out of Python entirely.
_DIGITS = re.compile(r"\d(?:[ \t().:/-]{0,4}\d){6,30}")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])")
# The last three octets: starts at a literal '.', so ``re`` skips ahead fast (code has
# far more digits than dots followed by digits); the first octet is found by hand.
_IPV4_TAIL = re.compile(r"\.\d{1,3}\.\d{1,3}\.\d{1,3}(?!\d)")
_IPV6 = re.compile(r":[0-9A-Fa-f]{1,4}:|::[0-9A-Fa-f]{1,4}(?!\w)")
_IPV6_TOKEN = re.compile(r"[0-9A-Fa-f:.]+")
_BARE = re.compile(r"\d+")
# IBAN: country code, check digits, then letters or digits (the digits alone may be few).
_IBAN = re.compile(r"[A-Z]{2}\d\d ?[A-Z0-9]{4}")
# A bare 7-12 digit number is reported only after such a word (Presidio's context),
# so without one it needs no analysis: code is full of such numbers.
_CONTEXT_WORDS = (
    "phone", "tel", "call", "mobile", "cell", "fax", "number", "contact", "reach", "ssn",
    "social", "security", "card", "account", "iban", "bank",
)
_DIGIT_ENTITIES = frozenset({"PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "IBAN_CODE"})
# Entities these shapes cover; others (names via NER) need the whole text.
PATTERN_ENTITIES = frozenset({*_DIGIT_ENTITIES, "EMAIL_ADDRESS", "IP_ADDRESS"})

Span = tuple[int, int]
Candidate = tuple[str, int, int]  # kind (email, digits, ip, term, custom), start, end
Window = tuple[int, int, frozenset[str]]  # start, end, kinds of the candidates inside
ALL_KINDS = frozenset({"all"})  # a window every recognizer should read (NER)
Offsets = list[tuple[int, int, int]]  # joined start, joined end, original start
# Windows are analysed joined by this separator, in batches of about BATCH characters:
# one Presidio call has a fixed cost, and its context step grows with results x tokens.
JOIN = "\n\n"
BATCH = 240
CHUNK = 16_000  # NER reads whole texts in chunks of this size


@record
class Prefilter(Record):
    """Finds candidate spans; ``windows`` widens them to what Presidio should see."""

    email: bool
    digits: bool
    iban: bool
    ip: bool
    terms: re.Pattern[str] | None
    custom: tuple[re.Pattern[str], ...]

    def candidates(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        if self.email and "@" in text:
            found.extend(("email", m.start(), m.end()) for m in _EMAIL.finditer(text))
        addresses: list[Span] = []
        if self.ip:
            addresses = ipv4_spans(text)
            found.extend(("ip", start, end) for start, end in addresses)
        # For ASCII text, the digit and IBAN shapes are found on a copy with one byte
        # per character class: the same spans, several times faster than ``\d`` and
        # ``[A-Z]`` over the text itself (code is full of both).
        classes = None
        if (self.digits or self.iban) and text.isascii():
            classes = text.encode("ascii").translate(_CLASSES)
        if self.digits:
            for start, end in _digit_spans(text, classes):
                found.extend(self._digit_run(text, start, end, addresses))
        if self.iban:
            for start, end in _iban_spans(text, classes):
                if start == 0 or not text[start - 1].isalnum():
                    found.append(("digits", start, end))
        if self.ip and ":" in text:
            found.extend(_ipv6(text))
        if self.terms is not None:
            found.extend(("term", m.start(), m.end()) for m in self.terms.finditer(text))
        for pattern in self.custom:
            found.extend(("custom", m.start(), m.end()) for m in pattern.finditer(text)
                         if m.end() > m.start())
        found.sort(key=lambda c: (c[1], c[2]))
        return found

    def _digit_run(self, text: str, start: int, end: int, addresses: list[Span]) -> list[Candidate]:
        run = text[start:end]
        if any(a < end and b > start for a, b in addresses):
            return []  # an IPv4 address, reported as such
        if _BARE.fullmatch(run) and len(run) <= 12:
            before = text[max(0, start - 40) : start].lower()
            if not any(word in before for word in _CONTEXT_WORDS):
                return []
        return [("digits", start, start + len(run))]

    def windows(
        self,
        text: str,
        keep: Callable[[str, str, int, int], bool] | None = None,
        before: int = 48,
        after: int = 24,
    ) -> list[Window]:
        """Merged windows around candidates (those ``keep`` accepts), clipped to their line.

        ``before`` leaves room for the context words Presidio looks for ("phone:",
        "SSN") ahead of a value; lines bound the window so code around it stays out.
        """
        found = [c for c in self.candidates(text) if keep is None or keep(c[0], text, c[1], c[2])]
        return merge_windows(text, found, before, after)


# One byte per character class: A-Z as "A", digits as "0", the separators _DIGITS
# allows between digits as "s", anything else as ".".
def _class_table() -> bytes:
    table = bytearray(b"." * 256)
    for members, cls in ((b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"A"), (b"0123456789", b"0"),
                         (b" \t().:/-", b"s")):
        for byte in members:
            table[byte] = cls[0]
    return bytes(table)


_CLASSES = _class_table()
_DIGITS_BY_CLASS = re.compile(rb"0(?:s{0,4}0){6,30}")  # _DIGITS on the class bytes
_IBAN_HEAD = b"AA00"  # where an _IBAN match can start: two capitals, two digits


def _digit_spans(text: str, classes: bytes | None) -> list[Span]:
    if classes is None:
        return [m.span() for m in _DIGITS.finditer(text)]
    return [m.span() for m in _DIGITS_BY_CLASS.finditer(classes)]


def _iban_spans(text: str, classes: bytes | None) -> list[Span]:
    if classes is None:
        return [m.span() for m in _IBAN.finditer(text)]
    spans: list[Span] = []
    position = classes.find(_IBAN_HEAD)
    while position >= 0:
        # Tried left to right, after the last match's end: as finditer does.
        match = _IBAN.match(text, position)
        if match is not None:
            spans.append(match.span())
            position = classes.find(_IBAN_HEAD, match.end())
        else:
            position = classes.find(_IBAN_HEAD, position + 1)
    return spans


def ipv4_spans(text: str) -> list[Span]:
    """Spans of dotted quads, as ``_IPV4.finditer`` gives them, about 50 times faster."""
    spans: list[Span] = []
    for match in _IPV4_TAIL.finditer(text):
        tail = match.start()
        start = tail
        # isdecimal, as ``\d`` means: '²'.isdigit() is true but it is no digit here.
        while start > 0 and tail - start < 3 and text[start - 1].isdecimal():
            start -= 1
        if start == tail or (start > 0 and (text[start - 1].isdecimal() or text[start - 1] == ".")):
            continue
        spans.append((start, match.end()))
    return spans


def _ipv6(text: str) -> list[Candidate]:
    found: list[Candidate] = []
    last_end = -1
    for match in _IPV6.finditer(text):
        start = match.start()
        while start > 0 and _IPV6_TOKEN.match(text[start - 1]):
            start -= 1
        token = _IPV6_TOKEN.match(text, start)
        if token is None or token.end() <= last_end:
            continue
        last_end = token.end()
        value = token.group().rstrip(".:")
        import ipaddress  # only when a colon-joined hex shape is found

        try:
            ipaddress.IPv6Address(value)
        except ValueError:
            continue  # 12:30:45, a::b and other colon-joined words
        found.append(("ip", start, start + len(value)))
    return found


def merge_windows(
    text: str, candidates: Iterable[Candidate], before: int, after: int
) -> list[Window]:
    merged: list[Window] = []
    for kind, start, end in candidates:
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
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], high), last[2] | {kind})
        else:
            merged.append((low, high, frozenset({kind})))
    return merged


def _is_word(char: str) -> bool:
    return char.isalnum() or char in "_@.+-"


def _deny_terms(settings: PiiSettings) -> list[str]:
    terms = {t for values in settings.deny_lists.values() for t in values if t.strip()}
    return sorted(terms, key=len, reverse=True)


def build_prefilter(settings: PiiSettings) -> Prefilter:
    """The candidate regexes for the policy's entities, deny lists and custom patterns."""
    entities = set(settings.entities)
    terms = _deny_terms(settings)
    term_regex = None
    if terms:
        term_regex = re.compile(
            r"(?i:\b(?:" + "|".join(re.escape(t) for t in terms) + r")\b)"
        )
    custom = []
    for recognizer in settings.recognizers:
        try:
            custom.append(re.compile(recognizer.pattern))
        except re.error as exc:
            raise ConfigError(
                f"pii.recognizers: pattern for {recognizer.entity} is not a valid regex: {exc}"
            ) from None
    return Prefilter(
        email="EMAIL_ADDRESS" in entities,
        digits=bool(entities & _DIGIT_ENTITIES),
        iban="IBAN_CODE" in entities,
        ip="IP_ADDRESS" in entities,
        terms=term_regex,
        custom=tuple(custom),
    )


def line_chunks(text: str, size: int) -> list[Window]:
    chunks: list[Window] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            end = cut + 1 if cut > start else end
        chunks.append((start, end, ALL_KINDS))
        start = end
    return chunks


Batch = tuple[str, Offsets, frozenset[str]]


def batches(text: str, windows: list[Window]) -> list[Batch]:
    """Windows joined into few Presidio calls (one call costs more than its text);
    ``offsets`` map positions in a joined batch back to the original text."""
    out: list[Batch] = []
    parts: list[str] = []
    offsets: Offsets = []
    kinds: set[str] = set()
    size = 0
    for start, end, window_kinds in windows:
        if parts and size + end - start > BATCH:
            out.append(("".join(parts), offsets, frozenset(kinds)))
            parts, offsets, kinds, size = [], [], set(), 0
        if parts:
            parts.append(JOIN)
            size += len(JOIN)
        offsets.append((size, size + end - start, start))
        parts.append(text[start:end])
        kinds |= window_kinds
        size += end - start
    if parts:
        out.append(("".join(parts), offsets, frozenset(kinds)))
    return out


def to_original(position: int, offsets: Offsets) -> int | None:
    for low, high, original in offsets:
        if low <= position < high:
            return original + position - low
    return None  # inside a separator: cannot happen for a real match
