"""A slow, obvious reference lexer: what the array lexer (leakguard/fingerprint/tokenizer)
must compute, written the straightforward way (strip comments and literals with
``re.sub``, then ``findall`` tokens and classify each in Python).

Its codes differ from the array lexer's (other hashes); the tests compare streams up to a
one-to-one renaming of codes, with equal line numbers.
"""

from __future__ import annotations

import re

from leakguard.fingerprint.profiles import C_FAMILY, PYTHON, SCRIPT, SQL, Profile

IDENT, NUMBER, NEWLINE, DROP = "<ident>", "<number>", "<newline>", "<drop>"
_FENCE = re.compile(r"^ {0,3}(?:```[^`\n]*|~~~[^\n]*)$", re.MULTILINE)
_MARK = "ʃ"  # stands for a string literal; then its content
_PY_IMPORT = re.compile(
    r"^[ \t]*(?:import[ \t][^\n]*|from[ \t][\w. \t]*?\bimport\b[ \t]*(?:\([^)]*\)?|[^\n]*))",
    re.MULTILINE,
)
_NAME = r"(?!W\b)[A-Za-z_]\w*(?:[ \t]+as[ \t]+\w+)?[ \t]*"
_NAMES = rf"[ \t]*(?:{_NAME}(?:,[ \t]*{_NAME})*(?:,[ \t]*)?)?"  # several a line too
_LISTED = rf"[ \t]*(?:{_NAME},[ \t]*)+"
_PY_IMPORT_TAIL = re.compile(  # at a text's start; closed, or cut off by the text's end
    rf"(?=\s*[A-Za-z_])(?:(?:{_NAMES}\n)+{_NAMES}\)|(?:{_LISTED}\n)+(?:{_LISTED})?\s*\Z)"
)
_C_IMPORT = re.compile(
    r"""^[ \t]*(?:\#[ \t]*(?:include|import)[^\n]*
    |(?:import|package|using)[ \t]*\([^)]*\)
    |(?:import|package|using)\b(?:[^\n;{]*\{[^}]*\})?[^\n;]*;?)""",
    re.MULTILINE | re.VERBOSE,
)
# An attribute is "." (or "->") + blanks + a word, but never a string literal's mark.
_DOTTED = re.compile(rf"(?:\.[ \t]*(?!{_MARK}))?\w+|[^\s\w]|\n")
_TOKEN = {
    "python": _DOTTED,
    "c": re.compile(rf"(?:(?:\.|->)[ \t]*(?!{_MARK}))?\w+|[^\s\w]|\n"),
    "script": _DOTTED,
    "sql": _DOTTED,
}
_NOTHING = re.compile(r"(?!)")
_IMPORTS = {"python": _PY_IMPORT, "c": _C_IMPORT, "script": _NOTHING, "sql": _NOTHING}


def tokens(profile: Profile, text: str, fenced: bool = True) -> list[tuple[str, int]]:
    """(symbolic token, line) for every token the normalized stream keeps; ``fenced``:
    markdown fence lines split the text (a prompt), else it is one source file."""
    out: list[tuple[str, int]] = []
    line = 1
    previous = ""
    end = -1
    for match in _TOKEN[profile.name].finditer(_strip(profile, text, fenced)):
        token = match.group()
        sigiled = match.start() == end and previous in tuple(profile.sigils)
        named = token[0].isalpha() or token[0] == "_"
        kind = IDENT if sigiled and named else _classify(profile, token, previous)
        # A variable named like a keyword ("$self") is not the keyword for what follows.
        previous, end = (IDENT if sigiled and named else token), match.end()
        if kind == NEWLINE:
            line += 1
        elif kind != DROP:
            out.append((kind, line))
            if kind.startswith(("string:", "number:")):  # a literal counts twice
                out.append((kind + ":copy", line))
    return out


def _number(token: str) -> str:
    """Short numbers are one class; longer ones keep their (ASCII case-folded) spelling."""
    return NUMBER if len(token) < 3 else "number:" + "".join(chr(ord(c) | 0x20) for c in token)


def _pieces(text: str) -> list[tuple[int, int]]:
    if "```" not in text and "~~~" not in text:
        return [(0, len(text))]
    bounds = [0]
    for match in _FENCE.finditer(text):
        bounds += [match.start(), match.end()]
    return list(zip(bounds[::2], [*bounds[1::2], len(text)], strict=True))


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


def _strip(profile: Profile, text: str, fenced: bool = True) -> str:
    """The text as the token pattern sees it: comments, docstrings, import statements
    and fence lines blanked (line breaks kept), each string literal a marked word."""
    pieces = _pieces(text) if fenced else [(0, len(text))]
    literals = []  # (start, end, content or None for a comment or docstring)
    for lo, hi in pieces:  # a fence ends an open string: each piece is searched alone
        for match in profile.strip.finditer(text, lo, hi):
            found, start = match.group(), match.start()
            triple = found[:3] in ('"""', "'''") and len(found) >= 6
            line_start = text.rfind("\n", 0, start) + 1
            docstring = profile.docstrings and triple and not text[line_start:start].strip()
            comment = found[0] in profile.comment_starts
            quote = 3 if triple else 1
            body = None if comment or docstring else found[quote:-quote]
            literals.append((start, match.end(), body))
    # Imports are matched with literals blanked, a string leaving a word behind.
    seen = list(text)
    for start, end, body in literals:
        seen[start:end] = _blank(text[start:end])
        if body is not None:
            seen[start + 1 if text[start + 1] != "\n" else start] = "W"
    seen_text = "".join(seen)
    imports = [m.span() for lo, hi in pieces for m in _IMPORTS[profile.name].finditer(
        seen_text, lo, hi)]
    if profile.name == "python":
        tails = (_PY_IMPORT_TAIL.match(seen_text, lo + 1 if lo else 0, hi) for lo, hi in pieces)
        imports += [m.span() for m in tails if m is not None]
    fences = [(pieces[i][1], pieces[i + 1][0]) for i in range(len(pieces) - 1)]
    out = list(text)
    for start, end in imports + fences:
        out[start:end] = _blank(text[start:end])
    for start, end, body in sorted(literals, reverse=True):  # right to left
        inside = any(a <= start < b for a, b in imports)
        if body is None or inside:
            out[start:end] = _blank(text[start:end])
        else:
            out[start:end] = f" {_MARK}{_escape(body)} " + "\n" * text.count("\n", start, end)
    return "".join(out)


def _escape(body: str) -> str:
    """A literal's content as word characters (so it stays one token)."""
    return "".join(f"{ord(c):x}g" for c in body)


def _classify(profile: Profile, token: str, previous: str) -> str:
    if profile.fold_case and not token.startswith(_MARK):  # ASCII letters only
        token = "".join(chr(ord(c) | 0x20) if "A" <= c <= "Z" else c for c in token)
        previous = previous.lower()
    if token == "\n":
        return NEWLINE
    if token in profile.drop:
        return DROP
    first = token[0]
    if first == _MARK:
        return "string:" + token[1:]
    if first.isdigit():
        return _number(token)
    if first in ".-" and len(token) > 1:
        name = token.lstrip(".-> \t")
        if name[0].isdigit():
            return _number(name)  # the fraction of "1.5"
        own = previous in ("self", "cls", "this") and previous in profile.keep
        return IDENT if own else "attribute:" + name
    if token in profile.keep or (token.startswith("__") and token.endswith("__")):
        return "word:" + token
    if first.isalpha() or first == "_":
        return IDENT
    return "word:" + token


PROFILES = {"python": PYTHON, "c": C_FAMILY, "script": SCRIPT, "sql": SQL}
