"""Source text -> a normalized token stream that renaming and reformatting do not change.

What goes, because editing code without changing it changes these: comments, docstrings,
whitespace and line breaks (line numbers are kept aside), import statements (so their
order does not matter; what they name is kept as order-free items, ``imports``), commas
and backslashes (reformatters add and remove them). Neighbouring string literals are
also kept as pairs (``literal_runs``), for lists of names too short to hold k-grams.
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
that k-grams over a list of names (one token a line) span fewer lines.

Four lexer profiles work on whole arrays (``chars``): Python, the C family (C, C++, Java,
JS/TS, Go, Rust, C#, ...), scripts with "#" comments (shell, Ruby, Perl, R, ...) and the
SQL family ("--" comments: SQL, Lua, Haskell). Only comments, string literals and import
statements are found by regular expressions; words, operators and their classes come from
array operations, at well over 10 MB/s. Pygments is the fallback for other languages
(``pygments_lexer``).
Each token is a 64-bit code: class tokens have fixed small codes, kept tokens an unkeyed
hash of their text; keyed hashing happens later, in ``winnow``.
"""


from __future__ import annotations

import builtins
import hashlib
import keyword
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

NEWLINE, DROP, IDENT, NUMBER, STRING, OTHER = 0, 1, 2, 3, 4, 5
NORMALIZER_VERSION = "6"

# Kept codes (tokens kept verbatim) have bit 63 set, so they never equal a class code;
# bit 62 marks an attribute name, bit 61 a string literal: the tokens that say most.
KEPT_BIT, ATTRIBUTE_BIT, LITERAL_BIT = 1 << 63, 1 << 62, 1 << 61
LITERAL_WEIGHT = 2
_COPY_MIX = 0x5851F42D4C957F2D
_RUN_MIX = 0x2545F4914F6CDD1D

Codes = npt.NDArray[np.uint64]
Lines = npt.NDArray[np.int32]


@dataclass(frozen=True)
class Profile:
    """How one language family is lexed: what is stripped, what stays verbatim."""

    name: str
    strip: re.Pattern[str]  # comments and string literals
    imports: re.Pattern[str]  # "\n" + an import statement (dropped: reordering is harmless)
    comment_starts: str  # the first characters of the comments ``strip`` finds
    keep: frozenset[str]  # keywords and well-known names kept as themselves
    drop: frozenset[str] = frozenset({",", "\\"})  # punctuation reformatters add/remove
    docstrings: bool = False  # a triple-quoted string alone on its line is dropped
    arrow: bool = False  # "->name" is an attribute, like ".name"
    import_tail: re.Pattern[str] | None = None  # a text opening inside an import's list
    fold_case: bool = False  # words compare case-blind (SQL: formatters recase keywords)
    sigils: str = ""  # a word right after one is a variable, never a keyword ("$type")


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

    def __len__(self) -> int:
        return int(self.codes.shape[0])


# Comments and string literals, unrolled ("normal* (special normal*)*") so that `re`
# runs at ~80 MB/s; string prefixes (r, b, f) stay behind as an identifier token.
_PY_STRIP = re.compile(
    r"""\#[^\n]*|'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"
    |'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'|"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*\"""",
    re.VERBOSE,
)
# Import statements, each found from the newline before it (a literal start lets `re`
# skip ahead; the lexer puts a newline before the text). A parenthesised list may be
# cut off by the end of a pasted snippet; a reformatter may space the dots of a module.
_PY_IMPORT = re.compile(
    r"\n[ \t]*(?:import[ \t][^\n]*|from[ \t][\w. \t]*?\bimport\b[ \t]*(?:\([^)]*\)?|[^\n]*))"
)
# A text (or fenced block) that opens inside a parenthesised import list, cut off from
# its "from ... import (" line: names one a line, up to the closing bracket (unambiguous).
_NAMES_LINE = r"[ \t]*(?:(?!W\b)[A-Za-z_]\w*(?:[ \t]+as[ \t]+\w+)?[ \t]*(?:,[ \t]*)?)?"
# Or a list cut off at the text's end too: every line to the end "name[ as alias],".
# A string literal leaves the word W when imports are looked for: not a name here.
_LISTED_LINE = r"[ \t]*(?!W\b)[A-Za-z_]\w*(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*"
_PY_IMPORT_TAIL = re.compile(
    rf"\n(?=\s*[A-Za-z_])(?:(?:{_NAMES_LINE}\n)+{_NAMES_LINE}\)"
    rf"|(?:{_LISTED_LINE}\n)+(?:{_LISTED_LINE})?\s*\Z)"
)
_C_STRIP = re.compile(
    r"""//[^\n]*|/\*[\s\S]*?\*/
    |"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"|'(?:[^'\\\n]|\\.){1,8}'|`[^`\\]*(?:\\[\s\S][^`\\]*)*`""",
    re.VERBOSE,
)
_C_IMPORT = re.compile(
    r"""\n[ \t]*(?:\#[ \t]*(?:include|import)[^\n]*
    |(?:import|package|using)[ \t]*\([^)]*\)
    |(?:import|package|using)\b(?:[^\n;{]*\{[^}]*\})?[^\n;]*;?)""",
    re.VERBOSE,
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
    import_tail=_PY_IMPORT_TAIL,
    comment_starts="#",
    keep=frozenset(keyword.kwlist) | frozenset(dir(builtins)) | {"self", "cls"},
    drop=frozenset({",", "\\", ";"}),
    docstrings=True,
)
C_FAMILY = Profile(
    name="c",
    strip=_C_STRIP,
    imports=_C_IMPORT,
    comment_starts="/",
    keep=frozenset(_C_KEYWORDS.split()),
    arrow=True,
)
# Scripting languages whose comments start with "#": shell, Ruby, Perl, R, Julia, Elixir,
# Crystal, Nim, Tcl, PowerShell. One fast lexer for the family, as "c" is for C-like
# languages: every language an index holds is one more lexing of each query, and Pygments
# took 45-170 ms for 80 KB where these take about 7 (bench/fingerprint.py). A "#" right
# after "$", "{" or a word character is not a comment ("$#", "${#list[@]}", "a#b"). Perl's
# POD and Ruby's =begin blocks (from a line opening with "=word" to "=cut" or "=end", or
# to the end) are documentation, comments here. (Each alternative opens with its character,
# "#" or "=", before any lookbehind: `re` then tries only positions holding one.)
_SCRIPT_STRIP = re.compile(
    r"""\#(?<![$\w{]\#)[^\n]*
    |=(?:(?<=\n=)|(?<=^=))[A-Za-z][^\n]*(?:\n(?!=cut\b|=end\b)[^\n]*)*(?:\n=(?:cut|end)\b[^\n]*)?
    |'[^'\\\n]*(?:\\[\s\S][^'\\\n]*)*'|"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*"
    |`[^`\\\n]*(?:\\[\s\S][^`\\\n]*)*`""",
    re.VERBOSE,
)
_SCRIPT_KEYWORDS = """
if then else elif fi case esac for select while until do done in function return local
export readonly declare typeset exit set unset shift source test true false break continue
trap eval exec read cd let echo printf
alias and begin class def defined end ensure module next nil not or redo rescue retry self
super undef unless when yield require require_relative include extend attr_accessor
attr_reader attr_writer puts raise lambda proc private protected public new BEGIN END
my our sub use no package last foreach print die warn eq ne lt gt le ge cmp undef push pop
keys values exists ref bless scalar wantarray
repeat TRUE FALSE NULL NA Inf NaN library
using import struct mutable abstract type global const elseif try catch finally nothing
macro quote defmodule defp defmacro fn cond with var iterator of object param process
switch throw expr
"""
# Languages whose comments start with "--": SQL (also /* */), Lua, Haskell and Elm
# ({- -}). SQL keywords and names are case-blind and formatters recase them, so words are
# compared case-folded.
_SQL_STRIP = re.compile(
    r"""--[^\n]*|/\*[\s\S]*?\*/|\{-[\s\S]*?-\}
    |'[^'\n]*'|"[^"\\\n]*(?:\\[\s\S][^"\\\n]*)*\"""",
    re.VERBOSE,
)
_SQL_KEYWORDS = """
select from where and or not in is null like ilike between exists join inner left right
full outer cross natural on using as group by order having limit offset fetch union
intersect except all distinct insert into values update set delete merge create table view
index drop alter add column primary key foreign references unique check default constraint
case when then else end begin commit rollback transaction with recursive returning asc desc
count sum avg min max coalesce nullif cast over partition row_number declare return returns
function procedure trigger language true false if
local elseif nil repeat until do while for break goto
module import where let data type newtype class instance deriving of exposing port alias
"""
_NO_IMPORTS = re.compile(r"(?!)")  # imports of these languages are ordinary code here

SCRIPT = Profile(
    name="script",
    strip=_SCRIPT_STRIP,
    imports=_NO_IMPORTS,
    comment_starts="#=",
    keep=frozenset(_SCRIPT_KEYWORDS.split()),
    drop=frozenset({",", "\\", ";"}),
    sigils="$@",
)
SQL = Profile(
    name="sql",
    strip=_SQL_STRIP,
    imports=_NO_IMPORTS,
    comment_starts="-/{",
    keep=frozenset(_SQL_KEYWORDS.split()),
    drop=frozenset({",", "\\", ";"}),
    fold_case=True,
)
PROFILES: dict[str, Profile] = {p.name: p for p in (PYTHON, C_FAMILY, SCRIPT, SQL)}

_C_EXTENSIONS = """.c .h .cc .cpp .cxx .hpp .hh .hxx .java .js .jsx .mjs .cjs .ts .tsx .go
.rs .cs .kt .kts .swift .scala .m .mm .dart .groovy .php .zig .sol"""
_SCRIPT_EXTENSIONS = """.sh .bash .zsh .rb .pl .pm .r .jl .ex .exs .cr .nim .tcl .ps1"""
_SQL_EXTENSIONS = """.sql .lua .hs .elm"""
_EXTENSIONS = (
    {".py": "python", ".pyi": "python", ".pyw": "python"}
    | {ext: "c" for ext in _C_EXTENSIONS.split()}
    | {ext: "script" for ext in _SCRIPT_EXTENSIONS.split()}
    | {ext: "sql" for ext in _SQL_EXTENSIONS.split()}
)


def profile_for_path(path: str) -> str | None:
    """The profile name for a file name, by extension; ``None`` when no fast lexer fits."""
    dot = path.rfind(".")
    return _EXTENSIONS.get(path[dot:].lower()) if dot >= 0 else None


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
    weak: npt.NDArray[np.bool_] | None = None,
) -> TokenStream:
    """Keep real tokens; lines are counted from the newline codes unless given. ``names``
    (a hash of each identifier's name, 0 for other tokens) gives the back-references;
    ``weak`` marks literals too short to pair (``literal_runs``)."""
    if lines is None:
        lines = np.cumsum(raw == NEWLINE, dtype=np.int32) + 1
    keep = raw > DROP
    codes, lines = raw[keep], lines[keep]
    items, item_lines = literal_runs(codes, lines, None if weak is None else weak[keep])
    # A string literal (or a long number) counts as LITERAL_WEIGHT tokens, so k-grams
    # span fewer of them: a list of names in quotes is one token a line, and ten such
    # lines would otherwise hold no k-gram at all. The extra copies are not informative.
    reps = np.where((codes & np.uint64(LITERAL_BIT)) != 0, LITERAL_WEIGHT, 1)
    first = np.cumsum(reps) - reps
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
    return TokenStream(profile, codes, lines, refs, items, item_lines)


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
