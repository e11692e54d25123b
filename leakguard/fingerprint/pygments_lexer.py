"""The Pygments fallback: languages the fast regex lexers do not cover.

Pygments tokenizes about 1-2 MB/s here, so it only handles files whose extension names a
language outside the fast profiles (Python, the C family, scripts, the SQL family). Its
token types map onto the same normalized stream: names -> one identifier class, literals
-> their class, comments and whitespace dropped (their line breaks counted), keywords,
builtins and operators kept. Only this module imports pygments.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator

import numpy as np

from leakguard.fingerprint.normalize import (
    DROP,
    IDENT,
    NEWLINE,
    NUMBER,
    STRING,
    TokenStream,
    kept_code,
    stream_from_codes,
)

PREFIX = "pygments:"

# Code languages worth indexing through Pygments (data formats and prose are not code);
# shell, Ruby, Perl, SQL, Lua and others have fast profiles (``profiles``).
_CODE = """.erl .ml .mli .clj .cljs .vb .pas .f90 .f95 .fs .fsx .vue .svelte"""
EXTENSIONS = frozenset(_CODE.split())


# Extensions several Pygments lexers claim.
_AMBIGUOUS = {".fs": "fsharp"}


def profile_for_path(path: str) -> str | None:
    """``pygments:<lexer alias>`` for a covered extension, else ``None``."""
    dot = path.rfind(".")
    extension = path[dot:].lower() if dot >= 0 else ""
    if extension not in EXTENSIONS:
        return None
    if extension in _AMBIGUOUS:
        return PREFIX + _AMBIGUOUS[extension]
    from pygments.lexers import find_lexer_class_for_filename  # type: ignore[import-untyped]

    lexer = find_lexer_class_for_filename(path)
    if lexer is None or not lexer.aliases:
        return None
    return PREFIX + str(lexer.aliases[0])


def tokenize(profile: str, text: str) -> TokenStream:
    from pygments.lexers import get_lexer_by_name

    lexer = get_lexer_by_name(profile[len(PREFIX) :], stripnl=False, ensurenl=False)
    raw = np.fromiter(_codes(profile, lexer.get_tokens(text)), np.uint64)
    return stream_from_codes(profile, raw)


_STRING, _NUMBER, _KEPT, _NAME, _LAYOUT, _SYMBOLS = range(6)
_kept = functools.lru_cache(maxsize=1 << 16)(kept_code)  # keywords and symbols recur


@functools.cache
def _role(kind: object) -> int:
    """What a Pygments token type becomes; cached, as ``in`` on token types walks their
    parents each time (it was a third of the lexing time)."""
    from pygments.token import (  # type: ignore[import-untyped]
        Comment,
        Keyword,
        Name,
        Number,
        String,
        Text,
        Whitespace,
    )

    if kind in String:
        return _STRING
    if kind in Number:
        return _NUMBER
    if kind in Name.Builtin or kind in Keyword:
        return _KEPT
    if kind in Name:
        return _NAME
    if kind in Comment or kind in Text or kind in Whitespace:
        return _LAYOUT
    return _SYMBOLS


def _codes(profile: str, tokens: Iterator[tuple[object, str]]) -> Iterator[int]:
    in_string = False
    for kind, value in tokens:
        role = _role(kind)
        if role == _STRING:
            if not in_string:  # Pygments splits one literal into pieces
                yield STRING
            in_string = True
        else:
            in_string = False
            if role == _NUMBER:
                yield NUMBER
            elif role == _KEPT:
                yield _kept(profile, value)
            elif role == _NAME:
                yield IDENT
            elif role == _SYMBOLS:
                for char in value:
                    if not char.isspace():
                        yield DROP if char in ",\\" else _kept(profile, char)
        for _ in range(value.count("\n")):
            yield NEWLINE
