"""Markdown fence lines split a prompt into blocks, never a source file.

A fence-like line inside a docstring (a ``` example, a reST "~~~" underline) once split
indexed files too: every string after it was read inside out, and the rest of the file
was indexed as garbage that nothing could match.
"""

from __future__ import annotations

from pathlib import Path

from fp_corpus import STDLIB

from leakguard.detectors.proprietary import ProprietaryDetector
from leakguard.fingerprint.build import build
from leakguard.fingerprint.match import Matcher
from leakguard.fingerprint.profiles import PYTHON
from leakguard.fingerprint.tokenizer import Tokenizer
from leakguard.models import Fragment

MODULE = '''"""Helpers for ledger exports.

```python
from ledger import export
export(rows, "out.csv")
```
"""


def rows_between(entries, first, last):
    """Entries dated in [first, last].

        ```
        rows_between(book, jan, mar)
        ```
    """
    kept = []
    for entry in entries:
        if entry.dated is None:
            continue
        if first <= entry.dated <= last:
            kept.append(entry.with_balance(entry.amount * entry.rate))
    kept.sort(key=lambda e: (e.dated, e.reference))
    return kept


def totals(entries, currency):
    by_account = {}
    for entry in entries:
        if entry.currency != currency:
            raise ValueError(f"mixed currencies: {entry.currency} and {currency}")
        by_account.setdefault(entry.account, []).append(entry.amount)
    return {account: sum(amounts) for account, amounts in by_account.items()}
'''


def lines(text: str, first: int, last: int) -> str:
    return "".join(text.splitlines(keepends=True)[first - 1 : last])


def matcher_for(tmp_path: Path, name: str, text: str) -> Matcher:
    (tmp_path / name).write_text(text, encoding="utf-8")
    index, _ = build([name], base=tmp_path)
    return Matcher(index)


def test_a_source_file_is_lexed_whole() -> None:
    tokenizer = Tokenizer(PYTHON)
    code = lines(MODULE, 10, len(MODULE.splitlines()))
    whole = tokenizer.tokenize(MODULE, fenced=False).codes.tolist()
    assert whole[-len(tokenizer.tokenize(code).codes) :] == tokenizer.tokenize(code).codes.tolist()
    # Read as a prompt, the column-0 fence in the module docstring splits the text and the
    # strings after it come out inside out: why files are never read that way.
    assert tokenizer.tokenize(MODULE, fenced=True).codes.tolist() != whole


def test_an_indented_fence_is_not_a_fence() -> None:
    tokenizer = Tokenizer(PYTHON)
    function = lines(MODULE, 10, 24)  # its docstring holds an indented ``` example
    prompt = f"Why is this slow?\n```python\n{function}```\n"
    alone = tokenizer.tokenize(function, fenced=False).codes.tolist()
    assert tokenizer.tokenize(prompt).codes.tolist()[-len(alone) :] == alone


def test_code_after_a_fenced_docstring_is_found(tmp_path: Path) -> None:
    matcher = matcher_for(tmp_path, "ledger.py", MODULE)
    snippet = lines(MODULE, 27, 34)  # totals(), after both docstrings
    [match] = matcher.match(f"Can you vectorize this?\n\n```python\n{snippet}```\n")
    assert (match.path, match.source_start) == ("ledger.py", 27) and match.source_end >= 31
    detector = ProprietaryDetector(matcher)
    # The whole copy, from its module docstring (an item of its own) to the end.
    [finding] = detector.detect(Fragment(text=MODULE, path="copy/ledger.py"))
    assert finding.line == 1 and "ledger.py:1-33" in finding.message


def test_a_real_module_with_a_rest_underline_in_its_docstring(tmp_path: Path) -> None:
    # ast.py's module docstring underlines its title with "~~~" (four spaces in).
    text = (STDLIB / "ast.py").read_text(encoding="utf-8")
    assert "\n    ~~~\n" in text
    matcher = matcher_for(tmp_path, "ast.py", text)
    start = text.splitlines().index("def _splitlines_no_ff(source):") + 1
    snippet = lines(text, start + 4, start + 24)
    assert any(m.path == "ast.py" and m.source_start >= start for m in matcher.match(snippet))
