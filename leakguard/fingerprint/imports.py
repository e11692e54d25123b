"""What import statements name: one item per imported module or name, in no order.

The token stream drops imports (reordering them changes nothing), but which modules and
names a file imports is telling: ``from .web_exceptions import HTTPMove`` says more about
a file than ten lines of its code shape, and a rename refactoring leaves it alone (an
imported name belongs to another module; only an ``as`` alias is local). So each import
statement yields items, ``module:name`` for ``from module import name`` and the dotted
module for ``import module``, aliases left out. Each item is fingerprinted on its own
(``winnow.Hasher.items``), so neither the order of the statements nor that of the names
in one statement matters, and a snippet holding part of an import block finds the part.
Items every code base has (``os``, ``typing:Any``) are left out of an index by the
common-code pass and the matcher's ``max_postings``, like any idiom.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np
import numpy.typing as npt

_NAME = re.compile(r"[A-Za-z_][\w.]*|\.+[\w.]*")
_SKIP = frozenset({"import", "from", "as", "include", "package", "using", "static", "W"})


def items(profile: str, statement: str) -> list[tuple[int, str]]:
    """(offset in ``statement``, item) for one import statement (comments and literals
    already blanked; a literal leaves the word ``W``). Statements reordered line by line
    may be cut or glued together: every word still counts, keywords and aliases do not."""
    spans = [(m.start(), m.group()) for m in _NAME.finditer(statement)]
    words = [word for _, word in spans]
    found: list[tuple[int, str]] = []
    module = ""
    alias = False
    for number, word in enumerate(words):
        if alias:
            alias = False
            continue
        if word == "as":
            alias = True
            continue
        if word in _SKIP:
            continue
        if profile == "python" and number and words[number - 1] == "from":
            module = word  # "from module import ..." prefixes the names after it
            continue
        after_import = module and "import" in words[:number]
        found.append((spans[number][0], f"{module}:{word}" if after_import else word))
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
