"""What a match's evidence is worth: sentences in literals and docstrings. A sentence
copied from the organisation's code is far rarer than a key name, and a docstring
survives renaming and reformatting though the token stream leaves it out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from fp_corpus import STDLIB

from leakguard.fingerprint.build import build
from leakguard.fingerprint.docstrings import MAX_TELLING, docstring_item
from leakguard.fingerprint.lexers import Lexers
from leakguard.fingerprint.match import Matcher, Thresholds
from leakguard.fingerprint.normalize import MAX_LITERAL_TELLING, telling

SOURCE = '''class Ledger:
    """Keeps the running balance of one customer account in cents."""

    def post(self, entry):
        """Adds an entry and returns the balance after it, in cents."""
        self.total += entry.amount
        return self.total
'''

# Both docstrings, re-wrapped and re-indented, around code that is not Ledger's.
REWRAPPED = '''def first(a):
    """Keeps the running balance of one
    customer account in cents."""
    return a


def second(b):
        """Adds an entry and returns the balance
        after it, in cents."""
        return b
'''


def test_a_literal_tells_a_word_per_word_up_to_a_cap() -> None:
    text = 'raise Error("must select only one top level field", x.name, "keyword", "\\n")\n'
    stream = Lexers().tokenize("python", text)
    told = telling(stream)
    # The message (capped), the attribute name, one word; the escape tells nothing.
    assert sorted(told[told > 0].tolist()) == [1, 1, MAX_LITERAL_TELLING]
    assert MAX_LITERAL_TELLING < 7  # the cap binds: seven words tell no more than six
    assert stream.worded is not None
    assert told[stream.worded].tolist() == [MAX_LITERAL_TELLING, 1]  # strings with words


def test_docstrings_are_items_whatever_their_layout() -> None:
    one = docstring_item("python", '"""Keeps the running balance\n    of one account."""')
    two = docstring_item("python", "'''Keeps the running balance of one account.'''")
    assert one is not None and one == two
    assert one[1] == MAX_TELLING
    assert docstring_item("python", '"""Return self."""') is None  # every project has it
    assert docstring_item("python", '"""Keeps the balance of another account."""') != one


def test_the_token_stream_still_leaves_docstrings_out() -> None:
    lexers = Lexers()
    stripped = SOURCE.replace(
        '    """Keeps the running balance of one customer account in cents."""\n', ""
    )
    assert np.array_equal(lexers.tokenize("python", SOURCE).codes,
                          lexers.tokenize("python", stripped).codes)
    assert lexers.tokenize("python", stripped).items is not None  # the other docstring


def test_copied_docstrings_are_found_around_other_code(tmp_path: Path) -> None:
    (tmp_path / "ledger.py").write_text(SOURCE, encoding="utf-8")
    matcher = Matcher(build(["ledger.py"], base=tmp_path)[0])
    [match] = matcher.match(REWRAPPED)
    assert match.path == "ledger.py" and match.informative == 2 * MAX_TELLING
    # One docstring alone is one hit: never enough (a match needs two).
    assert matcher.match(REWRAPPED.split("def second")[0]) == []
    reworded = REWRAPPED.replace("running balance", "current balance").replace(
        "returns", "gives back"
    )
    assert matcher.match(reworded) == []



CHECK = '''def check(order):
    if order.total < 0:
        raise ValueError("an order total may never be negative")
    return order.total
'''
CHAIN = '''def check(order):
    if order.books.ledger.entries.latest.posting.amount < 0:
        raise ValueError
    return order
'''
# Only the evidence path: no shape match possible.
NO_SHAPE = {"min_fingerprints": 999, "min_tokens": 999}


def test_a_message_clears_a_lower_bar_than_names_alone(tmp_path: Path) -> None:
    for name, text in (("check.py", CHECK), ("chain.py", CHAIN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    index = build(["check.py", "chain.py"], base=tmp_path)[0]
    renamed = CHECK.replace("check(order)", "f(o)").replace("order.", "o.")
    assert [m.path for m in Matcher(index, Thresholds(**NO_SHAPE)).match(renamed)] == [
        "check.py"
    ]
    strict = Thresholds(worded_informative=10, **NO_SHAPE)
    assert Matcher(index, strict).match(renamed) == []
    # A chain of attribute names tells as much (6 of its 7 lie under indexed k-grams),
    # but without a word it must reach min_informative.
    chained = CHAIN.replace("check(order)", "f(o)").replace("order", "o")
    assert Matcher(index, Thresholds(**NO_SHAPE)).match(chained) == []
    loose = Thresholds(min_informative=6, **NO_SHAPE)
    assert [m.path for m in Matcher(index, loose).match(chained)] == ["chain.py"]


def test_a_build_lexes_the_same_stream_without_what_it_tells() -> None:
    # An index is built with telling=False and queried with telling=True: every hashed
    # part of the stream must be the same both ways.
    text = (STDLIB / "email" / "feedparser.py").read_text(encoding="utf-8")
    lexers = Lexers()
    told, bare = (lexers.tokenize("python", text, False, telling) for telling in (True, False))
    for part in ("codes", "lines", "refs", "items", "item_lines"):
        assert np.array_equal(getattr(told, part), getattr(bare, part)), part
    assert told.item_tells is not None and told.tells is not None and told.worded is not None
    assert bare.item_tells is None and bare.tells is None and bare.worded is None


def test_a_match_holding_words_has_its_own_coverage_bar(tmp_path: Path) -> None:
    for name, text in (("check.py", CHECK), ("chain.py", CHAIN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    index = build(["check.py", "chain.py"], base=tmp_path)[0]
    renamed = CHECK.replace("check(order)", "f(o)").replace("order.", "o.")
    chained = CHAIN.replace("check(order)", "f(o)").replace("order", "o")
    impossible = 1.01  # no region reaches it
    worded_only = Thresholds(min_coverage=impossible, worded_coverage=0.0, **NO_SHAPE)
    assert [m.path for m in Matcher(index, worded_only).match(renamed)] == ["check.py"]
    assert Matcher(index, Thresholds(worded_coverage=impossible, **NO_SHAPE)).match(renamed) == []
    # Names alone are held to min_coverage, whatever worded_coverage says.
    names = Thresholds(min_informative=6, min_coverage=impossible, worded_coverage=0.0,
                       **NO_SHAPE)
    assert Matcher(index, names).match(chained) == []
    # The policy's similarity moves both bars.
    assert Thresholds.from_policy(0.6, 5).worded_coverage == 0.6 * 2 / 3
