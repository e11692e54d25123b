"""The normalized stream ignores what renaming and reformatting change, and keeps the rest."""

from __future__ import annotations

import numpy as np
import pytest

from leakguard.fingerprint.normalize import IDENT, NUMBER
from leakguard.fingerprint.profiles import C_FAMILY, PYTHON
from leakguard.fingerprint.tokenizer import Tokenizer
from leakguard.fingerprint.winnow import Hasher, Params

ORIGINAL = '''\
import os
import sys

def total_size(paths, limit=10):
    """Add up file sizes."""
    total = 0  # running sum
    for path in paths:
        if os.path.getsize(path) > limit:
            total += os.path.getsize(path)
    return total
'''

SAME = [
    # renamed locals (attributes of other modules, like os.path.getsize, keep their names)
    ORIGINAL.replace("total", "acc").replace("paths", "items").replace("(path)", "(p)")
    .replace("for path", "for p"),
    # reformatted: indentation, spacing, wrapped arguments with a trailing comma
    '''\
import os
import sys
def total_size(
  paths,
  limit = 10,
):
  total=0
  for path in paths:
    if os.path.getsize( path )>limit: total+=os.path.getsize(path)
  return total
''',
    # comments and docstring removed, imports reordered
    ORIGINAL.replace("import os\nimport sys", "import sys\nimport os")
    .replace('    """Add up file sizes."""\n', "")
    .replace("  # running sum", ""),
]


def codes(text: str) -> list[int]:
    return Tokenizer(PYTHON).tokenize(text).codes.tolist()


@pytest.mark.parametrize("variant", SAME)
def test_variants_normalize_identically(variant: str) -> None:
    assert codes(variant) == codes(ORIGINAL)


@pytest.mark.parametrize(
    "changed",
    [
        ORIGINAL.replace("> limit", "< limit"),  # an operator
        ORIGINAL.replace("for path in", "while path in"),  # a keyword
        ORIGINAL.replace("return total", "return total + 1"),  # structure
        ORIGINAL.replace("os.path", '"os".path'),  # a literal where a name was
        ORIGINAL.replace("getsize", "getmtime"),  # another API
    ],
)
def test_real_changes_change_the_stream(changed: str) -> None:
    assert codes(changed) != codes(ORIGINAL)


def test_identifiers_collapse_numbers_collapse_strings_keep_their_value() -> None:
    tokenizer = Tokenizer(PYTHON)
    assert tokenizer.tokenize("alpha beta").codes.tolist() == [IDENT, IDENT]
    assert tokenizer.tokenize("1 2.5").codes.tolist()[0] == NUMBER
    first = tokenizer.tokenize("x = 'abc'").codes.tolist()
    assert first == tokenizer.tokenize('y = "abc"').codes.tolist()  # quote style ignored
    assert first != tokenizer.tokenize("x = 'abd'").codes.tolist()


def test_own_attributes_are_identifiers_others_keep_their_names() -> None:
    tokenizer = Tokenizer(PYTHON)
    one = tokenizer.tokenize("self.alpha = os.sep").codes.tolist()
    assert one == tokenizer.tokenize("self.beta = re.sep").codes.tolist()
    assert one != tokenizer.tokenize("self.alpha = os.linesep").codes.tolist()
    assert one[1] == IDENT


def test_line_numbers_survive_stripping() -> None:
    text = 'a = 1\n"""doc\nstring"""\n# comment\nb = (\n  2)\n'
    stream = Tokenizer(PYTHON).tokenize(text)
    assert stream.lines.tolist() == [1, 1, 1, 5, 5, 5, 6, 6]


def test_c_family_comments_strings_and_includes() -> None:
    tokenizer = Tokenizer(C_FAMILY)
    a = tokenizer.tokenize('#include <stdio.h>\nint f(int x) { /* c */ return x + 1; } // e\n')
    b = tokenizer.tokenize("int g(int y)\n{\n    return y + 1;\n}\n")
    assert np.array_equal(a.codes, b.codes)
    assert a.lines.tolist()[0] == 2


def test_a_string_left_open_in_one_fenced_block_does_not_swallow_the_next() -> None:
    tokenizer = Tokenizer(PYTHON)
    cut = 'def f():\n    """A docstring cut off by the\n'
    code = "x = compute(a, b)\nreturn x\n"
    prompt = f"First:\n```python\n{cut}```\nSecond:\n```python\n{code}```\n"
    alone = tokenizer.tokenize(code).codes.tolist()
    codes = tokenizer.tokenize(prompt).codes.tolist()
    assert codes[-len(alone) :] == alone
    assert tokenizer.tokenize(prompt).lines.tolist()[-1] == 9


def kgrams(text: str) -> list[int]:
    stream = Tokenizer(PYTHON).tokenize(text)
    return Hasher(b"k" * 32, Params(k=6)).fingerprints(stream, winnowed=False).hashes.tolist()


def test_which_identifiers_are_the_same_one_survives_renaming() -> None:
    same = "total = total + step(total)\n"
    assert kgrams(same) == kgrams("v1 = v1 + v2(v1)\n")  # a one-to-one renaming
    assert kgrams(same) != kgrams("total = other + step(total)\n")  # another structure
    # A reference reaches only inside the k-gram: what came before does not matter.
    assert kgrams("a = 1\n" + same)[-3:] == kgrams("total = 1\n" + same)[-3:]


def test_own_attributes_and_plain_names_are_renamed_apart() -> None:
    # `self.size = size` stays the same whether a rename touches the parameter, the
    # attribute, both or neither: the two are separate name spaces.
    base = kgrams("def f(self, size):\n    self.size = size\n    return self.size\n")
    for renamed in ("def f(self, n):\n    self.size = n\n    return self.size\n",
                    "def f(self, size):\n    self.s = size\n    return self.s\n"):
        assert kgrams(renamed) == base


def test_long_numbers_keep_their_spelling_short_ones_are_a_class() -> None:
    tokenizer = Tokenizer(PYTHON)
    codes = tokenizer.tokenize("x = 0xFF + 0xff + 1000 + 1001 + 7 + 42\n").codes.tolist()
    # x = 0xFF copy + 0xff copy + 1000 copy + 1001 copy + 7 + 42
    hex_upper, hex_lower, thousand, other = codes[2], codes[5], codes[8], codes[11]
    assert hex_upper == hex_lower  # case folded, as formatters rewrite it
    assert len({hex_upper, thousand, other, NUMBER}) == 4
    assert codes[14] == codes[16] == NUMBER  # 7 and 42
