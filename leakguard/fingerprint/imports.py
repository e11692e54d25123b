"""What import statements name: one item per imported module or name, in no order.

The token stream drops imports (reordering them changes nothing), but which modules and
names a file imports is telling: ``from .web_exceptions import HTTPMove`` says more about
a file than ten lines of its code shape, and a rename refactoring leaves it alone (an
imported name belongs to another module; only an ``as`` alias is local). So each import
statement yields items: the module (``.web_exceptions``, ``os.path``) and each imported
name, aliases left out. A name alone, not module and name: the same import written
relative or absolute names the same item, and so does the tail of a parenthesised list
whose ``from`` line a snippet cut off. Each item is fingerprinted on its own
(``winnow.Hasher.items``), so neither the order of the statements nor that of the names
in one statement matters, and a snippet holding part of an import block finds the part.
Items every code base has (``os``, ``Any``) are left out of an index by the
common-code pass and the matcher's ``max_postings``, like any idiom.
"""

from __future__ import annotations

import hashlib
import re

_NAME = re.compile(r"[A-Za-z_][\w.]*|\.+[\w.]*")
_DOT_BLANKS = re.compile(r"[ \t]*\.[ \t]*")
_DOT_IMPORT = re.compile(r"\.import\b")  # "from . import", "from .x": those blanks stay
_FROM_DOT = re.compile(r"\bfrom\.")
_SKIP = frozenset({"import", "from", "as", "include", "package", "using", "static", "W"})


def items(statements: list[str]) -> list[tuple[int, int, str]]:
    """(statement number, line within it, counting its leading newline as 1; item) for
    import statements (comments and literals already blanked; a literal leaves the word
    ``W``): every module path and imported name, keywords and aliases left out. Blanks
    around dots go (``from . dummy import``: a reformatter spaced it). Statements
    reordered line by line may be cut or glued together, and a snippet may begin inside
    a parenthesised list of names: every word still counts on its own. One pass over
    all of a file's statements (one per statement cost a tenth of a build)."""
    # NUL separates the statements (one inside a statement is a blank: it lexes as none).
    text = _DOT_BLANKS.sub(".", "\0".join(s.replace("\0", " ") for s in statements))
    text = _FROM_DOT.sub("from .", _DOT_IMPORT.sub(". import", text))
    found: list[tuple[int, int, str]] = []
    number = line = seen = 0
    alias = False
    for match in _NAME.finditer(text):
        start = match.start()
        breaks = text.count("\0", seen, start)
        if breaks:
            number += breaks
            line = text.count("\n", text.rindex("\0", seen, start), start)
            alias = False
        else:
            line += text.count("\n", seen, start)
        seen = start
        word = match.group()
        if not alias and word not in _SKIP:
            found.append((number, line, word))
        alias = word == "as"
    return found


def item_code(profile: str, name: str) -> int:
    """Stable (unkeyed) 64-bit code of an item; keyed hashing happens in ``winnow``."""
    digest = hashlib.blake2b(f"{profile}\0import\0{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")
