"""The Pygments fallback: languages the fast regex lexers do not cover.

Pygments tokenizes about 0.7 MB/s here, so it only handles files whose extension names a
language outside the Python and C-family profiles. Its token types map onto the same
normalized stream: names -> one identifier class, literals -> their class, comments and
whitespace dropped (their line breaks counted), keywords, builtins and operators kept.
Only this module imports pygments.
"""

from __future__ import annotations

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

# Code languages worth indexing through Pygments (data formats and prose are not code).
_CODE = """.rb .pl .pm .lua .sh .bash .zsh .r .jl .ex .exs .erl .hs .ml .mli .clj .cljs .sql
.vb .pas .f90 .f95 .zig .nim .cr .ps1 .tcl .elm .fs .fsx .vue .svelte .sol"""
EXTENSIONS = frozenset(_CODE.split())


# Extensions several Pygments lexers claim (.pm is Perl here, not Promela).
_AMBIGUOUS = {".pl": "perl", ".pm": "perl", ".r": "r", ".m": "objective-c", ".fs": "fsharp"}


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


def _codes(profile: str, tokens: Iterator[tuple[object, str]]) -> Iterator[int]:
    from pygments.token import (  # type: ignore[import-untyped]
        Comment,
        Keyword,
        Name,
        Number,
        String,
        Text,
        Whitespace,
    )

    in_string = False
    for kind, value in tokens:
        if kind in String:
            if not in_string:  # Pygments splits one literal into pieces
                yield STRING
            in_string = True
        else:
            in_string = False
            if kind in Number:
                yield NUMBER
            elif kind in Name.Builtin or kind in Keyword:
                yield kept_code(profile, value)
            elif kind in Name:
                yield IDENT
            elif not (kind in Comment or kind in Text or kind in Whitespace):
                for char in value:
                    if not char.isspace():
                        yield DROP if char in ",\\" else kept_code(profile, char)
        for _ in range(value.count("\n")):
            yield NEWLINE
