"""Source text -> a normalized token stream that renaming and reformatting do not change.

What goes, because editing code without changing it changes these: comments, docstrings,
whitespace and line breaks (line numbers are kept aside), import statements (so their
order does not matter), commas and backslashes (reformatters add and remove them).
What is abstracted: every identifier becomes one class token, and so does an attribute
of the code's own object (``self.x``, ``this->x``), since a rename refactoring renames
those; numbers become one class token.
What stays verbatim: keywords, operators, builtins and dunder names, attribute names of
other objects (``os.path.join``: another module's API, untouched by renaming locals), and
string literals by content (a hash of it; quote style ignored). Collapsing these too
would make idioms (a getter, a property, a test assertion) indistinguishable and raised
false matches several-fold on unrelated code (bench/fingerprint.py).

Two hand-written regex lexers (Python and the C family: C, C++, Java, JS/TS, Go, Rust,
C#, ...) run at several MB/s; Pygments (about 0.7 MB/s here) is the fallback for other
languages (see ``pygments_lexer``). Each token is a 64-bit code: class tokens have fixed
small codes, kept tokens an unkeyed hash of their text; keyed hashing happens later, in
``winnow``.
"""

from __future__ import annotations

import builtins
import hashlib
import keyword
import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

NEWLINE, DROP, IDENT, NUMBER, STRING, OTHER = 0, 1, 2, 3, 4, 5
NORMALIZER_VERSION = "2"

# Word tokens, single punctuation characters (so `a==b` and `a == b` agree) and newlines
# (for line numbers). Multi-character operators become several one-character tokens.
# An attribute (".name", "->name") is one token: it names another module's API, which
# renaming local identifiers leaves alone, so it keeps its name in the stream.
_PY_TOKEN = re.compile(r"(?:\.[ \t]*)?\w+|[^\s\w]|\n")
_C_TOKEN = re.compile(r"(?:(?:\.|->)[ \t]*)?\w+|[^\s\w]|\n")
_ATTRIBUTE_BIT = 1 << 62
_FENCE = re.compile(r"^[ \t]*(?:```|~~~).*$", re.MULTILINE)
_STRING_MARK = "\x01"
_LITERAL_PREFIX = "ʃ"  # a letter no identifier in practice starts with: one word token
_TRIPLE = ('"""', "'''")

Codes = npt.NDArray[np.uint64]
Lines = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Profile:
    """How one language family is lexed: what is stripped, what stays verbatim."""

    name: str
    strip: re.Pattern[str]  # comments and string literals
    imports: re.Pattern[str]  # import statements (dropped so reordering them is harmless)
    comment_starts: tuple[str, ...]
    token: re.Pattern[str]
    keep: frozenset[str]  # keywords and well-known names kept as themselves
    drop: frozenset[str] = frozenset({",", "\\"})  # punctuation reformatters add/remove
    docstrings: bool = False  # a triple-quoted string alone on its line is dropped


@dataclass(frozen=True, eq=False)
class TokenStream:
    """Normalized token codes and the 1-based source line of each."""

    profile: str
    codes: Codes
    lines: Lines

    def __len__(self) -> int:
        return int(self.codes.shape[0])


# Comments and string literals, unrolled ("normal* (special normal*)*") so that `re`
# runs at ~80 MB/s; string prefixes (r, b, f) stay behind as an identifier token.
_PY_STRIP = re.compile(
    r"""\#[^\n]*|'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"
    |'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'|"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*\"""",
    re.VERBOSE,
)
_PY_IMPORT = re.compile(
    r"^[ \t]*(?:import[ \t][^\n]*|from[ \t]+[\w.]+[ \t]+import[ \t]*(?:\([^)]*\)|[^\n]*))",
    re.MULTILINE,
)
_C_STRIP = re.compile(
    r"""//[^\n]*|/\*[\s\S]*?\*/
    |"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"|'(?:[^'\\\n]|\\.){1,8}'|`[^`\\]*(?:\\[\s\S][^`\\]*)*`""",
    re.VERBOSE,
)
_C_IMPORT = re.compile(
    r"""^[ \t]*(?:\#[ \t]*(?:include|import)[^\n]*
    |(?:import|package|using)[ \t]*\([^)]*\)
    |(?:import|package|using)\b(?:[^\n;{]*\{[^}]*\})?[^\n;]*;?)""",
    re.MULTILINE | re.VERBOSE,
)

_C_KEYWORDS = """
abstract and as asm async auto await bool boolean break byte case catch char chan class
const constexpr continue crate debugger default defer delete do double dyn else enum
export extends extern false fallthrough final finally float fn for foreach friend func
function go goto if impl implements in inline instanceof int interface internal is let
long loop map match mod move mut namespace native new nil noexcept not null nullptr
object operator or out override package private protected pub public range readonly ref
register return select self Self short signed sizeof static struct super switch
synchronized template this throw throws trait true try type typedef typeof union unsafe
unsigned use using val var virtual void volatile when where while with yield
String Object Error Exception console printf malloc free std vec Vec Option Some None
Ok Err len make append fmt println string
"""

PYTHON = Profile(
    name="python",
    strip=_PY_STRIP,
    imports=_PY_IMPORT,
    comment_starts=("#",),
    token=_PY_TOKEN,
    keep=frozenset(keyword.kwlist) | frozenset(dir(builtins)) | {"self", "cls"},
    drop=frozenset({",", "\\", ";"}),
    docstrings=True,
)
C_FAMILY = Profile(
    name="c",
    strip=_C_STRIP,
    imports=_C_IMPORT,
    comment_starts=("//", "/*"),
    token=_C_TOKEN,
    keep=frozenset(_C_KEYWORDS.split()),
)
PROFILES: dict[str, Profile] = {p.name: p for p in (PYTHON, C_FAMILY)}

_C_EXTENSIONS = """.c .h .cc .cpp .cxx .hpp .hh .hxx .java .js .jsx .mjs .cjs .ts .tsx .go
.rs .cs .kt .kts .swift .scala .m .mm .dart .groovy .php"""
_EXTENSIONS = {".py": "python", ".pyi": "python", ".pyw": "python"} | {
    ext: "c" for ext in _C_EXTENSIONS.split()
}


def profile_for_path(path: str) -> str | None:
    """The profile name for a file name, by extension; ``None`` when no fast lexer fits."""
    dot = path.rfind(".")
    return _EXTENSIONS.get(path[dot:].lower()) if dot >= 0 else None


def kept_code(profile: str, token: str) -> int:
    """Stable (unkeyed) 64-bit code of a token kept verbatim; never a class code."""
    digest = hashlib.blake2b(f"{profile}\0{token}".encode(), digest_size=8).digest()
    # Bit 63 set: never a class code; bit 62 clear: never taken for an attribute.
    return (int.from_bytes(digest, "little") & ~_ATTRIBUTE_BIT) | (1 << 63)


class _CodeTable(dict[str, int]):
    """token -> code, filling itself on first sight of a token (a per-tokenizer memo)."""

    def __init__(self, profile: Profile) -> None:
        super().__init__()
        self._profile = profile
        self[_STRING_MARK] = STRING
        self["\n"] = NEWLINE
        for token in profile.drop:
            self[token] = DROP

    def __missing__(self, token: str) -> int:
        first = token[0]
        if first.isdigit():
            code = NUMBER
        elif first in ".-" and len(token) > 1:
            name = token.lstrip(".-> \t")
            if name[0].isdigit():
                code = DROP  # the fraction of a number: "1.5" is "1" ".5"
            else:
                code = kept_code(self._profile.name, "." + name) | _ATTRIBUTE_BIT
        elif first == _LITERAL_PREFIX or token in self._profile.keep or _dunder(token):
            code = kept_code(self._profile.name, token)
        elif first.isalpha() or first == "_":
            code = IDENT
        else:
            code = kept_code(self._profile.name, token)  # operators and punctuation
        self[token] = code
        return code


@dataclass
class Tokenizer:
    """Normalizes text with one profile; holds a memo of token codes (not shared state)."""

    profile: Profile
    _table: _CodeTable = field(init=False, repr=False)
    _own: Codes = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._table = _CodeTable(self.profile)
        own = [self._table[name] for name in ("self", "cls", "this")]
        self._own = np.array([code for code in own if code > OTHER], np.uint64)

    def strip(self, text: str) -> str:
        """Comments, imports and docstrings removed, literals marked; line breaks kept."""
        profile = self.profile
        table = self._table

        def literal(match: re.Match[str]) -> str:
            found = match.group()
            breaks = "\n" * found.count("\n")
            if found.startswith(profile.comment_starts):
                return breaks
            if profile.docstrings and found[:3] in _TRIPLE and _alone(text, match.start()):
                return breaks
            word, code = _literal_token(profile.name, found)
            table[word] = code
            return " " + word + " " + breaks

        def statement(match: re.Match[str]) -> str:
            return "\n" * match.group().count("\n")

        return profile.imports.sub(statement, profile.strip.sub(literal, text))

    def tokenize(self, text: str) -> TokenStream:
        if "```" in text or "~~~" in text:
            # Code pasted into a prompt sits between markdown fences, often cut mid-file:
            # a string left open in one block must not swallow the next one.
            stripped = "".join(self.strip(piece) for piece in _FENCE.split(text))
        else:
            stripped = self.strip(text)
        tokens = self.profile.token.findall(stripped)
        raw = np.fromiter(map(self._table.__getitem__, tokens), np.uint64, len(tokens))
        # Our own object's attributes (self.x, this->x) are renamed with the class: they
        # count as identifiers.
        own = np.flatnonzero(np.isin(raw[:-1], self._own)) + 1
        own = own[(raw[own] & np.uint64(_ATTRIBUTE_BIT)) != 0]
        raw[own] = IDENT
        return stream_from_codes(self.profile.name, raw)


def stream_from_codes(profile: str, raw: Codes) -> TokenStream:
    """Keep real tokens; each gets the 1-based line counted from the newline codes."""
    lines = np.cumsum(raw == NEWLINE, dtype=np.int32) + 1
    keep = raw > DROP
    return TokenStream(profile, raw[keep], lines[keep])


def _dunder(token: str) -> bool:
    return token.startswith("__") and token.endswith("__")


def _literal_token(profile: str, literal: str) -> tuple[str, int]:
    """A word standing for a string literal's content (quote style ignored), and its code."""
    quote = 3 if literal[:3] in _TRIPLE else 1
    body = literal[quote:-quote].encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(body, digest_size=8, person=profile.encode()[:16]).digest()
    code = (int.from_bytes(digest, "little") & ~_ATTRIBUTE_BIT) | (1 << 63)
    return _LITERAL_PREFIX + digest.hex(), code


def _alone(text: str, start: int) -> bool:
    """True when only indentation (or a string prefix) precedes ``start`` on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()
