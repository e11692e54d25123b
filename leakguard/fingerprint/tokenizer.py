"""The array lexer: text -> normalized token stream for one ``Profile``.

Regular expressions find only comments and string literals (then import statements, in
the text with those blanked out); every other decision is an operation on whole arrays
(``chars``): word boundaries, attributes (".name", "->name"), classes, codes. A token's
code is a keyed-later 64-bit value: class codes for identifiers and numbers, a hash of
the text for kept words, attribute names, operators and string literal contents.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from leakguard.fingerprint import imports
from leakguard.fingerprint.chars import (
    ALPHA,
    DIGIT,
    SPACE,
    WORD,
    SpanHasher,
    classes,
    codepoints,
    mix,
    span_mask,
    word_hash,
)
from leakguard.fingerprint.docstrings import docstring_item
from leakguard.fingerprint.normalize import (
    ATTRIBUTE_BIT,
    DROP,
    IDENT,
    ITEM_TELLING,
    KEPT_BIT,
    LITERAL_BIT,
    NUMBER,
    TokenStream,
    stream_from_codes,
)
from leakguard.fingerprint.profiles import Profile

Codes = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
Chars = npt.NDArray[np.uint32]
Kinds = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]

_ATTRIBUTE, _LITERAL, _KEPT = (np.uint64(b) for b in (ATTRIBUTE_BIT, LITERAL_BIT, KEPT_BIT))
_LENGTH_MIX = np.uint64(0x9FB21C651E98DF25)
# A markdown fence as CommonMark has it: at most three spaces in. Deeper lines (a ``` or
# ~~~ inside an indented docstring, a reST underline) belong to the code around them.
_FENCE = re.compile(r"^ {0,3}(?:```[^`\n]*|~~~[^\n]*)$", re.MULTILINE)
_NL, _SPACE, _TAB, _QUOTE, _APOSTROPHE = 10, 32, 9, 34, 39
_NUMBER_BASE = 0x100000001B3  # FNV prime: distinct short spellings, distinct values


def _salt(profile: str, kind: str) -> np.uint64:
    digest = hashlib.blake2b(f"{profile}\0{kind}".encode(), digest_size=8).digest()
    return np.uint64(int.from_bytes(digest, "little"))  # type: ignore[no-any-return]


def _kept(values: Codes, salt: np.uint64) -> Codes:
    """Codes of kept tokens: bit 63 set (never a class code), bits 62 and 61 clear."""
    return np.asarray((mix(values ^ salt) & ~(_ATTRIBUTE | _LITERAL)) | _KEPT, np.uint64)


@dataclass
class Tokenizer:
    """Normalizes text with one profile; reuse it (it keeps a table of powers)."""

    profile: Profile
    _hasher: SpanHasher = field(default_factory=SpanHasher, repr=False)
    _item_codes: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        name = self.profile.name
        kinds = ("word", "attribute", "string", "char", "number", "name")
        self._salts = {k: _salt(name, k) for k in kinds}
        self._keep = np.unique(np.array([word_hash(w) for w in self.profile.keep], np.uint64))
        own = [word_hash(w) for w in ("self", "cls", "this") if w in self.profile.keep]
        self._own = np.sort(_kept(np.array(own, np.uint64), self._salts["word"]))
        self._ascii = _kept(np.arange(128, dtype=np.uint64), self._salts["char"])
        self._comment_starts = np.array(
            [ord(c) for c in self.profile.comment_starts], np.uint32
        )
        self._sigils = np.array([ord(c) for c in self.profile.sigils], np.uint32)
        for char in self.profile.drop:
            self._ascii[ord(char)] = DROP

    def tokenize(self, text: str, fenced: bool = True, telling: bool = True) -> TokenStream:
        """``fenced``: the text may be a prompt holding markdown-fenced blocks, each lexed
        alone; a source file is lexed whole (a fence-like line in it is a docstring's).
        ``telling``: also what each token and item tells, which only judging a match
        needs (a build stores hashes alone)."""
        n = len(text)
        cp = codepoints(text)
        kinds = classes(cp)
        newline = cp == _NL
        lines = np.zeros(n + 1, np.int32)  # newlines before each position
        np.cumsum(newline, out=lines[1:])
        pieces = _pieces(text) if fenced else [(0, n)]
        starts, ends = self._literals(text, pieces)
        inside = span_mask(n, starts, ends)
        dropped, docstrings = self._dropped(cp, kinds, starts, ends)
        strings = ~dropped
        statements, found = self._imports(text, cp, inside & ~newline, starts[strings], pieces)
        removed = inside | statements
        strings &= ~statements[starts]

        code_at = np.zeros(n, np.uint64)
        names_at = np.zeros(n, np.uint64)
        mark = newline.copy()  # newline tokens (code 0) keep the raw stream in order
        prefix = self._hasher.prefix(cp)
        words = prefix
        if self.profile.fold_case:  # words of a case-blind language hash as lower case
            upper = (cp >= 65) & (cp <= 90)
            words = self._hasher.prefix(np.where(upper, cp + np.uint32(32), cp))
        weak = np.zeros(n, bool)  # literals of three characters or fewer: never paired
        words_at = np.zeros(n, np.int32) if telling else None
        self._strings(cp, kinds, prefix, starts[strings], ends[strings], code_at, mark, weak,
                      words_at)
        # A comment within a line separates tokens like a blank (".  /* c */ name").
        short = ~strings & (lines[ends] == lines[starts])
        consumed = self._words(cp, kinds, removed, (starts[short], ends[short]), words,
                               code_at, names_at, mark)
        punct = ~removed & ((kinds & (WORD | SPACE)) == 0)
        punct[consumed] = False
        at = np.flatnonzero(punct)
        chars = cp[at]
        wide = _kept(chars.astype(np.uint64), self._salts["char"])
        code_at[at] = np.where(chars < 128, self._ascii[np.minimum(chars, 127)], wide)
        mark[at] = True

        positions = np.flatnonzero(mark)
        raw = code_at[positions]
        # Our own object's attributes (self.x, this->x) are renamed with the class: they
        # count as identifiers.
        own = np.flatnonzero(_member(raw[:-1], self._own)) + 1
        own = own[(raw[own] & _ATTRIBUTE) != 0]
        raw[own] = IDENT
        names = np.where(raw == IDENT, names_at[positions], np.uint64(0))
        stream = stream_from_codes(self.profile.name, raw, lines[positions] + 1, names,
                                   weak[positions],
                                   None if words_at is None else words_at[positions])
        at = starts[docstrings]
        docs = [(line, text[lo:hi]) for line, lo, hi in
                zip((lines[at] + 1).tolist(), at.tolist(), ends[docstrings].tolist(), strict=True)]
        return self._with_items(stream, found, lines, docs, telling)

    def _with_items(self, stream: TokenStream, found: list[tuple[int, str]],
                    lines: npt.NDArray[np.int32], docs: list[tuple[int, str]],
                    telling: bool) -> TokenStream:
        """The stream with what its import statements name (``imports``) and its
        docstrings (``docstrings``)."""
        name = self.profile.name
        # A statement's text starts with the newline before it: its line 1 is the one
        # holding ``start``.
        named = imports.items([statement for _, statement in found]) if found else []
        per = [(int(lines[found[number][0]]) + line, item) for number, line, item in named]
        said = [(line, item) for line, doc in docs
                if (item := docstring_item(name, doc)) is not None]
        if not per and not said:
            return stream
        where = np.array([line for line, _ in per] + [line for line, _ in said], np.int32)
        cache = self._item_codes  # names recur from file to file (Optional, Path, ...)
        if len(cache) > 100_000:
            cache.clear()
        codes = np.array(
            [cache.get(item) or cache.setdefault(item, imports.item_code(name, item))
             for _, item in per] + [code for _, (code, _) in said],
            np.uint64,
        )
        if stream.items is not None and stream.item_lines is not None:
            # Pairs of literals (``stream_from_codes``) come first.
            codes = np.concatenate([stream.items, codes])
            where = np.concatenate([stream.item_lines, where])
        tells = None
        if telling and said:  # imported names and pairs tell ITEM_TELLING, docstrings more
            tells = np.full(codes.shape[0], ITEM_TELLING, np.int32)
            tells[codes.shape[0] - len(said):] = [told for _, (_, told) in said]
        return replace(stream, items=codes, item_lines=where.astype(np.int32),
                       item_tells=tells)

    def _literals(self, text: str, pieces: list[tuple[int, int]]) -> tuple[Ints, Ints]:
        """Comments and string literals. Each markdown-fenced piece is searched alone:
        code pasted into a prompt is often cut mid-file, and an open string must not
        swallow the next block."""
        pattern = self.profile.strip
        spans = [m.span() for lo, hi in pieces for m in pattern.finditer(text, lo, hi)]
        found = np.array(spans, np.int64).reshape(-1, 2)
        return found[:, 0], found[:, 1]

    def _dropped(self, cp: Chars, kinds: Kinds, starts: Ints, ends: Ints) -> tuple[Mask, Ints]:
        """Literal spans that leave no token: comments, and docstrings (a triple-quoted
        string with only indentation before it on its line); and which are docstrings."""
        dropped = np.isin(cp[starts], self._comment_starts)
        if not self.profile.docstrings:
            return np.asarray(dropped, bool), np.zeros(0, np.int64)
        triple = np.flatnonzero(_triple(cp, starts, ends))
        before = starts[triple] - 1
        todo = np.flatnonzero(before >= 0)
        while todo.shape[0]:  # back over the indentation, a step per column
            at = before[todo]
            todo = todo[((kinds[at] & SPACE) != 0) & (cp[at] != _NL)]
            before[todo] -= 1
            todo = todo[before[todo] >= 0]
        alone = (before < 0) | (cp[np.maximum(before, 0)] == _NL)
        dropped[triple[alone]] = True
        return np.asarray(dropped, bool), triple[alone]

    def _imports(self, text: str, cp: Chars, blank: Mask, strings: Ints,
                 pieces: list[tuple[int, int]]) -> tuple[Mask, list[tuple[int, str]]]:
        """Import statements and fence lines, as a mask, and each statement (its start
        and its text, literals and comments blanked). Imports are matched in the text
        with comments and literals blanked out (line breaks kept), each string literal
        leaving a word behind ("x" or "W  " are not "import x")."""
        pattern, tail = self.profile.imports, self.profile.import_tail
        matches: list[re.Match[str]] = []
        # A language without import statements needs no blanked copy of the text.
        if pattern is not None:
            if strings.shape[0] or blank.any():
                spaced = cp.copy()
                spaced[blank] = _SPACE
                # The word sits after a blank, or on the quote when the line breaks there.
                spaced[strings + (cp[strings + 1] != _NL)] = ord("W")
                text = spaced.tobytes().decode("utf-32-le", "surrogatepass")
            text = "\n" + text
            matches = [
                m for lo, hi in pieces
                for m in pattern.finditer(text, lo + 1 if lo else 0, hi + 1)
            ]
            if tail is not None:
                opened = (tail.match(text, lo + 1 if lo else 0, hi + 1) for lo, hi in pieces)
                matches += [m for m in opened if m is not None]
        # Positions in the text without the leading "\n".
        spans = [(m.start(), m.end() - 1) for m in matches]
        spans += [(pieces[i][1], pieces[i + 1][0]) for i in range(len(pieces) - 1)]
        found = np.array(spans, np.int64).reshape(-1, 2)
        statements = [(m.start(), m.group()) for m in matches]
        return span_mask(cp.shape[0], found[:, 0], found[:, 1]), statements

    def _strings(self, cp: Chars, kinds: Kinds, prefix: Codes, starts: Ints, ends: Ints,
                 code_at: Codes, mark: Mask, weak: Mask,
                 words_at: npt.NDArray[np.int32] | None) -> None:
        """One token per string literal, coded by its content (quote style ignored),
        and how many words it holds."""
        quote = np.where(_triple(cp, starts, ends), 3, 1)
        if words_at is not None and starts.shape[0]:
            words_at[starts] = _words_inside(kinds, starts + quote, ends - quote)
        body = self._hasher.spans(prefix, starts + quote, ends - quote)
        length = (ends - starts - 2 * quote).astype(np.uint64)
        code_at[starts] = _kept(body ^ (length * _LENGTH_MIX), self._salts["string"]) | _LITERAL
        mark[starts] = True
        weak[starts[length <= 3]] = True

    def _words(self, cp: Chars, kinds: Kinds, removed: Mask, blanks: tuple[Ints, Ints],
               prefix: Codes, code_at: Codes, names_at: Codes, mark: Mask) -> Ints:
        """Word and attribute tokens into ``code_at`` (identifiers' names, hashed, into
        ``names_at``); returns where the punctuation that attribute tokens took in ("."
        or "->") was."""
        word = ((kinds & WORD) != 0) & ~removed
        edges = np.diff(word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        hashes = self._hasher.spans(prefix, starts, ends)
        first = kinds[starts]
        numeric = (first & DIGIT) != 0
        kept = ~numeric & (_member(hashes, self._keep) | _dunder(cp, starts, ends))
        if self._sigils.shape[0]:  # "$type", "@keys": variables, whatever their name
            kept &= ~((starts > 0) & np.isin(cp[np.maximum(starts - 1, 0)], self._sigils))
        kept |= ~numeric & ((first & ALPHA) == 0)
        codes = np.full(starts.shape[0], np.uint64(IDENT))
        codes[kept] = _kept(hashes[kept], self._salts["word"])
        codes[numeric] = self._numbers(cp, starts[numeric], ends[numeric])
        names = mix(hashes ^ self._salts["name"]) | np.uint64(1)
        # An attribute: "." (or "->") then optional blanks, then a word. The token starts
        # at the punctuation; "1.5" lexes as "1" and ".5", a number of its own.
        places, word_at = self._attributes(cp, removed, blanks, starts)
        name = hashes[word_at]
        attribute = _kept(name, self._salts["attribute"]) | _ATTRIBUTE
        codes[word_at] = np.where(numeric[word_at], codes[word_at], attribute)
        names[word_at] = mix(name ^ self._salts["attribute"]) | np.uint64(1)
        placed = starts.copy()
        placed[word_at] = places
        code_at[placed] = codes
        names_at[placed] = names
        mark[placed] = True
        arrows = places[cp[places] == ord("-")]
        return np.concatenate([places, arrows + 1])

    def _numbers(self, cp: Chars, starts: Ints, ends: Ints) -> Codes:
        """Numbers by their spelling, case folded ("0XFF" and "0xff" are one number, as
        formatters rewrite them). Renaming and reformatting leave numbers alone, and a
        table of constants is little else. Short numbers stay one class: counting up
        (``A = 0; B = 1; ...``) is an idiom; three or more characters make a number as
        telling as a string literal."""
        value = np.zeros(starts.shape[0], np.uint64)
        length = ends - starts
        for offset in range(int(length.max()) if length.shape[0] else 0):
            inside = offset < length
            char = cp[np.minimum(starts + offset, cp.shape[0] - 1)].astype(np.uint64)
            step = value * np.uint64(_NUMBER_BASE) + (char | np.uint64(0x20))
            value = np.where(inside, step, value)
        codes = _kept(value, self._salts["number"]) | _LITERAL
        return np.asarray(np.where(length >= 3, codes, np.uint64(NUMBER)), np.uint64)

    def _attributes(self, cp: Chars, removed: Mask, blanks: tuple[Ints, Ints],
                    starts: Ints) -> tuple[Ints, Ints]:
        """(where each attribute token starts, which word it names), from the few "."
        and "->" in the text rather than from every word."""
        if starts.shape[0] == 0:
            return starts, starts
        marks = cp == ord(".")
        if self.profile.arrow:
            arrow = np.zeros_like(marks)
            arrow[:-1] = (cp[:-1] == ord("-")) & (cp[1:] == ord(">"))
            marks |= arrow
        marks &= ~removed
        places = np.flatnonzero(marks)
        after = places + np.where(cp[places] == ord("-"), 2, 1)
        after = _after_blanks(cp, after, *blanks)
        word_at = np.minimum(np.searchsorted(starts, after), starts.shape[0] - 1)
        hit = starts[word_at] == after
        if self.profile.arrow:  # the ">" of an arrow must not be a comment's or a string's
            arrow_at = cp[places] == ord("-")
            hit &= ~(arrow_at & removed[np.minimum(places + 1, cp.shape[0] - 1)])
        return places[hit], word_at[hit]


def _words_inside(kinds: Kinds, lo: Ints, hi: Ints) -> npt.NDArray[np.int32]:
    """Words (runs of non-blanks) in each span ``lo[i]:hi[i]``. Only the spans' own
    characters are looked at: literals are a small part of most code."""
    lengths = np.maximum(hi - lo, 0)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(lo.shape[0], np.int32)
    offsets = np.cumsum(lengths) - lengths
    at = np.repeat(lo - offsets, lengths) + np.arange(total)
    solid = (kinds[at] & SPACE) == 0
    opens = solid.copy()  # a word opens on a non-blank after a blank or a span's start
    opens[1:] &= ~solid[:-1]
    filled = lengths > 0
    opens[offsets[filled]] = solid[offsets[filled]]
    counts = np.zeros(lo.shape[0], np.int32)
    counts[filled] = np.add.reduceat(opens, offsets[filled], dtype=np.int32)
    return counts


def _after_blanks(cp: Chars, positions: Ints, skip_starts: Ints, skip_ends: Ints) -> Ints:
    """Each position moved past spaces, tabs and the spans to skip (one-line comments);
    rarely a step at all."""
    positions = positions.copy()
    last, skips = cp.shape[0], skip_starts.shape[0]
    todo = np.flatnonzero(positions < last)
    while todo.shape[0]:
        at = positions[todo]
        blank = (cp[at] == _SPACE) | (cp[at] == _TAB)
        positions[todo[blank]] += 1
        if skips:
            k = np.minimum(np.searchsorted(skip_starts, at), skips - 1)
            skip = skip_starts[k] == at
            positions[todo[skip]] = skip_ends[k[skip]]
            blank |= skip
        todo = todo[blank]
        todo = todo[positions[todo] < last]
    return positions


def _member(values: Codes, table: Codes) -> Mask:
    """``np.isin`` for a small sorted table, without sorting ``values``."""
    if table.shape[0] == 0:
        return np.zeros(values.shape[0], bool)
    at = np.minimum(np.searchsorted(table, values), table.shape[0] - 1)
    return np.asarray(table[at] == values, bool)


def _pieces(text: str) -> list[tuple[int, int]]:
    """The stretches between markdown fence lines (the whole text when there are none)."""
    if "```" not in text and "~~~" not in text:
        return [(0, len(text))]
    bounds = [0]
    for match in _FENCE.finditer(text):
        bounds += [match.start(), match.end()]
    bounds.append(len(text))
    return list(zip(bounds[::2], bounds[1::2], strict=True))


def _triple(cp: Chars, starts: Ints, ends: Ints) -> Mask:
    """Spans that open with three quotes (at least six characters long)."""
    last = max(cp.shape[0] - 1, 0)
    quote = cp[starts]
    one, two = cp[np.minimum(starts + 1, last)], cp[np.minimum(starts + 2, last)]
    opens = ((quote == _QUOTE) | (quote == _APOSTROPHE)) & (one == quote) & (two == quote)
    return np.asarray(((ends - starts) >= 6) & opens, bool)


def _dunder(cp: Chars, starts: Ints, ends: Ints) -> Mask:
    """Words that start and end with two underscores (``__init__``, also ``__``)."""
    under, last = ord("_"), max(cp.shape[0] - 1, 0)
    return np.asarray(
        ((ends - starts) >= 2)
        & (cp[starts] == under)
        & (cp[np.minimum(starts + 1, last)] == under)
        & (cp[ends - 1] == under)
        & (cp[np.maximum(ends - 2, 0)] == under),
        bool,
    )
