"""The array lexer computes what the obvious regex lexer (fp_reference) computes."""

from __future__ import annotations

import fp_reference as ref
import pytest
from fp_corpus import INDEXED, STDLIB
from hypothesis import given, settings
from hypothesis import strategies as st

from leakguard.fingerprint.normalize import IDENT, informative
from leakguard.fingerprint.tokenizer import Tokenizer

TOKENIZERS = {name: Tokenizer(profile) for name, profile in ref.PROFILES.items()}


def assert_same(profile: str, text: str, fenced: bool = True) -> None:
    """Equal streams up to a one-to-one renaming of codes, and equal line numbers."""
    expected = ref.tokens(ref.PROFILES[profile], text, fenced)
    stream = TOKENIZERS[profile].tokenize(text, fenced)
    assert stream.lines.tolist() == [line for _, line in expected]
    forward: dict[str, int] = {}
    backward: dict[int, str] = {}
    for (symbol, _), code in zip(expected, stream.codes.tolist(), strict=True):
        assert forward.setdefault(symbol, code) == code, (symbol, text)
        assert backward.setdefault(code, symbol) == symbol, (symbol, text)
    classes = {ref.IDENT: IDENT}
    for symbol, code in forward.items():
        assert classes.get(symbol, code) == code


# Pieces that stress the lexer's edges: attributes with blanks, "->", numbers with
# fractions, string prefixes, quotes of every kind, comments of every family, import
# lines, markdown fences, non-ASCII letters and digits, tabs and carriage returns.
FRAGMENTS = [
    "self", "cls", "this", "x", "_y", "__init__", "__", "import", "from", "package",
    "using", "#include", "def", "return", "print", "len", "1", "1.5", "0x1F", "é", "ß2",
    "٣", "½", "obj", ".", "..", "->", "-", ">", " . ", ". ", "\t", " ", "  ", "\n", "\r\n",
    "\n    ", "(", ")", ",", ";", "\\", ":", "=", "'", '"', "'''", '"""', "`", "#", "//",
    "/*", "*/", "'a'", '"abc"', "r'x'", "b\"y\"", "'''doc'''", '"""doc"""', "```",
    "```python\n", "~~~", "   ```", "    ```", "```x`", "$", "@", "\x00", "\u00a0", "\u2028",
    "--", "{-", "-}", "{", "$#", "SELECT", "Select", "END", "Self", "ÉA", "a#b", "'it''s'",
    "=head1 Name", "=cut", "=begin", "=end", "=", "$self", "@type", "$_", "$1",
]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=60),
    st.sampled_from(["python", "c", "script", "sql"]),
    st.booleans(),
)
def test_random_code_lexes_like_the_reference(
    pieces: list[str], profile: str, fenced: bool
) -> None:
    assert_same(profile, "".join(pieces), fenced)


@pytest.mark.parametrize("profile", ["python", "c", "script", "sql"])
@pytest.mark.parametrize("name", INDEXED[:8])
def test_real_modules_lex_like_the_reference(profile: str, name: str) -> None:
    assert_same(profile, (STDLIB / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "x",
        "a . b\nself . c\nself\n.d\n1.5 + 2.\n",
        'def f():\n    """Doc."""\n    r"""Kept: a prefix."""\n    return "s"  # c\n',
        'x = """\nimport os\n"""\nimport sys\nfrom a import (b,\n  c)\ny = 1\n',
        "s = '\ud800'\n",
    ],
)
def test_edge_cases(text: str) -> None:
    assert_same("python", text)


@pytest.mark.parametrize(
    "text",
    [
        "a->b; this->c; p -> d; x - > y;\n",
        '#include <x.h>\nimport java.util.List;\npackage = "p".join(q);\n',
        "/* a\n b */ int f() { return `t\n${x}`; } // e\n",
        "obj./* c */name; obj->/* c */name; a-/* c */>b;\n",  # a comment right after "."
    ],
)
def test_c_family_edge_cases(text: str) -> None:
    assert_same("c", text)


def test_string_literals_attributes_and_long_numbers_are_the_informative_tokens() -> None:
    stream = TOKENIZERS["python"].tokenize("x = obj.name + 'text' + other + 1 + 0x1F\n")
    # A literal counts twice (its copy is not informative again): x = obj .name + 'text'
    # copy + other + 1 + 0x1F copy
    assert informative(stream.codes).tolist() == [False, False, False, True, False, True,
                                                  False, False, False, False, False,
                                                  False, True, False]
