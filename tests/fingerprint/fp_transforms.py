"""Snippets of real Python and the transformations the fingerprint index must survive.

Shared by tests/fingerprint and bench/fingerprint.py. Everything works on one source file
tokenized once (so a snippet may start inside a block or end inside a bracket):
(a) verbatim, (b) reformatted, (c) local identifiers renamed, (d) comments removed and
import lines reordered, (e) embedded in a larger unrelated file.
"""

from __future__ import annotations

import builtins
import io
import keyword
import random
import token
import tokenize
from collections.abc import Callable
from dataclasses import dataclass

KEEP_NAMES = frozenset(keyword.kwlist) | frozenset(dir(builtins)) | {"self", "cls"}


@dataclass(frozen=True)
class Snippet:
    path: str
    start: int  # 1-based first line
    lines: tuple[str, ...]  # with line ends
    tokens: tuple[tokenize.TokenInfo, ...]  # tokens starting inside the snippet
    imported: frozenset[str] = frozenset()  # names the file's import statements bind

    @property
    def text(self) -> str:
        return "".join(self.lines)


def file_tokens(text: str) -> list[tokenize.TokenInfo] | None:
    try:
        return list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return None


def code_lines(tokens: list[tokenize.TokenInfo]) -> set[int]:
    """Lines holding a token other than a comment, a docstring or layout."""
    lines: set[int] = set()
    previous = token.NEWLINE
    for tok in tokens:
        if tok.type in (token.COMMENT, token.NL, token.NEWLINE, token.INDENT, token.DEDENT):
            continue
        docstring = tok.type == token.STRING and previous in (
            token.NEWLINE,
            token.INDENT,
            token.DEDENT,
        )
        previous = tok.type
        if not docstring:
            lines.add(tok.start[0])
    return lines


def imported_names(tokens: list[tokenize.TokenInfo]) -> frozenset[str]:
    """Module and imported names of the file's import statements (not ``as`` aliases):
    they name another module's things, which renaming local identifiers leaves alone."""
    names: set[str] = set()
    start = True
    inside = alias = False
    for tok in tokens:
        if tok.type in (token.NEWLINE, token.ENDMARKER):
            start, inside, alias = True, False, False
            continue
        if tok.type in (token.NL, token.INDENT, token.DEDENT, token.COMMENT):
            continue
        if start and tok.string in ("import", "from"):
            inside = True
        elif inside and not alias and tok.type == token.NAME and tok.string not in ("import", "as"):
            names.add(tok.string)
        alias = inside and tok.string == "as"
        start = False
    return frozenset(names)


def pick_snippets(
    path: str, text: str, length: int, count: int, rng: random.Random, code_share: float = 0.8
) -> list[Snippet]:
    """Up to ``count`` windows of ``length`` lines, each mostly code (not prose or blanks)."""
    tokens = file_tokens(text)
    if tokens is None:
        return []
    lines = text.splitlines(keepends=True)
    code = code_lines(tokens)
    # A window may not cut a token that spans lines (a docstring, a long string).
    inside_token = {n for t in tokens for n in range(t.start[0] + 1, t.end[0] + 1)}
    starts = [
        s
        for s in range(1, len(lines) - length + 2)
        if s not in inside_token
        and s + length not in inside_token
        and sum(1 for n in range(s, s + length) if n in code) >= code_share * length
    ]
    chosen = sorted(rng.sample(starts, min(count, len(starts))))
    imported = imported_names(tokens)
    picked: list[Snippet] = []
    for start in chosen:
        if picked and start < picked[-1].start + length:
            continue  # no overlapping windows from one file
        inside = tuple(t for t in tokens if start <= t.start[0] < start + length)
        window = tuple(lines[start - 1 : start - 1 + length])
        picked.append(Snippet(path, start, window, inside, imported))
    return picked


def _replace(snippet: Snippet, edits: list[tuple[tokenize.TokenInfo, str]]) -> str:
    """Apply token-span replacements to the snippet's lines (right to left)."""
    lines = list(snippet.lines)
    for tok, new in sorted(edits, key=lambda e: e[0].start, reverse=True):
        (row, col), (end_row, end_col) = tok.start, tok.end
        first, last = row - snippet.start, end_row - snippet.start
        if last >= len(lines):
            continue
        lines[first : last + 1] = [lines[first][:col] + new + lines[last][end_col:]]
    return "".join(lines)


def verbatim(snippet: Snippet) -> str:
    return snippet.text


def rename(snippet: Snippet) -> str:
    """Every name a rename refactoring would touch gets a new, meaningless name: not
    builtins, not other objects' attributes, not what the file imports (the names of
    other modules' things; an ``import x as y`` alias is local and is renamed)."""
    names: dict[str, str] = {}
    edits = []
    previous: tokenize.TokenInfo | None = None
    before: tokenize.TokenInfo | None = None
    for tok in snippet.tokens:
        attribute = previous is not None and previous.string == "."
        own_attribute = attribute and before is not None and before.string in ("self", "cls")
        if (
            tok.type == token.NAME
            and tok.string not in KEEP_NAMES
            and tok.string not in snippet.imported
            and not (tok.string.startswith("__") and tok.string.endswith("__"))
            and (not attribute or own_attribute)
        ):
            new = names.setdefault(tok.string, f"v{len(names)}_{len(tok.string)}")
            edits.append((tok, new))
        before, previous = previous, tok
    return _replace(snippet, edits)


def strip_comments_reorder_imports(snippet: Snippet, rng: random.Random) -> str:
    text = _replace(snippet, [(t, "") for t in snippet.tokens if t.type == token.COMMENT])
    lines = [line for line in text.splitlines(keepends=True) if line.strip()]
    spots = [i for i, line in enumerate(lines) if line.lstrip().startswith(("import ", "from "))]
    moved = [lines[i] for i in spots]
    rng.shuffle(moved)
    for i, line in zip(spots, moved, strict=True):
        lines[i] = line
    return "".join(lines)


def reformat(snippet: Snippet) -> str:
    """Re-layout: 2-space indents, one space between tokens, exploded argument lists
    with trailing commas, swapped quotes; comments kept at line ends."""
    out: list[str] = []
    depth = 0
    level = 0
    commas: list[bool] = []
    line: list[str] = []

    def flush() -> None:
        if line:
            out.append("  " * (level + depth) + " ".join(line) + "\n")
            line.clear()

    for tok in snippet.tokens:
        kind, text = tok.type, tok.string
        if kind == token.INDENT:
            level += 1
        elif kind == token.DEDENT:
            level = max(0, level - 1)
        elif kind == token.NEWLINE:
            flush()
        elif kind in (token.NL, token.ENDMARKER):
            continue
        elif kind == token.COMMENT:
            line.append(text)
            flush()  # a comment ends its line: code after it would be commented out
        elif kind == token.STRING:
            line.append(_swap_quotes(text))
        elif kind == token.OP and text in "([{":
            line.append(text)
            depth += 1
            commas.append(False)
        elif kind == token.OP and text in ")]}":
            depth = max(0, depth - 1)
            if commas and commas.pop() and line and line[-1] != ",":
                line.append(",")
            if line:
                flush()
            line.append(text)
        elif kind == token.OP and text == "," and commas:
            commas[-1] = True
            line.append(text)
            flush()
        else:
            line.append(text)
    flush()
    return "".join(out)


def _swap_quotes(text: str) -> str:
    if text[:3] in ("'''", '"""'):
        return text  # a triple-quoted string keeps its quotes
    body = text[1:-1]
    if len(text) >= 2 and text[0] == text[-1] == "'" and '"' not in body and "\\" not in body:
        return '"' + body + '"'
    if len(text) >= 2 and text[0] == text[-1] == '"' and "'" not in body and "\\" not in body:
        return "'" + body + "'"
    return text


def embed(text: str, host: str, rng: random.Random) -> str:
    """``text`` pasted between two statements in the middle half of ``host`` (not inside
    one of its strings or brackets, where no one would paste code)."""
    lines = host.splitlines(keepends=True)
    tokens = file_tokens(host) or []
    boundaries = [t.end[0] for t in tokens if t.type == token.NEWLINE]
    middle = [b for b in boundaries if len(lines) // 4 <= b <= 3 * len(lines) // 4]
    at = rng.choice(middle or boundaries or [len(lines)])
    return "".join(lines[:at]) + text.rstrip("\n") + "\n" + "".join(lines[at:])


Transform = Callable[[Snippet, random.Random], str]

TRANSFORMS: dict[str, Transform] = {
    "verbatim": lambda s, r: verbatim(s),
    "reformatted": lambda s, r: reformat(s),
    "renamed": lambda s, r: rename(s),
    "no-comments-imports-reordered": strip_comments_reorder_imports,
}
