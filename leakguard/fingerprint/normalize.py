"""Source text -> a normalized token stream that renaming and reformatting do not change.

What goes, because editing code without changing it changes these: comments, docstrings,
whitespace and line breaks (line numbers are kept aside), import statements (so their
order does not matter; what they name is kept as order-free items, ``imports``), commas
and backslashes (reformatters add and remove them). Neighbouring string literals are
also kept as pairs (``literal_runs``), for lists of names too short to hold k-grams, and
docstrings as items of their own (``docstrings``).
What is abstracted: every identifier becomes one class token, and so does an attribute
of the code's own object (``self.x``, ``this->x``), since a rename refactoring renames
those; but which identifiers are the same name is kept (``back_references``: renaming
is one-to-one). Numbers of one or two characters become one class token.
What stays verbatim: keywords, operators, builtins and dunder names, attribute names of
other objects (``os.path.join``: another module's API, untouched by renaming locals),
string literals by content (a hash of it; quote style ignored) and longer numbers by
spelling (case folded). Collapsing these too would make idioms (a getter, a property, a
test assertion) indistinguishable and raised false matches several-fold on unrelated
code (bench/fingerprint.py). String literals and long numbers count as two tokens, so
that k-grams over a list of names (one token a line) span fewer lines. How much a
matched token tells (``telling``): a string literal a word of evidence per word it holds,
up to MAX_LITERAL_TELLING (a sentence of an error message is rarer than a key name), one
of three characters or fewer nothing, an attribute name or a long number one.

The array lexer (``tokenizer``) works on whole arrays (``chars``) with one of four
language profiles (``profiles``): Python, the C family (C, C++, Java, JS/TS, Go, Rust,
C#, ...), scripts with "#" comments (shell, Ruby, Perl, R, ...) and the SQL family ("--"
comments: SQL, Lua, Haskell). Only comments, string literals and import statements are
found by regular expressions; words, operators and their classes come from array
operations, at well over 10 MB/s. Pygments is the fallback for other languages
(``pygments_lexer``).
Each token is a 64-bit code: class tokens have fixed small codes, kept tokens an unkeyed
hash of their text; keyed hashing happens later, in ``winnow``.
"""


from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

NEWLINE, DROP, IDENT, NUMBER, STRING, OTHER = 0, 1, 2, 3, 4, 5
NORMALIZER_VERSION = "7"

# Kept codes (tokens kept verbatim) have bit 63 set, so they never equal a class code;
# bit 62 marks an attribute name, bit 61 a string literal: the tokens that say most.
KEPT_BIT, ATTRIBUTE_BIT, LITERAL_BIT = 1 << 63, 1 << 62, 1 << 61
LITERAL_WEIGHT = 2
MAX_LITERAL_TELLING = 6
ITEM_TELLING = 2  # an imported name or a pair of literals, as much as a literal
_COPY_MIX = 0x5851F42D4C957F2D
_RUN_MIX = 0x2545F4914F6CDD1D

Codes = npt.NDArray[np.uint64]
Lines = npt.NDArray[np.int32]


@dataclass(frozen=True, eq=False)
class TokenStream:
    """Normalized token codes, the 1-based source line of each, and for identifiers the
    distance back to the previous occurrence of the same name (0: none). ``items``: what
    the dropped import statements named (``imports``), each with its line."""

    profile: str
    codes: Codes
    lines: Lines
    refs: Lines | None = None
    items: Codes | None = None
    item_lines: Lines | None = None
    tells: Lines | None = None  # what each token tells (``telling``)
    worded: npt.NDArray[np.bool_] | None = None  # string literals that tell words
    item_tells: Lines | None = None  # what each item tells (None: ITEM_TELLING each)

    def __len__(self) -> int:
        return int(self.codes.shape[0])


def kept_code(profile: str, token: str) -> int:
    """Stable (unkeyed) 64-bit code of a token kept verbatim; never a class code."""
    digest = hashlib.blake2b(f"{profile}\0{token}".encode(), digest_size=8).digest()
    return (int.from_bytes(digest, "little") & ~(ATTRIBUTE_BIT | LITERAL_BIT)) | KEPT_BIT


def informative(codes: Codes) -> npt.NDArray[np.bool_]:
    """String literals and attribute names: rare, specific tokens (``__all__`` lists,
    API calls), where a keyword or an identifier class says little."""
    return np.asarray((codes & np.uint64(ATTRIBUTE_BIT | LITERAL_BIT)) != 0, bool)


def stream_from_codes(
    profile: str, raw: Codes, lines: Lines | None = None, names: Codes | None = None,
    weak: npt.NDArray[np.bool_] | None = None, words: Lines | None = None,
) -> TokenStream:
    """Keep real tokens; lines are counted from the newline codes unless given. ``names``
    (a hash of each identifier's name, 0 for other tokens) gives the back-references;
    ``weak`` marks literals too short to pair (``literal_runs``)."""
    if lines is None:
        lines = np.cumsum(raw == NEWLINE, dtype=np.int32) + 1
    keep = raw > DROP
    codes, lines = raw[keep], lines[keep]
    short = None if weak is None else weak[keep]
    items, item_lines = literal_runs(codes, lines, short)
    # A string literal (or a long number) counts as LITERAL_WEIGHT tokens, so k-grams
    # span fewer of them: a list of names in quotes is one token a line, and ten such
    # lines would otherwise hold no k-gram at all. The extra copies are not informative.
    literal = (codes & np.uint64(LITERAL_BIT)) != 0
    reps = np.where(literal, LITERAL_WEIGHT, 1)
    first = np.cumsum(reps) - reps
    size = int(first[-1] + reps[-1]) if first.shape[0] else 0
    tells = worded = None
    if words is not None:
        tells = np.zeros(size, np.int32)
        tells[first[(codes & np.uint64(ATTRIBUTE_BIT)) != 0]] = 1
        # A literal's words (a long number holds none); one of three characters or fewer
        # ('b', '\\n', ',') is in every escape table and format call: it tells nothing.
        at = np.flatnonzero(literal)
        said = words[np.flatnonzero(keep)[at]]
        told = literal_telling(said)
        if short is not None:
            told[short[at]] = 0
        tells[first[at]] = told
        worded = np.zeros(size, bool)
        worded[first[at]] = (told > 0) & (said > 0)
    codes, lines = np.repeat(codes, reps), np.repeat(lines, reps)
    copies = np.ones(codes.shape[0], bool)
    copies[first] = False
    codes[copies] = (codes[copies] ^ np.uint64(_COPY_MIX)) & ~np.uint64(
        ATTRIBUTE_BIT | LITERAL_BIT
    ) | np.uint64(KEPT_BIT)
    refs = None
    if names is not None:
        named = np.zeros(codes.shape[0], np.uint64)
        named[first] = names[keep]
        refs = back_references(named)
    return TokenStream(profile, codes, lines, refs, items, item_lines, tells=tells,
                       worded=worded)


def literal_telling(words: Lines) -> Lines:
    """A string literal tells a word of evidence per word it holds, up to
    MAX_LITERAL_TELLING: a sentence of an error message is far rarer than a key name."""
    return np.asarray(np.clip(words, 1, MAX_LITERAL_TELLING), np.int32)


def telling(stream: TokenStream) -> Lines:
    """What each token tells: string literals (``literal_telling``) and attribute names,
    1 each where the lexer does not count a literal's words (Pygments)."""
    if stream.tells is not None:
        return stream.tells
    return informative(stream.codes).astype(np.int32)


def literal_runs(
    codes: Codes, lines: Lines, weak: npt.NDArray[np.bool_] | None = None
) -> tuple[Codes, Lines]:
    """Each pair of literals next to each other (commas are gone) as an item (see
    ``imports``): the entries of ``__all__``, of a list of names or a table of messages,
    one to a line, hold too few k-grams to be found by their k-grams alone. Pairs, not
    single literals: unrelated code shares vocabularies (grammar symbols, dunder names),
    seldom the same neighbours in a list (nor tables of one-character strings, like the
    escapes "n" to "\\n": ``weak``). Reformatting and renaming keep list order."""
    literal = (codes & np.uint64(LITERAL_BIT)) != 0
    if weak is not None:
        literal &= ~weak
    pair = np.flatnonzero(literal[:-1] & literal[1:])
    first, second = codes[pair], codes[pair + 1]
    joined = (first * np.uint64(_RUN_MIX)) ^ (second >> np.uint64(7)) ^ (second << np.uint64(57))
    return np.asarray(joined, np.uint64), lines[pair]


def back_references(names: Codes) -> Lines:
    """For each named token, how many tokens back the same name last occurred (0: never).

    Renaming is a one-to-one map of names, so which identifiers are the same one survives
    it: ``x = f(x)`` and ``x = f(y)`` differ although both are ``IDENT = IDENT(IDENT)``.
    Fingerprints use a reference only when it points inside the k-gram (``winnow``), so
    a k-gram's hash does not depend on code before it.
    """
    refs = np.zeros(names.shape[0], np.int32)
    at = np.flatnonzero(names)
    if at.shape[0] > 1:
        order = at[np.argsort(names[at], kind="stable")]
        same = names[order[1:]] == names[order[:-1]]
        refs[order[1:][same]] = (order[1:] - order[:-1])[same]
    return refs
