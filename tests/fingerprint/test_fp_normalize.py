"""The normalized stream ignores what renaming and reformatting change, and keeps the rest."""

from __future__ import annotations

import numpy as np
import pytest

from leakguard.fingerprint.normalize import C_FAMILY, IDENT, NUMBER, PYTHON
from leakguard.fingerprint.tokenizer import Tokenizer

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
