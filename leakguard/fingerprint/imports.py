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

import numpy as np
import numpy.typing as npt

_NAME = re.compile(r"[A-Za-z_][\w.]*|\.+[\w.]*")
_SKIP = frozenset({"import", "from", "as", "include", "package", "using", "static", "W"})


def items(statement: str) -> list[tuple[int, str]]:
    """(offset in ``statement``, item) for one import statement (comments and literals
    already blanked; a literal leaves the word ``W``): every module path and imported
    name, keywords and aliases left out. Statements reordered line by line may be cut
    or glued together, and a snippet may begin inside a parenthesised list of names:
    every word still counts on its own."""
    found: list[tuple[int, str]] = []
    alias = False
    for match in _NAME.finditer(statement):
        word = match.group()
        if not alias and word not in _SKIP:
            found.append((match.start(), word))
        alias = word == "as"
    return found


def item_codes(profile: str, names: list[str]) -> npt.NDArray[np.uint64]:
    """Stable (unkeyed) 64-bit codes of items; keyed hashing happens in ``winnow``."""
    codes = [
        int.from_bytes(
            hashlib.blake2b(f"{profile}\0import\0{name}".encode(), digest_size=8).digest(),
            "little",
        )
        for name in names
    ]
    return np.array(codes, np.uint64)
