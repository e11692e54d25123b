"""Import items and literal pairs: what short import blocks and lists of names are found by."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fp_corpus import STDLIB
from fp_transforms import pick_snippets, rename

from leakguard.fingerprint.imports import items
from leakguard.fingerprint.index import FingerprintIndex
from leakguard.fingerprint.lexers import Lexers
from leakguard.fingerprint.match import Matcher


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("\nimport os", ["os"]),
        ("\nimport email.utils, numpy as np", ["email.utils", "numpy"]),
        ("\nfrom .web_exceptions import HTTPMove, HTTPFound as Found",
         [".web_exceptions", "HTTPMove", "HTTPFound"]),
        ("\nfrom .. import (\n    a,\n    b,\n)", ["..", "a", "b"]),
        ("\nfrom x.y import (\n    cut_off,\n    here", ["x.y", "cut_off", "here"]),
        # A reformatter spaced the dots: the same items.
        ("\nfrom . dummy import (\n  a ,\n)", [".dummy", "a"]),
        ("\nfrom . import a\nimport os . path", [".", "a", "os.path"]),
        # Import lines shuffled into a parenthesised list: every name still counts.
        ("\nfrom x import (\nimport os\n    a,\n)", ["x", "os", "a"]),
    ],
)
def test_items_are_modules_and_names_not_aliases(statement: str, expected: list[str]) -> None:
    assert [item for _, _, item in items([statement])] == expected


def _items(text: str) -> list[int]:
    stream = Lexers().tokenize("python", text)
    assert stream.items is not None
    return sorted(stream.items.tolist())


def test_items_of_several_statements_know_their_statement_and_line() -> None:
    statements = ["\nimport a as b", "\nfrom c import (\n  d,\n  e)", "\nimport f"]
    assert items(statements) == [(0, 1, "a"), (1, 1, "c"), (1, 2, "d"), (1, 3, "e"),
                                 (2, 1, "f")]
    assert items(["\nimport a\x00b", "\nimport c"]) == [(0, 1, "a"), (0, 1, "b"), (1, 1, "c")]


def test_a_reformatted_import_is_still_an_import() -> None:
    spaced = Lexers().tokenize("python", "from . web import (\n  a ,\n)\nx = 1\n")
    plain = Lexers().tokenize("python", "from .web import a\n\n\nx = 1\n")
    assert spaced.codes.tolist() == plain.codes.tolist()
    assert _items("from . web import (\n  a ,\n)\n") == _items("from .web import a\n")


def test_reordered_imports_name_the_same_items_on_their_own_lines() -> None:
    text = "import socket\nfrom email import utils, message\nx = 1\n"
    again = "from email import message, utils\nimport socket\nx = 1\n"
    assert _items(text) == _items(again)
    stream = Lexers().tokenize("python", text)
    assert stream.item_lines is not None and stream.item_lines.tolist() == [1, 2, 2, 2]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("    get_app,\n    set_app as s,  # why\n\n    run,\n)\nx = f(a,\n  b)\n", 3),
        ("```python\n    get_app,\n    run)\n```\nx = 1\n", 2),
        ("x = 1\n    get_app,\n    run,\n)\n", 0),  # only where the text begins
        ("    run(a,\n    b)\n", 0),
        # Cut off at both ends: every line to the end is "name," or "name as alias,".
        ("    Clock as Clock,\n    Listener as Listener,\n    SendStream,\n", 3),
        ("```python\n    Clock as Clock,\n    Listener,\n```\nx = 1\n", 2),
        ("    schema,\n    document,\n    run(x)\n", 0),  # a call's arguments, then code
        ("    schema,\n    document\n", 0),  # the last line lacks its comma
        # Several names a line (isort's grid style, or a reformatter joining lines).
        ("    Clock as Clock, Listener,\n    SendStream,\n", 3),
        ("TypeNode , ValueNode , VariableNode ,\n)\n__all__ = ['is_node']\n", 3),
        ("    schema, document,\n    run(x)\n", 0),
        ('    "DocumentNode",\n    "FieldNode",\n', 1),  # strings: one literal pair
        ('    "DocumentNode",\n    "FieldNode",\n)\n', 1),
    ],
)
def test_a_text_opening_inside_an_import_list_names_its_items(text: str, names: int) -> None:
    stream = Lexers().tokenize("python", text)
    assert (0 if stream.items is None else len(stream.items)) == names


def test_literal_pairs_keep_the_order_of_a_list_and_skip_short_literals() -> None:
    names = '["alpha_name", "beta_name", "gamma_name"]\n'
    swapped = '["beta_name", "alpha_name", "gamma_name"]\n'
    assert len(_items(names)) == 2  # two neighbouring pairs
    assert not set(_items(names)) & set(_items(swapped))
    # Three characters or fewer (weekday abbreviations, escapes) are never paired.
    assert _items('["mon", "tue", "wed", "thu"]\n') == []


@pytest.fixture(scope="module")
def matcher(stdlib_index: tuple[FingerprintIndex, Path]) -> Matcher:
    return Matcher(stdlib_index[0])


def _smtplib_imports() -> list[str]:
    lines = (STDLIB / "smtplib.py").read_text(encoding="utf-8").splitlines(keepends=True)
    return [line for line in lines[:80] if line.startswith(("import ", "from "))]


def test_a_block_of_imports_is_found_in_any_order(matcher: Matcher) -> None:
    block = _smtplib_imports()
    assert len(block) >= 8
    random.Random(3).shuffle(block)
    text = "Why does this fail?\n\n" + "".join(block) + "\nprint(1)\n"
    assert any(m.path == "smtplib.py" for m in matcher.match(text))


def test_imports_every_module_has_are_not_a_match(matcher: Matcher) -> None:
    text = "".join(f"import {name}\n" for name in ("os", "sys", "re", "io", "json", "typing"))
    text += "from typing import Any, Optional, Dict, List\nfrom pathlib import Path\n"
    assert matcher.match(text) == []


def test_renaming_keeps_what_the_file_imports() -> None:
    text = (
        "import os, email.utils\nfrom base64 import b64encode as encode\n"
        "def send(message):\n    data = encode(os.fsencode(message))\n"
        "    return email.utils.quote(data)\n"
    )
    [snippet] = pick_snippets("x.py", text, 5, 1, random.Random(1), code_share=0.5)
    assert snippet.imported == {"os", "email", "utils", "base64", "b64encode"}
    renamed = rename(snippet)
    # Other modules' names stay; the alias and the local names are renamed.
    assert "os.fsencode" in renamed and "email.utils.quote" in renamed
    assert "as encode" not in renamed and "send" not in renamed and "data" not in renamed
