"""Language profiles: how each family of languages is lexed, as data.

A profile says which spans are comments and string literals (one regular expression),
which statements are imports, which words stay verbatim (keywords, builtins), which
punctuation reformatters add or remove, and a few switches (docstrings, "->" attributes,
case-blind words, sigils). ``normalize`` and ``tokenizer`` turn text into a token stream
with one of them; the file extension picks it (``profile_for_path``). Four fast profiles:
Python, the C family, "#"-comment scripts and "--"-comment languages; Pygments lexes the
rest (``pygments_lexer``).
"""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """How one language family is lexed: what is stripped, what stays verbatim."""

    name: str
    strip: re.Pattern[str]  # comments and string literals
    comment_starts: str  # the first characters of the comments ``strip`` finds
    keep: frozenset[str]  # keywords and well-known names kept as themselves
    # "\n" + an import statement (dropped: reordering is harmless); None: a language
    # whose imports stay ordinary code here
    imports: re.Pattern[str] | None = None
    drop: frozenset[str] = frozenset({",", "\\"})  # punctuation reformatters add/remove
    docstrings: bool = False  # a triple-quoted string alone on its line is dropped
    arrow: bool = False  # "->name" is an attribute, like ".name"
    import_tail: re.Pattern[str] | None = None  # a text opening inside an import's list
    fold_case: bool = False  # words compare case-blind (SQL: formatters recase keywords)
    sigils: str = ""  # a word right after one is a variable, never a keyword ("$type")



# Commas, backslashes and statement-ending semicolons: reformatters add and remove them.
_STATEMENT_PUNCTUATION = frozenset({",", "\\", ";"})

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
# its "from ... import (" line: lines of names (one a line, or several, as isort's grid
# style packs them), up to the closing bracket (unambiguous).
# A string literal leaves the word W when imports are looked for: not a name here.
_IMPORTED = r"(?!W\b)[A-Za-z_]\w*(?:[ \t]+as[ \t]+\w+)?[ \t]*"
_NAMES_LINE = rf"[ \t]*(?:{_IMPORTED}(?:,[ \t]*{_IMPORTED})*(?:,[ \t]*)?)?"
# Or a list cut off at the text's end too: every line to the end "name[ as alias],".
_LISTED_LINE = rf"[ \t]*(?:{_IMPORTED},[ \t]*)+"
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
    drop=_STATEMENT_PUNCTUATION,
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
# took 45-170 ms for 80 KB where these take about 5 (bench/fingerprint.py). A "#" right
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
SCRIPT = Profile(
    name="script",
    strip=_SCRIPT_STRIP,
    comment_starts="#=",
    keep=frozenset(_SCRIPT_KEYWORDS.split()),
    drop=_STATEMENT_PUNCTUATION,
    sigils="$@",
)
SQL = Profile(
    name="sql",
    strip=_SQL_STRIP,
    comment_starts="-/{",
    keep=frozenset(_SQL_KEYWORDS.split()),
    drop=_STATEMENT_PUNCTUATION,
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
