"""The quick test before the run counter never skips a value holding a run of 8."""

from __future__ import annotations

import random
import string

from leakguard.detectors.filters import _may_hold_long_run, _runs, is_placeholder


def test_quick_test_passes_every_value_with_a_run_of_eight() -> None:
    rng = random.Random(11)
    alphabet = string.ascii_letters + string.digits + "_-+/=.!"
    runs_seen = 0
    for _ in range(20_000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(8, 60)))
        if rng.random() < 0.4:
            source = rng.choice(["0123456789", string.ascii_lowercase, string.ascii_uppercase])
            start = rng.randrange(len(source))
            at = rng.randint(0, len(value))
            piece = source[start : start + rng.randint(4, 12)] or rng.choice("ab7") * 9
            value = value[:at] + piece + value[at:]
        if max(_runs(value), default=0) >= 8:
            runs_seen += 1
            assert _may_hold_long_run(value), value
    assert runs_seen > 500


def test_counting_and_repeated_values_are_still_placeholders() -> None:
    assert is_placeholder("abcdefghijklmnop")
    assert is_placeholder("x" + "0" * 15)
    assert is_placeholder("ÄÄÄÄÄÄÄÄÄÄ1")  # non-ASCII takes the full loop
    assert not is_placeholder("Zq8Lm2Vx9pR4tK7w")
