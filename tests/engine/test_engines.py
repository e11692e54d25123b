"""The Hyperscan engine and the pure-Python fallback must give identical findings."""

from __future__ import annotations

import random
import string

import pytest

from leakguard.detectors.secrets import SecretDetector
from leakguard.engine import build_engine
from leakguard.engine.hyperscan_engine import HyperscanEngine
from leakguard.engine.python_engine import PythonEngine
from leakguard.rulepack import Rule, builtin_rules, rule_from_mapping

SAMPLE_RULES = [
    {
        "id": "demo-token",
        "description": "demo token",
        "keywords": ["dmo_"],
        "pattern": r"\b(dmo_[A-Za-z0-9]{24})(?![A-Za-z0-9])",
        "entropy": 3.0,
        "examples": [["x = dmo_", "Q8v2LmZ7kP4rT9wX1cN6bY3a"]],
        "counterexamples": ["x = dmo_short"],
    },
    {
        "id": "demo-caseless",
        "description": "case-insensitive context rule",
        "keywords": ["demokey"],
        "ignore_case": True,
        "pattern": r"demokey[ \t]*[:=][ \t]*['\"]([a-f0-9]{32})['\"]",
        "examples": [["DEMOKEY = '", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "'"]],
        "counterexamples": ["demokey = 'zz'"],
    },
    {
        "id": "demo-block",
        "description": "multi-line block",
        "keywords": ["begin demo"],
        "max_length": 4096,
        "pattern": r"-----BEGIN DEMO-----\r?\n([A-Za-z0-9+/=\r\n]{40,})-----END DEMO-----",
        "examples": [
            [
                "-----BEGIN DEMO-----\n",
                "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3\n",
                "-----END DEMO-----",
            ]
        ],
        "counterexamples": ["-----BEGIN DEMO-----\n...\n-----END DEMO-----"],
    },
    {
        "id": "demo-lookbehind",
        "description": "needs prefilter mode in Hyperscan",
        "keywords": ["pw="],
        "pattern": r"(?<![A-Za-z])pw=([A-Za-z0-9!#%]{10,32})(?=[\s;]|$)",
        "examples": ["pw=Zq8#Lm2!Vx9p;"],
        "counterexamples": ["xpw=Zq8#Lm2!Vx9p;"],
    },
]


def sample_rules() -> tuple[Rule, ...]:
    return tuple(rule_from_mapping(raw, "test") for raw in SAMPLE_RULES)


def noise(rng: random.Random, size: int) -> str:
    alphabet = string.ascii_letters + string.digits + " \t\n=:'\"_-/+é€ü日本"
    return "".join(rng.choice(alphabet) for _ in range(size))


def corpus(rules: tuple[Rule, ...], seed: int, pieces: int = 300) -> str:
    """Rule samples in random noise, some non-ASCII, some glued to their neighbours."""
    rng = random.Random(seed)
    samples = [s for r in rules for s in (*r.examples, *r.counterexamples)]
    parts = []
    for _ in range(pieces):
        parts.append(noise(rng, rng.randint(0, 80)))
        parts.append(rng.choice(samples))
        parts.append(rng.choice(["\n", " ", "", "\r\n", "; "]))
    return "".join(parts)


def both(rules: tuple[Rule, ...]) -> tuple[SecretDetector, SecretDetector]:
    return (
        SecretDetector(rules, HyperscanEngine(rules)),
        SecretDetector(rules, PythonEngine(rules)),
    )


@pytest.mark.parametrize("seed", range(8))
def test_engines_agree_on_generated_corpus(seed: int) -> None:
    rules = sample_rules()
    fast, slow = both(rules)
    text = corpus(rules, seed)
    found = fast.candidates(text)
    assert found == slow.candidates(text)
    assert found, "the corpus holds examples, so something must be found"


def test_engines_agree_on_builtin_rules_corpus() -> None:
    rules = builtin_rules()
    if not rules:
        pytest.skip("no built-in rules yet")
    fast, slow = both(rules)
    for seed in range(3):
        text = corpus(rules, seed, pieces=600)
        assert fast.candidates(text) == slow.candidates(text)


def test_engines_agree_on_every_builtin_example() -> None:
    rules = builtin_rules()
    fast, slow = both(rules)
    for rule in rules:
        for sample in (*rule.examples, *rule.counterexamples):
            assert fast.candidates(sample) == slow.candidates(sample), rule.id


def test_windows_cover_matches_around_keyword_hits() -> None:
    rules = sample_rules()
    engine = HyperscanEngine(rules)
    text = "a\nb\npw=Zq8#Lm2!Vx9p;\nc\n"
    # a single-line rule: the window is the keyword's own line
    assert [([rules[i].id for i in w[0]], w[1], w[2]) for w in engine.windows(text)] == [
        (["demo-lookbehind"], 4, 21)
    ]
    assert engine.windows("nothing here\n") == []
    # a multi-line rule reaches max_length past the hit, in whole lines; its matches
    # start with the keyword, so the window starts at the keyword's line
    block = "x\n" * 3 + "-----BEGIN DEMO-----\nQUJD\n-----END DEMO-----\n" + "y\n" * 3
    (window,) = [
        w for w in engine.windows(block) if any(rules[i].id == "demo-block" for i in w[0])
    ]
    assert rules[window[0][0]].keyword_leads
    assert (window[1], window[2]) == (6, len(block))


def test_windows_reach_back_when_a_line_break_may_precede_the_keyword() -> None:
    raw = {
        "id": "demo-pair", "description": "name then value", "keywords": ["value"],
        "pattern": r"name:[ \t]*\w+\r?\n[ \t]*value:[ \t]*(\S{6,40})", "max_length": 120,
        "examples": ["name: k\nvalue: Zq8Lm2Vx9p"], "counterexamples": ["name: k"],
    }
    rules = (rule_from_mapping(raw, "test"),)
    assert rules[0].multiline and not rules[0].keyword_leads
    text = "a\n" * 80 + "name: db\nvalue: Zq8Lm2Vx9p\n" + "b\n" * 80
    (window,) = HyperscanEngine(rules).windows(text)
    hit = text.index("value")
    assert window[1] <= hit - 100 and window[2] >= hit + 100
    assert [c[3] for c in SecretDetector(rules, HyperscanEngine(rules)).candidates(text)] == [
        "Zq8Lm2Vx9p"
    ]


def test_rules_without_keywords_still_run() -> None:
    raw = {**SAMPLE_RULES[0], "keywords": []}
    rules = (rule_from_mapping(raw, "test"),)
    text = "x = dmo_" + "Q8v2LmZ7kP4rT9wX1cN6bY3a"
    assert [c[3] for c in SecretDetector(rules, HyperscanEngine(rules)).candidates(text)] == [
        "dmo_Q8v2LmZ7kP4rT9wX1cN6bY3a"
    ]


def test_compiled_database_is_cached(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LEAKGUARD_CACHE_DIR", str(tmp_path))
    rules = sample_rules()
    HyperscanEngine(rules)
    cached = sorted(p.suffix for p in tmp_path.iterdir())
    assert cached == [".db"]
    text = "x = dmo_" + "Q8v2LmZ7kP4rT9wX1cN6bY3a"
    assert [c[3] for c in SecretDetector(rules, HyperscanEngine(rules)).candidates(text)] == [
        "dmo_Q8v2LmZ7kP4rT9wX1cN6bY3a"
    ]


def test_build_engine_falls_back_to_python() -> None:
    assert build_engine(sample_rules(), "python").name == "python"
    assert build_engine(sample_rules(), "auto").name == "hyperscan"


def test_rules_with_the_same_keywords_share_one_window() -> None:
    rules = builtin_rules()
    engine = HyperscanEngine(rules)
    text = "x = 1\nconfig_token = compute()\ny = 2\n"
    windows = [w for w in engine.windows(text) if w[1] == 6]
    sharing = [members for members, _, _ in windows if len(members) > 1]
    assert sharing, "the generic rules keyed on 'token' should share a window"
    for members in sharing:
        assert len({rules[i].keywords for i in members}) == 1


@pytest.mark.parametrize("seed", range(3))
def test_engines_agree_on_real_code_with_samples_between_its_lines(seed: int) -> None:
    # Real source lines around the samples: multi-line rules see keywords before and
    # after their matches, as in a scanned repository (windows that start at a hit's
    # line must still hold every match).
    import sysconfig
    from pathlib import Path

    rng = random.Random(seed)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    sources = sorted(p for p in stdlib.glob("*.py") if p.stat().st_size < 60_000)
    lines: list[str] = []
    for path in rng.sample(sources, 4):
        lines += path.read_text(encoding="utf-8", errors="replace").splitlines()[:400]
    rules = builtin_rules()
    samples = [s for r in rules for s in (*r.examples, *r.counterexamples)]
    for _ in range(120):
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(samples))
    text = "\n".join(lines)
    fast, slow = both(rules)
    found = fast.candidates(text)
    assert found == slow.candidates(text)
    assert len(found) >= 20
